#include "io/formula_parser.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "io/formula_printer.hpp"
#include "random_formula.hpp"

namespace lies::io {
namespace {

using engine::Graph;
using engine::NodeId;
using engine::Op;

NodeId parse(std::string_view text, Graph& graph, std::vector<std::string>& variables) {
  ParseOptions options;
  options.variables = &variables;
  const absl::StatusOr<NodeId> root = parse_formula(text, graph, options);
  REQUIRE_MESSAGE(root.ok(), text, ": ", root.status().message());
  return *root;
}

std::string parse_error(std::string_view text, const ParseOptions& options) {
  Graph graph;
  const absl::StatusOr<NodeId> root = parse_formula(text, graph, options);
  REQUIRE_MESSAGE(!root.ok(), text, " parsed");
  CHECK(root.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(root.status().message());
}

std::string parse_error(std::string_view text) { return parse_error(text, ParseOptions{}); }

// A graph with the variables x, y, a, b, c for the precedence cases.
struct Fixture {
  Graph g;
  std::vector<std::string> variables = {"x", "y", "a", "b", "c"};
  NodeId x = g.input(0);
  NodeId y = g.input(1);
  NodeId a = g.input(2);
  NodeId b = g.input(3);
  NodeId c = g.input(4);

  NodeId parse(std::string_view text) { return io::parse(text, g, variables); }
  NodeId k(double value) { return g.constant(value); }
};

// Reads a CSV file with an optional UTF-8 byte order mark, CRLF or LF line ends and double-quoted
// fields that contain commas. A quote inside a quoted field ("") is not supported, because the
// benchmark tables have none.
std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::string text = buffer.str();
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);

  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (const char ch : line) {
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        fields.emplace_back();
      } else {
        fields.back() += ch;
      }
    }
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::size_t column_index(const std::vector<std::string>& header, std::string_view name) {
  const auto it = std::find(header.begin(), header.end(), name);
  REQUIRE_MESSAGE(it != header.end(), "no column ", name);
  return static_cast<std::size_t>(it - header.begin());
}

// The directory of the public benchmark tables, which the repository does not ship, from
// the environment variable LIES_SHARED_DATA. Empty when it is not set: then the suites that
// read the tables skip.
std::filesystem::path shared_data_dir() {
  const char* dir = std::getenv("LIES_SHARED_DATA");
  return dir != nullptr ? dir : "";
}

// Whether two values agree to a relative tolerance, with an absolute floor of `tolerance` near 0.
bool close(double expected, double actual, double tolerance) {
  return std::fabs(expected - actual) <= tolerance * std::max(1.0, std::fabs(expected));
}

TEST_SUITE("FormulaParser") {
  TEST_CASE("Parser: precedence and associativity") {
    Fixture f;
    Graph& g = f.g;
    CHECK(f.parse("-x**2") == g.neg(g.pow(f.x, f.k(2))));
    CHECK(f.parse("-x^2") == g.neg(g.pow(f.x, f.k(2))));
    CHECK(f.parse("2**3**2") == g.pow(f.k(2), g.pow(f.k(3), f.k(2))));
    CHECK(f.parse("1/2*x") == g.mul(g.div(f.k(1), f.k(2)), f.x));
    CHECK(f.parse("a-b-c") == g.add(g.add(f.a, g.neg(f.b)), g.neg(f.c)));
    CHECK(f.parse("2**-1") == g.pow(f.k(2), f.k(-1)));
    CHECK(f.parse("2^-x^y") == g.pow(f.k(2), g.neg(g.pow(f.x, f.y))));
    CHECK(f.parse("a*b/c") == g.div(g.mul(f.a, f.b), f.c));
    CHECK(f.parse("a/b*c") == g.mul(g.div(f.a, f.b), f.c));
    CHECK(f.parse("a/b/c") == g.div(g.div(f.a, f.b), f.c));
    CHECK(f.parse("a+b*c") == g.add(f.a, g.mul(f.b, f.c)));
    CHECK(f.parse("(a+b)*c") == g.mul(g.add(f.a, f.b), f.c));
    CHECK(f.parse("-x*y") == g.mul(g.neg(f.x), f.y));
    CHECK(f.parse("x*-y") == g.mul(f.x, g.neg(f.y)));
    CHECK(f.parse("x--y") == g.add(f.x, g.neg(g.neg(f.y))));
    CHECK(f.parse("+x") == f.x);
    CHECK(f.parse("a + b*c^2") == g.add(f.a, g.mul(f.b, g.pow(f.c, f.k(2)))));
    CHECK(f.parse(" ( x )\t\r\n") == f.x);
  }

  TEST_CASE("Parser: minus before a literal folds") {
    Fixture f;
    Graph& g = f.g;
    CHECK(f.parse("-2") == f.k(-2));
    CHECK(f.parse("-2*x") == g.mul(f.k(-2), f.x));
    CHECK(f.parse("x - 2") == g.add(f.x, f.k(-2)));
    CHECK(f.parse("x - 2*y") == g.add(f.x, g.neg(g.mul(f.k(2), f.y))));
    CHECK(f.parse("-2**2") == g.neg(g.pow(f.k(2), f.k(2))));
    CHECK(f.parse("x - 2^2") == g.add(f.x, g.neg(g.pow(f.k(2), f.k(2)))));
    CHECK(f.parse("-(2)") == g.neg(f.k(2)));
    CHECK(f.parse("x - (2)") == g.add(f.x, g.neg(f.k(2))));
    CHECK(f.parse("--2") == g.neg(f.k(-2)));
    CHECK(f.parse("-+2") == g.neg(f.k(2)));
    CHECK(f.parse("-x") == g.neg(f.x));
    CHECK(f.parse("-0") == f.k(0));
  }

  TEST_CASE("Parser: number forms") {
    Fixture f;
    CHECK(f.parse("1") == f.k(1));
    CHECK(f.parse("2.") == f.k(2));
    CHECK(f.parse(".5") == f.k(0.5));
    CHECK(f.parse("1e-3") == f.k(1e-3));
    CHECK(f.parse("1.5E+3") == f.k(1500));
    CHECK(f.parse("007") == f.k(7));
    CHECK(f.parse("0.1") == f.k(0.1));
    CHECK(f.parse("1e-400") == f.k(0));
    CHECK(f.parse("4.9e-324") == f.k(4.9e-324));
    CHECK(f.parse("1.7976931348623157e308") == f.k(1.7976931348623157e308));
  }

  TEST_CASE("Parser: C number forms") {
    Fixture f;
    Graph& g = f.g;
    CHECK(f.parse("0x1F") == f.k(31));
    CHECK(f.parse("0X1f") == f.k(31));
    CHECK(f.parse("0x1.8p3") == f.k(12));
    CHECK(f.parse("0x.8p1") == f.k(1));
    CHECK(f.parse("0x1p-2") == f.k(0.25));
    CHECK(f.parse("0x1P+4") == f.k(16));
    CHECK(f.parse("0b101") == f.k(5));
    CHECK(f.parse("0B1'0000") == f.k(16));
    CHECK(f.parse("1'000'000") == f.k(1e6));
    CHECK(f.parse("1'0.2'5e1'0") == f.k(10.25e10));
    CHECK(f.parse("1.5f") == f.k(1.5));
    CHECK(f.parse("0.1f") == f.k(0.1));
    CHECK(f.parse("2.5L") == f.k(2.5));
    CHECK(f.parse("1e3F") == f.k(1000));
    CHECK(f.parse("0x1p0f") == f.k(1));
    CHECK(f.parse("3u") == f.k(3));
    CHECK(f.parse("3UL") == f.k(3));
    CHECK(f.parse("3llu") == f.k(3));
    CHECK(f.parse("0x10ull") == f.k(16));
    CHECK(f.parse("00") == f.k(0));
    CHECK(f.parse("07") == f.k(7));
    CHECK(f.parse("010.5") == f.k(10.5));
    CHECK(f.parse("010e1") == f.k(100));
    CHECK(f.parse("2*0x10 - 1") == g.add(g.mul(f.k(2), f.k(16)), f.k(-1)));

    // A hexadecimal literal beyond the double range is too large; one below it reads as 0.
    CHECK(parse_error("0x1p1024") == "number '0x1p1024' at column 1 is too large for a double");
    CHECK(parse_error("0x100p1020") == "number '0x100p1020' at column 1 is too large for a double");
    CHECK(f.parse("0x1p-1080") == f.k(0));
    CHECK(f.parse("0x0.001p-1070") == f.k(0));
    std::string wide_binary = "0b1";
    wide_binary += std::string(1100, '0');
    CHECK(parse_error(wide_binary).find("is too large for a double") != std::string::npos);
  }

  TEST_CASE("Parser: C number errors") {
    CHECK(parse_error("0x") == "invalid number '0x' at column 1: no hexadecimal digits after 0x");
    CHECK(parse_error("0x.p1") == "invalid number '0x.' at column 1: no hexadecimal digits after 0x");
    CHECK(parse_error("0x1.8") ==
          "invalid number '0x1.8' at column 1: a hexadecimal number with a point needs a binary "
          "exponent, as in 0x1.8p0");
    CHECK(parse_error("0x1p") == "invalid number '0x1p' at column 1: the exponent has no digits");
    CHECK(parse_error("0b2") == "invalid number '0b' at column 1: no binary digits after 0b");
    CHECK(parse_error("010") ==
          "number '010' at column 1 is ambiguous: a leading 0 makes it octal (8) in C; write 10 "
          "without the leading 0 for the decimal value");
    CHECK(parse_error("1 + 0'12") ==
          "number '0'12' at column 5 is ambiguous: a leading 0 makes it octal (10) in C; write 12 "
          "without the leading 0 for the decimal value");
    CHECK(parse_error("09") ==
          "number '09' at column 1 has a leading 0, which makes it octal in C, but it has the digit "
          "8 or 9; write 9 without the leading 0");
    // A suffix must end the literal, and an integer takes no f.
    CHECK(parse_error("2lx") == "unexpected 'lx' at column 2, expected an operator");
    CHECK(parse_error("2f") == "unexpected 'f' at column 2, expected an operator");
    CHECK(parse_error("1.5ff") == "unexpected 'ff' at column 4, expected an operator");
    CHECK(parse_error("1'") == "unexpected character ''' at column 2");
    CHECK(parse_error("1''0") == "unexpected character ''' at column 2");
  }

  TEST_CASE("Parser: one half is division") {
    Fixture f;
    Graph& g = f.g;
    const NodeId half = f.parse("1/2");
    CHECK(half == g.div(f.k(1), f.k(2)));
    // evaluate() reads every Input of the graph, so the point has all five variables.
    const std::vector<double> point = {2.0, 3.0, 0.0, 0.0, 0.0};
    CHECK(testing::evaluate<double>(g, half, point, 5) == 0.5);
    const NodeId kinetic = f.parse("1/2*x*y**2");
    CHECK(testing::evaluate<double>(g, kinetic, point, 5) == 9.0);
  }

  TEST_CASE("Parser: every function name") {
    Fixture f;
    Graph& g = f.g;
    const std::vector<std::pair<std::string, Op>> functions = {
        {"exp", Op::Exp},   {"log", Op::Log},       {"ln", Op::Log},        {"sqrt", Op::Sqrt},
        {"sin", Op::Sin},   {"cos", Op::Cos},       {"tan", Op::Tan},       {"tanh", Op::Tanh},
        {"asin", Op::Asin}, {"acos", Op::Acos},     {"atan", Op::Atan},     {"arcsin", Op::Asin},
        {"arccos", Op::Acos}, {"arctan", Op::Atan}};
    for (const auto& [name, op] : functions) {
      CAPTURE(name);
      CHECK(f.parse(name + "(x + 1)") == g.unary(op, g.add(f.x, f.k(1))));
    }
  }

  TEST_CASE("Parser: protected log and exp") {
    Fixture f;
    Graph& g = f.g;
    CHECK(f.parse("log(max(x, 0.001))") == g.prot_log(f.x, 0.001));
    CHECK(f.parse("ln(max(x*y, 1e-9))") == g.prot_log(g.mul(f.x, f.y), 1e-9));
    CHECK(f.parse("log(max(x, -5))") == g.prot_log(f.x, -5));
    CHECK(f.parse("exp(min(x, 50))") == g.prot_exp(f.x, 50));
    CHECK(f.parse("exp(min(-x, +2))") == g.prot_exp(g.neg(f.x), 2));
    CHECK(f.parse("exp(min(x, pi))") == g.prot_exp(f.x, std::numbers::pi));
    CHECK(f.parse("2*log(max((x), 1)) + 1") ==
          g.add(g.mul(f.k(2), g.prot_log(f.x, 1)), f.k(1)));
  }

  TEST_CASE("Parser: constants pi and e") {
    Fixture f;
    Graph& g = f.g;
    CHECK(f.parse("pi") == f.k(std::numbers::pi));
    CHECK(f.parse("e") == f.k(std::numbers::e));
    CHECK(f.parse("2*pi*e") == g.mul(g.mul(f.k(2), f.k(std::numbers::pi)), f.k(std::numbers::e)));
    CHECK(f.parse("exp(1)") == g.exp(f.k(1)));

    // A variable of that name wins.
    std::vector<std::string> variables = {"x", "e"};
    CHECK(parse("e", g, variables) == g.input(1));
    CHECK(parse("pi", g, variables) == f.k(std::numbers::pi));
  }

  TEST_CASE("Parser: variables list") {
    Graph g;
    std::vector<std::string> variables = {"a", "b"};
    ParseOptions options;
    options.variables = &variables;
    options.add_unknown_variables = true;
    const absl::StatusOr<NodeId> root = parse_formula("q*a + r/q + b", g, options);
    REQUIRE(root.ok());
    CHECK(variables == std::vector<std::string>{"a", "b", "q", "r"});
    CHECK(*root == g.add(g.add(g.mul(g.input(2), g.input(0)), g.div(g.input(3), g.input(2))),
                         g.input(1)));

    // The first of equal names wins.
    std::vector<std::string> repeated = {"a", "a"};
    CHECK(parse("a", g, repeated) == g.input(0));

    // An unknown name is an error without add_unknown_variables, and a failed parse leaves the
    // list as it was.
    variables = {"a", "b"};
    options.add_unknown_variables = false;
    CHECK(parse_error("a*q", options) == "unknown variable 'q' at column 3 (known: a, b)");
    options.add_unknown_variables = true;
    CHECK(parse_error("s + t +", options) ==
          "expected an expression after '+' at column 7, found end of input");
    CHECK(variables == std::vector<std::string>{"a", "b"});

    CHECK(parse_error("x") == "unknown variable 'x' at column 1 (known: none)");
    ParseOptions without_list;
    without_list.add_unknown_variables = true;
    CHECK(parse_error("x", without_list) ==
          "add_unknown_variables needs a variables list to append to; set variables");

    std::vector<std::string> many;
    for (int k = 0; k < 25; ++k) many.push_back(absl::StrFormat("v%d", k));
    options.variables = &many;
    options.add_unknown_variables = false;
    CHECK(parse_error("w", options) ==
          "unknown variable 'w' at column 1 (known: v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, "
          "v11, v12, v13, v14, v15, v16, v17, v18, v19 and 5 more)");
  }

  TEST_CASE("Parser: errors name the column") {
    std::vector<std::string> variables = {"x", "y", "a", "b"};
    ParseOptions options;
    options.variables = &variables;
    CHECK(parse_error("sin(x) + y) - 1", options) == "unexpected ')' at column 11");
    CHECK(parse_error("(a + b) * x)) ", options) == "unexpected ')' at column 12");
    CHECK(parse_error("abx +", options) == "unknown variable 'abx' at column 1 (known: x, y, a, b)");

    CHECK(parse_error("a+y +", options) ==
          "expected an expression after '+' at column 5, found end of input");
    CHECK(parse_error("(x + )", options) ==
          "expected an expression after '+' at column 4, found ')' at column 6");
    CHECK(parse_error("x * / y", options) ==
          "expected an expression after '*' at column 3, found '/' at column 5");
    CHECK(parse_error("", options) == "expected an expression at column 1, found end of input");
    CHECK(parse_error("  ", options) == "expected an expression at column 3, found end of input");
    CHECK(parse_error("*x", options) == "expected an expression at column 1, found '*' at column 1");
    CHECK(parse_error("()", options) == "expected an expression after '(' at column 1, found ')' at column 2");

    CHECK(parse_error("foo(x)", options) ==
          "unknown function 'foo' at column 1 (known: exp, log, ln, sqrt, sin, cos, tan, tanh, "
          "asin, acos, atan, arcsin, arccos, arctan)");
    CHECK(parse_error("x*q", options) == "unknown variable 'q' at column 3 (known: x, y, a, b)");
    CHECK(parse_error("-(x + 1", options) == "unbalanced '(' opened at column 2");
    CHECK(parse_error("sin(x", options) == "unbalanced '(' opened at column 4");

    CHECK(parse_error("x y", options) == "unexpected 'y' at column 3, expected an operator");
    CHECK(parse_error("2x", options) == "unexpected 'x' at column 2, expected an operator");
    CHECK(parse_error("2 (y)", options) == "unexpected '(' at column 3, expected an operator");
    CHECK(parse_error("x (y)", options).find("unknown function 'x' at column 1") == 0);
    CHECK(parse_error("1.2.3", options) == "unexpected '.3' at column 4, expected an operator");
    CHECK(parse_error("x $ y", options) == "unexpected character '$' at column 3");
    CHECK(parse_error("x . y", options) == "unexpected character '.' at column 3");
    CHECK(parse_error("x + \xce\xb8", options) == "unexpected character '\xce\xb8' at column 5");
    CHECK(parse_error("x + \x01", options) == "unexpected character '\\x01' at column 5");

    CHECK(parse_error("x, y", options) == "unexpected ',' at column 2");
    CHECK(parse_error("sin x", options) == "function 'sin' at column 1 needs an argument in parentheses");
    CHECK(parse_error("sin(x, y)", options) ==
          "function 'sin' at column 1 takes one argument, found ',' at column 6");

    CHECK(parse_error("2*1e999", options) == "number '1e999' at column 3 is too large for a double");
    CHECK(parse_error("2e", options) == "invalid number '2e' at column 1: the exponent has no digits");
    CHECK(parse_error("3E+x", options) == "invalid number '3E+' at column 1: the exponent has no digits");
  }

  TEST_CASE("Parser: max and min only in protected ops") {
    std::vector<std::string> variables = {"x", "y"};
    ParseOptions options;
    options.variables = &variables;
    CHECK(parse_error("max(x, 1)", options) ==
          "max(...) at column 1 is supported only as log(max(expression, number)); use that form or "
          "rewrite the formula");
    CHECK(parse_error("exp(max(x, 1))", options) ==
          "max(...) at column 5 is supported only as log(max(expression, number)); use that form or "
          "rewrite the formula");
    CHECK(parse_error("log((max(x, 1)))", options) ==
          "max(...) at column 6 is supported only as log(max(expression, number)); use that form or "
          "rewrite the formula");
    CHECK(parse_error("log(min(x, 1))", options) ==
          "min(...) at column 5 is supported only as exp(min(expression, number)); use that form or "
          "rewrite the formula");
    CHECK(parse_error("log(max(x))", options) ==
          "max at column 5 needs two arguments, as in log(max(x, 1e-9))");
    CHECK(parse_error("log(max(x, y))", options) ==
          "the second argument of max at column 5 must be a number, found 'y' at column 12");
    CHECK(parse_error("log(max(x, 1 + 1))", options) ==
          "expected ')' after the number of max at column 5, found '+' at column 14");
    CHECK(parse_error("log(max(x, 1) + 1)", options) ==
          "expected ')' after max(...) at column 5, found '+' at column 15; max(...) must be the "
          "whole argument of log");
    CHECK(parse_error("log(max(x, 1)", options) ==
          "expected ')' after max(...) at column 5, found end of input; max(...) must be the whole "
          "argument of log");
    CHECK(parse_error("max", options) == "function 'max' at column 1 needs an argument in parentheses");
  }

  TEST_CASE("Parser: limits on length and depth") {
    ParseOptions options;
    options.max_length = 10;
    CHECK(parse_error("1+2+3+4+5+6", options) == "formula has 11 bytes, more than max_length (10)");

    const std::string deep = std::string(300, '(') + "1" + std::string(300, ')');
    CHECK(parse_error(deep) == "nesting deeper than 256 at column 257");
    CHECK(parse_error(std::string(300, '-') + "1") == "nesting deeper than 256 at column 257");
    CHECK(parse_error("sin(" + deep + ")") == "nesting deeper than 256 at column 260");

    options = ParseOptions{};
    options.max_depth = 2;
    CHECK(parse_error("2^-3^3", options) == "nesting deeper than 2 at column 5");
    options.max_depth = 0;
    CHECK(parse_error("1", options) == "max_depth is 0; expected at least 1");
  }

  TEST_CASE("Parser: huge inputs need no stack") {
    // Nesting costs heap memory only, so even a depth limit far beyond any call stack is safe.
    constexpr int kDepth = 200000;
    ParseOptions options;
    options.max_length = 10 * kDepth;
    options.max_depth = 3 * kDepth;
    Graph g;
    absl::StatusOr<NodeId> root =
        parse_formula(std::string(kDepth, '(') + "1" + std::string(kDepth, ')'), g, options);
    REQUIRE(root.ok());
    CHECK(*root == g.constant(1));

    std::string power = "2";
    for (int k = 0; k < kDepth; ++k) power += "^2";
    root = parse_formula(power, g, options);
    REQUIRE(root.ok());
    CHECK(g.op(*root) == Op::Pow);

    std::string sum = "1";
    for (int k = 0; k < kDepth; ++k) sum += "+1";
    root = parse_formula(sum, g, ParseOptions{.max_length = 10 * kDepth});
    REQUIRE(root.ok());
    CHECK(g.op(*root) == Op::Add);

    CHECK(parse_error(std::string(kDepth, '-') + "1", ParseOptions{.max_length = 10 * kDepth}) ==
          "nesting deeper than 256 at column 257");
  }

  TEST_CASE("Parser: faithful print parses back") {
    std::mt19937_64 random(7);
    const std::vector<std::string> names = {"a", "b", "theta"};
    PrintOptions print_options;
    print_options.faithful = true;
    print_options.input_names = names;
    int compared = 0;
    for (int trial = 0; trial < 3000; ++trial) {
      Graph original;
      const NodeId root = testing::random_formula(original, random, 1 + trial % 16, 3, 2);
      const absl::StatusOr<std::string> text = print_formula(original, root, print_options);
      if (!text.ok()) continue;  // expands past max_nodes
      CAPTURE(*text);

      // Params print as p0, p1, which read back as the variables after the inputs.
      std::vector<std::string> variables = {"a", "b", "theta", "p0", "p1"};
      Graph parsed;
      const NodeId parsed_root = parse(*text, parsed, variables);
      const NodeId roots[] = {root};
      const NodeId copied = engine::copy_into(original, roots, parsed, [&](NodeId id) {
        const engine::Node& node = original.node(id);
        return node.op == Op::Param ? parsed.input(3 + node.index) : engine::kNoNode;
      })[0];
      CHECK(parsed_root == copied);
      ++compared;
    }
    CHECK(compared > 2900);
  }

  TEST_CASE("Parser: pretty print evaluates equal") {
    std::mt19937_64 random(11);
    std::uniform_real_distribution<double> uniform(-2.0, 3.0);
    const std::vector<std::string> names = {"a", "b", "theta"};
    PrintOptions print_options;
    print_options.input_names = names;
    int points = 0;
    int compared = 0;
    for (int trial = 0; trial < 3000; ++trial) {
      Graph original;
      const NodeId root = testing::random_formula(original, random, 1 + trial % 16, 3, 2);
      const absl::StatusOr<std::string> text = print_formula(original, root, print_options);
      if (!text.ok()) continue;
      CAPTURE(*text);
      std::vector<std::string> variables = {"a", "b", "theta", "p0", "p1"};
      Graph parsed;
      const NodeId parsed_root = parse(*text, parsed, variables);

      for (int point = 0; point < 8; ++point) {
        std::vector<double> values(5);
        for (double& value : values) value = uniform(random);
        const std::vector<long double> precise(values.begin(), values.end());
        const double expected = testing::evaluate<double>(original, root, values, 3);
        const long double reference = testing::evaluate<long double>(original, root, precise, 3);
        const double actual = testing::evaluate<double>(parsed, parsed_root, values, 3);
        ++points;
        // Skip NaN and inf, and points where rounding alone changes the value: there the double
        // result of the original differs from its long double result.
        if (!std::isfinite(expected) || !std::isfinite(actual) || !std::isfinite(reference)) continue;
        if (!close(static_cast<double>(reference), expected, 1e-10)) continue;
        CAPTURE(values);
        CHECK(close(static_cast<double>(reference), actual, 1e-7));
        ++compared;
      }
    }
    CHECK(compared > points / 2);
  }

  TEST_CASE("Parser: Feynman equations all parse") {
    const std::filesystem::path path = shared_data_dir() / "feynman" / "FeynmanEquations.csv";
    if (shared_data_dir().empty()) {
      MESSAGE("skipped: set LIES_SHARED_DATA to the directory of the benchmark tables");
      return;
    }
    REQUIRE_MESSAGE(std::filesystem::exists(path), path.string(), " not found");
    const std::vector<std::vector<std::string>> rows = read_csv(path);
    REQUIRE(!rows.empty());
    const std::vector<std::string>& header = rows.front();
    const std::size_t filename = column_index(header, "Filename");
    const std::size_t formula = column_index(header, "Formula");

    std::mt19937_64 random(3);
    int parsed = 0;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      const std::vector<std::string>& row = rows[r];
      if (row.size() <= formula || row[filename].empty()) continue;
      CAPTURE(row[filename]);
      CAPTURE(row[formula]);

      std::vector<std::string> variables;
      ParseOptions options;
      options.variables = &variables;
      options.add_unknown_variables = true;
      Graph graph;
      const absl::StatusOr<NodeId> root = parse_formula(row[formula], graph, options);
      REQUIRE_MESSAGE(root.ok(), root.status().message());
      ++parsed;

      // The vK_name columns list exactly the free names of the formula, and vK_low, vK_high
      // their ranges.
      std::set<std::string> listed;
      std::vector<std::uniform_real_distribution<double>> ranges(variables.size());
      for (int k = 1; k <= 10; ++k) {
        const std::size_t name = column_index(header, absl::StrFormat("v%d_name", k));
        if (row.size() <= name + 2 || row[name].empty()) continue;
        listed.insert(row[name]);
        const auto it = std::find(variables.begin(), variables.end(), row[name]);
        if (it == variables.end()) continue;
        ranges[it - variables.begin()] = std::uniform_real_distribution<double>(
            std::stod(row[name + 1]), std::stod(row[name + 2]));
      }
      CHECK(std::set<std::string>(variables.begin(), variables.end()) == listed);

      // Printing and parsing again gives the same DAG (faithful) or the same values (pretty).
      PrintOptions print_options;
      print_options.input_names = variables;
      print_options.faithful = true;
      const absl::StatusOr<std::string> faithful = print_formula(graph, *root, print_options);
      REQUIRE(faithful.ok());
      std::vector<std::string> same_variables = variables;
      CHECK(parse(*faithful, graph, same_variables) == *root);

      print_options.faithful = false;
      const absl::StatusOr<std::string> pretty = print_formula(graph, *root, print_options);
      REQUIRE(pretty.ok());
      CAPTURE(*pretty);
      Graph reparsed;
      const NodeId pretty_root = parse(*pretty, reparsed, same_variables);
      for (int point = 0; point < 5; ++point) {
        std::vector<double> values(variables.size());
        for (std::size_t j = 0; j < values.size(); ++j) values[j] = ranges[j](random);
        const double expected = testing::evaluate<double>(graph, *root, values, values.size());
        const double actual = testing::evaluate<double>(reparsed, pretty_root, values, values.size());
        CHECK(close(expected, actual, 1e-9));
      }
    }
    CHECK(parsed == 100);
  }

  TEST_CASE("Parser: Nguyen equations all parse") {
    const std::filesystem::path path = shared_data_dir() / "nguyen" / "equations.csv";
    if (shared_data_dir().empty()) {
      MESSAGE("skipped: set LIES_SHARED_DATA to the directory of the benchmark tables");
      return;
    }
    REQUIRE_MESSAGE(std::filesystem::exists(path), path.string(), " not found");
    const std::vector<std::vector<std::string>> rows = read_csv(path);
    REQUIRE(!rows.empty());
    const std::size_t name = column_index(rows.front(), "name");
    const std::size_t formula = column_index(rows.front(), "formula");
    const std::size_t listed_variables = column_index(rows.front(), "variables");

    int parsed = 0;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      const std::vector<std::string>& row = rows[r];
      if (row.size() <= listed_variables || row[name].empty()) continue;
      CAPTURE(row[name]);
      CAPTURE(row[formula]);
      std::vector<std::string> variables;
      ParseOptions options;
      options.variables = &variables;
      options.add_unknown_variables = true;
      Graph graph;
      const absl::StatusOr<NodeId> root = parse_formula(row[formula], graph, options);
      REQUIRE_MESSAGE(root.ok(), root.status().message());
      ++parsed;

      std::set<std::string> listed;
      std::istringstream names(row[listed_variables]);
      for (std::string variable; std::getline(names, variable, ';');) listed.insert(variable);
      CHECK(std::set<std::string>(variables.begin(), variables.end()) == listed);
    }
    CHECK(parsed == 18);
  }
}

}  // namespace
}  // namespace lies::io
