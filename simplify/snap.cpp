#include "simplify/snap.hpp"

#include <algorithm>
#include <cmath>

namespace lies::simplify {

std::vector<double> simple_values_near(double v) {
  std::vector<double> candidates;
  if (!std::isfinite(v)) return candidates;
  const double reach = 0.5 + 0.05 * std::abs(v);
  auto consider = [&](double c) {
    if (c == v || std::abs(c - v) > reach) return;
    if (std::find(candidates.begin(), candidates.end(), c) != candidates.end()) return;
    candidates.push_back(c);
  };
  consider(0.0);
  for (double denominator : {1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0}) {
    consider(std::round(v * denominator) / denominator);
  }
  return candidates;
}

}  // namespace lies::simplify
