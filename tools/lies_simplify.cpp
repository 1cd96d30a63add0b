// lies-simplify: print the simplified formula of a saved graph.
//
//   lies fit data.csv --save fit.json
//   lies-simplify fit.json --trace --data data.csv
#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "cli.hpp"
#include "lies/lies.hpp"

ABSL_FLAG(std::string, format, "infix",
          "Output syntax: infix (x^2), sympy (Python for SymPy, x**2), latex or c (an "
          "expression over <math.h>).");
ABSL_FLAG(bool, trace, false,
          "After the formula, list each rewrite rule that fired and how often, and why "
          "simplification stopped.");
ABSL_FLAG(std::string, data, "",
          "A table (CSV, TSV or whitespace-separated) with the graph's input and target "
          "columns: sign guards may use its rows, and R² before and after simplification "
          "is printed.");
ABSL_FLAG(bool, raw, false,
          "Print the formula the network computes before simplification, with the "
          "protected units as saved.");

namespace {

constexpr char kTool[] = "lies-simplify";

constexpr char kUsage[] =
    "Usage: lies-simplify FILE [options]\n"
    "\n"
    "Prints the formula that a saved graph computes (a trained network that\n"
    "'lies fit --save FILE' wrote), simplified by the rewrite rules of lies:\n"
    "constants fold, like terms collect, exp/log pairs cancel where their domain\n"
    "allows, powers merge, sine shifts become cosines, constants that are simple\n"
    "values up to rounding become those values, and multiples of pi, e and sqrt(2)\n"
    "print by name.\n"
    "\n"
    "Protected units (log(max(z, c)), exp(min(z, c))) become plain log and exp where\n"
    "their clamp never acted on the training rows, as recorded in FILE.\n"
    "Exit status: 0 success, 2 bad input, 1 internal error.\n";

using lies::cli::kExitBadInput;
using lies::cli::kExitInternal;
using lies::cli::kExitOk;

absl::StatusOr<lies::FormulaFormat> parse_format(const std::string& value) {
  if (value == "infix") return lies::FormulaFormat::kInfix;
  if (value == "sympy") return lies::FormulaFormat::kSympy;
  if (value == "latex") return lies::FormulaFormat::kLatex;
  if (value == "c") return lies::FormulaFormat::kC;
  return absl::InvalidArgumentError(
      absl::StrFormat("--format must be infix, sympy, latex or c, not '%s'", value));
}

// Reads the table of --data and checks that it has the network's input and target columns.
absl::StatusOr<lies::Table> read_rows(const std::string& path, const lies::Network& network) {
  auto table = lies::Table::read(path);
  if (!table.ok()) return table.status();
  std::vector<std::string> missing;
  for (const lies::NetworkInput& input : network.inputs()) {
    if (!table->find_column(input.name)) missing.push_back(input.name);
  }
  if (!table->find_column(network.target_name())) missing.push_back(network.target_name());
  if (!missing.empty()) {
    std::string names;
    for (const std::string& name : missing) names += (names.empty() ? "'" : ", '") + name + "'";
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: no column %s; the saved graph needs its inputs and target '%s' by name", path, names,
        network.target_name()));
  }
  return table;
}

std::string format_r2(double nmse) { return absl::StrFormat("%.12g", 1.0 - nmse); }

int run(const std::string& path) {
  const auto format = parse_format(absl::GetFlag(FLAGS_format));
  if (!format.ok()) return lies::cli::report(kTool, format.status());

  const auto network = lies::Network::read(path);
  if (!network.ok()) return lies::cli::report(kTool, network.status());

  std::optional<lies::Table> rows;
  if (!absl::GetFlag(FLAGS_data).empty()) {
    auto read = read_rows(absl::GetFlag(FLAGS_data), *network);
    if (!read.ok()) return lies::cli::report(kTool, read.status());
    rows = *std::move(read);
  }

  // The network as trained, with every protected unit clamped as in training.
  const lies::Formula clamped = network->clamped_formula();

  const bool raw = absl::GetFlag(FLAGS_raw);
  lies::Simplified simplified;
  if (!raw) {
    lies::SimplifyOptions options;
    options.positive_variables = network->positive_inputs();
    options.data = rows;
    auto result = network->formula().simplify(options);
    if (!result.ok()) return lies::cli::report(kTool, result.status());
    simplified = *std::move(result);
  }
  const lies::Formula& printed = raw ? clamped : simplified.formula;

  lies::PrintOptions print;
  print.format = *format;
  const auto text = printed.print(print);
  if (!text.ok()) return lies::cli::report(kTool, text.status());
  std::cout << network->target_name() << " = " << *text << "\n";

  const lies::SimplifyReport& report = simplified.report;
  if (!raw && report.stop != lies::SimplifyStop::kSaturated) {
    std::cerr << kTool << ": simplification stopped at the " << lies::to_string(report.stop)
              << "; the formula may simplify further\n";
  }
  if (absl::GetFlag(FLAGS_trace) && !raw) {
    std::cout << absl::StrFormat("\nrules fired (%s after %d rounds, %.3g ms):\n",
                                 lies::to_string(report.stop), report.rounds, report.seconds * 1e3);
    if (report.fired.empty()) std::cout << "  none\n";
    std::size_t width = 0;
    for (const auto& firing : report.fired) width = std::max(width, firing.rule.size());
    for (const auto& firing : report.fired) {
      std::cout << "  " << firing.rule << std::string(width - firing.rule.size() + 2, ' ')
                << firing.count << "\n";
    }
  }
  if (rows) {
    const auto before = clamped.nmse(*rows, network->target_name());
    if (!before.ok()) return lies::cli::report(kTool, before.status());
    const auto after = printed.nmse(*rows, network->target_name());
    if (!after.ok()) return lies::cli::report(kTool, after.status());
    std::cout << "\n  R² before   " << format_r2(*before) << "   (the network as saved)\n";
    std::cout << "  R² after    " << format_r2(*after) << "\n";
    std::cout << "  rows        " << rows->rows() << "\n";
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args =
      lies::cli::parse_command_line(argc, argv, kUsage, __FILE__);
  if (args.size() != 1) {
    std::cerr << kTool << ": expected one saved graph file, but got " << args.size()
              << " arguments (see lies-simplify --help)\n";
    return kExitBadInput;
  }
  try {
    return run(args[0]);
  } catch (const std::exception& error) {
    std::cerr << kTool << ": internal error: " << error.what() << "\n";
    return kExitInternal;
  }
}
