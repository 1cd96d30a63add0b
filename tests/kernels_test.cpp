#include "autodiff/kernels.hpp"

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace lies::autodiff::kernels {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Every vector table that this CPU runs; the scalar table is the reference.
std::vector<Isa> vector_isas() {
  std::vector<Isa> isas;
  for (Isa isa : {Isa::kSse2, Isa::kAvx2, Isa::kAvx512}) {
    if (supported(isa)) isas.push_back(isa);
  }
  return isas;
}

// Distance in units in the last place: the number of doubles between a and b. Two NaNs,
// and +0 and −0, are 0 apart; a NaN and a number are infinitely far apart.
double ulp_distance(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0.0 : kInf;
  if (a == b) return 0.0;
  if (std::isinf(a) || std::isinf(b)) return kInf;
  auto ordered = [](double v) {
    const auto bits = std::bit_cast<std::int64_t>(v);
    return bits < 0 ? std::numeric_limits<std::int64_t>::min() - bits : bits;
  };
  const std::int64_t oa = ordered(a);
  const std::int64_t ob = ordered(b);
  const std::uint64_t apart = oa > ob ? static_cast<std::uint64_t>(oa) - static_cast<std::uint64_t>(ob)
                                      : static_cast<std::uint64_t>(ob) - static_cast<std::uint64_t>(oa);
  return static_cast<double>(apart);
}

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) ||
         (std::isnan(a) && std::isnan(b));
}

// Values uniform in [low, high] followed by `extra`.
std::vector<double> uniform(double low, double high, std::size_t count,
                            const std::vector<double>& extra = {}) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(low, high);
  std::vector<double> values;
  for (std::size_t k = 0; k < count; ++k) values.push_back(u(rng));
  values.insert(values.end(), extra.begin(), extra.end());
  return values;
}

// Values whose magnitude is log-uniform in [2^min_exponent, 2^max_exponent], both signs
// unless `positive`.
std::vector<double> log_uniform(int min_exponent, int max_exponent, std::size_t count,
                                bool positive) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> e(min_exponent, max_exponent);
  std::vector<double> values;
  for (std::size_t k = 0; k < count; ++k) {
    const double v = std::exp2(e(rng));
    values.push_back(positive || k % 2 == 0 ? v : -v);
  }
  return values;
}

// The doubles next to v on both sides, and v.
std::vector<double> around(double v) {
  return {std::nextafter(std::nextafter(v, -kInf), -kInf), std::nextafter(v, -kInf), v,
          std::nextafter(v, kInf), std::nextafter(std::nextafter(v, kInf), kInf)};
}

std::vector<double> join(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const std::vector<double> kSpecial = {0.0, -0.0, kInf, -kInf, kNaN,
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::max(),
                                      -std::numeric_limits<double>::max()};

struct UnaryCase {
  std::string name;
  UnaryFn KernelTable::*value;
  UnaryReverseFn KernelTable::*reverse;
  std::vector<double> x;
  double max_ulp;          // of the value
  double max_reverse_ulp;  // of g · f'(x)
};

// The bounds: SLEEF's _u10 functions are within 1.0 ULP of the exact value, and glibc's
// within about 1 ULP (an estimate for these functions), so the two may be 2 ULP apart. A
// product with g can round once more. Partials that are arithmetic on x and y (exp, log,
// tan, sqrt, tanh, asin, acos, atan) are computed identically, so their reverse agrees bit
// for bit.
std::vector<UnaryCase> unary_cases() {
  return {
      {"exp", &KernelTable::exp, &KernelTable::exp_reverse,
       join(join(uniform(-745.0, 710.0, 4000), uniform(-5.0, 5.0, 4000)),
            join(around(4.0), join(around(709.78), kSpecial))),
       2, 0},
      {"log", &KernelTable::log, &KernelTable::log_reverse,
       join(join(log_uniform(-1074, 1023, 4000, true), uniform(0.0, 3.0, 4000)),
            join(around(0.005), join(around(1.0), kSpecial))),
       2, 0},
      {"sin", &KernelTable::sin, &KernelTable::sin_reverse,
       join(join(uniform(-10.0, 10.0, 4000), log_uniform(-30, 1000, 4000, false)),
            join(around(M_PI), kSpecial)),
       2, 3},
      {"cos", &KernelTable::cos, &KernelTable::cos_reverse,
       join(join(uniform(-10.0, 10.0, 4000), log_uniform(-30, 1000, 4000, false)),
            join(around(M_PI_2), kSpecial)),
       2, 3},
      {"tan", &KernelTable::tan, &KernelTable::tan_reverse,
       join(join(uniform(-10.0, 10.0, 4000), log_uniform(-30, 1000, 4000, false)), kSpecial),
       2, 0},
      {"sqrt", &KernelTable::sqrt, &KernelTable::sqrt_reverse,
       join(log_uniform(-1074, 1023, 4000, false), kSpecial), 0, 0},
      {"tanh", &KernelTable::tanh, &KernelTable::tanh_reverse,
       join(join(uniform(-25.0, 25.0, 4000), log_uniform(-40, 10, 4000, false)), kSpecial), 2,
       0},
      {"asin", &KernelTable::asin, &KernelTable::asin_reverse,
       join(join(uniform(-1.0, 1.0, 4000), around(1.0)), kSpecial), 2, 0},
      {"acos", &KernelTable::acos, &KernelTable::acos_reverse,
       join(join(uniform(-1.0, 1.0, 4000), around(-1.0)), kSpecial), 2, 0},
      {"atan", &KernelTable::atan, &KernelTable::atan_reverse,
       join(join(uniform(-10.0, 10.0, 4000), log_uniform(-40, 1000, 4000, false)), kSpecial), 2,
       0},
  };
}

double max_distance(const std::vector<double>& a, const std::vector<double>& b,
                    std::size_t* worst) {
  double distance = 0.0;
  for (std::size_t r = 0; r < a.size(); ++r) {
    const double d = ulp_distance(a[r], b[r]);
    if (d > distance) {
      distance = d;
      *worst = r;
    }
  }
  return distance;
}

TEST_SUITE("Kernels") {
  TEST_CASE("Kernels: scalar and SSE2 tables always supported") {
    CHECK(supported(Isa::kScalar));
    CHECK(supported(Isa::kSse2));
    CHECK(supported(active().isa));
  }

  TEST_CASE("Kernels: vector values within the ULP bound") {
    const KernelTable& scalar = table(Isa::kScalar);
    for (const UnaryCase& c : unary_cases()) {
      std::vector<double> expected(c.x.size());
      (scalar.*c.value)(c.x.data(), expected.data(), c.x.size());
      for (Isa isa : vector_isas()) {
        std::vector<double> actual(c.x.size());
        (table(isa).*c.value)(c.x.data(), actual.data(), c.x.size());
        std::size_t worst = 0;
        const double distance = max_distance(expected, actual, &worst);
        INFO(c.name << " on " << std::string(isa_name(isa)) << ": " << distance << " ULP at x = "
                    << c.x[worst] << ", scalar " << expected[worst] << ", vector "
                    << actual[worst]);
        CHECK(distance <= c.max_ulp);
      }
    }
  }

  TEST_CASE("Kernels: vector partials within the ULP bound") {
    const KernelTable& scalar = table(Isa::kScalar);
    for (const UnaryCase& c : unary_cases()) {
      const std::size_t n = c.x.size();
      std::vector<double> y(n);
      (scalar.*c.value)(c.x.data(), y.data(), n);
      // Every fourth adjoint is 0, so that rows without a contribution are covered. The
      // accumulated adjoints start at 0, so that they hold g · f'(x) alone and a sum does
      // not cancel digits.
      std::vector<double> g = uniform(-2.0, 2.0, n);
      for (std::size_t r = 0; r < n; r += 4) g[r] = 0.0;
      std::vector<double> expected(n, 0.0);
      (scalar.*c.reverse)(c.x.data(), y.data(), g.data(), expected.data(), n);
      for (Isa isa : vector_isas()) {
        std::vector<double> actual(n, 0.0);
        (table(isa).*c.reverse)(c.x.data(), y.data(), g.data(), actual.data(), n);
        std::size_t worst = 0;
        const double distance = max_distance(expected, actual, &worst);
        INFO(c.name << " reverse on " << isa_name(isa) << ": " << distance << " ULP at x = "
                    << c.x[worst]);
        CHECK(distance <= c.max_reverse_ulp);
        for (std::size_t r = 0; r < n; r += 4) CHECK(same_bits(actual[r], 0.0));
      }
    }
  }

  TEST_CASE("Kernels: pow value and partials within the ULP bound") {
    std::vector<double> a = join(log_uniform(-20, 20, 3000, true), {0.0, 1.0, 2.0, kInf});
    std::vector<double> b = uniform(-8.0, 8.0, a.size() - 4, {0.0, 3.0, 0.0, -1.0});
    const std::size_t n = a.size();
    const KernelTable& scalar = table(Isa::kScalar);
    std::vector<double> y(n), g = uniform(-1.0, 1.0, n);
    scalar.pow(a.data(), b.data(), y.data(), n);
    std::vector<double> adj_a(n, 0.0), adj_b(n, 0.0);
    scalar.pow_reverse(a.data(), b.data(), y.data(), g.data(), adj_a.data(), adj_b.data(), n);
    for (Isa isa : vector_isas()) {
      std::vector<double> value(n), vector_a(n, 0.0), vector_b(n, 0.0);
      table(isa).pow(a.data(), b.data(), value.data(), n);
      table(isa).pow_reverse(a.data(), b.data(), y.data(), g.data(), vector_a.data(),
                             vector_b.data(), n);
      std::size_t worst = 0;
      INFO("pow on " << std::string(isa_name(isa)));
      CHECK(max_distance(y, value, &worst) <= 2);
      CHECK(max_distance(adj_a, vector_a, &worst) <= 3);
      CHECK(max_distance(adj_b, vector_b, &worst) <= 3);
    }
  }

  TEST_CASE("Kernels: protected log and exp at their limits") {
    constexpr double kFloor = 0.005;
    constexpr double kCeiling = 4.0;
    const std::vector<double> x = join(join(around(kFloor), around(kCeiling)),
                                       join(uniform(-10.0, 10.0, 1000), kSpecial));
    // around() puts its centre third, so x[2] is the floor and x[7] the ceiling.
    constexpr std::size_t kFloorRow = 2;
    constexpr std::size_t kCeilingRow = 7;
    const std::size_t n = x.size();
    const std::vector<double> g = uniform(-1.0, 1.0, n);
    const KernelTable& scalar = table(Isa::kScalar);
    std::vector<double> log_y(n), exp_y(n);
    scalar.prot_log(x.data(), log_y.data(), n, kFloor);
    scalar.prot_exp(x.data(), exp_y.data(), n, kCeiling);
    std::vector<double> log_adj(n, 0.25), exp_adj(n, 0.25);
    scalar.prot_log_reverse(x.data(), log_y.data(), g.data(), log_adj.data(), n, kFloor, 3.0);
    scalar.prot_exp_reverse(x.data(), exp_y.data(), g.data(), exp_adj.data(), n, kCeiling, 3.0);

    for (Isa isa : vector_isas()) {
      const KernelTable& t = table(isa);
      std::vector<double> vlog(n), vexp(n), vlog_adj(n, 0.25), vexp_adj(n, 0.25);
      t.prot_log(x.data(), vlog.data(), n, kFloor);
      t.prot_exp(x.data(), vexp.data(), n, kCeiling);
      t.prot_log_reverse(x.data(), log_y.data(), g.data(), vlog_adj.data(), n, kFloor, 3.0);
      t.prot_exp_reverse(x.data(), exp_y.data(), g.data(), vexp_adj.data(), n, kCeiling, 3.0);
      for (std::size_t r = 0; r < n; ++r) {
        INFO(std::string(isa_name(isa)) << " at x = " << x[r]);
        CHECK(ulp_distance(log_y[r], vlog[r]) <= 2);
        CHECK(ulp_distance(exp_y[r], vexp[r]) <= 2);
        // The clamp decisions and the partials on the same y are exact.
        CHECK(same_bits(log_adj[r], vlog_adj[r]));
        CHECK(same_bits(exp_adj[r], vexp_adj[r]));
        // At and beyond a limit the value is the limit's.
        if (!(x[r] > kFloor)) CHECK(same_bits(vlog[r], vlog[kFloorRow]));
        if (!(x[r] < kCeiling)) CHECK(same_bits(vexp[r], vexp[kCeilingRow]));
      }
    }
  }

  TEST_CASE("Kernels: weighted sums identical in every table") {
    const std::size_t n = 203;  // not a multiple of any vector width or of 8
    std::vector<std::vector<double>> columns;
    for (int k = 0; k < 5; ++k) columns.push_back(uniform(-3.0, 3.0, n + k));
    const double* x[] = {columns[0].data(), nullptr, columns[1].data(), columns[2].data(),
                         columns[3].data(), columns[4].data()};
    const double coef[] = {0.7, -1.25, 3.0e-3, 11.0, -0.1, 2.5};

    // The documented order: terms in order from 0.
    std::vector<double> expected(n, 0.0);
    for (std::size_t r = 0; r < n; ++r) {
      for (std::size_t k = 0; k < 6; ++k) expected[r] += x[k] == nullptr ? coef[k] : coef[k] * x[k][r];
    }

    for (Isa isa : {Isa::kScalar, Isa::kSse2, Isa::kAvx2, Isa::kAvx512}) {
      if (!supported(isa)) continue;
      for (std::size_t rows : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{9},
                               std::size_t{33}, n}) {
        std::vector<double> y(rows);
        table(isa).lin_comb(x, coef, 6, false, y.data(), rows);
        for (std::size_t r = 0; r < rows; ++r) {
          INFO(std::string(isa_name(isa)) << " lin_comb row " << r << " of " << rows);
          CHECK(same_bits(y[r], expected[r]));
        }
      }
    }
  }

  TEST_CASE("Kernels: gathered adjoints identical in every table") {
    // Eleven sums read x, more than one group of terms in every table.
    constexpr std::size_t kTerms = 11;
    const std::size_t n = 203;  // not a multiple of any vector width or of 8
    const std::vector<double> x = uniform(-3.0, 3.0, n);
    std::vector<std::vector<double>> adjoints;
    const double* g[kTerms];
    double coef[kTerms];
    for (std::size_t k = 0; k < kTerms; ++k) {
      adjoints.push_back(uniform(-1.0, 1.0, n + k));
      coef[k] = 0.25 * static_cast<double>(k) - 1.3;
    }
    for (std::size_t k = 0; k < kTerms; ++k) g[k] = adjoints[k].data();

    // The documented order: sums over rows in 8 lanes, and terms added in order from 0.
    double expected_dots[kTerms], expected_bias[kTerms];
    for (std::size_t k = 0; k < kTerms; ++k) {
      double lanes[8] = {}, bias_lanes[8] = {};
      for (std::size_t r = 0; r < n; ++r) {
        lanes[r % 8] += g[k][r] * x[r];
        bias_lanes[r % 8] += g[k][r];
      }
      expected_dots[k] = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) +
                         ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
      expected_bias[k] = ((bias_lanes[0] + bias_lanes[4]) + (bias_lanes[2] + bias_lanes[6])) +
                         ((bias_lanes[1] + bias_lanes[5]) + (bias_lanes[3] + bias_lanes[7]));
    }
    std::vector<double> expected_adjoint(n, 0.5);
    for (std::size_t r = 0; r < n; ++r) {
      for (std::size_t k = 0; k < kTerms; ++k) expected_adjoint[r] += coef[k] * g[k][r];
    }

    for (Isa isa : {Isa::kScalar, Isa::kSse2, Isa::kAvx2, Isa::kAvx512}) {
      if (!supported(isa)) continue;
      const KernelTable& t = table(isa);
      std::vector<double> adjoint(n, 0.5);
      double dots[kTerms], bias[kTerms], without_adjoint[kTerms];
      t.gather_adjoint(x.data(), adjoint.data(), n, g, coef, dots, kTerms);
      t.gather_adjoint(nullptr, nullptr, n, g, coef, bias, kTerms);
      t.gather_adjoint(x.data(), nullptr, n, g, coef, without_adjoint, kTerms);
      for (std::size_t k = 0; k < kTerms; ++k) {
        INFO(std::string(isa_name(isa)) << " term " << k);
        CHECK(same_bits(dots[k], expected_dots[k]));
        CHECK(same_bits(bias[k], expected_bias[k]));
        CHECK(same_bits(without_adjoint[k], expected_dots[k]));
      }
      for (std::size_t r = 0; r < n; ++r) {
        INFO(std::string(isa_name(isa)) << " adjoint row " << r);
        CHECK(same_bits(adjoint[r], expected_adjoint[r]));
      }
    }
  }

  TEST_CASE("Kernels: a split weighted sum equals one call") {
    const std::size_t n = 100;
    const std::vector<double> a = uniform(-1.0, 1.0, n), b = uniform(-5.0, 5.0, n + 1);
    const double* x[] = {a.data(), b.data(), nullptr};
    const double coef[] = {0.3, -0.9, 1.7};
    const KernelTable& t = active();
    std::vector<double> whole(n), split(n);
    t.lin_comb(x, coef, 3, false, whole.data(), n);
    t.lin_comb(x, coef, 1, false, split.data(), n);
    t.lin_comb(x + 1, coef + 1, 2, true, split.data(), n);
    for (std::size_t r = 0; r < n; ++r) CHECK(same_bits(whole[r], split[r]));
  }

  TEST_CASE("Kernels: domain violation sums identical in every table") {
    const std::vector<double> x = uniform(-2.0, 6.0, 517);
    const KernelTable& scalar = table(Isa::kScalar);
    const double below = scalar.prot_log_violation(x.data(), x.size(), 0.005);
    const double above = scalar.prot_exp_violation(x.data(), x.size(), 4.0);
    double plain_below = 0.0, plain_above = 0.0;
    for (double v : x) {
      plain_below += v < 0.005 ? 0.005 - v : 0.0;
      plain_above += v > 4.0 ? v - 4.0 : 0.0;
    }
    CHECK(below == doctest::Approx(plain_below).epsilon(1e-13));
    CHECK(above == doctest::Approx(plain_above).epsilon(1e-13));
    for (Isa isa : vector_isas()) {
      INFO(std::string(isa_name(isa)));
      CHECK(same_bits(table(isa).prot_log_violation(x.data(), x.size(), 0.005), below));
      CHECK(same_bits(table(isa).prot_exp_violation(x.data(), x.size(), 4.0), above));
    }
  }

  TEST_CASE("Kernels: a row's value does not depend on its position") {
    const std::vector<double> x = uniform(-3.0, 3.0, 64);
    for (Isa isa : vector_isas()) {
      const KernelTable& t = table(isa);
      std::vector<double> full(64);
      t.sin(x.data(), full.data(), 64);
      // Rows that fall in a padded last vector, and rows shifted off their lane.
      for (std::size_t offset : {std::size_t{1}, std::size_t{3}, std::size_t{5}}) {
        for (std::size_t count : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{13}}) {
          std::vector<double> part(count);
          t.sin(x.data() + offset, part.data(), count);
          for (std::size_t r = 0; r < count; ++r) {
            INFO(std::string(isa_name(isa)) << " offset " << offset << " count " << count << " row " << r);
            CHECK(same_bits(part[r], full[offset + r]));
          }
        }
      }
    }
  }

  TEST_CASE("Kernels: unary kernels work in place") {
    const std::vector<double> x = uniform(-5.0, 5.0, 37);
    for (Isa isa : {Isa::kScalar, Isa::kSse2, Isa::kAvx2, Isa::kAvx512}) {
      if (!supported(isa)) continue;
      for (const UnaryCase& c : unary_cases()) {
        std::vector<double> separate(x.size());
        (table(isa).*c.value)(x.data(), separate.data(), x.size());
        std::vector<double> in_place = x;
        (table(isa).*c.value)(in_place.data(), in_place.data(), in_place.size());
        for (std::size_t r = 0; r < x.size(); ++r) {
          INFO(std::string(isa_name(isa)) << " " << c.name << " row " << r);
          CHECK(same_bits(in_place[r], separate[r]));
        }
      }
    }
  }

  TEST_CASE("Kernels: AVX2 and AVX-512 tables agree bit for bit") {
    if (!supported(Isa::kAvx2) || !supported(Isa::kAvx512)) return;
    for (const UnaryCase& c : unary_cases()) {
      std::vector<double> a(c.x.size()), b(c.x.size());
      (table(Isa::kAvx2).*c.value)(c.x.data(), a.data(), c.x.size());
      (table(Isa::kAvx512).*c.value)(c.x.data(), b.data(), c.x.size());
      for (std::size_t r = 0; r < a.size(); ++r) {
        INFO(c.name << " at x = " << c.x[r]);
        CHECK(same_bits(a[r], b[r]));
      }
    }
  }
}

}  // namespace
}  // namespace lies::autodiff::kernels
