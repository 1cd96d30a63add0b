// End-to-end tests of the `lies` executable: exit codes, messages and output formats.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "nlohmann/json.hpp"
#include "run_tool.hpp"

namespace {

using lies::test::Run;
using lies::test::run_tool;

Run run_lies(const std::string& arguments, const std::string& streams = "2>&1") {
  return run_tool(LIES_EXECUTABLE, arguments, streams);
}

Run run_simplify(const std::string& arguments, const std::string& streams = "2>&1") {
  return run_tool(LIES_SIMPLIFY_EXECUTABLE, arguments, streams);
}

// A file in a fresh temporary directory, removed with the fixture.
struct TempFile {
  std::filesystem::path directory;
  std::filesystem::path path;
  explicit TempFile(const std::string& name, const std::string& contents) {
    directory = std::filesystem::temp_directory_path() /
                ("lies-cli-test-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::create_directories(directory);
    path = directory / name;
    std::ofstream(path) << contents;
  }
  ~TempFile() { std::filesystem::remove_all(directory); }
};

// y = 3·x1 + x2 on twelve rows.
std::string good_csv() {
  std::string text = "x1,x2,y\n";
  for (int r = 1; r <= 12; ++r) {
    text += std::to_string(r) + "," + std::to_string(r % 5 + 1) + "," +
            std::to_string(3 * r + r % 5 + 1) + "\n";
  }
  return text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_SUITE("CLI") {
  TEST_CASE("CLI: help exits 0") {
    const Run run = run_lies("--help");
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "Usage: lies fit [FILE]"));
    CHECK(contains(run.out, "--log-space"));
    CHECK(contains(run.out, "--json"));
    CHECK(contains(run.out, "--save"));
  }

  TEST_CASE("CLI: bad options exit 2") {
    struct Case {
      const char* arguments;
      const char* message;
    };
    const Case cases[] = {
        {"", "missing command"},
        {"frobnicate", "unknown command 'frobnicate'"},
        {"fit --bogus", "unknown option --bogus"},
        {"fit --epochs=abc", "invalid value 'abc' for --epochs; use a whole number"},
        {"fit --seed -1", "invalid value '-1' for --seed; use a whole number from 0 to"},
        {"fit --epochs 2", "--epochs is 2"},
        {"fit --layers -1", "--layers is -1"},
        {"fit --threads -3", "--threads is -3"},
        {"fit --trials 0", "--trials is 0"},
        {"fit --log-space maybe", "--log-space must be auto, on or off"},
        {"fit --target", "--target needs a value"},
        {"fit a.csv b.csv", "at most one data file"},
    };
    for (const Case& c : cases) {
      INFO("lies " << c.arguments);
      const Run run = run_lies(c.arguments);
      CHECK(run.exit_code == 2);
      CHECK(contains(run.out, c.message));
    }
  }

  TEST_CASE("CLI: bad data files exit 2 with the place") {
    struct Case {
      const char* name;
      std::string contents;
      const char* arguments;  // after the file
      const char* message;
    };
    std::string ten_rows_constant = "x,y\n";
    for (int r = 0; r < 12; ++r) ten_rows_constant += std::to_string(r) + ",7\n";
    std::string with_negative = good_csv();
    with_negative.replace(with_negative.find("\n2,") + 1, 1, "-2");
    // A good table with its header or one value replaced.
    auto with_header = [](const std::string& header) {
      std::string text = good_csv();
      return header + text.substr(text.find('\n'));
    };
    std::string huge = good_csv();
    huge.replace(huge.find("\n5,") + 1, 1, "5e300");
    std::string tiny = good_csv();
    tiny.replace(tiny.find("\n7,") + 1, 1, "7e-300");
    const Case cases[] = {
        {"empty.csv", "", "", "no table found"},
        {"huge.csv", huge, "", "column 'x1' has the value 5e+300 in data row 5"},
        {"tiny.csv", tiny, "", "column 'x1' has the value 7e-300 in data row 7"},
        {"space.csv", with_header("x 1,x2,y"), "", "rename it to letters, digits and '_'"},
        {"dash.csv", with_header("x1,x-2,y"), "", "such as 'x_2'"},
        {"pi.csv", with_header("pi,x2,y"), "", "the input column 'pi' has the name of a"},
        {"sin.csv", with_header("x1,sin,y"), "", "rename it, for example to 'sin_'"},
        {"target_name.csv", with_header("x1,x2,y (m)"), "--epochs 4 --trials 1", ""},
        {"header.csv", "x,y\n", "", "not followed by any data rows"},
        {"ragged.csv", "x,y\n1,2\n3,4,5\n", "", "ragged.csv:3"},
        {"text.csv", "x,y\n1,2\n3,abc\n", "", "\"abc\" is not a number"},
        {"nan.csv", "x,y\n1,2\n3,nan\n", "", "not finite"},
        {"inf.csv", "x,y\n1,inf\n", "", "not finite"},
        {"few.csv", "x,y\n1,2\n2,3\n3,5\n", "", "3 data rows; a fit needs at least 10. Add rows"},
        {"constant.csv", ten_rows_constant, "", "is constant"},
        {"target.csv", good_csv(), "--target z", "target column 'z' not found"},
        {"negative.csv", with_negative, "--log-space on", "log space needs positive inputs"},
        {"only.csv", "y\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n", "", "at least one input"},
    };
    for (const Case& c : cases) {
      INFO(c.name);
      const TempFile file(c.name, c.contents);
      const Run run = run_lies("fit " + file.path.string() + " " + c.arguments);
      if (std::string_view(c.message).empty()) {
        // Accepted: a target name is never part of the formula.
        CHECK(run.exit_code == 0);
        continue;
      }
      CHECK(run.exit_code == 2);
      CHECK(contains(run.out, c.message));
      CHECK(contains(run.out, c.name));
      // One line, no crash report.
      CHECK(run.out.find('\n') == run.out.size() - 1);
    }
  }

  TEST_CASE("CLI: missing file exits 2") {
    const Run run = run_lies("fit /nonexistent/lies-data.csv");
    CHECK(run.exit_code == 2);
    CHECK(contains(run.out, "/nonexistent/lies-data.csv"));
    CHECK(contains(run.out, "not found"));
  }

  TEST_CASE("CLI: standard input is read through /dev/stdin") {
    const Run dash = run_lies("fit -");
    CHECK(dash.exit_code == 2);
    CHECK(contains(dash.out, "-: file not found. To read standard input, give the path "
                             "/dev/stdin."));
    const TempFile file("stdin.csv", good_csv());
    const Run piped =
        run_lies("fit /dev/stdin --epochs 8 --trials 1 < " + file.path.string(), "2>&1");
    CHECK(piped.exit_code == 0);
    CHECK(contains(piped.out, "y = "));
  }

  TEST_CASE("CLI: json output has every field") {
    const TempFile file("good.csv", good_csv());
    const Run run = run_lies("fit " + file.path.string() + " --json --epochs 20 --trials 2",
                             "2>/dev/null");
    REQUIRE(run.exit_code == 0);
    const nlohmann::json json = nlohmann::json::parse(run.out);
    for (const char* key : {"formula", "sympy", "r2", "nmse", "complexity", "seconds"}) {
      INFO(key);
      CHECK(json.contains(key));
    }
    CHECK(json["target"] == "y");
    CHECK(json["r2"].get<double>() > 0.999);
    CHECK(json["complexity"].get<int>() > 0);
  }

  TEST_CASE("CLI: embedded example says so") {
    const Run run = run_lies("fit --epochs 40 --trials 2");
    REQUIRE(run.exit_code == 0);
    CHECK(contains(run.out, "embedded example"));
    CHECK(contains(run.out, "T = a^1.5/sqrt(M)"));
    CHECK(contains(run.out, "R²"));
    CHECK(contains(run.out, "complexity"));
  }

  TEST_CASE("CLI: verbose progress into a file is plain lines") {
    const TempFile file("verbose.csv", good_csv());
    const Run run = run_lies("fit " + file.path.string() + " --verbose --epochs 8 --trials 1",
                             "2>&1 >/dev/null");
    REQUIRE(run.exit_code == 0);
    CHECK(contains(run.out, "lies: trial 1 (0 of 1 done): "));
    CHECK(run.out.find('\r') == std::string::npos);
    CHECK(run.out.find('\033') == std::string::npos);
  }

  TEST_CASE("CLI: fit saves the network") {
    const TempFile data("save.csv", good_csv());
    const std::filesystem::path saved = data.directory / "fit.json";
    const Run run = run_lies("fit " + data.path.string() + " --epochs 20 --trials 1 --save " +
                             saved.string());
    REQUIRE(run.exit_code == 0);
    CHECK(contains(run.out, "saved the trained network to " + saved.string()));
    std::ifstream in(saved);
    const nlohmann::json json = nlohmann::json::parse(in);
    CHECK(json["format"] == "lies saved graph");
    CHECK(json["version"] == 1);
    CHECK(json["producer"]["tool"] == "lies fit");
    CHECK(json["producer"]["options"]["epochs"] == "20");
    CHECK(json["target"]["name"] == "y");
    CHECK(json["inputs"].size() == 2);

    const Run simplified = run_simplify(saved.string() + " --data " + data.path.string());
    CHECK(simplified.exit_code == 0);
    CHECK(contains(simplified.out, "y = "));
    CHECK(contains(simplified.out, "R² before"));
    CHECK(contains(simplified.out, "R² after"));
  }

  TEST_CASE("CLI: fit rejects an unwritable save path") {
    const TempFile data("unwritable.csv", good_csv());
    const Run run = run_lies("fit " + data.path.string() +
                             " --epochs 20 --trials 1 --save /nonexistent/dir/fit.json");
    CHECK(run.exit_code == 2);
    CHECK(contains(run.out, "/nonexistent/dir/fit.json: cannot be written"));
  }
}

// y = plog(2*x) with x in [1, 2]; the protected log saw arguments in [2, 4], so it is a
// plain log, and log(2*x) splits because 2 and x are positive.
constexpr char kSavedGraph[] = R"({
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

TEST_SUITE("CLI lies-simplify") {
  TEST_CASE("CLI lies-simplify: help exits 0") {
    const Run run = run_simplify("--help");
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "Usage: lies-simplify FILE"));
    CHECK(contains(run.out, "--format"));
    CHECK(contains(run.out, "--trace"));
    CHECK(contains(run.out, "--data"));
  }

  TEST_CASE("CLI lies-simplify: prints the formula") {
    const TempFile file("graph.json", kSavedGraph);
    const Run run = run_simplify(file.path.string(), "2>/dev/null");
    CHECK(run.exit_code == 0);
    CHECK(run.out == "y = log(x) + 0.6931471805599453\n");

    const Run sympy = run_simplify(file.path.string() + " --format sympy", "2>/dev/null");
    CHECK(sympy.exit_code == 0);
    CHECK(sympy.out == "y = log(x) + 0.6931471805599453\n");
    const Run latex = run_simplify(file.path.string() + " --format=latex", "2>/dev/null");
    CHECK(latex.exit_code == 0);
    CHECK(contains(latex.out, "\\log\\left(x\\right)"));
    const Run raw = run_simplify(file.path.string() + " --raw", "2>/dev/null");
    CHECK(raw.exit_code == 0);
    CHECK(raw.out == "y = log(max(2*x, 0.005)) + 0\n");
  }

  TEST_CASE("CLI lies-simplify: trace lists the rules") {
    const TempFile file("graph.json", kSavedGraph);
    const Run run = run_simplify(file.path.string() + " --trace", "2>/dev/null");
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "rules fired (saturated after"));
    CHECK(contains(run.out, "  log of a product               1\n"));
    CHECK(contains(run.out, "  fold a function of a constant  1\n"));
    CHECK(contains(run.out, "  multiply by one                2\n"));
  }

  TEST_CASE("CLI lies-simplify: data gives R² before and after") {
    const TempFile file("graph.json", kSavedGraph);
    std::string rows = "x,y\n";
    for (int r = 0; r < 10; ++r) {
      const double x = 1.0 + 0.1 * r;
      rows += std::to_string(x) + "," + std::to_string(std::log(2.0 * x)) + "\n";
    }
    const TempFile data("rows.csv", rows);
    const Run run = run_simplify(file.path.string() + " --data " + data.path.string(),
                                 "2>/dev/null");
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "R² before   0.99999"));
    CHECK(contains(run.out, "R² after    0.99999"));
    CHECK(contains(run.out, "rows        10"));

    const TempFile other("other.csv", "a,b\n1,2\n");
    const Run missing = run_simplify(file.path.string() + " --data " + other.path.string());
    CHECK(missing.exit_code == 2);
    CHECK(contains(missing.out, "other.csv: no column 'x', 'y'"));
  }

  TEST_CASE("CLI lies-simplify: bad input exits 2") {
    const TempFile good("graph.json", kSavedGraph);
    std::string newer = kSavedGraph;
    newer.replace(newer.find("\"version\": 1"), 12, "\"version\": 9");
    const TempFile future("future.json", newer);
    const TempFile text("text.json", "this is not json");
    const TempFile truncated("truncated.json", std::string(kSavedGraph).substr(0, 200));
    struct Case {
      std::string arguments;
      const char* message;
    };
    const Case cases[] = {
        {"", "expected one saved graph file, but got 0 arguments"},
        {good.path.string() + " " + good.path.string(), "but got 2 arguments"},
        {good.path.string() + " --format pdf", "--format must be infix, sympy, latex or c, not 'pdf'"},
        {good.path.string() + " --bogus", "unknown option --bogus"},
        {"/nonexistent/graph.json", "/nonexistent/graph.json: file not found"},
        {future.path.string(), "format version 9 is newer than this lies reads"},
        {text.path.string(), "text.json: not valid JSON"},
        {truncated.path.string(), "truncated.json: not valid JSON (is the file truncated?)"},
        {good.path.string() + " --data /nonexistent/rows.csv", "/nonexistent/rows.csv: file not found"},
    };
    for (const Case& c : cases) {
      INFO("lies-simplify " << c.arguments);
      const Run run = run_simplify(c.arguments);
      CHECK(run.exit_code == 2);
      CHECK(contains(run.out, c.message));
      CHECK(run.out.find('\n') == run.out.size() - 1);
    }
  }
}

}  // namespace
