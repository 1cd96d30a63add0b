// Tests of the public API (include/lies/) as a program that embeds lies uses it.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "engine/fitter.hpp"
#include "lies/lies.hpp"

namespace {

// Whether `text` (a std::string or an absl::string_view, as Status::message returns)
// contains `part`.
template <typename Text>
bool contains(const Text& text, std::string_view part) {
  return std::string(text).find(part) != std::string::npos;
}

// y = 3·x1 + x2 on 40 rows.
lies::Table linear_table() {
  std::vector<double> x1, x2, y;
  for (int r = 1; r <= 40; ++r) {
    x1.push_back(r);
    x2.push_back(r % 7 + 1);
    y.push_back(3.0 * x1.back() + x2.back());
  }
  return *lies::Table::from_columns({"x1", "x2", "y"}, {x1, x2, y}, "linear");
}

lies::Formula parse(std::string_view text, std::vector<std::string> variables = {}) {
  lies::ParseOptions options;
  options.variables = std::move(variables);
  absl::StatusOr<lies::Formula> formula = lies::Formula::parse(text, options);
  REQUIRE(formula.ok());
  return *formula;
}

// A fresh temporary directory, removed with the fixture.
struct TempDirectory {
  std::filesystem::path path;
  explicit TempDirectory(const std::string& name) {
    path = std::filesystem::temp_directory_path() /
           ("lies-api-test-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDirectory() { std::filesystem::remove_all(path); }
};

TEST_SUITE("API") {
  TEST_CASE("API table: columns from memory") {
    const lies::Table table = linear_table();
    CHECK(table.source() == "linear");
    CHECK(table.names() == std::vector<std::string>{"x1", "x2", "y"});
    CHECK(table.rows() == 40);
    CHECK(table.cols() == 3);
    CHECK(table.column(2)[0] == 5.0);
    CHECK(table.column(3).empty());
    CHECK(table.find_column("x2") == 1);
    CHECK_FALSE(table.find_column("z").has_value());

    const lies::Table empty;
    CHECK(empty.rows() == 0);
    CHECK(empty.cols() == 0);
  }

  TEST_CASE("API table: invalid columns rejected") {
    struct Case {
      std::vector<std::string> names;
      std::vector<std::vector<double>> columns;
      const char* message;
    };
    const Case cases[] = {
        {{}, {}, "no columns"},
        {{"a"}, {{1}, {2}}, "1 names for 2 columns"},
        {{"a", ""}, {{1}, {2}}, "column 2 has an empty name"},
        {{"a", "a"}, {{1}, {2}}, "repeats the name 'a' of column 1"},
        {{"a", "b"}, {{1, 2}, {3}}, "column 'b' has 1 rows but column 'a' has 2"},
        {{"a", "b"}, {{1, 2}, {3, NAN}}, "column 'b' has the non-finite value nan in row 2"},
    };
    for (const Case& c : cases) {
      INFO(c.message);
      const absl::StatusOr<lies::Table> table = lies::Table::from_columns(c.names, c.columns);
      REQUIRE_FALSE(table.ok());
      CHECK(table.status().code() == absl::StatusCode::kInvalidArgument);
      CHECK(contains(table.status().message(), c.message));
    }
  }

  TEST_CASE("API table: text and missing file") {
    const absl::StatusOr<lies::Table> table = lies::Table::parse("a,b\n1,2\n3,4\n", "inline");
    REQUIRE(table.ok());
    CHECK(table->rows() == 2);
    CHECK(table->column(1)[1] == 4.0);

    const absl::StatusOr<lies::Table> missing = lies::Table::read("/nonexistent/lies.csv");
    CHECK(missing.status().code() == absl::StatusCode::kNotFound);
  }

  TEST_CASE("API formula: parse and print") {
    const lies::Formula formula = parse("2.5*x1**2/x2");
    CHECK(formula.variables() == std::vector<std::string>{"x1", "x2"});
    CHECK(formula.to_string() == "2.5*x1^2/x2");
    CHECK(formula.complexity() == 7);
    lies::PrintOptions print;
    print.format = lies::FormulaFormat::kSympy;
    CHECK(*formula.print(print) == "2.5*x1**2/x2");
    print.format = lies::FormulaFormat::kLatex;
    CHECK(contains(*formula.print(print), "\\frac"));
    print.format = lies::FormulaFormat::kC;
    CHECK(contains(*formula.print(print), "pow"));

    print.format = lies::FormulaFormat::kInfix;
    print.significant_digits = 40;
    CHECK(formula.print(print).status().code() == absl::StatusCode::kInvalidArgument);

    CHECK(lies::Formula().to_string() == "0");
    CHECK(lies::Formula().variables().empty());
  }

  TEST_CASE("API formula: parse errors and variables") {
    lies::ParseOptions strict;
    strict.variables = {"a", "b"};
    strict.add_unknown_variables = false;
    const absl::StatusOr<lies::Formula> unknown = lies::Formula::parse("a*q", strict);
    CHECK(unknown.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(contains(unknown.status().message(), "unknown variable 'q' at column 3 (known: a, b)"));

    const absl::StatusOr<lies::Formula> unbalanced = lies::Formula::parse("sin(x");
    CHECK(contains(unbalanced.status().message(), "unbalanced '('"));

    // Given variables keep their order, even those the formula does not use.
    const lies::Formula formula = parse("y + pi", {"x", "y"});
    CHECK(formula.variables() == std::vector<std::string>{"x", "y"});
  }

  TEST_CASE("API formula: evaluate by name") {
    const lies::Formula formula = parse("3*x1 + x2");
    const lies::Table table = linear_table();
    const absl::StatusOr<std::vector<double>> values = formula.evaluate(table);
    REQUIRE(values.ok());
    REQUIRE(values->size() == 40);
    for (std::size_t r = 0; r < 40; ++r) CHECK((*values)[r] == table.column(2)[r]);
    CHECK(*formula.nmse(table, "y") == 0.0);

    const std::vector<double> x1 = {1, 2};
    const std::vector<double> x2 = {10, 20};
    const std::span<const double> columns[] = {x1, x2};
    const absl::StatusOr<std::vector<double>> direct = formula.evaluate(columns);
    REQUIRE(direct.ok());
    CHECK(*direct == std::vector<double>{13, 26});

    const absl::StatusOr<std::vector<double>> short_columns =
        formula.evaluate(std::span<const std::span<const double>>(columns, 1));
    CHECK(contains(short_columns.status().message(), "1 columns for a formula of 2 variables"));

    const absl::StatusOr<std::vector<double>> missing = parse("x1 * z").evaluate(table);
    CHECK(missing.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(contains(missing.status().message(), "linear: no column 'z'"));
    CHECK(contains(formula.nmse(table, "w").status().message(), "target column 'w' not found"));
  }

  TEST_CASE("API formula: simplify with facts") {
    const lies::Formula formula = parse("log(2*x) - log(x)");
    const absl::StatusOr<lies::Simplified> without = formula.simplify();
    REQUIRE(without.ok());
    CHECK(without->formula.to_string() != "0.6931471805599453");

    lies::SimplifyOptions options;
    options.positive_variables = {"x"};
    const absl::StatusOr<lies::Simplified> with = formula.simplify(options);
    REQUIRE(with.ok());
    CHECK(with->formula.to_string() == "0.6931471805599453");
    CHECK(with->formula.variables() == std::vector<std::string>{"x"});
    CHECK(with->report.stop == lies::SimplifyStop::kSaturated);
    CHECK(lies::to_string(with->report.stop) == "saturated");
    CHECK_FALSE(with->report.fired.empty());

    // Positive on every row of the data also counts.
    lies::SimplifyOptions on_rows;
    on_rows.data = *lies::Table::from_columns({"x"}, {{1, 2, 3}});
    const absl::StatusOr<lies::Simplified> on_data = formula.simplify(on_rows);
    REQUIRE(on_data.ok());
    CHECK(on_data->formula.to_string() == "0.6931471805599453");

    lies::SimplifyOptions bad;
    bad.data = *lies::Table::from_columns({"u"}, {{1}}, "other");
    CHECK(contains(formula.simplify(bad).status().message(), "other: no column 'x'"));
    bad.data.reset();
    bad.roundoff = -1;
    CHECK(formula.simplify(bad).status().code() == absl::StatusCode::kInvalidArgument);
  }

  TEST_CASE("API fit: defaults match the engine") {
    const lies::FitOptions options;
    const lies::engine::FitOptions engine;
    CHECK(options.seed == engine.seed);
    CHECK(options.epochs == engine.epochs);
    CHECK(options.layers == engine.layers);
    CHECK(options.threads == engine.threads);
    CHECK(options.trials == engine.trials);
    CHECK(options.time_limit_seconds == engine.time_limit_seconds);
    CHECK(options.max_epochs == engine.max_epochs);
    CHECK(options.subsample == engine.subsample);
    CHECK(options.oversample == engine.oversample);
    CHECK(options.eliminate == engine.eliminate);
    CHECK(options.refine == engine.refine);
    CHECK(options.both_spaces == engine.both_spaces);
    CHECK(engine.log_space == lies::engine::LogSpace::kAuto);
    CHECK(options.log_space == lies::LogSpace::kAuto);
    CHECK_FALSE(options.target.has_value());
  }

  TEST_CASE("API fit: front, network and progress") {
    lies::FitOptions options;
    options.epochs = 20;
    options.trials = 2;
    int reports = 0;
    options.on_progress = [&](const lies::FitProgress& progress) {
      ++reports;
      CHECK(progress.trials == 2);
    };
    const absl::StatusOr<lies::FitResult> result = lies::fit(linear_table(), options);
    REQUIRE(result.ok());
    CHECK(reports > 0);
    CHECK(result->target_name == "y");
    CHECK(result->input_names == std::vector<std::string>{"x1", "x2"});
    CHECK(result->r2 > 0.999);
    CHECK(result->rows == 40);
    REQUIRE(result->chosen < result->front.size());
    CHECK(result->front[result->chosen].formula.to_string() == result->formula.to_string());
    for (const lies::FrontEntry& entry : result->front) {
      CHECK(entry.complexity == entry.formula.complexity());
      CHECK(entry.formula.variables() == result->input_names);
    }
    CHECK(*result->formula.nmse(linear_table(), "y") == result->nmse);

    const lies::Network& network = result->network;
    CHECK(network.producer().tool == "lies::fit");
    CHECK(network.producer().version == lies::version());
    CHECK(network.target_name() == "y");
    REQUIRE(network.inputs().size() == 2);
    CHECK(network.inputs()[0].name == "x1");
    CHECK(network.inputs()[0].min == 1.0);
    CHECK(network.inputs()[0].max == 40.0);
    CHECK(network.positive_inputs() == std::vector<std::string>{"x1", "x2"});
    CHECK(network.formula().variables() == result->input_names);
    CHECK(*network.clamped_formula().nmse(linear_table(), "y") < 1e-3);
  }

  TEST_CASE("API fit: bad input rejected") {
    lies::FitOptions options;
    options.target = "z";
    const absl::StatusOr<lies::FitResult> unknown = lies::fit(linear_table(), options);
    CHECK(unknown.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(contains(unknown.status().message(), "linear: target column 'z' not found"));

    options.target.reset();
    options.threads = -1;
    CHECK(contains(lies::fit(linear_table(), options).status().message(), "threads is -1"));
    options.threads = 0;
    options.epochs = 2;
    CHECK(contains(lies::fit(linear_table(), options).status().message(), "epochs is 2"));
    CHECK(contains(lies::fit(lies::Table()).status().message(), "no columns"));
  }

  TEST_CASE("API network: save and read back") {
    const char* text = R"({
  "format": "lies saved graph",
  "version": 1,
  "producer": {"tool": "test", "version": "0", "seed": 0, "options": {}},
  "inputs": [{"name": "x", "scale": 1.0, "min": 1.0, "max": 2.0}],
  "target": {"name": "y", "log_space": false, "sign": 1.0, "offset": 0.0, "scale": 1.0},
  "output": 3,
  "params": [2.0],
  "nodes": [
    {"op": "input", "index": 0},
    {"op": "param", "index": 0},
    {"op": "mul", "children": [0, 1]},
    {"op": "plog", "children": [2], "limit": 0.005, "argument_range": [2.0, 4.0]}
  ]
})";
    const absl::StatusOr<lies::Network> network = lies::Network::parse(text, "inline");
    REQUIRE(network.ok());
    CHECK(network->formula().to_string() == "log(2*x) + 0");
    CHECK(network->clamped_formula().to_string() == "log(max(2*x, 0.005)) + 0");
    lies::SimplifyOptions options;
    options.positive_variables = network->positive_inputs();
    const absl::StatusOr<lies::Simplified> simplified = network->formula().simplify(options);
    REQUIRE(simplified.ok());
    CHECK(simplified->formula.to_string() == "log(x) + 0.6931471805599453");

    lies::Producer producer;
    producer.tool = "mine";
    producer.seed = 7;
    const lies::Network renamed = network->with_producer(producer);
    CHECK(renamed.producer().tool == "mine");
    CHECK(network->producer().tool == "test");

    const TempDirectory directory("network");
    const std::string path = (directory.path / "fit.json").string();
    REQUIRE(renamed.save(path).ok());
    const absl::StatusOr<lies::Network> read = lies::Network::read(path);
    REQUIRE(read.ok());
    CHECK(read->to_json() == renamed.to_json());
    CHECK(read->producer().seed == 7);

    const absl::Status unwritable = renamed.save("/nonexistent/dir/fit.json");
    CHECK(contains(unwritable.message(), "/nonexistent/dir/fit.json: cannot be written"));
    const absl::StatusOr<lies::Network> broken = lies::Network::parse("{", "broken.json");
    CHECK(contains(broken.status().message(), "broken.json: not valid JSON"));
  }

  TEST_CASE("API files: a write replaces the whole file or nothing") {
    const TempDirectory directory("files");
    const std::string path = (directory.path / "out.csv").string();
    auto read = [](const std::string& file) {
      std::ifstream in(file, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    auto entries = [&]() {
      std::vector<std::string> names;
      for (const auto& entry : std::filesystem::directory_iterator(directory.path)) {
        names.push_back(entry.path().filename().string());
      }
      return names;
    };

    REQUIRE(lies::write_file_atomically(path, "first, longer contents\n").ok());
    REQUIRE(lies::write_file_atomically(path, "second\n").ok());
    CHECK(read(path) == "second\n");
    CHECK(entries() == std::vector<std::string>{"out.csv"});

    // A directory in the way: the error names the path, and nothing is left behind.
    const std::string blocked = (directory.path / "sub").string();
    std::filesystem::create_directory(blocked);
    const absl::Status status = lies::write_file_atomically(blocked, "x");
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(contains(status.message(), blocked + ": cannot be replaced"));
    CHECK(entries().size() == 2);

    const absl::Status missing = lies::write_file_atomically("/nonexistent/dir/out.csv", "x");
    CHECK(missing.code() == absl::StatusCode::kInvalidArgument);
    CHECK(contains(missing.message(), "/nonexistent/dir/out.csv: cannot be written"));
  }

  TEST_CASE("API network: default round trip") {
    const lies::Network network;
    const std::vector<double> x = {2.0};
    const std::span<const double> columns[] = {x};
    CHECK(*network.formula().evaluate(columns) == std::vector<double>{0.0});
    CHECK(network.target_name() == "y");
    REQUIRE(network.inputs().size() == 1);
    CHECK(network.inputs()[0].name == "x");
    const absl::StatusOr<lies::Network> read = lies::Network::parse(network.to_json(), "zero");
    REQUIRE(read.ok());
    CHECK(read->to_json() == network.to_json());
  }

  TEST_CASE("API verify: accuracy in two precisions") {
    const lies::Table table = linear_table();
    const absl::StatusOr<lies::AccuracyReport> text = lies::measure_accuracy("3*x1 + x2", table);
    REQUIRE(text.ok());
    CHECK(text->target == "y");
    CHECK(text->variables == std::vector<std::string>{"x1", "x2"});
    CHECK(text->in_double.r2 == 1.0);
    CHECK(text->in_double.rows == 40);
    CHECK(text->in_50_digits.r2.to_double() == 1.0);
    CHECK(text->in_50_digits.r2.digits() == 50);
    CHECK(text->in_50_digits.nmse.to_string(20) == "0");

    const lies::Formula formula = parse("x1 + 1");
    const absl::StatusOr<lies::AccuracyReport> parsed = lies::measure_accuracy(formula, table, "y");
    REQUIRE(parsed.ok());
    const absl::StatusOr<lies::Accuracy> in_double =
        lies::measure_accuracy_in_double(formula, table, "y");
    REQUIRE(in_double.ok());
    CHECK(in_double->nmse == parsed->in_double.nmse);
    CHECK(in_double->nmse > 0.0);
    CHECK(parsed->in_50_digits.nmse.to_double() == doctest::Approx(in_double->nmse));
    CHECK(parsed->in_50_digits.nmse.to_string(5).size() <= 12);
    CHECK(parsed->in_50_digits.nmse.to_string(0).size() > 40);

    CHECK(contains(lies::measure_accuracy("x1 +", table).status().message(), "formula: "));
    CHECK(contains(lies::measure_accuracy(formula, table, "q").status().message(),
                   "target column 'q' not found"));
  }

  TEST_CASE("API verify: symbolic solution check") {
    const std::vector<lies::VariableRange> ranges = {{"x", -3, 3}};
    const absl::StatusOr<lies::SolutionCheck> text =
        lies::check_solution("cos(x)", "sin(x + pi/2)", ranges);
    REQUIRE(text.ok());
    CHECK(text->verdict == lies::Verdict::kSolution);
    CHECK(text->relation == lies::Relation::kDifference);
    CHECK(text->constant.digits() == 100);
    CHECK(std::abs(text->constant.to_double()) < 1e-12);
    CHECK(lies::to_string(text->verdict) == "solution");

    // Formulas already parsed are matched to the ranges by name, in any order.
    const std::vector<lies::VariableRange> two = {{"y", 1, 2}, {"x", 1, 5}};
    const absl::StatusOr<lies::SolutionCheck> parsed =
        lies::check_solution(parse("3*x^2*y"), parse("y*x^2", {"y", "x"}), two);
    REQUIRE(parsed.ok());
    CHECK(parsed->verdict == lies::Verdict::kSolution);
    CHECK(parsed->relation == lies::Relation::kRatio);
    CHECK(parsed->constant.to_string(17) == "3");

    const absl::StatusOr<lies::SolutionCheck> no_range =
        lies::check_solution(parse("x"), parse("x*q"), ranges);
    CHECK(contains(no_range.status().message(), "formula: variable 'q' has no range"));
    CHECK_FALSE(lies::validate_ranges(std::vector<lies::VariableRange>{{"x", 2, 1}}).ok());
  }

  TEST_CASE("API benchmark: table, data, seeds") {
    const absl::StatusOr<std::vector<lies::Equation>> equations = lies::parse_equation_table(
        "Filename,Output,Formula,v1_name,v1_low,v1_high,v2_name,v2_low,v2_high\n"
        "T.1,F,m*a,m,1,5,a,1,2\n",
        "inline");
    REQUIRE(equations.ok());
    REQUIRE(equations->size() == 1);
    const lies::Equation& equation = equations->front();
    CHECK(equation.name == "T.1");
    CHECK(equation.variables.size() == 2);

    lies::GenerateOptions options;
    options.rows = 50;
    options.test_rows = 5;
    const absl::StatusOr<lies::GeneratedData> data =
        lies::generate_data(parse(equation.formula), equation.variables, "F", options);
    REQUIRE(data.ok());
    CHECK(data->train.names() == std::vector<std::string>{"m", "a", "F"});
    CHECK(data->train.rows() == 50);
    CHECK(data->test.rows() == 5);
    CHECK(data->train.column(2)[0] == data->train.column(0)[0] * data->train.column(1)[0]);

    CHECK(lies::mix_seed(1, 2) == lies::mix_seed(1, 2));
    CHECK(lies::mix_seed(1, 2) != lies::mix_seed(1, 3));
    CHECK_FALSE(lies::version().empty());
  }
}

}  // namespace
