// Simple values a fitted constant may really be.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace lies::simplify {

// Candidates near v, simplest first, without repeats and without v itself:
//   1. 0, the nearest integer, then the nearest fractions with denominators 2, 3, 4, 5, 6,
//      8, 10, 12 (each denominator's nearest multiple), within 0.5 + 5 % of |v|: farther
//      ones cannot fit data that the unsnapped value fits;
//   2. products of a fraction k/d with d in 1, 2, 3, 4, 6 and |k| <= 1000 and one of pi,
//      1/pi, e and sqrt(2) (2*pi, pi/2, 1/(4*pi), 3*e, sqrt(2)/2), within 2 % of |v|. These
//      have no short decimal form, so only a constant already close to one is worth a refit.
// The caller decides which candidate the data accept.
std::vector<double> simple_values_near(double v);

// A fraction p/q in lowest terms with q > 0.
struct Fraction {
  std::int64_t numerator = 0;
  std::int64_t denominator = 1;
};

// Returns p/q when v is within relative `tolerance` of a fraction whose denominator is one
// of 1, 2, 3, 4, 5, 6, 8, 10, 12 and whose numerator has magnitude at most 1000; the
// smallest such denominator wins. Returns nothing for 0, for a non-finite v, and otherwise.
std::optional<Fraction> simple_fraction(double v, double tolerance);

// Returns the first of simple_values_near(v) within relative `tolerance` of v: the value that
// v, off by rounding errors, stands for. Returns nothing when there is none, or when another
// simple value lies within the tolerance of that one, so that snapping never moves a value
// twice.
std::optional<double> nearby_simple_value(double v, double tolerance);

}  // namespace lies::simplify
