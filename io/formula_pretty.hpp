// The pretty mode of print_formula. Internal to the formula printers.
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
#include "simplify/complexity.hpp"

namespace lies::io::detail {

// The numeric leaves and shapes live with the complexity count, which counts what this printer
// prints.
using simplify::detail::NumericLeaves;
using simplify::detail::Shape;
using simplify::detail::shape_of;

// Prints the formula in pretty mode. The caller has checked the size limits, so the expanded tree
// of `root` is small enough to walk.
std::string print_pretty(const engine::Graph& graph, engine::NodeId root,
                         const PrintOptions& options, const NumericLeaves& leaves);

}  // namespace lies::io::detail
