#include "engine/graph.hpp"

#include <bit>
#include <cmath>
#include <utility>

#include "engine/check.hpp"

namespace lies::engine {
namespace {

constexpr OpInfo kOpInfo[] = {
#define LIES_OP(name, arity, spelling, commutative) {spelling, arity, commutative},
#include "engine/ops.def"
#undef LIES_OP
};

std::uint64_t value_bits(double value) { return std::bit_cast<std::uint64_t>(value); }

}  // namespace

const OpInfo& op_info(Op op) {
  const auto index = static_cast<std::size_t>(op);
  LIES_CHECK(index < static_cast<std::size_t>(kNumOps));
  return kOpInfo[index];
}

std::string_view spelling(Op op) { return op_info(op).spelling; }

std::optional<Op> op_from_spelling(std::string_view spelling) {
  for (int k = 0; k < kNumOps; ++k) {
    if (kOpInfo[k].spelling == spelling) return static_cast<Op>(k);
  }
  return std::nullopt;
}

bool operator==(const Node& a, const Node& b) {
  return a.op == b.op && a.index == b.index && a.child == b.child &&
         value_bits(a.value) == value_bits(b.value);
}

// splitmix64 finaliser applied to the running state, so every input bit affects every
// output bit.
std::uint64_t hash_mix(std::uint64_t seed, std::uint64_t word) {
  std::uint64_t z = seed ^ (word + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::size_t Graph::NodeHash::operator()(const Node& node) const {
  std::uint64_t h = hash_mix(static_cast<std::uint64_t>(node.op), node.index);
  h = hash_mix(h, node.child[0]);
  h = hash_mix(h, node.child[1]);
  return static_cast<std::size_t>(hash_mix(h, value_bits(node.value)));
}

NodeId Graph::input(std::uint32_t column) { return make({Op::Input, column, {kNoNode, kNoNode}, 0.0}); }

NodeId Graph::constant(double value) { return make({Op::Constant, 0, {kNoNode, kNoNode}, value}); }

NodeId Graph::param(std::uint32_t index) { return make({Op::Param, index, {kNoNode, kNoNode}, 0.0}); }

NodeId Graph::make(Node node) {
  const int n = arity(node.op);
  LIES_CHECK(std::isfinite(node.value));
  if (node.value == 0.0) node.value = 0.0;  // one spelling for zero: -0.0 becomes 0.0
  for (int k = 0; k < 2; ++k) {
    if (k < n) {
      LIES_CHECK(node.child[k] < nodes_.size());
    } else {
      LIES_CHECK(node.child[k] == kNoNode);
    }
  }
  if (node.op != Op::Input && node.op != Op::Param) LIES_CHECK(node.index == 0);

  if (op_info(node.op).commutative) {
    const NodeId a = node.child[0];
    const NodeId b = node.child[1];
    if (hashes_[b] < hashes_[a] || (hashes_[b] == hashes_[a] && b < a)) {
      std::swap(node.child[0], node.child[1]);
    }
  }

  const auto [it, inserted] = index_.try_emplace(node, static_cast<NodeId>(nodes_.size()));
  if (!inserted) return it->second;
  LIES_CHECK(nodes_.size() < kNoNode);

  std::uint64_t h = hash_mix(0x6c696573ULL, static_cast<std::uint64_t>(node.op));
  h = hash_mix(h, node.index);
  h = hash_mix(h, value_bits(node.value));
  for (int k = 0; k < n; ++k) h = hash_mix(h, hashes_[node.child[k]]);

  nodes_.push_back(node);
  hashes_.push_back(h);
  return it->second;
}

std::vector<bool> reachable(const Graph& graph, std::span<const NodeId> roots) {
  std::vector<bool> live(graph.size(), false);
  for (NodeId root : roots) {
    LIES_CHECK(root < graph.size());
    live[root] = true;
  }
  // Children have smaller ids than their parents, so one backward sweep marks everything.
  for (NodeId id = static_cast<NodeId>(graph.size()); id-- > 0;) {
    if (!live[id]) continue;
    const Node& node = graph.node(id);
    for (int k = 0; k < arity(node.op); ++k) live[node.child[k]] = true;
  }
  return live;
}

}  // namespace lies::engine
