#include "engine/pareto.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "engine/random.hpp"

namespace lies::engine {
namespace {

bool dominates(const Scored& a, const Scored& b) {
  return a.complexity <= b.complexity && a.error <= b.error &&
         (a.complexity < b.complexity || a.error < b.error);
}

TEST_SUITE("Pareto") {
  TEST_CASE("Pareto: front holds only non-dominated candidates") {
    Rng rng(12);
    for (int round = 0; round < 200; ++round) {
      std::vector<Scored> candidates;
      const std::size_t count = 1 + rng.below(30);
      for (std::size_t k = 0; k < count; ++k) {
        candidates.push_back({1 + rng.below(20), std::pow(10.0, -rng.uniform(0, 30))});
      }
      const std::vector<std::size_t> front = pareto_front(candidates);
      REQUIRE_FALSE(front.empty());
      for (std::size_t k : front) {
        for (const Scored& other : candidates) CHECK_FALSE(dominates(other, candidates[k]));
      }
      // Every candidate off the front is dominated by, or equal to, a front member.
      for (std::size_t k = 0; k < candidates.size(); ++k) {
        bool covered = false;
        for (std::size_t f : front) {
          covered |= f == k || dominates(candidates[f], candidates[k]) ||
                     (candidates[f].complexity == candidates[k].complexity &&
                      candidates[f].error == candidates[k].error);
        }
        CHECK(covered);
      }
      for (std::size_t i = 1; i < front.size(); ++i) {
        CHECK(candidates[front[i]].complexity > candidates[front[i - 1]].complexity);
        CHECK(candidates[front[i]].error < candidates[front[i - 1]].error);
      }
    }
  }

  TEST_CASE("Pareto: NaN errors never enter the front before finite ones") {
    const std::vector<Scored> candidates = {{1, std::nan("")}, {3, 0.5}};
    const std::vector<std::size_t> front = pareto_front(candidates);
    REQUIRE(front.size() == 1);
    CHECK(front[0] == 1);
  }

  TEST_CASE("Pareto: no finite error keeps the simplest") {
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<Scored> candidates = {{9, inf}, {4, std::nan("")}, {7, inf}};
    const std::vector<std::size_t> front = pareto_front(candidates);
    REQUIRE(front.size() == 1);
    CHECK(front[0] == 1);
    CHECK(select_from_front(candidates, front) == 1);
    CHECK(pareto_front({}).empty());
  }

  TEST_CASE("Pareto: selection prefers the exact formula") {
    // Underfit, exact, and a more complex formula that is exact too.
    const std::vector<Scored> candidates = {{3, 0.02}, {7, 1e-31}, {15, 1e-32}};
    const auto front = pareto_front(candidates);
    CHECK(select_from_front(candidates, front) == 1);
  }

  TEST_CASE("Pareto: selection stops at the noise floor") {
    // Noisy data: after the true law (complexity 9, NMSE at the noise level 1e-4) extra
    // complexity buys almost nothing.
    const std::vector<Scored> candidates = {
        {1, 1.0}, {5, 0.03}, {9, 1.0e-4}, {13, 0.98e-4}, {25, 0.95e-4}};
    const auto front = pareto_front(candidates);
    CHECK(select_from_front(candidates, front) == 2);
  }

  TEST_CASE("Pareto: selection ignores a clearly worse knee") {
    // A big early drop (linear fit) is not eligible when a formula 100 times more accurate
    // exists.
    const std::vector<Scored> candidates = {{3, 1e-3}, {20, 1e-5}};
    const auto front = pareto_front(candidates);
    CHECK(select_from_front(candidates, front) == 1);
  }
}

}  // namespace
}  // namespace lies::engine
