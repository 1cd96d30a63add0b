// Tests of verify/: the symbolic-solution check, accuracy in double and 50 digits, data
// generation and the equation table reader.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include "io/formula_parser.hpp"
#include "random_formula.hpp"
#include "verify/accuracy.hpp"
#include "verify/equation_table.hpp"
#include "verify/generate.hpp"
#include "verify/solution.hpp"

namespace lies::verify {
namespace {

using engine::Graph;
using engine::NodeId;

// The directory of the public benchmark tables, which the repository does not ship, from
// the environment variable LIES_SHARED_DATA. Empty when it is not set: then the suites that
// read the tables skip.
std::filesystem::path shared_data_dir() {
  const char* dir = std::getenv("LIES_SHARED_DATA");
  return dir != nullptr ? dir : "";
}

// Whether `actual` is within `tolerance` of `expected`, relative to max(1, |expected|).
bool near(const Float100& actual, double expected, double tolerance) {
  const Float100 error = abs(actual - Float100(expected));
  return error <= Float100(tolerance) * std::max(1.0, std::abs(expected));
}

NodeId parse(std::string_view text, Graph& graph, std::vector<std::string>& variables) {
  io::ParseOptions options;
  options.variables = &variables;
  const absl::StatusOr<NodeId> root = io::parse_formula(text, graph, options);
  REQUIRE_MESSAGE(root.ok(), text, ": ", root.status().message());
  return *root;
}

engine::Dataset table(std::vector<std::string> names, std::vector<std::vector<double>> columns) {
  engine::Dataset data;
  data.source = "test table";
  data.names = std::move(names);
  data.columns = std::move(columns);
  return data;
}

struct SolutionCase {
  const char* truth;
  const char* formula;
  std::vector<VariableRange> ranges;
  Verdict verdict;
  Relation relation;  // checked for solutions only
  double constant;    // checked for solutions only
};

const std::vector<VariableRange> kX1To5 = {{"x", 1, 5}};
const std::vector<VariableRange> kXMinus3To3 = {{"x", -3, 3}};
const std::vector<VariableRange> kXMinus1To1 = {{"x", -1, 1}};
const std::vector<VariableRange> kX1To20 = {{"x", 1, 20}};
const std::vector<VariableRange> kXY = {{"x", 1, 5}, {"y", 0.5, 2}};

TEST_SUITE("Verify") {
  TEST_CASE("Solution: table of formula pairs") {
    constexpr Verdict kYes = Verdict::kSolution;
    constexpr Verdict kNo = Verdict::kNotSolution;
    constexpr Relation kDiff = Relation::kDifference;
    constexpr Relation kRatio = Relation::kRatio;
    const double pi = std::numbers::pi;
    const SolutionCase cases[] = {
        {"x", "x", kX1To5, kYes, kDiff, 0.0},
        // A constant offset and a constant factor.
        {"x^2 + 3", "x^2", kX1To5, kYes, kDiff, 3.0},
        {"3*x^2", "x^2", kX1To5, kYes, kRatio, 3.0},
        {"pi*x^2", "x^2", kX1To5, kYes, kRatio, pi},
        {"exp(x + 2)", "exp(x)", kX1To5, kYes, kRatio, std::exp(2.0)},
        {"log(2*x)", "log(x)", kX1To5, kYes, kDiff, std::log(2.0)},
        {"x - 3", "x - 3.0000000001", kX1To5, kYes, kDiff, 1e-10},
        {"1e-20*x", "x", kX1To5, kYes, kRatio, 1e-20},
        {"exp(-x^2/2)/sqrt(2*pi)", "exp(-x^2/2)", kXMinus3To3, kYes, kRatio, 1 / std::sqrt(2 * pi)},
        // Different spellings of the same function, with pi rounded to a double.
        {"sin(x + pi/2)", "cos(x)", kXMinus3To3, kYes, kDiff, 0.0},
        {"sin(x)", "cos(x - pi/2)", kXMinus1To1, kYes, kDiff, 0.0},
        {"acos(x)", "pi/2 - asin(x)", kXMinus1To1, kYes, kDiff, 0.0},
        {"arcsin(x)", "atan(x/sqrt(1 - x^2))", {{"x", -0.9, 0.9}}, kYes, kDiff, 0.0},
        {"pi*x", "3.141592653589793*x", kX1To5, kYes, kDiff, 0.0},
        {"(x + 1)^2", "x^2 + 2*x + 1", kXMinus3To3, kYes, kDiff, 0.0},
        {"1/2*x*y^2", "x*y**2/2", kXY, kYes, kDiff, 0.0},
        {"x/y", "x*y^-1", kXY, kYes, kDiff, 0.0},
        {"tan(x)", "sin(x)/cos(x)", kXMinus1To1, kYes, kDiff, 0.0},
        {"tanh(x)", "(exp(2*x) - 1)/(exp(2*x) + 1)", kXMinus3To3, kYes, kDiff, 0.0},
        {"sin(x)^2 + cos(x)^2", "1", kXMinus3To3, kYes, kDiff, 0.0},
        {"x^(1/3)", "x^0.3333333333333333", kX1To5, kYes, kDiff, 0.0},
        {"exp(1.5*log(x))", "x^1.5", kX1To5, kYes, kDiff, 0.0},
        {"(x + 1e8) - 1e8", "x", kX1To5, kYes, kDiff, 0.0},
        {"sqrt(x^2)", "x", kX1To5, kYes, kDiff, 0.0},
        // Nearly constant factors and offsets, and other near misses.
        {"x*(1 + 1e-9*x)", "x", kX1To5, kNo, kDiff, 0.0},
        {"x*(1 + 1e-9*x)", "x", {{"x", 0, 1}}, kNo, kDiff, 0.0},
        {"exp(x)*(1 + 1e-9*x)", "exp(x)", kX1To20, kNo, kDiff, 0.0},
        {"x^2 + 1e-9*x", "x^2", kX1To5, kNo, kDiff, 0.0},
        {"x^(1/3)", "x^0.333333", kX1To5, kNo, kDiff, 0.0},
        {"sin(x + 1.5708)", "cos(x)", kXMinus3To3, kNo, kDiff, 0.0},
        {"sqrt(x^2)", "x", kXMinus3To3, kNo, kDiff, 0.0},
        {"cos(x)", "sin(x)", kXMinus3To3, kNo, kDiff, 0.0},
        {"x + y", "x - y", kXY, kNo, kDiff, 0.0},
        {"2*x + 3*y", "2.0000001*x + 3*y", kXY, kNo, kDiff, 0.0},
        // A zero truth has no non-zero ratio, and a zero formula no ratio at all.
        {"0", "x", kX1To5, kNo, kDiff, 0.0},
        {"x", "0*x", kX1To5, kNo, kDiff, 0.0},
    };
    for (const SolutionCase& c : cases) {
      CAPTURE(c.truth);
      CAPTURE(c.formula);
      const absl::StatusOr<SolutionCheck> check = check_solution(c.truth, c.formula, c.ranges, {});
      REQUIRE_MESSAGE(check.ok(), check.status().message());
      CAPTURE(check->difference_spread);
      CAPTURE(check->ratio_spread);
      CHECK(check->verdict == c.verdict);
      CHECK(check->valid_points == 200);
      if (c.verdict != Verdict::kSolution) continue;
      CHECK(check->relation == c.relation);
      CHECK(near(check->constant, c.constant, 1e-12));
    }
  }

  TEST_CASE("Solution: reports tolerance and spreads") {
    SolutionOptions options;
    options.tolerance = 1e-6;
    options.points = 50;
    const absl::StatusOr<SolutionCheck> loose =
        check_solution("x*(1 + 1e-9*x)", "x", kX1To5, options);
    REQUIRE(loose.ok());
    CHECK(loose->tolerance == 1e-6);
    CHECK(loose->points == 50);
    CHECK(loose->verdict == Verdict::kSolution);
    // Both tests pass at this tolerance, and the difference test comes first.
    CHECK(loose->relation == Relation::kDifference);
    CHECK(loose->difference_spread > 1e-10);
    CHECK(loose->difference_spread < 1e-8);
    CHECK(loose->ratio_spread > 1e-10);
    CHECK(loose->ratio_spread < 1e-8);

    const absl::StatusOr<SolutionCheck> strict = check_solution("x*(1 + 1e-9*x)", "x", kX1To5, {});
    REQUIRE(strict.ok());
    CHECK(strict->tolerance == 1e-12);
    CHECK(strict->verdict == Verdict::kNotSolution);
  }

  TEST_CASE("Solution: same seed same result") {
    SolutionOptions options;
    options.seed = 42;
    const absl::StatusOr<SolutionCheck> first =
        check_solution("sin(x + pi/2)", "cos(x)", kXMinus3To3, options);
    const absl::StatusOr<SolutionCheck> second =
        check_solution("sin(x + pi/2)", "cos(x)", kXMinus3To3, options);
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK(first->constant == second->constant);
    CHECK(first->difference_spread == second->difference_spread);
  }

  TEST_CASE("Solution: non-finite points are skipped") {
    // sqrt(x) is NaN for x < 0: three quarters of [-3, 1] leave too few valid points.
    const std::vector<VariableRange> mostly_negative = {{"x", -3, 1}};
    absl::StatusOr<SolutionCheck> check = check_solution("sqrt(x)", "sqrt(x)", mostly_negative, {});
    REQUIRE(check.ok());
    CHECK(check->verdict == Verdict::kUndecided);
    CHECK(check->truth_not_finite > 100);
    CHECK(check->formula_not_finite == check->truth_not_finite);
    CHECK(check->valid_points + check->truth_not_finite == 200);

    // A quarter of [-1, 3] is skipped, which still leaves enough points.
    const std::vector<VariableRange> mostly_positive = {{"x", -1, 3}};
    check = check_solution("2*sqrt(x)", "sqrt(x)", mostly_positive, {});
    REQUIRE(check.ok());
    CHECK(check->verdict == Verdict::kSolution);
    CHECK(check->formula_not_finite > 20);
    CHECK(check->valid_points + check->formula_not_finite == 200);

    // The formula alone undefined where the truth is defined.
    check = check_solution("x", "log(x)", mostly_negative, {});
    REQUIRE(check.ok());
    CHECK(check->truth_not_finite == 0);
    CHECK(check->formula_not_finite > 100);
    CHECK(check->verdict == Verdict::kUndecided);
  }

  TEST_CASE("Solution: bad input is rejected") {
    struct Case {
      const char* truth;
      const char* formula;
      std::vector<VariableRange> ranges;
      const char* message;
    };
    const Case cases[] = {
        {"x", "x*q", kX1To5, "formula: unknown variable 'q' at column 3 (known: x)"},
        {"x +", "x", kX1To5, "truth: expected an expression after '+' at column 3"},
        {"x",
         "x",
         {{"x", 5, 1}},
         "the range of 'x' is [5, 1], whose low end is above its high end"},
        {"x", "x", {{"x", 1, INFINITY}}, "the range of 'x' is [1, inf]; both ends must be finite"},
        {"x", "x", {{"x", 1, 2}, {"x", 1, 3}}, "variable 'x' has two ranges"},
        {"x", "x", {{"", 1, 2}}, "a variable range has an empty name"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.message);
      const absl::StatusOr<SolutionCheck> check = check_solution(c.truth, c.formula, c.ranges, {});
      REQUIRE(!check.ok());
      CHECK(check.status().code() == absl::StatusCode::kInvalidArgument);
      CHECK(std::string(check.status().message()).find(c.message) == 0);
    }

    SolutionOptions options;
    options.points = 5;
    absl::StatusOr<SolutionCheck> check = check_solution("x", "x", kX1To5, options);
    REQUIRE(!check.ok());
    CHECK(check.status().message() == "points is 5; use 10 to 1000000");
    options = {};
    options.tolerance = -1;
    check = check_solution("x", "x", kX1To5, options);
    REQUIRE(!check.ok());
    CHECK(check.status().message() == "tolerance is -1; use a value from 0 to 1");

    Graph graph;
    const NodeId param = graph.mul(graph.param(0), graph.input(0));
    check = check_solution(graph, graph.input(0), graph, param, kX1To5, {});
    REQUIRE(!check.ok());
    CHECK(check.status().message() ==
          "formula: contains parameter p0; give every parameter a value first");
    check = check_solution(graph, graph.input(1), graph, graph.input(0), kX1To5, {});
    REQUIRE(!check.ok());
    CHECK(check.status().message() == "truth: reads input 1, but only 1 variables are given");
  }

  TEST_CASE("Solution: Feynman equations verify themselves") {
    const std::filesystem::path path = shared_data_dir() / "feynman" / "FeynmanEquations.csv";
    if (shared_data_dir().empty()) {
      MESSAGE("skipped: set LIES_SHARED_DATA to the directory of the benchmark tables");
      return;
    }
    REQUIRE_MESSAGE(std::filesystem::exists(path), path.string(), " not found");
    const absl::StatusOr<std::vector<Equation>> equations = read_equation_table(path.string());
    REQUIRE(equations.ok());
    REQUIRE(equations->size() == 100);
    SolutionOptions options;
    options.points = 25;
    for (const Equation& equation : *equations) {
      CAPTURE(equation.name);
      REQUIRE(equation.error.empty());
      const std::string truth = equation.formula;
      const std::string& first = equation.variables.front().name;
      const std::string offset = "(" + truth + ") + 5";
      const std::string scaled = "3*(" + truth + ")";
      const std::string nearly_scaled = "(" + truth + ")*(1 + 1e-6*" + first + ")";
      const std::pair<std::string, Verdict> formulas[] = {{truth, Verdict::kSolution},
                                                          {offset, Verdict::kSolution},
                                                          {scaled, Verdict::kSolution},
                                                          {nearly_scaled, Verdict::kNotSolution}};
      for (const auto& [formula, verdict] : formulas) {
        CAPTURE(formula);
        const absl::StatusOr<SolutionCheck> check =
            check_solution(truth, formula, equation.variables, options);
        REQUIRE_MESSAGE(check.ok(), check.status().message());
        CHECK(check->verdict == verdict);
      }
    }
  }

  TEST_CASE("Accuracy: exact formula in both precisions") {
    std::vector<double> x, y;
    for (int r = 1; r <= 50; ++r) {
      x.push_back(0.1 * r);
      y.push_back(std::sin(0.1 * r) + 0.5);
    }
    const engine::Dataset data = table({"x", "y"}, {x, y});
    const absl::StatusOr<AccuracyReport> report = measure_formula("sin(x) + 1/2", data, "y");
    REQUIRE(report.ok());
    CHECK(report->target == "y");
    CHECK(report->variables == std::vector<std::string>{"x"});
    CHECK(report->in_double.rows == 50);
    // The evaluator's vector sin is within an ulp of the C library's, so the double NMSE is
    // rounding noise rather than exactly 0.
    CHECK(report->in_double.r2 == doctest::Approx(1.0).epsilon(1e-24));
    CHECK(report->in_double.nmse < 1e-28);
    // The target is sin(x) + 0.5 computed in double, which the 50-digit evaluation shows as
    // rounding error: tiny, but not zero. Near x = 7π/6 the target is close to 0, which
    // magnifies the relative error.
    CHECK(report->in_50_digits.nmse > 0);
    CHECK(report->in_50_digits.nmse < 1e-30);
    CHECK(report->in_50_digits.max_relative_error > 0);
    CHECK(report->in_50_digits.max_relative_error < 1e-12);
    CHECK(report->in_50_digits.non_finite_rows == 0);
  }

  TEST_CASE("Accuracy: rounding in double shows") {
    // (x + 1e16) − 1e16 loses x's fraction in double, but not in 50 digits.
    std::vector<double> x;
    for (int r = 1; r <= 20; ++r) x.push_back(r + 0.25);
    const engine::Dataset data = table({"x", "y"}, {x, x});
    const absl::StatusOr<AccuracyReport> report = measure_formula("(x + 1e16) - 1e16", data, "");
    REQUIRE(report.ok());
    CHECK(report->target == "y");
    CHECK(report->in_double.nmse > 1e-4);
    CHECK(report->in_double.max_relative_error > 0.01);
    CHECK(report->in_50_digits.nmse == 0);
    CHECK(report->in_50_digits.r2 == 1);
    CHECK(report->in_50_digits.max_relative_error == 0);
  }

  TEST_CASE("Accuracy: non-finite and zero targets") {
    const engine::Dataset data = table({"x", "y"}, {{-1, 1, 2, 3}, {0, 0, 0.5, 1}});
    absl::StatusOr<AccuracyReport> report = measure_formula("log(x)", data, "y");
    REQUIRE(report.ok());
    CHECK(report->in_double.non_finite_rows == 1);
    CHECK(std::isinf(report->in_double.nmse));
    CHECK(std::isinf(report->in_double.r2));
    CHECK(report->in_double.r2 < 0);
    CHECK(report->in_50_digits.non_finite_rows == 1);

    // Row 1 has y = 0 and f = 0, so it adds nothing; a row with y = 0 and f ≠ 0 is infinite.
    report = measure_formula("(x - 1)/2", table({"x", "y"}, {{1, 2, 3}, {0, 0.5, 1}}), "y");
    REQUIRE(report.ok());
    CHECK(report->in_double.max_relative_error == 0);
    report = measure_formula("x/2", table({"x", "y"}, {{1, 2, 3}, {0, 1, 1.5}}), "y");
    REQUIRE(report.ok());
    CHECK(std::isinf(report->in_double.max_relative_error));

    // A constant target: NMSE 0 for an exact formula, infinite otherwise.
    report = measure_formula("2", table({"x", "y"}, {{1, 2, 3}, {2, 2, 2}}), "y");
    REQUIRE(report.ok());
    CHECK(report->in_double.nmse == 0);
    CHECK(report->in_50_digits.r2 == 1);
    report = measure_formula("x", table({"x", "y"}, {{1, 2, 3}, {2, 2, 2}}), "y");
    REQUIRE(report.ok());
    CHECK(std::isinf(report->in_double.nmse));
  }

  TEST_CASE("Accuracy: bad input is rejected") {
    const engine::Dataset data = table({"x", "y"}, {{1, 2}, {3, 4}});
    absl::StatusOr<AccuracyReport> report = measure_formula("x*y", data, "y");
    REQUIRE(!report.ok());
    CHECK(report.status().message() == "formula: unknown variable 'y' at column 3 (known: x)");
    report = measure_formula("x", data, "z");
    REQUIRE(!report.ok());
    CHECK(report.status().message() ==
          "test table: target column 'z' not found; the columns are: x, y");
    report = measure_formula("x)", data, "y");
    REQUIRE(!report.ok());
    CHECK(report.status().message() == "formula: unexpected ')' at column 2");
    report = measure_formula("x", table({"x", "y"}, {{}, {}}), "y");
    REQUIRE(!report.ok());
    CHECK(report.status().message() == "test table: the table has no rows");
  }

  TEST_CASE("Generate: target equals the formula") {
    Graph graph;
    std::vector<std::string> variables = {"m", "v", "theta"};
    const NodeId root = parse("1/2*m*v^2*cos(theta)", graph, variables);
    const std::vector<VariableRange> ranges = {{"m", 1, 5}, {"v", -2, 3}, {"theta", 0, 1}};
    GenerateOptions options;
    options.rows = 300;
    options.test_rows = 100;
    options.seed = 7;
    const absl::StatusOr<GeneratedData> data = generate_data(graph, root, ranges, "E", options);
    REQUIRE(data.ok());
    for (const engine::Dataset* part : {&data->train, &data->test}) {
      CHECK(part->names == std::vector<std::string>{"m", "v", "theta", "E"});
      REQUIRE(part->cols() == 4);
    }
    CHECK(data->train.rows() == 300);
    CHECK(data->test.rows() == 100);

    for (const engine::Dataset* part : {&data->train, &data->test}) {
      for (std::size_t r = 0; r < part->rows(); ++r) {
        const std::vector<double> point = {part->columns[0][r], part->columns[1][r],
                                           part->columns[2][r]};
        for (std::size_t j = 0; j < ranges.size(); ++j) {
          CHECK(point[j] >= ranges[j].low);
          CHECK(point[j] < ranges[j].high);
        }
        const double expected = 0.5 * point[0] * point[1] * point[1] * std::cos(point[2]);
        CHECK(part->columns[3][r] == doctest::Approx(expected).epsilon(1e-14));
        // The engine's vector cos may differ from the C library's in the last bit.
        CHECK(part->columns[3][r] ==
              doctest::Approx(testing::evaluate<double>(graph, root, point, 3)).epsilon(1e-15));
      }
    }
  }

  TEST_CASE("Generate: seeds and noise") {
    Graph graph;
    std::vector<std::string> variables = {"x"};
    const NodeId root = parse("3*x + 1", graph, variables);
    const std::vector<VariableRange> ranges = {{"x", 0, 1}};
    GenerateOptions options;
    options.rows = 20000;
    options.test_rows = 50;
    const absl::StatusOr<GeneratedData> clean = generate_data(graph, root, ranges, "y", options);
    const absl::StatusOr<GeneratedData> again = generate_data(graph, root, ranges, "y", options);
    options.seed = 1;
    const absl::StatusOr<GeneratedData> other = generate_data(graph, root, ranges, "y", options);
    options.seed = 0;
    options.noise = 0.1;
    const absl::StatusOr<GeneratedData> noisy = generate_data(graph, root, ranges, "y", options);
    REQUIRE(clean.ok());
    REQUIRE(again.ok());
    REQUIRE(other.ok());
    REQUIRE(noisy.ok());
    CHECK(clean->train.columns == again->train.columns);
    CHECK(clean->test.columns == again->test.columns);
    CHECK(clean->train.columns[0] != other->train.columns[0]);

    // Same inputs, a noise-free held-out target, and training noise of 0.1 times the RMS.
    CHECK(noisy->train.columns[0] == clean->train.columns[0]);
    CHECK(noisy->test.columns == clean->test.columns);
    double squares = 0.0;
    double noise_squares = 0.0;
    for (std::size_t r = 0; r < options.rows; ++r) {
      const double y = clean->train.columns[1][r];
      const double difference = noisy->train.columns[1][r] - y;
      squares += y * y;
      noise_squares += difference * difference;
    }
    const double ratio = std::sqrt(noise_squares / squares);
    CHECK(ratio == doctest::Approx(0.1).epsilon(0.03));
  }

  TEST_CASE("Generate: bad input is rejected") {
    Graph graph;
    std::vector<std::string> variables = {"x"};
    const NodeId root = parse("log(x)", graph, variables);
    GenerateOptions options;
    options.rows = 10;
    absl::StatusOr<GeneratedData> data =
        generate_data(graph, root, std::vector<VariableRange>{{"x", -2, -1}}, "y", options);
    REQUIRE(!data.ok());
    CHECK(std::string(data.status().message())
              .find("generated training rows: the formula is NaN at x = -") == 0);
    const std::vector<VariableRange> ranges = {{"x", 1, 2}};
    data = generate_data(graph, root, ranges, "x", options);
    REQUIRE(!data.ok());
    CHECK(data.status().message() ==
          "the target name 'x' is also a variable; give the target another name");
    options.noise = -1;
    data = generate_data(graph, root, ranges, "y", options);
    REQUIRE(!data.ok());
    CHECK(data.status().message() ==
          "noise is -1; use 0 for none or a positive multiple of the target's RMS");
    options.noise = 0;
    options.rows = 0;
    data = generate_data(graph, root, ranges, "y", options);
    REQUIRE(!data.ok());
    CHECK(data.status().message() == "rows is 0; generate at least one training row");
  }

  TEST_CASE("Equation table: published format quirks") {
    // Byte order mark, CRLF, a wrong "# variables", a quoted formula, a row of only commas.
    const std::string text =
        "\xEF\xBB\xBF"
        "Filename,Number,Output,Formula,# variables,v1_name,v1_low,v1_high,"
        "v2_name,v2_low,v2_high\r\n"
        "I.1,1,F,\"m*a\",1,m,1,5,a,2,3\r\n"
        "II.2,2,E,\"1/2*k*x**2\",2,k,0.5,1.5,x,-1e0,+2\r\n"
        ",,,,,,,,,,\r\n"
        ",,,,,,,,,,";
    const absl::StatusOr<std::vector<Equation>> equations = parse_equation_table(text, "t.csv");
    REQUIRE(equations.ok());
    REQUIRE(equations->size() == 2);
    const Equation& first = (*equations)[0];
    CHECK(first.name == "I.1");
    CHECK(first.output == "F");
    CHECK(first.formula == "m*a");
    CHECK(first.line == 2);
    CHECK(first.error.empty());
    REQUIRE(first.variables.size() == 2);
    CHECK(first.variables[1].name == "a");
    CHECK(first.variables[1].low == 2);
    CHECK(first.variables[1].high == 3);
    const Equation& second = (*equations)[1];
    CHECK(second.formula == "1/2*k*x**2");
    REQUIRE(second.variables.size() == 2);
    CHECK(second.variables[1].low == -1);
    CHECK(second.variables[1].high == 2);
  }

  TEST_CASE("Equation table: row and header errors") {
    const std::string header = "Filename,Output,Formula,v1_name,v1_low,v1_high\n";
    const absl::StatusOr<std::vector<Equation>> equations = parse_equation_table(
        header + "a,y,x,x,1,abc\nb,y,x,x,2,1\nc,y,x,x,1,2,extra\nd,y,,x,1,2\n\"e,1\",y,x,x,1,2\n",
        "t.csv");
    REQUIRE(equations.ok());
    REQUIRE(equations->size() == 5);
    CHECK(
        (*equations)[0].error ==
        "t.csv:2: the range of 'x' (v1_low, v1_high) is ['1', 'abc'], but both ends must be "
        "finite numbers");
    CHECK((*equations)[1].error ==
          "t.csv:3: the range of 'x' is [2, 1], whose low end is above its high end; swap them");
    CHECK((*equations)[2].error == "t.csv:4: the row has 7 fields, more than the 6 of the header");
    CHECK((*equations)[3].error == "t.csv:5: the Formula field is empty");
    CHECK((*equations)[4].name == "e,1");
    CHECK((*equations)[4].error.empty());

    absl::StatusOr<std::vector<Equation>> bad =
        parse_equation_table("Filename,Formula,v1_name,v1_low,v1_high\n", "t.csv");
    REQUIRE(!bad.ok());
    CHECK(std::string(bad.status().message()).find("t.csv:1: the header has no column 'Output'") ==
          0);
    bad = parse_equation_table("Filename,Output,Formula,v1_name,v1_low\n", "t.csv");
    REQUIRE(!bad.ok());
    CHECK(bad.status().message() ==
          "t.csv:1: the header has only part of v1_name, v1_low, v1_high; give all three");
    bad = parse_equation_table(header + "\"a,y,x\n", "t.csv");
    REQUIRE(!bad.ok());
    CHECK(bad.status().message() ==
          "t.csv:2: a quoted field is never closed; add the closing '\"'");
    bad = parse_equation_table("", "t.csv");
    REQUIRE(!bad.ok());
    bad = read_equation_table("/nonexistent/equations.csv");
    REQUIRE(!bad.ok());
    CHECK(bad.status().code() == absl::StatusCode::kNotFound);
  }
}

}  // namespace
}  // namespace lies::verify
