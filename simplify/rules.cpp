#include "simplify/rules.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "autodiff/primitives.hpp"
#include "engine/check.hpp"

namespace lies::simplify {
namespace {

using engine::Op;

// ---------------------------------------------------------------------------------------------
// The table

// Rules are tried in this order at each node, and the first one whose pattern matches and whose
// guard holds fires. Patterns of the simplify stage are written for two shapes: the raw nodes of
// an input (Neg, Div, Sqrt) and the canonical sums of products of canonical.hpp, in which -u is
// -1*u, u/v is u*v^-1, sqrt(u) is u^0.5, a sum keeps its constant term last and a product its
// coefficient first.
constexpr RuleSpec kRuleSpecs[] = {
    // Constant folding. The value must be finite, so 1/0 and log(-1) stay as they are.
    {"fold a function of a constant", "f(a)", "fold(f(a))", "a constant"},
    {"fold an operation on constants", "f(a, b)", "fold(f(a, b))", "a constant and b constant"},

    // Neutral and absorbing elements. The presentation stage needs u*1 and u/1 to tidy 1*pi/1.
    {"add zero", "u + 0", "u", ""},
    {"multiply by one", "u * 1", "u", "", kSimplifyStage | kPresentStage},
    {"multiply by zero", "u * 0", "0", ""},
    {"divide by one", "u / 1", "u", "", kSimplifyStage | kPresentStage},
    {"power of one", "u ^ 1", "u", ""},
    {"power of zero", "u ^ 0", "1", ""},
    {"double negation", "-(-u)", "u", ""},

    // Inverse pairs, with their domains.
    {"exp of log", "exp(log(u))", "u", "u > 0"},
    {"log of exp", "log(exp(u))", "u", ""},

    // exp(a + b) = exp(a)*exp(b), for the terms b that then simplify: constants and logs.
    {"exp of a sum with a constant", "exp(u + c)", "fold(exp(c)) * exp(u)", "c constant"},
    {"exp of a sum with a log", "exp(u + log(v))", "v * exp(u)", "v > 0"},
    {"exp of a sum with a log multiple", "exp(u + c * log(v))", "v ^ c * exp(u)",
     "c constant and v > 0"},
    {"exp of a log multiple", "exp(c * log(u))", "u ^ c", "c constant and u > 0"},

    // log of products and powers, where every factor is positive.
    {"log of a power", "log(u ^ a)", "a * log(u)", "u > 0"},
    {"log of a product", "log(a * b)", "log(a) + log(b)", "a > 0 and b > 0"},

    // Powers. (u^a)^b = u^(a*b) fails only for u < 0 with a an even integer and b not an
    // integer: (x^2)^0.5 is |x|. Everywhere else both sides agree or the left is undefined.
    {"product of powers", "u ^ a * u ^ b", "u ^ (a + b)", ""},
    {"power times its base", "u * u ^ a", "u ^ (a + 1)", ""},
    {"square", "u * u", "u ^ 2", ""},
    {"power of a power", "(u ^ a) ^ b", "u ^ (a * b)", "u > 0 or b integer or a not even"},
    // Beyond |c| = 64 (canonical.hpp's kMaxDistributedExponent) a^c or b^c alone overflows or
    // underflows too easily where (a*b)^c does not: (2*t)^1e6 is 0 for t = 0.3, 2^1e6*t^1e6 is
    // inf*0.
    {"power of a product", "(a * b) ^ c", "a ^ c * b ^ c",
     "c integer and c >= -64 and c <= 64 or a > 0 and b > 0 and c >= -64 and c <= 64"},

    // Trigonometry: the sign of the argument out, and shifts by quarter turns, so that a sine
    // unit that fits a cosine prints as cos.
    {"sin of a negation", "sin(-u)", "-sin(u)", ""},
    {"sin of a negative multiple", "sin(c * u)", "-sin(fold(-c) * u)", "c < 0"},
    {"cos of a negation", "cos(-u)", "cos(u)", ""},
    {"cos of a negative multiple", "cos(c * u)", "cos(fold(-c) * u)", "c < 0"},
    {"sin of pi/2 minus", "sin(pi/2 - u)", "cos(u)", ""},
    {"sin of pi minus", "sin(pi - u)", "sin(u)", ""},
    {"sin shifted by a quarter turn", "sin(u + c)", "cos(u)", "c mod 2*pi = pi/2"},
    {"sin shifted by a half turn", "sin(u + c)", "-sin(u)", "c mod 2*pi = pi"},
    {"sin shifted by three quarter turns", "sin(u + c)", "-cos(u)", "c mod 2*pi = 3*pi/2"},
    {"sin shifted by whole turns", "sin(u + c)", "sin(u)", "c mod 2*pi = 0"},
    {"cos shifted by a quarter turn", "cos(u + c)", "-sin(u)", "c mod 2*pi = pi/2"},
    {"cos shifted by a half turn", "cos(u + c)", "-cos(u)", "c mod 2*pi = pi"},
    {"cos shifted by three quarter turns", "cos(u + c)", "sin(u)", "c mod 2*pi = 3*pi/2"},
    {"cos shifted by whole turns", "cos(u + c)", "cos(u)", "c mod 2*pi = 0"},

    // A constant of the simplified formula that is a simple value up to rounding errors, such
    // as the exponent 1.9999999999999996 that arithmetic on trained weights leaves, is that
    // value. It runs on the result only: rounding an intermediate such as cos(1e-5) would lose
    // what acos(cos(1e-5)) needs.
    {"round to a simple value", "c", "snap(c)", "c near simple", kRoundStage},

    // Presentation: named multiples the printer shows as 2*pi, pi/2, 1/(4*pi), 3*e, sqrt(2)/2.
    {"multiple of pi", "c", "num(c / pi) * pi / den(c / pi)",
     "c / pi simple and c / pi != 1 and c / pi != -1", kPresentStage},
    {"multiple of 1/pi", "c", "num(c * pi) / (den(c * pi) * pi)", "c * pi simple",
     kPresentStage},
    {"multiple of e", "c", "num(c / e) * e / den(c / e)",
     "c / e simple and c / e != 1 and c / e != -1", kPresentStage},
    {"multiple of sqrt(2)", "c", "num(c / sqrt(2)) * sqrt(2) / den(c / sqrt(2))",
     "c / sqrt(2) simple", kPresentStage},
};

// ---------------------------------------------------------------------------------------------
// Tokens

enum class TokenKind {
  kNumber,
  kName,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kCaret,
  kLeftParen,
  kRightParen,
  kComma,
  kGreater,
  kGreaterEqual,
  kLess,
  kLessEqual,
  kNotEqual,
  kEqual,
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::size_t column = 0;  // 1-based
  std::string_view text;
  double value = 0.0;
};

std::string describe(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "end of text";
  return absl::StrFormat("'%s' at column %d", std::string(token.text), token.column);
}

enum class Side { kLeft, kRight, kGuard };

std::string_view side_name(Side side) {
  switch (side) {
    case Side::kLeft: return "left side";
    case Side::kRight: return "right side";
    case Side::kGuard: return "guard";
  }
  return "";
}

// Parses one side of a rule into the rule's node array.
class Parser {
 public:
  Parser(Rule& rule, std::string_view text, Side side) : rule_(rule), text_(text), side_(side) {}

  absl::StatusOr<int> parse_expression() {
    if (absl::Status s = tokenize(); !s.ok()) return s;
    auto root = sum();
    if (!root.ok()) return root.status();
    if (peek().kind != TokenKind::kEnd) return fail(absl::StrFormat("unexpected %s", describe(peek())));
    return root;
  }

  absl::Status parse_guard() {
    if (absl::Status s = tokenize(); !s.ok()) return s;
    if (peek().kind == TokenKind::kEnd) return absl::OkStatus();
    while (true) {
      std::vector<Condition> conjunction;
      while (true) {
        auto condition = parse_condition();
        if (!condition.ok()) return condition.status();
        conjunction.push_back(*condition);
        if (!accept_word("and")) break;
      }
      rule_.guard.push_back(std::move(conjunction));
      if (!accept_word("or")) break;
    }
    if (peek().kind != TokenKind::kEnd) return fail(absl::StrFormat("unexpected %s", describe(peek())));
    return absl::OkStatus();
  }

 private:
  absl::Status fail(std::string message) const {
    return absl::InvalidArgumentError(
        absl::StrFormat("rule '%s': %s: %s", rule_.name, side_name(side_), message));
  }

  absl::Status tokenize() {
    std::size_t at = 0;
    while (at < text_.size()) {
      const char c = text_[at];
      if (c == ' ') {
        ++at;
        continue;
      }
      Token token;
      token.column = at + 1;
      const std::size_t start = at;
      if (absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '.') {
        double value = 0.0;
        const auto [end, error] = std::from_chars(text_.data() + at, text_.data() + text_.size(), value);
        if (error != std::errc() || !std::isfinite(value)) {
          return fail(absl::StrFormat("invalid number at column %d", token.column));
        }
        at = static_cast<std::size_t>(end - text_.data());
        token.kind = TokenKind::kNumber;
        token.value = value;
      } else if (absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_') {
        while (at < text_.size() &&
               (absl::ascii_isalnum(static_cast<unsigned char>(text_[at])) || text_[at] == '_')) {
          ++at;
        }
        token.kind = TokenKind::kName;
      } else {
        const char next = at + 1 < text_.size() ? text_[at + 1] : '\0';
        at += 1;
        switch (c) {
          case '+': token.kind = TokenKind::kPlus; break;
          case '-': token.kind = TokenKind::kMinus; break;
          case '*': token.kind = TokenKind::kStar; break;
          case '/': token.kind = TokenKind::kSlash; break;
          case '^': token.kind = TokenKind::kCaret; break;
          case '(': token.kind = TokenKind::kLeftParen; break;
          case ')': token.kind = TokenKind::kRightParen; break;
          case ',': token.kind = TokenKind::kComma; break;
          case '=': token.kind = TokenKind::kEqual; break;
          case '>':
          case '<':
          case '!':
            if (next == '=') {
              ++at;
              token.kind = c == '>' ? TokenKind::kGreaterEqual
                                    : (c == '<' ? TokenKind::kLessEqual : TokenKind::kNotEqual);
            } else if (c != '!') {
              token.kind = c == '>' ? TokenKind::kGreater : TokenKind::kLess;
            } else {
              return fail(absl::StrFormat("'!' without '=' at column %d", token.column));
            }
            break;
          default:
            return fail(absl::StrFormat("unexpected character '%c' at column %d", c, token.column));
        }
      }
      token.text = text_.substr(start, at - start);
      tokens_.push_back(token);
    }
    Token end;
    end.column = text_.size() + 1;
    tokens_.push_back(end);
    return absl::OkStatus();
  }

  const Token& peek() const { return tokens_[position_]; }
  const Token& take() { return tokens_[position_ < tokens_.size() - 1 ? position_++ : position_]; }

  bool accept(TokenKind kind) {
    if (peek().kind != kind) return false;
    take();
    return true;
  }

  bool accept_word(std::string_view word) {
    if (peek().kind != TokenKind::kName || peek().text != word) return false;
    take();
    return true;
  }

  int add(PatternNode node) {
    rule_.nodes.push_back(node);
    return static_cast<int>(rule_.nodes.size()) - 1;
  }

  int literal(double value) {
    PatternNode node;
    node.kind = PatternKind::kLiteral;
    node.value = value;
    return add(node);
  }

  // On the left, an operation on literals becomes the literal of its value.
  int operation(Op op, int a, int b) {
    PatternNode node;
    node.kind = PatternKind::kOp;
    node.op = op;
    node.arity = engine::arity(op);
    node.child = {a, b};
    const auto is_literal = [&](int k) { return k < 0 || rule_.nodes[k].kind == PatternKind::kLiteral; };
    if (side_ == Side::kLeft && is_literal(a) && is_literal(b)) {
      const double x = rule_.nodes[a].value;
      const double y = b < 0 ? 0.0 : rule_.nodes[b].value;
      const double value = autodiff::prim::apply(op, x, y, 0.0);
      if (std::isfinite(value)) {
        rule_.nodes.resize(static_cast<std::size_t>(std::min(a, b < 0 ? a : b)));
        return literal(value);
      }
    }
    return add(node);
  }

  absl::StatusOr<int> sum() {
    auto left = product();
    if (!left.ok()) return left;
    int result = *left;
    while (peek().kind == TokenKind::kPlus || peek().kind == TokenKind::kMinus) {
      const bool minus = take().kind == TokenKind::kMinus;
      auto right = product();
      if (!right.ok()) return right;
      const int term = minus ? negate(*right) : *right;
      result = operation(Op::Add, result, term);
    }
    return result;
  }

  int negate(int operand) {
    if (rule_.nodes[operand].kind == PatternKind::kLiteral) {
      rule_.nodes[operand].value = -rule_.nodes[operand].value;
      return operand;
    }
    return operation(Op::Neg, operand, -1);
  }

  absl::StatusOr<int> product() {
    auto left = unary();
    if (!left.ok()) return left;
    int result = *left;
    while (peek().kind == TokenKind::kStar || peek().kind == TokenKind::kSlash) {
      const Op op = take().kind == TokenKind::kStar ? Op::Mul : Op::Div;
      auto right = unary();
      if (!right.ok()) return right;
      result = operation(op, result, *right);
    }
    return result;
  }

  // A minus directly before a number (not raised to a power) makes a negative number.
  absl::StatusOr<int> unary() {
    if (accept(TokenKind::kMinus)) {
      if (peek().kind == TokenKind::kNumber && tokens_[position_ + 1].kind != TokenKind::kCaret) {
        return literal(-take().value);
      }
      auto operand = unary();
      if (!operand.ok()) return operand;
      return operation(Op::Neg, *operand, -1);
    }
    return power();
  }

  absl::StatusOr<int> power() {
    auto base = primary();
    if (!base.ok()) return base;
    if (!accept(TokenKind::kCaret)) return base;
    auto exponent = unary();
    if (!exponent.ok()) return exponent;
    return operation(Op::Pow, *base, *exponent);
  }

  absl::StatusOr<int> primary() {
    const Token token = take();
    switch (token.kind) {
      case TokenKind::kNumber: return literal(token.value);
      case TokenKind::kLeftParen: {
        auto inner = sum();
        if (!inner.ok()) return inner;
        if (!accept(TokenKind::kRightParen)) {
          return fail(absl::StrFormat("expected ')' for the '(' at column %d, found %s",
                                      token.column, describe(peek())));
        }
        return inner;
      }
      case TokenKind::kName: break;
      default:
        return fail(absl::StrFormat("expected an expression, found %s", describe(token)));
    }
    if (token.text == "pi") return literal(std::numbers::pi);
    if (token.text == "e") return literal(std::numbers::e);
    if (peek().kind != TokenKind::kLeftParen) return variable(token, 0);

    take();
    std::vector<int> arguments;
    while (true) {
      auto argument = sum();
      if (!argument.ok()) return argument;
      arguments.push_back(*argument);
      if (accept(TokenKind::kComma)) continue;
      if (accept(TokenKind::kRightParen)) break;
      return fail(absl::StrFormat("expected ',' or ')' in the call at column %d, found %s",
                                  token.column, describe(peek())));
    }
    return call(token, arguments);
  }

  absl::StatusOr<int> call(const Token& name, const std::vector<int>& arguments) {
    const auto numeric = numeric_function(name.text);
    if (numeric) {
      if (side_ == Side::kLeft) {
        return fail(absl::StrFormat("'%s' at column %d computes a number and cannot match a node",
                                    std::string(name.text), name.column));
      }
      if (side_ == Side::kGuard && *numeric != NumericFunction::kFold) {
        return fail(absl::StrFormat("'%s' at column %d is for the right side only",
                                    std::string(name.text), name.column));
      }
      if (arguments.size() != 1) {
        return fail(absl::StrFormat("'%s' at column %d takes one argument",
                                    std::string(name.text), name.column));
      }
      PatternNode node;
      node.kind = PatternKind::kNumeric;
      node.function = *numeric;
      node.arity = 1;
      node.child = {arguments[0], -1};
      return add(node);
    }

    const std::optional<Op> op = engine::op_from_spelling(name.text);
    if (op && engine::arity(*op) == 1 && *op != Op::ProtLog && *op != Op::ProtExp &&
        *op != Op::Neg) {
      if (arguments.size() != 1) {
        return fail(absl::StrFormat("'%s' at column %d takes one argument",
                                    std::string(name.text), name.column));
      }
      return operation(*op, arguments[0], -1);
    }
    if (arguments.size() > 2) {
      return fail(absl::StrFormat("'%s' at column %d has %d arguments; an op variable takes 1 or 2",
                                  std::string(name.text), name.column, arguments.size()));
    }
    auto slot = variable(name, static_cast<int>(arguments.size()));
    if (!slot.ok()) return slot;
    PatternNode node;
    node.kind = PatternKind::kOpVariable;
    node.slot = rule_.nodes[*slot].slot;
    node.arity = static_cast<int>(arguments.size());
    node.child = {arguments[0], arguments.size() > 1 ? arguments[1] : -1};
    rule_.nodes.pop_back();  // the variable node that `variable` added
    return add(node);
  }

  static std::optional<NumericFunction> numeric_function(std::string_view name) {
    if (name == "fold") return NumericFunction::kFold;
    if (name == "num") return NumericFunction::kNumerator;
    if (name == "den") return NumericFunction::kDenominator;
    if (name == "snap") return NumericFunction::kSnap;
    return std::nullopt;
  }

  // Adds a node for the variable `name` (arity 0) or op variable (arity 1 or 2). The left side
  // binds names; the right side and the guard may only use bound names.
  absl::StatusOr<int> variable(const Token& name, int arity) {
    const std::string text(name.text);
    int slot = -1;
    for (std::size_t k = 0; k < rule_.slot_names.size(); ++k) {
      if (rule_.slot_names[k] == text) slot = static_cast<int>(k);
    }
    const char* kind = arity == 0 ? "variable" : "op variable";
    if (slot < 0) {
      if (side_ != Side::kLeft) {
        return fail(absl::StrFormat("the %s '%s' at column %d is not bound by the left side", kind,
                                    text, name.column));
      }
      slot = static_cast<int>(rule_.slot_names.size());
      rule_.slot_names.push_back(text);
      rule_.slot_arity.push_back(arity);
    } else if (rule_.slot_arity[slot] != arity) {
      return fail(absl::StrFormat("'%s' at column %d is used with %d arguments here and %d elsewhere",
                                  text, name.column, arity, rule_.slot_arity[slot]));
    }
    PatternNode node;
    node.kind = PatternKind::kVariable;
    node.slot = slot;
    return add(node);
  }

  absl::StatusOr<Condition> parse_condition() {
    auto subject = sum();
    if (!subject.ok()) return subject.status();
    Condition condition;
    condition.subject = *subject;

    const Token token = peek();
    auto comparison = [&](Predicate predicate) -> absl::StatusOr<Condition> {
      take();
      auto operand = sum();
      if (!operand.ok()) return operand.status();
      condition.predicate = predicate;
      condition.operand = *operand;
      return condition;
    };
    switch (token.kind) {
      case TokenKind::kGreater: return comparison(Predicate::kGreater);
      case TokenKind::kGreaterEqual: return comparison(Predicate::kGreaterEqual);
      case TokenKind::kLess: return comparison(Predicate::kLess);
      case TokenKind::kLessEqual: return comparison(Predicate::kLessEqual);
      case TokenKind::kNotEqual: return comparison(Predicate::kNotEqual);
      case TokenKind::kEqual: return comparison(Predicate::kEqual);
      default: break;
    }
    if (accept_word("constant")) {
      if (rule_.nodes[*subject].kind != PatternKind::kVariable) {
        return fail(absl::StrFormat("'constant' at column %d needs a variable before it",
                                    token.column));
      }
      condition.predicate = Predicate::kConstant;
      return condition;
    }
    const std::pair<std::string_view, Predicate> words[] = {
        {"integer", Predicate::kInteger}, {"even", Predicate::kEven},
        {"odd", Predicate::kOdd},         {"simple", Predicate::kSimple}};
    for (const auto& [word, predicate] : words) {
      if (accept_word(word)) {
        condition.predicate = predicate;
        return condition;
      }
    }
    if (accept_word("not")) {
      if (!accept_word("even")) return fail(absl::StrFormat("expected 'even' after 'not', found %s", describe(peek())));
      condition.predicate = Predicate::kNotEven;
      return condition;
    }
    if (accept_word("near")) {
      if (!accept_word("simple")) return fail(absl::StrFormat("expected 'simple' after 'near', found %s", describe(peek())));
      condition.predicate = Predicate::kNearSimple;
      return condition;
    }
    if (accept_word("mod")) {
      auto modulus = sum();
      if (!modulus.ok()) return modulus.status();
      if (!accept(TokenKind::kEqual)) {
        return fail(absl::StrFormat("expected '=' after the modulus, found %s", describe(peek())));
      }
      auto remainder = sum();
      if (!remainder.ok()) return remainder.status();
      condition.predicate = Predicate::kModulo;
      condition.modulus = *modulus;
      condition.operand = *remainder;
      return condition;
    }
    return fail(absl::StrFormat("expected a comparison or a property (constant, integer, even, "
                                "odd, not even, simple, near simple, mod) after the subject, "
                                "found %s",
                                describe(token)));
  }

  Rule& rule_;
  std::string_view text_;
  Side side_;
  std::vector<Token> tokens_;
  std::size_t position_ = 0;
};

}  // namespace

absl::StatusOr<Rule> make_rule(const RuleSpec& spec) {
  Rule rule;
  rule.name = std::string(spec.name);
  rule.left_text = std::string(spec.left);
  rule.right_text = std::string(spec.right);
  rule.guard_text = std::string(spec.guard);
  rule.stages = spec.stages;
  if (rule.stages == 0 || (rule.stages & ~(kSimplifyStage | kRoundStage | kPresentStage)) != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rule '%s': stages is %d; use a combination of kSimplifyStage, kRoundStage and "
        "kPresentStage",
        rule.name, rule.stages));
  }

  auto left = Parser(rule, spec.left, Side::kLeft).parse_expression();
  if (!left.ok()) return left.status();
  rule.left = *left;
  if (rule.nodes[rule.left].kind == PatternKind::kLiteral) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rule '%s': left side: '%s' is a number; a left side needs a variable or an operation",
        rule.name, rule.left_text));
  }
  auto right = Parser(rule, spec.right, Side::kRight).parse_expression();
  if (!right.ok()) return right.status();
  rule.right = *right;
  if (absl::Status s = Parser(rule, spec.guard, Side::kGuard).parse_guard(); !s.ok()) return s;
  return rule;
}

std::span<const RuleSpec> rule_specs() { return kRuleSpecs; }

std::span<const Rule> rule_table() {
  static const std::vector<Rule> table = [] {
    std::vector<Rule> rules;
    for (const RuleSpec& spec : kRuleSpecs) {
      absl::StatusOr<Rule> rule = make_rule(spec);
      if (!rule.ok()) std::fprintf(stderr, "lies: %s\n", std::string(rule.status().message()).c_str());
      LIES_CHECK(rule.ok());
      rules.push_back(*std::move(rule));
    }
    return rules;
  }();
  return table;
}

}  // namespace lies::simplify
