// Parsing of infix formulas, as people and tools such as SymPy and NumPy write them, into nodes
// of an engine::Graph.
//
//   std::vector<std::string> variables = {"theta", "sigma"};
//   engine::Graph graph;
//   auto root = parse_formula("exp(-(theta/sigma)**2/2)", graph, {.variables = &variables});
//
// Grammar, with Python's precedence and associativity, loosest first:
//   sum      := product (('+' | '-') product)*             left-associative
//   product  := unary (('*' | '/') unary)*                 left-associative, '/' is real division
//   unary    := ('-' | '+') unary | power
//   power    := primary (('**' | '^') unary)?              right-associative: 2**3**2 is 2**9
//   primary  := number | name | function '(' sum ')' | '(' sum ')'
//               | ('log' | 'ln') '(' 'max' '(' sum ',' limit ')' ')'     ProtLog(sum), limit
//               | 'exp' '(' 'min' '(' sum ',' limit ')' ')'              ProtExp(sum), limit
//   limit    := ('-' | '+')? (number | 'pi' | 'e')
// So -x**2 is -(x^2), 2**-1 is 0.5, and 1/2*x is (1/2)*x.
//
// Numbers take every C form: decimal (1, 2., .5, 1e-3, 1.5E+3), hexadecimal (0x1F, 0x1.8p3)
// and binary (0b101). A hexadecimal number with a point needs the p exponent. Digit separators
// (1'000'000) and the suffixes f, l, u and ll, in either case, are accepted. The value is always the double
// nearest to the literal, so 0.1f is 0.1, not the float nearest to 0.1. An integer with a
// leading 0 is decimal when it is below 8 (007 is 7) and an error otherwise, because C reads
// 010 as octal 8 and Python rejects it. Names are [A-Za-z_][A-Za-z0-9_]*.
// Functions take one argument: exp, log, ln (natural log), sqrt, sin, cos, tan, tanh, asin, acos,
// atan, arcsin, arccos, arctan. A name followed by '(' is a function call. Any other name is a
// variable, or the constant pi or e unless `variables` contains that name. A function name, max
// or min without '(' is an error unless `variables` contains it. Whitespace (space, tab, CR, LF)
// between tokens is ignored.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/graph.hpp"

namespace lies::io {

struct ParseOptions {
  // Known variable names. Input(j) is variables[j], and the first of equal names wins. When
  // add_unknown_variables is true, an unknown name is appended and gets the next index. Otherwise
  // it is an error that lists the known names. Null is an empty list that cannot grow.
  std::vector<std::string>* variables = nullptr;
  bool add_unknown_variables = false;
  // Maximum input length, in bytes.
  std::size_t max_length = 100000;
  // Maximum nesting depth: open parentheses (function calls included), unary signs and powers
  // whose right operand is still being read. -(-(x)) has depth 4 at x, 2^-x^y has 3 at y.
  int max_depth = 256;
};

// Whether `name` is a word that the parser reads as a function or constant (sin, max, pi, e,
// ...), so that a variable of that name would not read back as a variable without a list of
// known variables.
bool is_reserved_name(std::string_view name);

// Parses `text` and adds its nodes to `graph`. Returns the id of the root.
//
// The nodes are what was written, with no constant folding except for literals: a/b is Div,
// -a is Neg(a), and a - b is Add(a, Neg(b)). A minus directly before a number literal (one not
// followed by a power) makes one negative Constant, in both -2*x and x - 2, which is
// Add(x, Constant(-2)); -(2) keeps Neg(Constant(2)), and -2**2 is Neg(Pow(2, 2)).
//
// Errors (InvalidArgument) name the 1-based column, in bytes, and what was expected:
//   unexpected ')' at column 14
//   expected an expression after '+' at column 5, found end of input
//   unknown function 'foo' at column 1 (known: exp, log, ...)
//   unknown variable 'q' at column 3 (known: a, b)
//   unbalanced '(' opened at column 2
//   nesting deeper than 256 at column 9
// A number that overflows a double is rejected; one that underflows reads as 0 or a subnormal.
// On error, `variables` is left as it was, but `graph` may keep nodes of the parsed part, which
// are valid and unreferenced. The parser uses no recursion, so no input can overflow the stack.
absl::StatusOr<engine::NodeId> parse_formula(std::string_view text, engine::Graph& graph,
                                             const ParseOptions& options);

}  // namespace lies::io
