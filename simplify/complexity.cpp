#include "simplify/complexity.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "engine/check.hpp"

namespace lies::simplify {
namespace detail {
namespace {

using engine::Graph;
using engine::Node;
using engine::NodeId;
using engine::Op;

constexpr int kNumerator = 0;
constexpr int kDenominator = 1;

// ---------------------------------------------------------------------------------------------
// Node counts

constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint64_t>::max();

std::uint64_t add_saturated(std::uint64_t a, std::uint64_t b) {
  return a > kMaxCount - b ? kMaxCount : a + b;
}

// Node counts of a product, per side: items are numbers and factors.
struct ProductCount {
  std::array<std::uint64_t, 2> items{};
  std::array<std::uint64_t, 2> nodes{};
  bool negative = false;
};

struct SumCount {
  std::uint64_t terms = 0;
  std::uint64_t nodes = 0;  // of the terms without their signs
  std::uint64_t positive_terms = 0;
};

void add_item(ProductCount& count, int side, std::uint64_t nodes) {
  count.items[side] = add_saturated(count.items[side], 1);
  count.nodes[side] = add_saturated(count.nodes[side], nodes);
}

ProductCount combine(const ProductCount& a, const ProductCount& b, bool b_inverted) {
  ProductCount out = a;
  for (const int side : {kNumerator, kDenominator}) {
    const int from = b_inverted ? 1 - side : side;
    out.items[side] = add_saturated(out.items[side], b.items[from]);
    out.nodes[side] = add_saturated(out.nodes[side], b.nodes[from]);
  }
  out.negative = a.negative != b.negative;
  return out;
}

// Nodes of a product without its sign: n numerator items need n-1 '*', m denominator items need
// m-1 '*' and one '/', and an empty numerator prints as 1.
std::uint64_t unsigned_nodes(const ProductCount& count) {
  const std::uint64_t numerator =
      count.items[kNumerator] == 0 ? 1 : add_saturated(count.nodes[kNumerator], count.items[kNumerator] - 1);
  const std::uint64_t denominator =
      count.items[kDenominator] == 0 ? 0 : add_saturated(count.nodes[kDenominator], count.items[kDenominator]);
  return add_saturated(numerator, denominator);
}

// Nodes of a sum: k terms need k-1 operators, plus a unary minus when the first term is negative,
// which order_terms leaves only when no term is positive.
std::uint64_t sum_nodes(const SumCount& count) {
  const bool leading_minus = count.positive_terms == 0;
  return add_saturated(add_saturated(count.nodes, count.terms - 1), leading_minus ? 1 : 0);
}

SumCount add_sums(const SumCount& a, const SumCount& b) {
  return {add_saturated(a.terms, b.terms), add_saturated(a.nodes, b.nodes),
          add_saturated(a.positive_terms, b.positive_terms)};
}

SumCount single_term(const ProductCount& product) {
  return {1, unsigned_nodes(product), product.negative ? 0u : 1u};
}

}  // namespace

std::optional<double> NumericLeaves::value(NodeId id) const {
  const Node& node = graph_.node(id);
  if (node.op == Op::Constant) return node.value;
  if (node.op == Op::Param && !param_values_.empty()) {
    LIES_CHECK(node.index < param_values_.size());
    return param_values_[node.index];
  }
  return std::nullopt;
}

bool NumericLeaves::is_named(double magnitude) const {
  return (magnitude == std::numbers::pi && pi_named_) || (magnitude == std::numbers::e && e_named_);
}

Shape shape_of(const Graph& graph, const NumericLeaves& leaves, NodeId id) {
  if (leaves.value(id)) return Shape::kProduct;
  switch (graph.op(id)) {
    case Op::Input: return Shape::kInput;
    case Op::Param: return Shape::kParam;  // printed by name, as there are no param_values
    case Op::Add: return Shape::kSum;
    case Op::Constant:
    case Op::Mul:
    case Op::Div:
    case Op::Pow:
    case Op::Neg:
    case Op::Sqrt: return Shape::kProduct;
    case Op::Log:
    case Op::Exp:
    case Op::Sin:
    case Op::Cos:
    case Op::Tan:
    case Op::Tanh:
    case Op::Asin:
    case Op::Acos:
    case Op::Atan: return Shape::kCall;
    case Op::ProtLog:
    case Op::ProtExp: return Shape::kClamp;
  }
  LIES_CHECK(false && "unknown op");
  return Shape::kInput;
}

// Counts, for every node from the leaves up, the nodes it prints as in each of its contexts: as a
// unit of its own, flattened into an enclosing product, and flattened into an enclosing sum. The
// counts follow the rules of gather_product, gather_sum, order_terms and Renderer in
// io/formula_pretty.cpp.
std::uint64_t pretty_node_count(const Graph& graph, NodeId root, const NumericLeaves& leaves) {
  const NodeId roots[] = {root};
  const std::vector<bool> live = engine::reachable(graph, roots);
  std::vector<std::uint64_t> unit_nodes(root + 1, 0);
  std::vector<ProductCount> products(root + 1);
  std::vector<SumCount> sums(root + 1);

  for (NodeId id = 0; id <= root; ++id) {
    if (!live[id]) continue;
    const Node& node = graph.node(id);
    const NodeId a = node.child[0];
    const NodeId b = node.child[1];
    ProductCount& product = products[id];

    if (const std::optional<double> value = leaves.value(id)) {
      product.negative = *value < 0;
      const double magnitude = std::fabs(*value);
      if (magnitude != 1.0) add_item(product, kNumerator, 1);
    } else {
      switch (node.op) {
        case Op::Mul: product = combine(products[a], products[b], false); break;
        case Op::Div: product = combine(products[a], products[b], true); break;
        case Op::Neg:
          product = products[a];
          product.negative = !product.negative;
          break;
        case Op::Sqrt: add_item(product, kNumerator, add_saturated(unit_nodes[a], 1)); break;
        case Op::Pow:
          if (const std::optional<double> exponent = leaves.value(b)) {
            // |e| = 1 prints the base alone, 0.5 as sqrt(base), others as base^|e|.
            const double magnitude = std::fabs(*exponent);
            std::uint64_t extra = 2;
            if (magnitude == 1.0) extra = 0;
            if (magnitude == 0.5) extra = 1;
            add_item(product, *exponent < 0 ? kDenominator : kNumerator,
                     add_saturated(unit_nodes[a], extra));
          } else {
            add_item(product, kNumerator,
                     add_saturated(add_saturated(unit_nodes[a], unit_nodes[b]), 1));
          }
          break;
        case Op::Input:
        case Op::Constant:  // has a value
        case Op::Param:
        case Op::Add:
        case Op::Log:
        case Op::Exp:
        case Op::Sin:
        case Op::Cos:
        case Op::Tan:
        case Op::Tanh:
        case Op::Asin:
        case Op::Acos:
        case Op::Atan:
        case Op::ProtLog:
        case Op::ProtExp: break;  // a factor of its own, added below once its count is known
      }
    }

    // The node printed as a unit of its own.
    const Shape shape = shape_of(graph, leaves, id);
    if (node.op == Op::Add) sums[id] = add_sums(sums[a], sums[b]);
    switch (shape) {
      case Shape::kInput:
      case Shape::kParam: unit_nodes[id] = 1; break;
      case Shape::kCall: unit_nodes[id] = add_saturated(unit_nodes[a], 1); break;
      case Shape::kClamp:
        // log(max(z, c)): log, max and c, and a unary minus for a negative c.
        unit_nodes[id] = add_saturated(unit_nodes[a], node.value < 0 ? 4 : 3);
        break;
      case Shape::kSum: unit_nodes[id] = sum_nodes(sums[id]); break;
      case Shape::kProduct:
        unit_nodes[id] = add_saturated(unsigned_nodes(product), product.negative ? 1 : 0);
        break;
    }
    // Inside a product, any other unit is one factor. Inside a sum, anything but an Add is one term.
    if (shape != Shape::kProduct) add_item(product, kNumerator, unit_nodes[id]);
    if (node.op != Op::Add) sums[id] = single_term(product);
  }
  return unit_nodes[root];
}

}  // namespace detail

std::uint64_t formula_complexity(const engine::Graph& graph, engine::NodeId root) {
  LIES_CHECK(root < graph.size());
  const detail::NumericLeaves leaves(graph, {}, true, true);
  return detail::pretty_node_count(graph, root, leaves);
}

}  // namespace lies::simplify
