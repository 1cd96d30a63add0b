// Vector kernels: the primitives of a Program applied to contiguous arrays of doubles.
//
// forward<double> and reverse call one kernel per instruction and chunk, through a table of
// function pointers that is chosen once per process from the CPU:
//   kAvx512  AVX-512F with FMA   SLEEF 3.5 Sleef_finz_*d8_u10avx512f
//   kAvx2    AVX2 with FMA       SLEEF 3.5 Sleef_finz_*d4_u10avx2
//   kSse2    any x86-64          SLEEF 3.5 Sleef_cinz_*d2_u10sse2
//   kScalar  the reference       the C library through autodiff::prim
// The _u10 suffix is SLEEF's name for functions whose maximum error is 1.0 ULP. SLEEF's
// finz functions return bit-for-bit the same values for every vector width that has FMA,
// so the kAvx512 and kAvx2 tables give identical results (tests/kernels_test.cpp checks
// the values). kSse2 uses the cinz functions, which do without FMA, so its results may differ
// from theirs in the last bit. The environment variable LIES_SIMD=scalar|sse2|avx2|avx512
// selects a table by name, to compare them.
//
// Arithmetic outside SLEEF is done as separate multiplies and adds, in the order that the
// scalar loops use, so that a weighted sum (LinComb) is bit-for-bit the same in every
// table. Sums over rows (parameter adjoints, domain violations) use one fixed order in
// every table: row r adds into partial sum r mod 8, rows in order, and the eight partial
// sums are combined as ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)).
//
// Kernels allocate nothing. Input and output arrays must not overlap unless stated.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lies::autodiff::kernels {

enum class Isa : std::uint8_t { kScalar, kSse2, kAvx2, kAvx512 };

// y[r] = f(x[r]) for r < n. y may be x, to compute in place.
using UnaryFn = void (*)(const double* x, double* y, std::size_t n);
// y[r] = f(a[r], b[r]).
using BinaryFn = void (*)(const double* a, const double* b, double* y, std::size_t n);
// y[r] = f(x[r], limit), for the protected primitives.
using ClampedFn = void (*)(const double* x, double* y, std::size_t n, double limit);

// adj[r] += g[r] · f'(x[r]) for every r < n with g[r] != 0, given y[r] = f(x[r]). Rows with
// g[r] == 0 keep adj[r] unchanged, so an infinite partial there does not make a NaN.
using UnaryReverseFn = void (*)(const double* x, const double* y, const double* g,
                                double* adj, std::size_t n);
// The same for both operands of a binary primitive; adj_a or adj_b may be null.
using BinaryReverseFn = void (*)(const double* a, const double* b, const double* y,
                                 const double* g, double* adj_a, double* adj_b,
                                 std::size_t n);
// adj[r] += violation_weight · ∂violation/∂x + (g[r] != 0 ? g[r] · f'(x[r]) : 0).
using ClampedReverseFn = void (*)(const double* x, const double* y, const double* g,
                                  double* adj, std::size_t n, double limit,
                                  double violation_weight);

// y[r] = Σ_k coef[k] · x[k][r], or y[r] plus that sum when `accumulate`. A null x[k]
// is the constant 1. Terms are added in order k = 0, 1, … to 0 (or to y[r]).
using LinCombFn = void (*)(const double* const* x, const double* coef, std::size_t terms,
                           bool accumulate, double* y, std::size_t n);
// The reverse of the weighted-sum terms that read one value x. Term k has coefficient
// coef[k] and belongs to a sum whose adjoint is g[k]. For each k < terms, dots[k] =
// Σ_r g[k][r] · x[r] in the fixed order above (Σ_r g[k][r] when x is null, as for a
// bias). When adj is not null, adj[r] += coef[k] · g[k][r], added in order k = 0, 1, ….
using GatherAdjointFn = void (*)(const double* x, double* adj, std::size_t n,
                                 const double* const* g, const double* coef, double* dots,
                                 std::size_t terms);
// Σ_r of the distance by which x[r] crossed `limit` (below it for the protected log,
// above it for the protected exponential), in the fixed order above.
using ViolationFn = double (*)(const double* x, std::size_t n, double limit);

// Every field is set by the table's maker. The struct has no default member initializers,
// so that its default constructor is trivial and no translation unit compiled for a wider
// instruction set emits code for it.
struct KernelTable {
  Isa isa;
  std::size_t width;  // doubles per vector register

  UnaryFn exp;
  UnaryFn log;
  UnaryFn sin;
  UnaryFn cos;
  UnaryFn tan;
  UnaryFn sqrt;
  UnaryFn tanh;
  UnaryFn asin;
  UnaryFn acos;
  UnaryFn atan;
  BinaryFn pow;
  ClampedFn prot_log;  // log(max(x, limit))
  ClampedFn prot_exp;  // exp(min(x, limit))

  UnaryReverseFn exp_reverse;
  UnaryReverseFn log_reverse;
  UnaryReverseFn sin_reverse;
  UnaryReverseFn cos_reverse;
  UnaryReverseFn tan_reverse;
  UnaryReverseFn sqrt_reverse;
  UnaryReverseFn tanh_reverse;
  UnaryReverseFn asin_reverse;
  UnaryReverseFn acos_reverse;
  UnaryReverseFn atan_reverse;
  BinaryReverseFn pow_reverse;
  ClampedReverseFn prot_log_reverse;
  ClampedReverseFn prot_exp_reverse;

  LinCombFn lin_comb;
  GatherAdjointFn gather_adjoint;
  ViolationFn prot_log_violation;
  ViolationFn prot_exp_violation;
};

// Returns whether this CPU can run the table of `isa`.
bool supported(Isa isa);

// Returns the table of `isa`; `isa` must be supported.
const KernelTable& table(Isa isa);

// Returns the table that forward<double> and reverse use: the widest supported one, or
// the one that LIES_SIMD names. Chosen at the first call and fixed for the process.
const KernelTable& active();

// "scalar", "sse2", "avx2" or "avx512".
const char* isa_name(Isa isa);

}  // namespace lies::autodiff::kernels
