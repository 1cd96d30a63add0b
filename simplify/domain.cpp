#include "simplify/domain.hpp"

#include <algorithm>
#include <cmath>

#include "autodiff/program.hpp"

namespace lies::simplify {

using engine::Node;
using engine::NodeId;
using engine::Op;

Domain::Domain(const engine::Graph& graph, const DomainFacts& facts, const autodiff::Columns* data)
    : graph_(graph), facts_(facts), data_(data) {}

const Domain::Signs& Domain::structural(NodeId id) {
  // Children have smaller ids: settle every node up to `id` in increasing order, so that no
  // recursion is needed.
  while (signs_.size() <= id) signs_.push_back(signs_of(static_cast<NodeId>(signs_.size())));
  return signs_[id];
}

Domain::Signs Domain::signs_of(NodeId id) {
  const Node& node = graph_.node(id);
  const Signs unknown;
  const Signs positive{false, false, true};
  auto child = [&](int k) { return signs_[node.child[k]]; };
  auto is_positive = [](const Signs& s) { return !s.negative && !s.zero; };
  auto constant_exponent = [&]() -> std::optional<double> {
    if (!graph_.is_constant(node.child[1])) return std::nullopt;
    return graph_.node(node.child[1]).value;
  };

  switch (node.op) {
    case Op::Constant:
      return {node.value < 0.0, node.value == 0.0, node.value > 0.0};
    case Op::Input: {
      const std::uint32_t j = node.index;
      return j < facts_.positive_inputs.size() && facts_.positive_inputs[j] ? positive : unknown;
    }
    case Op::Param:
      return unknown;
    case Op::Add: {
      const Signs a = child(0), b = child(1);
      return {a.negative || b.negative, (a.zero && b.zero) || (a.negative && b.positive) ||
                                            (a.positive && b.negative),
              a.positive || b.positive};
    }
    case Op::Mul:
    case Op::Div: {
      const Signs a = child(0), b = child(1);
      // A quotient by zero is not finite, so only the numerator can make it zero.
      const bool zero = a.zero || (node.op == Op::Mul && b.zero);
      return {(a.negative && b.positive) || (a.positive && b.negative), zero,
              (a.positive && b.positive) || (a.negative && b.negative)};
    }
    case Op::Neg: {
      const Signs a = child(0);
      return {a.positive, a.zero, a.negative};
    }
    case Op::Pow: {
      const Signs base = child(0);
      if (is_positive(base)) return positive;
      const std::optional<double> e = constant_exponent();
      if (!e) return base.negative ? unknown : Signs{false, base.zero, true};
      if (*e == 0.0) return positive;
      // 0^e is 0 for e > 0 and not finite for e < 0.
      const bool zero = base.zero && *e > 0.0;
      const bool odd = *e == std::round(*e) && std::fmod(std::abs(*e), 2.0) == 1.0;
      if (odd) return {base.negative, zero, base.positive};
      // An even power is >= 0, and a power that is not an integer is finite only for b >= 0.
      return {false, zero, true};
    }
    case Op::Exp:
    case Op::ProtExp:
      return positive;
    case Op::Sqrt: {
      const Signs a = child(0);
      return {false, a.zero, a.positive};
    }
    case Op::Tanh:
    case Op::Atan:
    case Op::Asin:
      return child(0);
    case Op::Acos:
      return {false, true, true};
    case Op::Log:
    case Op::ProtLog:
    case Op::Sin:
    case Op::Cos:
    case Op::Tan:
      return unknown;
  }
  return unknown;
}

std::optional<Domain::Range> Domain::data_range(NodeId id) {
  if (data_ == nullptr || data_->rows == 0) return std::nullopt;
  if (const auto found = ranges_.find(id); found != ranges_.end()) return found->second;

  // Only expressions of the data's inputs can be evaluated on it.
  const NodeId roots[] = {id};
  const std::vector<bool> live = engine::reachable(graph_, roots);
  bool evaluable = true;
  for (NodeId n = 0; n <= id && evaluable; ++n) {
    if (!live[n]) continue;
    const Node& node = graph_.node(n);
    if (node.op == Op::Param) evaluable = false;
    if (node.op == Op::Input && node.index >= data_->data.size()) evaluable = false;
  }
  std::optional<Range> range;
  if (evaluable) {
    const auto program = autodiff::Program::compile(
        graph_, roots, static_cast<std::uint32_t>(data_->data.size()), 0);
    autodiff::Evaluator evaluator(program, 1);
    std::vector<double> values(data_->rows);
    evaluator.evaluate(*data_, {}, values);
    if (std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); })) {
      const auto [low, high] = std::minmax_element(values.begin(), values.end());
      range = Range{*low, *high};
    }
  }
  ranges_.emplace(id, range);
  return range;
}

bool Domain::positive(NodeId id) {
  const Signs& s = structural(id);
  if (!s.negative && !s.zero) return true;
  const auto range = data_range(id);
  return range && range->low > 0.0;
}

bool Domain::nonnegative(NodeId id) {
  if (!structural(id).negative) return true;
  const auto range = data_range(id);
  return range && range->low >= 0.0;
}

bool Domain::negative(NodeId id) {
  const Signs& s = structural(id);
  if (!s.positive && !s.zero) return true;
  const auto range = data_range(id);
  return range && range->high < 0.0;
}

bool Domain::nonpositive(NodeId id) {
  if (!structural(id).positive) return true;
  const auto range = data_range(id);
  return range && range->high <= 0.0;
}

bool Domain::nonzero(NodeId id) {
  if (!structural(id).zero) return true;
  const auto range = data_range(id);
  return range && (range->low > 0.0 || range->high < 0.0);
}

}  // namespace lies::simplify
