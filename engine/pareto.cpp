#include "engine/pareto.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/check.hpp"

namespace lies::engine {
namespace {

double error_of(const Scored& s) {
  return std::isnan(s.error) ? std::numeric_limits<double>::infinity() : s.error;
}

constexpr double kErrorFloor = 1e-30;

}  // namespace

std::vector<std::size_t> pareto_front(const std::vector<Scored>& candidates) {
  std::vector<std::size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (candidates[a].complexity != candidates[b].complexity) {
      return candidates[a].complexity < candidates[b].complexity;
    }
    return error_of(candidates[a]) < error_of(candidates[b]);
  });
  // Sweep by increasing complexity, keeping each candidate that beats every simpler one.
  std::vector<std::size_t> front;
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t k : order) {
    const double e = error_of(candidates[k]);
    if (e < best) {
      front.push_back(k);
      best = e;
    }
  }
  // When no error is finite, the simplest candidate alone is the front.
  if (front.empty() && !order.empty()) front.push_back(order.front());
  return front;
}

std::size_t select_from_front(const std::vector<Scored>& candidates,
                              const std::vector<std::size_t>& front, const SelectionRule& rule) {
  LIES_CHECK(!front.empty());
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t k : front) best = std::min(best, error_of(candidates[k]));
  const double limit = std::max(best * rule.relative_slack, best + rule.absolute_slack);

  std::size_t chosen = front.back();
  double chosen_score = -std::numeric_limits<double>::infinity();
  double previous_log = 0.0;  // log of error 1: the constant model
  double previous_complexity = 0.0;
  for (std::size_t k : front) {
    const double log_error = std::log(std::max(error_of(candidates[k]), kErrorFloor));
    const double complexity = static_cast<double>(candidates[k].complexity);
    const double score =
        -(log_error - previous_log) / std::max(complexity - previous_complexity, 1.0);
    if (error_of(candidates[k]) <= limit && score > chosen_score) {
      chosen = k;
      chosen_score = score;
    }
    previous_log = log_error;
    previous_complexity = complexity;
  }
  return chosen;
}

}  // namespace lies::engine
