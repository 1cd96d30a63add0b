// Verification of formulas: accuracy on data in double and in 50 digits, and whether a
// formula is a symbolic solution of a ground truth, decided in 100 digits. Every function
// here may run in several threads at once.
//
//   absl::StatusOr<lies::AccuracyReport> accuracy =
//       lies::measure_accuracy("a^1.5/sqrt(M)", table, "T");
//   std::vector<lies::VariableRange> ranges = {{"x", -3, 3}};
//   absl::StatusOr<lies::SolutionCheck> check =
//       lies::check_solution("cos(x)", "sin(x + pi/2)", ranges);
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lies/formula.hpp"
#include "lies/table.hpp"

namespace lies {

namespace detail {
struct MultiprecisionImpl;
}  // namespace detail

// A binary floating-point number of 50 or 100 significant decimal digits, whose exponent
// range is far wider than a double's. It never changes and copies share the value, so
// threads may use it at once.
class MultiprecisionFloat {
 public:
  // Zero, with 50 digits.
  MultiprecisionFloat();

  // The value rounded to a double.
  double to_double() const;
  // Formats the value with `significant_digits` digits (1 or more; 0 prints all), in
  // scientific or fixed notation, whichever is shorter, as printf's %g does.
  std::string to_string(int significant_digits) const;
  // The precision in significant decimal digits: 50 or 100.
  int digits() const;

 private:
  friend struct detail::Access;
  explicit MultiprecisionFloat(std::shared_ptr<const detail::MultiprecisionImpl> impl)
      : impl_(std::move(impl)) {}
  std::shared_ptr<const detail::MultiprecisionImpl> impl_;
};

// Accuracy of predictions f against a target y, computed in double.
struct Accuracy {
  double r2 = 0.0;  // 1 − nmse
  // Σ(y − f)² / Σ(y − ȳ)². For a constant target, 0 when f = y on every row and +inf
  // otherwise.
  double nmse = 0.0;
  // The maximum over rows of |f − y| / |y|; a row with y = 0 counts 0 when f = 0 and +inf
  // otherwise.
  double max_relative_error = 0.0;
  std::size_t rows = 0;
  // Rows where f is NaN or infinite. With one or more, nmse and max_relative_error are
  // +inf and r2 is −inf.
  std::size_t non_finite_rows = 0;
};

// The same measures as Accuracy, with every step computed in 50 significant digits.
struct MultiprecisionAccuracy {
  MultiprecisionFloat r2;
  MultiprecisionFloat nmse;
  MultiprecisionFloat max_relative_error;
  std::size_t rows = 0;
  std::size_t non_finite_rows = 0;
};

// A formula's accuracy on a table, in double and in 50 digits. Where the two differ,
// rounding in double matters for that formula and data.
struct AccuracyReport {
  std::string target;                  // name of the target column
  std::vector<std::string> variables;  // the columns the formula could use
  Accuracy in_double;
  MultiprecisionAccuracy in_50_digits;
};

// Measures `formula` on `table` in double and in 50 digits. The target is the column named
// `target`, or the last column when `target` is empty. Inputs and target are converted
// exactly from double, and every step, sums included, runs in the precision measured.
//
// This overload parses the text in the names of every column but the target, and
// AccuracyReport::variables lists those columns. Returns InvalidArgument when the target
// is not a column or the table has no rows. It also returns InvalidArgument when the text
// does not parse or names another variable, and the message then starts with "formula: "
// and names the column of the text.
absl::StatusOr<AccuracyReport> measure_accuracy(std::string_view formula, const Table& table,
                                                std::string_view target = {});

// As above for a formula already parsed, whose variables are found among the columns by
// name; AccuracyReport::variables lists the formula's variables. Returns InvalidArgument
// when the target is not a column, the table has no rows, or a variable that the formula
// uses is not a column.
absl::StatusOr<AccuracyReport> measure_accuracy(const Formula& formula, const Table& table,
                                                std::string_view target = {});

// As above, in double only, which is far faster than 50 digits.
absl::StatusOr<Accuracy> measure_accuracy_in_double(const Formula& formula, const Table& table,
                                                    std::string_view target = {});

// A variable and the interval its values are drawn from, uniformly.
struct VariableRange {
  std::string name;
  double low = 0.0;
  double high = 0.0;
};

// Returns InvalidArgument, naming the first bad range, unless every range is finite with
// low ≤ high and the names are non-empty and distinct.
absl::Status validate_ranges(std::span<const VariableRange> ranges);

enum class Verdict {
  kSolution,     // truth − formula or truth / formula is constant within the tolerance
  kNotSolution,  // neither is
  kUndecided,    // too few points where both formulas are finite
};

// "solution", "not a solution" or "undecided".
std::string_view to_string(Verdict verdict);

enum class Relation {
  kDifference,  // truth − formula = constant
  kRatio,       // truth / formula = constant ≠ 0
};

// Minimum number of valid points that a verdict needs, and maximum number of points that a
// check takes.
inline constexpr std::size_t kMinValidPoints = 10;
inline constexpr int kMaxPoints = 1'000'000;

struct SolutionOptions {
  // Random points at which both formulas are evaluated, kMinValidPoints to kMaxPoints.
  int points = 200;
  std::uint64_t seed = 0;  // seed of the points
  // Largest relative spread of truth − formula or truth / formula that counts as constant,
  // 0 to 1. Spreads are relative to each formula's condition magnitude (the first-order
  // change of its value when every input and constant changes by the same small relative
  // amount), because constants such as pi are stored as doubles. The default is about
  // 10^4 times the rounding error of a double.
  double tolerance = 1e-12;
  // A verdict needs valid points (both formulas and their condition magnitudes finite) at
  // no fewer than this share of the points, 0 to 1, and at least kMinValidPoints of them.
  double min_valid_fraction = 0.5;
};

struct SolutionCheck {
  Verdict verdict = Verdict::kUndecided;
  // For a solution, the test that passed, the difference first. Otherwise the test with
  // the smaller spread.
  Relation relation = Relation::kDifference;
  // The constant of that relation, truth − formula or truth / formula: the centre of its
  // values at the points, in 100 digits.
  MultiprecisionFloat constant;
  // Relative spreads of truth − formula and truth / formula; +inf when a test is not
  // possible, such as the ratio where the formula is 0.
  double difference_spread = std::numeric_limits<double>::infinity();
  double ratio_spread = std::numeric_limits<double>::infinity();
  double tolerance = 0.0;
  std::size_t points = 0;
  std::size_t valid_points = 0;
  // Points skipped because the truth, or the formula, or its condition magnitude, is not
  // finite there. A point where neither side is finite counts in both.
  std::size_t truth_not_finite = 0;
  std::size_t formula_not_finite = 0;
};

// Decides whether `formula` is a symbolic solution of `truth`: whether truth − formula is
// a constant, or truth / formula a non-zero constant, the definition of the SRBench
// benchmark. Both are evaluated in 100 digits at random points drawn uniformly from the
// ranges, and the difference and ratio are tested for being constant.
//
// This overload parses both texts in the names of `ranges`. Returns InvalidArgument when
// the ranges are invalid, a text does not parse or names a variable without a range (the
// message starts with "truth: " or "formula: " and names the column of the text), or an
// option is out of range.
absl::StatusOr<SolutionCheck> check_solution(std::string_view truth, std::string_view formula,
                                             std::span<const VariableRange> ranges,
                                             const SolutionOptions& options = {});

// As above for formulas already parsed; their variables are found among the ranges by
// name. Returns InvalidArgument when the ranges are invalid, a variable that a formula
// uses has no range, or an option is out of range.
absl::StatusOr<SolutionCheck> check_solution(const Formula& truth, const Formula& formula,
                                             std::span<const VariableRange> ranges,
                                             const SolutionOptions& options = {});

}  // namespace lies
