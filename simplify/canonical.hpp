// Canonical sums of products, built node by node.
//
// The canonicalizer's builders write an expression in a normal form:
//   sum       c0 + Σ c_i·m_i    like monomials merged, zero terms dropped, at most one
//                               constant term, written last; numeric coefficients
//                               distributed over sums (2·(x + 1) → 2·x + 2);
//   product   c·Π b_j^e_j       like bases merged (x·x → x², x^a·x^b → x^(a+b)), exponent
//                               1 written as the base, exponent 0 dropped, the numeric
//                               coefficient written first;
//   powers    (c·Π b_j^e_j)^n → c^n·Π b_j^(e_j·n) for an integer |n| <= 64; √u → u^0.5;
//             u/v → u·v^−1; −u → −1·u;
//   constants sums, products and powers of constants are folded, and so is a function
//             of a constant, unless the result is not finite.
// Terms and factors are ordered by structural hash, so equal formulas built in any order
// are the same node. Each of these steps keeps the value wherever the input is defined.
//
// normalize() copies an expression through these builders. copy() also applies the rules
// of rules.hpp with structural guards (exp/log pairs, powers of products and powers,
// trigonometric shifts), by running the rewriter; it is simplify() without data,
// rounding or presentation.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/graph.hpp"
#include "simplify/domain.hpp"

namespace lies::simplify {

// Largest |n| for which (a·b)^n is written a^n·b^n. Beyond it one factor alone overflows or
// underflows too easily where the product does not.
inline constexpr double kMaxDistributedExponent = 64;

using engine::Graph;
using engine::NodeId;

class Canonicalizer {
 public:
  Canonicalizer(Graph& out, DomainFacts facts) : out_(out), facts_(std::move(facts)) {}

  // Copies the expression at `root` of `from` into the output graph in canonical form, with
  // the rules of rules.hpp applied to a fixpoint under the facts given at construction.
  NodeId copy(const Graph& from, NodeId root);

  // Copies the expression at `root` of `from` into the output graph through the builders
  // only: the normal form without rules.
  NodeId normalize(const Graph& from, NodeId root);

  // Builders on the output graph; operands must be canonical nodes of it.
  NodeId constant(double value) { return out_.constant(value); }
  NodeId add(NodeId a, NodeId b);
  NodeId mul(NodeId a, NodeId b);
  NodeId pow(NodeId base, NodeId exponent);
  NodeId neg(NodeId a);
  NodeId div(NodeId a, NodeId b);
  NodeId exp(NodeId a);
  NodeId log(NodeId a);
  NodeId unary(engine::Op op, NodeId a, double limit);

 private:
  struct Linear {
    double constant = 0.0;
    std::vector<std::pair<NodeId, double>> terms;  // (monomial, coefficient)
  };
  struct Product {
    double coefficient = 1.0;
    std::vector<std::pair<NodeId, double>> factors;  // (base, exponent)
  };

  // Builds the sum or product at `id` of `from` from the mapped operands of its whole tree of
  // nodes of that op, descending through the nodes for which interior(node) is true.
  template <typename Interior>
  NodeId collect(const Graph& from, NodeId id, const std::vector<NodeId>& mapped,
                 const Interior& interior);
  Linear as_linear(NodeId id) const;
  Product as_product(NodeId id) const;
  std::pair<NodeId, double> as_term(NodeId id) const;
  NodeId from_linear(Linear linear);
  NodeId from_product(Product product);
  void sort_by_hash(std::vector<std::pair<NodeId, double>>& items) const;

  Graph& out_;
  DomainFacts facts_;
};

}  // namespace lies::simplify
