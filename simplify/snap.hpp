// Simple values a fitted constant may really be.
#pragma once

#include <vector>

namespace lies::simplify {

// Candidates near v, simplest first: 0, the nearest integer, then the nearest fractions
// with denominators 2, 3, 4, 5, 6, 8, 10, 12 (each denominator's nearest multiple), without
// repeats and without v itself. Only candidates within 0.5 + 5 % of |v| are returned:
// farther ones cannot fit data that the unsnapped value fits.
std::vector<double> simple_values_near(double v);

}  // namespace lies::simplify
