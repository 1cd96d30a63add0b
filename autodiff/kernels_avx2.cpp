// Kernel table for AVX2 with FMA. Compiled with -mavx2 -mfma (see autodiff/CMakeLists.txt);
// kernels.cpp calls it only after checking the CPU.
#include <immintrin.h>
#include <sleef.h>

#include <cstddef>

#include "autodiff/kernels.hpp"

namespace lies::autodiff::kernels::detail {
namespace {

struct Simd {
  using V = __m256d;
  using M = __m256d;  // all bits of a lane set where true
  static constexpr std::size_t kWidth = 4;

  static V load(const double* p) { return _mm256_loadu_pd(p); }
  static void store(double* p, V v) { _mm256_storeu_pd(p, v); }
  static V set1(double v) { return _mm256_set1_pd(v); }
  static V zero() { return _mm256_setzero_pd(); }

  static V add(V a, V b) { return _mm256_add_pd(a, b); }
  static V sub(V a, V b) { return _mm256_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  static V div(V a, V b) { return _mm256_div_pd(a, b); }
  static V sqrt(V a) { return _mm256_sqrt_pd(a); }
  // vminpd and vmaxpd return the second operand when either is NaN.
  static V min_or_limit(V x, V limit) { return _mm256_min_pd(x, limit); }
  static V max_or_limit(V x, V limit) { return _mm256_max_pd(x, limit); }

  static M less(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
  static M greater(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
  static M equal(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
  static M nonzero(V a) { return _mm256_cmp_pd(a, _mm256_setzero_pd(), _CMP_NEQ_UQ); }
  static V select(M m, V a, V b) { return _mm256_blendv_pd(b, a, m); }

  static V exp(V x) { return Sleef_finz_expd4_u10avx2(x); }
  static V log(V x) { return Sleef_finz_logd4_u10avx2(x); }
  static V sin(V x) { return Sleef_finz_sind4_u10avx2(x); }
  static V cos(V x) { return Sleef_finz_cosd4_u10avx2(x); }
  static V tan(V x) { return Sleef_finz_tand4_u10avx2(x); }
  static V tanh(V x) { return Sleef_finz_tanhd4_u10avx2(x); }
  static V asin(V x) { return Sleef_finz_asind4_u10avx2(x); }
  static V acos(V x) { return Sleef_finz_acosd4_u10avx2(x); }
  static V atan(V x) { return Sleef_finz_atand4_u10avx2(x); }
  static V pow(V a, V b) { return Sleef_finz_powd4_u10avx2(a, b); }
};

#include "autodiff/kernels_simd.inc"

}  // namespace

KernelTable make_avx2_table() { return make_table(Isa::kAvx2); }

}  // namespace lies::autodiff::kernels::detail
