// Fitting: from a table to a Pareto front of formulas and the chosen one.
//
//   lies::FitOptions options;
//   options.target = "E";
//   absl::StatusOr<lies::FitResult> result = lies::fit(table, options);
//   if (result.ok()) std::cout << result->formula.to_string() << "\n";
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lies/formula.hpp"
#include "lies/network.hpp"
#include "lies/table.hpp"

namespace lies {

// Minimum number of rows of a table that fit accepts.
inline constexpr std::size_t kMinRows = 10;

// Whether trials fit log|y| from log x, where a product of powers is linear.
enum class LogSpace {
  // Log space beside linear space when every input is positive and the target has one
  // sign; linear space otherwise.
  kAuto,
  // Log space only. The fit fails when an input is not positive or the target is zero or
  // changes sign.
  kOn,
  // Linear space only.
  kOff,
};

// The state of a running fit, for progress displays.
struct FitProgress {
  std::string stage;    // such as "weak sparsity", "oversampling" or "refine"
  int trial = 0;        // 0-based index of the reporting trial
  int trials_done = 0;  // trials finished so far
  int trials = 0;       // FitOptions::trials
  // The current training epoch and its phase's epoch count; both 0 outside training.
  int epoch = 0;
  int epochs = 0;
  double loss = 0.0;             // mean loss of the epoch, when epochs > 0
  double rows_per_second = 0.0;  // training speed of the epoch, when epochs > 0
  double best_error = 0.0;       // smallest validation NMSE so far, +inf before the first
};

// Options of a fit; the defaults are those of `lies fit`.
struct FitOptions {
  // Name of the target column; every other column is an input. Default: the last column.
  std::optional<std::string> target;
  // Seed of every random choice. The same seed, table and thread count give the same
  // formula, unless a time limit cuts the run.
  std::uint64_t seed = 0;
  // Training epochs of each trial, over all its phases; at least 4.
  int epochs = 120;
  // Hidden layers of the LIES network; 0 gives one per input column.
  int layers = 0;
  LogSpace log_space = LogSpace::kAuto;
  // Threads to use; 0 uses OpenMP's default, normally one per core.
  int threads = 0;

  // Budget. Trials run in rounds of four and stop after the round in which a formula fits
  // the validation rows exactly, after `trials` trials, or at a limit below; 0 is no
  // limit.
  int trials = 32;
  // No trial round starts after this many seconds; the fit returns the best front so far.
  // A run cut by the time limit depends on the machine's speed.
  double time_limit_seconds = 0.0;
  // Training epochs over all trials.
  int max_epochs = 0;

  // Stages, each on by default; switching one off is for ablation studies.
  bool subsample = true;    // hold out rows for validation and model selection
  bool oversample = true;   // retrain with extra rows from the worst-fitted region
  bool eliminate = true;    // eliminate weights by refitting, and offer sparser variants
  bool refine = true;       // refit constants and snap them to simple values
  bool both_spaces = true;  // with LogSpace::kAuto, alternate trials between the spaces

  // Called during the fit with its progress, from one thread at a time, which need not be
  // the thread that called fit(). It must return quickly and must not throw.
  std::function<void(const FitProgress&)> on_progress;
};

// A formula of the Pareto front of complexity against validation error.
struct FrontEntry {
  Formula formula;
  std::uint64_t complexity = 0;  // as Formula::complexity counts it
  double validation_nmse = 0.0;  // NMSE on the validation rows
  bool log_space = false;        // whether the trial that found it fitted in log space
  int trial = 0;                 // 0-based index of that trial
};

struct FitResult {
  // The chosen formula, in the table's units; its variables are input_names.
  Formula formula;
  // The Pareto front, by increasing complexity and so decreasing validation error.
  std::vector<FrontEntry> front;
  // Index of the chosen formula in `front`: the one with the best drop in error per unit
  // of complexity among those whose error is close to the smallest.
  std::size_t chosen = 0;
  std::vector<std::string> input_names;
  std::string target_name;
  bool log_space = false;  // whether the chosen formula came from a log-space trial
  double r2 = 0.0;         // of the chosen formula on every row: 1 − nmse
  double nmse = 0.0;       // on every row: Σ(y − f)² / Σ(y − ȳ)²
  double seconds = 0.0;    // wall time of the fit
  std::size_t rows = 0;
  std::size_t training_rows = 0;
  std::size_t validation_rows = 0;
  std::uint32_t layers = 0;       // hidden layers of the network
  std::uint32_t num_params = 0;   // weights of the network
  int trials = 0;                 // trials run
  bool budget_exhausted = false;  // the time or epoch limit ended the run
  // The trained network of the trial that found the chosen formula, before its constants
  // were refitted, so its formula can be less accurate than `formula`. Its producer is
  // tool "lies::fit" with the options of the fit.
  Network network;
};

// Fits formulas for the target column of `table` from all other columns.
//
// Returns InvalidArgument for an unknown target, no input column, fewer than kMinRows
// rows, a constant target, log space forced on data that do not allow it, or an option
// out of range. The same holds for a non-zero value whose magnitude is below 1e-100 or
// above 1e100, and for an input column whose name is not an identifier or is the name of
// a function or constant of formulas (such as "sin" or "pi"). The message names the
// problem and the fix.
// Returns DeadlineExceeded when the time or epoch limit ends the run before the first
// trial finished, and ResourceExhausted when memory runs out outside the trials.
//
// NOTE: trials run in OpenMP parallel regions, which no exception can leave, so running
// out of memory inside a trial terminates the program.
//
// Thread-safety: calls may run at once from several threads, on the same or different
// tables; each uses up to `threads` threads of its own.
absl::StatusOr<FitResult> fit(const Table& table, const FitOptions& options = {});

}  // namespace lies
