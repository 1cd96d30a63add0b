// Pruning passes: from a trained network with parameters to a constant expression.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "engine/graph.hpp"

namespace lies::simplify {

using engine::Graph;
using engine::NodeId;

// Copies `root` into `to` with every Param node replaced by a Constant of its value.
NodeId freeze_params(const Graph& from, NodeId root, std::span<const double> params, Graph& to);

// The smallest and largest value of the argument of each protected unit (ProtLog, ProtExp)
// over a set of rows, by the unit's node id. A unit whose argument is NaN on some row has no
// entry.
using ArgumentRanges = std::map<NodeId, std::pair<double, double>>;

// Evaluates the argument of every protected unit of `root` on the rows of `columns`, with
// Param k equal to params[k].
ArgumentRanges protected_argument_ranges(const Graph& graph, NodeId root,
                                         const autodiff::Columns& columns,
                                         std::span<const double> params = {});

// Copies `root` into `to`, replacing each protected unit whose clamp is inactive on every
// row by the plain function: ProtLog(z) → log(z) when z > floor on all rows, ProtExp(z) →
// exp(z) when z < ceiling. A unit clamped on every row becomes the constant it outputs
// there. Units without an entry in `ranges` stay protected.
NodeId release_protected(const Graph& from, NodeId root, const ArgumentRanges& ranges,
                         Graph& to);

// The same, with the ranges computed on `columns` (an expression without Param nodes).
NodeId release_protected(const Graph& from, NodeId root, const autodiff::Columns& columns,
                         Graph& to);

// Sensitivity pruning. sensitivity_p = |w_p · ∂(Σ_rows y)/∂w_p| over `columns`. Within each
// group of parameters (one weight matrix), the share of parameters that is pruned equals
// the share whose |w| is below `small`; the least sensitive ones are pruned: set to 0 and
// marked frozen. Frozen parameters stay as they are. Returns how many were pruned.
std::size_t prune_by_sensitivity(const autodiff::Program& program,
                                 const autodiff::Columns& columns, std::vector<double>& params,
                                 std::span<const std::uint32_t> group, double small,
                                 std::vector<bool>& frozen);

}  // namespace lies::simplify
