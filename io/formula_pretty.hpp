// The pretty mode of print_formula and the node count behind formula_complexity. Internal to the
// formula printers.
//
// The pretty form of a formula is built from three shapes:
//   - a sum of terms, from a maximal tree of Add nodes;
//   - a product: a sign, numbers and factors over numbers and factors, from a maximal tree of Mul,
//     Div, Neg, Sqrt, numbers, and Pow nodes (a factor raised to a negative number goes to the
//     denominator);
//   - a leaf or a function call.
// An operand that is a shape of its own (a function argument, a power base, a factor that is a
// sum) is printed once per distinct node and then referenced. So a shared subexpression is
// printed once, however often it appears.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "engine/graph.hpp"
#include "io/formula_printer.hpp"
#include "io/formula_spelling.hpp"

namespace lies::io::detail {

// Numeric leaves as the pretty printer reads them: the value of a Constant, the value of a Param
// when param_values are printed, and whether pi and e print by name.
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

// Prints the formula in pretty mode. The caller has checked the size limits, so the expanded tree
// of `root` is small enough to walk.
std::string print_pretty(const engine::Graph& graph, engine::NodeId root,
                         const PrintOptions& options, const NumericLeaves& leaves);

// Returns the node count of the pretty print, without printing it and in time linear in the
// number of nodes below `root`. Saturates at the maximum of uint64_t.
std::uint64_t pretty_node_count(const engine::Graph& graph, engine::NodeId root,
                                const NumericLeaves& leaves);

}  // namespace lies::io::detail
