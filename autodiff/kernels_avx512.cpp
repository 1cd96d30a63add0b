// Kernel table for AVX-512F with FMA. Compiled with -mavx512f -mfma (see
// autodiff/CMakeLists.txt); kernels.cpp calls it only after checking the CPU.
#include <immintrin.h>
#include <sleef.h>

// GCC 12 reports _mm512_undefined_pd(), which the unmasked forms of vsqrtpd, vminpd and
// vmaxpd pass as their unused merge source, as maybe uninitialized. No result reads it.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <cstddef>

#include "autodiff/kernels.hpp"

namespace lies::autodiff::kernels::detail {
namespace {

struct Simd {
  using V = __m512d;
  using M = __mmask8;
  static constexpr std::size_t kWidth = 8;

  static V load(const double* p) { return _mm512_loadu_pd(p); }
  static void store(double* p, V v) { _mm512_storeu_pd(p, v); }
  static V set1(double v) { return _mm512_set1_pd(v); }
  static V zero() { return _mm512_setzero_pd(); }

  static V add(V a, V b) { return _mm512_add_pd(a, b); }
  static V sub(V a, V b) { return _mm512_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static V div(V a, V b) { return _mm512_div_pd(a, b); }
  static V sqrt(V a) { return _mm512_sqrt_pd(a); }
  // vminpd and vmaxpd return the second operand when either is NaN.
  static V min_or_limit(V x, V limit) { return _mm512_min_pd(x, limit); }
  static V max_or_limit(V x, V limit) { return _mm512_max_pd(x, limit); }

  static M less(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
  static M greater(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
  static M equal(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
  static M nonzero(V a) { return _mm512_cmp_pd_mask(a, _mm512_setzero_pd(), _CMP_NEQ_UQ); }
  static V select(M m, V a, V b) { return _mm512_mask_blend_pd(m, b, a); }

  static V exp(V x) { return Sleef_finz_expd8_u10avx512f(x); }
  static V log(V x) { return Sleef_finz_logd8_u10avx512f(x); }
  static V sin(V x) { return Sleef_finz_sind8_u10avx512f(x); }
  static V cos(V x) { return Sleef_finz_cosd8_u10avx512f(x); }
  static V tan(V x) { return Sleef_finz_tand8_u10avx512f(x); }
  static V tanh(V x) { return Sleef_finz_tanhd8_u10avx512f(x); }
  static V asin(V x) { return Sleef_finz_asind8_u10avx512f(x); }
  static V acos(V x) { return Sleef_finz_acosd8_u10avx512f(x); }
  static V atan(V x) { return Sleef_finz_atand8_u10avx512f(x); }
  static V pow(V a, V b) { return Sleef_finz_powd8_u10avx512f(a, b); }
};

#include "autodiff/kernels_simd.inc"

}  // namespace

KernelTable make_avx512_table() { return make_table(Isa::kAvx512); }

}  // namespace lies::autodiff::kernels::detail
