#include "engine/network_formula.hpp"

#include "engine/check.hpp"

namespace lies::engine {

NodeId network_formula(const Graph& graph, NodeId output, std::span<const double> params,
                       const simplify::ArgumentRanges& protected_ranges,
                       const Transform& transform, Graph& out) {
  LIES_CHECK(output < graph.size());
  Graph released;
  const NodeId released_root =
      simplify::release_protected(graph, output, protected_ranges, released);
  const NodeId constant_root = simplify::freeze_params(released, released_root, params, out);
  return to_original_units(transform, out, constant_root);
}

}  // namespace lies::engine
