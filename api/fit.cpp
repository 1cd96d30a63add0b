#include "lies/fit.hpp"

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "api/access.hpp"
#include "api/guard.hpp"
#include "engine/fitter.hpp"
#include "io/formula_parser.hpp"
#include "io/formula_spelling.hpp"
#include "lies/version.hpp"

namespace lies {
namespace {

static_assert(kMinRows == engine::kMinRows);

using detail::Access;

engine::LogSpace to_internal(LogSpace mode) {
  switch (mode) {
    case LogSpace::kAuto:
      return engine::LogSpace::kAuto;
    case LogSpace::kOn:
      return engine::LogSpace::kOn;
    case LogSpace::kOff:
      return engine::LogSpace::kOff;
  }
  return engine::LogSpace::kAuto;
}

std::string_view log_space_name(LogSpace mode) {
  switch (mode) {
    case LogSpace::kAuto:
      return "auto";
    case LogSpace::kOn:
      return "on";
    case LogSpace::kOff:
      return "off";
  }
  return "auto";
}

FitProgress from_internal(const engine::Progress& progress) {
  FitProgress out;
  out.stage = progress.stage;
  out.trial = progress.trial;
  out.trials_done = progress.trials_done;
  out.trials = progress.trials;
  out.epoch = progress.epoch.epoch;
  out.epochs = progress.epoch.epochs;
  out.loss = progress.epoch.loss;
  out.rows_per_second = progress.epoch.rows_per_second;
  out.best_error = progress.best_error;
  return out;
}

// Copies every public option into the engine's options, field by field. Engine options
// without a public counterpart keep their defaults; a new public option needs a line here.
engine::FitOptions to_internal(const FitOptions& options) {
  engine::FitOptions internal;
  internal.target = options.target;
  internal.seed = options.seed;
  internal.epochs = options.epochs;
  internal.layers = options.layers;
  internal.log_space = to_internal(options.log_space);
  internal.threads = options.threads;
  internal.trials = options.trials;
  internal.time_limit_seconds = options.time_limit_seconds;
  internal.max_epochs = options.max_epochs;
  internal.subsample = options.subsample;
  internal.oversample = options.oversample;
  internal.eliminate = options.eliminate;
  internal.refine = options.refine;
  internal.both_spaces = options.both_spaces;
  if (options.on_progress) {
    internal.on_progress = [callback = options.on_progress](const engine::Progress& progress) {
      callback(from_internal(progress));
    };
  }
  return internal;
}

absl::Status validate(const FitOptions& options) {
  if (options.threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads is ", options.threads, "; use 0 (all cores) or a positive number"));
  }
  if (std::isnan(options.time_limit_seconds)) {
    return absl::InvalidArgumentError(
        "time_limit_seconds is NaN; use 0 (no limit) or a number of seconds");
  }
  return absl::OkStatus();
}

// Fails when an input column's name could not be read back as a variable of the printed
// formula: "x 1" or "mass (kg)" is not one word, and "pi" or "sin" reads as a constant or a
// function. The target is not checked, because the formula does not contain it.
absl::Status check_input_names(const engine::Dataset& data, const FitOptions& options) {
  std::size_t target = data.cols() - 1;
  if (options.target) {
    const std::optional<std::size_t> found = data.find_column(*options.target);
    if (!found) return absl::OkStatus();  // engine::fit reports the unknown target
    target = *found;
  }
  for (std::size_t j = 0; j < data.cols(); ++j) {
    const std::string& name = data.names[j];
    if (j == target) continue;
    if (!io::detail::is_identifier(name)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: the input column '%s' cannot be a variable of a formula; rename it to letters, "
          "digits and '_' that do not start with a digit, such as '%s'",
          data.source, name, io::detail::sanitize_identifier(name, io::FormulaFormat::kC)));
    }
    if (io::is_reserved_name(name)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: the input column '%s' has the name of a function or constant of formulas; "
          "rename it, for example to '%s_'",
          data.source, name, name));
    }
  }
  return absl::OkStatus();
}

// The producer that FitResult::network records.
io::Producer library_producer(const FitOptions& options, const std::string& target) {
  io::Producer producer;
  producer.tool = "lies::fit";
  producer.version = std::string(version());
  producer.seed = options.seed;
  producer.options = {
      {"target", target},
      {"epochs", std::to_string(options.epochs)},
      {"layers", std::to_string(options.layers)},
      {"log_space", std::string(log_space_name(options.log_space))},
      {"trials", std::to_string(options.trials)},
  };
  return producer;
}

FitResult from_internal(engine::FitResult&& fit, const engine::Dataset& data,
                        const FitOptions& options) {
  FitResult result;
  result.network = Access::make_network(
      io::saved_graph_from_fit(fit, data, library_producer(options, fit.target_name)));

  const auto graph = std::make_shared<const engine::Graph>(std::move(fit.graph));
  result.formula = Access::make_formula(graph, fit.formula, fit.input_names);
  for (const engine::FrontEntry& entry : fit.front) {
    FrontEntry out;
    out.formula = Access::make_formula(graph, entry.formula, fit.input_names);
    out.complexity = entry.complexity;
    out.validation_nmse = entry.validation_error;
    out.log_space = entry.log_space;
    out.trial = entry.trial;
    result.front.push_back(std::move(out));
  }
  result.chosen = fit.chosen;
  result.input_names = std::move(fit.input_names);
  result.target_name = std::move(fit.target_name);
  result.log_space = fit.log_space;
  result.r2 = fit.r2;
  result.nmse = fit.nmse;
  result.seconds = fit.seconds;
  result.rows = fit.rows;
  result.training_rows = fit.training_rows;
  result.validation_rows = fit.validation_rows;
  result.layers = fit.layers;
  result.num_params = fit.num_params;
  result.trials = fit.trials;
  result.budget_exhausted = fit.budget_exhausted;
  return result;
}

}  // namespace

absl::StatusOr<FitResult> fit(const Table& table, const FitOptions& options) {
  return detail::guarded("fit", [&]() -> absl::StatusOr<FitResult> {
    if (absl::Status status = validate(options); !status.ok()) return status;
    const engine::Dataset& data = Access::dataset(table);
    if (absl::Status status = check_input_names(data, options); !status.ok()) return status;
    absl::StatusOr<engine::FitResult> fit = engine::fit(data, to_internal(options));
    if (!fit.ok()) return fit.status();
    return from_internal(*std::move(fit), data, options);
  });
}

}  // namespace lies
