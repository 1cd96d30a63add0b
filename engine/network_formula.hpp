// A trained network and the formula it computes.
//
// Reading the formula off a network is the same for the fit pipeline and for a saved
// network: parameters become constants, protected units whose clamp never acts on the
// training rows become plain log and exp, and the inputs and output go back to the user's
// units. The result is not simplified; simplify::simplify() does that.
#pragma once

#include <span>
#include <vector>

#include "engine/graph.hpp"
#include "engine/transform.hpp"
#include "simplify/prune.hpp"

namespace lies::engine {

// A trained LIES network: its graph with Param leaves, the trained values, and the change of
// variables between the user's units and the network's.
struct TrainedNetwork {
  Graph graph;
  NodeId output = kNoNode;
  std::vector<double> params;
  Transform transform;
  // Range of the argument of each protected unit on the training rows, in the network's
  // units, by node id of `graph`.
  simplify::ArgumentRanges protected_ranges;
};

// Returns the formula that the network `graph` with output `output` and parameter values
// `params` computes, in the user's units, as a node of `out`: Input j is the j-th input
// column of the fit.
NodeId network_formula(const Graph& graph, NodeId output, std::span<const double> params,
                       const simplify::ArgumentRanges& protected_ranges,
                       const Transform& transform, Graph& out);

inline NodeId network_formula(const TrainedNetwork& network, Graph& out) {
  return network_formula(network.graph, network.output, network.params,
                         network.protected_ranges, network.transform, out);
}

}  // namespace lies::engine
