// The rewriter: rules of rules.hpp applied bottom-up on the hash-consed DAG, to a fixpoint.
//
// One round copies the expression node by node, children first. At each node it tries the
// rules in table order. The first rule whose left side matches and whose guard holds replaces
// the node by its right side. The rules are then tried again at the result and at every node
// the right side builds, up to a nesting depth beyond which the next round continues. A shared
// subexpression is one node, so it is rewritten once. After the rule pass, when normal_form is
// set, the canonical sum-of-products pass of canonical.hpp collects like terms, merges
// coefficients and orders terms and factors.
//
// The rewriter stops when a round fires no rule and leaves the expression as it was
// (saturated), or at the first limit reached: rounds, nodes built in one round, or time. The
// result is then the expression after the last complete round, which is equal to the input
// wherever the input is defined, as after every round. It always terminates: each round
// visits each node of its input once, rule applications nest at most kMaxNesting deep, and
// the node and time limits stop a round that grows without bound.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "engine/graph.hpp"
#include "simplify/domain.hpp"
#include "simplify/rules.hpp"

namespace lies::simplify {

// Depth of rule applications inside one another within a round.
inline constexpr int kMaxNesting = 16;

struct RewriteLimits {
  int max_rounds = 64;
  // Nodes of the working graph of one round: the rewritten expression and the intermediate
  // nodes that rule matching builds.
  std::size_t max_nodes = std::size_t{1} << 22;
  double max_seconds = 10.0;
};

enum class StopReason { kSaturated, kRoundLimit, kNodeLimit, kTimeLimit };

// "saturated", "round limit", "node limit", "time limit".
std::string_view describe(StopReason reason);

struct RuleFiring {
  std::string rule;
  std::uint64_t count = 0;
};

struct RewriteReport {
  StopReason stop = StopReason::kSaturated;
  int rounds = 0;
  // Rules that fired, with how often, in table order.
  std::vector<RuleFiring> fired;
  double seconds = 0.0;

  // Adds the rounds, firings and time of a later run; its stop reason wins unless saturated.
  void merge(const RewriteReport& later);
};

struct RewriteOptions {
  // The rules to try, in order; empty means rule_table(). Only rules of `stage` are used.
  std::span<const Rule> rules;
  std::uint8_t stage = kSimplifyStage;
  // Run the canonical sum-of-products pass after each rule pass.
  bool normal_form = true;
  DomainFacts facts;
  // Rows for guards "on the data": one column per input, in the formula's units. Must outlive
  // the call.
  const autodiff::Columns* data = nullptr;
  // Relative tolerance of the guard "near simple"; 0 turns rounding to simple values off.
  double roundoff = 0.0;
  RewriteLimits limits;
};

struct RewriteResult {
  engine::NodeId root = engine::kNoNode;  // in the output graph
  RewriteReport report;
};

// Rewrites the expression at `root` of `from` and copies the result into `out`.
RewriteResult rewrite(const engine::Graph& from, engine::NodeId root, engine::Graph& out,
                      const RewriteOptions& options);

}  // namespace lies::simplify
