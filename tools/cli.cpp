#include "cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

#ifndef LIES_VERSION
#define LIES_VERSION "unknown"
#endif

namespace lies::cli {
namespace {

std::string program_name(const char* argv0) {
  return std::filesystem::path(argv0 == nullptr ? "lies" : argv0).filename().string();
}

[[noreturn]] void fail_usage(const std::string& program, const std::string& message) {
  std::cerr << program << ": " << message << " (see " << program << " --help)\n";
  std::exit(kExitBadInput);
}

// Describes what a value of `flag` must look like, for the error on one that does not parse.
std::string expected_value(const absl::CommandLineFlag& flag) {
  if (flag.IsOfType<bool>()) return "true or false";
  if (flag.IsOfType<int>()) return "a whole number";
  if (flag.IsOfType<std::uint64_t>()) return "a whole number from 0 to 18446744073709551615";
  if (flag.IsOfType<double>()) return "a number";
  return "a value of the type that --help shows";
}

bool is_bool_flag(const absl::CommandLineFlag& flag) { return flag.IsOfType<bool>(); }

void print_help(std::string_view usage, std::string_view flags_file) {
  std::cout << usage;
  if (!usage.empty() && usage.back() != '\n') std::cout << '\n';
  const std::string file = std::filesystem::path(std::string(flags_file)).filename().string();
  std::map<std::string, const absl::CommandLineFlag*> own;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (std::filesystem::path(flag->Filename()).filename().string() == file) {
      own.emplace(absl::StrReplaceAll(name, {{"_", "-"}}), flag);
    }
  }
  if (own.empty()) return;
  std::cout << "\nOptions:\n";
  constexpr std::size_t kIndent = 24;
  constexpr std::size_t kWidth = 88;
  for (const auto& [name, flag] : own) {
    std::string left = "  --" + name;
    if (!is_bool_flag(*flag)) left += "=VALUE";
    if (is_bool_flag(*flag) && flag->DefaultValue() == "true") left = "  --[no-]" + name;
    std::string text = flag->Help();
    const std::string default_value = flag->DefaultValue();
    if (!default_value.empty() && default_value != "false") {
      text += " (default: " + default_value + ")";
    }
    // Word-wrap the description into the right-hand column.
    std::vector<std::string> lines(1);
    for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
      if (!lines.back().empty() && lines.back().size() + 1 + word.size() > kWidth - kIndent) {
        lines.emplace_back();
      }
      if (!lines.back().empty()) lines.back() += ' ';
      lines.back().append(word.data(), word.size());
    }
    std::cout << left;
    if (left.size() + 1 > kIndent) {
      std::cout << "\n" << std::string(kIndent, ' ');
    } else {
      std::cout << std::string(kIndent - left.size(), ' ');
    }
    for (std::size_t k = 0; k < lines.size(); ++k) {
      if (k > 0) std::cout << std::string(kIndent, ' ');
      std::cout << lines[k] << '\n';
    }
  }
  std::cout << "  --help                Print this help and exit.\n"
               "  --version             Print the version and exit.\n";
}

}  // namespace

std::vector<std::string> parse_command_line(int argc, char** argv, std::string_view usage,
                                            std::string_view flags_file) {
  const std::string program = program_name(argc > 0 ? argv[0] : nullptr);
  std::vector<std::string> positional;
  bool flags_ended = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (flags_ended || arg.size() < 2 || arg[0] != '-' || arg == "-") {
      positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    if (arg == "-h" || arg == "--help" || arg == "-help") {
      print_help(usage, flags_file);
      std::exit(kExitOk);
    }
    if (arg == "--version") {
      std::cout << program << " " << LIES_VERSION << "\n";
      std::exit(kExitOk);
    }

    const std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    const std::size_t equals = body.find('=');
    const std::string spelled = body.substr(0, equals);
    std::string name = absl::StrReplaceAll(spelled, {{"-", "_"}});
    std::optional<std::string> value;
    if (equals != std::string::npos) value = body.substr(equals + 1);

    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr && name.rfind("no", 0) == 0 && !value) {
      // --no-oversample or --nooversample: the negative spelling of a boolean flag.
      const std::size_t skip = name.rfind("no_", 0) == 0 ? 3 : 2;
      absl::CommandLineFlag* negated = absl::FindCommandLineFlag(name.substr(skip));
      if (negated != nullptr && is_bool_flag(*negated)) {
        flag = negated;
        value = "false";
      }
    }
    if (flag == nullptr || flag->IsRetired()) {
      fail_usage(program, "unknown option --" + spelled);
    }
    if (!value) {
      if (is_bool_flag(*flag)) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        fail_usage(program, "option --" + spelled + " needs a value");
      }
    }
    std::string error;
    if (!flag->ParseFrom(*value, &error)) {
      fail_usage(program, "invalid value '" + *value + "' for --" + spelled + "; use " +
                              expected_value(*flag));
    }
  }
  return positional;
}

int report(std::string_view tool, const absl::Status& status) {
  std::cerr << tool << ": " << status.message() << "\n";
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kAlreadyExists:
      return kExitBadInput;
    default:
      return kExitInternal;
  }
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

}  // namespace lies::cli
