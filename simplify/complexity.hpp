// The complexity measure of a formula, used by every tool and by the choice between trials.
//
// Complexity is the node count of the formula as io::print_formula prints it in pretty mode.
// Every leaf (variable, parameter, number, named constant pi or e) counts 1, and so does every
// operator and function. A sum or product of k operands counts k-1 operators. A negative
// number counts 2 (unary minus and the number), and log(max(z, c)) counts the log, the max
// and c. So it is the number of tokens of the infix text other than parentheses and commas:
// 2.5*x1^2/x2 has complexity 7, a - 2*b has 5, 1/(4*pi) has 5.
//
// The count is computed from the graph without printing, in time linear in the number of
// nodes. The pretty printer and this count share the shapes and numeric leaves declared in
// `detail` below, so the two cannot disagree about what a node prints as.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "engine/graph.hpp"

namespace lies::simplify {

// Returns the complexity of the formula at `root`, which must be a node of `graph`, with
// Param nodes printed by name. Saturates at the maximum of uint64_t.
std::uint64_t formula_complexity(const engine::Graph& graph, engine::NodeId root);

namespace detail {

// Numeric leaves as the pretty printer reads them: the value of a Constant, the value of a
// Param when param_values are printed, and whether pi and e print by name.
class NumericLeaves {
 public:
  // Every Param index below the root must be covered by `param_values` when it is non-empty.
  NumericLeaves(const engine::Graph& graph, std::span<const double> param_values, bool pi_named,
                bool e_named)
      : graph_(graph), param_values_(param_values), pi_named_(pi_named), e_named_(e_named) {}

  std::optional<double> value(engine::NodeId id) const;
  // Whether |value| prints as the name pi or e, which counts as a factor of a product.
  bool is_named(double magnitude) const;

 private:
  const engine::Graph& graph_;
  std::span<const double> param_values_;
  bool pi_named_;
  bool e_named_;
};

// The printed form of a node that is a subformula of its own.
enum class Shape { kInput, kParam, kCall, kClamp, kSum, kProduct };

Shape shape_of(const engine::Graph& graph, const NumericLeaves& leaves, engine::NodeId id);

// Returns the node count of the pretty print of `root`, without printing it. Saturates at the
// maximum of uint64_t.
std::uint64_t pretty_node_count(const engine::Graph& graph, engine::NodeId root,
                                const NumericLeaves& leaves);

}  // namespace detail
}  // namespace lies::simplify
