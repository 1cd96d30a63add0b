#include "verify/leaves.hpp"

#include <vector>

#include "absl/strings/str_format.h"

namespace lies::verify {

absl::Status check_leaves(const engine::Graph& graph, engine::NodeId root, std::size_t inputs,
                          std::string_view what) {
  if (root >= graph.size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: root %d is not a node of the graph (%d nodes)", what, root, graph.size()));
  }
  const engine::NodeId roots[] = {root};
  const std::vector<bool> live = engine::reachable(graph, roots);
  for (engine::NodeId id = 0; id <= root; ++id) {
    if (!live[id]) continue;
    const engine::Node& node = graph.node(id);
    if (node.op == engine::Op::Param) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: contains parameter p%d; give every parameter a value first", what, node.index));
    }
    if (node.op == engine::Op::Input && node.index >= inputs) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: reads input %d, but only %d variables are given", what, node.index, inputs));
    }
  }
  return absl::OkStatus();
}

}  // namespace lies::verify
