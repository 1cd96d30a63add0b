#include "io/formula_printer.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "engine/check.hpp"
#include "io/formula_faithful.hpp"
#include "io/formula_pretty.hpp"
#include "io/formula_spelling.hpp"

namespace lies::io {
namespace {

using engine::Graph;
using engine::Node;
using engine::NodeId;
using engine::Op;

// std::numeric_limits<double>::max_digits10: 17 significant digits identify every double.
constexpr int kMaxSignificantDigits = std::numeric_limits<double>::max_digits10;

constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint64_t>::max();

// The pretty printer walks the expanded tree, which can be larger than the printed formula because
// factors of 1, double negations and exponents of -1 print as fewer nodes. It accepts an expanded
// tree of up to this many times max_nodes. In 2.5*x1^2/x2 the ratio is 9/7.
constexpr std::uint64_t kPrettyExpansionFactor = 4;

// Returns the node count of the tree that `root` expands to when every shared subexpression is
// copied for each of its uses. Saturates at the maximum of uint64_t.
std::uint64_t expanded_size(const Graph& graph, NodeId root, const std::vector<bool>& live) {
  std::vector<std::uint64_t> size(root + 1, 0);
  for (NodeId id = 0; id <= root; ++id) {
    if (!live[id]) continue;
    const Node& node = graph.node(id);
    std::uint64_t total = 1;
    for (int k = 0; k < engine::arity(node.op); ++k) {
      const std::uint64_t child = size[node.child[k]];
      total = total > kMaxCount - child ? kMaxCount : total + child;
    }
    size[id] = total;
  }
  return size[root];
}

absl::Status check_options(const Graph& graph, NodeId root, const PrintOptions& options,
                           const std::vector<bool>& live) {
  if (options.faithful && options.format != FormulaFormat::kInfix) {
    return absl::InvalidArgumentError(
        "faithful printing supports only the infix format; set format to kInfix or faithful to "
        "false");
  }
  if (options.significant_digits < 0 || options.significant_digits > kMaxSignificantDigits) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "significant_digits is %d; expected 0 (shortest round-trip text) to %d",
        options.significant_digits, kMaxSignificantDigits));
  }
  if (options.param_values.empty()) return absl::OkStatus();
  for (NodeId id = 0; id <= root; ++id) {
    if (!live[id] || graph.op(id) != Op::Param) continue;
    const std::uint32_t index = graph.node(id).index;
    if (index >= options.param_values.size()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "the formula uses parameter %d, but param_values.size() is %d; give a value for every "
          "parameter",
          index, options.param_values.size()));
    }
    if (!std::isfinite(options.param_values[index])) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "param_values[%d] is %g; a printed parameter needs a finite value", index,
          options.param_values[index]));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> print_formula(const Graph& graph, NodeId root,
                                          const PrintOptions& options) {
  if (root >= graph.size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "root %d is not a node of the graph (graph size %d)", root, graph.size()));
  }
  const NodeId roots[] = {root};
  const std::vector<bool> live = engine::reachable(graph, roots);
  if (absl::Status status = check_options(graph, root, options, live); !status.ok()) return status;

  // Both modes walk the expanded tree, so its size is checked before anything else. In faithful
  // mode it is also the size of the printed formula.
  const std::uint64_t expanded = expanded_size(graph, root, live);
  if (options.faithful) {
    if (expanded > options.max_nodes) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "formula too large to print: its expanded tree has %d nodes, more than max_nodes (%d)",
          expanded, options.max_nodes));
    }
    return detail::print_faithful(graph, root, options);
  }
  const std::uint64_t max_expanded =
      options.max_nodes > kMaxCount / kPrettyExpansionFactor ? kMaxCount
                                                             : options.max_nodes * kPrettyExpansionFactor;
  if (expanded > max_expanded) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "formula too large to print: its expanded tree has %d nodes, more than %d * max_nodes (%d)",
        expanded, kPrettyExpansionFactor, max_expanded));
  }

  const detail::FormulaSpelling spelling(options);
  const detail::NumericLeaves leaves(graph, options.param_values, spelling.pi_allowed(),
                                     spelling.e_allowed());
  const std::uint64_t printed = simplify::detail::pretty_node_count(graph, root, leaves);
  if (printed > options.max_nodes) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "formula too large to print: the printed formula has %d nodes, more than max_nodes (%d)",
        printed, options.max_nodes));
  }
  return detail::print_pretty(graph, root, options, leaves);
}

std::uint64_t formula_complexity(const Graph& graph, NodeId root) {
  return simplify::formula_complexity(graph, root);
}

}  // namespace lies::io
