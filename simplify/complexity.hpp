// The complexity measure of a formula.
#pragma once

#include <cstdint>

#include "engine/graph.hpp"

namespace lies::simplify {

// Number of nodes of the expression as a tree: a subexpression used twice counts twice.
// Saturates at UINT64_MAX.
std::uint64_t tree_size(const engine::Graph& graph, engine::NodeId root);

}  // namespace lies::simplify
