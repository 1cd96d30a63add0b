// Value and partial derivatives of every primitive, side by side.
//
// Each primitive is a struct with
//   value(x) or value(a, b)                 templated on the scalar type, so the same
//                                           definition runs in double and in
//                                           Boost.Multiprecision types;
//   partial(x, y) or partial_a/partial_b    in double, given the operands and the value y.
// Domains follow the C library: log of a negative number is NaN, and so on. The reverse
// sweep never multiplies a zero adjoint by a partial, so an infinite or NaN partial at a
// point where the result does not matter does not poison the gradient.
#pragma once

#include <cmath>

#include "engine/check.hpp"
#include "engine/graph.hpp"

namespace lies::autodiff::prim {

// Calls unqualified, so that argument-dependent lookup finds the overloads of
// Boost.Multiprecision types and std:: provides those of double.
using std::acos;
using std::asin;
using std::atan;
using std::cos;
using std::exp;
using std::log;
using std::pow;
using std::sin;
using std::sqrt;
using std::tan;
using std::tanh;

struct Add {
  template <typename T>
  static T value(const T& a, const T& b) { return a + b; }
  static double partial_a(double, double, double) { return 1.0; }
  static double partial_b(double, double, double) { return 1.0; }
};

struct Mul {
  template <typename T>
  static T value(const T& a, const T& b) { return a * b; }
  static double partial_a(double, double b, double) { return b; }
  static double partial_b(double a, double, double) { return a; }
};

// y = a / b: dy/da = 1/b, dy/db = -y/b.
struct Div {
  template <typename T>
  static T value(const T& a, const T& b) { return a / b; }
  static double partial_a(double, double b, double) { return 1.0 / b; }
  static double partial_b(double, double b, double y) { return -y / b; }
};

// y = a^b: dy/da = b·a^(b−1), written so that a = 0 with b ≥ 1 stays finite;
// dy/db = y·log(a), taken as 0 where y = 0 (the limit for a → 0⁺, b > 0).
struct Pow {
  template <typename T>
  static T value(const T& a, const T& b) {
    return pow(a, b);
  }
  static double partial_a(double a, double b, double) {
    return b == 0.0 ? 0.0 : b * std::pow(a, b - 1.0);
  }
  static double partial_b(double a, double, double y) {
    return y == 0.0 ? 0.0 : y * std::log(a);
  }
};

struct Neg {
  template <typename T>
  static T value(const T& x) { return -x; }
  static double partial(double, double) { return -1.0; }
};

struct Log {
  template <typename T>
  static T value(const T& x) { return log(x); }
  static double partial(double x, double) { return 1.0 / x; }
};

struct Exp {
  template <typename T>
  static T value(const T& x) { return exp(x); }
  static double partial(double, double y) { return y; }
};

struct Sin {
  template <typename T>
  static T value(const T& x) { return sin(x); }
  static double partial(double x, double) { return std::cos(x); }
};

struct Cos {
  template <typename T>
  static T value(const T& x) { return cos(x); }
  static double partial(double x, double) { return -std::sin(x); }
};

// d/dx tan x = 1 + tan² x.
struct Tan {
  template <typename T>
  static T value(const T& x) { return tan(x); }
  static double partial(double, double y) { return 1.0 + y * y; }
};

// d/dx √x = 1 / (2√x); infinite at 0.
struct Sqrt {
  template <typename T>
  static T value(const T& x) { return sqrt(x); }
  static double partial(double, double y) { return 0.5 / y; }
};

// d/dx tanh x = 1 − tanh² x.
struct Tanh {
  template <typename T>
  static T value(const T& x) { return tanh(x); }
  static double partial(double, double y) { return 1.0 - y * y; }
};

// d/dx asin x = 1/√(1 − x²), defined on (−1, 1).
struct Asin {
  template <typename T>
  static T value(const T& x) { return asin(x); }
  static double partial(double x, double) { return 1.0 / std::sqrt(1.0 - x * x); }
};

struct Acos {
  template <typename T>
  static T value(const T& x) { return acos(x); }
  static double partial(double x, double) { return -1.0 / std::sqrt(1.0 - x * x); }
};

struct Atan {
  template <typename T>
  static T value(const T& x) { return atan(x); }
  static double partial(double x, double) { return 1.0 / (1.0 + x * x); }
};

// Protected logarithm: log(max(x, floor)). Its derivative is 0 at or below the floor, so
// training cannot push a unit further into the clamped region through this term; the
// trainer's domain penalty pulls it back instead.
struct ProtLog {
  template <typename T>
  static T value(const T& x, double floor) {
    return x > T(floor) ? T(log(x)) : T(log(T(floor)));
  }
  static double partial(double x, double, double floor) { return x > floor ? 1.0 / x : 0.0; }
  // Distance by which x crossed the floor, 0 inside the domain.
  static double violation(double x, double floor) { return x < floor ? floor - x : 0.0; }
  static double violation_partial(double x, double floor) { return x < floor ? -1.0 : 0.0; }
};

// Protected exponential: exp(min(x, ceiling)), derivative 0 at or above the ceiling.
struct ProtExp {
  template <typename T>
  static T value(const T& x, double ceiling) {
    return x < T(ceiling) ? T(exp(x)) : T(exp(T(ceiling)));
  }
  static double partial(double x, double y, double ceiling) { return x < ceiling ? y : 0.0; }
  static double violation(double x, double ceiling) { return x > ceiling ? x - ceiling : 0.0; }
  static double violation_partial(double x, double ceiling) { return x > ceiling ? 1.0 : 0.0; }
};

// Applies a non-leaf op to scalar operands: b is ignored by unary ops, `limit` by all but
// ProtLog and ProtExp. Used where one value at a time is computed, such as constant folding.
template <typename T>
T apply(engine::Op op, const T& a, const T& b, double limit) {
  switch (op) {
    case engine::Op::Input:
    case engine::Op::Constant:
    case engine::Op::Param:
      break;
    case engine::Op::ProtLog:
      return ProtLog::value(a, limit);
    case engine::Op::ProtExp:
      return ProtExp::value(a, limit);
#define LIES_UNARY(name)   \
  case engine::Op::name: \
    return name::value(a);
#define LIES_BINARY(name)  \
  case engine::Op::name: \
    return name::value(a, b);
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
  LIES_CHECK(false && "apply() takes only non-leaf ops");
  return a;
}

}  // namespace lies::autodiff::prim
