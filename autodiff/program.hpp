// A Graph compiled for evaluation over many rows, and the reverse sweep over its tape.
//
// Program::compile turns the nodes reachable from a set of outputs into instructions in
// topological order, stored struct-of-arrays. Weighted sums, the bulk of a LIES network,
// are fused into one LinComb instruction each:
//   LinComb: y = Σ_k c_k · x_k,  c_k a parameter or a constant, x_k an earlier
//            instruction or the constant 1 (a bias term).
// The tape of a chunk is the value of every instruction for every row of the chunk,
// laid out instruction-major: value(i, r) = values[i * stride + r]. The forward pass fills
// it (templated on the scalar, so it also runs in Boost.Multiprecision types); the reverse
// sweep walks it backwards in double and accumulates parameter adjoints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "autodiff/primitives.hpp"
#include "engine/check.hpp"
#include "engine/graph.hpp"

namespace lies::autodiff {

// Instruction codes: every engine::Op with the same value, then the fused codes.
enum class Code : std::uint8_t {
#define LIES_OP(name, arity, spelling, commutative) name,
#include "engine/ops.def"
#undef LIES_OP
  LinComb,
};

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

struct CompileOptions {
  // Fuse weighted sums into LinComb instructions. Off, every Add and Mul is its own
  // instruction, which tests use to check that fusion changes nothing.
  bool fuse_linear = true;
};

class Program {
 public:
  // Compiles the nodes reachable from `outputs`. Every Input column index must be smaller
  // than `num_inputs` and every Param index smaller than `num_params`.
  static Program compile(const engine::Graph& graph, std::span<const engine::NodeId> outputs,
                         std::uint32_t num_inputs, std::uint32_t num_params,
                         const CompileOptions& options = {});

  std::size_t size() const { return code.size(); }

  // One entry per instruction.
  std::vector<Code> code;
  std::vector<std::uint32_t> arg0;   // first operand instruction, or kNone
  std::vector<std::uint32_t> arg1;   // second operand instruction, or kNone
  std::vector<std::uint32_t> index;  // Input column or Param index
  std::vector<double> imm;           // Constant value, or clamp limit of ProtLog/ProtExp
  // Whether the instruction depends on a parameter; the reverse sweep skips the others.
  std::vector<std::uint8_t> active;
  std::vector<engine::NodeId> node;  // the graph node the instruction computes

  // Terms of LinComb instruction i are [term_begin[i], term_begin[i + 1]).
  std::vector<std::uint32_t> term_begin;
  std::vector<std::uint32_t> term_arg;    // operand instruction, or kNone for the constant 1
  std::vector<std::uint32_t> term_param;  // parameter index, or kNone when the coefficient is
  std::vector<double> term_coef;          // this constant

  // The LinComb terms that read instruction i, for the reverse sweep, are
  // use_term[use_begin[i] .. use_begin[i + 1]): term indices, by descending owner.
  // term_owner[k] is the LinComb instruction that term k belongs to.
  std::vector<std::uint32_t> use_begin;
  std::vector<std::uint32_t> use_term;
  std::vector<std::uint32_t> term_owner;

  std::vector<std::uint32_t> outputs;  // instruction of each requested output
  std::uint32_t num_inputs = 0;
  std::uint32_t num_params = 0;
};

// Column pointers for the rows of one chunk: inputs[j] points at the first row of
// column j. Evaluates every instruction for `rows` rows into `values`.
template <typename T>
void forward(const Program& program, std::span<const T* const> inputs, std::size_t rows,
             std::span<const T> params, T* values, std::size_t stride);

// Sum over the chunk of the domain violations of ProtLog and ProtExp instructions: the
// distance by which their arguments crossed the clamp limit.
double domain_violation(const Program& program, const double* values, std::size_t rows,
                        std::size_t stride);

struct ReverseOutputs {
  // Adjoints of every parameter, summed over the chunk's rows (added to, not assigned).
  double* param_adjoint = nullptr;
  // When set, per-row parameter adjoints instead: jacobian[r * num_params + p] (added to).
  double* jacobian = nullptr;
};

// Reverse sweep over a chunk whose tape `values` the forward pass filled. The adjoint of
// output 0 is `output_adjoint`; `violation_weight` is the derivative of the loss with
// respect to each unit of domain violation. `adjoints` is scratch of the tape's size.
void reverse(const Program& program, std::size_t rows, std::span<const double> params,
             const double* values, std::size_t stride, const double* output_adjoint,
             double violation_weight, double* adjoints, const ReverseOutputs& out);

}  // namespace lies::autodiff

#include "autodiff/forward_impl.hpp"
