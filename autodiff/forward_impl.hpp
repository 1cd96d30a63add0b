// Definition of autodiff::forward; included by program.hpp only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include "autodiff/kernels.hpp"

namespace lies::autodiff {
namespace detail {

template <typename Prim, typename T>
void map_unary(const T* x, T* y, std::size_t rows) {
  for (std::size_t r = 0; r < rows; ++r) y[r] = Prim::value(x[r]);
}

template <typename Prim, typename T>
void map_binary(const T* a, const T* b, T* y, std::size_t rows) {
  for (std::size_t r = 0; r < rows; ++r) y[r] = Prim::value(a[r], b[r]);
}

template <typename Prim, typename T>
void map_clamped(const T* x, T* y, std::size_t rows, double limit) {
  for (std::size_t r = 0; r < rows; ++r) y[r] = Prim::value(x[r], limit);
}

template <typename T>
void lin_comb(const Program& program, std::size_t i, std::span<const T> params, const T* values,
              T* y, std::size_t rows, std::size_t stride) {
  std::fill(y, y + rows, T(0));
  for (std::uint32_t k = program.term_begin[i]; k < program.term_begin[i + 1]; ++k) {
    const std::uint32_t p = program.term_param[k];
    const T c = p == kNone ? T(program.term_coef[k]) : params[p];
    const std::uint32_t arg = program.term_arg[k];
    if (arg == kNone) {
      for (std::size_t r = 0; r < rows; ++r) y[r] += c;
    } else {
      const T* x = values + static_cast<std::size_t>(arg) * stride;
      for (std::size_t r = 0; r < rows; ++r) y[r] += c * x[r];
    }
  }
}

// Maximum terms of one lin_comb kernel call, so that its operand arrays fit on the stack.
// A longer sum takes several calls, each adding to the result of the last.
inline constexpr std::size_t kTermsPerKernelCall = 32;

// The double LinComb through the vector kernel: the same terms in the same order as
// lin_comb above, so the same result bit for bit.
inline void lin_comb_kernel(const Program& program, std::size_t i, std::span<const double> params,
                            const double* values, double* y, std::size_t rows,
                            std::size_t stride, const kernels::KernelTable& table) {
  const std::uint32_t begin = program.term_begin[i];
  const std::uint32_t end = program.term_begin[i + 1];
  if (begin == end) {
    std::fill(y, y + rows, 0.0);
    return;
  }
  const double* x[kTermsPerKernelCall];
  double coef[kTermsPerKernelCall];
  for (std::uint32_t first = begin; first < end; first += kTermsPerKernelCall) {
    const std::size_t count = std::min<std::size_t>(kTermsPerKernelCall, end - first);
    for (std::size_t j = 0; j < count; ++j) {
      const std::uint32_t p = program.term_param[first + j];
      coef[j] = p == kNone ? program.term_coef[first + j] : params[p];
      const std::uint32_t arg = program.term_arg[first + j];
      x[j] = arg == kNone ? nullptr : values + static_cast<std::size_t>(arg) * stride;
    }
    table.lin_comb(x, coef, count, first != begin, y, rows);
  }
}

}  // namespace detail

// For T = double, LinComb and the primitives that SLEEF provides run through
// kernels::active(); other types, and the remaining primitives, run the scalar loops.
template <typename T>
void forward(const Program& program, std::span<const T* const> inputs, std::size_t rows,
             std::span<const T> params, T* values, std::size_t stride) {
  LIES_DCHECK(rows <= stride);
  LIES_DCHECK(inputs.size() >= program.num_inputs);
  LIES_DCHECK(params.size() >= program.num_params);
  constexpr bool kVector = std::is_same_v<T, double>;
  const kernels::KernelTable* table = kVector ? &kernels::active() : nullptr;

  for (std::size_t i = 0; i < program.size(); ++i) {
    T* y = values + i * stride;
    const T* a = program.arg0[i] == kNone ? nullptr : values + program.arg0[i] * stride;
    const T* b = program.arg1[i] == kNone ? nullptr : values + program.arg1[i] * stride;
    switch (program.code[i]) {
      case Code::Input:
        std::copy(inputs[program.index[i]], inputs[program.index[i]] + rows, y);
        break;
      case Code::Constant:
        std::fill(y, y + rows, T(program.imm[i]));
        break;
      case Code::Param:
        std::fill(y, y + rows, params[program.index[i]]);
        break;
      case Code::LinComb:
        if constexpr (kVector) {
          detail::lin_comb_kernel(program, i, params, values, y, rows, stride, *table);
        } else {
          detail::lin_comb(program, i, params, values, y, rows, stride);
        }
        break;
      case Code::ProtLog:
        if constexpr (kVector) {
          table->prot_log(a, y, rows, program.imm[i]);
        } else {
          detail::map_clamped<prim::ProtLog>(a, y, rows, program.imm[i]);
        }
        break;
      case Code::ProtExp:
        if constexpr (kVector) {
          table->prot_exp(a, y, rows, program.imm[i]);
        } else {
          detail::map_clamped<prim::ProtExp>(a, y, rows, program.imm[i]);
        }
        break;
      case Code::Pow:
        if constexpr (kVector) {
          table->pow(a, b, y, rows);
        } else {
          detail::map_binary<prim::Pow>(a, b, y, rows);
        }
        break;
#define LIES_UNARY(name)                           \
  case Code::name:                                 \
    detail::map_unary<prim::name>(a, y, rows);     \
    break;
#define LIES_UNARY_KERNEL(name, field)             \
  case Code::name:                                 \
    if constexpr (kVector) {                       \
      table->field(a, y, rows);                    \
    } else {                                       \
      detail::map_unary<prim::name>(a, y, rows);   \
    }                                              \
    break;
#define LIES_BINARY(name)                          \
  case Code::name:                                 \
    detail::map_binary<prim::name>(a, b, y, rows); \
    break;
        LIES_BINARY(Add)
        LIES_BINARY(Mul)
        LIES_BINARY(Div)
        LIES_UNARY(Neg)
        LIES_UNARY_KERNEL(Log, log)
        LIES_UNARY_KERNEL(Exp, exp)
        LIES_UNARY_KERNEL(Sin, sin)
        LIES_UNARY_KERNEL(Cos, cos)
        LIES_UNARY_KERNEL(Tan, tan)
        LIES_UNARY_KERNEL(Sqrt, sqrt)
        LIES_UNARY_KERNEL(Tanh, tanh)
        LIES_UNARY_KERNEL(Asin, asin)
        LIES_UNARY_KERNEL(Acos, acos)
        LIES_UNARY_KERNEL(Atan, atan)
#undef LIES_UNARY
#undef LIES_UNARY_KERNEL
#undef LIES_BINARY
    }
  }
}

}  // namespace lies::autodiff
