// Seeded random numbers that are the same on every platform and standard library.
//
// std::mt19937_64 is specified bit for bit by the C++ standard, but the distributions
// (std::uniform_real_distribution and friends) are not, so lies draws its own doubles
// from the raw 64-bit output.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace lies::engine {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t bits() { return engine_(); }

  // Uniform in [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  double uniform(double low, double high) { return low + (high - low) * uniform(); }

  // Uniform integer in [0, n), n > 0. The modulo bias is below 2^-40 for n < 2^24.
  std::uint64_t below(std::uint64_t n) { return engine_() % n; }

  // Standard normal, Box–Muller.
  double normal() {
    const double u1 = 1.0 - uniform();  // in (0, 1], so the log is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

  // A generator for a sub-task, seeded from this one, so that sub-tasks that run in any
  // order or on any thread draw the same numbers.
  Rng split() { return Rng(engine_() ^ 0x5851f42d4c957f2dULL); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace lies::engine
