#include "engine/fitter.hpp"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "autodiff/program.hpp"
#include "engine/check.hpp"
#include "engine/network.hpp"
#include "engine/pareto.hpp"
#include "engine/random.hpp"
#include "engine/refine.hpp"
#include "engine/trial.hpp"
#include "simplify/complexity.hpp"

namespace lies::engine {
namespace {

absl::Status validate(const Dataset& data, const FitOptions& options, Problem& problem) {
  if (data.cols() == 0 || data.names.size() != data.cols()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: the table has no columns, or names and columns differ in number",
                        data.source));
  }
  for (std::size_t j = 0; j < data.cols(); ++j) {
    if (data.columns[j].size() != data.rows()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: column '%s' has %d rows but column '%s' has %d; all columns need the same "
          "length",
          data.source, data.names[j], data.columns[j].size(), data.names[0], data.rows()));
    }
    for (std::size_t r = 0; r < data.rows(); ++r) {
      const double value = data.columns[j][r];
      if (!std::isfinite(value)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: column '%s' has the non-finite value %g in data row %d; remove or fix the row",
            data.source, data.names[j], value, r + 1));
      }
      // Sums of squares of far larger values overflow, and of far smaller ones underflow
      // to zero, where every formula, even 0, would seem to fit.
      const double magnitude = std::abs(value);
      if (value != 0.0 && !(magnitude >= kMinMagnitude && magnitude <= kMaxMagnitude)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: column '%s' has the value %g in data row %d; a fit handles magnitudes from "
            "%g to %g, and zero. Rescale the column, for example by expressing it in other "
            "units",
            data.source, data.names[j], value, r + 1, kMinMagnitude, kMaxMagnitude));
      }
    }
  }

  if (options.target) {
    const auto found = data.find_column(*options.target);
    if (!found) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: target column '%s' not found; the columns are: %s", data.source,
                          *options.target, absl::StrJoin(data.names, ", ")));
    }
    problem.target = *found;
  } else {
    problem.target = data.cols() - 1;
  }
  for (std::size_t j = 0; j < data.cols(); ++j) {
    if (j != problem.target) problem.inputs.push_back(j);
  }
  if (problem.inputs.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: the table has only the target column '%s'; a fit needs at least one input column",
        data.source, data.names[problem.target]));
  }
  if (data.rows() < kMinRows) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %d data row%s; a fit needs at least %d. Add rows", data.source,
                        data.rows(), data.rows() == 1 ? "" : "s", kMinRows));
  }
  const std::vector<double>& y = data.columns[problem.target];
  if (std::all_of(y.begin(), y.end(), [&](double v) { return v == y.front(); })) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: the target column '%s' is constant (%g in every row); there is nothing to fit. "
        "Choose another target column",
        data.source, data.names[problem.target], y.front()));
  }
  if (options.trials < 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("trials is %d; use 1 or more", options.trials));
  }
  if (options.time_limit_seconds < 0.0 || options.max_epochs < 0) {
    return absl::InvalidArgumentError("time limit and epoch budget must not be negative");
  }
  if (options.epochs < 4) {
    return absl::InvalidArgumentError(
        absl::StrFormat("epochs is %d; use at least 4", options.epochs));
  }
  if (options.layers < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("layers is %d; use 0 (one per input) or a positive number",
                        options.layers));
  }
  return absl::OkStatus();
}

// Trials run in rounds of this many; the early stop on an exact formula is checked
// between rounds, so where a run stops does not depend on the thread count.
constexpr int kRoundSize = 4;

struct Split {
  std::vector<std::uint32_t> train;
  std::vector<std::uint32_t> validation;
};

// Shuffles the rows with the fit's seed and holds out the validation rows; both lists
// are returned in increasing row order.
Split split_rows(std::size_t rows, const FitOptions& options) {
  Split split;
  std::vector<std::uint32_t> order(rows);
  for (std::size_t r = 0; r < rows; ++r) order[r] = static_cast<std::uint32_t>(r);
  if (!options.subsample || rows < options.min_split_rows) {
    split.train = order;
    split.validation = order;
    return split;
  }
  Rng rng(hash_mix(options.seed, 0x73706c6974ULL));
  for (std::size_t k = rows; k > 1; --k) std::swap(order[k - 1], order[rng.below(k)]);
  const auto held_out = std::min(
      options.max_validation_rows,
      std::max<std::size_t>(1, static_cast<std::size_t>(options.validation_share *
                                                         static_cast<double>(rows))));
  split.validation.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(held_out));
  const std::size_t train = std::min(options.train_rows, rows - held_out);
  split.train.assign(order.begin() + static_cast<std::ptrdiff_t>(held_out),
                     order.begin() + static_cast<std::ptrdiff_t>(held_out + train));
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.validation.begin(), split.validation.end());
  return split;
}

Dataset select_rows(const Dataset& data, const std::vector<std::uint32_t>& rows) {
  Dataset subset;
  subset.source = data.source;
  subset.names = data.names;
  subset.columns.assign(data.cols(), {});
  for (std::size_t j = 0; j < data.cols(); ++j) {
    subset.columns[j].reserve(rows.size());
    for (std::uint32_t r : rows) subset.columns[j].push_back(data.columns[j][r]);
  }
  return subset;
}

// The problem's columns of a dataset, untransformed.
TrainingTable original_units(const Dataset& data, const Problem& problem) {
  TrainingTable table;
  for (std::size_t j : problem.inputs) table.inputs.push_back(data.columns[j]);
  table.target = data.columns[problem.target];
  return table;
}

}  // namespace

absl::StatusOr<FitResult> fit(const Dataset& data, const FitOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Problem problem;
  LIES_RETURN_IF_ERROR(validate(data, options, problem));
  const auto deadline =
      options.time_limit_seconds > 0.0
          ? start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(options.time_limit_seconds))
          : std::chrono::steady_clock::time_point::max();

  const Split split = split_rows(data.rows(), options);
  const Dataset train_data = select_rows(data, split.train);
  const Dataset validation_data = select_rows(data, split.validation);

  // In automatic mode with data that allow log space, trials alternate between log
  // space and linear space: a power law is linear in the first, a sum of terms in the
  // second. Whether log space is allowed is decided on all rows.
  std::vector<detail::Space> spaces;
  LIES_ASSIGN_OR_RETURN(Transform first, choose_transform(data, problem, options.log_space));
  const bool both =
      options.both_spaces && options.log_space == LogSpace::kAuto && first.log_space;
  spaces.push_back({std::move(first), {}, {}, {}});
  if (both) {
    LIES_ASSIGN_OR_RETURN(Transform linear, choose_transform(data, problem, LogSpace::kOff));
    spaces.push_back({std::move(linear), {}, {}, {}});
  }
  for (detail::Space& space : spaces) {
    space.train = apply_transform(space.transform, train_data, problem);
    space.validation = apply_transform(space.transform, validation_data, problem);
    space.refit = detail::evenly_spaced(space.train, options.refine_rows);
  }

  const auto n = static_cast<std::uint32_t>(problem.inputs.size());
  const std::uint32_t layers = options.layers > 0 ? static_cast<std::uint32_t>(options.layers) : n;
  const LiesNetwork net = LiesNetwork::build(n, layers);
  const NodeId outputs[] = {net.output()};
  const auto program = autodiff::Program::compile(net.graph(), outputs, n, net.num_params());

  std::vector<bool> positive_inputs;
  for (std::size_t j : problem.inputs) {
    const auto& column = data.columns[j];
    positive_inputs.push_back(
        std::all_of(column.begin(), column.end(), [](double v) { return v > 0.0; }));
  }
  const TrainingTable refine_sample =
      detail::evenly_spaced(original_units(train_data, problem), options.refine_rows);
  const TrainingTable validation = original_units(validation_data, problem);
  const TrainingTable train_original = original_units(train_data, problem);
  const detail::TrialSetup setup{spaces,         net,           program,
                                 options,        refine_sample, train_original,
                                 positive_inputs, deadline};

  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  std::vector<detail::Candidate> candidates;
  std::vector<Scored> scores;
  double best = std::numeric_limits<double>::infinity();
  int trials_done = 0;
  long epochs_used = 0;
  bool budget_exhausted = false;

  for (int round = 0; round < options.trials; round += kRoundSize) {
    if (std::chrono::steady_clock::now() > deadline) {
      budget_exhausted = true;
      break;
    }
    int count = std::min(kRoundSize, options.trials - round);
    if (options.max_epochs > 0) {
      const long left = options.max_epochs - epochs_used;
      count = static_cast<int>(std::min<long>(count, left / options.epochs));
      if (count <= 0) {
        budget_exhausted = true;
        break;
      }
    }

    std::vector<std::vector<detail::Candidate>> results(static_cast<std::size_t>(count));
    const int inner_threads = std::max(1, threads / count);
#pragma omp parallel for schedule(dynamic, 1) num_threads(std::min(threads, count)) if (count > 1)
    for (int k = 0; k < count; ++k) {
      detail::StageReport report;
      if (options.on_progress && k == 0) {
        report = [&](const std::string& stage, const EpochReport& epoch) {
          Progress progress;
          progress.stage = stage;
          progress.trial = round + k;
          progress.trials_done = trials_done;
          progress.trials = options.trials;
          progress.epoch = epoch;
          progress.best_error = best;
          options.on_progress(progress);
        };
      }
      results[static_cast<std::size_t>(k)] =
          detail::run_trial(setup, round + k, inner_threads, report);
    }

    for (auto& trial : results) {
      for (detail::Candidate& candidate : trial) {
        Scored score;
        score.complexity = simplify::formula_complexity(candidate.graph, candidate.formula);
        score.error = formula_nmse(candidate.graph, candidate.formula, validation.columns(),
                                   validation.target.data(), threads);
        if (std::isnan(score.error)) score.error = std::numeric_limits<double>::infinity();
        best = std::min(best, score.error);
        scores.push_back(score);
        candidates.push_back(std::move(candidate));
      }
    }
    trials_done += count;
    epochs_used += static_cast<long>(count) * options.epochs;
    if (best <= options.exact_error) break;
  }
  if (candidates.empty()) {
    return absl::DeadlineExceededError(absl::StrFormat(
        "the budget ended before the first trial finished (time limit %g s, epoch budget "
        "%d); raise --time-limit or --max-epochs",
        options.time_limit_seconds, options.max_epochs));
  }

  // Candidates above the complexity limit become infinitely wrong, so they stay off the
  // front while a simpler one exists.
  const bool any_simple = std::any_of(scores.begin(), scores.end(), [&](const Scored& score) {
    return score.complexity <= options.max_complexity;
  });
  if (any_simple) {
    for (Scored& score : scores) {
      if (score.complexity > options.max_complexity) {
        score.error = std::numeric_limits<double>::infinity();
      }
    }
  }
  const std::vector<std::size_t> front = pareto_front(scores);
  const std::size_t chosen = select_from_front(scores, front);

  FitResult result;
  for (std::size_t k : front) {
    const NodeId roots[] = {candidates[k].formula};
    FrontEntry entry;
    entry.formula = copy_into(candidates[k].graph, roots, result.graph,
                              [](NodeId) { return kNoNode; })[0];
    entry.complexity = scores[k].complexity;
    entry.validation_error = scores[k].error;
    entry.log_space = candidates[k].log_space;
    entry.trial = candidates[k].trial;
    if (k == chosen) {
      result.chosen = result.front.size();
      result.formula = entry.formula;
      result.log_space = entry.log_space;
      detail::Candidate& source = candidates[k];
      result.network.graph = net.graph();
      result.network.output = net.output();
      result.network.params = std::move(source.params);
      result.network.transform = spaces[source.space].transform;
      result.network.protected_ranges = std::move(source.protected_ranges);
    }
    result.front.push_back(entry);
  }

  // Metrics on every row, read in place: a copy of a large table would double the memory.
  autodiff::Columns all_rows;
  for (std::size_t j : problem.inputs) all_rows.data.push_back(data.columns[j].data());
  all_rows.rows = data.rows();
  result.nmse = formula_nmse(result.graph, result.formula, all_rows,
                             data.columns[problem.target].data(), threads);
  result.r2 = 1.0 - result.nmse;
  for (std::size_t j : problem.inputs) result.input_names.push_back(data.names[j]);
  result.target_name = data.names[problem.target];
  result.rows = data.rows();
  result.training_rows = split.train.size();
  result.validation_rows = split.validation.size();
  result.layers = layers;
  result.num_params = net.num_params();
  result.trials = trials_done;
  result.budget_exhausted = budget_exhausted;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace lies::engine
