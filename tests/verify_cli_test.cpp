// End-to-end tests of the lies-verify executable: exit codes, messages and output.
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

namespace {

struct Run {
  int exit_code = -1;
  std::string out;  // stdout and stderr together, unless `streams` redirects one
};

// Runs `executable arguments` through the shell; `streams` picks what is captured.
Run run(const char* executable, const std::string& arguments, const std::string& streams = "2>&1") {
  const std::string command = std::string(executable) + " " + arguments + " " + streams;
  Run result;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer;
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.out.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

Run run_verify(const std::string& arguments, const std::string& streams = "2>&1") {
  return run(LIES_VERIFY_EXECUTABLE, arguments, streams);
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

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// The line of `text` that starts with `prefix` (after leading spaces), or "".
std::string line_starting(const std::string& text, const std::string& prefix) {
  for (const std::string& line : lines_of(text)) {
    const std::size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos && line.compare(first, prefix.size(), prefix) == 0) return line;
  }
  return "";
}

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

}

}  // namespace
