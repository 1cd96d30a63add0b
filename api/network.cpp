#include "lies/network.hpp"

#include <algorithm>
#include <utility>

#include "api/access.hpp"
#include "api/guard.hpp"
#include "engine/network_formula.hpp"
#include "lies/files.hpp"

namespace lies {
namespace {

using detail::Access;

// The network of a default-constructed Network: one input x, the constant 0 as output. A
// saved network needs at least one input, so this one can be saved and read back.
io::SavedGraph zero_network() {
  io::SavedGraph saved;
  saved.network.graph.input(0);
  saved.network.output = saved.network.graph.constant(0.0);
  saved.network.transform.input_scale = {1.0};
  // The names are assigned from std::string, because GCC 12 gives a false -Wrestrict
  // warning for the assignment of a literal here.
  io::SavedInput input;
  input.name = std::string("x");
  saved.inputs.push_back(input);
  saved.target_name = std::string("y");
  return saved;
}

std::vector<std::string> input_names(const io::SavedGraph& saved) {
  std::vector<std::string> names;
  for (const io::SavedInput& input : saved.inputs) names.push_back(input.name);
  return names;
}

Formula read_formula(const io::SavedGraph& saved, const simplify::ArgumentRanges& ranges) {
  const engine::TrainedNetwork& network = saved.network;
  auto graph = std::make_shared<engine::Graph>();
  const engine::NodeId root = engine::network_formula(network.graph, network.output, network.params,
                                                      ranges, network.transform, *graph);
  return Access::make_formula(std::move(graph), root, input_names(saved));
}

}  // namespace

Network::Network() {
  static const std::shared_ptr<const detail::NetworkImpl> zero =
      Access::make_network(zero_network()).impl_;
  impl_ = zero;
}

absl::StatusOr<Network> Network::read(const std::string& path) {
  return detail::guarded("read network", [&]() -> absl::StatusOr<Network> {
    absl::StatusOr<io::SavedGraph> saved = io::read_saved_graph(path);
    if (!saved.ok()) return saved.status();
    return Access::make_network(*std::move(saved));
  });
}

absl::StatusOr<Network> Network::parse(std::string_view text, std::string_view source) {
  return detail::guarded("parse network", [&]() -> absl::StatusOr<Network> {
    absl::StatusOr<io::SavedGraph> saved = io::parse_saved_graph(text, source);
    if (!saved.ok()) return saved.status();
    return Access::make_network(*std::move(saved));
  });
}

std::string Network::to_json() const { return io::format_saved_graph(impl_->saved); }

absl::Status Network::save(const std::string& path) const {
  return detail::guarded("save network",
                         [&]() -> absl::Status { return write_file_atomically(path, to_json()); });
}

Network Network::with_producer(Producer producer) const {
  io::SavedGraph saved = impl_->saved;
  saved.producer.tool = std::move(producer.tool);
  saved.producer.version = std::move(producer.version);
  saved.producer.seed = producer.seed;
  saved.producer.options = std::move(producer.options);
  return Access::make_network(std::move(saved));
}

const Producer& Network::producer() const { return impl_->producer; }
const std::string& Network::target_name() const { return impl_->saved.target_name; }
const std::vector<NetworkInput>& Network::inputs() const { return impl_->inputs; }

std::vector<std::string> Network::positive_inputs() const {
  std::vector<std::string> names;
  for (const NetworkInput& input : impl_->inputs) {
    const bool positive = std::all_of(
        impl_->inputs.begin(), impl_->inputs.end(),
        [&](const NetworkInput& other) { return other.name != input.name || other.min > 0.0; });
    const bool listed = std::find(names.begin(), names.end(), input.name) != names.end();
    if (positive && !listed) names.push_back(input.name);
  }
  return names;
}

Formula Network::formula() const {
  return read_formula(impl_->saved, impl_->saved.network.protected_ranges);
}

Formula Network::clamped_formula() const { return read_formula(impl_->saved, {}); }

namespace detail {

Network Access::make_network(io::SavedGraph saved) {
  auto impl = std::make_shared<NetworkImpl>();
  for (const io::SavedInput& input : saved.inputs) {
    impl->inputs.push_back({input.name, input.min, input.max});
  }
  impl->producer.tool = saved.producer.tool;
  impl->producer.version = saved.producer.version;
  impl->producer.seed = saved.producer.seed;
  impl->producer.options = saved.producer.options;
  impl->saved = std::move(saved);
  return Network(std::move(impl));
}

}  // namespace detail
}  // namespace lies
