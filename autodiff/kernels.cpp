#include "autodiff/kernels.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "autodiff/primitives.hpp"
#include "engine/check.hpp"

namespace lies::autodiff::kernels {
namespace detail {

KernelTable make_sse2_table();
KernelTable make_avx2_table();
KernelTable make_avx512_table();

namespace {

// The reference: one double at a time, values and partials of the C library, as
// autodiff::prim computes them.
struct Simd {
  using V = double;
  using M = bool;
  static constexpr std::size_t kWidth = 1;

  static V load(const double* p) { return *p; }
  static void store(double* p, V v) { *p = v; }
  static V set1(double v) { return v; }
  static V zero() { return 0.0; }

  static V add(V a, V b) { return a + b; }
  static V sub(V a, V b) { return a - b; }
  static V mul(V a, V b) { return a * b; }
  static V div(V a, V b) { return a / b; }
  static V sqrt(V a) { return std::sqrt(a); }
  static V min_or_limit(V x, V limit) { return x < limit ? x : limit; }
  static V max_or_limit(V x, V limit) { return x > limit ? x : limit; }

  static M less(V a, V b) { return a < b; }
  static M greater(V a, V b) { return a > b; }
  static M equal(V a, V b) { return a == b; }
  static M nonzero(V a) { return a != 0.0; }
  static V select(M m, V a, V b) { return m ? a : b; }

  static V exp(V x) { return prim::Exp::value(x); }
  static V log(V x) { return prim::Log::value(x); }
  static V sin(V x) { return prim::Sin::value(x); }
  static V cos(V x) { return prim::Cos::value(x); }
  static V tan(V x) { return prim::Tan::value(x); }
  static V tanh(V x) { return prim::Tanh::value(x); }
  static V asin(V x) { return prim::Asin::value(x); }
  static V acos(V x) { return prim::Acos::value(x); }
  static V atan(V x) { return prim::Atan::value(x); }
  static V pow(V a, V b) { return prim::Pow::value(a, b); }
};

#include "autodiff/kernels_simd.inc"

}  // namespace
}  // namespace detail

namespace {

bool cpu_has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
}

bool cpu_has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

Isa widest_supported() {
  if (cpu_has_avx512()) return Isa::kAvx512;
  if (cpu_has_avx2()) return Isa::kAvx2;
  return Isa::kSse2;
}

// The table named by LIES_SIMD, or the widest supported one. An unknown or unsupported
// name is reported once on stderr and ignored.
Isa choose_isa() {
  const char* requested = std::getenv("LIES_SIMD");
  if (requested == nullptr || *requested == '\0') return widest_supported();
  for (Isa isa : {Isa::kScalar, Isa::kSse2, Isa::kAvx2, Isa::kAvx512}) {
    if (std::strcmp(requested, isa_name(isa)) != 0) continue;
    if (supported(isa)) return isa;
    std::fprintf(stderr, "lies: LIES_SIMD=%s is not supported by this CPU; using %s\n",
                 requested, isa_name(widest_supported()));
    return widest_supported();
  }
  std::fprintf(stderr,
               "lies: LIES_SIMD=%s is not one of scalar, sse2, avx2, avx512; using %s\n",
               requested, isa_name(widest_supported()));
  return widest_supported();
}

}  // namespace

bool supported(Isa isa) {
  switch (isa) {
    case Isa::kScalar:
    case Isa::kSse2:
      return true;
    case Isa::kAvx2:
      return cpu_has_avx2();
    case Isa::kAvx512:
      return cpu_has_avx512();
  }
  return false;
}

const KernelTable& table(Isa isa) {
  LIES_CHECK(supported(isa));
  switch (isa) {
    case Isa::kScalar: {
      static const KernelTable scalar = detail::make_table(Isa::kScalar);
      return scalar;
    }
    case Isa::kSse2: {
      static const KernelTable sse2 = detail::make_sse2_table();
      return sse2;
    }
    case Isa::kAvx2: {
      static const KernelTable avx2 = detail::make_avx2_table();
      return avx2;
    }
    case Isa::kAvx512: {
      static const KernelTable avx512 = detail::make_avx512_table();
      return avx512;
    }
  }
  LIES_CHECK(false && "unknown Isa");
  return table(Isa::kScalar);
}

const KernelTable& active() {
  static const KernelTable& chosen = table(choose_isa());
  return chosen;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kScalar:
      return "scalar";
    case Isa::kSse2:
      return "sse2";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
  }
  return "unknown";
}

}  // namespace lies::autodiff::kernels
