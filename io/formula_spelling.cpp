#include "io/formula_spelling.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <numbers>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/check.hpp"

namespace lies::io::detail {
namespace {

using engine::Op;

// Python keywords (keyword.kwlist of Python 3.11). A Symbol of that name is fine in SymPy, but the
// printed text would not be valid Python source.
constexpr std::array<std::string_view, 35> kPythonKeywords = {
    "False", "None",   "True",    "and",      "as",       "assert", "async",  "await", "break",
    "class", "continue", "def",   "del",      "elif",     "else",   "except", "finally", "for",
    "from",  "global", "if",      "import",   "in",       "is",     "lambda", "nonlocal", "not",
    "or",    "pass",   "raise",   "return",   "try",      "while",  "with",   "yield"};

// Names that the SymPy output itself uses.
constexpr std::array<std::string_view, 14> kSympyNames = {
    "exp", "log", "sin", "cos", "tan", "sqrt", "tanh", "asin", "acos", "atan", "Max", "Min", "pi", "E"};

// C11 keywords.
constexpr std::array<std::string_view, 44> kCKeywords = {
    "auto",     "break",    "case",     "char",      "const",   "continue", "default",
    "do",       "double",   "else",     "enum",      "extern",  "float",    "for",
    "goto",     "if",       "inline",   "int",       "long",    "register", "restrict",
    "return",   "short",    "signed",   "sizeof",    "static",  "struct",   "switch",
    "typedef",  "union",    "unsigned", "void",      "volatile", "while",   "_Bool",
    "_Complex", "_Imaginary", "_Alignas", "_Alignof", "_Atomic", "_Generic", "_Noreturn",
    "_Static_assert", "_Thread_local"};

// Names that the C output itself uses. A variable of such a name would hide the function.
constexpr std::array<std::string_view, 15> kCNames = {
    "exp", "log", "sin", "cos", "tan", "sqrt", "tanh", "asin", "acos", "atan", "pow", "fmax", "fmin",
    "M_PI", "M_E"};

constexpr std::array<std::string_view, 24> kGreekLetters = {
    "alpha", "beta",    "gamma", "delta", "epsilon", "zeta", "eta",     "theta",
    "iota",  "kappa",   "lambda", "mu",   "nu",      "xi",   "pi",      "rho",
    "sigma", "tau",     "upsilon", "phi", "chi",     "psi",  "omega",   "varepsilon"};

constexpr std::array<std::string_view, 11> kCapitalGreekLetters = {
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"};

// Concatenates string views. absl::StrCat takes absl::string_view, which this Abseil build
// (ABSL_OPTION_USE_STD_STRING_VIEW 0) does not convert from std::string_view.
std::string concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const std::string_view part : parts) out += part;
  return out;
}

template <std::size_t n>
bool contains(const std::array<std::string_view, n>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool is_identifier_char(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// One part of a LaTeX name: a Greek letter as a command, "lambd" (Python's spelling of lambda) as
// \lambda, one letter as is, several in \mathrm{}.
std::string latex_word(std::string_view word) {
  if (contains(kGreekLetters, word) || contains(kCapitalGreekLetters, word)) {
    return concat({"\\", word});
  }
  if (word == "lambd") return "\\lambda";
  if (word.size() <= 1 || std::all_of(word.begin(), word.end(), absl::ascii_isdigit)) {
    return std::string(word);
  }
  return concat({"\\mathrm{", word, "}"});
}

std::string latex_escape_text(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '\\': out += "\\textbackslash{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '{': case '}': case '#': case '$': case '%': case '&': case '_':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

// Rewrites the text of std::to_chars, mantissa and exponent such as 1.5e-05, as 1.5 \cdot 10^{-5}.
PrecedenceText latex_number(std::string_view text) {
  const std::size_t e = text.find('e');
  if (e == std::string_view::npos) return {std::string(text), Precedence::kAtom};
  const std::string_view mantissa = text.substr(0, e);
  std::string_view exponent = text.substr(e + 1);
  const bool negative = !exponent.empty() && exponent.front() == '-';
  if (!exponent.empty() && (exponent.front() == '-' || exponent.front() == '+')) {
    exponent.remove_prefix(1);
  }
  while (exponent.size() > 1 && exponent.front() == '0') exponent.remove_prefix(1);
  const std::string power = concat({"10^{", negative ? "-" : "", exponent, "}"});
  // kPower: no parentheses as a factor of a product, but parentheses as the base of a power.
  if (mantissa == "1") return {power, Precedence::kPower};
  return {concat({mantissa, " \\cdot ", power}), Precedence::kPower};
}

}  // namespace

std::string format_number(double value, int significant_digits) {
  LIES_CHECK(std::isfinite(value));
  if (value == 0.0) value = 0.0;  // prints -0.0 as 0
  std::array<char, 64> buffer;
  const std::to_chars_result result =
      significant_digits > 0
          ? std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                          std::chars_format::general, significant_digits)
          : std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  LIES_CHECK(result.ec == std::errc());
  return std::string(buffer.data(), result.ptr);
}

bool is_identifier(std::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name.front())) return false;
  return std::all_of(name.begin(), name.end(), is_identifier_char);
}

std::string sanitize_identifier(std::string_view name, FormulaFormat format) {
  if (format != FormulaFormat::kSympy && format != FormulaFormat::kC) return std::string(name);
  std::string out;
  if (name.empty() || absl::ascii_isdigit(name.front())) out += '_';
  for (const char c : name) out += is_identifier_char(c) ? c : '_';
  const bool reserved = format == FormulaFormat::kSympy
                            ? contains(kPythonKeywords, out) || contains(kSympyNames, out)
                            : contains(kCKeywords, out) || contains(kCNames, out);
  if (reserved) out += '_';
  return out;
}

std::string latex_name(std::string_view name) {
  if (!is_identifier(name) || name.front() == '_' || name.back() == '_') {
    return absl::StrCat("\\text{", latex_escape_text(name), "}");
  }
  const std::size_t underscore = name.find('_');
  if (underscore == std::string_view::npos) {
    // x1 -> x_{1}, theta12 -> \theta_{12}.
    std::size_t digits = name.size();
    while (digits > 0 && absl::ascii_isdigit(name[digits - 1])) --digits;
    if (digits == name.size()) return latex_word(name);
    return concat({latex_word(name.substr(0, digits)), "_{", name.substr(digits), "}"});
  }
  // rho_c_0 -> \rho_{c,0}. Empty parts (a__b) cannot occur in a name such as E_n, so they print as text.
  std::string subscript;
  std::string_view rest = name.substr(underscore + 1);
  while (true) {
    const std::size_t next = rest.find('_');
    const std::string_view part = rest.substr(0, next);
    if (part.empty()) return absl::StrCat("\\text{", latex_escape_text(name), "}");
    if (!subscript.empty()) subscript += ',';
    subscript += latex_word(part);
    if (next == std::string_view::npos) break;
    rest.remove_prefix(next + 1);
  }
  return absl::StrCat(latex_word(name.substr(0, underscore)), "_{", subscript, "}");
}

FormulaSpelling::FormulaSpelling(const PrintOptions& options)
    : format_(options.format),
      significant_digits_(options.significant_digits),
      input_names_(options.input_names) {
  const PrecedenceText pi = number(std::numbers::pi);
  const PrecedenceText e = number(std::numbers::e);
  for (std::uint32_t column = 0; column < input_names_.size(); ++column) {
    const std::string name = input_name(column);
    if (name == pi.text) pi_allowed_ = false;
    if (name == e.text) e_allowed_ = false;
  }
}

std::string FormulaSpelling::input_name(std::uint32_t column) const {
  const std::string name = column < input_names_.size() && !input_names_[column].empty()
                               ? input_names_[column]
                               : absl::StrCat("x", std::uint64_t{column} + 1);
  if (format_ == FormulaFormat::kLatex) return latex_name(name);
  return sanitize_identifier(name, format_);
}

std::string FormulaSpelling::param_name(std::uint32_t index) const {
  if (format_ == FormulaFormat::kLatex) return absl::StrCat("p_{", index, "}");
  return absl::StrCat("p", index);
}

PrecedenceText FormulaSpelling::number(double value) const {
  const bool negative = value < 0;
  const double magnitude = std::fabs(value);
  PrecedenceText out;
  if (magnitude == std::numbers::pi && pi_allowed_) {
    constexpr std::string_view kPi[] = {"pi", "pi", "\\pi", "M_PI"};
    out = {std::string(kPi[static_cast<int>(format_)]), Precedence::kAtom};
  } else if (magnitude == std::numbers::e && e_allowed_) {
    constexpr std::string_view kE[] = {"e", "E", "e", "M_E"};
    out = {std::string(kE[static_cast<int>(format_)]), Precedence::kAtom};
  } else {
    const std::string text = format_number(magnitude, significant_digits_);
    if (format_ == FormulaFormat::kLatex) {
      out = latex_number(text);
    } else if (format_ == FormulaFormat::kC && text.find_first_of(".e") == std::string::npos) {
      out = {absl::StrCat(text, ".0"), Precedence::kAtom};  // 3/5 would be integer division in C
    } else {
      out = {text, Precedence::kAtom};
    }
  }
  if (!negative) return out;
  out.text = concat({"-", out.text});
  out.precedence = std::min(out.precedence, Precedence::kUnary);
  return out;
}

std::string_view FormulaSpelling::function_name(Op op) const {
  const bool latex = format_ == FormulaFormat::kLatex;
  switch (op) {
    case Op::Log:
    case Op::ProtLog: return latex ? "\\log" : "log";
    case Op::Exp:
    case Op::ProtExp: return latex ? "\\exp" : "exp";
    case Op::Sin: return latex ? "\\sin" : "sin";
    case Op::Cos: return latex ? "\\cos" : "cos";
    case Op::Tan: return latex ? "\\tan" : "tan";
    case Op::Sqrt: return latex ? "\\sqrt" : "sqrt";
    case Op::Tanh: return latex ? "\\tanh" : "tanh";
    case Op::Asin: return latex ? "\\arcsin" : "asin";
    case Op::Acos: return latex ? "\\arccos" : "acos";
    case Op::Atan: return latex ? "\\arctan" : "atan";
    case Op::Input:
    case Op::Constant:
    case Op::Param:
    case Op::Add:
    case Op::Mul:
    case Op::Div:
    case Op::Pow:
    case Op::Neg: break;
  }
  LIES_CHECK(false && "function_name of an op that is not a function");
  return {};
}

std::string_view FormulaSpelling::clamp_name(Op op) const {
  LIES_CHECK(op == Op::ProtLog || op == Op::ProtExp);
  const bool max = op == Op::ProtLog;
  switch (format_) {
    case FormulaFormat::kInfix: return max ? "max" : "min";
    case FormulaFormat::kSympy: return max ? "Max" : "Min";
    case FormulaFormat::kLatex: return max ? "\\max" : "\\min";
    case FormulaFormat::kC: return max ? "fmax" : "fmin";
  }
  return {};
}

}  // namespace lies::io::detail
