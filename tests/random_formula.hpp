// Random formula DAGs and a scalar evaluator for the formula printer and parser tests.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>
#include <vector>

#include "engine/graph.hpp"

namespace lies::testing {

// Numbers of varied sign and magnitude, including the values that the pretty printer treats
// specially: 1, -1, 0.5, -0.5 as exponents, pi and e.
inline constexpr std::array<double, 22> kRandomConstants = {
    0.0,   1.0,  -1.0, 2.0,    -2.0,         3.0,  0.5,  -0.5, 2.5,       -3.75,  0.1,
    1e-05, -1e-7, 1e5, 6.02e23, std::numbers::pi, std::numbers::e, -std::numbers::pi, 1.0 / 3.0,
    -0.001, 123.456, 7.0};

inline constexpr std::array<double, 5> kRandomLimits = {1e-9, 0.001, -5.0, 50.0, 10.0};

// Builds a random DAG over `inputs` inputs and `params` parameters in `graph` and returns its root.
// Every op of engine/ops.def can appear. Operands are drawn from all nodes built so far, with a
// bias toward recent ones, so the DAG is deep and shares subexpressions.
inline engine::NodeId random_formula(engine::Graph& graph, std::mt19937_64& random, int operations,
                                     std::uint32_t inputs, std::uint32_t params) {
  using engine::Node;
  using engine::NodeId;
  using engine::Op;

  std::vector<NodeId> pool;
  std::uniform_int_distribution<int> leaf_kind(0, 2);
  auto random_leaf = [&]() -> NodeId {
    const int kind = leaf_kind(random);
    if (kind == 0 || (kind == 2 && params == 0)) {
      return graph.input(std::uniform_int_distribution<std::uint32_t>(0, inputs - 1)(random));
    }
    if (kind == 1) {
      return graph.constant(kRandomConstants[std::uniform_int_distribution<std::size_t>(
          0, kRandomConstants.size() - 1)(random)]);
    }
    return graph.param(std::uniform_int_distribution<std::uint32_t>(0, params - 1)(random));
  };
  for (int k = 0; k < 3; ++k) pool.push_back(random_leaf());

  auto pick = [&]() -> NodeId {
    // A pick is a new leaf, one of the last three nodes (which makes chains) or any earlier node
    // (which makes shared subexpressions).
    if (std::bernoulli_distribution(0.3)(random)) return random_leaf();
    const std::size_t size = pool.size();
    const std::size_t low = std::bernoulli_distribution(0.5)(random) && size > 3 ? size - 3 : 0;
    return pool[std::uniform_int_distribution<std::size_t>(low, size - 1)(random)];
  };

  std::uniform_int_distribution<int> op_index(0, engine::kNumOps - 1);
  for (int k = 0; k < operations; ++k) {
    const Op op = static_cast<Op>(op_index(random));
    Node node{op, 0, {engine::kNoNode, engine::kNoNode}, 0.0};
    const int arity = engine::arity(op);
    if (arity == 0) {
      pool.push_back(random_leaf());
      continue;
    }
    for (int c = 0; c < arity; ++c) node.child[c] = pick();
    if (op == Op::ProtLog || op == Op::ProtExp) {
      node.value = kRandomLimits[std::uniform_int_distribution<std::size_t>(0, kRandomLimits.size() - 1)(random)];
    }
    pool.push_back(graph.make(node));
  }
  // A leaf as the root would make a trivial formula, so a last leaf is added to an earlier node.
  const NodeId last = pool.back();
  if (engine::is_leaf(graph.op(last))) return graph.add(last, pool[pool.size() / 2]);
  return last;
}

// Evaluates every node up to `root` at one point. `variables` contains the inputs, then the params:
// Param i reads variables[inputs + i]. The ops follow their definitions in engine/ops.def.
template <typename Real>
Real evaluate(const engine::Graph& graph, engine::NodeId root, std::span<const Real> variables,
              std::uint32_t inputs) {
  using engine::Op;
  std::vector<Real> value(root + 1);
  for (engine::NodeId id = 0; id <= root; ++id) {
    const engine::Node& node = graph.node(id);
    const Real a = node.child[0] == engine::kNoNode ? Real(0) : value[node.child[0]];
    const Real b = node.child[1] == engine::kNoNode ? Real(0) : value[node.child[1]];
    const Real limit = static_cast<Real>(node.value);
    switch (node.op) {
      case Op::Input: value[id] = variables[node.index]; break;
      case Op::Constant: value[id] = static_cast<Real>(node.value); break;
      case Op::Param: value[id] = variables[inputs + node.index]; break;
      case Op::Add: value[id] = a + b; break;
      case Op::Mul: value[id] = a * b; break;
      case Op::Div: value[id] = a / b; break;
      case Op::Pow: value[id] = std::pow(a, b); break;
      case Op::Neg: value[id] = -a; break;
      case Op::Log: value[id] = std::log(a); break;
      case Op::Exp: value[id] = std::exp(a); break;
      case Op::Sin: value[id] = std::sin(a); break;
      case Op::Cos: value[id] = std::cos(a); break;
      case Op::Tan: value[id] = std::tan(a); break;
      case Op::Sqrt: value[id] = std::sqrt(a); break;
      case Op::Tanh: value[id] = std::tanh(a); break;
      case Op::Asin: value[id] = std::asin(a); break;
      case Op::Acos: value[id] = std::acos(a); break;
      case Op::Atan: value[id] = std::atan(a); break;
      case Op::ProtLog: value[id] = std::log(std::isnan(a) ? a : std::max(a, limit)); break;
      case Op::ProtExp: value[id] = std::exp(std::isnan(a) ? a : std::min(a, limit)); break;
    }
  }
  return value[root];
}

}  // namespace lies::testing
