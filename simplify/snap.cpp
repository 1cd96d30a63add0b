#include "simplify/snap.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace lies::simplify {
namespace {

constexpr std::array<double, 9> kDenominators = {1, 2, 3, 4, 5, 6, 8, 10, 12};
constexpr std::array<double, 5> kNamedDenominators = {1, 2, 3, 4, 6};
constexpr double kNamedReach = 0.02;
// Numerators of named multiples and simple fractions are at most this large. Every large
// number is close to some multiple of pi, so a large multiple is no evidence.
constexpr double kMaxNumerator = 1000;

}  // namespace

std::vector<double> simple_values_near(double v) {
  std::vector<double> candidates;
  if (!std::isfinite(v)) return candidates;
  auto consider = [&](double c, double reach) {
    if (!std::isfinite(c) || c == v || std::abs(c - v) > reach) return;
    if (std::find(candidates.begin(), candidates.end(), c) != candidates.end()) return;
    candidates.push_back(c);
  };

  const double reach = 0.5 + 0.05 * std::abs(v);
  consider(0.0, reach);
  for (double denominator : kDenominators) {
    // Beyond 2^52 every double is an integer, and k/d would only be v off by rounding.
    if (denominator > 1.0 && std::abs(v * denominator) >= 0x1p52) break;
    consider(std::round(v * denominator) / denominator, reach);
  }

  // k/d · B for each named base B; the nearest k for each d.
  const double named_reach = kNamedReach * std::abs(v);
  for (double base : {std::numbers::pi, std::numbers::inv_pi, std::numbers::e, std::numbers::sqrt2}) {
    for (double denominator : kNamedDenominators) {
      const double multiple = std::round(v / base * denominator);
      if (multiple != 0.0 && std::abs(multiple) <= kMaxNumerator) {
        consider(multiple / denominator * base, named_reach);
      }
    }
  }
  return candidates;
}

std::optional<Fraction> simple_fraction(double v, double tolerance) {
  if (!std::isfinite(v) || v == 0.0) return std::nullopt;
  for (double denominator : kDenominators) {
    const double scaled = v * denominator;
    const double numerator = std::round(scaled);
    if (numerator == 0.0 || std::abs(numerator) > kMaxNumerator) continue;
    if (std::abs(scaled - numerator) > tolerance * std::abs(scaled)) continue;
    // The smallest denominator that matches gives lowest terms: a common factor would
    // have matched a smaller denominator of the list first, as the list contains every
    // quotient of its members by a common factor.
    return Fraction{static_cast<std::int64_t>(numerator), static_cast<std::int64_t>(denominator)};
  }
  return std::nullopt;
}

namespace {

std::optional<double> first_within(double v, double tolerance) {
  for (double candidate : simple_values_near(v)) {
    if (std::abs(candidate - v) <= tolerance * std::abs(v)) return candidate;
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> nearby_simple_value(double v, double tolerance) {
  const std::optional<double> candidate = first_within(v, tolerance);
  // Where the tolerance spans several simple values, as for 485165195.41 and the multiples of
  // 1/8 and 1/10 next to it, the value that v stands for is not clear, and snapping again would
  // move it once more.
  if (!candidate || first_within(*candidate, tolerance)) return std::nullopt;
  return candidate;
}

}  // namespace lies::simplify
