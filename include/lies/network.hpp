// Trained LIES networks: saving, loading, and the formula a network computes.
//
//   result->network.save("fit.json");                    // after lies::fit
//   absl::StatusOr<lies::Network> network = lies::Network::read("fit.json");
//   lies::Formula formula = network->formula();           // not yet simplified
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lies/formula.hpp"

namespace lies {

namespace detail {
struct NetworkImpl;
}  // namespace detail

// The program run that trained a network, as a saved network records it.
struct Producer {
  std::string tool;     // such as "lies fit"
  std::string version;  // of lies
  std::uint64_t seed = 0;
  // Options of the run as (name, value) text, in the order written.
  std::vector<std::pair<std::string, std::string>> options;
};

// An input column of a network and its range on the training rows.
struct NetworkInput {
  std::string name;
  double min = 0.0;
  double max = 0.0;
};

// A trained LIES network: its expression graph with the trained weights, the change of
// variables between the table's units and the network's, and facts about the training
// rows. The saved form is a versioned JSON file, described in docs/saved-graph-format.md;
// saving, loading and saving again gives the same bytes.
//
// Thread-safety: a Network never changes after it is made, so any number of threads may
// use the same Network, or copies of it, at once. Copies share the network.
class Network {
 public:
  // A network of one input x, with range [0, 0], whose output y is the constant 0.
  Network();

  // Reads a saved network. Returns NotFound when the file does not exist, and
  // InvalidArgument when it cannot be read or does not parse (see parse).
  static absl::StatusOr<Network> read(const std::string& path);

  // Parses the text of a saved network. `source` names it in error messages.
  //
  // Returns InvalidArgument when the text is not JSON, comes from a newer format version,
  // has unknown or missing fields, or describes a malformed graph (a child after its
  // parent, an index out of range, a non-finite number). The message starts with `source`
  // and names the node, the input or the JSON line and column. Text above 256 MiB, 2,000,000
  // nodes or an expression depth of 100,000 is rejected too.
  static absl::StatusOr<Network> parse(std::string_view text, std::string_view source);

  // The text of the saved network: JSON, with one line per input and per node.
  std::string to_json() const;

  // Writes to_json() to `path` through a temporary file in the same directory that is
  // renamed into place, so readers never see a partial file. Returns InvalidArgument when
  // the directory does not exist or is not writable, and ResourceExhausted when writing
  // fails, such as on a full disk.
  absl::Status save(const std::string& path) const;

  // A copy of this network that records `producer` as the run that trained it.
  Network with_producer(Producer producer) const;

  const Producer& producer() const;
  const std::string& target_name() const;
  // The input columns, in the order of the variables of formula().
  const std::vector<NetworkInput>& inputs() const;
  // Names of the inputs whose minimum on the training rows is positive, for
  // SimplifyOptions::positive_variables. A name that several inputs share is listed only
  // when all of them are positive.
  std::vector<std::string> positive_inputs() const;

  // The formula the network computes, in the table's units: weights become constants, and
  // a protected unit, log(max(z, c)) or exp(min(z, c)), becomes plain log or exp when its
  // clamp never acted on the training rows. Not simplified: see Formula::simplify.
  Formula formula() const;

  // The function the network computes exactly as trained: every protected unit keeps its
  // clamp. Not simplified.
  Formula clamped_formula() const;

 private:
  friend struct detail::Access;
  explicit Network(std::shared_ptr<const detail::NetworkImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const detail::NetworkImpl> impl_;
};

}  // namespace lies
