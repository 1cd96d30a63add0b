// Formulas: parsing, printing, complexity, evaluation and simplification.
//
//   absl::StatusOr<lies::Formula> f = lies::Formula::parse("a^1.5/sqrt(M)");
//   f->variables();      // {"a", "M"}
//   f->to_string();      // "a^1.5/sqrt(M)"
//   f->evaluate(table);  // one value per row of `table`
//   f->simplify();       // with the rewrite rules of lies
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "lies/table.hpp"

namespace lies {

namespace detail {
struct FormulaImpl;
}  // namespace detail

struct Simplified;

// The syntax that Formula::print writes.
enum class FormulaFormat {
  // Plain text with ^ for powers, which Formula::parse reads back: 2.5*x1^2/x2.
  kInfix,
  // Python source for SymPy, with ** and SymPy names (sqrt, asin, Max, pi, E).
  kSympy,
  // LaTeX math mode: \frac{}{}, ^{}, \sqrt{}, \cdot, Greek names as \theta.
  kLatex,
  // A C expression over <math.h>: pow(a, b), fmax, M_PI. Every number is a double literal.
  kC,
};

struct PrintOptions {
  FormulaFormat format = FormulaFormat::kInfix;
  // Significant digits of printed numbers, 0 to 17. 0 prints the shortest text that
  // reads back as the same double.
  int significant_digits = 0;
  // Print the expression exactly as stored, every node and the order of operands, so that
  // parse() builds the same expression again. Infix only, and every variable name must be
  // an identifier. The default prints for reading: it flattens sums and products, orders
  // their operands by text, writes negative powers as division and drops parentheses that
  // precedence makes unnecessary.
  bool faithful = false;
  // Maximum size of the printed formula in nodes, counted as complexity() counts them (in
  // faithful mode, nodes of the expression written out as a tree).
  std::size_t max_nodes = 100000;
};

struct ParseOptions {
  // Variables of the formula, in order: variable j of the result is variables[j]. The
  // first of equal names wins.
  std::vector<std::string> variables;
  // Whether a name that is not in `variables` becomes a new variable, appended in the
  // order of first appearance. When false, an unknown name is an error that lists the
  // known names.
  bool add_unknown_variables = true;
  // Maximum length of the text, in bytes.
  std::size_t max_length = 100000;
  // Maximum nesting depth of parentheses, unary signs and powers.
  int max_depth = 256;
};

struct SimplifyOptions {
  // Variables that are positive wherever the formula is used. Guards of rules such as
  // log(a*b) = log(a) + log(b) need positive operands, and prove signs from these
  // variables, positive constants, exp(·), and sums, products and powers of positives.
  std::vector<std::string> positive_variables;
  // Rows on which the formula is used, with a column for each variable that it uses.
  // When given, a guard such as "u > 0" also holds when u is finite and positive on every
  // row.
  std::optional<Table> data;
  // Relative distance within which a constant is taken for a simple value next to it
  // (an integer, a simple fraction, a small multiple of pi, e or sqrt(2)); 0 keeps every
  // constant as it is.
  double roundoff = 1e-10;
  // Write multiples of pi, 1/pi, e and sqrt(2) as products that print by name (2*pi).
  bool present = true;
  // Limits of each rewriting stage. Reaching one is not an error: the result is the
  // formula after the last complete round, and SimplifyReport::stop names the limit.
  int max_rounds = 64;
  std::size_t max_nodes = std::size_t{1} << 22;
  double max_seconds = 10.0;
};

// The reason rewriting stopped.
enum class SimplifyStop {
  kSaturated,  // no rule applies any more
  kRoundLimit,
  kNodeLimit,
  kTimeLimit,
};

// "saturated", "round limit", "node limit" or "time limit".
std::string_view to_string(SimplifyStop stop);

// A rewrite rule and how often it fired.
struct RuleCount {
  std::string rule;  // the rule's description, such as "log of a product"
  std::uint64_t count = 0;
};

struct SimplifyReport {
  // kSaturated unless a stage stopped at a limit; the formula may then simplify further.
  SimplifyStop stop = SimplifyStop::kSaturated;
  int rounds = 0;
  // The rules that fired, in the order of the rule table.
  std::vector<RuleCount> fired;
  double seconds = 0.0;
};

// An immutable formula over named variables, such as a fitted formula or one parsed from
// text.
//
// Copies share the formula, so a copy costs no more than a pointer. Formulas that a fit
// returns share one expression graph with the rest of the fit's Pareto front.
//
// Thread-safety: a Formula never changes after it is made, so any number of threads may
// use the same Formula, or copies of it, at once.
class Formula {
 public:
  // The constant 0, without variables.
  Formula();

  // Parses an infix formula as people and tools such as SymPy and NumPy write it, with
  // Python's precedence: ** and ^ are powers (right-associative, so 2**3**2 is 2**9), / is
  // real division, -x**2 is -(x^2). Numbers take every C form (1, .5, 1e-3, 0x1p3, 0b101,
  // 1'000). Functions: exp, log, ln, sqrt, sin, cos, tan, tanh, asin, acos, atan, arcsin,
  // arccos, arctan, and log(max(z, c)) and exp(min(z, c)) with a number c. The names pi
  // and e are the constants unless `options.variables` contains them. The result is what
  // was written, without simplification.
  //
  // Returns InvalidArgument for text that does not parse, an unknown variable when
  // add_unknown_variables is false, text longer than max_length or nested deeper than
  // max_depth. The message names the 1-based column, in bytes, and what was expected, as
  // in "unknown variable 'q' at column 3 (known: a, b)".
  static absl::StatusOr<Formula> parse(std::string_view text, const ParseOptions& options = {});

  // Variable names: variable j of the formula reads variables()[j]. A formula need not
  // use every variable, and the fit of a table gives every input column a variable.
  const std::vector<std::string>& variables() const;

  // Prints the formula. Numbers equal to pi or e print as the constant of the format
  // (pi/E in SymPy, M_PI/M_E in C) unless a variable prints with that spelling. A SymPy
  // or C name replaces every character outside [A-Za-z0-9_] with '_', so two variables
  // can print the same there.
  //
  // Returns InvalidArgument when significant_digits is outside 0 to 17, faithful mode is
  // set with another format or a variable name that is not an identifier, or the formula
  // is larger than max_nodes.
  absl::StatusOr<std::string> print(const PrintOptions& options = {}) const;

  // Prints the formula in infix with the default options. Where print would fail, returns
  // "(not printable: " followed by the error message and ")".
  std::string to_string() const;

  // The number of nodes of the formula as print() writes it: every variable, number,
  // operator and function counts one, and a sum or product of k operands counts k − 1
  // operators. 2.5*x1^2/x2 has complexity 7.
  std::uint64_t complexity() const;

  // Evaluates the formula on every row of `table`, whose columns are found by the
  // variable names. Uses up to `threads` threads (0: OpenMP's default) and the vector
  // kernels of the fit, whose exp, log and sin may differ from <cmath> in the last bit. A
  // row where the formula is undefined, such as log of a negative number, gives NaN.
  //
  // Returns InvalidArgument when a variable that the formula uses is not a column of
  // `table`, and ResourceExhausted when memory runs out.
  absl::StatusOr<std::vector<double>> evaluate(const Table& table, int threads = 0) const;

  // Evaluates the formula as above on columns in memory: columns[j] contains the values of
  // variable j. A formula without variables gives an empty result, because no column sets
  // the number of rows. Returns InvalidArgument when the number of columns differs from
  // the number of variables or the columns differ in length.
  absl::StatusOr<std::vector<double>> evaluate(std::span<const std::span<const double>> columns,
                                               int threads = 0) const;

  // Measures the normalized mean squared error of the formula against the column `target`
  // of `table`, evaluating it as evaluate() does. The NMSE is Σ(y − f)² / Σ(y − ȳ)², or
  // Σ(y − f)² for a constant target, and +inf when a prediction is not finite. fit reports
  // this NMSE in FitResult::nmse, and R² is 1 − NMSE.
  //
  // Returns InvalidArgument when `target` or a variable is not a column of `table`, or
  // the table has no rows.
  absl::StatusOr<double> nmse(const Table& table, std::string_view target, int threads = 0) const;

  // Simplifies the formula with the rewrite rules of lies: constants fold, like terms
  // collect, exp/log pairs cancel where their domain allows, powers merge, trigonometric
  // shifts become cosines, and constants within `roundoff` of a simple value become that
  // value. The result has the variables of this formula, and its value wherever this
  // formula is defined, up to the rounding of folded constants.
  //
  // Returns InvalidArgument when `data` lacks a column for a variable that the formula
  // uses, or a limit or roundoff is not positive (roundoff may be 0).
  absl::StatusOr<Simplified> simplify(const SimplifyOptions& options = {}) const;

 private:
  friend struct detail::Access;
  explicit Formula(std::shared_ptr<const detail::FormulaImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const detail::FormulaImpl> impl_;
};

// A simplified formula and how the rewriting went.
struct Simplified {
  Formula formula;
  SimplifyReport report;
};

}  // namespace lies
