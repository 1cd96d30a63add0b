#include "simplify/prune.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "autodiff/program.hpp"
#include "engine/check.hpp"

namespace lies::simplify {

using engine::Node;
using engine::Op;

NodeId freeze_params(const Graph& from, NodeId root, std::span<const double> params, Graph& to) {
  const NodeId roots[] = {root};
  return engine::copy_into(from, roots, to, [&](NodeId id) {
    const Node& node = from.node(id);
    if (node.op != Op::Param) return engine::kNoNode;
    LIES_CHECK(node.index < params.size());
    return to.constant(params[node.index]);
  })[0];
}

ArgumentRanges protected_argument_ranges(const Graph& graph, NodeId root,
                                         const autodiff::Columns& columns,
                                         std::span<const double> params) {
  const NodeId roots[] = {root};
  const std::vector<bool> live = engine::reachable(graph, roots);
  std::vector<NodeId> units;
  std::vector<NodeId> arguments;
  for (NodeId id = 0; id <= root; ++id) {
    const Op op = graph.op(id);
    if (live[id] && (op == Op::ProtLog || op == Op::ProtExp)) {
      units.push_back(id);
      arguments.push_back(graph.node(id).child[0]);
    }
  }

  ArgumentRanges ranges;
  if (arguments.empty() || columns.rows == 0) return ranges;
  const auto program = autodiff::Program::compile(
      graph, arguments, static_cast<std::uint32_t>(columns.data.size()),
      static_cast<std::uint32_t>(params.size()));
  autodiff::Evaluator evaluator(program, 0);
  std::vector<std::vector<double>> values(arguments.size(), std::vector<double>(columns.rows));
  const std::vector<std::span<double>> outs(values.begin(), values.end());
  evaluator.evaluate_outputs(columns, params, outs);
  for (std::size_t k = 0; k < arguments.size(); ++k) {
    const std::vector<double>& v = values[k];
    if (std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); })) continue;
    const auto [low, high] = std::minmax_element(v.begin(), v.end());
    ranges[units[k]] = {*low, *high};
  }
  return ranges;
}

NodeId release_protected(const Graph& from, NodeId root, const ArgumentRanges& ranges,
                         Graph& to) {
  const NodeId roots[] = {root};
  const std::vector<bool> live = engine::reachable(from, roots);
  std::vector<NodeId> mapped(from.size(), engine::kNoNode);
  for (NodeId id = 0; id <= root; ++id) {
    if (!live[id]) continue;
    Node node = from.node(id);
    for (int k = 0; k < engine::arity(node.op); ++k) node.child[k] = mapped[node.child[k]];
    mapped[id] = to.make(node);

    const auto found = ranges.find(id);
    if ((node.op != Op::ProtLog && node.op != Op::ProtExp) || found == ranges.end()) continue;
    const auto [low, high] = found->second;
    const NodeId argument = node.child[0];
    const double limit = node.value;
    if (node.op == Op::ProtLog) {
      if (low > limit) mapped[id] = to.log(argument);
      if (high <= limit) mapped[id] = to.constant(std::log(limit));
    } else {
      if (high < limit) mapped[id] = to.exp(argument);
      if (low >= limit) mapped[id] = to.constant(std::exp(limit));
    }
  }
  return mapped[root];
}

NodeId release_protected(const Graph& from, NodeId root, const autodiff::Columns& columns,
                         Graph& to) {
  return release_protected(from, root, protected_argument_ranges(from, root, columns), to);
}

std::size_t prune_by_sensitivity(const autodiff::Program& program,
                                 const autodiff::Columns& columns, std::vector<double>& params,
                                 std::span<const std::uint32_t> group, double small,
                                 std::vector<bool>& frozen) {
  LIES_CHECK(group.size() == params.size());
  LIES_CHECK(frozen.size() == params.size());
  autodiff::Evaluator evaluator(program, 0);
  std::vector<double> gradient(params.size());
  auto sum_of_outputs = [](const double*, std::size_t, std::size_t rows, double* adjoint) {
    std::fill(adjoint, adjoint + rows, 1.0);
    return 0.0;
  };
  evaluator.gradient(columns, params, sum_of_outputs, 0.0, gradient);

  std::map<std::uint32_t, std::vector<std::size_t>> members;
  for (std::size_t p = 0; p < params.size(); ++p) members[group[p]].push_back(p);

  std::size_t pruned = 0;
  for (auto& [g, indices] : members) {
    std::size_t below = 0;
    for (std::size_t p : indices) below += std::abs(params[p]) < small ? 1 : 0;
    auto sensitivity = [&](std::size_t p) {
      const double s = std::abs(params[p] * gradient[p]);
      return std::isnan(s) ? std::numeric_limits<double>::infinity() : s;
    };
    std::stable_sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) {
      return sensitivity(a) < sensitivity(b);
    });
    for (std::size_t k = 0; k < below; ++k) {
      const std::size_t p = indices[k];
      if (frozen[p] && params[p] == 0.0) continue;
      params[p] = 0.0;
      frozen[p] = true;
      ++pruned;
    }
  }
  return pruned;
}

}  // namespace lies::simplify
