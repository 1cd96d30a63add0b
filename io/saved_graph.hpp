// Saved graphs: a trained LIES network in a versioned JSON file (docs/saved-graph-format.md).
//
//   lies fit data.csv --save fit.json      writes one
//   lies-simplify fit.json                 reads it and prints the formula
//
// A file stores the network's nodes in topological order, its trained parameter values and
// the names of the input and target columns. It also stores the transform between the user's
// units and the network's (log space, target sign, input scales, target offset and scale),
// facts about the training rows (input ranges, argument ranges of protected units) and what
// produced it (tool, version, seed, options).
//
// format_saved_graph and parse_saved_graph are exact inverses: saving, loading and saving
// again gives the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/dataset.hpp"
#include "engine/fitter.hpp"
#include "engine/network_formula.hpp"
#include "simplify/domain.hpp"

namespace lies::io {

// The format version this lies writes, and the newest it reads.
inline constexpr int kSavedGraphVersion = 1;

// Limits of a file that parse_saved_graph accepts. The defaults are far above any network
// that lies trains: one with 30 inputs and 30 layers has 32612 nodes and depth 212.
struct SavedGraphLimits {
  std::size_t max_bytes = std::size_t{256} << 20;
  std::size_t max_nodes = 2'000'000;
  // Nesting of JSON arrays and objects; the format itself needs 4.
  int max_json_depth = 32;
  // Longest path from a node to a leaf, in nodes.
  std::size_t max_depth = 100'000;
};

struct SavedInput {
  std::string name;
  double scale = 1.0;  // the network's input is log(x)/scale in log space, x/scale otherwise
  double min = 0.0;    // smallest value on the training rows
  double max = 0.0;    // largest value on the training rows
};

// The tool run that produced a saved graph.
struct Producer {
  std::string tool;     // "lies fit"
  std::string version;  // of lies
  std::uint64_t seed = 0;
  // Options of the producing run as (name, value) text, in the order written.
  std::vector<std::pair<std::string, std::string>> options;
};

struct SavedGraph {
  engine::TrainedNetwork network;
  std::vector<SavedInput> inputs;  // one per Input index of the network
  std::string target_name;
  Producer producer;
};

// Builds the saved graph of a fit of `data` (the table the fit read), taking input ranges
// from its columns.
SavedGraph saved_graph_from_fit(const engine::FitResult& fit, const engine::Dataset& data,
                                Producer producer);

// Facts the simplifier may assume about the inputs: Input j is positive when it was on every
// training row.
simplify::DomainFacts domain_facts(const SavedGraph& graph);

// Returns the file text of `graph`: JSON, with one line per input and per node.
std::string format_saved_graph(const SavedGraph& graph);

// Parses file text. Every error is InvalidArgument with a message that starts with `source`
// and names the place: the node index and field, the input, or the JSON line and column.
// It rejects
//   - text that is not JSON or is truncated, is longer than max_bytes, or nests deeper than
//     max_json_depth;
//   - a file from a newer format version;
//   - an unknown node kind, a wrong number of children, a child index not smaller than its
//     parent's, an Input or Param index out of range, or a duplicate node;
//   - a NaN or infinite number, more than max_nodes nodes or params, or an expression deeper
//     than max_depth;
//   - unknown or missing fields.
// The nesting limit is checked before the JSON parser, which recurses on nesting, reads the
// text. Nothing else recurses on the nesting of the text or of the graph.
absl::StatusOr<SavedGraph> parse_saved_graph(std::string_view text, std::string_view source,
                                             const SavedGraphLimits& limits = {});

// Reads and parses the file at `path`. NotFound when it does not exist; InvalidArgument when
// it cannot be read, is larger than limits.max_bytes or does not parse.
absl::StatusOr<SavedGraph> read_saved_graph(const std::string& path,
                                            const SavedGraphLimits& limits = {});

}  // namespace lies::io
