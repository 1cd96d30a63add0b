// lies-verify: check a formula in high precision, against data or against a ground truth.
//
//   lies-verify --formula "a^1.5/sqrt(M)" --data kepler.csv --target T
//   lies-verify --formula "sin(x + pi/2)" --truth "cos(x)" --vars x:-3:3
#include <charconv>
#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli.hpp"
#include "lies/lies.hpp"

ABSL_FLAG(std::string, formula, "", "The formula to check, in infix notation (required).");
ABSL_FLAG(std::string, data, "",
          "Table to measure the formula on: CSV, TSV or whitespace-separated, as for lies fit.");
ABSL_FLAG(std::string, target, "",
          "With --data: name of the target column (default: the last column).");
ABSL_FLAG(std::string, truth, "",
          "Ground-truth formula; checks whether --formula is a symbolic solution of it.");
ABSL_FLAG(std::string, vars, "",
          "With --truth: the range of every variable, as NAME:LOW:HIGH,NAME:LOW:HIGH,...");
ABSL_FLAG(std::uint64_t, seed, 0, "With --truth: seed of the random points.");
ABSL_FLAG(int, points, 200, "With --truth: number of random points.");
ABSL_FLAG(double, tolerance, 1e-12,
          "With --truth: largest relative spread of truth - formula or truth / formula that "
          "counts as constant.");

namespace {

constexpr char kTool[] = "lies-verify";

// Exit status when --formula is not a symbolic solution of --truth, or when too few points
// are valid to decide.
constexpr int kExitNotVerified = 3;

constexpr char kUsage[] =
    "Usage: lies-verify --formula F --data FILE [--target NAME]\n"
    "       lies-verify --formula F --truth T --vars NAME:LOW:HIGH,...\n"
    "\n"
    "With --data, prints R², NMSE and the largest relative error of F on the table, each\n"
    "computed in double and in 50 significant digits. Where the two differ, rounding in\n"
    "double matters for this formula and data. Every column but the target is a variable\n"
    "that F may use.\n"
    "\n"
    "With --truth, decides whether F is a symbolic solution of T: whether T - F or T / F\n"
    "is constant (the ratio non-zero). Both are evaluated in 100 digits at random points\n"
    "drawn uniformly from the --vars ranges. A deviation counts against the formula only\n"
    "beyond the tolerance times its condition magnitude, because constants such as pi are\n"
    "doubles. Prints the verdict, the constant and the tolerance used.\n"
    "\n"
    "Exit status: 0 accuracy measured or F verified, 3 F is not a solution or too few\n"
    "points are valid to decide, 2 bad input, 1 internal error.\n";

using lies::cli::kExitBadInput;
using lies::cli::kExitOk;

absl::Status bad_input(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

// Parses NAME:LOW:HIGH,NAME:LOW:HIGH,... into ranges.
absl::StatusOr<std::vector<lies::VariableRange>> parse_ranges(const std::string& text) {
  std::vector<lies::VariableRange> ranges;
  if (absl::StripAsciiWhitespace(text).empty()) return ranges;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    item = absl::StripAsciiWhitespace(item);
    const std::vector<absl::string_view> parts = absl::StrSplit(item, ':');
    if (parts.size() != 3) {
      return bad_input(absl::StrFormat(
          "--vars: '%s' is not of the form NAME:LOW:HIGH, such as x:-1:2.5", std::string(item)));
    }
    lies::VariableRange range;
    range.name = std::string(absl::StripAsciiWhitespace(parts[0]));
    double* ends[] = {&range.low, &range.high};
    const char* end_names[] = {"low", "high"};
    for (int k = 0; k < 2; ++k) {
      absl::string_view number = absl::StripAsciiWhitespace(parts[k + 1]);
      absl::ConsumePrefix(&number, "+");
      const auto result = std::from_chars(number.data(), number.data() + number.size(), *ends[k]);
      if (number.empty() || result.ec != std::errc() ||
          result.ptr != number.data() + number.size()) {
        return bad_input(absl::StrFormat("--vars: the %s end '%s' of '%s' is not a number",
                                         end_names[k], std::string(parts[k + 1]), range.name));
      }
    }
    ranges.push_back(std::move(range));
  }
  if (absl::Status status = lies::validate_ranges(ranges); !status.ok()) {
    return bad_input(absl::StrCat("--vars: ", status.message()));
  }
  return ranges;
}

std::string format_double(double value) { return absl::StrFormat("%.17g", value); }

// Prints one row of the accuracy table, padding by characters so that R² lines up.
void print_row(std::string_view label, std::string_view in_double, std::string_view in_50) {
  std::size_t characters = 0;
  for (const char c : label) characters += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  const std::string padding(characters < 20 ? 20 - characters : 1, ' ');
  std::cout << "  " << label << padding << absl::StrFormat("%-26s %s\n", in_double, in_50);
}

int run_accuracy(const std::string& formula) {
  if (!absl::GetFlag(FLAGS_vars).empty()) {
    return lies::cli::report(kTool, bad_input("--vars applies only with --truth"));
  }
  absl::StatusOr<lies::Table> data = lies::Table::read(absl::GetFlag(FLAGS_data));
  if (!data.ok()) return lies::cli::report(kTool, data.status());
  const absl::StatusOr<lies::AccuracyReport> report =
      lies::measure_accuracy(formula, *data, absl::GetFlag(FLAGS_target));
  if (!report.ok()) return lies::cli::report(kTool, report.status());

  const auto& in_double = report->in_double;
  const auto& in_50 = report->in_50_digits;
  constexpr int kDigits = 20;
  std::cout << report->target << " = " << formula << "\n";
  std::cout << "rows " << in_double.rows << " of " << data->source() << "\n\n";
  print_row("", "double", "50 digits");
  print_row("R²", format_double(in_double.r2), in_50.r2.to_string(kDigits));
  print_row("NMSE", format_double(in_double.nmse), in_50.nmse.to_string(kDigits));
  print_row("max relative error", format_double(in_double.max_relative_error),
            in_50.max_relative_error.to_string(kDigits));
  if (in_double.non_finite_rows > 0 || in_50.non_finite_rows > 0) {
    print_row("non-finite rows", absl::StrCat(in_double.non_finite_rows),
              absl::StrCat(in_50.non_finite_rows));
  }
  return kExitOk;
}

int run_solution(const std::string& formula) {
  if (!absl::GetFlag(FLAGS_target).empty()) {
    return lies::cli::report(kTool, bad_input("--target applies only with --data"));
  }
  const absl::StatusOr<std::vector<lies::VariableRange>> ranges =
      parse_ranges(absl::GetFlag(FLAGS_vars));
  if (!ranges.ok()) return lies::cli::report(kTool, ranges.status());

  lies::SolutionOptions options;
  options.seed = absl::GetFlag(FLAGS_seed);
  options.points = absl::GetFlag(FLAGS_points);
  options.tolerance = absl::GetFlag(FLAGS_tolerance);
  if (options.points < static_cast<int>(lies::kMinValidPoints) ||
      options.points > lies::kMaxPoints) {
    return lies::cli::report(
        kTool, bad_input(absl::StrFormat("--points is %d; use %d to %d", options.points,
                                         lies::kMinValidPoints, lies::kMaxPoints)));
  }
  if (!(options.tolerance >= 0.0 && options.tolerance <= 1.0)) {
    return lies::cli::report(
        kTool, bad_input(absl::StrFormat("--tolerance is %g; use a value from 0 to 1 such as 1e-12",
                                         options.tolerance)));
  }
  const std::string truth = absl::GetFlag(FLAGS_truth);
  absl::StatusOr<lies::SolutionCheck> check =
      lies::check_solution(truth, formula, *ranges, options);
  if (!check.ok()) {
    std::string message(check.status().message());
    if (message.find("unknown variable") != std::string::npos) {
      message += "; give every variable a range with --vars NAME:LOW:HIGH";
    }
    absl::Status status(check.status().code(), message);
    return lies::cli::report(kTool, status);
  }

  using lies::Relation;
  using lies::Verdict;
  const bool difference = check->relation == Relation::kDifference;
  const char* relation = difference ? "truth - formula" : "truth / formula";
  switch (check->verdict) {
    case Verdict::kSolution:
      std::cout << "verified: " << relation << " is constant\n";
      break;
    case Verdict::kNotSolution:
      std::cout << "not a solution: neither truth - formula nor truth / formula is constant\n";
      break;
    case Verdict::kUndecided:
      std::cout << absl::StrFormat(
          "undecided: only %d of %d points have finite values on both sides\n", check->valid_points,
          check->points);
      break;
  }
  std::cout << "\n";
  const std::string constant = check->constant.to_string(17);
  if (check->verdict == Verdict::kSolution) {
    std::cout << absl::StrFormat("  %-18s %s = %s\n", "constant", relation, constant);
  } else {
    std::cout << absl::StrFormat("  %-18s none (closest: %s ≈ %s)\n", "constant", relation,
                                 constant);
  }
  std::cout << absl::StrFormat("  %-18s %.3g\n", "difference spread", check->difference_spread);
  std::cout << absl::StrFormat("  %-18s %.3g\n", "ratio spread", check->ratio_spread);
  std::cout << absl::StrFormat("  %-18s %.3g (relative to the condition magnitude)\n", "tolerance",
                               check->tolerance);
  std::cout << absl::StrFormat("  %-18s %d valid of %d, seed %d\n", "points", check->valid_points,
                               check->points, options.seed);
  if (check->truth_not_finite > 0 || check->formula_not_finite > 0) {
    std::cout << absl::StrFormat("  %-18s %d for the truth, %d for the formula\n", "not finite",
                                 check->truth_not_finite, check->formula_not_finite);
  }
  return check->verdict == Verdict::kSolution ? kExitOk : kExitNotVerified;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args = lies::cli::parse_command_line(argc, argv, kUsage, __FILE__);
  if (!args.empty()) {
    std::cerr << kTool << ": unexpected argument '" << args[0]
              << "'; quote the formula and pass it with --formula (see " << kTool << " --help)\n";
    return kExitBadInput;
  }
  const std::string formula = absl::GetFlag(FLAGS_formula);
  const bool has_data = !absl::GetFlag(FLAGS_data).empty();
  const bool has_truth = !absl::GetFlag(FLAGS_truth).empty();
  if (formula.empty()) {
    std::cerr << kTool << ": missing --formula; give the formula to check (see " << kTool
              << " --help)\n";
    return kExitBadInput;
  }
  if (has_data == has_truth) {
    std::cerr << kTool
              << (has_data ? ": give either --data or --truth, not both"
                           : ": missing --data or --truth; give --data FILE to measure "
                             "accuracy, or --truth T with --vars to check a symbolic solution")
              << " (see " << kTool << " --help)\n";
    return kExitBadInput;
  }
  return has_data ? run_accuracy(formula) : run_solution(formula);
}
