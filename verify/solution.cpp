#include "verify/solution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "autodiff/primitives.hpp"
#include "engine/random.hpp"
#include "io/formula_parser.hpp"
#include "verify/leaves.hpp"

namespace lies::verify {
namespace {

using engine::Graph;
using engine::NodeId;
using engine::Op;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

Float100 magnitude_of(const Float100& x) { return x < 0 ? Float100(-x) : x; }

bool is_finite(const Float100& x) { return boost::multiprecision::isfinite(x); }

// derivative · m, taken as 0 when m is 0, so that an infinite derivative of a term that
// carries no perturbation does not make the magnitude NaN.
Float100 propagate(const Float100& derivative, const Float100& m) {
  if (m == 0) return Float100(0);
  return magnitude_of(derivative) * m;
}

// Evaluates a formula at one point in Float100, together with its condition magnitude
// (see solution.hpp): m(leaf) = |leaf| and m(g(a, b)) = |∂g/∂a|·m(a) + |∂g/∂b|·m(b).
class ConditionEvaluator {
 public:
  ConditionEvaluator(const Graph& graph, NodeId root)
      : graph_(graph), root_(root), value_(root + 1), magnitude_(root + 1) {
    const NodeId roots[] = {root};
    const std::vector<bool> live = engine::reachable(graph, roots);
    for (NodeId id = 0; id <= root; ++id) {
      if (live[id]) order_.push_back(id);
    }
  }

  // Returns the value and condition magnitude of the root at `point` (Input j is point[j]).
  std::pair<Float100, Float100> evaluate(std::span<const Float100> point) {
    for (const NodeId id : order_) evaluate_node(id, point);
    return {value_[root_], magnitude_[root_]};
  }

 private:
  void evaluate_node(NodeId id, std::span<const Float100> point) {
    const engine::Node& node = graph_.node(id);
    Float100& y = value_[id];
    Float100& m = magnitude_[id];
    if (node.op == Op::Input || node.op == Op::Constant) {
      y = node.op == Op::Input ? point[node.index] : Float100(node.value);
      m = magnitude_of(y);
      return;
    }
    const Float100& a = value_[node.child[0]];
    const Float100& ma = magnitude_[node.child[0]];
    const bool binary = engine::arity(node.op) == 2;
    const Float100 b = binary ? value_[node.child[1]] : Float100(0);
    const Float100 mb = binary ? magnitude_[node.child[1]] : Float100(0);
    y = autodiff::prim::apply<Float100>(node.op, a, b, node.value);

    switch (node.op) {
      case Op::Add:
        m = ma + mb;
        break;
      case Op::Mul:
        m = propagate(b, ma) + propagate(a, mb);
        break;
      // y = a/b: ∂y/∂a = 1/b, ∂y/∂b = −y/b.
      case Op::Div:
        m = propagate(1 / b, ma) + propagate(y / b, mb);
        break;
      // y = a^b: ∂y/∂a = b·a^(b−1), ∂y/∂b = y·log|a|, taken as 0 where y = 0 (its limit
      // for a → 0 with b > 0).
      case Op::Pow: {
        const Float100 by_base = b == 0 ? Float100(0) : Float100(b * pow(a, b - 1));
        const Float100 by_exponent = y == 0 ? Float100(0) : Float100(y * log(magnitude_of(a)));
        m = propagate(by_base, ma) + propagate(by_exponent, mb);
        break;
      }
      case Op::Neg:
        m = ma;
        break;
      case Op::Log:
        m = propagate(1 / a, ma);
        break;
      case Op::Exp:
        m = propagate(y, ma);
        break;
      case Op::Sin:
        m = propagate(cos(a), ma);
        break;
      case Op::Cos:
        m = propagate(sin(a), ma);
        break;
      case Op::Tan:
        m = propagate(1 + y * y, ma);
        break;
      case Op::Sqrt:
        m = propagate(1 / (2 * y), ma);
        break;
      case Op::Tanh:
        m = propagate(1 - y * y, ma);
        break;
      case Op::Asin:
      case Op::Acos:
        m = propagate(1 / sqrt(1 - a * a), ma);
        break;
      case Op::Atan:
        m = propagate(1 / (1 + a * a), ma);
        break;
      // Clamped, the value is log(limit) or exp(limit) and moves with the limit, a constant.
      case Op::ProtLog:
        m = a > Float100(node.value) ? propagate(1 / a, ma) : Float100(1);
        break;
      case Op::ProtExp:
        m = a < Float100(node.value) ? propagate(y, ma)
                                     : Float100(magnitude_of(y) * std::abs(node.value));
        break;
      case Op::Input:
      case Op::Constant:
      case Op::Param:
        break;  // leaves are handled above, and check_leaves rejects Params
    }
  }

  const Graph& graph_;
  NodeId root_;
  std::vector<NodeId> order_;  // nodes reachable from the root, children first
  std::vector<Float100> value_;
  std::vector<Float100> magnitude_;
};

struct Spread {
  double rho = kInfinity;  // relative spread
  Float100 centre = 0;     // a constant within rho·w_i of every q_i
};

// Returns the smallest ρ for which one constant c satisfies |q_i − c| ≤ ρ·w_i for every
// i, found by bisection to a relative precision of 1e-9, and such a c.
//
// A constant c exists for a given ρ exactly when max_i (q_i − ρ·w_i) ≤ min_i (q_i + ρ·w_i),
// a condition that holds for every ρ above the smallest one. The test runs in double on
// (q_i − q_0) / s and w_i / s with s = max w_i: the differences are computed in Float100
// first, so double keeps 16 significant digits of each.
Spread relative_spread(std::span<const Float100> q, std::span<const Float100> w) {
  Spread spread;
  if (q.empty()) return spread;
  const Float100& reference = q.front();
  Float100 scale = 0;
  for (const Float100& weight : w) scale = std::max(scale, weight);
  if (scale == 0) {
    const bool equal =
        std::all_of(q.begin(), q.end(), [&](const Float100& v) { return v == reference; });
    if (equal) spread = {0.0, reference};
    return spread;
  }

  std::vector<double> offset(q.size());
  std::vector<double> weight(q.size());
  for (std::size_t i = 0; i < q.size(); ++i) {
    offset[i] = static_cast<double>((q[i] - reference) / scale);
    weight[i] = static_cast<double>(w[i] / scale);
    if (!std::isfinite(offset[i])) return spread;  // q varies beyond any tolerance
  }

  // Returns the centre of the interval of feasible constants, or NaN when it is empty.
  auto centre_at = [&](double rho) {
    double low = -kInfinity;
    double high = kInfinity;
    for (std::size_t i = 0; i < offset.size(); ++i) {
      low = std::max(low, offset[i] - rho * weight[i]);
      high = std::min(high, offset[i] + rho * weight[i]);
    }
    return low <= high ? 0.5 * (low + high) : std::numeric_limits<double>::quiet_NaN();
  };

  double feasible = 0.0;
  if (std::isnan(centre_at(0.0))) {
    // Bracket the smallest feasible ρ between an infeasible `low` and a feasible `high`,
    // stepping by factors of 16, then bisect geometrically.
    double low = 0.0;
    double high = 1.0;
    while (std::isnan(centre_at(high))) {
      low = high;
      high *= 16.0;
      if (high > 1e300) return spread;
    }
    if (low == 0.0) {
      low = high / 16.0;
      while (!std::isnan(centre_at(low))) {
        high = low;
        low /= 16.0;
        if (low < 1e-300) break;
      }
    }
    while (high > low * (1.0 + 1e-9) && low > 1e-300) {
      const double middle = std::sqrt(low * high);
      (std::isnan(centre_at(middle)) ? low : high) = middle;
    }
    feasible = high;
  }
  spread.rho = feasible;
  spread.centre = reference + Float100(centre_at(feasible)) * scale;
  return spread;
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kSolution:
      return "solution";
    case Verdict::kNotSolution:
      return "not a solution";
    case Verdict::kUndecided:
      return "undecided";
  }
  return "undecided";
}

absl::Status validate_ranges(std::span<const VariableRange> ranges) {
  absl::flat_hash_set<std::string> seen;
  for (const VariableRange& range : ranges) {
    if (range.name.empty()) {
      return absl::InvalidArgumentError(
          "a variable range has an empty name; give every variable a name");
    }
    if (!seen.insert(range.name).second) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "variable '%s' has two ranges; give each variable one range", range.name));
    }
    if (!std::isfinite(range.low) || !std::isfinite(range.high)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("the range of '%s' is [%g, %g]; both ends must be finite numbers",
                          range.name, range.low, range.high));
    }
    if (range.low > range.high) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "the range of '%s' is [%g, %g], whose low end is above its high end; swap them",
          range.name, range.low, range.high));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<SolutionCheck> check_solution(const Graph& truth_graph, NodeId truth,
                                             const Graph& formula_graph, NodeId formula,
                                             std::span<const VariableRange> ranges,
                                             const SolutionOptions& options) {
  if (absl::Status status = validate_ranges(ranges); !status.ok()) return status;
  if (absl::Status status = check_leaves(truth_graph, truth, ranges.size(), "truth");
      !status.ok()) {
    return status;
  }
  if (absl::Status status = check_leaves(formula_graph, formula, ranges.size(), "formula");
      !status.ok()) {
    return status;
  }
  if (options.points < static_cast<int>(kMinValidPoints) || options.points > kMaxPoints) {
    return absl::InvalidArgumentError(
        absl::StrFormat("points is %d; use %d to %d", options.points, kMinValidPoints, kMaxPoints));
  }
  if (!(options.tolerance >= 0.0 && options.tolerance <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("tolerance is %g; use a value from 0 to 1", options.tolerance));
  }
  if (!(options.min_valid_fraction >= 0.0 && options.min_valid_fraction <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "min_valid_fraction is %g; use a value from 0 to 1", options.min_valid_fraction));
  }

  SolutionCheck check;
  check.tolerance = options.tolerance;
  check.points = static_cast<std::size_t>(options.points);

  // Values and condition magnitudes of both sides at the points where all four are finite.
  ConditionEvaluator truth_evaluator(truth_graph, truth);
  ConditionEvaluator formula_evaluator(formula_graph, formula);
  std::vector<Float100> truth_values, truth_magnitudes, formula_values, formula_magnitudes;
  engine::Rng random(options.seed);
  std::vector<Float100> point(ranges.size());
  for (std::size_t p = 0; p < check.points; ++p) {
    for (std::size_t j = 0; j < ranges.size(); ++j) {
      point[j] = Float100(random.uniform(ranges[j].low, ranges[j].high));
    }
    const auto [t, mt] = truth_evaluator.evaluate(point);
    const auto [f, mf] = formula_evaluator.evaluate(point);
    const bool truth_finite = is_finite(t) && is_finite(mt);
    const bool formula_finite = is_finite(f) && is_finite(mf);
    if (!truth_finite) ++check.truth_not_finite;
    if (!formula_finite) ++check.formula_not_finite;
    if (!truth_finite || !formula_finite) continue;
    truth_values.push_back(t);
    truth_magnitudes.push_back(mt);
    formula_values.push_back(f);
    formula_magnitudes.push_back(mf);
  }
  check.valid_points = truth_values.size();
  const std::size_t valid = check.valid_points;

  // Difference test: q = T − F with error scale m_T + m_F.
  std::vector<Float100> q(valid), w(valid);
  for (std::size_t i = 0; i < valid; ++i) {
    q[i] = truth_values[i] - formula_values[i];
    w[i] = truth_magnitudes[i] + formula_magnitudes[i];
  }
  const Spread difference = relative_spread(q, w);
  check.difference_spread = difference.rho;

  // Ratio test: q = T / F with error scale (m_T + |q|·m_F) / |F|. A point with F = 0 allows
  // no ratio unless T = 0 there too, where any constant fits.
  q.clear();
  w.clear();
  bool ratio_possible = valid > 0;
  for (std::size_t i = 0; i < valid && ratio_possible; ++i) {
    if (formula_values[i] == 0) {
      ratio_possible = truth_values[i] == 0;
      continue;
    }
    const Float100 ratio = truth_values[i] / formula_values[i];
    q.push_back(ratio);
    w.push_back((truth_magnitudes[i] + magnitude_of(ratio) * formula_magnitudes[i]) /
                magnitude_of(formula_values[i]));
  }
  Spread ratio;
  if (ratio_possible && !q.empty()) ratio = relative_spread(q, w);
  check.ratio_spread = ratio.rho;
  bool ratio_non_zero = is_finite(ratio.centre) && ratio.centre != 0;
  for (std::size_t i = 0; i < w.size() && ratio_non_zero; ++i) {
    ratio_non_zero = magnitude_of(ratio.centre) > w[i] * options.tolerance;
  }

  const bool difference_passes = difference.rho <= options.tolerance;
  const bool ratio_passes = ratio.rho <= options.tolerance && ratio_non_zero;
  if (difference_passes || (!ratio_passes && difference.rho <= ratio.rho)) {
    check.relation = Relation::kDifference;
    check.constant = difference.centre;
  } else {
    check.relation = Relation::kRatio;
    check.constant = ratio.centre;
  }

  const double required = std::max(static_cast<double>(kMinValidPoints),
                                   std::ceil(options.min_valid_fraction * options.points));
  if (static_cast<double>(valid) < required) {
    check.verdict = Verdict::kUndecided;
  } else if (difference_passes || ratio_passes) {
    check.verdict = Verdict::kSolution;
  } else {
    check.verdict = Verdict::kNotSolution;
  }
  return check;
}

absl::StatusOr<SolutionCheck> check_solution(std::string_view truth, std::string_view formula,
                                             std::span<const VariableRange> ranges,
                                             const SolutionOptions& options) {
  if (absl::Status status = validate_ranges(ranges); !status.ok()) return status;
  std::vector<std::string> names;
  for (const VariableRange& range : ranges) names.push_back(range.name);

  struct Parsed {
    Graph graph;
    NodeId root = engine::kNoNode;
  };
  Parsed parsed[2];
  const std::pair<std::string_view, std::string_view> texts[] = {{"truth", truth},
                                                                 {"formula", formula}};
  for (int k = 0; k < 2; ++k) {
    std::vector<std::string> variables = names;
    io::ParseOptions parse_options;
    parse_options.variables = &variables;
    const absl::StatusOr<NodeId> root =
        io::parse_formula(texts[k].second, parsed[k].graph, parse_options);
    if (!root.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(texts[k].first), ": ", root.status().message()));
    }
    parsed[k].root = *root;
  }
  return check_solution(parsed[0].graph, parsed[0].root, parsed[1].graph, parsed[1].root, ranges,
                        options);
}

}  // namespace lies::verify
