// One trial of the fit pipeline: train one LIES network from one initialisation and read
// candidate formulas off it. Internal to engine/fitter.cpp.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/program.hpp"
#include "engine/fitter.hpp"
#include "engine/graph.hpp"
#include "engine/network.hpp"
#include "engine/transform.hpp"
#include "simplify/prune.hpp"

namespace lies::engine::detail {

// At most `count` evenly spaced rows of a table.
TrainingTable evenly_spaced(const TrainingTable& table, std::size_t count);

// The data in one space (log or linear) as the network sees it.
struct Space {
  Transform transform;
  TrainingTable train;
  TrainingTable validation;
  TrainingTable refit;  // evenly spaced training rows, for eliminating weights
};

struct TrialSetup {
  const std::vector<Space>& spaces;  // trial k trains in spaces[k % spaces.size()]
  const LiesNetwork& net;
  const autodiff::Program& program;
  const FitOptions& options;
  const TrainingTable& refine_sample;  // training rows in original units, for refits
  const TrainingTable& train_original;  // every training row, original units, for guards
  const std::vector<bool>& positive_inputs;
  std::chrono::steady_clock::time_point deadline;
};

struct Candidate {
  Graph graph;
  NodeId formula = kNoNode;  // in original units
  bool log_space = false;
  int trial = 0;
  // The network state the formula was read from, and the index of its space.
  std::vector<double> params;
  simplify::ArgumentRanges protected_ranges;
  std::size_t space = 0;
};

using StageReport = std::function<void(const std::string& stage, const EpochReport& epoch)>;

// Runs trial `index` with `threads` threads and returns its candidate formulas: the one
// at the elimination's optimum first, then sparser ones. `report`, when set, receives
// the stages and epochs.
std::vector<Candidate> run_trial(const TrialSetup& setup, int index, int threads,
                                 const StageReport& report);

}  // namespace lies::engine::detail
