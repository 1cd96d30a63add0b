// Runs a command-line tool of lies from a test and captures what it prints.
#pragma once

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace lies::test {

struct Run {
  int exit_code = -1;
  std::string out;  // stdout and stderr together, unless `streams` redirects one
};

// Runs `executable arguments` through the shell; `streams` picks what is captured.
inline Run run_tool(const std::string& executable, const std::string& arguments,
                    const std::string& streams = "2>&1") {
  const std::string command = executable + " " + arguments + " " + streams;
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

}  // namespace lies::test
