// The Pareto front of candidate formulas, complexity against validation error, and the
// rule that picks one formula from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lies::engine {

struct Scored {
  std::uint64_t complexity = 0;
  double error = 0.0;  // validation NMSE; NaN counts as +inf
};

// Indices of the non-dominated candidates, by increasing complexity (and so decreasing
// error): no other candidate is at most as complex and at most as wrong while being
// strictly better in one of the two. Among exact ties the lowest index is kept. When no
// candidate has a finite error, the front is the simplest candidate alone; it is empty
// only for no candidates.
std::vector<std::size_t> pareto_front(const std::vector<Scored>& candidates);

struct SelectionRule {
  // Candidates whose error is at most this factor above the front's smallest error (or
  // within `absolute_slack` of it) are eligible.
  double relative_slack = 3.0;
  double absolute_slack = 1e-14;
};

// Picks one member of a front (indices as returned by pareto_front, by increasing
// complexity). Each member's score is the drop in log error per unit of complexity from
// the previous member, −Δlog(error)/Δcomplexity, with the first member scored against an
// error of 1 (a constant model) at complexity 0. The eligible member with the highest
// score wins, the simpler one on ties. Errors are floored at 1e-30 before the logarithm.
std::size_t select_from_front(const std::vector<Scored>& candidates,
                              const std::vector<std::size_t>& front,
                              const SelectionRule& rule = {});

}  // namespace lies::engine
