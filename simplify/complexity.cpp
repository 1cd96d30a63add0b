#include "simplify/complexity.hpp"

#include <limits>
#include <vector>

namespace lies::simplify {

std::uint64_t tree_size(const engine::Graph& graph, engine::NodeId root) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  std::vector<std::uint64_t> size(root + 1, 0);
  for (engine::NodeId id = 0; id <= root; ++id) {
    const engine::Node& node = graph.node(id);
    std::uint64_t total = 1;
    for (int k = 0; k < engine::arity(node.op); ++k) {
      const std::uint64_t child = size[node.child[k]];
      total = child > kMax - total ? kMax : total + child;
    }
    size[id] = total;
  }
  return size[root];
}

}  // namespace lies::simplify
