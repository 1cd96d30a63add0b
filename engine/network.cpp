#include "engine/network.hpp"

#include <cmath>

#include "engine/check.hpp"
#include "engine/random.hpp"

namespace lies::engine {

std::uint32_t LiesNetwork::add_param(ParamInfo info) {
  params_.push_back(info);
  return static_cast<std::uint32_t>(params_.size() - 1);
}

LiesNetwork LiesNetwork::build(std::uint32_t inputs, std::uint32_t layers) {
  LIES_CHECK(inputs >= 1);
  LIES_CHECK(layers >= 1);
  LiesNetwork net;
  net.inputs_ = inputs;
  net.layers_ = layers;
  Graph& g = net.graph_;

  // Values visible to later layers, stage by stage flattened: stage 0 first.
  std::vector<NodeId> visible;
  for (std::uint32_t j = 0; j < inputs; ++j) visible.push_back(g.input(j));
  visible.push_back(g.constant(1.0));

  auto weighted_sum = [&](std::uint32_t layer, std::uint32_t unit) {
    const auto fan_in = static_cast<std::uint32_t>(visible.size());
    NodeId sum = kNoNode;
    for (std::uint32_t source = 0; source < fan_in; ++source) {
      const NodeId v = visible[source];
      const std::uint32_t p = net.add_param({ParamKind::Weight, layer, unit, fan_in, source});
      const NodeId term = g.is_constant(v, 1.0) ? g.param(p) : g.mul(g.param(p), v);
      sum = sum == kNoNode ? term : g.add(sum, term);
    }
    return sum;
  };

  for (std::uint32_t layer = 1; layer <= layers; ++layer) {
    NodeId outputs[kUnitsPerLayer];
    for (std::uint32_t unit = 0; unit < kUnitsPerLayer; ++unit) {
      const NodeId z = weighted_sum(layer, unit);
      NodeId a = z;
      switch (static_cast<UnitKind>(unit)) {
        case UnitKind::Identity:
          break;
        case UnitKind::Exp:
          a = g.prot_exp(z, kExpCeiling);
          break;
        case UnitKind::Sin:
          a = g.sin(z);
          break;
        case UnitKind::Log:
          a = g.prot_log(z, kLogFloor);
          break;
      }
      const auto position = static_cast<std::uint32_t>(visible.size()) + unit;
      const std::uint32_t bridge =
          net.add_param({ParamKind::Bridge, layer, unit, 1, position});
      outputs[unit] = g.mul(g.param(bridge), a);
    }
    // Add the layer to the visible values only after all four units are built, so no unit
    // sees its own layer.
    visible.insert(visible.end(), outputs, outputs + kUnitsPerLayer);
  }

  net.output_ = weighted_sum(layers + 1, 0);
  return net;
}

std::vector<double> LiesNetwork::initial_params(std::uint64_t seed) const {
  Rng rng(seed);
  std::vector<double> values(params_.size());
  for (std::size_t p = 0; p < params_.size(); ++p) {
    const ParamInfo& info = params_[p];
    if (info.kind == ParamKind::Bridge) {
      values[p] = 1.0;
      continue;
    }
    const double bound = 1.0 / std::sqrt(static_cast<double>(info.fan_in));
    values[p] = rng.uniform(-bound, bound);
  }
  return values;
}

}  // namespace lies::engine
