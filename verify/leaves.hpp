// Checks on the leaves of a formula before it is evaluated on given columns or points.
#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "engine/graph.hpp"

namespace lies::verify {

// Returns InvalidArgument when `root` is not a node of `graph`, or the formula at `root`
// contains a Param or an Input whose index is `inputs` or more. `what` names the formula in
// the message ("formula", "truth").
absl::Status check_leaves(const engine::Graph& graph, engine::NodeId root, std::size_t inputs,
                          std::string_view what);

}  // namespace lies::verify
