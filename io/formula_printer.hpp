// Printing of formulas (expressions of an engine::Graph) as text for people and for other tools.
//
// The pretty mode, the default, is for reading. It flattens nested sums and products into n-ary
// ones and orders their operands by printed text, so equal formulas print equally whatever the
// node ids and hashes. It writes factors with negative exponents as division, absorbs signs into
// subtraction and uses as few parentheses as the precedence rules allow:
//
//   Mul(Mul(2.5, Pow(x1, 2)), Pow(x2, -1))   prints   2.5*x1^2/x2
//   Add(a, Mul(-2, b))                       prints   a - 2*b
//   Pow(x, -0.5)                             prints   1/sqrt(x)
//
// The faithful mode writes the binary DAG as it is stored, so that parse_formula (formula_parser.hpp)
// builds the same nodes again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/graph.hpp"

namespace lies::io {

enum class FormulaFormat {
  // Plain text with ^ for powers, readable by parse_formula: 2.5*x1^2/x2.
  kInfix,
  // Python source for SymPy, with ** and SymPy names (sqrt, asin, Max, pi, E).
  kSympy,
  // LaTeX math mode: \frac{}{}, ^{}, \sqrt{}, \cdot, Greek names as \theta, E_n as E_{n}.
  kLatex,
  // A C expression over <math.h>: pow(a, b), fmax, M_PI. Every number is a double literal.
  kC,
};

struct PrintOptions {
  FormulaFormat format = FormulaFormat::kInfix;
  // Name of Input column j. A missing or empty entry prints as x<j+1>. The infix format prints names
  // as given. SymPy and C output replace every character outside [A-Za-z0-9_] with '_', prefix a
  // name that starts with a digit with '_', and append '_' to a keyword of the language (lambda, int).
  // Two different names can therefore print the same.
  std::vector<std::string> input_names;
  // When non-empty, Param i prints as param_values[i], and every Param of the formula needs a finite
  // value. When empty, Param i prints as p<i>.
  std::vector<double> param_values;
  // Significant digits of printed numbers. 0 prints the shortest text that reads back as the same
  // double. The faithful mode ignores this and always prints round-trip digits.
  int significant_digits = 0;
  // Print the DAG exactly as stored (infix only). See print_formula.
  bool faithful = false;
  // Maximum size of the printed formula in nodes, counted as formula_complexity counts them in
  // pretty mode, and as nodes of the expanded tree in faithful mode (see print_formula).
  std::size_t max_nodes = 100000;
};

// Prints the formula rooted at `root`.
//
// Numbers equal to pi or e print as the named constant of the format (pi/E in SymPy, M_PI/M_E in
// C), unless an input of `input_names` prints with that same spelling. ProtLog(z) with limit c prints
// as log(max(z, c)) and ProtExp(z) as exp(min(z, c)).
//
// Faithful mode (infix only) keeps every node and the stored order of children, and writes only the
// parentheses that the binary structure needs. Parsing the text with parse_formula, with
// `variables` equal to the printed input names, builds the same DAG, with two exceptions: a Param
// comes back as the variable p<i>, or as a Constant when param_values are given. Neg(x) prints as
// -x, Add(a, Neg(b)) as a - b, Add(a, c) with a negative constant c as a - |c|, Neg of a number as
// -(2). Names must then be identifiers ([A-Za-z_][A-Za-z0-9_]*) and distinct.
//
// Returns InvalidArgument when
//   - the root is not a node of `graph`,
//   - param_values is non-empty but has no finite value for a Param of the formula,
//   - significant_digits is outside 0 to 17,
//   - faithful mode is set with a format other than infix, or with a name that would not parse back,
//   - the formula is too large.
//
// Size limit: both modes print the expanded tree, in which a subexpression shared by k parents
// appears k times, and a DAG of n nodes can expand to 2^n nodes. Faithful mode rejects an expanded
// tree of more than max_nodes nodes. Pretty mode rejects a printed formula of more than max_nodes
// nodes (its formula_complexity, with param_values applied), and an expanded tree of more than
// 4 * max_nodes nodes, which bounds the work of printing a formula that prints shorter than its
// tree, such as a product of many factors 1.
absl::StatusOr<std::string> print_formula(const engine::Graph& graph, engine::NodeId root,
                                          const PrintOptions& options);

// Returns the node count of the formula as print_formula prints it in pretty mode with default
// options: every leaf (variable, parameter, number, named constant) counts 1, every operator and
// function counts 1, and a sum or product of k operands counts k-1 operators. A negative number
// counts 2 (unary minus and the number), and log(max(z, c)) counts the log, the max and c. In
// other words it is the number of tokens of the infix text other than parentheses and commas:
// 2.5*x1^2/x2 has complexity 7, a - 2*b has 5. The count saturates at the maximum of uint64_t.
// Takes time linear in the number of nodes up to `root`, which must be a node of `graph`. The
// same function as simplify::formula_complexity, which engine code uses.
std::uint64_t formula_complexity(const engine::Graph& graph, engine::NodeId root);

}  // namespace lies::io
