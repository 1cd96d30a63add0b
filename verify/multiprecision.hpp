// The Boost.Multiprecision types in which verify/ evaluates formulas.
//
// Both are binary floating-point types with et_off (no expression templates), so they work
// with autodiff::evaluate_rows and with the primitives of autodiff/primitives.hpp. Their
// exponent range is far wider than a double's, so a value that overflows a double can be
// finite here.
#pragma once

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <string>

namespace lies::verify {

// 50 decimal digits (a 166-bit significand).
using Float50 = boost::multiprecision::cpp_bin_float_50;
// 100 decimal digits (a 333-bit significand).
using Float100 = boost::multiprecision::cpp_bin_float_100;

// Formats `value` with `digits` significant digits in scientific or fixed notation,
// whichever is shorter, as printf's %g does.
template <typename T>
std::string format_significant(const T& value, int digits) {
  return value.str(digits, std::ios_base::fmtflags(0));
}

}  // namespace lies::verify
