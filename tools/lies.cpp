// lies: discover a closed-form formula from a table with a LIES network.
//
//   lies fit data.csv --target F
//   lies fit                      (fits an embedded example)
#include <chrono>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "cli.hpp"
#include "example_data.hpp"
#include "lies/lies.hpp"
#include "nlohmann/json.hpp"

namespace {
const lies::FitOptions kDefaults;
}  // namespace

ABSL_FLAG(std::string, target, "", "Name of the target column (default: the last column).");
ABSL_FLAG(std::uint64_t, seed, 0,
          "Seed of every random choice; the same seed and data give the same formula.");
ABSL_FLAG(int, epochs, kDefaults.epochs, "Training epochs of each trial, over all its phases.");
ABSL_FLAG(int, layers, 0, "Hidden layers of the LIES network (0: one per input column).");
ABSL_FLAG(std::string, log_space, "auto",
          "Fit log(y) from log(x): auto (tried beside linear space when all inputs are "
          "positive and the target has one sign), on, or off.");
ABSL_FLAG(int, threads, 0, "Threads to use (0: all cores).");
ABSL_FLAG(int, trials, kDefaults.trials,
          "Maximum number of independent training runs. Runs stop early, after a round of "
          "four, once a formula fits the validation rows exactly.");
ABSL_FLAG(double, time_limit, 0,
          "Stop starting new work after this many seconds and return the best front so far "
          "(0: no limit). A run cut by the limit depends on the machine's speed.");
ABSL_FLAG(int, max_epochs, 0, "Training epochs over all trials (0: no limit).");
ABSL_FLAG(bool, subsample, true,
          "Hold out rows for validation and model selection (--no-subsample trains and "
          "validates on every row).");
ABSL_FLAG(bool, oversample, true, "Retrain with extra rows from the worst-fitted region.");
ABSL_FLAG(bool, eliminate, true,
          "Eliminate weights by refitting, and offer sparser variants on the front.");
ABSL_FLAG(bool, refine, true, "Refit constants by Levenberg-Marquardt and snap them to "
                              "simple values where the data allow.");
ABSL_FLAG(bool, both_spaces, true,
          "With --log-space auto, alternate trials between log and linear space.");
ABSL_FLAG(bool, front, false, "Also print the Pareto front of complexity against error.");
ABSL_FLAG(bool, json, false,
          "Print one JSON object (formula, sympy, r2, nmse, complexity, seconds, front, ...) "
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

absl::StatusOr<lies::LogSpace> parse_log_space(const std::string& value) {
  if (value == "auto") return lies::LogSpace::kAuto;
  if (value == "on") return lies::LogSpace::kOn;
  if (value == "off") return lies::LogSpace::kOff;
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
  if (!(absl::GetFlag(FLAGS_time_limit) >= 0.0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--time-limit is %g; use 0 (no limit) or a number of seconds",
                        absl::GetFlag(FLAGS_time_limit)));
  }
  if (absl::GetFlag(FLAGS_max_epochs) < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--max-epochs is %d; use 0 (no limit) or a positive number",
        absl::GetFlag(FLAGS_max_epochs)));
  }
  return absl::OkStatus();
}

// Progress display of a fit on stderr. On a terminal it redraws one line in place.
// Into a log file or a pipe it writes whole lines: one when a trial enters a new stage,
// and at most one per second within a stage.
class ProgressDisplay {
 public:
  explicit ProgressDisplay(bool terminal) : terminal_(terminal) {}

  void show(const lies::FitProgress& progress) {
    const auto now = std::chrono::steady_clock::now();
    const bool new_stage = progress.trial != last_trial_ || progress.stage != last_stage_;
    if (!terminal_ && !new_stage && now - last_line_ < std::chrono::seconds(1)) return;
    last_trial_ = progress.trial;
    last_stage_ = progress.stage;
    last_line_ = now;

    std::string line = absl::StrFormat("trial %d (%d of %d done", progress.trial + 1,
                                       progress.trials_done, progress.trials);
    if (std::isfinite(progress.best_error)) {
      line += absl::StrFormat(", best NMSE %.3g", progress.best_error);
    }
    line += absl::StrFormat("): %s", progress.stage);
    if (progress.epochs > 0) {
      line += absl::StrFormat(" epoch %d/%d, loss %.6g, %.3g rows/s", progress.epoch,
                              progress.epochs, progress.loss, progress.rows_per_second);
    }
    if (terminal_) {
      std::cerr << "\r\033[K" << line;
    } else {
      std::cerr << "lies: " << line << "\n";
    }
    std::cerr.flush();
  }

  // Clears the redrawn line, so that what follows starts on an empty line.
  void finish() const {
    if (terminal_) std::cerr << "\r\033[K";
  }

 private:
  bool terminal_;
  int last_trial_ = -1;
  std::string last_stage_;
  std::chrono::steady_clock::time_point last_line_;
};

std::string format_number(double v) { return absl::StrFormat("%.12g", v); }

#ifndef LIES_VERSION
#define LIES_VERSION "unknown"
#endif

// Writes the network of `result` to the file of --save, with the options that produced it.
absl::Status save_network(const lies::FitResult& result, const lies::FitOptions& options) {
  lies::Producer producer;
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
  const lies::Network network = result.network.with_producer(std::move(producer));
  return lies::write_file_atomically(absl::GetFlag(FLAGS_save), network.to_json());
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

  lies::Table data;
  if (args.size() == 2) {
    auto table = lies::Table::read(args[1]);
    if (!table.ok()) return lies::cli::report("lies", table.status());
    data = *std::move(table);
  } else {
    auto example = lies::cli::kepler_example();
    if (!example.ok()) return lies::cli::report("lies", example.status());
    std::cerr << "lies: no data file given, so fitting the embedded example: "
              << example->description << "\n";
    data = std::move(example->data);
  }

  lies::FitOptions options;
  if (!absl::GetFlag(FLAGS_target).empty()) options.target = absl::GetFlag(FLAGS_target);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.epochs = absl::GetFlag(FLAGS_epochs);
  options.layers = absl::GetFlag(FLAGS_layers);
  options.log_space = *log_space;
  options.threads = absl::GetFlag(FLAGS_threads);
  options.trials = absl::GetFlag(FLAGS_trials);
  options.time_limit_seconds = absl::GetFlag(FLAGS_time_limit);
  options.max_epochs = absl::GetFlag(FLAGS_max_epochs);
  options.subsample = absl::GetFlag(FLAGS_subsample);
  options.oversample = absl::GetFlag(FLAGS_oversample);
  options.eliminate = absl::GetFlag(FLAGS_eliminate);
  options.refine = absl::GetFlag(FLAGS_refine);
  options.both_spaces = absl::GetFlag(FLAGS_both_spaces);
  const bool terminal = lies::cli::stderr_is_terminal();
  const bool progress = absl::GetFlag(FLAGS_verbose) || terminal;
  ProgressDisplay display(terminal);
  if (progress) {
    options.on_progress = [&display](const lies::FitProgress& p) { display.show(p); };
  }

  const auto result = lies::fit(data, options);
  if (progress) display.finish();
  if (!result.ok()) return lies::cli::report("lies", result.status());
  if (!absl::GetFlag(FLAGS_save).empty()) {
    if (absl::Status s = save_network(*result, options); !s.ok()) {
      return lies::cli::report("lies", s);
    }
    std::cerr << "lies: saved the trained network to " << absl::GetFlag(FLAGS_save) << "\n";
  }

  lies::PrintOptions sympy_print;
  sympy_print.format = lies::FormulaFormat::kSympy;

  // Prints every formula of the front, so a failure is reported before any output.
  std::vector<std::string> infix, sympy;
  for (const lies::FrontEntry& entry : result->front) {
    const auto text = entry.formula.print();
    if (!text.ok()) return lies::cli::report("lies", text.status());
    const auto sympy_text = entry.formula.print(sympy_print);
    if (!sympy_text.ok()) return lies::cli::report("lies", sympy_text.status());
    infix.push_back(*text);
    sympy.push_back(*sympy_text);
  }
  const std::size_t chosen = result->chosen;
  const std::uint64_t complexity = result->front[chosen].complexity;

  if (absl::GetFlag(FLAGS_json)) {
    nlohmann::json json;
    json["formula"] = infix[chosen];
    json["sympy"] = sympy[chosen];
    json["target"] = result->target_name;
    json["inputs"] = result->input_names;
    json["r2"] = result->r2;
    json["nmse"] = result->nmse;
    json["complexity"] = complexity;
    json["seconds"] = result->seconds;
    json["rows"] = result->rows;
    json["training_rows"] = result->training_rows;
    json["validation_rows"] = result->validation_rows;
    json["log_space"] = result->log_space;
    json["seed"] = options.seed;
    json["trials"] = result->trials;
    json["budget_exhausted"] = result->budget_exhausted;
    nlohmann::json front = nlohmann::json::array();
    for (std::size_t k = 0; k < result->front.size(); ++k) {
      const lies::FrontEntry& entry = result->front[k];
      front.push_back({{"formula", infix[k]},
                       {"sympy", sympy[k]},
                       {"complexity", entry.complexity},
                       {"validation_nmse", entry.validation_nmse},
                       {"chosen", k == chosen}});
    }
    json["front"] = front;
    std::cout << json.dump() << "\n";
    return kExitOk;
  }

  std::cout << result->target_name << " = " << infix[chosen] << "\n\n";
  std::cout << "  R²          " << format_number(result->r2) << "\n";
  std::cout << "  NMSE        " << format_number(result->nmse) << "\n";
  std::cout << "  complexity  " << complexity << "\n";
  std::cout << "  rows        " << result->rows << " (" << result->training_rows
            << " to train, " << result->validation_rows << " to validate"
            << (result->log_space ? ", fitted in log space" : "") << ")\n";
  std::cout << "  trials      " << result->trials
            << (result->budget_exhausted ? " (the time or epoch limit ended the run)" : "")
            << "\n";
  std::cout << "  time        " << absl::StrFormat("%.2f s", result->seconds) << "\n";

  if (absl::GetFlag(FLAGS_front)) {
    std::cout << "\nPareto front (* marks the chosen formula):\n"
              << "  complexity  validation NMSE  formula\n";
    for (std::size_t k = 0; k < result->front.size(); ++k) {
      std::cout << absl::StrFormat("  %10d  %15.6g %s %s\n", result->front[k].complexity,
                                   result->front[k].validation_nmse, k == chosen ? "*" : " ",
                                   infix[k]);
    }
  }
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
