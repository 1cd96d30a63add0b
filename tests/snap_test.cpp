#include "simplify/snap.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace lies::simplify {
namespace {

bool contains(const std::vector<double>& values, double v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

TEST_SUITE("Snap") {
  TEST_CASE("Snap: named multiples are candidates") {
    const double pi = std::numbers::pi;
    CHECK(contains(simple_values_near(2 * pi * (1 + 1e-6)), 2 * pi));
    CHECK(contains(simple_values_near(pi / 2 * (1 - 1e-4)), pi / 2));
    CHECK(contains(simple_values_near(1 / (4 * pi) * (1 + 1e-3)), 0.25 / pi));
    CHECK(contains(simple_values_near(3 * std::numbers::e * (1 + 1e-5)), 3 * std::numbers::e));
    CHECK(contains(simple_values_near(std::numbers::sqrt2 / 2 * (1 + 1e-5)),
                   std::numbers::sqrt2 / 2));
  }

  TEST_CASE("Snap: plain candidates come first") {
    const std::vector<double> near_pi = simple_values_near(3.1416);
    REQUIRE(near_pi.size() > 2);
    CHECK(near_pi[0] == 3.0);
    CHECK(contains(near_pi, std::numbers::pi));
    const auto plain = std::find(near_pi.begin(), near_pi.end(), 3.125);
    const auto named = std::find(near_pi.begin(), near_pi.end(), std::numbers::pi);
    CHECK(plain < named);
  }

  TEST_CASE("Snap: large values get no fractions") {
    for (double c : simple_values_near(6.02e23)) CHECK(c == 0.0);
    for (double c : simple_values_near(-3.0e17)) CHECK(c == 0.0);
  }

  TEST_CASE("Snap: simple fraction in lowest terms") {
    const auto three_quarters = simple_fraction(0.75, 1e-12);
    REQUIRE(three_quarters);
    CHECK(three_quarters->numerator == 3);
    CHECK(three_quarters->denominator == 4);
    const auto negative = simple_fraction(-2.5, 1e-12);
    REQUIRE(negative);
    CHECK(negative->numerator == -5);
    CHECK(negative->denominator == 2);
    const auto third = simple_fraction(1.0 / 3.0, 1e-12);
    REQUIRE(third);
    CHECK(third->denominator == 3);
    CHECK_FALSE(simple_fraction(0.0, 1e-12));
    CHECK_FALSE(simple_fraction(0.123456, 1e-12));
    CHECK_FALSE(simple_fraction(1234.5, 1e-12));
    CHECK_FALSE(simple_fraction(std::nan(""), 1e-12));
  }

  TEST_CASE("Snap: nearby value only when unambiguous") {
    CHECK(nearby_simple_value(1.9999999999999996, 1e-10) == 2.0);
    CHECK(nearby_simple_value(0.33333333333333326, 1e-10) == 1.0 / 3.0);
    CHECK(nearby_simple_value(6.283185307179585, 1e-10) == 2 * std::numbers::pi);
    CHECK_FALSE(nearby_simple_value(2.0, 1e-10));
    CHECK_FALSE(nearby_simple_value(1.9999, 1e-10));
    // Within 1e-10 of this value lie several multiples of 1/8 and 1/10.
    CHECK_FALSE(nearby_simple_value(std::exp(20.0), 1e-10));
  }
}

}  // namespace
}  // namespace lies::simplify
