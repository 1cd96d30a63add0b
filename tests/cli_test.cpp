// End-to-end tests of the `lies` executable: exit codes, messages and output formats.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "nlohmann/json.hpp"

namespace {

struct Run {
  int exit_code = -1;
  std::string out;  // stdout and stderr together, unless split
};

// Runs `lies <arguments>` through the shell; `streams` picks what is captured.
Run run_lies(const std::string& arguments, const std::string& streams = "2>&1") {
  const std::string command = std::string(LIES_EXECUTABLE) + " " + arguments + " " + streams;
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer;
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
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
        {"fit --epochs=abc", "invalid value 'abc' for --epochs"},
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
    const Case cases[] = {
        {"empty.csv", "", "", "no table found"},
        {"header.csv", "x,y\n", "", "not followed by any data rows"},
        {"ragged.csv", "x,y\n1,2\n3,4,5\n", "", "ragged.csv:3"},
        {"text.csv", "x,y\n1,2\n3,abc\n", "", "\"abc\" is not a number"},
        {"nan.csv", "x,y\n1,2\n3,nan\n", "", "not finite"},
        {"inf.csv", "x,y\n1,inf\n", "", "not finite"},
        {"few.csv", "x,y\n1,2\n2,3\n3,5\n", "", "3 data rows; a fit needs at least 10"},
        {"constant.csv", ten_rows_constant, "", "is constant"},
        {"target.csv", good_csv(), "--target z", "target column 'z' not found"},
        {"negative.csv", with_negative, "--log-space on", "log space needs positive inputs"},
        {"only.csv", "y\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n", "", "at least one input"},
    };
    for (const Case& c : cases) {
      INFO(c.name);
      const TempFile file(c.name, c.contents);
      const Run run = run_lies("fit " + file.path.string() + " " + c.arguments);
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
}

}  // namespace
