// Rewrite rules as data: a name, a left pattern, a right pattern and a guard, written as text
// and checked when the rule is built.
//
//   {"exp of log", "exp(log(u))", "u", "u > 0"}
//
// Patterns are infix expressions: + - * / ^, unary minus, function calls and parentheses, with
// the precedence of formula_parser.hpp (a - b is a + (-b), -2 is one number, 2^-1 is 2^(-1)).
//   number, pi, e      a constant; on the left, a subtree made of constants only is folded into
//                      one number (pi/2 matches the constant pi/2, not the division);
//   name               a variable. It matches any node; a variable used twice matches the same
//                      node twice (one node, as the graph is hash-consed);
//   exp(x) ... atan(x) the function of that name in engine/ops.def, sqrt included;
//   f(x), f(x, y)      another name with arguments is an op variable: it matches any node with
//                      that many children (unary ProtLog and ProtExp included, with their limit);
//   fold(x)            right side and guards only: the value of x computed now, in double, from
//                      constants. The rule does not fire when a leaf of x is not a constant or
//                      the value is not finite;
//   num(x), den(x)     right side only: numerator and denominator of x as a simple fraction;
//   snap(x)            right side only: the simple value that x is within rounding of.
// The left side matches + and * in both child orders. When a matched node is a sum (product) of
// three to 64 terms (factors), either operand of the pattern may match any one term and the
// other operand then matches the sum (product) of the remaining terms, so exp(u + c*log(v))
// finds the log term wherever the sum keeps it. Longer sums match by their two children.
//
// A guard is a disjunction of conjunctions: "a > 0 and b > 0 or c integer". Conditions:
//   x > 0, x >= 0, x < 0, x <= 0, x != 0, x = y     comparisons. When both sides are numbers
//                      (built from constants) they are compared as numbers. Otherwise the
//                      left side must be a variable and the right side 0, and the sign of the
//                      variable's node is proved from its structure or, with data, by
//                      evaluating it on every row: "u > 0 on the data";
//   x constant         x is a variable bound to a Constant node;
//   x integer, x even, x odd, x not even            x is a number with that property;
//   x simple           x is a number within 1e-12 (relative) of a simple fraction p/q
//                      (simplify::simple_fraction);
//   x near simple      x is a number within the rewriter's round-off tolerance of a simple
//                      value other than itself (simplify::nearby_simple_value);
//   x mod y = z        x - z is an integer multiple of y, at most a million times y (numbers,
//                      to 1e-12 relative).
// A condition whose numbers cannot be computed is false.
//
// make_rule rejects a rule whose right side or guard uses a variable or op variable that the
// left side does not bind, and a rule whose left side cannot match anything.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/graph.hpp"

namespace lies::simplify {

// The stages of simplify(), in order: rules of the simplify stage run to a fixpoint with the
// canonical sum-of-products pass between rounds. The round stage then replaces the constants of
// the result that are simple values up to rounding errors, and when it changed any, the
// simplify stage runs again. Rules of the presentation stage run last and without the canonical
// pass, to write numbers in the forms the printer shows by name (2*pi, 1/(4*pi), sqrt(2)/2).
enum Stage : std::uint8_t {
  kSimplifyStage = 1,
  kRoundStage = 2,
  kPresentStage = 4,
};

// A rule as written.
struct RuleSpec {
  std::string_view name;
  std::string_view left;
  std::string_view right;
  std::string_view guard;  // empty: always true
  std::uint8_t stages = kSimplifyStage;
};

enum class PatternKind : std::uint8_t {
  kVariable,    // slot
  kLiteral,     // value
  kOp,          // op, children
  kOpVariable,  // slot, children
  kNumeric,     // function, one child
};

enum class NumericFunction : std::uint8_t { kFold, kNumerator, kDenominator, kSnap };

struct PatternNode {
  PatternKind kind = PatternKind::kLiteral;
  engine::Op op = engine::Op::Constant;
  NumericFunction function = NumericFunction::kFold;
  int slot = -1;
  int arity = 0;
  std::array<int, 2> child = {-1, -1};
  double value = 0.0;
};

enum class Predicate : std::uint8_t {
  kGreater,
  kGreaterEqual,
  kLess,
  kLessEqual,
  kNotEqual,
  kEqual,
  kConstant,
  kInteger,
  kEven,
  kOdd,
  kNotEven,
  kSimple,
  kNearSimple,
  kModulo,
};

// One condition of a guard; subject, operand and modulus are pattern nodes of the rule.
struct Condition {
  Predicate predicate = Predicate::kConstant;
  int subject = -1;
  int operand = -1;  // comparisons: the right side; kModulo: the remainder
  int modulus = -1;  // kModulo
};

struct Rule {
  std::string name;
  std::string left_text;
  std::string right_text;
  std::string guard_text;
  std::uint8_t stages = kSimplifyStage;

  // Left side, right side and guard expressions share one node array and one set of slots.
  std::vector<PatternNode> nodes;
  int left = -1;
  int right = -1;
  std::vector<std::vector<Condition>> guard;  // OR of ANDs; empty: always true
  std::vector<std::string> slot_names;        // variables and op variables
  std::vector<int> slot_arity;                // 0 for a variable, 1 or 2 for an op variable
};

// Builds a rule from its text. Errors are InvalidArgument and name the rule, the side and the
// column: "rule 'exp of log': right side: the variable 'w' is not bound by the left side".
absl::StatusOr<Rule> make_rule(const RuleSpec& spec);

// The rule table of lies, in the order in which the rewriter tries rules at a node.
std::span<const RuleSpec> rule_specs();

// The rules of rule_specs(), built once.
std::span<const Rule> rule_table();

}  // namespace lies::simplify
