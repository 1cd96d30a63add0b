// Spelling of the leaves, numbers and functions of a formula in each output format. Internal to
// the formula printers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/graph.hpp"
#include "io/formula_printer.hpp"

namespace lies::io::detail {

// Binding strength of a printed subformula, from loosest to tightest. A subformula is put in
// parentheses where its context needs a tighter one: a power base needs kAtom, an operand of * or /
// needs kPower, an exponent needs kUnary (x^-y is valid, x^(a*b) is not a + b).
enum class Precedence { kSum, kProduct, kUnary, kPower, kAtom };

// Text with the precedence of its outermost operator.
struct PrecedenceText {
  std::string text;
  Precedence precedence;
};

// Returns the shortest decimal text that std::from_chars reads back as the same double (1e-05,
// 0.1, 3), or the general format with `significant_digits` digits when that is positive.
std::string format_number(double value, int significant_digits);

// Returns whether `name` matches [A-Za-z_][A-Za-z0-9_]*.
bool is_identifier(std::string_view name);

// Returns `name` as a valid identifier of `format` (SymPy or C). Characters outside [A-Za-z0-9_]
// become '_' and a leading digit gets a '_' prefix. A keyword, or a name that the printed formula
// itself uses (sin, pow, pi, M_PI), gets a '_' suffix. Other formats get `name` unchanged.
std::string sanitize_identifier(std::string_view name, FormulaFormat format);

// Returns `name` in LaTeX math: Greek names as \theta, a subscript after '_' as E_{n}, trailing
// digits as x_{1}, other multi-letter names in \mathrm{}, and a name that is not an identifier in
// \text{} with LaTeX special characters escaped.
std::string latex_name(std::string_view name);

// The spelling of leaves, numbers and functions for one print_formula call.
class FormulaSpelling {
 public:
  explicit FormulaSpelling(const PrintOptions& options);

  FormulaFormat format() const { return format_; }

  // Name of Input `column` in this format.
  std::string input_name(std::uint32_t column) const;
  // Name of Param `index` (p<index>) in this format. Used only when there are no param_values.
  std::string param_name(std::uint32_t index) const;

  // A number, finite, of either sign. pi and e print by name where the format and the input names
  // allow it. A negative number has precedence kUnary. LaTeX writes 1.5e-05 as 1.5 \cdot 10^{-5},
  // with precedence kPower.
  PrecedenceText number(double value) const;

  // Name of a unary function op (Log to Atan, Sqrt included) as called in this format: sin, asin,
  // \sin, \arcsin. ProtLog and ProtExp print as log and exp.
  std::string_view function_name(engine::Op op) const;
  // Name of the max and min of ProtLog and ProtExp: max/min, Max/Min, fmax/fmin, \max/\min.
  std::string_view clamp_name(engine::Op op) const;

  // Whether the spelling of pi or e is free, that is no input prints with that spelling.
  bool pi_allowed() const { return pi_allowed_; }
  bool e_allowed() const { return e_allowed_; }

 private:
  FormulaFormat format_;
  int significant_digits_;
  const std::vector<std::string>& input_names_;
  bool pi_allowed_ = true;
  bool e_allowed_ = true;
};

}  // namespace lies::io::detail
