// The LIES network, built as nodes of a Graph.
//
// For n inputs and L hidden layers:
//   stage 0      the inputs u_1..u_n and the constant 1;
//   layer i      four units, in this order: identity, exp, sin, protected log. Unit k
//                computes a_k(z_k) with z_k = Σ w · v over every value v of every earlier
//                stage (the previous layer and skip connections from all layers before it
//                and from stage 0), and its output is scaled by its own bridge weight b_k;
//   output       Σ w · v over every value of every stage, including the constant 1, which
//                plays the role of the bias.
// Every weight is a Param node. The protected units clamp their argument:
// exp(min(z, 4)) and log(max(z, 0.005)).
//
// The skip terms add into a unit's pre-activation; no stored output is changed, so the
// graph is exactly the function that is trained and the formula read off it.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/graph.hpp"

namespace lies::engine {

inline constexpr double kLogFloor = 0.005;
inline constexpr double kExpCeiling = 4.0;
inline constexpr int kUnitsPerLayer = 4;

enum class UnitKind : std::uint8_t { Identity, Exp, Sin, Log };

enum class ParamKind : std::uint8_t { Weight, Bridge };

// Where a parameter sits in the network. Weights of one unit or output sum with the same
// `group` form one row of a weight matrix; the trainer treats each layer's weights as one
// matrix for ADMM and pruning.
struct ParamInfo {
  ParamKind kind = ParamKind::Weight;
  std::uint32_t layer = 0;  // 1..L for hidden layers, L + 1 for the output
  std::uint32_t unit = 0;   // unit within the layer (0 for the output)
  std::uint32_t fan_in = 0; // number of terms of the sum this weight belongs to
  // For a weight, the value it multiplies: 0..n−1 the inputs, n the constant 1, then the
  // bridged unit outputs, layer by layer. For a bridge, its unit's position in that list.
  std::uint32_t source = 0;
};

class LiesNetwork {
 public:
  // `layers` >= 1 hidden layers over `inputs` >= 1 input columns.
  static LiesNetwork build(std::uint32_t inputs, std::uint32_t layers);

  const Graph& graph() const { return graph_; }
  NodeId output() const { return output_; }
  std::uint32_t inputs() const { return inputs_; }
  std::uint32_t layers() const { return layers_; }
  std::uint32_t num_params() const { return static_cast<std::uint32_t>(params_.size()); }
  const std::vector<ParamInfo>& params() const { return params_; }

  // Initial weights drawn uniformly from ±1/√fan_in, bridge weights 1.
  std::vector<double> initial_params(std::uint64_t seed) const;

 private:
  std::uint32_t add_param(ParamInfo info);

  Graph graph_;
  NodeId output_ = kNoNode;
  std::uint32_t inputs_ = 0;
  std::uint32_t layers_ = 0;
  std::vector<ParamInfo> params_;
};

}  // namespace lies::engine
