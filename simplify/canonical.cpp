#include "simplify/canonical.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "autodiff/primitives.hpp"
#include "engine/check.hpp"
#include "simplify/rewriter.hpp"

namespace lies::simplify {
namespace {

using engine::Node;
using engine::Op;

bool is_integer(double v) { return std::isfinite(v) && v == std::round(v); }

std::optional<double> finite(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

NodeId Canonicalizer::copy(const Graph& from, NodeId root) {
  RewriteOptions options;
  options.facts = facts_;
  return rewrite(from, root, out_, options).root;
}

NodeId Canonicalizer::normalize(const Graph& from, NodeId root) {
  const NodeId roots[] = {root};
  const std::vector<bool> live = engine::reachable(from, roots);

  // A sum (product) whose only parent is a sum (product) is not built on its own: its
  // parent collects the whole tree and builds it once. Built pairwise, a chain of k terms
  // would rebuild its canonical sum k times.
  std::vector<std::uint32_t> parents(root + 1, 0);
  std::vector<Op> parent_op(root + 1, Op::Constant);
  for (NodeId id = 0; id <= root; ++id) {
    if (!live[id]) continue;
    const Node& node = from.node(id);
    for (int k = 0; k < engine::arity(node.op); ++k) {
      ++parents[node.child[k]];
      parent_op[node.child[k]] = node.op;
    }
  }
  const auto interior = [&](NodeId id) {
    const Op op = from.op(id);
    return (op == Op::Add || op == Op::Mul) && id != root && parents[id] == 1 &&
           parent_op[id] == op;
  };

  std::vector<NodeId> mapped(from.size(), engine::kNoNode);
  for (NodeId id = 0; id <= root; ++id) {
    if (!live[id] || interior(id)) continue;
    const Node& node = from.node(id);
    if (node.op == Op::Add || node.op == Op::Mul) {
      mapped[id] = collect(from, id, mapped, interior);
      continue;
    }
    const NodeId a = engine::arity(node.op) > 0 ? mapped[node.child[0]] : engine::kNoNode;
    const NodeId b = engine::arity(node.op) > 1 ? mapped[node.child[1]] : engine::kNoNode;
    switch (node.op) {
      case Op::Input:
        mapped[id] = out_.input(node.index);
        break;
      case Op::Param:
        mapped[id] = out_.param(node.index);
        break;
      case Op::Constant:
        mapped[id] = out_.constant(node.value);
        break;
      case Op::Div:
        mapped[id] = div(a, b);
        break;
      case Op::Pow:
        mapped[id] = pow(a, b);
        break;
      case Op::Neg:
        mapped[id] = neg(a);
        break;
      case Op::Exp:
        mapped[id] = exp(a);
        break;
      case Op::Log:
        mapped[id] = log(a);
        break;
      case Op::Sqrt:
        mapped[id] = pow(a, out_.constant(0.5));
        break;
      default:
        mapped[id] = unary(node.op, a, node.value);
        break;
    }
  }
  return mapped[root];
}

template <typename Interior>
NodeId Canonicalizer::collect(const Graph& from, NodeId id, const std::vector<NodeId>& mapped,
                              const Interior& interior) {
  const Op op = from.op(id);
  std::vector<NodeId> operands;
  std::vector<NodeId> stack = {id};
  while (!stack.empty()) {
    const Node& node = from.node(stack.back());
    stack.pop_back();
    for (int k = 1; k >= 0; --k) {
      const NodeId child = node.child[k];
      if (interior(child)) {
        stack.push_back(child);
      } else {
        operands.push_back(mapped[child]);
      }
    }
  }

  if (op == Op::Add) {
    Linear linear;
    for (NodeId operand : operands) {
      const Linear part = as_linear(operand);
      linear.constant += part.constant;
      linear.terms.insert(linear.terms.end(), part.terms.begin(), part.terms.end());
    }
    if (std::isfinite(linear.constant)) return from_linear(std::move(linear));
  } else {
    Product product;
    for (NodeId operand : operands) {
      const Product part = as_product(operand);
      product.coefficient *= part.coefficient;
      product.factors.insert(product.factors.end(), part.factors.begin(), part.factors.end());
    }
    if (std::isfinite(product.coefficient)) return from_product(std::move(product));
  }
  // A constant part that overflows: fall back to pairwise building, which keeps it unfolded.
  NodeId result = operands.front();
  for (std::size_t k = 1; k < operands.size(); ++k) {
    result = op == Op::Add ? add(result, operands[k]) : mul(result, operands[k]);
  }
  return result;
}

std::pair<NodeId, double> Canonicalizer::as_term(NodeId id) const {
  const Node& node = out_.node(id);
  if (node.op == Op::Mul) {
    if (out_.is_constant(node.child[0])) return {node.child[1], out_.node(node.child[0]).value};
    if (out_.is_constant(node.child[1])) return {node.child[0], out_.node(node.child[1]).value};
  }
  return {id, 1.0};
}

Canonicalizer::Linear Canonicalizer::as_linear(NodeId id) const {
  Linear linear;
  std::vector<NodeId> stack = {id};
  while (!stack.empty()) {
    const NodeId n = stack.back();
    stack.pop_back();
    const Node& node = out_.node(n);
    if (node.op == Op::Add) {
      stack.push_back(node.child[0]);
      stack.push_back(node.child[1]);
    } else if (node.op == Op::Constant) {
      linear.constant += node.value;
    } else {
      linear.terms.push_back(as_term(n));
    }
  }
  return linear;
}

Canonicalizer::Product Canonicalizer::as_product(NodeId id) const {
  Product product;
  std::vector<NodeId> stack = {id};
  while (!stack.empty()) {
    const NodeId n = stack.back();
    stack.pop_back();
    const Node& node = out_.node(n);
    if (node.op == Op::Mul) {
      stack.push_back(node.child[0]);
      stack.push_back(node.child[1]);
    } else if (node.op == Op::Constant) {
      product.coefficient *= node.value;
    } else if (node.op == Op::Pow && out_.is_constant(node.child[1])) {
      product.factors.emplace_back(node.child[0], out_.node(node.child[1]).value);
    } else {
      product.factors.emplace_back(n, 1.0);
    }
  }
  return product;
}

void Canonicalizer::sort_by_hash(std::vector<std::pair<NodeId, double>>& items) const {
  std::sort(items.begin(), items.end(), [&](const auto& x, const auto& y) {
    const std::uint64_t hx = out_.hash(x.first);
    const std::uint64_t hy = out_.hash(y.first);
    return hx != hy ? hx < hy : x.first < y.first;
  });
}

NodeId Canonicalizer::from_linear(Linear linear) {
  // Merge like monomials, keeping the first-seen order before sorting.
  absl::flat_hash_map<NodeId, std::size_t> slot;
  std::vector<std::pair<NodeId, double>> merged;
  for (const auto& [monomial, coefficient] : linear.terms) {
    const auto [it, inserted] = slot.try_emplace(monomial, merged.size());
    if (inserted) {
      merged.emplace_back(monomial, coefficient);
    } else {
      merged[it->second].second += coefficient;
    }
  }
  std::erase_if(merged, [](const auto& term) { return term.second == 0.0; });
  sort_by_hash(merged);

  NodeId sum = engine::kNoNode;
  for (const auto& [monomial, coefficient] : merged) {
    const NodeId term =
        coefficient == 1.0 ? monomial : out_.mul(out_.constant(coefficient), monomial);
    sum = sum == engine::kNoNode ? term : out_.add(sum, term);
  }
  if (sum == engine::kNoNode) return out_.constant(linear.constant);
  if (linear.constant != 0.0) sum = out_.add(sum, out_.constant(linear.constant));
  return sum;
}

NodeId Canonicalizer::from_product(Product product) {
  if (product.coefficient == 0.0) return out_.constant(0.0);
  absl::flat_hash_map<NodeId, std::size_t> slot;
  std::vector<std::pair<NodeId, double>> merged;
  for (const auto& [base, exponent] : product.factors) {
    const auto [it, inserted] = slot.try_emplace(base, merged.size());
    if (inserted) {
      merged.emplace_back(base, exponent);
    } else {
      merged[it->second].second += exponent;
    }
  }
  std::erase_if(merged, [](const auto& factor) { return factor.second == 0.0; });
  sort_by_hash(merged);

  NodeId monomial = engine::kNoNode;
  for (const auto& [base, exponent] : merged) {
    const NodeId factor = exponent == 1.0 ? base : out_.pow(base, out_.constant(exponent));
    monomial = monomial == engine::kNoNode ? factor : out_.mul(monomial, factor);
  }
  if (monomial == engine::kNoNode) return out_.constant(product.coefficient);
  if (product.coefficient == 1.0) return monomial;
  // A numeric coefficient distributes over a lone sum: c·(x + 1) → c·x + c.
  if (merged.size() == 1 && merged[0].second == 1.0 && out_.op(monomial) == Op::Add) {
    Linear linear = as_linear(monomial);
    linear.constant *= product.coefficient;
    for (auto& term : linear.terms) term.second *= product.coefficient;
    return from_linear(std::move(linear));
  }
  return out_.mul(out_.constant(product.coefficient), monomial);
}

NodeId Canonicalizer::add(NodeId a, NodeId b) {
  Linear linear = as_linear(a);
  Linear other = as_linear(b);
  linear.constant += other.constant;
  linear.terms.insert(linear.terms.end(), other.terms.begin(), other.terms.end());
  if (!std::isfinite(linear.constant)) return out_.add(a, b);
  return from_linear(std::move(linear));
}

NodeId Canonicalizer::mul(NodeId a, NodeId b) {
  Product product = as_product(a);
  Product other = as_product(b);
  product.coefficient *= other.coefficient;
  product.factors.insert(product.factors.end(), other.factors.begin(), other.factors.end());
  if (!std::isfinite(product.coefficient)) return out_.mul(a, b);
  return from_product(std::move(product));
}

NodeId Canonicalizer::neg(NodeId a) { return mul(out_.constant(-1.0), a); }

NodeId Canonicalizer::div(NodeId a, NodeId b) { return mul(a, pow(b, out_.constant(-1.0))); }

NodeId Canonicalizer::pow(NodeId base, NodeId exponent) {
  if (!out_.is_constant(exponent)) return out_.pow(base, exponent);
  const double e = out_.node(exponent).value;
  if (e == 0.0) return out_.constant(1.0);
  if (e == 1.0) return base;

  if (out_.is_constant(base)) {
    const double b = out_.node(base).value;
    if (b > 0.0 || is_integer(e)) {
      if (const auto v = finite(std::pow(b, e))) return out_.constant(*v);
    }
    return out_.pow(base, exponent);
  }

  // (c·Π b^e)^n = c^n·Π b^(e·n) for an integer n wherever the left side is defined. For
  // other exponents the rules decide, as they need the signs of the factors.
  if (!is_integer(e) || std::abs(e) > kMaxDistributedExponent) return out_.pow(base, exponent);
  Product product = as_product(base);
  const auto coefficient = finite(std::pow(product.coefficient, e));
  if (!coefficient) return out_.pow(base, exponent);
  product.coefficient = *coefficient;
  for (auto& factor : product.factors) factor.second *= e;
  return from_product(std::move(product));
}

NodeId Canonicalizer::exp(NodeId a) {
  if (out_.is_constant(a)) {
    if (const auto v = finite(std::exp(out_.node(a).value))) return out_.constant(*v);
  }
  return out_.exp(a);
}

NodeId Canonicalizer::log(NodeId a) {
  if (out_.is_constant(a) && out_.node(a).value > 0.0) {
    if (const auto v = finite(std::log(out_.node(a).value))) return out_.constant(*v);
  }
  return out_.log(a);
}

NodeId Canonicalizer::unary(Op op, NodeId a, double limit) {
  LIES_CHECK(engine::arity(op) == 1);
  if (op == Op::Neg) return neg(a);
  if (op == Op::Exp) return exp(a);
  if (op == Op::Log) return log(a);
  if (op == Op::Sqrt) return pow(a, out_.constant(0.5));
  if (out_.is_constant(a)) {
    const double x = out_.node(a).value;
    if (const auto v = finite(autodiff::prim::apply(op, x, 0.0, limit))) {
      return out_.constant(*v);
    }
  }
  if (op == Op::ProtLog || op == Op::ProtExp) return out_.make({op, 0, {a, engine::kNoNode}, limit});
  return out_.unary(op, a);
}

}  // namespace lies::simplify
