// Definition of autodiff::forward; included by program.hpp only.
#pragma once

#include <algorithm>
#include <cstddef>

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

}  // namespace detail

template <typename T>
void forward(const Program& program, std::span<const T* const> inputs, std::size_t rows,
             std::span<const T> params, T* values, std::size_t stride) {
  LIES_DCHECK(rows <= stride);
  LIES_DCHECK(inputs.size() >= program.num_inputs);
  LIES_DCHECK(params.size() >= program.num_params);

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
        detail::lin_comb(program, i, params, values, y, rows, stride);
        break;
      case Code::ProtLog:
        detail::map_clamped<prim::ProtLog>(a, y, rows, program.imm[i]);
        break;
      case Code::ProtExp:
        detail::map_clamped<prim::ProtExp>(a, y, rows, program.imm[i]);
        break;
#define LIES_UNARY(name)                           \
  case Code::name:                                 \
    detail::map_unary<prim::name>(a, y, rows);     \
    break;
#define LIES_BINARY(name)                          \
  case Code::name:                                 \
    detail::map_binary<prim::name>(a, b, y, rows); \
    break;
        LIES_BINARY(Add)
        LIES_BINARY(Mul)
        LIES_BINARY(Div)
        LIES_BINARY(Pow)
        LIES_UNARY(Neg)
        LIES_UNARY(Log)
        LIES_UNARY(Exp)
        LIES_UNARY(Sin)
        LIES_UNARY(Cos)
        LIES_UNARY(Tan)
        LIES_UNARY(Sqrt)
        LIES_UNARY(Tanh)
        LIES_UNARY(Asin)
        LIES_UNARY(Acos)
        LIES_UNARY(Atan)
#undef LIES_UNARY
#undef LIES_BINARY
    }
  }
}

}  // namespace lies::autodiff
