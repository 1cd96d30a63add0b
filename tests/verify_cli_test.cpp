// End-to-end tests of the lies-verify and lies-bench executables: exit codes, messages and
// output columns.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run_tool.hpp"

namespace {

using lies::test::Run;
using lies::test::run_tool;

Run run_verify(const std::string& arguments, const std::string& streams = "2>&1") {
  return run_tool(LIES_VERIFY_EXECUTABLE, arguments, streams);
}

Run run_bench(const std::string& arguments, const std::string& streams = "2>&1") {
  return run_tool(LIES_BENCH_EXECUTABLE, arguments, streams);
}

// A fresh temporary directory, removed with the fixture.
struct TempDirectory {
  std::filesystem::path path;
  explicit TempDirectory(const std::string& name) {
    path = std::filesystem::temp_directory_path() /
           ("lies-verify-cli-test-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDirectory() { std::filesystem::remove_all(path); }

  std::string write(const std::string& name, const std::string& contents) const {
    std::ofstream(path / name, std::ios::binary) << contents;
    return (path / name).string();
  }
};

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// Splits one CSV line into fields, with RFC 4180 quotes.
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t k = 0; k < line.size(); ++k) {
    const char c = line[k];
    if (quoted && c == '"' && k + 1 < line.size() && line[k + 1] == '"') {
      fields.back() += '"';
      ++k;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

// The line of `text` that starts with `prefix` (after leading spaces), or "".
std::string line_starting(const std::string& text, const std::string& prefix) {
  for (const std::string& line : lines_of(text)) {
    const std::size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos && line.compare(first, prefix.size(), prefix) == 0) return line;
  }
  return "";
}

// A benchmark table in the published format: BOM, CRLF, a wrong "# variables", rows of
// commas at the end, one formula that does not parse and one range that is not a number.
std::string small_table() {
  return "\xEF\xBB\xBF"
         "Filename,Number,Output,Formula,# variables,v1_name,v1_low,v1_high,v2_name,v2_low,"
         "v2_high\r\n"
         "T.1,1,y,2*x,3,x,1,5,,,\r\n"
         "T.2,2,F,m*a,1,m,1,5,a,1,5\r\n"
         "T.bad,3,y,x +,1,x,1,5,,,\r\n"
         "T.range,4,y,x,1,x,1,abc,,,\r\n"
         ",,,,,,,,,,\r\n"
         ",,,,,,,,,,";
}

// Options that make each fit of a benchmark run short.
constexpr char kQuick[] = "--rows 200 --test-rows 50 --epochs 8 --trials 1 --points 20";

TEST_SUITE("VerifyCLI") {
  TEST_CASE("lies-verify: help exits 0") {
    const Run result = run_verify("--help");
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "Usage: lies-verify --formula F --data FILE"));
    CHECK(contains(result.out, "--truth"));
    CHECK(contains(result.out, "--vars"));
    CHECK(contains(result.out, "--tolerance"));
    CHECK(contains(result.out, "Exit status: 0"));
  }

  TEST_CASE("lies-verify: verified pair exits 0") {
    const Run result = run_verify("--formula 'sin(x + pi/2)' --truth 'cos(x)' --vars x:-3:3");
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "verified: truth - formula is constant"));
    CHECK(contains(line_starting(result.out, "constant"), "truth - formula = "));
    CHECK(contains(line_starting(result.out, "tolerance"), "1e-12"));
    CHECK(contains(line_starting(result.out, "points"), "200 valid of 200, seed 0"));
    CHECK(contains(result.out, "difference spread"));
    CHECK(contains(result.out, "ratio spread"));
  }

  TEST_CASE("lies-verify: constant factor is reported") {
    const Run result = run_verify(
        "--formula 'x^2*y' --truth '3*x^2*y' --vars 'x:1:5, y:-2:-1' --points 50 --seed 9");
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "verified: truth / formula is constant"));
    CHECK(contains(line_starting(result.out, "constant"), "truth / formula = 3"));
    CHECK(contains(line_starting(result.out, "points"), "50 valid of 50, seed 9"));
  }

  TEST_CASE("lies-verify: near miss exits 3") {
    Run result = run_verify("--formula 'x*(1 + 1e-9*x)' --truth x --vars x:1:5");
    CHECK(result.exit_code == 3);
    CHECK(contains(result.out, "not a solution"));
    CHECK(contains(line_starting(result.out, "constant"), "none (closest: "));

    result = run_verify("--formula 'x*(1 + 1e-9*x)' --truth x --vars x:1:5 --tolerance 1e-6");
    CHECK(result.exit_code == 0);
    CHECK(contains(line_starting(result.out, "tolerance"), "1e-06"));
  }

  TEST_CASE("lies-verify: too few points exits 3") {
    const Run result = run_verify("--formula 'sqrt(x)' --truth 'sqrt(x)' --vars x:-3:1");
    CHECK(result.exit_code == 3);
    CHECK(contains(result.out, "undecided: only"));
    CHECK(contains(line_starting(result.out, "not finite"), "for the truth"));
  }

  TEST_CASE("lies-verify: data in two precisions") {
    const TempDirectory directory("data");
    std::string csv = "x,y\n";
    for (int r = 1; r <= 20; ++r) csv += std::to_string(r) + ".25," + std::to_string(r) + ".25\n";
    const std::string path = directory.write("data.csv", csv);

    Run result = run_verify("--formula x --data " + path + " --target y");
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "y = x"));
    CHECK(contains(result.out, "rows 20 of " + path));
    CHECK(contains(line_starting(result.out, "double"), "50 digits"));
    CHECK(line_starting(result.out, "R²") == "  R²                  1                          1");
    CHECK(line_starting(result.out, "NMSE") ==
          "  NMSE                0                          0");
    CHECK(line_starting(result.out, "max relative error") ==
          "  max relative error  0                          0");

    // Adding and removing 1e16 loses the fraction in double but not in 50 digits.
    result = run_verify("--formula '(x + 1e16) - 1e16' --data " + path);
    CHECK(result.exit_code == 0);
    const std::string nmse = line_starting(result.out, "NMSE");
    CHECK(!contains(nmse, "  0  "));
    CHECK(nmse.substr(nmse.size() - 2) == " 0");

    result = run_verify("--formula 'log(x - 10)' --data " + path);
    CHECK(result.exit_code == 0);
    // x − 10 is negative in the 9 rows from 1.25 to 9.25.
    CHECK(line_starting(result.out, "non-finite rows") ==
          "  non-finite rows     9                          9");
    CHECK(contains(line_starting(result.out, "R²"), "-inf"));
  }

  TEST_CASE("lies-verify: bad input exits 2") {
    const TempDirectory directory("bad");
    const std::string path = directory.write("data.csv", "a,b,y\n1,2,3\n4,5,6\n");
    struct Case {
      std::string arguments;
      const char* message;
    };
    const Case cases[] = {
        {"", "missing --formula"},
        {"--formula x", "missing --data or --truth"},
        {"--formula x --data a.csv --truth x", "give either --data or --truth, not both"},
        {"x", "unexpected argument 'x'"},
        {"--formula 'x +' --truth x --vars x:0:1",
         "formula: expected an expression after '+' at column 3, found end of input"},
        {"--formula x --truth 'sin(x' --vars x:0:1", "truth: unbalanced '(' opened at column 4"},
        {"--formula 'x*q' --truth x --vars x:0:1",
         "formula: unknown variable 'q' at column 3 (known: x); give every variable a range"},
        {"--formula x --truth x", "truth: unknown variable 'x' at column 1 (known: none)"},
        {"--formula x --truth x --vars x:1", "--vars: 'x:1' is not of the form NAME:LOW:HIGH"},
        {"--formula x --truth x --vars x:a:1", "--vars: the low end 'a' of 'x' is not a number"},
        {"--formula x --truth x --vars x:2:1",
         "--vars: the range of 'x' is [2, 1], whose low end is above its high end"},
        {"--formula x --truth x --vars x:0:1,x:1:2", "--vars: variable 'x' has two ranges"},
        {"--formula x --truth x --vars x:0:1 --points 3", "--points is 3; use 10 to 1000000"},
        {"--formula x --truth x --vars x:0:1 --tolerance 2", "--tolerance is 2"},
        {"--formula x --truth x --vars x:0:1 --target y", "--target applies only with --data"},
        {"--formula a --data " + path + " --vars a:0:1", "--vars applies only with --truth"},
        {"--formula a --data /nonexistent/lies.csv", "/nonexistent/lies.csv: file not found"},
        {"--formula 'a*q' --data " + path,
         "formula: unknown variable 'q' at column 3 (known: a, b)"},
        {"--formula a --data " + path + " --target z", "target column 'z' not found"},
        {"--formula a --bogus", "unknown option --bogus"},
    };
    for (const Case& c : cases) {
      INFO("lies-verify " << c.arguments);
      const Run result = run_verify(c.arguments);
      CHECK(result.exit_code == 2);
      CHECK(contains(result.out, c.message));
      CHECK(result.out.find('\n') == result.out.size() - 1);
    }
  }

  TEST_CASE("lies-bench: help exits 0") {
    const Run result = run_bench("--help");
    CHECK(result.exit_code == 0);
    CHECK(contains(result.out, "Usage: lies-bench --equations TABLE"));
    for (const char* flag : {"--rows", "--seeds", "--noise", "--jobs", "--filter", "--out"}) {
      CHECK(contains(result.out, flag));
    }
  }

  TEST_CASE("lies-bench: rows, errors and summary") {
    const TempDirectory directory("run");
    const std::string table = directory.write("equations.csv", small_table());
    const std::string out = (directory.path / "results.csv").string();
    const Run result = run_bench(
        std::string("--equations ") + table + " --seeds 2 --jobs 2 " + kQuick + " --out " + out,
        "2>" + (directory.path / "progress.txt").string());
    REQUIRE(result.exit_code == 0);

    // Summary on stdout.
    CHECK(contains(line_starting(result.out, "runs"), "8 (4 equations × 2 seeds)"));
    CHECK(line_starting(result.out, "stages off") == "stages off          none");
    CHECK(contains(line_starting(result.out, "solved"), " of 8 ("));
    CHECK(contains(line_starting(result.out, "R² > 0.999"), " of 8 ("));
    CHECK(line_starting(result.out, "errors") == "errors              4");
    CHECK(contains(line_starting(result.out, "median fit time"), " s"));
    CHECK(contains(line_starting(result.out, "wall time"), " s"));

    // One progress line per run on stderr, after the first line.
    const std::vector<std::string> progress =
        lines_of(read_file((directory.path / "progress.txt").string()));
    REQUIRE(progress.size() == 9);
    CHECK(contains(progress[0], "8 runs of 4 equations, 2 jobs"));
    CHECK(contains(progress.back(), "[8/8]"));

    // One CSV row per equation and seed, in table order.
    const std::vector<std::string> lines = lines_of(read_file(out));
    REQUIRE(lines.size() == 9);
    CHECK(lines[0] == "name,seed,solved,verdict,r2_test,complexity,seconds,formula,error");
    const char* names[] = {"T.1", "T.1", "T.2", "T.2", "T.bad", "T.bad", "T.range", "T.range"};
    for (std::size_t k = 1; k < lines.size(); ++k) {
      CAPTURE(lines[k]);
      const std::vector<std::string> fields = csv_fields(lines[k]);
      REQUIRE(fields.size() == 9);
      CHECK(fields[0] == names[k - 1]);
      CHECK(fields[1] == std::to_string((k - 1) % 2));
      CHECK((fields[2] == "0" || fields[2] == "1"));
      if (k <= 4) {
        CHECK(fields[8].empty());
        CHECK((fields[3] == "solution" || fields[3] == "not a solution"));
        CHECK(fields[2] == (fields[3] == "solution" ? "1" : "0"));
        CHECK(!fields[4].empty());
        CHECK(std::stoi(fields[5]) > 0);
        CHECK(std::stod(fields[6]) >= 0);
        CHECK(!fields[7].empty());
      } else {
        CHECK(fields[2] == "0");
        CHECK(fields[3] == "error");
        CHECK(fields[4].empty());
      }
    }
    CHECK(csv_fields(lines[5])[8] ==
          table + ":4: the Formula field: expected an expression after '+' at column 3, found "
                  "end of input");
    CHECK(contains(csv_fields(lines[7])[8], "the range of 'x' (v1_low, v1_high) is ['1', 'abc']"));
  }

  TEST_CASE("lies-bench: stages switched off for an ablation") {
    const TempDirectory directory("stages");
    const std::string table = directory.write("equations.csv", small_table());
    const Run result =
        run_bench(std::string("--equations ") + table + " --filter '^T\\.1$' --no-oversample " +
                      "--no-refine --no-both-spaces " + kQuick,
                  "2>/dev/null");
    REQUIRE(result.exit_code == 0);
    CHECK(line_starting(result.out, "stages off") ==
          "stages off          oversample, refine, both-spaces");
    CHECK(contains(line_starting(result.out, "runs"), "1 (1 equation × 1 seed)"));
  }

  TEST_CASE("lies-bench: results independent of jobs") {
    const TempDirectory directory("jobs");
    const std::string table = directory.write("equations.csv", small_table());
    const std::string one = (directory.path / "one.csv").string();
    const std::string two = (directory.path / "two.csv").string();
    const std::string common =
        std::string("--equations ") + table + " --filter '^T\\.[12]$' --noise 0.01 " + kQuick;
    REQUIRE(run_bench(common + " --jobs 1 --threads 1 --out " + one, "2>/dev/null").exit_code == 0);
    REQUIRE(run_bench(common + " --jobs 2 --threads 2 --out " + two, "2>/dev/null").exit_code == 0);
    const std::vector<std::string> first = lines_of(read_file(one));
    const std::vector<std::string> second = lines_of(read_file(two));
    REQUIRE(first.size() == 3);
    REQUIRE(second.size() == first.size());
    for (std::size_t k = 0; k < first.size(); ++k) {
      std::vector<std::string> a = csv_fields(first[k]);
      std::vector<std::string> b = csv_fields(second[k]);
      REQUIRE(a.size() == 9);
      REQUIRE(b.size() == 9);
      a.erase(a.begin() + 6);  // seconds
      b.erase(b.begin() + 6);
      CHECK(a == b);
    }
  }

  TEST_CASE("lies-bench: bad input exits 2") {
    const TempDirectory directory("bad");
    const std::string table = directory.write("equations.csv", small_table());
    const std::string no_output =
        directory.write("no_output.csv", "Filename,Formula,v1_name,v1_low,v1_high\n");
    const std::string equations = "--equations " + table;
    struct Case {
      std::string arguments;
      const char* message;
    };
    const Case cases[] = {
        {"", "missing --equations"},
        {"table.csv", "unexpected argument 'table.csv'"},
        {"--equations /nonexistent/equations.csv", "/nonexistent/equations.csv: file not found"},
        {"--equations " + no_output, "the header has no column 'Output'"},
        {equations + " --rows 5", "--rows is 5; a fit needs at least 10"},
        {equations + " --test-rows -1", "--test-rows is -1"},
        {equations + " --seeds 0", "--seeds is 0"},
        {equations + " --jobs 0", "--jobs is 0"},
        {equations + " --threads -1", "--threads is -1"},
        {equations + " --noise -0.5", "--noise is -0.5"},
        {equations + " --epochs 2", "--epochs is 2"},
        {equations + " --trials -1", "--trials is -1"},
        {equations + " --points 2", "--points is 2"},
        {equations + " --filter '('", "--filter '(' is not a valid regular expression"},
        {equations + " --filter '^Z'", "no equation name matches --filter '^Z'"},
        {equations + " --out /nonexistent/results.csv",
         "/nonexistent/results.csv: cannot be written"},
    };
    for (const Case& c : cases) {
      INFO("lies-bench " << c.arguments);
      const Run result = run_bench(c.arguments);
      CHECK(result.exit_code == 2);
      CHECK(contains(result.out, c.message));
      CHECK(result.out.find('\n') == result.out.size() - 1);
    }
  }
}

}  // namespace
