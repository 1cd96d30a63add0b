#include "io/formula_printer.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "random_formula.hpp"

namespace lies::io {
namespace {

using engine::Graph;
using engine::NodeId;
using engine::Op;

std::string print(const Graph& graph, NodeId root, const PrintOptions& options) {
  const absl::StatusOr<std::string> text = print_formula(graph, root, options);
  REQUIRE_MESSAGE(text.ok(), text.status().message());
  return *text;
}

std::string print_error(const Graph& graph, NodeId root, const PrintOptions& options) {
  const absl::StatusOr<std::string> text = print_formula(graph, root, options);
  REQUIRE_MESSAGE(!text.ok(), "printed '", text.value_or(""), "'");
  CHECK(text.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(text.status().message());
}

// Counts the tokens of infix text other than parentheses and commas: names, numbers (1e-05 is
// one token) and the operators + - * / ^.
std::uint64_t count_tokens(std::string_view text) {
  std::uint64_t count = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      while (at < text.size() && (std::isdigit(static_cast<unsigned char>(text[at])) || text[at] == '.')) ++at;
      if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
        ++at;
        if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
      }
      ++count;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (at < text.size() && (std::isalnum(static_cast<unsigned char>(text[at])) || text[at] == '_')) ++at;
      ++count;
    } else {
      if (c == '+' || c == '-' || c == '*' || c == '/' || c == '^') ++count;
      ++at;
    }
  }
  return count;
}

// A graph with named inputs for the tables below.
struct Fixture {
  Graph g;
  std::vector<std::string> names = {"x", "y", "z", "a", "b", "x1", "x2", "theta", "sigma", "E_n"};
  NodeId x = g.input(0);
  NodeId y = g.input(1);
  NodeId z = g.input(2);
  NodeId a = g.input(3);
  NodeId b = g.input(4);
  NodeId x1 = g.input(5);
  NodeId x2 = g.input(6);
  NodeId theta = g.input(7);
  NodeId sigma = g.input(8);
  NodeId e_n = g.input(9);

  NodeId c(double value) { return g.constant(value); }
  NodeId op(Op op, NodeId a) { return g.unary(op, a); }

  PrintOptions options(FormulaFormat format) const {
    PrintOptions options;
    options.format = format;
    options.input_names = names;
    return options;
  }
};

struct FormatCase {
  std::string_view rule;
  NodeId root;
  std::string_view infix;
  std::string_view sympy;
  std::string_view latex;
  std::string_view c;
};

TEST_SUITE("FormulaPrinter") {
  TEST_CASE("Printer: pretty rules in every format") {
    Fixture f;
    Graph& g = f.g;
    const NodeId all_functions = g.add(
        g.add(g.add(f.op(Op::Sin, f.x), f.op(Op::Cos, f.x)), g.add(f.op(Op::Tan, f.x), f.op(Op::Tanh, f.x))),
        g.add(g.add(f.op(Op::Asin, f.x), f.op(Op::Acos, f.x)),
              g.add(f.op(Op::Atan, f.x), g.add(g.exp(f.x), g.log(f.x)))));
    const std::vector<FormatCase> cases = {
        {"coefficient, power and division",
         g.mul(g.mul(f.c(2.5), g.pow(f.x1, f.c(2))), g.pow(f.x2, f.c(-1))), "2.5*x1^2/x2",
         "2.5*x1**2/x2", "\\frac{2.5 \\cdot x_{1}^{2}}{x_{2}}", "2.5*pow(x1, 2.0)/x2"},
        {"exponent -1 as division", g.mul(f.x, g.pow(f.y, f.c(-1))), "x/y", "x/y", "\\frac{x}{y}", "x/y"},
        {"exponent -2 as division", g.pow(f.x, f.c(-2)), "1/x^2", "1/x**2", "\\frac{1}{x^{2}}",
         "1.0/pow(x, 2.0)"},
        {"exponent -0.5 as division", g.pow(f.x, f.c(-0.5)), "1/sqrt(x)", "1/sqrt(x)",
         "\\frac{1}{\\sqrt{x}}", "1.0/sqrt(x)"},
        {"exponent 0.5 as sqrt", g.pow(f.x, f.c(0.5)), "sqrt(x)", "sqrt(x)", "\\sqrt{x}", "sqrt(x)"},
        {"exponent 1", g.pow(f.x, f.c(1)), "x", "x", "x", "x"},
        {"exponent 0", g.pow(f.x, f.c(0)), "x^0", "x**0", "x^{0}", "pow(x, 0.0)"},
        {"several denominator factors", g.div(f.x, g.mul(f.y, f.z)), "x/(y*z)", "x/(y*z)",
         "\\frac{x}{y \\cdot z}", "x/(y*z)"},
        {"nested division", g.div(g.div(f.a, f.b), f.z), "a/(b*z)", "a/(b*z)", "\\frac{a}{b \\cdot z}",
         "a/(b*z)"},
        {"division by a sum", g.div(f.x, g.add(f.y, f.c(1))), "x/(y + 1)", "x/(y + 1)",
         "\\frac{x}{y + 1}", "x/(y + 1.0)"},
        {"negated fraction", g.div(g.neg(f.x), f.y), "-x/y", "-x/y", "-\\frac{x}{y}", "-x/y"},
        {"subtraction of a negation", g.add(f.a, g.neg(f.b)), "a - b", "a - b", "a - b", "a - b"},
        {"subtraction of a product", g.add(f.a, g.mul(f.c(-2), f.b)), "a - 2*b", "a - 2*b",
         "a - 2 \\cdot b", "a - 2.0*b"},
        {"negative constant term", g.add(f.a, f.c(-3)), "a - 3", "a - 3", "a - 3", "a - 3.0"},
        {"coefficient -1", g.mul(f.c(-1), f.x), "-x", "-x", "-x", "-x"},
        {"all terms negative", g.add(g.neg(f.a), g.neg(f.b)), "-a - b", "-a - b", "-a - b", "-a - b"},
        {"positive term moves first", g.add(g.neg(f.a), f.b), "b - a", "b - a", "b - a", "b - a"},
        {"positive constant moves first", g.add(g.neg(f.x), f.c(1)), "1 - x", "1 - x", "1 - x",
         "1.0 - x"},
        {"negative constant stays last", g.add(g.neg(f.x), f.c(-1)), "-x - 1", "-x - 1", "-x - 1",
         "-x - 1.0"},
        {"double negation", g.neg(g.neg(f.x)), "x", "x", "x", "x"},
        {"negated factor", g.mul(g.neg(f.x), f.y), "-x*y", "-x*y", "-x \\cdot y", "-x*y"},
        {"negated sum", g.neg(g.add(f.a, f.b)), "-(a + b)", "-(a + b)", "-\\left(a + b\\right)",
         "-(a + b)"},
        {"subtracted sum", g.add(f.z, g.neg(g.add(f.a, f.b))), "z - (a + b)", "z - (a + b)",
         "z - \\left(a + b\\right)", "z - (a + b)"},
        {"signed products in a sum", g.add(g.mul(f.x, f.y), g.mul(f.c(-3), f.z)), "x*y - 3*z",
         "x*y - 3*z", "x \\cdot y - 3 \\cdot z", "x*y - 3.0*z"},
        {"negative base", g.pow(g.neg(f.x), f.c(2)), "(-x)^2", "(-x)**2", "\\left(-x\\right)^{2}",
         "pow(-x, 2.0)"},
        {"negative number base", g.pow(f.c(-2), f.x), "(-2)^x", "(-2)**x", "\\left(-2\\right)^{x}",
         "pow(-2.0, x)"},
        {"sum base", g.pow(g.add(f.x, f.c(1)), f.c(2)), "(x + 1)^2", "(x + 1)**2",
         "\\left(x + 1\\right)^{2}", "pow(x + 1.0, 2.0)"},
        {"power base", g.pow(g.pow(f.x, f.y), f.z), "(x^y)^z", "(x**y)**z", "\\left(x^{y}\\right)^{z}",
         "pow(pow(x, y), z)"},
        {"right-associative power", g.pow(f.x, g.pow(f.y, f.z)), "x^y^z", "x**y**z", "x^{y^{z}}",
         "pow(x, pow(y, z))"},
        {"negative exponent", g.pow(f.x, g.neg(f.y)), "x^-y", "x**-y", "x^{-y}", "pow(x, -y)"},
        {"product exponent", g.pow(f.x, g.mul(f.c(2), f.y)), "x^(2*y)", "x**(2*y)", "x^{2 \\cdot y}",
         "pow(x, 2.0*y)"},
        {"function base", g.pow(g.sin(f.x), f.c(2)), "sin(x)^2", "sin(x)**2", "\\sin\\left(x\\right)^{2}",
         "pow(sin(x), 2.0)"},
        {"terms ordered by text", g.add(g.add(f.z, f.y), f.x), "x + y + z", "x + y + z", "x + y + z",
         "x + y + z"},
        {"coefficient first", g.mul(g.mul(f.z, f.c(3)), g.mul(f.y, f.x)), "3*x*y*z", "3*x*y*z",
         "3 \\cdot x \\cdot y \\cdot z", "3.0*x*y*z"},
        {"constant term last", g.add(f.c(1), f.x), "x + 1", "x + 1", "x + 1", "x + 1.0"},
        {"pi factor", g.mul(g.mul(f.c(2), f.c(std::numbers::pi)), f.x), "2*pi*x", "2*pi*x",
         "2 \\cdot \\pi \\cdot x", "2.0*M_PI*x"},
        {"e factor", g.mul(f.c(std::numbers::e), f.x), "e*x", "E*x", "e \\cdot x", "M_E*x"},
        {"shortest decimals", g.add(g.mul(f.c(0.1), f.x), f.c(1.5e-5)), "0.1*x + 1.5e-05",
         "0.1*x + 1.5e-05", "0.1 \\cdot x + 1.5 \\cdot 10^{-5}", "0.1*x + 1.5e-05"},
        {"power of ten", g.mul(f.c(1e-5), f.x), "1e-05*x", "1e-05*x", "10^{-5} \\cdot x", "1e-05*x"},
        {"integer constant", f.c(3), "3", "3", "3", "3.0"},
        {"negative constant", f.c(-2.5), "-2.5", "-2.5", "-2.5", "-2.5"},
        {"fraction of numbers", g.div(f.c(3), f.c(5)), "3/5", "3/5", "\\frac{3}{5}", "3.0/5.0"},
        {"protected log", g.prot_log(f.x, 0.001), "log(max(x, 0.001))", "log(Max(x, 0.001))",
         "\\log\\max\\left(x, 0.001\\right)", "log(fmax(x, 0.001))"},
        {"protected exp", g.prot_exp(f.x, 50), "exp(min(x, 50))", "exp(Min(x, 50))",
         "\\exp\\min\\left(x, 50\\right)", "exp(fmin(x, 50.0))"},
        {"protected log, negative limit", g.prot_log(f.x, -5), "log(max(x, -5))", "log(Max(x, -5))",
         "\\log\\max\\left(x, -5\\right)", "log(fmax(x, -5.0))"},
        {"every function", all_functions,
         "acos(x) + asin(x) + atan(x) + cos(x) + exp(x) + log(x) + sin(x) + tan(x) + tanh(x)",
         "acos(x) + asin(x) + atan(x) + cos(x) + exp(x) + log(x) + sin(x) + tan(x) + tanh(x)",
         "\\arccos\\left(x\\right) + \\arcsin\\left(x\\right) + \\arctan\\left(x\\right) + "
         "\\cos\\left(x\\right) + \\exp\\left(x\\right) + \\log\\left(x\\right) + \\sin\\left(x\\right) + "
         "\\tan\\left(x\\right) + \\tanh\\left(x\\right)",
         "acos(x) + asin(x) + atan(x) + cos(x) + exp(x) + log(x) + sin(x) + tan(x) + tanh(x)"},
        {"gaussian", g.div(g.exp(g.div(g.neg(g.pow(f.theta, f.c(2))), f.c(2))),
                           g.sqrt(g.mul(f.c(2), f.c(std::numbers::pi)))),
         "exp(-theta^2/2)/sqrt(2*pi)", "exp(-theta**2/2)/sqrt(2*pi)",
         "\\frac{\\exp\\left(-\\frac{\\theta^{2}}{2}\\right)}{\\sqrt{2 \\cdot \\pi}}",
         "exp(-pow(theta, 2.0)/2.0)/sqrt(2.0*M_PI)"},
        {"subscripted names", g.mul(f.e_n, f.sigma), "E_n*sigma", "E_n*sigma", "E_{n} \\cdot \\sigma",
         "E_n*sigma"},
        {"parameter", g.mul(g.param(0), f.x), "p0*x", "p0*x", "p_{0} \\cdot x", "p0*x"},
    };
    for (const FormatCase& c : cases) {
      CAPTURE(c.rule);
      CHECK(print(g, c.root, f.options(FormulaFormat::kInfix)) == c.infix);
      CHECK(print(g, c.root, f.options(FormulaFormat::kSympy)) == c.sympy);
      CHECK(print(g, c.root, f.options(FormulaFormat::kLatex)) == c.latex);
      CHECK(print(g, c.root, f.options(FormulaFormat::kC)) == c.c);
    }
  }

  TEST_CASE("Printer: order ignores ids and hashes") {
    Graph first;
    const NodeId x = first.input(0);
    const NodeId y = first.input(1);
    const NodeId z = first.input(2);
    const NodeId first_root = first.add(first.mul(y, x), first.add(z, first.constant(3)));

    Graph second;
    second.constant(3);  // shifts the ids of everything after it
    const NodeId z2 = second.input(2);
    second.sin(z2);
    const NodeId second_root = second.add(second.add(second.constant(3), z2),
                                          second.mul(second.input(0), second.input(1)));

    PrintOptions options;
    options.input_names = {"x", "y", "z"};
    CHECK(print(first, first_root, options) == "x*y + z + 3");
    CHECK(print(second, second_root, options) == "x*y + z + 3");
  }

  TEST_CASE("Printer: flattening ignores the tree shape") {
    Graph g;
    const NodeId a = g.input(0);
    const NodeId b = g.input(1);
    const NodeId c = g.input(2);
    const NodeId d = g.input(3);
    PrintOptions options;
    options.input_names = {"a", "b", "c", "d"};
    const std::string left = print(g, g.mul(g.mul(g.mul(a, b), c), d), options);
    const std::string right = print(g, g.mul(a, g.mul(b, g.mul(c, d))), options);
    const std::string balanced = print(g, g.mul(g.mul(d, c), g.mul(b, a)), options);
    CHECK(left == "a*b*c*d");
    CHECK(right == left);
    CHECK(balanced == left);
    CHECK(print(g, g.add(g.add(d, g.add(c, b)), a), options) == "a + b + c + d");
  }

  TEST_CASE("Printer: significant digits round numbers") {
    Graph g;
    const NodeId x = g.input(0);
    PrintOptions options;
    options.significant_digits = 3;
    CHECK(print(g, g.mul(g.constant(3.14159265), x), options) == "3.14*x1");
    CHECK(print(g, g.mul(g.constant(std::numbers::pi), x), options) == "pi*x1");
    CHECK(print(g, g.add(x, g.constant(123456.0)), options) == "x1 + 1.23e+05");
    options.significant_digits = 0;
    CHECK(print(g, g.add(x, g.constant(1.0 / 3.0)), options) == "x1 + 0.3333333333333333");
  }

  TEST_CASE("Printer: missing input names default to x<j+1>") {
    Graph g;
    PrintOptions options;
    options.input_names = {"a", ""};
    CHECK(print(g, g.add(g.input(0), g.add(g.input(1), g.input(6))), options) == "a + x2 + x7");
  }

  TEST_CASE("Printer: parameter values print as numbers") {
    Graph g;
    const NodeId x = g.input(0);
    const NodeId p0 = g.param(0);
    const NodeId p1 = g.param(1);
    PrintOptions options;
    options.param_values = {2.5, -1.0};
    CHECK(print(g, g.mul(p0, x), options) == "2.5*x1");
    CHECK(print(g, g.mul(p1, x), options) == "-x1");
    CHECK(print(g, g.add(x, p1), options) == "x1 - 1");
    CHECK(print(g, g.pow(x, p1), options) == "1/x1");

    options.param_values = {2.5};
    CHECK(print_error(g, g.mul(p1, x), options) ==
          "the formula uses parameter 1, but param_values.size() is 1; give a value for every "
          "parameter");
    options.param_values = {std::numeric_limits<double>::quiet_NaN()};
    CHECK(print_error(g, g.mul(p0, x), options) ==
          "param_values[0] is nan; a printed parameter needs a finite value");
  }

  TEST_CASE("Printer: input named pi disables the constant name") {
    Graph g;
    const NodeId root = g.add(g.input(0), g.constant(std::numbers::pi));
    PrintOptions options;
    options.input_names = {"pi"};
    CHECK(print(g, root, options) == "pi + 3.141592653589793");
    // Terms sort by their infix text, where the constant is 3.14..., so it stays first.
    options.format = FormulaFormat::kSympy;
    CHECK(print(g, root, options) == "pi + pi_");
    options.input_names = {"E"};
    options.format = FormulaFormat::kInfix;
    CHECK(print(g, g.mul(g.input(0), g.constant(std::numbers::e)), options) == "E*e");
  }

  TEST_CASE("Printer: names are sanitised for sympy and C") {
    Graph g;
    PrintOptions options;
    options.input_names = {"a b", "1x", "lambda", "sin", "int", "pow", "E_n"};
    const auto name = [&](std::uint32_t column, FormulaFormat format) {
      options.format = format;
      return print(g, g.input(column), options);
    };
    CHECK(name(0, FormulaFormat::kInfix) == "a b");
    CHECK(name(0, FormulaFormat::kSympy) == "a_b");
    CHECK(name(0, FormulaFormat::kC) == "a_b");
    CHECK(name(1, FormulaFormat::kSympy) == "_1x");
    CHECK(name(1, FormulaFormat::kC) == "_1x");
    CHECK(name(2, FormulaFormat::kSympy) == "lambda_");
    CHECK(name(2, FormulaFormat::kC) == "lambda");
    CHECK(name(3, FormulaFormat::kSympy) == "sin_");
    CHECK(name(3, FormulaFormat::kC) == "sin_");
    CHECK(name(4, FormulaFormat::kSympy) == "int");
    CHECK(name(4, FormulaFormat::kC) == "int_");
    CHECK(name(5, FormulaFormat::kC) == "pow_");
    CHECK(name(6, FormulaFormat::kSympy) == "E_n");
  }

  TEST_CASE("Printer: LaTeX names") {
    Graph g;
    PrintOptions options;
    options.format = FormulaFormat::kLatex;
    options.input_names = {"theta", "E_n", "omega_0", "x1", "kb", "lambd", "rho_c_0", "a b", "g_", "Theta", "T"};
    const std::vector<std::string> expected = {
        "\\theta", "E_{n}", "\\omega_{0}", "x_{1}", "\\mathrm{kb}", "\\lambda", "\\rho_{c,0}",
        "\\text{a b}", "\\text{g\\_}", "\\Theta", "T"};
    for (std::uint32_t column = 0; column < expected.size(); ++column) {
      CAPTURE(options.input_names[column]);
      CHECK(print(g, g.input(column), options) == expected[column]);
    }
  }

  TEST_CASE("Printer: faithful mode keeps the binary structure") {
    Fixture f;
    Graph& g = f.g;
    struct Case {
      std::string_view rule;
      NodeId root;
      std::string_view expected;
    };
    const std::vector<Case> cases = {
        {"left division chain", g.div(g.div(f.a, f.b), f.z), "a/b/z"},
        {"right division", g.div(f.a, g.div(f.b, f.z)), "a/(b/z)"},
        {"division by a product", g.div(f.a, g.mul(f.b, f.b)), "a/(b*b)"},
        {"power base", g.pow(g.pow(f.x, f.y), f.z), "(x^y)^z"},
        {"power exponent", g.pow(f.x, g.pow(f.y, f.z)), "x^y^z"},
        {"negative exponent", g.pow(f.x, f.c(-1)), "x^-1"},
        {"negated exponent", g.pow(f.x, g.neg(f.y)), "x^-y"},
        {"negative base", g.pow(g.neg(f.x), f.c(2)), "(-x)^2"},
        {"negative number base", g.pow(f.c(-2), f.x), "(-2)^x"},
        {"negated power", g.neg(g.pow(f.x, f.c(2))), "-x^2"},
        {"negated number", g.neg(f.c(2)), "-(2)"},
        {"negative number", f.c(-2), "-2"},
        {"negated negative number", g.neg(f.c(-2)), "-(-2)"},
        {"double negation", g.neg(g.neg(f.x)), "-(-x)"},
        {"negated quotient", g.neg(g.div(f.x, f.y)), "-(x/y)"},
        {"subtraction", g.add(f.a, g.neg(f.b)), "a - b"},
        {"subtracted number", g.add(f.a, f.c(-2)), "a - 2"},
        {"subtracted negated number", g.add(f.a, g.neg(f.c(2))), "a - (2)"},
        {"subtracted quotient", g.add(f.a, g.neg(g.div(f.x, f.y))), "a - x/y"},
        {"subtracted sum", g.add(f.a, g.neg(g.add(f.x, f.y))), "a - (x + y)"},
        {"sqrt", g.sqrt(f.x), "sqrt(x)"},
        {"full precision", g.div(f.x, f.c(1.0 / 3.0)), "x/0.3333333333333333"},
        {"pi", g.div(f.x, f.c(std::numbers::pi)), "x/pi"},
        {"negative pi", g.div(f.x, f.c(-std::numbers::pi)), "x/(-3.141592653589793)"},
        {"protected log", g.prot_log(f.x, 0.001), "log(max(x, 0.001))"},
        {"protected exp", g.prot_exp(f.x, -5), "exp(min(x, -5))"},
        {"function", g.unary(Op::Asin, g.unary(Op::Tanh, f.x)), "asin(tanh(x))"},
    };
    PrintOptions options = f.options(FormulaFormat::kInfix);
    options.faithful = true;
    for (const Case& c : cases) {
      CAPTURE(c.rule);
      CHECK(print(g, c.root, options) == c.expected);
    }
  }

  TEST_CASE("Printer: faithful mode rejects what would not parse back") {
    Graph g;
    const NodeId root = g.add(g.input(0), g.input(1));
    PrintOptions options;
    options.faithful = true;
    options.format = FormulaFormat::kSympy;
    CHECK(print_error(g, root, options) ==
          "faithful printing supports only the infix format; set format to kInfix or faithful to false");

    options.format = FormulaFormat::kInfix;
    options.input_names = {"a b", "c"};
    CHECK(print_error(g, root, options) ==
          "input column 0 has the name 'a b', which is not an identifier ([A-Za-z_][A-Za-z0-9_]*), "
          "so faithful output would not parse back; rename the column");

    options.input_names = {"c", "c"};
    CHECK(print_error(g, root, options) ==
          "input columns 0 and 1 both print as 'c', so faithful output would not parse back; give "
          "them distinct names");
  }

  TEST_CASE("Printer: large expansions are rejected") {
    Graph g;
    NodeId doubled = g.input(0);
    for (int k = 0; k < 40; ++k) doubled = g.add(doubled, g.sin(doubled));
    PrintOptions options;
    const std::string pretty = print_error(g, doubled, options);
    CHECK(pretty.find("formula too large to print: its expanded tree has ") == 0);
    CHECK(pretty.find(" nodes, more than 4 * max_nodes (400000)") != std::string::npos);
    options.faithful = true;
    const std::string faithful = print_error(g, doubled, options);
    CHECK(faithful.find("formula too large to print: its expanded tree has ") == 0);
    CHECK(faithful.find(" nodes, more than max_nodes (100000)") != std::string::npos);

    // 2.5*x1^2/x2 prints 7 nodes from an expanded tree of 9.
    const NodeId small = g.mul(g.mul(g.constant(2.5), g.pow(g.input(0), g.constant(2))),
                               g.pow(g.input(1), g.constant(-1)));
    options.faithful = false;
    options.max_nodes = 7;
    CHECK(print(g, small, options) == "2.5*x1^2/x2");
    options.max_nodes = 6;
    CHECK(print_error(g, small, options) ==
          "formula too large to print: the printed formula has 7 nodes, more than max_nodes (6)");
    options.faithful = true;
    options.max_nodes = 9;
    CHECK(print_formula(g, small, options).ok());
    options.max_nodes = 8;
    CHECK(print_error(g, small, options) ==
          "formula too large to print: its expanded tree has 9 nodes, more than max_nodes (8)");

    // log(max(x1, 1)) prints 4 nodes from an expanded tree of 2.
    options.faithful = false;
    options.max_nodes = 3;
    CHECK(print_error(g, g.prot_log(g.input(0), 1.0), options) ==
          "formula too large to print: the printed formula has 4 nodes, more than max_nodes (3)");

    // A product of 2^20 factors 1 prints as 1, but printing it would walk the whole tree.
    NodeId ones = g.constant(1.0);
    for (int k = 0; k < 20; ++k) ones = g.mul(ones, ones);
    CHECK(formula_complexity(g, ones) == 1);
    options.max_nodes = 100000;
    CHECK(print_error(g, ones, options) ==
          "formula too large to print: its expanded tree has 2097151 nodes, more than 4 * max_nodes "
          "(400000)");
  }

  TEST_CASE("Printer: invalid options are rejected") {
    Graph g;
    const NodeId x = g.input(0);
    PrintOptions options;
    CHECK(print_error(g, 5, options) == "root 5 is not a node of the graph (graph size 1)");
    options.significant_digits = -1;
    CHECK(print_error(g, x, options) ==
          "significant_digits is -1; expected 0 (shortest round-trip text) to 17");
    options.significant_digits = 18;
    CHECK(print_error(g, x, options) ==
          "significant_digits is 18; expected 0 (shortest round-trip text) to 17");
  }

  TEST_CASE("Printer: deep chains print without recursion") {
    Graph g;
    NodeId chain = g.input(0);
    constexpr int kDepth = 200000;
    for (int k = 0; k < kDepth; ++k) chain = g.sin(chain);
    PrintOptions options;
    options.max_nodes = kDepth + 1;
    const std::string pretty = print(g, chain, options);
    CHECK(pretty.size() == 5 * kDepth + 2);
    CHECK(pretty.substr(0, 8) == "sin(sin(");
    options.faithful = true;
    CHECK(print(g, chain, options) == pretty);
    CHECK(formula_complexity(g, chain) == kDepth + 1);
  }

  TEST_CASE("Complexity: counts printed nodes") {
    Fixture f;
    Graph& g = f.g;
    CHECK(formula_complexity(g, g.mul(g.mul(f.c(2.5), g.pow(f.x1, f.c(2))), g.pow(f.x2, f.c(-1)))) == 7);
    CHECK(formula_complexity(g, g.add(f.a, g.mul(f.c(-2), f.b))) == 5);  // a - 2*b
    CHECK(formula_complexity(g, g.add(g.neg(f.a), g.neg(f.b))) == 4);    // -a - b
    CHECK(formula_complexity(g, g.neg(f.x)) == 2);
    CHECK(formula_complexity(g, f.x) == 1);
    CHECK(formula_complexity(g, f.c(-2)) == 2);
    CHECK(formula_complexity(g, g.pow(f.x, f.c(-2))) == 5);      // 1/x^2
    CHECK(formula_complexity(g, g.pow(f.x, f.c(0.5))) == 2);     // sqrt(x)
    CHECK(formula_complexity(g, g.mul(f.c(1), f.x)) == 1);       // x
    CHECK(formula_complexity(g, g.prot_log(f.x, 0.001)) == 4);   // log(max(x, 0.001))
    CHECK(formula_complexity(g, g.prot_exp(f.x, -5)) == 5);      // exp(min(x, -5))
  }

  TEST_CASE("Complexity: saturates on huge expansions") {
    Graph g;
    NodeId doubled = g.input(0);
    for (int k = 0; k < 70; ++k) doubled = g.mul(doubled, g.sin(doubled));
    CHECK(formula_complexity(g, doubled) == std::numeric_limits<std::uint64_t>::max());
  }

  TEST_CASE("Complexity: equals tokens of the pretty text") {
    std::mt19937_64 random(20240611);
    PrintOptions options;
    int compared = 0;
    for (int trial = 0; trial < 3000; ++trial) {
      Graph g;
      const NodeId root = testing::random_formula(g, random, 1 + trial % 14, 3, 2);
      const absl::StatusOr<std::string> text = print_formula(g, root, options);
      if (!text.ok()) continue;  // expands past max_nodes
      CAPTURE(*text);
      CHECK(formula_complexity(g, root) == count_tokens(*text));
      ++compared;
    }
    CHECK(compared > 2900);
  }
}

}  // namespace
}  // namespace lies::io
