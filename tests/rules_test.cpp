// Tests of the rule table: every rule on one input, its agreement at 50 decimal digits, and the
// checks that make_rule applies.
#include "simplify/rules.hpp"

#include <doctest/doctest.h>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <charconv>
#include <cmath>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"
#include "engine/random.hpp"
#include "io/formula_parser.hpp"
#include "io/formula_printer.hpp"
#include "simplify/rewriter.hpp"

namespace lies::simplify {
namespace {

using engine::Graph;
using engine::NodeId;
using Float50 = boost::multiprecision::cpp_bin_float_50;

// Shortest text that reads back as `value`.
std::string number(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// The values x, y and z take in a case: all positive (and declared positive to the guards), all
// negative, or either sign.
enum class Inputs { kPositive, kNegative, kAnySign };

// Agreement of the two sides at 50 digits, relative to max(|value|, 1) so that values near a
// zero of the function compare absolutely. Exact rules agree to the working precision. Rules
// that compute a constant in double, or read pi/2 as a double, agree to its rounding. The
// rounding rule changes a constant by up to the round-off tolerance.
constexpr double kExact = 1e-40;
constexpr double kDoubleRounding = 1e-15;
constexpr double kRoundoff = 1e-10;

struct RuleCase {
  const char* rule;
  std::string input;
  std::string expected;
  Inputs inputs = Inputs::kPositive;
  double tolerance = kExact;
};

std::vector<RuleCase> rule_cases() {
  const double pi = std::numbers::pi;
  return {
      {"fold a function of a constant", "sqrt(4)*x + exp(0)", "2*x + 1", Inputs::kAnySign},
      {"fold a function of a constant", "log(10) + x", number(std::log(10.0)) + " + x",
       Inputs::kAnySign, kDoubleRounding},
      {"fold an operation on constants", "x + 2*3 + 2^3", "x + 6 + 8", Inputs::kAnySign},
      {"fold an operation on constants", "x/(1/3)", "x/" + number(1.0 / 3.0), Inputs::kAnySign,
       kDoubleRounding},
      {"add zero", "sin(x + 0)", "sin(x)", Inputs::kAnySign},
      {"multiply by one", "1*x + y", "x + y", Inputs::kAnySign},
      {"multiply by zero", "y + x*0", "y + 0", Inputs::kAnySign},
      {"divide by one", "x/1", "x", Inputs::kAnySign},
      {"power of one", "x^1*y", "x*y", Inputs::kAnySign},
      {"power of zero", "y + x^0", "y + 1", Inputs::kAnySign},
      {"double negation", "-(-x)", "x", Inputs::kAnySign},
      {"exp of log", "exp(log(x + y))", "x + y"},
      {"log of exp", "log(exp(x))", "x", Inputs::kAnySign},
      {"exp of a sum with a constant", "exp(x + 2)", number(std::exp(2.0)) + "*exp(x)",
       Inputs::kAnySign, kDoubleRounding},
      {"exp of a sum with a log", "exp(x + log(y))", "y*exp(x)"},
      {"exp of a sum with a log multiple", "exp(x + 2*log(y))", "y^2*exp(x)"},
      {"exp of a sum with a log multiple", "exp(x + -0.5*log(y) + z)", "y^-0.5*exp(x + z)"},
      {"exp of a log multiple", "exp(1.5*log(x))", "x^1.5"},
      {"log of a power", "log(x^2.5)", "2.5*log(x)"},
      {"log of a product", "log(x*y)", "log(x) + log(y)"},
      {"product of powers", "x^2*x^3", "x^(2 + 3)", Inputs::kAnySign},
      {"power times its base", "x*x^2", "x^(2 + 1)", Inputs::kAnySign},
      {"square", "x*x", "x^2", Inputs::kAnySign},
      {"power of a power", "(x^2)^3", "x^(2*3)", Inputs::kAnySign},
      {"power of a power", "(x^3)^(1/3)", "x^(3*(1/3))", Inputs::kAnySign},
      {"power of a power", "(x^2)^0.5", "x^(2*0.5)"},
      {"power of a product", "(x*y)^2.5", "x^2.5*y^2.5"},
      {"power of a product", "(x*y)^2", "x^2*y^2", Inputs::kAnySign},
      {"sin of a negation", "sin(-x)", "-sin(x)", Inputs::kAnySign},
      {"sin of a negative multiple", "sin(-2*x)", "-sin(2*x)", Inputs::kAnySign},
      {"cos of a negation", "cos(-x)", "cos(x)", Inputs::kAnySign},
      {"cos of a negative multiple", "cos(-3*x)", "cos(3*x)", Inputs::kAnySign},
      {"sin of pi/2 minus", "sin(" + number(pi / 2) + " - x)", "cos(x)", Inputs::kAnySign,
       kDoubleRounding},
      {"sin of pi minus", "sin(" + number(pi) + " - x)", "sin(x)", Inputs::kAnySign,
       kDoubleRounding},
      {"sin shifted by a quarter turn", "sin(x + " + number(pi / 2) + ")", "cos(x)",
       Inputs::kAnySign, kDoubleRounding},
      {"sin shifted by a quarter turn", "sin(x - " + number(3 * pi / 2) + ")", "cos(x)",
       Inputs::kAnySign, kDoubleRounding},
      {"sin shifted by a half turn", "sin(x + " + number(pi) + ")", "-sin(x)", Inputs::kAnySign,
       kDoubleRounding},
      {"sin shifted by three quarter turns", "sin(x + " + number(3 * pi / 2) + ")", "-cos(x)",
       Inputs::kAnySign, kDoubleRounding},
      {"sin shifted by whole turns", "sin(x + " + number(4 * pi) + ")", "sin(x)",
       Inputs::kAnySign, kDoubleRounding},
      {"cos shifted by a quarter turn", "cos(x + " + number(pi / 2) + ")", "-sin(x)",
       Inputs::kAnySign, kDoubleRounding},
      {"cos shifted by a half turn", "cos(x - " + number(pi) + ")", "-cos(x)", Inputs::kAnySign,
       kDoubleRounding},
      {"cos shifted by three quarter turns", "cos(x + " + number(3 * pi / 2) + ")", "sin(x)",
       Inputs::kAnySign, kDoubleRounding},
      {"cos shifted by whole turns", "cos(x + " + number(2 * pi) + ")", "cos(x)",
       Inputs::kAnySign, kDoubleRounding},
      {"round to a simple value", "x^1.9999999999999996", "x^2", Inputs::kAnySign, kRoundoff},
      {"round to a simple value", "0.33333333333333326*x", number(1.0 / 3.0) + "*x",
       Inputs::kAnySign, kRoundoff},
      {"multiple of pi", number(2 * pi) + "*x", "2*pi/1*x", Inputs::kAnySign, kDoubleRounding},
      {"multiple of pi", "x + " + number(-pi / 2), "x + -1*pi/2", Inputs::kAnySign,
       kDoubleRounding},
      {"multiple of 1/pi", number(1 / (4 * pi)) + "*x", "1/(4*pi)*x", Inputs::kAnySign,
       kDoubleRounding},
      {"multiple of e", "x + " + number(3 * std::numbers::e), "x + 3*e/1", Inputs::kAnySign,
       kDoubleRounding},
      {"multiple of sqrt(2)", number(std::numbers::sqrt2 / 2) + "*x", "1*sqrt(2)/2*x",
       Inputs::kAnySign, kDoubleRounding},
  };
}

const Rule& find_rule(const std::string& name) {
  for (const Rule& rule : rule_table()) {
    if (rule.name == name) return rule;
  }
  FAIL("no rule named '" << name << "'");
  return rule_table().front();
}

NodeId parse(Graph& graph, const std::string& text) {
  std::vector<std::string> variables = {"x", "y", "z"};
  io::ParseOptions options;
  options.variables = &variables;
  const auto root = io::parse_formula(text, graph, options);
  REQUIRE_MESSAGE(root.ok(), text, ": ", root.status().message());
  return *root;
}

std::string print(const Graph& graph, NodeId root) {
  io::PrintOptions options;
  options.input_names = {"x", "y", "z"};
  options.faithful = true;
  return print_formula(graph, root, options).value_or("(unprintable)");
}

DomainFacts facts_for(Inputs inputs) {
  if (inputs == Inputs::kPositive) return {{true, true, true}};
  return {};
}

// Applies `rule` alone in one bottom-up pass, without the canonical pass. The result lives in
// `graph`.
RewriteResult apply_rule(Graph& graph, NodeId root, const Rule& rule, const DomainFacts& facts,
                         const autodiff::Columns* data = nullptr) {
  RewriteOptions options;
  options.rules = std::span(&rule, 1);
  options.stage = rule.stages;
  options.normal_form = false;
  options.facts = facts;
  options.data = data;
  options.roundoff = kRoundoff;
  options.limits.max_rounds = 1;
  return rewrite(graph, root, graph, options);
}

// 64 points with x, y, z drawn from the range of `inputs`.
std::vector<std::vector<Float50>> random_points(Inputs inputs, std::uint64_t seed) {
  engine::Rng rng(seed);
  std::vector<std::vector<Float50>> columns(3);
  for (int r = 0; r < 64; ++r) {
    for (auto& column : columns) {
      double v = rng.uniform(0.3, 3.0);
      if (inputs == Inputs::kNegative) v = -v;
      if (inputs == Inputs::kAnySign && rng.uniform() < 0.5) v = -v;
      column.push_back(Float50(v));
    }
  }
  return columns;
}

std::vector<Float50> evaluate50(const Graph& graph, NodeId root,
                                const std::vector<std::vector<Float50>>& columns) {
  const NodeId roots[] = {root};
  const auto program = autodiff::Program::compile(graph, roots, 3, 0);
  autodiff::BasicColumns<Float50> view;
  for (const auto& column : columns) view.data.push_back(column.data());
  view.rows = columns.front().size();
  return autodiff::evaluate_rows<Float50>(program, view, {});
}

TEST_SUITE("Rules") {
  TEST_CASE("Rules: every rule in the table builds") {
    for (const RuleSpec& spec : rule_specs()) {
      INFO(spec.name);
      const auto rule = make_rule(spec);
      CHECK_MESSAGE(rule.ok(), rule.status().message());
    }
    CHECK(rule_table().size() == rule_specs().size());
  }

  TEST_CASE("Rules: rule names are unique") {
    std::set<std::string> names;
    for (const Rule& rule : rule_table()) {
      INFO(rule.name);
      CHECK(names.insert(rule.name).second);
    }
  }

  TEST_CASE("Rules: every rule has a case") {
    std::set<std::string> covered;
    for (const RuleCase& c : rule_cases()) covered.insert(c.rule);
    for (const Rule& rule : rule_table()) {
      INFO(rule.name);
      CHECK(covered.count(rule.name) == 1);
    }
  }

  TEST_CASE("Rules: each rule rewrites its case") {
    for (const RuleCase& c : rule_cases()) {
      INFO(c.rule << ": " << c.input << " => " << c.expected);
      Graph graph;
      const NodeId input = parse(graph, c.input);
      const RewriteResult result = apply_rule(graph, input, find_rule(c.rule), facts_for(c.inputs));
      const NodeId expected = parse(graph, c.expected);
      CHECK_MESSAGE(result.root == expected, "got ", print(graph, result.root));
      REQUIRE(result.report.fired.size() == 1);
      CHECK(result.report.fired[0].rule == c.rule);
    }
  }

  TEST_CASE("Rules: both sides agree at 50 digits") {
    std::uint64_t seed = 1;
    for (const RuleCase& c : rule_cases()) {
      INFO(c.rule << ": " << c.input);
      Graph graph;
      const NodeId input = parse(graph, c.input);
      const NodeId output =
          apply_rule(graph, input, find_rule(c.rule), facts_for(c.inputs)).root;
      REQUIRE(output != input);
      const auto points = random_points(c.inputs, seed++);
      const std::vector<Float50> before = evaluate50(graph, input, points);
      const std::vector<Float50> after = evaluate50(graph, output, points);
      int compared = 0;
      for (std::size_t r = 0; r < before.size(); ++r) {
        if (!boost::multiprecision::isfinite(before[r])) continue;
        ++compared;
        const Float50 scale = std::max(abs(before[r]), Float50(1));
        const Float50 difference = abs(after[r] - before[r]) / scale;
        INFO("row " << r << ": " << before[r] << " vs " << after[r]);
        CHECK(difference.convert_to<double>() <= c.tolerance);
      }
      CHECK(compared >= 16);
    }
  }

  TEST_CASE("Rules: guards keep unsafe rewrites out") {
    struct Case {
      const char* rule;
      const char* input;
      Inputs inputs;
    };
    const Case cases[] = {
        {"exp of log", "exp(log(x))", Inputs::kAnySign},
        {"log of a power", "log(x^2)", Inputs::kAnySign},
        {"log of a product", "log(x*y)", Inputs::kAnySign},
        {"power of a power", "(x^2)^0.5", Inputs::kAnySign},
        {"power of a product", "(x*y)^0.5", Inputs::kAnySign},
        {"sin of a negative multiple", "sin(2*x)", Inputs::kAnySign},
        {"sin shifted by a quarter turn", "sin(x + 1.5)", Inputs::kAnySign},
        {"fold a function of a constant", "log(-1) + x", Inputs::kAnySign},
        {"fold an operation on constants", "x + 1/0", Inputs::kAnySign},
        {"round to a simple value", "x^1.9999", Inputs::kAnySign},
        {"multiple of pi", "3.14*x", Inputs::kAnySign},
        {"multiple of pi", "3.141592653589793*x", Inputs::kAnySign},
    };
    for (const Case& c : cases) {
      INFO(c.rule << ": " << c.input);
      Graph graph;
      const NodeId input = parse(graph, c.input);
      const RewriteResult result = apply_rule(graph, input, find_rule(c.rule), facts_for(c.inputs));
      CHECK(result.root == input);
      CHECK(result.report.fired.empty());
    }
  }

  TEST_CASE("Rules: sign guards use the data") {
    Graph graph;
    const NodeId input = parse(graph, "log(x*y)");
    const NodeId expected = parse(graph, "log(x) + log(y)");
    std::vector<double> x = {0.5, 1.0, 2.0}, y = {3.0, 0.1, 7.0}, z = {1.0, 1.0, 1.0};
    const autodiff::Columns positive{{x.data(), y.data(), z.data()}, 3};
    const Rule& rule = find_rule("log of a product");

    CHECK(apply_rule(graph, input, rule, {}).root == input);
    CHECK(apply_rule(graph, input, rule, {}, &positive).root == expected);

    y[1] = -0.1;
    CHECK(apply_rule(graph, input, rule, {}, &positive).root == input);
  }

  TEST_CASE("Rules: unbound variable is rejected") {
    const auto right = make_rule({"bad", "exp(u)", "w * u", ""});
    REQUIRE_FALSE(right.ok());
    CHECK(right.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(right.status().message()) ==
          "rule 'bad': right side: the variable 'w' at column 1 is not bound by the left side");

    const auto guard = make_rule({"bad guard", "exp(u)", "u", "v > 0"});
    REQUIRE_FALSE(guard.ok());
    CHECK(std::string(guard.status().message()).find("guard: the variable 'v'") != std::string::npos);

    const auto op = make_rule({"bad op", "f(u)", "g(u)", ""});
    REQUIRE_FALSE(op.ok());
    CHECK(std::string(op.status().message()).find("the op variable 'g'") != std::string::npos);
  }

  TEST_CASE("Rules: malformed rules are rejected") {
    struct Case {
      RuleSpec spec;
      const char* message;
    };
    const Case cases[] = {
        {{"number", "2*pi", "u", ""}, "is a number"},
        {{"fold left", "fold(u)", "u", ""}, "computes a number and cannot match a node"},
        {{"snap in guard", "u", "u", "snap(u) > 0"}, "is for the right side only"},
        {{"open", "exp(u", "u", ""}, "expected ',' or ')'"},
        {{"trailing", "u + v)", "u", ""}, "unexpected ')' at column 6"},
        {{"character", "u # v", "u", ""}, "unexpected character '#' at column 3"},
        {{"arity", "f(u) + f(u, v)", "u", ""}, "used with 2 arguments here and 1 elsewhere"},
        {{"guard word", "exp(u)", "u", "u positive"}, "expected a comparison or a property"},
        {{"guard not", "exp(u)", "u", "u not odd"}, "expected 'even' after 'not'"},
        {{"guard mod", "exp(u)", "u", "u mod 2 3"}, "expected '=' after the modulus"},
        {{"constant of sum", "exp(u + v)", "u", "u + v constant"}, "needs a variable before it"},
        {{"stages", "exp(u)", "u", "", 0}, "stages is 0"},
    };
    for (const Case& c : cases) {
      INFO(c.spec.name);
      const auto rule = make_rule(c.spec);
      REQUIRE_FALSE(rule.ok());
      CHECK(std::string(rule.status().message()).find(c.message) != std::string::npos);
      CHECK(std::string(rule.status().message()).find(std::string(c.spec.name)) != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace lies::simplify
