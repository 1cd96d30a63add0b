#include "autodiff/program.hpp"

#include <algorithm>
#include <utility>

namespace lies::autodiff {
namespace {

using engine::Graph;
using engine::Node;
using engine::NodeId;
using engine::Op;

bool is_coefficient(const Graph& graph, NodeId id) {
  const Op op = graph.op(id);
  return op == Op::Param || op == Op::Constant;
}

// A term of a fused weighted sum, still in graph terms: coefficient node times operand
// node, or times 1 when operand is kNoNode.
struct NodeTerm {
  NodeId coefficient;  // a Param or Constant node, or kNoNode for the coefficient 1
  NodeId operand;
};

class Compiler {
 public:
  Compiler(const Graph& graph, std::span<const NodeId> outputs, const CompileOptions& options)
      : graph_(graph), outputs_(outputs), options_(options) {}

  Program run(std::uint32_t num_inputs, std::uint32_t num_params) {
    live_ = engine::reachable(graph_, outputs_);
    count_uses();
    if (options_.fuse_linear) plan_fusion();
    Program program = emit();
    program.num_inputs = num_inputs;
    program.num_params = num_params;
    for (std::size_t i = 0; i < program.size(); ++i) {
      if (program.code[i] == Code::Input) LIES_CHECK(program.index[i] < num_inputs);
      if (program.code[i] == Code::Param) LIES_CHECK(program.index[i] < num_params);
    }
    for (std::uint32_t p : program.term_param) LIES_CHECK(p == kNone || p < num_params);
    return program;
  }

 private:
  void count_uses() {
    uses_.assign(graph_.size(), 0);
    is_output_.assign(graph_.size(), false);
    for (NodeId id = 0; id < graph_.size(); ++id) {
      if (!live_[id]) continue;
      const Node& node = graph_.node(id);
      for (int k = 0; k < engine::arity(node.op); ++k) ++uses_[node.child[k]];
    }
    for (NodeId id : outputs_) is_output_[id] = true;
  }

  // A node whose value nothing but its one parent needs can be folded into that parent's
  // weighted sum.
  bool foldable(NodeId id) const { return uses_[id] == 1 && !is_output_[id]; }

  // Returns whether `id` heads a weighted sum: an Add, or a coefficient times a node.
  bool is_sum_root(NodeId id) const {
    const Node& node = graph_.node(id);
    if (node.op == Op::Add) return true;
    return node.op == Op::Mul &&
           (is_coefficient(graph_, node.child[0]) || is_coefficient(graph_, node.child[1]));
  }

  // Decides, from the outputs down, which nodes head a LinComb and which are absorbed
  // into one. Parents have larger ids, so a descending sweep sees a root before the nodes
  // it absorbs.
  void plan_fusion() {
    absorbed_.assign(graph_.size(), false);
    for (NodeId id = static_cast<NodeId>(graph_.size()); id-- > 0;) {
      if (!live_[id] || absorbed_[id] || !is_sum_root(id)) continue;
      terms_.emplace(id, expand(id));
    }
  }

  // A term reads its coefficient from the parameters or the constant itself, so a
  // coefficient node that nothing else uses needs no instruction of its own.
  void absorb_coefficient(NodeId id) {
    if (foldable(id)) absorbed_[id] = true;
  }

  std::vector<NodeTerm> expand(NodeId root) {
    std::vector<NodeTerm> terms;
    std::vector<NodeId> stack = {root};
    while (!stack.empty()) {
      const NodeId id = stack.back();
      stack.pop_back();
      const Node& node = graph_.node(id);
      const bool inside = id == root || foldable(id);
      if (inside && id != root) absorbed_[id] = true;

      if (inside && node.op == Op::Add) {
        stack.push_back(node.child[1]);
        stack.push_back(node.child[0]);
      } else if (inside && node.op == Op::Mul && is_coefficient(graph_, node.child[0])) {
        absorb_coefficient(node.child[0]);
        terms.push_back({node.child[0], node.child[1]});
      } else if (inside && node.op == Op::Mul && is_coefficient(graph_, node.child[1])) {
        absorb_coefficient(node.child[1]);
        terms.push_back({node.child[1], node.child[0]});
      } else if (is_coefficient(graph_, id)) {
        if (id != root) absorbed_[id] = foldable(id);
        terms.push_back({id, engine::kNoNode});
      } else {
        if (id != root) absorbed_[id] = false;
        terms.push_back({engine::kNoNode, id});
      }
    }
    return terms;
  }

  Program emit() {
    Program program;
    std::vector<std::uint32_t> instruction(graph_.size(), kNone);
    program.term_begin.push_back(0);

    for (NodeId id = 0; id < graph_.size(); ++id) {
      if (!live_[id] || (!absorbed_.empty() && absorbed_[id])) continue;
      const Node& node = graph_.node(id);
      const auto i = static_cast<std::uint32_t>(program.size());
      instruction[id] = i;

      program.node.push_back(id);
      program.index.push_back(node.op == Op::Input || node.op == Op::Param ? node.index : 0);
      program.imm.push_back(node.value);
      program.arg0.push_back(kNone);
      program.arg1.push_back(kNone);

      bool active = node.op == Op::Param;
      const auto sum = terms_.find(id);
      if (sum != terms_.end()) {
        program.code.push_back(Code::LinComb);
        for (const NodeTerm& term : sum->second) {
          active |= append_term(program, term, instruction);
        }
      } else {
        program.code.push_back(static_cast<Code>(node.op));
        for (int k = 0; k < engine::arity(node.op); ++k) {
          const std::uint32_t arg = instruction[node.child[k]];
          LIES_CHECK(arg != kNone);
          (k == 0 ? program.arg0 : program.arg1).back() = arg;
          active |= program.active[arg] != 0;
        }
      }
      program.active.push_back(active ? 1 : 0);
      program.term_begin.push_back(static_cast<std::uint32_t>(program.term_arg.size()));
    }

    for (NodeId id : outputs_) program.outputs.push_back(instruction[id]);
    index_uses(program);
    return program;
  }

  // Fills term_owner and the lists of terms that read each instruction. The reverse
  // sweep reads these lists to gather each value's adjoint from the terms that use it.
  static void index_uses(Program& program) {
    const std::size_t n = program.size();
    program.term_owner.assign(program.term_arg.size(), kNone);
    std::vector<std::uint32_t> count(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::uint32_t k = program.term_begin[i]; k < program.term_begin[i + 1]; ++k) {
        program.term_owner[k] = static_cast<std::uint32_t>(i);
        if (program.term_arg[k] != kNone) ++count[program.term_arg[k] + 1];
      }
    }
    program.use_begin.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) program.use_begin[i + 1] = program.use_begin[i] + count[i + 1];
    program.use_term.assign(program.use_begin[n], kNone);
    std::vector<std::uint32_t> next(program.use_begin.begin(), program.use_begin.end() - 1);
    for (std::size_t i = n; i-- > 0;) {
      for (std::uint32_t k = program.term_begin[i]; k < program.term_begin[i + 1]; ++k) {
        if (program.term_arg[k] != kNone) program.use_term[next[program.term_arg[k]]++] = k;
      }
    }
  }

  // Appends one LinComb term and returns whether it depends on a parameter.
  bool append_term(Program& program, const NodeTerm& term,
                   const std::vector<std::uint32_t>& instruction) {
    std::uint32_t arg = kNone;
    if (term.operand != engine::kNoNode) {
      arg = instruction[term.operand];
      LIES_CHECK(arg != kNone);
    }
    std::uint32_t param = kNone;
    double coef = 1.0;
    if (term.coefficient != engine::kNoNode) {
      const Node& c = graph_.node(term.coefficient);
      if (c.op == Op::Param) {
        param = c.index;
      } else {
        coef = c.value;
      }
    }
    program.term_arg.push_back(arg);
    program.term_param.push_back(param);
    program.term_coef.push_back(coef);
    return param != kNone || (arg != kNone && program.active[arg] != 0);
  }

  const Graph& graph_;
  std::span<const NodeId> outputs_;
  CompileOptions options_;
  std::vector<bool> live_;
  std::vector<std::uint32_t> uses_;
  std::vector<bool> is_output_;
  std::vector<bool> absorbed_;
  absl::flat_hash_map<NodeId, std::vector<NodeTerm>> terms_;
};

template <typename Prim>
void reverse_unary(const double* x, const double* y, const double* g, double* adj,
                   std::size_t rows) {
  for (std::size_t r = 0; r < rows; ++r) {
    if (g[r] != 0.0) adj[r] += g[r] * Prim::partial(x[r], y[r]);
  }
}

template <typename Prim>
void reverse_binary(const double* a, const double* b, const double* y, const double* g,
                    double* adj_a, double* adj_b, std::size_t rows) {
  if (adj_a != nullptr) {
    for (std::size_t r = 0; r < rows; ++r) {
      if (g[r] != 0.0) adj_a[r] += g[r] * Prim::partial_a(a[r], b[r], y[r]);
    }
  }
  if (adj_b != nullptr) {
    for (std::size_t r = 0; r < rows; ++r) {
      if (g[r] != 0.0) adj_b[r] += g[r] * Prim::partial_b(a[r], b[r], y[r]);
    }
  }
}

// Adds the adjoint of parameter `p` contributed by per-row factors g[r] · x[r] (x = 1
// when null), summed or per row.
void add_param_adjoint(const ReverseOutputs& out, std::uint32_t num_params, std::uint32_t p,
                       const double* g, const double* x, double scale, std::size_t rows) {
  if (out.jacobian != nullptr) {
    for (std::size_t r = 0; r < rows; ++r) {
      out.jacobian[r * num_params + p] += scale * g[r] * (x == nullptr ? 1.0 : x[r]);
    }
    return;
  }
  double sum = 0.0;
  if (x == nullptr) {
    for (std::size_t r = 0; r < rows; ++r) sum += g[r];
  } else {
    for (std::size_t r = 0; r < rows; ++r) sum += g[r] * x[r];
  }
  out.param_adjoint[p] += scale * sum;
}

// Adds the adjoint of parameter p over the rows, given the dot product that the kernel
// returned for it, or, for a Jacobian, g[r] · x[r] row by row (x = 1 when null).
void add_term_adjoint(const Program& program, const ReverseOutputs& out, std::uint32_t p,
                      double dot, const double* g, const double* x, std::size_t rows) {
  if (out.jacobian != nullptr) {
    add_param_adjoint(out, program.num_params, p, g, x, 1.0, rows);
  } else {
    out.param_adjoint[p] += dot;
  }
}

// Gathers, from the LinComb terms that read instruction i, the adjoints of their
// parameters and, when i is active, i's own adjoint. The sums that own the terms come
// later in the program, so the sweep has completed their adjoints already.
void gather_uses(const Program& program, std::size_t i, std::span<const double> params,
                 const double* values, double* adjoints, std::size_t stride, std::size_t rows,
                 const ReverseOutputs& out, const kernels::KernelTable& table) {
  const bool active = program.active[i] != 0;
  const double* x = values + i * stride;
  double* adj = active ? adjoints + i * stride : nullptr;
  constexpr std::size_t kTerms = detail::kTermsPerKernelCall;
  const double* g[kTerms];
  double coef[kTerms];
  double dots[kTerms];
  std::uint32_t param[kTerms];
  std::size_t count = 0;

  auto flush = [&] {
    if (count == 0) return;
    table.gather_adjoint(x, adj, rows, g, coef, dots, count);
    for (std::size_t j = 0; j < count; ++j) {
      if (param[j] != kNone) add_term_adjoint(program, out, param[j], dots[j], g[j], x, rows);
    }
    count = 0;
  };
  for (std::uint32_t u = program.use_begin[i]; u < program.use_begin[i + 1]; ++u) {
    const std::uint32_t k = program.use_term[u];
    const std::uint32_t owner = program.term_owner[k];
    const std::uint32_t p = program.term_param[k];
    if (!program.active[owner] || (p == kNone && !active)) continue;
    g[count] = adjoints + static_cast<std::size_t>(owner) * stride;
    coef[count] = p == kNone ? program.term_coef[k] : params[p];
    param[count] = p;
    if (++count == kTerms) flush();
  }
  flush();
}

// Adds the adjoint of parameter p of a bias term, Σ_r g[r], or g per row for a Jacobian.
void add_bias_adjoint(const Program& program, const ReverseOutputs& out, std::uint32_t p,
                      const double* g, std::size_t rows, const kernels::KernelTable& table) {
  const double* const sum_adjoints[] = {g};
  const double unit_coefficient = 1.0;
  double dot = 0.0;
  if (out.jacobian == nullptr) {
    table.gather_adjoint(nullptr, nullptr, rows, sum_adjoints, &unit_coefficient, &dot, 1);
  }
  add_term_adjoint(program, out, p, dot, g, nullptr, rows);
}

}  // namespace

Program Program::compile(const engine::Graph& graph, std::span<const engine::NodeId> outputs,
                         std::uint32_t num_inputs, std::uint32_t num_params,
                         const CompileOptions& options) {
  return Compiler(graph, outputs, options).run(num_inputs, num_params);
}

double domain_violation(const Program& program, const double* values, std::size_t rows,
                        std::size_t stride) {
  const kernels::KernelTable& table = kernels::active();
  double total = 0.0;
  for (std::size_t i = 0; i < program.size(); ++i) {
    const Code code = program.code[i];
    if (code != Code::ProtLog && code != Code::ProtExp) continue;
    const double* x = values + program.arg0[i] * stride;
    const double limit = program.imm[i];
    total += code == Code::ProtLog ? table.prot_log_violation(x, rows, limit)
                                   : table.prot_exp_violation(x, rows, limit);
  }
  return total;
}

void reverse(const Program& program, std::size_t rows, std::span<const double> params,
             const double* values, std::size_t stride, const double* output_adjoint,
             double violation_weight, double* adjoints, const ReverseOutputs& out) {
  LIES_CHECK(!program.outputs.empty());
  LIES_CHECK(out.param_adjoint != nullptr || out.jacobian != nullptr);
  const kernels::KernelTable& table = kernels::active();
  const std::size_t n = program.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (program.active[i]) std::fill(adjoints + i * stride, adjoints + i * stride + rows, 0.0);
  }
  const std::uint32_t root = program.outputs[0];
  if (!program.active[root]) return;
  std::copy(output_adjoint, output_adjoint + rows, adjoints + root * stride);

  auto adjoint_of = [&](std::uint32_t arg) -> double* {
    return arg != kNone && program.active[arg] ? adjoints + arg * stride : nullptr;
  };

  LIES_CHECK(program.use_begin.size() == n + 1);
  for (std::size_t i = n; i-- > 0;) {
    // The terms that read i first, so that i's adjoint is complete below.
    gather_uses(program, i, params, values, adjoints, stride, rows, out, table);
    if (!program.active[i]) continue;
    const double* g = adjoints + i * stride;
    const double* y = values + i * stride;
    const std::uint32_t a0 = program.arg0[i];
    const std::uint32_t a1 = program.arg1[i];
    const double* a = a0 == kNone ? nullptr : values + a0 * stride;
    const double* b = a1 == kNone ? nullptr : values + a1 * stride;
    double* adj_a = adjoint_of(a0);
    double* adj_b = adjoint_of(a1);

    switch (program.code[i]) {
      case Code::Input:
      case Code::Constant:
        break;
      case Code::Param:
        add_bias_adjoint(program, out, program.index[i], g, rows, table);
        break;
      case Code::LinComb:
        // Operand terms are gathered at their operands; only bias terms are left here.
        for (std::uint32_t k = program.term_begin[i]; k < program.term_begin[i + 1]; ++k) {
          if (program.term_arg[k] == kNone && program.term_param[k] != kNone) {
            add_bias_adjoint(program, out, program.term_param[k], g, rows, table);
          }
        }
        break;
      case Code::ProtLog:
        if (adj_a) table.prot_log_reverse(a, y, g, adj_a, rows, program.imm[i], violation_weight);
        break;
      case Code::ProtExp:
        if (adj_a) table.prot_exp_reverse(a, y, g, adj_a, rows, program.imm[i], violation_weight);
        break;
      case Code::Pow:
        table.pow_reverse(a, b, y, g, adj_a, adj_b, rows);
        break;
#define LIES_UNARY(name)                                              \
  case Code::name:                                                    \
    if (adj_a) reverse_unary<prim::name>(a, y, g, adj_a, rows);       \
    break;
#define LIES_UNARY_KERNEL(name, field)                                \
  case Code::name:                                                    \
    if (adj_a) table.field(a, y, g, adj_a, rows);                     \
    break;
#define LIES_BINARY(name)                                             \
  case Code::name:                                                    \
    reverse_binary<prim::name>(a, b, y, g, adj_a, adj_b, rows);       \
    break;
        LIES_BINARY(Add)
        LIES_BINARY(Mul)
        LIES_BINARY(Div)
        LIES_UNARY(Neg)
        LIES_UNARY_KERNEL(Log, log_reverse)
        LIES_UNARY_KERNEL(Exp, exp_reverse)
        LIES_UNARY_KERNEL(Sin, sin_reverse)
        LIES_UNARY_KERNEL(Cos, cos_reverse)
        LIES_UNARY_KERNEL(Tan, tan_reverse)
        LIES_UNARY_KERNEL(Sqrt, sqrt_reverse)
        LIES_UNARY_KERNEL(Tanh, tanh_reverse)
        LIES_UNARY_KERNEL(Asin, asin_reverse)
        LIES_UNARY_KERNEL(Acos, acos_reverse)
        LIES_UNARY_KERNEL(Atan, atan_reverse)
#undef LIES_UNARY
#undef LIES_UNARY_KERNEL
#undef LIES_BINARY
    }
  }
}

}  // namespace lies::autodiff
