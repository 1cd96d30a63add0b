#include "io/formula_faithful.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "io/formula_spelling.hpp"

namespace lies::io::detail {
namespace {

using engine::Graph;
using engine::Node;
using engine::NodeId;
using engine::Op;

// Checks that every input of the formula prints as an identifier that no other input shares, so
// that the parser maps each name back to its column.
absl::Status check_input_names(const Graph& graph, const std::vector<bool>& live,
                               const FormulaSpelling& spelling) {
  absl::flat_hash_map<std::string, std::uint32_t> columns;
  for (NodeId id = 0; id < live.size(); ++id) {
    if (!live[id] || graph.op(id) != Op::Input) continue;
    const std::uint32_t column = graph.node(id).index;
    const std::string name = spelling.input_name(column);
    if (!is_identifier(name)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "input column %d has the name '%s', which is not an identifier "
          "([A-Za-z_][A-Za-z0-9_]*), so faithful output would not parse back; rename the column",
          column, name));
    }
    const auto [it, inserted] = columns.try_emplace(name, column);
    if (!inserted && it->second != column) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "input columns %d and %d both print as '%s', so faithful output would not parse back; "
          "give them distinct names",
          std::min(it->second, column), std::max(it->second, column), name));
    }
  }
  return absl::OkStatus();
}

class FaithfulPrinter {
 public:
  FaithfulPrinter(const Graph& graph, const PrintOptions& options, const FormulaSpelling& spelling)
      : graph_(graph), options_(options), spelling_(spelling) {}

  std::string print(NodeId root) {
    compute_starts_with_minus(root);
    std::string out;
    // A task is a node to print or a piece of text. Tasks are pushed in reverse order.
    std::vector<Task> stack = {{root, {}}};
    while (!stack.empty()) {
      Task task = std::move(stack.back());
      stack.pop_back();
      if (task.node == engine::kNoNode) {
        out += task.text;
      } else {
        print_node(task.node, out, stack);
      }
    }
    return out;
  }

 private:
  // A node to print, or the text to print when `node` is kNoNode.
  struct Task {
    NodeId node = engine::kNoNode;
    std::string text;
  };

  static void push_text(std::vector<Task>& stack, std::string text) {
    stack.push_back({engine::kNoNode, std::move(text)});
  }

  std::optional<double> value(NodeId id) const {
    const Node& node = graph_.node(id);
    if (node.op == Op::Constant) return node.value;
    if (node.op == Op::Param && !options_.param_values.empty()) {
      return options_.param_values[node.index];
    }
    return std::nullopt;
  }

  // Digits of a number, or pi and e where the parser reads the name back as the same Constant.
  // A negative number prints as a minus directly before the digits, which the parser reads as
  // one negative Constant.
  std::string number_text(double value) const {
    if (value < 0) return number_digits(value);
    return spelling_.number(value).text;
  }

  static std::string number_digits(double value) {
    return value < 0 ? absl::StrCat("-", format_number(-value, 0)) : format_number(value, 0);
  }

  // Whether `id` prints as a bare number literal, which a minus directly before it would fold into
  // a negative Constant.
  bool is_number_literal(NodeId id) const {
    const std::optional<double> v = value(id);
    return v && *v >= 0 && std::isdigit(static_cast<unsigned char>(number_text(*v).front()));
  }

  static Precedence precedence_of(Op op) {
    switch (op) {
      case Op::Add: return Precedence::kSum;
      case Op::Mul:
      case Op::Div: return Precedence::kProduct;
      case Op::Neg: return Precedence::kUnary;
      case Op::Pow: return Precedence::kPower;
      case Op::Input:
      case Op::Constant:
      case Op::Param:
      case Op::Log:
      case Op::Exp:
      case Op::Sin:
      case Op::Cos:
      case Op::Tan:
      case Op::Sqrt:
      case Op::Tanh:
      case Op::Asin:
      case Op::Acos:
      case Op::Atan:
      case Op::ProtLog:
      case Op::ProtExp: return Precedence::kAtom;
    }
    return Precedence::kAtom;
  }

  Precedence precedence(NodeId id) const {
    const std::optional<double> v = value(id);
    if (v) return *v < 0 ? Precedence::kUnary : Precedence::kAtom;
    return precedence_of(graph_.op(id));
  }

  // Marks the nodes whose text starts with a minus sign. Children have smaller ids, so one
  // ascending sweep visits every child before its parents.
  void compute_starts_with_minus(NodeId root) {
    starts_with_minus_.assign(root + 1, false);
    for (NodeId id = 0; id <= root; ++id) {
      const Node& node = graph_.node(id);
      const std::optional<double> v = value(id);
      if (v) {
        starts_with_minus_[id] = *v < 0;
      } else if (node.op == Op::Neg) {
        starts_with_minus_[id] = true;
      } else if (node.op == Op::Add) {
        starts_with_minus_[id] = starts_with_minus_[add_operands(node).first];
      } else if (node.op == Op::Mul || node.op == Op::Div) {
        starts_with_minus_[id] = !left_needs_parentheses(node) && starts_with_minus_[node.child[0]];
      }
    }
  }

  bool left_needs_parentheses(const Node& node) const {
    return precedence(node.child[0]) < Precedence::kProduct;
  }

  // Whether `id` prints after a binary minus as the right operand of an Add.
  bool is_subtracted(NodeId id) const {
    const std::optional<double> v = value(id);
    return (v && *v < 0) || graph_.op(id) == Op::Neg;
  }

  // The children of an Add in print order. Add is commutative and the graph orders its children,
  // so a subtracted child may print second, as in a - b, and the parser still gives back this node.
  std::pair<NodeId, NodeId> add_operands(const Node& node) const {
    if (is_subtracted(node.child[0]) && !is_subtracted(node.child[1])) {
      return {node.child[1], node.child[0]};
    }
    return {node.child[0], node.child[1]};
  }

  static void push_operand(std::vector<Task>& stack, NodeId id, bool parenthesize) {
    if (!parenthesize) {
      stack.push_back({id, {}});
      return;
    }
    push_text(stack, ")");
    stack.push_back({id, {}});
    push_text(stack, "(");
  }

  void print_node(NodeId id, std::string& out, std::vector<Task>& stack) const {
    if (const std::optional<double> v = value(id)) {
      out += number_text(*v);
      return;
    }
    const Node& node = graph_.node(id);
    const NodeId a = node.child[0];
    const NodeId b = node.child[1];
    switch (node.op) {
      case Op::Input: out += spelling_.input_name(node.index); return;
      case Op::Param: out += spelling_.param_name(node.index); return;
      case Op::Constant: return;  // has a value, printed above
      case Op::Add: {
        // The parser reads a - 2 as Add(a, Constant(-2)) and a - b as Add(a, Neg(b)).
        const auto [left, right] = add_operands(node);
        const std::optional<double> right_value = value(right);
        if (right_value && *right_value < 0) {
          push_text(stack, format_number(-*right_value, 0));
          push_text(stack, " - ");
        } else if (graph_.op(right) == Op::Neg) {
          const NodeId negated = graph_.node(right).child[0];
          push_operand(stack, negated,
                       precedence(negated) < Precedence::kProduct || is_number_literal(negated) ||
                           starts_with_minus_[negated]);
          push_text(stack, " - ");
        } else {
          push_operand(stack, right, precedence(right) < Precedence::kProduct);
          push_text(stack, " + ");
        }
        push_operand(stack, left, false);
        return;
      }
      case Op::Mul:
      case Op::Div:
        // Left-associative: the right operand needs parentheses when it is a product itself, and
        // gets them when it starts with a minus, for reading.
        push_operand(stack, b, precedence(b) < Precedence::kPower);
        push_text(stack, node.op == Op::Mul ? "*" : "/");
        push_operand(stack, a, left_needs_parentheses(node));
        return;
      case Op::Pow:
        // Right-associative, and the exponent may start with a unary minus: x^-2, x^y^z.
        push_operand(stack, b, precedence(b) < Precedence::kUnary);
        push_text(stack, "^");
        push_operand(stack, a, precedence(a) < Precedence::kAtom);
        return;
      case Op::Neg:
        // -(2) and -(-x) keep the Neg node, -x^2 is Neg(Pow(x, 2)), -(a*b) needs its parentheses.
        push_operand(stack, a, precedence(a) < Precedence::kPower || is_number_literal(a));
        push_text(stack, "-");
        return;
      case Op::Log:
      case Op::Exp:
      case Op::Sin:
      case Op::Cos:
      case Op::Tan:
      case Op::Sqrt:
      case Op::Tanh:
      case Op::Asin:
      case Op::Acos:
      case Op::Atan:
        out += spelling_.function_name(node.op);
        push_operand(stack, a, true);
        return;
      case Op::ProtLog:
      case Op::ProtExp:
        // The limit prints as digits, never as pi or e, because the parser reads a number there.
        out += spelling_.function_name(node.op);
        out += '(';
        out += spelling_.clamp_name(node.op);
        out += '(';
        push_text(stack, "))");
        push_text(stack, number_digits(node.value));
        push_text(stack, ", ");
        stack.push_back({a, {}});
        return;
    }
  }

  const Graph& graph_;
  const PrintOptions& options_;
  const FormulaSpelling& spelling_;
  std::vector<bool> starts_with_minus_;
};

}  // namespace

absl::StatusOr<std::string> print_faithful(const Graph& graph, NodeId root,
                                           const PrintOptions& options) {
  // Faithful numbers always carry round-trip digits.
  PrintOptions faithful_options = options;
  faithful_options.significant_digits = 0;
  const FormulaSpelling spelling(faithful_options);

  const NodeId roots[] = {root};
  const std::vector<bool> live = engine::reachable(graph, roots);
  if (absl::Status status = check_input_names(graph, live, spelling); !status.ok()) return status;

  FaithfulPrinter printer(graph, faithful_options, spelling);
  return printer.print(root);
}

}  // namespace lies::io::detail
