// lies: discover a closed-form formula from a table with a LIES network.
//
//   lies fit data.csv --target F
//   lies fit                      (fits an embedded example)
#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "engine/fitter.hpp"
#include "io/formula_printer.hpp"
#include "io/saved_graph.hpp"
#include "io/table.hpp"
#include "nlohmann/json.hpp"
#include "tools/cli.hpp"
#include "tools/example_data.hpp"

ABSL_FLAG(std::string, target, "", "Name of the target column (default: the last column).");
ABSL_FLAG(std::uint64_t, seed, 0, "Seed of every random choice; the same seed, data and "
                                  "thread count give the same formula.");
ABSL_FLAG(int, epochs, 120, "Training epochs of each trial, over all phases.");
ABSL_FLAG(int, layers, 0, "Hidden layers of the LIES network (0: one per input column).");
ABSL_FLAG(std::string, log_space, "auto",
          "Fit log(y) from log(x): auto (when all values are positive, or the target is "
          "negative everywhere), on, or off.");
ABSL_FLAG(int, threads, 0, "Threads to use (0: all cores).");
ABSL_FLAG(int, trials, 4, "Independent training runs; the best formula wins.");
ABSL_FLAG(bool, json, false,
          "Print one JSON object (formula, sympy, r2, nmse, complexity, seconds, ...) "
          "instead of text.");
ABSL_FLAG(bool, verbose, false, "Show progress on stderr even when it is not a terminal.");
ABSL_FLAG(std::string, save, "",
          "Write the trained network to this file as a saved graph (JSON, see "
          "docs/saved-graph-format.md), for lies-simplify.");

namespace {

constexpr char kUsage[] =
    "Usage: lies fit [FILE] [options]\n"
    "\n"
    "Discovers a closed-form formula for one column of a table from the other columns,\n"
    "with a LIES network (units apply log, identity, exp and sin), sparsity-promoting\n"
    "training, pruning and rewriting.\n"
    "\n"
    "FILE is a CSV (comma) or TSV (tab) file with a header row, or a whitespace-separated\n"
    "file without header whose last column is the target (columns are then named\n"
    "x1..xn and y). Without FILE, lies fits an embedded example and says so.\n"
    "\n"
    "Prints the formula in the table's column names and units, its R² and NMSE on the\n"
    "data, its complexity (node count of the printed formula) and the time taken.\n"
    "Exit status: 0 success, 2 bad input, 1 internal error.\n";

using lies::cli::kExitBadInput;
using lies::cli::kExitOk;

absl::StatusOr<lies::engine::LogSpace> parse_log_space(const std::string& value) {
  if (value == "auto") return lies::engine::LogSpace::kAuto;
  if (value == "on") return lies::engine::LogSpace::kOn;
  if (value == "off") return lies::engine::LogSpace::kOff;
  return absl::InvalidArgumentError(
      absl::StrFormat("--log-space must be auto, on or off, not '%s'", value));
}

absl::Status check_ranges() {
  if (absl::GetFlag(FLAGS_epochs) < 4) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--epochs is %d; use at least 4 (the default is 120)", absl::GetFlag(FLAGS_epochs)));
  }
  if (absl::GetFlag(FLAGS_layers) < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--layers is %d; use 0 (one per input) or a positive number",
        absl::GetFlag(FLAGS_layers)));
  }
  if (absl::GetFlag(FLAGS_threads) < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--threads is %d; use 0 (all cores) or a positive number",
        absl::GetFlag(FLAGS_threads)));
  }
  if (absl::GetFlag(FLAGS_trials) < 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--trials is %d; use 1 or more", absl::GetFlag(FLAGS_trials)));
  }
  return absl::OkStatus();
}

// Redraws one progress line on stderr.
void show_progress(const lies::engine::Progress& progress) {
  if (progress.epoch.epochs > 0) {
    std::cerr << absl::StrFormat("\r\033[K%s: epoch %d/%d  loss %.6g  %.3g rows/s",
                                 progress.stage, progress.epoch.epoch, progress.epoch.epochs,
                                 progress.epoch.loss, progress.epoch.rows_per_second);
  } else {
    std::cerr << absl::StrFormat("\r\033[K%s ...", progress.stage);
  }
  std::cerr.flush();
}

std::string format_number(double v) { return absl::StrFormat("%.12g", v); }

#ifndef LIES_VERSION
#define LIES_VERSION "unknown"
#endif

// Writes the network of `result` to the file of --save, with the options that produced it.
absl::Status save_network(const lies::engine::FitResult& result,
                          const lies::engine::Dataset& data,
                          const lies::engine::FitOptions& options) {
  lies::io::Producer producer;
  producer.tool = "lies fit";
  producer.version = LIES_VERSION;
  producer.seed = options.seed;
  producer.options = {
      {"target", result.target_name},
      {"epochs", std::to_string(options.epochs)},
      {"layers", std::to_string(options.layers)},
      {"log_space", absl::GetFlag(FLAGS_log_space)},
      {"trials", std::to_string(options.trials)},
  };
  const lies::io::SavedGraph saved = lies::io::saved_graph_from_fit(result, data, producer);
  return lies::cli::write_file_atomically(absl::GetFlag(FLAGS_save),
                                          lies::io::format_saved_graph(saved));
}

int run_fit(const std::vector<std::string>& args) {
  if (args.size() > 2) {
    std::cerr << "lies: fit takes at most one data file, but got " << args.size() - 1
              << " arguments (see lies --help)\n";
    return kExitBadInput;
  }
  if (absl::Status s = check_ranges(); !s.ok()) return lies::cli::report("lies", s);
  const auto log_space = parse_log_space(absl::GetFlag(FLAGS_log_space));
  if (!log_space.ok()) return lies::cli::report("lies", log_space.status());

  lies::engine::Dataset data;
  if (args.size() == 2) {
    auto table = lies::io::read_table(args[1]);
    if (!table.ok()) return lies::cli::report("lies", table.status());
    data = *std::move(table);
  } else {
    lies::cli::Example example = lies::cli::kepler_example();
    std::cerr << "lies: no data file given, so fitting the embedded example: "
              << example.description << "\n";
    data = std::move(example.data);
  }

  lies::engine::FitOptions options;
  if (!absl::GetFlag(FLAGS_target).empty()) options.target = absl::GetFlag(FLAGS_target);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.epochs = absl::GetFlag(FLAGS_epochs);
  options.layers = absl::GetFlag(FLAGS_layers);
  options.log_space = *log_space;
  options.threads = absl::GetFlag(FLAGS_threads);
  options.trials = absl::GetFlag(FLAGS_trials);
  const bool progress = absl::GetFlag(FLAGS_verbose) || lies::cli::stderr_is_terminal();
  if (progress) options.on_progress = show_progress;

  const auto result = lies::engine::fit(data, options);
  if (progress) std::cerr << "\r\033[K";
  if (!result.ok()) return lies::cli::report("lies", result.status());
  if (!absl::GetFlag(FLAGS_save).empty()) {
    if (absl::Status s = save_network(*result, data, options); !s.ok()) {
      return lies::cli::report("lies", s);
    }
    std::cerr << "lies: saved the trained network to " << absl::GetFlag(FLAGS_save) << "\n";
  }

  lies::io::PrintOptions print;
  print.input_names = result->input_names;
  const auto formula = lies::io::print_formula(result->graph, result->formula, print);
  print.format = lies::io::FormulaFormat::kSympy;
  const auto sympy = lies::io::print_formula(result->graph, result->formula, print);
  if (!formula.ok()) return lies::cli::report("lies", formula.status());
  if (!sympy.ok()) return lies::cli::report("lies", sympy.status());
  const std::uint64_t complexity =
      lies::io::formula_complexity(result->graph, result->formula);

  if (absl::GetFlag(FLAGS_json)) {
    nlohmann::json json;
    json["formula"] = *formula;
    json["sympy"] = *sympy;
    json["target"] = result->target_name;
    json["inputs"] = result->input_names;
    json["r2"] = result->r2;
    json["nmse"] = result->nmse;
    json["complexity"] = complexity;
    json["seconds"] = result->seconds;
    json["rows"] = result->rows;
    json["log_space"] = result->log_space;
    json["seed"] = options.seed;
    json["trials"] = result->trials;
    std::cout << json.dump() << "\n";
    return kExitOk;
  }

  std::cout << result->target_name << " = " << *formula << "\n\n";
  std::cout << "  R²          " << format_number(result->r2) << "\n";
  std::cout << "  NMSE        " << format_number(result->nmse) << "\n";
  std::cout << "  complexity  " << complexity << "\n";
  std::cout << "  rows        " << result->rows
            << (result->log_space ? " (fitted in log space)" : "") << "\n";
  std::cout << "  time        " << absl::StrFormat("%.2f s", result->seconds) << "\n";
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args =
      lies::cli::parse_command_line(argc, argv, kUsage, __FILE__);
  if (args.empty()) {
    std::cerr << "lies: missing command; use 'lies fit [FILE]' (see lies --help)\n";
    return kExitBadInput;
  }
  if (args[0] != "fit") {
    std::cerr << "lies: unknown command '" << args[0]
              << "'; the command is 'fit' (see lies --help)\n";
    return kExitBadInput;
  }
  return run_fit(args);
}
