// Whether a formula is a symbolic solution of a ground truth, decided numerically in 100
// digits.
//
// A formula F is a symbolic solution of the truth T when T − F is a constant, or T / F is a
// non-zero constant, the definition that the SRBench benchmark uses. Instead of a computer
// algebra system, both formulas are evaluated in Float100 at random points of the variables'
// ranges, and the difference and the ratio are tested for being constant.
//
// Tolerance. Constants in a Graph are doubles, so pi, 0.1 or 1/3 written as a literal carry
// a relative rounding error of up to 2^-53 ≈ 1.1e-16, and sin(x + pi/2) − cos(x) is then
// about 1e-16, not 0. The test therefore measures every deviation against the condition
// magnitude m of each formula at each point: the first-order bound on how far the value
// moves when every leaf (input and constant) is changed by the same small relative amount,
//   m(leaf) = |leaf|,   m(g(a, b)) = |∂g/∂a|·m(a) + |∂g/∂b|·m(b).
// m is large where terms cancel or a function is ill-conditioned, so the test is lenient
// exactly where rounding of constants can move the value most.
//
// For a quantity q_i with error scale w_i at valid point i, the relative spread is
//   ρ = max over pairs i, j of |q_i − q_j| / (w_i + w_j),
// the smallest ρ for which one constant c satisfies |q_i − c| ≤ ρ·w_i at every point. The
// difference test uses q_i = T_i − F_i and w_i = m_T,i + m_F,i. The ratio test uses
// q_i = T_i / F_i and w_i = (m_T,i + |q_i|·m_F,i) / |F_i|, the first-order error of the
// ratio. A test passes when ρ ≤ tolerance, and the ratio test also needs |c| > tolerance·w_i
// at every point, so that the constant is non-zero beyond the tolerance.
//
// The default tolerance, 1e-12, is about 10^4 times the rounding error of a double
// constant, and 1000 times below the spread of a factor such as 1 + 1e-9·x over x in [1, 5].
// A difference smaller than the tolerance times the condition magnitude is indistinguishable
// from rounding of constants, so a formula that differs only that much counts as a solution.
//
//   std::vector<verify::VariableRange> ranges = {{"x", 1, 5}};
//   absl::StatusOr<verify::SolutionCheck> check =
//       verify::check_solution("cos(x)", "sin(x + pi/2)", ranges, {});
//   // check->verdict == Verdict::kSolution, relation kDifference, constant ≈ 0
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/graph.hpp"
#include "verify/multiprecision.hpp"

namespace lies::verify {

// A variable and the interval its values are drawn from, uniformly.
struct VariableRange {
  std::string name;
  double low = 0.0;
  double high = 0.0;
};

// Checks that every range is finite with low ≤ high and that names are non-empty and
// distinct. Returns InvalidArgument naming the first bad range otherwise.
absl::Status validate_ranges(std::span<const VariableRange> ranges);

enum class Verdict {
  kSolution,     // T − F or T / F is constant within the tolerance
  kNotSolution,  // neither is
  kUndecided,    // too few points where both formulas are finite
};

enum class Relation {
  kDifference,  // T − F = constant
  kRatio,       // T / F = constant ≠ 0
};

std::string_view verdict_name(Verdict verdict);  // "solution", "not a solution", "undecided"

struct SolutionOptions {
  int points = 200;          // random points at which both formulas are evaluated
  std::uint64_t seed = 0;    // seed of the points
  double tolerance = 1e-12;  // maximum relative spread, see the file comment
  // A verdict needs valid points (both formulas and their condition magnitudes finite) at
  // no fewer than this share of the points, and at least kMinValidPoints of them.
  double min_valid_fraction = 0.5;
};

inline constexpr std::size_t kMinValidPoints = 10;
inline constexpr int kMaxPoints = 1'000'000;

struct SolutionCheck {
  Verdict verdict = Verdict::kUndecided;
  // For a solution, the test that passed, the difference test first. Otherwise the test
  // with the smaller spread.
  Relation relation = Relation::kDifference;
  // The constant of that relation: T − F or T / F, the centre of the values at the points.
  Float100 constant = 0;
  // Relative spread of T − F and of T / F (see the file comment); +inf when a test is not
  // possible, such as the ratio where F is 0.
  double difference_spread = std::numeric_limits<double>::infinity();
  double ratio_spread = std::numeric_limits<double>::infinity();
  double tolerance = 0.0;
  std::size_t points = 0;
  std::size_t valid_points = 0;
  // Points skipped because the truth, or the formula, or its condition magnitude, is NaN or
  // infinite there. A point where neither side is finite counts in both.
  std::size_t truth_not_finite = 0;
  std::size_t formula_not_finite = 0;
};

// Decides whether the formula at `formula` of `formula_graph` is a symbolic solution of the
// truth at `truth` of `truth_graph`. In both graphs Input j is the variable ranges[j].
//
// Returns InvalidArgument when the ranges are invalid, a formula reads an input beyond the
// ranges or contains a Param, points is below kMinValidPoints or above 1,000,000, or the
// tolerance or min_valid_fraction is outside [0, 1].
absl::StatusOr<SolutionCheck> check_solution(const engine::Graph& truth_graph, engine::NodeId truth,
                                             const engine::Graph& formula_graph,
                                             engine::NodeId formula,
                                             std::span<const VariableRange> ranges,
                                             const SolutionOptions& options);

// Parses `truth` and `formula` in the names of `ranges` and decides as above. A parse error
// or unknown variable is InvalidArgument whose message starts with "truth: " or
// "formula: " and names the column of the text.
absl::StatusOr<SolutionCheck> check_solution(std::string_view truth, std::string_view formula,
                                             std::span<const VariableRange> ranges,
                                             const SolutionOptions& options);

}  // namespace lies::verify
