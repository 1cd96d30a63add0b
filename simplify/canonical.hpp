// Canonical sums of products, built node by node.
//
// The canonicalizer copies an expression into a Graph in a normal form:
//   sum       c0 + Σ c_i·m_i    like monomials merged, zero terms dropped, at most one
//                               constant term, numeric coefficients distributed over sums
//                               (2·(x + 1) → 2·x + 2);
//   product   c·Π b_j^e_j       like bases merged (x·x → x², x^a·x^b → x^(a+b)), exponent
//                               1 written as the base, exponent 0 dropped;
//   exp/log   exp(c0 + Σ c_i·log u_i + r) → e^c0 · Π u_i^c_i · exp(r);
//             log(c·Π b_j^e_j) → log c + Σ e_j·log b_j when c > 0 and every b_j > 0;
//             log(exp u) → u; exp(log u) → u;
//   powers    (c·Π b_j^e_j)^e → c^e·Π b_j^(e_j·e) when e is an integer or everything is
//             positive; √u → u^0.5; u/v → u·v^−1; −u → −1·u;
//   constants every operation on constants is folded, unless the result is not finite.
// Terms and factors are ordered by structural hash, so equal formulas built in any order
// are the same node. "Positive" is proved from the structure: positive constants, inputs
// the caller declares positive, exp(·), and sums, products and powers of positives.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/graph.hpp"

namespace lies::simplify {

using engine::Graph;
using engine::NodeId;

struct DomainFacts {
  // positive_inputs[j]: Input j is > 0 on every row the formula is meant for.
  std::vector<bool> positive_inputs;
};

class Canonicalizer {
 public:
  Canonicalizer(Graph& out, DomainFacts facts) : out_(out), facts_(std::move(facts)) {}

  // Copies the expression at `root` of `from` into the output graph in canonical form.
  NodeId copy(const Graph& from, NodeId root);

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

  // Whether the canonical node is provably > 0.
  bool positive(NodeId id);

 private:
  struct Linear {
    double constant = 0.0;
    std::vector<std::pair<NodeId, double>> terms;  // (monomial, coefficient)
  };
  struct Product {
    double coefficient = 1.0;
    std::vector<std::pair<NodeId, double>> factors;  // (base, exponent)
  };

  Linear as_linear(NodeId id) const;
  Product as_product(NodeId id) const;
  std::pair<NodeId, double> as_term(NodeId id) const;
  NodeId from_linear(Linear linear);
  NodeId from_product(Product product);
  void sort_by_hash(std::vector<std::pair<NodeId, double>>& items) const;

  Graph& out_;
  DomainFacts facts_;
  std::vector<std::int8_t> positive_;  // per node of out_: -1 unknown, 0 no, 1 yes
};

}  // namespace lies::simplify
