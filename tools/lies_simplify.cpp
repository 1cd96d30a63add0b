// lies-simplify: print the simplified formula of a saved graph.
//
//   lies fit data.csv --save fit.json
//   lies-simplify fit.json --trace --data data.csv
#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "engine/network_formula.hpp"
#include "engine/refine.hpp"
#include "io/formula_printer.hpp"
#include "io/saved_graph.hpp"
#include "io/table.hpp"
#include "simplify/simplify.hpp"
#include "tools/cli.hpp"

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

absl::StatusOr<lies::io::FormulaFormat> parse_format(const std::string& value) {
  if (value == "infix") return lies::io::FormulaFormat::kInfix;
  if (value == "sympy") return lies::io::FormulaFormat::kSympy;
  if (value == "latex") return lies::io::FormulaFormat::kLatex;
  if (value == "c") return lies::io::FormulaFormat::kC;
  return absl::InvalidArgumentError(
      absl::StrFormat("--format must be infix, sympy, latex or c, not '%s'", value));
}

// The rows of --data: the graph's input columns in its order, and the target column.
struct Rows {
  lies::engine::Dataset table;
  lies::autodiff::Columns inputs;
  const double* target = nullptr;
};

absl::StatusOr<Rows> read_rows(const std::string& path, const lies::io::SavedGraph& graph) {
  auto table = lies::io::read_table(path);
  if (!table.ok()) return table.status();
  Rows rows;
  rows.table = *std::move(table);
  std::vector<std::string> missing;
  for (const lies::io::SavedInput& input : graph.inputs) {
    const auto column = rows.table.find_column(input.name);
    if (!column) {
      missing.push_back(input.name);
      continue;
    }
    rows.inputs.data.push_back(rows.table.columns[*column].data());
  }
  const auto target = rows.table.find_column(graph.target_name);
  if (!target) missing.push_back(graph.target_name);
  if (!missing.empty()) {
    std::string names;
    for (const std::string& name : missing) names += (names.empty() ? "'" : ", '") + name + "'";
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: no column %s; the saved graph needs its inputs and target '%s' by name", path,
        names, graph.target_name));
  }
  rows.inputs.rows = rows.table.rows();
  rows.target = rows.table.columns[*target].data();
  return rows;
}

std::string format_r2(double nmse) { return absl::StrFormat("%.12g", 1.0 - nmse); }

int run(const std::string& path) {
  const auto format = parse_format(absl::GetFlag(FLAGS_format));
  if (!format.ok()) return lies::cli::report(kTool, format.status());

  const auto graph = lies::io::read_saved_graph(path);
  if (!graph.ok()) return lies::cli::report(kTool, graph.status());

  std::optional<Rows> rows;
  if (!absl::GetFlag(FLAGS_data).empty()) {
    auto read = read_rows(absl::GetFlag(FLAGS_data), *graph);
    if (!read.ok()) return lies::cli::report(kTool, read.status());
    rows = *std::move(read);
  }

  // The network as trained, with every protected unit clamped as in training.
  lies::engine::Graph network;
  lies::engine::TrainedNetwork exact = graph->network;
  exact.protected_ranges.clear();
  const lies::engine::NodeId network_root = lies::engine::network_formula(exact, network);

  lies::engine::Graph released;
  const lies::engine::NodeId released_root =
      lies::engine::network_formula(graph->network, released);

  lies::simplify::SimplifyOptions options;
  options.facts = lies::io::domain_facts(*graph);
  if (rows) options.data = &rows->inputs;
  lies::engine::Graph simplified;
  const lies::simplify::SimplifyResult result =
      absl::GetFlag(FLAGS_raw)
          ? lies::simplify::SimplifyResult{}
          : lies::simplify::simplify(released, released_root, simplified, options);
  const lies::engine::Graph& printed = absl::GetFlag(FLAGS_raw) ? network : simplified;
  const lies::engine::NodeId printed_root = absl::GetFlag(FLAGS_raw) ? network_root : result.root;

  lies::io::PrintOptions print;
  print.format = *format;
  for (const lies::io::SavedInput& input : graph->inputs) print.input_names.push_back(input.name);
  const auto text = lies::io::print_formula(printed, printed_root, print);
  if (!text.ok()) return lies::cli::report(kTool, text.status());
  std::cout << graph->target_name << " = " << *text << "\n";

  if (!absl::GetFlag(FLAGS_raw) && result.report.stop != lies::simplify::StopReason::kSaturated) {
    std::cerr << kTool << ": simplification stopped at the "
              << lies::simplify::describe(result.report.stop)
              << "; the formula may simplify further\n";
  }
  if (absl::GetFlag(FLAGS_trace) && !absl::GetFlag(FLAGS_raw)) {
    const auto& report = result.report;
    std::cout << absl::StrFormat("\nrules fired (%s after %d rounds, %.3g ms):\n",
                                 lies::simplify::describe(report.stop), report.rounds,
                                 report.seconds * 1e3);
    if (report.fired.empty()) std::cout << "  none\n";
    std::size_t width = 0;
    for (const auto& firing : report.fired) width = std::max(width, firing.rule.size());
    for (const auto& firing : report.fired) {
      std::cout << "  " << firing.rule << std::string(width - firing.rule.size() + 2, ' ')
                << firing.count << "\n";
    }
  }
  if (rows) {
    const double before = lies::engine::formula_nmse(network, network_root, rows->inputs,
                                                     rows->target, 0);
    const double after = lies::engine::formula_nmse(printed, printed_root, rows->inputs,
                                                    rows->target, 0);
    std::cout << "\n  R² before   " << format_r2(before) << "   (the network as saved)\n";
    std::cout << "  R² after    " << format_r2(after) << "\n";
    std::cout << "  rows        " << rows->inputs.rows << "\n";
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
