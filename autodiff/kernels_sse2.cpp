// Kernel table for SSE2, which every x86-64 CPU has. Compiled with the default flags.
#include <emmintrin.h>
#include <sleef.h>

#include <cstddef>

#include "autodiff/kernels.hpp"

namespace lies::autodiff::kernels::detail {
namespace {

struct Simd {
  using V = __m128d;
  using M = __m128d;  // all bits of a lane set where true
  static constexpr std::size_t kWidth = 2;

  static V load(const double* p) { return _mm_loadu_pd(p); }
  static void store(double* p, V v) { _mm_storeu_pd(p, v); }
  static V set1(double v) { return _mm_set1_pd(v); }
  static V zero() { return _mm_setzero_pd(); }

  static V add(V a, V b) { return _mm_add_pd(a, b); }
  static V sub(V a, V b) { return _mm_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm_mul_pd(a, b); }
  static V div(V a, V b) { return _mm_div_pd(a, b); }
  static V sqrt(V a) { return _mm_sqrt_pd(a); }
  // minpd and maxpd return the second operand when either is NaN.
  static V min_or_limit(V x, V limit) { return _mm_min_pd(x, limit); }
  static V max_or_limit(V x, V limit) { return _mm_max_pd(x, limit); }

  static M less(V a, V b) { return _mm_cmplt_pd(a, b); }
  static M greater(V a, V b) { return _mm_cmpgt_pd(a, b); }
  static M equal(V a, V b) { return _mm_cmpeq_pd(a, b); }
  static M nonzero(V a) { return _mm_cmpneq_pd(a, _mm_setzero_pd()); }
  static V select(M m, V a, V b) { return _mm_or_pd(_mm_and_pd(m, a), _mm_andnot_pd(m, b)); }

  static V exp(V x) { return Sleef_cinz_expd2_u10sse2(x); }
  static V log(V x) { return Sleef_cinz_logd2_u10sse2(x); }
  static V sin(V x) { return Sleef_cinz_sind2_u10sse2(x); }
  static V cos(V x) { return Sleef_cinz_cosd2_u10sse2(x); }
  static V tan(V x) { return Sleef_cinz_tand2_u10sse2(x); }
  static V tanh(V x) { return Sleef_cinz_tanhd2_u10sse2(x); }
  static V asin(V x) { return Sleef_cinz_asind2_u10sse2(x); }
  static V acos(V x) { return Sleef_cinz_acosd2_u10sse2(x); }
  static V atan(V x) { return Sleef_cinz_atand2_u10sse2(x); }
  static V pow(V a, V b) { return Sleef_cinz_powd2_u10sse2(a, b); }
};

#include "autodiff/kernels_simd.inc"

}  // namespace

KernelTable make_sse2_table() { return make_table(Isa::kSse2); }

}  // namespace lies::autodiff::kernels::detail
