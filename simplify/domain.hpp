// What the guards of rewrite rules may assume about the values of a formula.
//
// A sign is proved from the structure of an expression: positive constants, inputs the caller
// declares positive, exp(·), sums, products and powers of positives, and so on. When rows of
// data are given, it can also be proved by evaluating the expression on every row: "u > 0 on
// the data" holds when u is finite and positive on each row. Without data only structural
// proofs count.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "autodiff/evaluator.hpp"
#include "engine/graph.hpp"

namespace lies::simplify {

struct DomainFacts {
  // positive_inputs[j]: Input j is > 0 on every row the formula is meant for.
  std::vector<bool> positive_inputs;
};

// Sign facts about the nodes of one graph, computed on demand and cached. The graph may grow
// while a Domain refers to it, but existing nodes must not change.
class Domain {
 public:
  // `data`, when not null, has one column per input in the formula's units and must outlive
  // the Domain.
  Domain(const engine::Graph& graph, const DomainFacts& facts, const autodiff::Columns* data);

  bool positive(engine::NodeId id);     // > 0
  bool nonnegative(engine::NodeId id);  // >= 0
  bool negative(engine::NodeId id);     // < 0
  bool nonpositive(engine::NodeId id);  // <= 0
  bool nonzero(engine::NodeId id);      // != 0

 private:
  // The signs a node's finite values can have.
  struct Signs {
    bool negative = true;
    bool zero = true;
    bool positive = true;
  };
  // Smallest and largest value over the rows; nullopt when the node cannot be evaluated on the
  // data or is not finite on some row.
  struct Range {
    double low = 0.0;
    double high = 0.0;
  };

  const Signs& structural(engine::NodeId id);
  Signs signs_of(engine::NodeId id);
  std::optional<Range> data_range(engine::NodeId id);

  const engine::Graph& graph_;
  DomainFacts facts_;
  const autodiff::Columns* data_;
  std::vector<Signs> signs_;
  absl::flat_hash_map<engine::NodeId, std::optional<Range>> ranges_;
};

}  // namespace lies::simplify
