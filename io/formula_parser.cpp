#include "io/formula_parser.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "engine/check.hpp"

namespace lies::io {
namespace {

using engine::Graph;
using engine::kNoNode;
using engine::NodeId;
using engine::Op;

// ---------------------------------------------------------------------------------------------
// Tokens

enum class TokenKind {
  kNumber,
  kName,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPower,  // ** or ^
  kLeftParen,
  kRightParen,
  kComma,
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::size_t column = 0;  // 1-based, in bytes
  std::string_view text;
  double value = 0.0;  // kNumber
};

// Quotes a token for a message: 'x' at column 3, or end of input.
std::string describe(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "end of input";
  return absl::StrFormat("'%s' at column %d", std::string(token.text), token.column);
}

absl::Status error(std::string message) { return absl::InvalidArgumentError(std::move(message)); }

// The bytes of one character for a message: a UTF-8 sequence as is, anything else not printable
// as \x escapes.
std::string describe_character(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  std::size_t length = 1;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  if (lead >= 0xe0 && lead <= 0xef) length = 3;
  if (lead >= 0xf0 && lead <= 0xf4) length = 4;
  bool valid = lead >= 0x80 ? length > 1 && at + length <= text.size() : absl::ascii_isprint(lead);
  for (std::size_t k = 1; valid && k < length; ++k) {
    valid = (static_cast<unsigned char>(text[at + k]) & 0xc0) == 0x80;
  }
  if (!valid) return absl::CHexEscape(std::string(1, text[at]));
  return std::string(text.substr(at, length));
}

// Returns the decimal exponent of the leading digit of a literal that std::from_chars rejected as
// out of range: positive means it overflowed, otherwise it underflowed.
long long leading_digit_exponent(std::string_view literal) {
  const std::size_t e = literal.find_first_of("eE");
  const std::string_view mantissa = literal.substr(0, e);
  long long exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view digits = literal.substr(e + 1);
    const bool negative = digits.front() == '-';
    if (digits.front() == '-' || digits.front() == '+') digits.remove_prefix(1);
    for (const char c : digits) exponent = std::min(exponent * 10 + (c - '0'), 1'000'000'000LL);
    if (negative) exponent = -exponent;
  }
  const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
  const std::size_t first = mantissa.find_first_of("123456789");
  if (first == std::string_view::npos) return exponent;
  // Digit k before the point has weight 10^(point-k-1), after it 10^(point-k).
  const long long weight = first < point ? static_cast<long long>(point - first) - 1
                                         : static_cast<long long>(point) - static_cast<long long>(first);
  return exponent + weight;
}

bool is_hex_digit(char c) { return absl::ascii_isxdigit(c); }
bool is_binary_digit(char c) { return c == '0' || c == '1'; }
bool is_identifier_char(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// Returns the end of the run of digits that starts at `at`. A ' between two digits is a
// digit separator, as in C23 and C++14: 1'000'000.
template <typename IsDigit>
std::size_t scan_digits(std::string_view text, std::size_t at, IsDigit is_digit) {
  std::size_t end = at;
  while (end < text.size()) {
    if (is_digit(text[end])) {
      ++end;
    } else if (text[end] == '\'' && end > at && end + 1 < text.size() && is_digit(text[end + 1])) {
      end += 2;
    } else {
      break;
    }
  }
  return end;
}

// Returns the end of a C suffix that starts at `at`, or `at` when there is none. A floating
// literal takes f, F, l or L. An integer literal takes u or U and l, L, ll or LL, in either
// order. A suffix counts only when no letter, digit or '_' follows it, so 2lx stays a number
// followed by the name lx.
std::size_t scan_suffix(std::string_view text, std::size_t at, bool floating) {
  std::size_t end = at;
  auto take = [&](std::string_view options) {
    if (end < text.size() && options.find(text[end]) != std::string_view::npos) {
      ++end;
      return true;
    }
    return false;
  };
  auto take_long = [&]() {
    if (end + 1 < text.size() && (text.substr(end, 2) == "ll" || text.substr(end, 2) == "LL")) {
      end += 2;
      return true;
    }
    return take("lL");
  };
  if (floating) {
    take("fFlL");
  } else if (take("uU")) {
    take_long();
  } else if (take_long()) {
    take("uU");
  }
  if (end < text.size() && is_identifier_char(text[end])) return at;
  return end;
}

std::string without_separators(std::string_view digits) {
  std::string out;
  for (const char c : digits) {
    if (c != '\'') out += c;
  }
  return out;
}

absl::Status too_large(const Token& token) {
  return error(absl::StrFormat("number '%s' at column %d is too large for a double",
                               std::string(token.text), token.column));
}

// Reads a hexadecimal literal 0x... that starts at `at`: an integer (0x1F) or a floating
// literal (0x1.8p3, 0x1p-2). As in C, a hexadecimal literal with a point needs the binary
// exponent p.
absl::StatusOr<Token> lex_hexadecimal(std::string_view text, std::size_t at) {
  const std::size_t first = at + 2;
  std::size_t end = scan_digits(text, first, is_hex_digit);
  const bool integer_part = end > first;
  bool point = false;
  bool fraction = false;
  if (end < text.size() && text[end] == '.') {
    point = true;
    const std::size_t fraction_begin = end + 1;
    end = scan_digits(text, fraction_begin, is_hex_digit);
    fraction = end > fraction_begin;
  }
  if (!integer_part && !fraction) {
    return error(absl::StrFormat("invalid number '%s' at column %d: no hexadecimal digits after 0x",
                                 std::string(text.substr(at, end - at)), at + 1));
  }
  bool exponent = false;
  if (end < text.size() && (text[end] == 'p' || text[end] == 'P')) {
    std::size_t digits = end + 1;
    if (digits < text.size() && (text[digits] == '+' || text[digits] == '-')) ++digits;
    if (digits >= text.size() || !absl::ascii_isdigit(text[digits])) {
      return error(absl::StrFormat("invalid number '%s' at column %d: the exponent has no digits",
                                   std::string(text.substr(at, digits - at)), at + 1));
    }
    end = scan_digits(text, digits, absl::ascii_isdigit);
    exponent = true;
  }
  if (point && !exponent) {
    return error(absl::StrFormat(
        "invalid number '%s' at column %d: a hexadecimal number with a point needs a binary "
        "exponent, as in 0x1.8p0",
        std::string(text.substr(at, end - at)), at + 1));
  }
  const std::size_t literal_end = end;
  end = scan_suffix(text, end, exponent);

  Token token{TokenKind::kNumber, at + 1, text.substr(at, end - at)};
  const std::string digits = without_separators(text.substr(first, literal_end - first));
  const std::from_chars_result result = std::from_chars(
      digits.data(), digits.data() + digits.size(), token.value, std::chars_format::hex);
  if (result.ec == std::errc::result_out_of_range) {
    // from_chars does not say which way it went out of range; a positive result of the
    // leading digit's binary exponent means overflow.
    const std::size_t p = digits.find_first_of("pP");
    long long binary_exponent = 0;
    if (p != std::string::npos) {
      std::string_view power(digits);
      power.remove_prefix(p + 1);
      const bool negative = power.front() == '-';
      if (power.front() == '-' || power.front() == '+') power.remove_prefix(1);
      for (const char c : power) binary_exponent = std::min(binary_exponent * 10 + (c - '0'), 1'000'000'000LL);
      if (negative) binary_exponent = -binary_exponent;
    }
    // The leading digit is worth about 16^(point - leading), counting the point itself as a
    // position when it comes first, which is close enough to tell 2^1024 from 2^-1074.
    const std::string_view mantissa = std::string_view(digits).substr(0, p);
    const std::size_t point_at = std::min(mantissa.find('.'), mantissa.size());
    const std::size_t leading = mantissa.find_first_not_of("0.");
    if (leading != std::string_view::npos) {
      const long long weight =
          4 * (static_cast<long long>(point_at) - static_cast<long long>(leading));
      if (binary_exponent + weight > 0) return too_large(token);
    }
    token.value = 0.0;  // underflow
  } else {
    LIES_CHECK(result.ec == std::errc() && result.ptr == digits.data() + digits.size());
  }
  return token;
}

// Reads a binary integer literal 0b101 (C23) that starts at `at`.
absl::StatusOr<Token> lex_binary(std::string_view text, std::size_t at) {
  const std::size_t first = at + 2;
  const std::size_t literal_end = scan_digits(text, first, is_binary_digit);
  if (literal_end == first) {
    return error(absl::StrFormat("invalid number '%s' at column %d: no binary digits after 0b",
                                 std::string(text.substr(at, 2)), at + 1));
  }
  const std::size_t end = scan_suffix(text, literal_end, false);
  Token token{TokenKind::kNumber, at + 1, text.substr(at, end - at)};

  // Four bits make one hexadecimal digit, so that from_chars rounds the value correctly.
  std::string bits = without_separators(text.substr(first, literal_end - first));
  bits.insert(0, (4 - bits.size() % 4) % 4, '0');
  std::string hex;
  for (std::size_t k = 0; k < bits.size(); k += 4) {
    const int nibble = (bits[k] - '0') * 8 + (bits[k + 1] - '0') * 4 + (bits[k + 2] - '0') * 2 +
                       (bits[k + 3] - '0');
    hex += "0123456789abcdef"[nibble];
  }
  const std::from_chars_result result =
      std::from_chars(hex.data(), hex.data() + hex.size(), token.value, std::chars_format::hex);
  if (result.ec == std::errc::result_out_of_range) return too_large(token);
  LIES_CHECK(result.ec == std::errc() && result.ptr == hex.data() + hex.size());
  return token;
}

// Reads a number literal that starts at `at`, in any C form. A decimal literal has digits, an
// optional fraction and an optional exponent, with at least one digit before the exponent.
// Hexadecimal and binary literals, digit separators and suffixes are accepted too.
absl::StatusOr<Token> lex_number(std::string_view text, std::size_t at) {
  if (text[at] == '0' && at + 1 < text.size()) {
    const char radix = absl::ascii_tolower(text[at + 1]);
    if (radix == 'x') return lex_hexadecimal(text, at);
    if (radix == 'b') return lex_binary(text, at);
  }

  std::size_t end = scan_digits(text, at, absl::ascii_isdigit);
  const std::size_t integer_end = end;
  bool floating = false;
  if (end < text.size() && text[end] == '.') {
    floating = true;
    end = scan_digits(text, end + 1, absl::ascii_isdigit);
  }
  if (end < text.size() && (text[end] == 'e' || text[end] == 'E')) {
    std::size_t digits = end + 1;
    if (digits < text.size() && (text[digits] == '+' || text[digits] == '-')) ++digits;
    if (digits >= text.size() || !absl::ascii_isdigit(text[digits])) {
      return error(absl::StrFormat("invalid number '%s' at column %d: the exponent has no digits",
                                   std::string(text.substr(at, digits - at)), at + 1));
    }
    end = scan_digits(text, digits, absl::ascii_isdigit);
    floating = true;
  }
  const std::size_t literal_end = end;
  end = scan_suffix(text, end, floating);

  Token token{TokenKind::kNumber, at + 1, text.substr(at, end - at)};
  const std::string literal = without_separators(text.substr(at, literal_end - at));
  const std::from_chars_result result =
      std::from_chars(literal.data(), literal.data() + literal.size(), token.value);
  if (result.ec == std::errc::result_out_of_range) {
    if (leading_digit_exponent(literal) > 0) return too_large(token);
    token.value = 0.0;  // underflow, as in Python
  } else {
    LIES_CHECK(result.ec == std::errc() && result.ptr == literal.data() + literal.size());
  }

  // C reads an integer with a leading 0 as octal and Python rejects it, so 010 means 8 to
  // one reader and 10 to another. Only 00 to 07 mean the same in both.
  const std::string integer = without_separators(text.substr(at, integer_end - at));
  if (!floating && integer.size() > 1 && integer.front() == '0' && token.value >= 8.0) {
    const std::string decimal = integer.substr(integer.find_first_not_of('0'));
    std::uint64_t octal = 0;
    const std::from_chars_result as_octal =
        std::from_chars(integer.data(), integer.data() + integer.size(), octal, 8);
    if (as_octal.ptr != integer.data() + integer.size()) {
      return error(absl::StrFormat(
          "number '%s' at column %d has a leading 0, which makes it octal in C, but it has the "
          "digit 8 or 9; write %s without the leading 0",
          std::string(token.text), token.column, decimal));
    }
    const std::string octal_text =
        as_octal.ec == std::errc() ? absl::StrFormat(" (%d)", octal) : std::string();
    return error(absl::StrFormat(
        "number '%s' at column %d is ambiguous: a leading 0 makes it octal%s in C; write %s "
        "without the leading 0 for the decimal value",
        std::string(token.text), token.column, octal_text, decimal));
  }
  return token;
}

absl::StatusOr<std::vector<Token>> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++at;
      continue;
    }
    const bool starts_number =
        absl::ascii_isdigit(c) || (c == '.' && at + 1 < text.size() && absl::ascii_isdigit(text[at + 1]));
    if (starts_number) {
      absl::StatusOr<Token> number = lex_number(text, at);
      if (!number.ok()) return number.status();
      at += number->text.size();
      tokens.push_back(*number);
      continue;
    }
    if (absl::ascii_isalpha(c) || c == '_') {
      std::size_t end = at + 1;
      while (end < text.size() && (absl::ascii_isalnum(text[end]) || text[end] == '_')) ++end;
      tokens.push_back({TokenKind::kName, at + 1, text.substr(at, end - at)});
      at = end;
      continue;
    }
    TokenKind kind;
    std::size_t length = 1;
    switch (c) {
      case '+': kind = TokenKind::kPlus; break;
      case '-': kind = TokenKind::kMinus; break;
      case '/': kind = TokenKind::kSlash; break;
      case '^': kind = TokenKind::kPower; break;
      case '(': kind = TokenKind::kLeftParen; break;
      case ')': kind = TokenKind::kRightParen; break;
      case ',': kind = TokenKind::kComma; break;
      case '*':
        if (at + 1 < text.size() && text[at + 1] == '*') {
          kind = TokenKind::kPower;
          length = 2;
        } else {
          kind = TokenKind::kStar;
        }
        break;
      default:
        return error(absl::StrFormat("unexpected character '%s' at column %d",
                                     describe_character(text, at), at + 1));
    }
    tokens.push_back({kind, at + 1, text.substr(at, length)});
    at += length;
  }
  tokens.push_back({TokenKind::kEnd, text.size() + 1, {}});
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Names

struct FunctionName {
  std::string_view name;
  Op op;
};

constexpr std::array<FunctionName, 14> kFunctions = {{
    {"exp", Op::Exp},
    {"log", Op::Log},
    {"ln", Op::Log},
    {"sqrt", Op::Sqrt},
    {"sin", Op::Sin},
    {"cos", Op::Cos},
    {"tan", Op::Tan},
    {"tanh", Op::Tanh},
    {"asin", Op::Asin},
    {"acos", Op::Acos},
    {"atan", Op::Atan},
    {"arcsin", Op::Asin},
    {"arccos", Op::Acos},
    {"arctan", Op::Atan},
}};

std::optional<Op> find_function(std::string_view name) {
  for (const FunctionName& function : kFunctions) {
    if (function.name == name) return function.op;
  }
  return std::nullopt;
}

}  // namespace

bool is_reserved_name(std::string_view name) {
  return find_function(name).has_value() || name == "max" || name == "min" || name == "pi" ||
         name == "e";
}

namespace {

std::string known_functions() {
  std::string out;
  for (const FunctionName& function : kFunctions) {
    if (!out.empty()) out += ", ";
    out += function.name;
  }
  return out;
}

// At most this many names are listed in an error about an unknown variable.
constexpr std::size_t kMaxListedNames = 20;

std::string known_variables(const std::vector<std::string>& variables) {
  if (variables.empty()) return "none";
  std::string out;
  for (std::size_t k = 0; k < variables.size() && k < kMaxListedNames; ++k) {
    if (k > 0) out += ", ";
    out += variables[k];
  }
  if (variables.size() > kMaxListedNames) {
    absl::StrAppendFormat(&out, " and %d more", variables.size() - kMaxListedNames);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parser
//
// An operator-precedence parser with explicit stacks of operands and pending operators, so the
// nesting depth costs heap memory, never stack frames.

// A parsed subexpression. A bare number literal gets its node only when it is used, because a
// minus before it may still turn it into one negative Constant.
struct Operand {
  NodeId id = kNoNode;
  bool is_literal = false;
  double literal = 0.0;
};

struct Pending {
  enum class Kind {
    kAdd,
    kSubtract,
    kMultiply,
    kDivide,
    kPower,
    kNegate,
    kPlus,
    // Frames: an open parenthesis, a function call, and the max or min inside log or exp.
    kParen,
    kCall,
    kClamp,
  };

  Kind kind;
  const Token* token;  // the operator, or the '(' of a frame
  Op function = Op::Input;  // kCall: the function. kClamp: ProtLog or ProtExp.
  const Token* name = nullptr;  // kCall and kClamp: the function name
  double limit = 0.0;  // kClamp, after its comma
  bool has_limit = false;

  bool is_frame() const { return kind == Kind::kParen || kind == Kind::kCall || kind == Kind::kClamp; }
  // Whether the entry counts toward ParseOptions::max_depth.
  bool is_nested() const {
    return is_frame() || kind == Kind::kNegate || kind == Kind::kPlus || kind == Kind::kPower;
  }
  int precedence() const {
    switch (kind) {
      case Kind::kAdd:
      case Kind::kSubtract: return 1;
      case Kind::kMultiply:
      case Kind::kDivide: return 2;
      case Kind::kNegate:
      case Kind::kPlus: return 3;
      case Kind::kPower: return 4;
      case Kind::kParen:
      case Kind::kCall:
      case Kind::kClamp: return 0;
    }
    return 0;
  }
};

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, Graph& graph, const ParseOptions& options,
         std::vector<std::string>& variables)
      : tokens_(tokens), graph_(graph), options_(options), variables_(variables) {
    for (std::size_t j = 0; j < variables_.size(); ++j) variable_index_.try_emplace(variables_[j], j);
  }

  absl::StatusOr<NodeId> parse() {
    bool expect_operand = true;
    while (true) {
      const Token& token = tokens_[next_];
      absl::Status status;
      if (expect_operand) {
        status = read_operand(token, expect_operand);
      } else if (token.kind == TokenKind::kEnd) {
        return finish();
      } else {
        status = read_operator(token, expect_operand);
      }
      if (!status.ok()) return status;
    }
  }

 private:
  // Reads a token where an expression must start.
  absl::Status read_operand(const Token& token, bool& expect_operand) {
    switch (token.kind) {
      case TokenKind::kNumber:
        operands_.push_back({kNoNode, true, token.value});
        ++next_;
        expect_operand = false;
        return absl::OkStatus();
      case TokenKind::kName:
        if (tokens_[next_ + 1].kind == TokenKind::kLeftParen) return open_call(token);
        ++next_;
        expect_operand = false;
        return push_name(token);
      case TokenKind::kLeftParen:
        ++next_;
        return push({Pending::Kind::kParen, &token});
      case TokenKind::kMinus:
        ++next_;
        return push({Pending::Kind::kNegate, &token});
      case TokenKind::kPlus:
        ++next_;
        return push({Pending::Kind::kPlus, &token});
      case TokenKind::kStar:
      case TokenKind::kSlash:
      case TokenKind::kPower:
      case TokenKind::kRightParen:
      case TokenKind::kComma:
      case TokenKind::kEnd: break;
    }
    if (next_ == 0) {
      return error(absl::StrFormat("expected an expression at column %d, found %s", token.column,
                                   describe(token)));
    }
    const Token& previous = tokens_[next_ - 1];
    return error(absl::StrFormat("expected an expression after '%s' at column %d, found %s",
                                 std::string(previous.text), previous.column, describe(token)));
  }

  // Reads a token after a complete expression: a binary operator, ')' or ','.
  absl::Status read_operator(const Token& token, bool& expect_operand) {
    Pending::Kind kind;
    switch (token.kind) {
      case TokenKind::kPlus: kind = Pending::Kind::kAdd; break;
      case TokenKind::kMinus: kind = Pending::Kind::kSubtract; break;
      case TokenKind::kStar: kind = Pending::Kind::kMultiply; break;
      case TokenKind::kSlash: kind = Pending::Kind::kDivide; break;
      case TokenKind::kPower: kind = Pending::Kind::kPower; break;
      case TokenKind::kRightParen: return close(token);
      case TokenKind::kComma: return read_limit(token);
      case TokenKind::kNumber:
      case TokenKind::kName:
      case TokenKind::kLeftParen:
      case TokenKind::kEnd:
      default:
        return error(absl::StrFormat("unexpected %s, expected an operator", describe(token)));
    }
    // Reduce what binds at least as tightly. Power is right-associative, so an equal power stays.
    const Pending incoming{kind, &token};
    const bool right_associative = kind == Pending::Kind::kPower;
    while (!pending_.empty() && !pending_.back().is_frame()) {
      const int top = pending_.back().precedence();
      if (top < incoming.precedence() || (top == incoming.precedence() && right_associative)) break;
      reduce();
    }
    ++next_;
    expect_operand = true;
    return push(incoming);
  }

  absl::Status push(const Pending& entry) {
    if (entry.is_nested() && ++depth_ > options_.max_depth) {
      return error(absl::StrFormat("nesting deeper than %d at column %d", options_.max_depth,
                                   entry.token->column));
    }
    pending_.push_back(entry);
    return absl::OkStatus();
  }

  Pending pop() {
    Pending entry = pending_.back();
    pending_.pop_back();
    if (entry.is_nested()) --depth_;
    return entry;
  }

  absl::Status push_name(const Token& token) {
    const std::string_view name = token.text;
    if (const auto it = variable_index_.find(std::string(name)); it != variable_index_.end()) {
      operands_.push_back({graph_.input(static_cast<std::uint32_t>(it->second))});
      return absl::OkStatus();
    }
    if (name == "pi" || name == "e") {
      operands_.push_back({graph_.constant(name == "pi" ? std::numbers::pi : std::numbers::e)});
      return absl::OkStatus();
    }
    if (find_function(name) || name == "max" || name == "min") {
      return error(absl::StrFormat("function '%s' at column %d needs an argument in parentheses",
                                   std::string(name), token.column));
    }
    if (!options_.add_unknown_variables) {
      return error(absl::StrFormat("unknown variable '%s' at column %d (known: %s)", std::string(name),
                                   token.column, known_variables(variables_)));
    }
    const std::size_t index = variables_.size();
    variables_.emplace_back(name);
    variable_index_.try_emplace(variables_.back(), index);
    operands_.push_back({graph_.input(static_cast<std::uint32_t>(index))});
    return absl::OkStatus();
  }

  // Opens a function call at `name`, which is followed by '('.
  absl::Status open_call(const Token& name) {
    const Token& paren = tokens_[next_ + 1];
    Pending entry{Pending::Kind::kCall, &paren};
    entry.name = &name;
    if (name.text == "max" || name.text == "min") {
      // Only log(max(z, c)) and exp(min(z, c)), the protected ops, are supported.
      const bool is_max = name.text == "max";
      const Op outer = is_max ? Op::Log : Op::Exp;
      const bool directly_inside = !pending_.empty() && pending_.back().kind == Pending::Kind::kCall &&
                                   pending_.back().function == outer &&
                                   pending_.back().token == &tokens_[next_ - 1];
      if (!directly_inside) {
        return error(absl::StrFormat(
            "%s(...) at column %d is supported only as %s; use that form or rewrite the formula",
            std::string(name.text), name.column,
            is_max ? "log(max(expression, number))" : "exp(min(expression, number))"));
      }
      entry.kind = Pending::Kind::kClamp;
      entry.function = is_max ? Op::ProtLog : Op::ProtExp;
    } else if (const std::optional<Op> function = find_function(name.text)) {
      entry.function = *function;
    } else {
      return error(absl::StrFormat("unknown function '%s' at column %d (known: %s)",
                                   std::string(name.text), name.column, known_functions()));
    }
    next_ += 2;
    return push(entry);
  }

  // Reads ", limit" of log(max(z, limit)) or exp(min(z, limit)) and the ')' that closes the max or
  // min. The next token must then close the log or exp.
  absl::Status read_limit(const Token& comma) {
    while (!pending_.empty() && !pending_.back().is_frame()) reduce();
    if (pending_.empty() || pending_.back().kind != Pending::Kind::kClamp) {
      if (!pending_.empty() && pending_.back().kind == Pending::Kind::kCall) {
        return error(absl::StrFormat("function '%s' at column %d takes one argument, found %s",
                                     std::string(pending_.back().name->text),
                                     pending_.back().name->column, describe(comma)));
      }
      return error(absl::StrFormat("unexpected %s", describe(comma)));
    }
    const Pending clamp = pending_.back();

    std::size_t at = next_ + 1;
    bool negative = false;
    if (tokens_[at].kind == TokenKind::kMinus || tokens_[at].kind == TokenKind::kPlus) {
      negative = tokens_[at].kind == TokenKind::kMinus;
      ++at;
    }
    const Token& limit = tokens_[at];
    std::optional<double> value;
    if (limit.kind == TokenKind::kNumber) value = limit.value;
    if (limit.kind == TokenKind::kName && limit.text == "pi") value = std::numbers::pi;
    if (limit.kind == TokenKind::kName && limit.text == "e") value = std::numbers::e;
    if (!value) {
      return error(absl::StrFormat("the second argument of %s at column %d must be a number, found %s",
                                   std::string(clamp.name->text), clamp.name->column, describe(limit)));
    }

    const Token& closing = tokens_[at + 1];
    if (closing.kind != TokenKind::kRightParen) {
      return error(absl::StrFormat("expected ')' after the number of %s at column %d, found %s",
                                   std::string(clamp.name->text), clamp.name->column,
                                   describe(closing)));
    }

    pending_.back().limit = negative ? -*value : *value;
    pending_.back().has_limit = true;
    next_ = at + 1;  // close() reads the ')'
    return absl::OkStatus();
  }

  // Closes the innermost frame at `token`, a ')'.
  absl::Status close(const Token& token) {
    while (!pending_.empty() && !pending_.back().is_frame()) reduce();
    if (pending_.empty()) return error(absl::StrFormat("unexpected ')' at column %d", token.column));
    const Pending frame = pop();
    ++next_;
    Operand& operand = operands_.back();
    switch (frame.kind) {
      case Pending::Kind::kParen:
        operand.is_literal = false;  // -(2) keeps its Neg
        materialize(operand);
        return absl::OkStatus();
      case Pending::Kind::kCall:
        operand = {graph_.unary(frame.function, node(operand))};
        return absl::OkStatus();
      case Pending::Kind::kClamp: return close_clamp(frame);
      default: break;
    }
    LIES_CHECK(false && "close() popped an operator");
    return absl::OkStatus();
  }

  absl::Status close_clamp(const Pending& clamp) {
    if (!clamp.has_limit) {
      return error(absl::StrFormat("%s at column %d needs two arguments, as in %s",
                                   std::string(clamp.name->text), clamp.name->column,
                                   clamp.function == Op::ProtLog ? "log(max(x, 1e-9))"
                                                                 : "exp(min(x, 50))"));
    }
    // The enclosing log or exp must end right here: log(max(z, c)) + 1 is fine, log(max(z, c) + 1)
    // is not a protected op.
    const Token& token = tokens_[next_];
    if (token.kind != TokenKind::kRightParen) {
      return error(absl::StrFormat(
          "expected ')' after %s(...) at column %d, found %s; %s(...) must be the whole argument of %s",
          std::string(clamp.name->text), clamp.name->column, describe(token),
          std::string(clamp.name->text), clamp.function == Op::ProtLog ? "log" : "exp"));
    }
    const Pending call = pop();
    LIES_CHECK(call.kind == Pending::Kind::kCall);  // open_call put the clamp right inside it
    ++next_;
    Operand& operand = operands_.back();
    const NodeId argument = node(operand);
    operand = {clamp.function == Op::ProtLog ? graph_.prot_log(argument, clamp.limit)
                                              : graph_.prot_exp(argument, clamp.limit)};
    return absl::OkStatus();
  }

  absl::StatusOr<NodeId> finish() {
    while (!pending_.empty() && !pending_.back().is_frame()) reduce();
    if (!pending_.empty()) {
      return error(absl::StrFormat("unbalanced '(' opened at column %d", pending_.back().token->column));
    }
    LIES_CHECK(operands_.size() == 1);
    return node(operands_.back());
  }

  NodeId node(Operand& operand) {
    materialize(operand);
    return operand.id;
  }

  void materialize(Operand& operand) {
    if (operand.id == kNoNode) operand.id = graph_.constant(operand.literal);
  }

  // Applies the operator on top of the pending stack to the operands it needs.
  void reduce() {
    const Pending entry = pop();
    Operand right = operands_.back();
    operands_.pop_back();
    Operand result;
    switch (entry.kind) {
      case Pending::Kind::kNegate:
        // A minus directly before a number literal makes one negative Constant.
        result = {right.is_literal ? graph_.constant(-right.literal) : graph_.neg(node(right))};
        break;
      case Pending::Kind::kPlus: result = {node(right)}; break;
      case Pending::Kind::kAdd:
      case Pending::Kind::kSubtract:
      case Pending::Kind::kMultiply:
      case Pending::Kind::kDivide:
      case Pending::Kind::kPower: {
        Operand& left = operands_.back();
        const NodeId a = node(left);
        if (entry.kind == Pending::Kind::kSubtract) {
          // a - 2 is Add(a, Constant(-2)), a - b is Add(a, Neg(b)).
          const NodeId b = right.is_literal ? graph_.constant(-right.literal) : graph_.neg(node(right));
          result = {graph_.add(a, b)};
        } else {
          const Op op = entry.kind == Pending::Kind::kAdd        ? Op::Add
                        : entry.kind == Pending::Kind::kMultiply ? Op::Mul
                        : entry.kind == Pending::Kind::kDivide   ? Op::Div
                                                                 : Op::Pow;
          result = {graph_.binary(op, a, node(right))};
        }
        operands_.pop_back();
        break;
      }
      case Pending::Kind::kParen:
      case Pending::Kind::kCall:
      case Pending::Kind::kClamp: LIES_CHECK(false && "reduce() of a frame");
    }
    operands_.push_back(result);
  }

  const std::vector<Token>& tokens_;
  Graph& graph_;
  const ParseOptions& options_;
  std::vector<std::string>& variables_;
  absl::flat_hash_map<std::string, std::size_t> variable_index_;

  std::size_t next_ = 0;  // index of the next token
  std::vector<Operand> operands_;
  std::vector<Pending> pending_;
  int depth_ = 0;
};

}  // namespace

absl::StatusOr<NodeId> parse_formula(std::string_view text, Graph& graph, const ParseOptions& options) {
  if (text.size() > options.max_length) {
    return error(absl::StrFormat("formula has %d bytes, more than max_length (%d)", text.size(),
                                 options.max_length));
  }
  if (options.max_depth < 1) {
    return error(absl::StrFormat("max_depth is %d; expected at least 1", options.max_depth));
  }
  if (options.add_unknown_variables && options.variables == nullptr) {
    return error("add_unknown_variables needs a variables list to append to; set variables");
  }

  absl::StatusOr<std::vector<Token>> tokens = tokenize(text);
  if (!tokens.ok()) return tokens.status();

  std::vector<std::string> no_variables;
  std::vector<std::string>& variables = options.variables ? *options.variables : no_variables;
  const std::size_t known = variables.size();
  Parser parser(*tokens, graph, options, variables);
  absl::StatusOr<NodeId> root = parser.parse();
  if (!root.ok()) variables.resize(known);
  return root;
}

}  // namespace lies::io
