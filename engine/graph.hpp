// The hash-consed expression DAG that every part of lies works on.
//
// A Graph is an arena of immutable nodes in topological order: a node's children always
// have smaller ids. Nodes are hash-consed, so building an expression that already exists
// returns the existing id and equal subexpressions are one node. The network that lies
// trains, the formula it prints and a formula a user types are all Graphs.
//
//   engine::Graph g;
//   NodeId x = g.input(0);
//   NodeId y = g.add(g.mul(g.param(0), x), g.constant(1.0));   // w0*x + 1
//   assert(g.add(g.constant(1.0), g.mul(g.param(0), x)) == y);  // one node
//
// Hashing is deterministic (no per-process seed), so the ids that a sequence of calls
// produces, and every order derived from hashes, are the same in every run.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace lies::engine {

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

enum class Op : std::uint8_t {
#define LIES_OP(name, arity, spelling, commutative) name,
#include "engine/ops.def"
#undef LIES_OP
};

inline constexpr int kNumOps = 0
#define LIES_OP(name, arity, spelling, commutative) +1
#include "engine/ops.def"
#undef LIES_OP
    ;

struct OpInfo {
  std::string_view spelling;
  int arity;
  bool commutative;
};

const OpInfo& op_info(Op op);
inline int arity(Op op) { return op_info(op).arity; }
inline bool is_leaf(Op op) { return arity(op) == 0; }
std::string_view spelling(Op op);
std::optional<Op> op_from_spelling(std::string_view spelling);

struct Node {
  Op op = Op::Constant;
  // Input: column index. Param: parameter index. Unused otherwise.
  std::uint32_t index = 0;
  // Children: both unused for leaves, child[1] unused for unary ops.
  std::array<NodeId, 2> child = {kNoNode, kNoNode};
  // Constant: the value. ProtLog, ProtExp: the clamp limit. Zero otherwise.
  double value = 0.0;

  friend bool operator==(const Node& a, const Node& b);
};

class Graph {
 public:
  Graph() = default;

  NodeId input(std::uint32_t column);
  // `value` must be finite; -0.0 is stored as 0.0.
  NodeId constant(double value);
  NodeId param(std::uint32_t index);

  NodeId add(NodeId a, NodeId b) { return binary(Op::Add, a, b); }
  NodeId mul(NodeId a, NodeId b) { return binary(Op::Mul, a, b); }
  NodeId div(NodeId a, NodeId b) { return binary(Op::Div, a, b); }
  NodeId pow(NodeId a, NodeId b) { return binary(Op::Pow, a, b); }
  NodeId neg(NodeId a) { return unary(Op::Neg, a); }
  NodeId log(NodeId a) { return unary(Op::Log, a); }
  NodeId exp(NodeId a) { return unary(Op::Exp, a); }
  NodeId sin(NodeId a) { return unary(Op::Sin, a); }
  NodeId cos(NodeId a) { return unary(Op::Cos, a); }
  NodeId sqrt(NodeId a) { return unary(Op::Sqrt, a); }
  NodeId prot_log(NodeId a, double floor) { return make({Op::ProtLog, 0, {a, kNoNode}, floor}); }
  NodeId prot_exp(NodeId a, double ceiling) {
    return make({Op::ProtExp, 0, {a, kNoNode}, ceiling});
  }

  NodeId unary(Op op, NodeId a) { return make({op, 0, {a, kNoNode}, 0.0}); }
  NodeId binary(Op op, NodeId a, NodeId b) { return make({op, 0, {a, b}, 0.0}); }

  // Returns the id of `node`, inserting it when no equal node exists. Children of a
  // commutative op are put in a canonical order first. The node must be well formed:
  // children exist and match the arity, leaves have none, values are finite.
  NodeId make(Node node);

  const Node& node(NodeId id) const { return nodes_[id]; }
  Op op(NodeId id) const { return nodes_[id].op; }
  std::size_t size() const { return nodes_.size(); }
  std::span<const Node> nodes() const { return nodes_; }

  // Structural hash: equal for structurally equal expressions in any two graphs,
  // independent of node ids.
  std::uint64_t hash(NodeId id) const { return hashes_[id]; }

  bool is_constant(NodeId id) const { return nodes_[id].op == Op::Constant; }
  bool is_constant(NodeId id, double value) const {
    return is_constant(id) && nodes_[id].value == value;
  }

 private:
  struct NodeHash {
    std::size_t operator()(const Node& node) const;
  };

  std::vector<Node> nodes_;
  std::vector<std::uint64_t> hashes_;
  absl::flat_hash_map<Node, NodeId, NodeHash> index_;
};

// Mixes 64-bit words into a hash. Fixed constants, so results are the same in every run.
std::uint64_t hash_mix(std::uint64_t seed, std::uint64_t word);

// Returns a mask over `graph` that is true for every node reachable from `roots`.
std::vector<bool> reachable(const Graph& graph, std::span<const NodeId> roots);

// Copies the expressions at `roots` from `from` into `to` and returns their new ids.
// `substitute(id)` may return a node of `to` that replaces the source node `id` (a
// leaf, typically); returning kNoNode copies the node as it is.
template <typename Substitute>
std::vector<NodeId> copy_into(const Graph& from, std::span<const NodeId> roots, Graph& to,
                              Substitute substitute) {
  const std::vector<bool> live = reachable(from, roots);
  std::vector<NodeId> mapped(from.size(), kNoNode);
  for (NodeId id = 0; id < from.size(); ++id) {
    if (!live[id]) continue;
    NodeId replacement = substitute(id);
    if (replacement != kNoNode) {
      mapped[id] = replacement;
      continue;
    }
    Node node = from.node(id);
    for (int k = 0; k < arity(node.op); ++k) node.child[k] = mapped[node.child[k]];
    mapped[id] = to.make(node);
  }
  std::vector<NodeId> result;
  result.reserve(roots.size());
  for (NodeId root : roots) result.push_back(mapped[root]);
  return result;
}

}  // namespace lies::engine
