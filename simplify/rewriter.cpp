#include "simplify/rewriter.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <span>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "autodiff/primitives.hpp"
#include "engine/check.hpp"
#include "simplify/canonical.hpp"
#include "simplify/snap.hpp"

namespace lies::simplify {
namespace {

using engine::Graph;
using engine::kNoNode;
using engine::Node;
using engine::NodeId;
using engine::Op;
using Clock = std::chrono::steady_clock;

// Relative tolerance of the guards "simple" and "mod": numbers written as pi/2 or 1/(4*pi)
// and computed in double differ from the exact values by a few units in the last place.
constexpr double kExactTolerance = 1e-12;

// Largest |x - z| / |y| for which the guard "x mod y = z" can hold.
constexpr double kMaxTurns = 1e6;

// A sum or product with more terms than this is matched by its two children only, so that a
// match costs at most a bounded number of term choices.
constexpr std::size_t kMaxFlattenedTerms = 64;

// Rule attempts between two readings of the clock.
constexpr std::uint64_t kClockInterval = 256;

// The binding of a pattern variable: a node, or for an op variable an op and its limit.
struct Binding {
  bool bound = false;
  NodeId node = kNoNode;
  Op op = Op::Constant;
  double value = 0.0;
};
// Patterns have a handful of variables and nodes, so the matcher's lists live on the stack.
using Bindings = absl::InlinedVector<Binding, 8>;

// A pattern node to match against a graph node. When `terms` is set, the graph node is the sum
// or product (`op`) of `terms` without terms[skip], built only when the item is reached.
struct Item {
  int pattern = -1;
  NodeId node = kNoNode;
  const absl::InlinedVector<NodeId, 16>* terms = nullptr;
  std::size_t skip = 0;
  Op op = Op::Add;
};

using Work = absl::InlinedVector<Item, 8>;
using Terms = absl::InlinedVector<NodeId, 16>;

enum class PassState { kRunning, kNodeLimit, kTimeLimit };

// A necessary condition on a node, or on one child of it, for a rule to match. It is read off
// the left side and the guard, and checked before the full match.
struct Need {
  enum Kind : std::uint8_t { kAny, kConstant, kLiteral, kOp };
  Kind kind = kAny;
  Op op = Op::Constant;
  double value = 0.0;
};

// Whether the pattern node `index` contains the variable `slot`.
bool contains_slot(const Rule& rule, int index, int slot) {
  const PatternNode& node = rule.nodes[index];
  if (node.kind == PatternKind::kVariable) return node.slot == slot;
  for (int k = 0; k < node.arity; ++k) {
    if (contains_slot(rule, node.child[k], slot)) return true;
  }
  return false;
}

// Whether every alternative of the guard needs the variable `slot` to be a Constant: it is
// declared constant, or it appears in a condition that only numbers satisfy.
bool guard_needs_constant(const Rule& rule, int slot) {
  if (rule.guard.empty()) return false;
  for (const std::vector<Condition>& conjunction : rule.guard) {
    bool needs = false;
    for (const Condition& condition : conjunction) {
      const PatternNode& subject = rule.nodes[condition.subject];
      const bool sign_check = condition.predicate <= Predicate::kEqual &&
                              subject.kind == PatternKind::kVariable;
      if (!sign_check && contains_slot(rule, condition.subject, slot)) needs = true;
    }
    if (!needs) return false;
  }
  return true;
}

Need need_of(const Rule& rule, int index) {
  const PatternNode& pattern = rule.nodes[index];
  Need need;
  if (pattern.kind == PatternKind::kLiteral) {
    need.kind = Need::kLiteral;
    need.value = pattern.value;
  } else if (pattern.kind == PatternKind::kOp) {
    need.kind = Need::kOp;
    need.op = pattern.op;
  } else if (pattern.kind == PatternKind::kVariable && guard_needs_constant(rule, pattern.slot)) {
    need.kind = Need::kConstant;
  }
  return need;
}

// The rules of one stage, and for each op the rules whose left side can match a node of it.
struct RuleIndex {
  std::vector<const Rule*> rules;
  std::vector<std::size_t> candidates[engine::kNumOps];
  // Per rule: what the matched node and its children must be.
  std::vector<Need> root_need;
  std::vector<std::array<Need, 2>> child_need;

  RuleIndex(std::span<const Rule> all, std::uint8_t stage) {
    for (const Rule& rule : all) {
      if ((rule.stages & stage) != 0) rules.push_back(&rule);
    }
    for (const Rule* rule : rules) {
      const PatternNode& left = rule->nodes[rule->left];
      root_need.push_back(left.kind == PatternKind::kVariable ? need_of(*rule, rule->left) : Need{});
      std::array<Need, 2> children;
      if (left.kind == PatternKind::kOp || left.kind == PatternKind::kOpVariable) {
        for (int k = 0; k < left.arity; ++k) children[k] = need_of(*rule, left.child[k]);
      }
      child_need.push_back(children);
    }
    for (std::size_t k = 0; k < rules.size(); ++k) {
      const PatternNode& left = rules[k]->nodes[rules[k]->left];
      for (int op = 0; op < engine::kNumOps; ++op) {
        const int arity = engine::arity(static_cast<Op>(op));
        const bool candidate =
            left.kind == PatternKind::kVariable ||
            (left.kind == PatternKind::kOp && static_cast<int>(left.op) == op) ||
            (left.kind == PatternKind::kOpVariable && arity == left.arity);
        if (candidate) candidates[op].push_back(k);
      }
    }
  }
};

// The index of rule_table() for every combination of stages, built once.
const RuleIndex& table_index(std::uint8_t stages) {
  static const std::vector<RuleIndex> indices = [] {
    std::vector<RuleIndex> all;
    for (int mask = 0; mask <= (kSimplifyStage | kRoundStage | kPresentStage); ++mask) {
      all.emplace_back(rule_table(), static_cast<std::uint8_t>(mask));
    }
    return all;
  }();
  LIES_CHECK(stages < indices.size());
  return indices[stages];
}

// One rule pass: copies an expression into `out`, rewriting bottom-up.
//
// After a complete pass every node of the result is a fixpoint of the rules. Its children were
// final when it was built, and the rules were tried at it until none fired, and so at every
// node that a right side built. Two things leave a pass incomplete: the nesting limit, and a
// right side that uses the remaining terms of a sum or product, which the pass builds
// without trying the rules at them.
class RulePass {
 public:
  RulePass(const RuleIndex& index, Graph& out, Domain& domain, const RewriteOptions& options,
           Clock::time_point deadline, std::vector<std::uint64_t>& counts)
      : index_(index), rules_(index.rules), candidates_(index.candidates), out_(out),
        domain_(domain), options_(options), deadline_(deadline), counts_(counts) {}

  // Returns the rewritten root in `out`, or kNoNode when a limit stopped the pass.
  NodeId run(const Graph& from, NodeId root) {
    const NodeId roots[] = {root};
    const std::vector<bool> live = engine::reachable(from, roots);
    std::vector<NodeId> mapped(from.size(), kNoNode);
    for (NodeId id = 0; id <= root; ++id) {
      if (!live[id]) continue;
      Node node = from.node(id);
      for (int k = 0; k < engine::arity(node.op); ++k) node.child[k] = mapped[node.child[k]];
      mapped[id] = rewrite_at(out_.make(node), 0);
      if (state_ != PassState::kRunning) return kNoNode;
    }
    return mapped[root];
  }

  PassState state() const { return state_; }
  std::uint64_t fired() const { return fired_; }
  bool complete() const { return complete_; }

 private:
  // Tries the rules at `node` and, after a rule fires, again at its result.
  NodeId rewrite_at(NodeId node, int depth) {
    for (int step = depth;; ++step) {
      if (step > kMaxNesting) {
        complete_ = false;
        return node;
      }
      if (!within_limits()) return node;
      const NodeId result = apply_first_rule(node, step);
      if (result == kNoNode) return node;
      node = result;
    }
  }

  bool within_limits() {
    if (state_ != PassState::kRunning) return false;
    if (out_.size() > options_.limits.max_nodes) {
      state_ = PassState::kNodeLimit;
      return false;
    }
    if (++attempts_ % kClockInterval == 0 && Clock::now() > deadline_) {
      state_ = PassState::kTimeLimit;
      return false;
    }
    return true;
  }

  // Returns the right side of the first rule that fires at `node`, or kNoNode.
  bool satisfies(const Need& need, NodeId node) const {
    const Node& n = out_.node(node);
    switch (need.kind) {
      case Need::kAny: return true;
      case Need::kConstant: return n.op == Op::Constant;
      case Need::kLiteral: return n.op == Op::Constant && n.value == need.value;
      case Need::kOp: return n.op == need.op;
    }
    return true;
  }

  // A necessary condition for rule k to match `node`: the node and its children (for + and *,
  // some term of the flattened sum or product) are what the left side needs.
  bool may_match(std::size_t k, NodeId node, Terms& terms) {
    if (!satisfies(index_.root_need[k], node)) return false;
    const PatternNode& left = rules_[k]->nodes[rules_[k]->left];
    const Node& n = out_.node(node);
    const bool commutative = left.kind == PatternKind::kOp && engine::op_info(n.op).commutative;
    for (int c = 0; c < left.arity; ++c) {
      const Need& need = index_.child_need[k][c];
      if (need.kind == Need::kAny) continue;
      if (!commutative) {
        if (!satisfies(need, n.child[c])) return false;
        continue;
      }
      if (terms.empty()) {
        terms = flatten(node, n.op);
        if (terms.empty()) terms = {n.child[0], n.child[1]};
      }
      if (std::none_of(terms.begin(), terms.end(), [&](NodeId t) { return satisfies(need, t); })) {
        return false;
      }
    }
    return true;
  }

  NodeId apply_first_rule(NodeId node, int depth) {
    Terms terms;  // of `node`, flattened on first use
    for (const std::size_t k : candidates_[static_cast<int>(out_.op(node))]) {
      if (!may_match(k, node, terms)) continue;
      const Rule& rule = *rules_[k];
      NodeId result = kNoNode;
      Bindings bindings(rule.slot_names.size());
      const auto accept = [&](const Bindings& b) {
        if (!guard_holds(rule, b)) return false;
        const NodeId built = instantiate(rule, rule.right, b, depth);
        if (built == kNoNode || built == node) return false;
        result = built;
        return true;
      };
      built_rest_ = false;
      if (solve(rule, {{rule.left, node}}, std::move(bindings), accept)) {
        ++counts_[k];
        ++fired_;
        if (built_rest_) complete_ = false;
        return result;
      }
      if (state_ != PassState::kRunning) return kNoNode;
    }
    return kNoNode;
  }

  // ---------------------------------------------------------------------------------------------
  // Matching

  // Returns the terms of the maximal tree of `op` nodes at `node`, or an empty vector when
  // there are more than kMaxFlattenedTerms.
  Terms flatten(NodeId node, Op op) const {
    Terms terms;
    Terms stack = {node};
    while (!stack.empty()) {
      const NodeId n = stack.back();
      stack.pop_back();
      const Node& current = out_.node(n);
      if (current.op == op) {
        stack.push_back(current.child[1]);
        stack.push_back(current.child[0]);
        continue;
      }
      terms.push_back(n);
      if (terms.size() > kMaxFlattenedTerms) return {};
    }
    return terms;
  }

  NodeId rest_of(const Item& item) {
    built_rest_ = true;
    NodeId rest = kNoNode;
    for (std::size_t k = 0; k < item.terms->size(); ++k) {
      if (k == item.skip) continue;
      const NodeId term = (*item.terms)[k];
      rest = rest == kNoNode ? term : out_.binary(item.op, rest, term);
    }
    return rest;
  }

  // Matches the items of `work` and calls accept(bindings) for each complete match until it
  // returns true. Commutative nodes branch over the ways their operands can pair up.
  template <typename Accept>
  bool solve(const Rule& rule, Work work, Bindings bindings, const Accept& accept) {
    while (!work.empty()) {
      Item item = work.back();
      work.pop_back();
      if (item.terms != nullptr) item.node = rest_of(item);
      const PatternNode& pattern = rule.nodes[item.pattern];
      const Node& node = out_.node(item.node);
      switch (pattern.kind) {
        case PatternKind::kVariable: {
          Binding& binding = bindings[pattern.slot];
          if (binding.bound && binding.node != item.node) return false;
          binding.bound = true;
          binding.node = item.node;
          break;
        }
        case PatternKind::kLiteral:
          if (node.op != Op::Constant || node.value != pattern.value) return false;
          break;
        case PatternKind::kOpVariable: {
          if (engine::is_leaf(node.op) || engine::arity(node.op) != pattern.arity) return false;
          Binding& binding = bindings[pattern.slot];
          if (binding.bound && (binding.op != node.op || binding.value != node.value)) return false;
          binding.bound = true;
          binding.op = node.op;
          binding.value = node.value;
          for (int k = 0; k < pattern.arity; ++k) work.push_back({pattern.child[k], node.child[k]});
          break;
        }
        case PatternKind::kOp:
          if (node.op != pattern.op) return false;
          if (engine::op_info(node.op).commutative) {
            return solve_commutative(rule, std::move(work), std::move(bindings), pattern, item.node,
                                     accept);
          }
          for (int k = 0; k < pattern.arity; ++k) work.push_back({pattern.child[k], node.child[k]});
          break;
        case PatternKind::kNumeric:
          return false;
      }
    }
    return accept(bindings);
  }

  static bool could_match_rest(const PatternNode& pattern, Op op) {
    switch (pattern.kind) {
      case PatternKind::kVariable: return true;
      case PatternKind::kOpVariable: return pattern.arity == 2;
      case PatternKind::kOp: return pattern.op == op;
      case PatternKind::kLiteral:
      case PatternKind::kNumeric: return false;
    }
    return false;
  }

  // A pattern a∘b against a node that is the ∘ of terms t_1..t_k: one pattern operand takes a
  // term t_i, the other the ∘ of the remaining terms, for each i and both operands. For k = 2
  // this is the match in both child orders.
  template <typename Accept>
  bool solve_commutative(const Rule& rule, Work work, Bindings bindings,
                         const PatternNode& pattern, NodeId node, const Accept& accept) {
    Terms terms = flatten(node, pattern.op);
    if (terms.empty()) terms = {out_.node(node).child[0], out_.node(node).child[1]};
    for (std::size_t i = 0; i < terms.size(); ++i) {
      for (int side = 0; side < 2; ++side) {
        // With two equal terms the other choices repeat this one.
        if (terms.size() == 2 && i == 1 && terms[0] == terms[1]) continue;
        // The rest of three or more terms is a node of the same op, which a literal or
        // another op cannot match: skip building it.
        if (terms.size() > 2 && !could_match_rest(rule.nodes[pattern.child[1 - side]], pattern.op)) {
          continue;
        }
        Work branch = work;
        Item rest{pattern.child[1 - side], kNoNode, &terms, i, pattern.op};
        branch.push_back(rest);
        branch.push_back({pattern.child[side], terms[i]});
        if (solve(rule, std::move(branch), bindings, accept)) return true;
        if (state_ != PassState::kRunning) return false;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Numbers and guards

  std::optional<double> number(const Rule& rule, int index, const Bindings& b) const {
    const PatternNode& pattern = rule.nodes[index];
    std::optional<double> result;
    switch (pattern.kind) {
      case PatternKind::kLiteral:
        result = pattern.value;
        break;
      case PatternKind::kVariable: {
        const NodeId node = b[pattern.slot].node;
        if (out_.is_constant(node)) result = out_.node(node).value;
        break;
      }
      case PatternKind::kOp:
      case PatternKind::kOpVariable: {
        const auto x = number(rule, pattern.child[0], b);
        const auto y = pattern.arity > 1 ? number(rule, pattern.child[1], b) : std::optional<double>(0.0);
        if (!x || !y) return std::nullopt;
        const bool variable = pattern.kind == PatternKind::kOpVariable;
        const Op op = variable ? b[pattern.slot].op : pattern.op;
        result = autodiff::prim::apply(op, *x, *y, variable ? b[pattern.slot].value : 0.0);
        break;
      }
      case PatternKind::kNumeric: {
        const auto x = number(rule, pattern.child[0], b);
        if (!x) return std::nullopt;
        switch (pattern.function) {
          case NumericFunction::kFold:
            result = *x;
            break;
          case NumericFunction::kNumerator:
          case NumericFunction::kDenominator: {
            const auto fraction = simple_fraction(*x, kExactTolerance);
            if (!fraction) return std::nullopt;
            result = static_cast<double>(pattern.function == NumericFunction::kNumerator
                                             ? fraction->numerator
                                             : fraction->denominator);
            break;
          }
          case NumericFunction::kSnap:
            if (options_.roundoff > 0.0) result = nearby_simple_value(*x, options_.roundoff);
            break;
        }
        break;
      }
    }
    if (result && !std::isfinite(*result)) return std::nullopt;
    return result;
  }

  static bool is_integer(double v) { return v == std::round(v); }

  bool condition_holds(const Rule& rule, const Condition& condition, const Bindings& b) {
    const PatternNode& subject = rule.nodes[condition.subject];
    const auto x = number(rule, condition.subject, b);
    switch (condition.predicate) {
      case Predicate::kGreater:
      case Predicate::kGreaterEqual:
      case Predicate::kLess:
      case Predicate::kLessEqual:
      case Predicate::kNotEqual:
      case Predicate::kEqual: {
        const auto y = number(rule, condition.operand, b);
        if (x && y) return compare(condition.predicate, *x, *y);
        // The sign of an expression, proved from its structure or on the data.
        const PatternNode& operand = rule.nodes[condition.operand];
        const bool against_zero = operand.kind == PatternKind::kLiteral && operand.value == 0.0;
        if (!against_zero || subject.kind != PatternKind::kVariable) return false;
        const NodeId node = b[subject.slot].node;
        switch (condition.predicate) {
          case Predicate::kGreater: return domain_.positive(node);
          case Predicate::kGreaterEqual: return domain_.nonnegative(node);
          case Predicate::kLess: return domain_.negative(node);
          case Predicate::kLessEqual: return domain_.nonpositive(node);
          case Predicate::kNotEqual: return domain_.nonzero(node);
          default: return false;
        }
      }
      case Predicate::kConstant:
        return subject.kind == PatternKind::kVariable && out_.is_constant(b[subject.slot].node);
      case Predicate::kInteger: return x && is_integer(*x);
      case Predicate::kEven: return x && is_integer(*x) && std::fmod(*x, 2.0) == 0.0;
      case Predicate::kOdd: return x && is_integer(*x) && std::fmod(*x, 2.0) != 0.0;
      case Predicate::kNotEven: return x && !(is_integer(*x) && std::fmod(*x, 2.0) == 0.0);
      case Predicate::kSimple: return x && simple_fraction(*x, kExactTolerance).has_value();
      case Predicate::kNearSimple:
        return x && options_.roundoff > 0.0 && nearby_simple_value(*x, options_.roundoff).has_value();
      case Predicate::kModulo: {
        const auto modulus = number(rule, condition.modulus, b);
        const auto remainder = number(rule, condition.operand, b);
        if (!x || !modulus || !remainder || *modulus == 0.0) return false;
        // Beyond a million turns the tolerance below is no longer small against the modulus,
        // and a double such as 6.02e23 has no meaningful remainder at all.
        const double difference = *x - *remainder;
        if (std::abs(difference) > kMaxTurns * std::abs(*modulus)) return false;
        const double turns = std::round(difference / *modulus);
        const double residual = difference - turns * *modulus;
        return std::abs(residual) <= kExactTolerance * std::max(std::abs(*x), std::abs(*modulus));
      }
    }
    return false;
  }

  static bool compare(Predicate predicate, double x, double y) {
    switch (predicate) {
      case Predicate::kGreater: return x > y;
      case Predicate::kGreaterEqual: return x >= y;
      case Predicate::kLess: return x < y;
      case Predicate::kLessEqual: return x <= y;
      case Predicate::kNotEqual: return x != y;
      case Predicate::kEqual: return x == y;
      default: return false;
    }
  }

  bool guard_holds(const Rule& rule, const Bindings& b) {
    if (rule.guard.empty()) return true;
    for (const std::vector<Condition>& conjunction : rule.guard) {
      bool all = true;
      for (const Condition& condition : conjunction) {
        if (!condition_holds(rule, condition, b)) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Right sides

  // Builds the right side bottom-up; every node it builds is rewritten in turn. Returns kNoNode
  // when a number cannot be computed.
  NodeId instantiate(const Rule& rule, int index, const Bindings& b, int depth) {
    const PatternNode& pattern = rule.nodes[index];
    switch (pattern.kind) {
      case PatternKind::kVariable:
        return b[pattern.slot].node;
      case PatternKind::kLiteral:
        return out_.constant(pattern.value);
      case PatternKind::kNumeric: {
        const auto value = number(rule, index, b);
        return value ? out_.constant(*value) : kNoNode;
      }
      case PatternKind::kOp:
      case PatternKind::kOpVariable: {
        Node node;
        node.op = pattern.kind == PatternKind::kOp ? pattern.op : b[pattern.slot].op;
        node.value = pattern.kind == PatternKind::kOp ? 0.0 : b[pattern.slot].value;
        for (int k = 0; k < pattern.arity; ++k) {
          node.child[k] = instantiate(rule, pattern.child[k], b, depth);
          if (node.child[k] == kNoNode) return kNoNode;
        }
        return rewrite_at(out_.make(node), depth + 1);
      }
    }
    return kNoNode;
  }

  const RuleIndex& index_;
  const std::vector<const Rule*>& rules_;
  const std::vector<std::size_t> (&candidates_)[engine::kNumOps];
  Graph& out_;
  Domain& domain_;
  const RewriteOptions& options_;
  Clock::time_point deadline_;
  std::vector<std::uint64_t>& counts_;
  PassState state_ = PassState::kRunning;
  bool complete_ = true;
  bool built_rest_ = false;
  std::uint64_t attempts_ = 0;
  std::uint64_t fired_ = 0;
};

}  // namespace

std::string_view describe(StopReason reason) {
  switch (reason) {
    case StopReason::kSaturated: return "saturated";
    case StopReason::kRoundLimit: return "round limit";
    case StopReason::kNodeLimit: return "node limit";
    case StopReason::kTimeLimit: return "time limit";
  }
  return "";
}

void RewriteReport::merge(const RewriteReport& later) {
  if (later.stop != StopReason::kSaturated) stop = later.stop;
  rounds += later.rounds;
  seconds += later.seconds;
  for (const RuleFiring& firing : later.fired) {
    bool found = false;
    for (RuleFiring& existing : fired) {
      if (existing.rule == firing.rule) {
        existing.count += firing.count;
        found = true;
      }
    }
    if (!found) fired.push_back(firing);
  }
}

RewriteResult rewrite(const Graph& from, NodeId root, Graph& out, const RewriteOptions& options) {
  LIES_CHECK(root < from.size());
  const Clock::time_point start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(options.limits.max_seconds));

  std::optional<RuleIndex> own_index;
  if (!options.rules.empty()) own_index.emplace(options.rules, options.stage);
  const RuleIndex& index = own_index ? *own_index : table_index(options.stage);
  std::vector<std::uint64_t> counts(index.rules.size(), 0);

  RewriteResult result;
  RewriteReport& report = result.report;
  const Graph* current = &from;
  NodeId current_root = root;
  std::unique_ptr<Graph> last_round;
  report.stop = StopReason::kRoundLimit;
  for (int round = 1; round <= options.limits.max_rounds; ++round) {
    auto next = std::make_unique<Graph>();
    Domain domain(*next, options.facts, options.data);
    RulePass pass(index, *next, domain, options, deadline, counts);
    NodeId next_root = pass.run(*current, current_root);
    if (next_root == kNoNode) {
      report.stop = pass.state() == PassState::kNodeLimit ? StopReason::kNodeLimit
                                                         : StopReason::kTimeLimit;
      break;
    }
    // The canonical pass may create new matches, unless it changed nothing.
    bool normal_changed = false;
    if (options.normal_form) {
      auto normal = std::make_unique<Graph>();
      const NodeId normal_root = Canonicalizer(*normal, options.facts).normalize(*next, next_root);
      normal_changed = normal->hash(normal_root) != next->hash(next_root);
      next = std::move(normal);
      next_root = normal_root;
    }
    report.rounds = round;
    last_round = std::move(next);
    current = last_round.get();
    current_root = next_root;
    if (pass.complete() && !normal_changed) {
      report.stop = StopReason::kSaturated;
      break;
    }
    if (Clock::now() > deadline) {
      report.stop = StopReason::kTimeLimit;
      break;
    }
  }

  const NodeId roots[] = {current_root};
  result.root = engine::copy_into(*current, roots, out, [](NodeId) { return kNoNode; })[0];
  for (std::size_t k = 0; k < index.rules.size(); ++k) {
    if (counts[k] > 0) report.fired.push_back({index.rules[k]->name, counts[k]});
  }
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace lies::simplify
