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

namespace lies::engine::detail {

// Rows as separate input columns and a target.
struct Sample {
  std::vector<std::vector<double>> inputs;
  std::vector<double> target;

  autodiff::Columns view() const;
  std::size_t rows() const { return target.size(); }
};

// At most `count` evenly spaced rows of a table.
Sample evenly_spaced(const TrainingTable& table, std::size_t count);

// The data in one space (log or linear) as the network sees it.
struct Space {
  Transform transform;
  TrainingTable train;
  TrainingTable validation;
  Sample refit;  // evenly spaced training rows, for eliminating weights
};

struct TrialSetup {
  const std::vector<Space>& spaces;  // trial k trains in spaces[k % spaces.size()]
  const LiesNetwork& net;
  const autodiff::Program& program;
  const FitOptions& options;
  const Sample& refine_sample;  // training rows in original units, for refitting formulas
  const std::vector<bool>& positive_inputs;
  std::chrono::steady_clock::time_point deadline;
};

struct Candidate {
  Graph graph;
  NodeId formula = kNoNode;  // in original units
  bool log_space = false;
  int trial = 0;
};

using StageReport = std::function<void(const std::string& stage, const EpochReport& epoch)>;

// Runs trial `index` with `threads` threads and returns its candidate formulas: the one
// at the elimination's optimum first, then sparser ones. `report`, when set, receives
// the stages and epochs.
std::vector<Candidate> run_trial(const TrialSetup& setup, int index, int threads,
                                 const StageReport& report);

}  // namespace lies::engine::detail
