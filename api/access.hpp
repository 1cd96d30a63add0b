// The implementations behind the value types of the public API, and the one friend that
// reaches them. Only the api/ sources include this header; it is not installed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/dataset.hpp"
#include "engine/graph.hpp"
#include "io/saved_graph.hpp"
#include "lies/formula.hpp"
#include "lies/network.hpp"
#include "lies/table.hpp"
#include "lies/verify.hpp"
#include "verify/multiprecision.hpp"

namespace lies::detail {

struct TableImpl {
  engine::Dataset data;
};

// A formula is a root in a graph that other formulas may share, such as the formulas of
// one fit's Pareto front. Input j of the graph is variables[j].
struct FormulaImpl {
  std::shared_ptr<const engine::Graph> graph;
  engine::NodeId root = engine::kNoNode;
  std::vector<std::string> variables;
};

struct NetworkImpl {
  io::SavedGraph saved;
  // saved.inputs and saved.producer in the types of the public API.
  std::vector<NetworkInput> inputs;
  Producer producer;
};

struct MultiprecisionImpl {
  std::variant<verify::Float50, verify::Float100> value;
};

struct Access {
  static const engine::Dataset& dataset(const Table& table) { return table.impl_->data; }
  static Table make_table(engine::Dataset data);

  static const FormulaImpl& impl(const Formula& formula) { return *formula.impl_; }
  static Formula make_formula(std::shared_ptr<const engine::Graph> graph, engine::NodeId root,
                              std::vector<std::string> variables);

  static const io::SavedGraph& saved(const Network& network) { return network.impl_->saved; }
  static Network make_network(io::SavedGraph saved);

  template <typename T>
  static MultiprecisionFloat make_multiprecision(T value) {
    auto impl = std::make_shared<MultiprecisionImpl>();
    impl->value = std::move(value);
    return MultiprecisionFloat(std::move(impl));
  }
};

// Copies the formula into `graph`, with its variable j read from input indices[j] of
// `graph`, and returns the new root.
engine::NodeId copy_formula(const Formula& formula, const std::vector<std::uint32_t>& indices,
                            engine::Graph& graph);

// Finds, for each variable that `formula` uses, the position of the first equal name in
// `names`; variables the formula does not use map to 0. When a used variable is not among
// the names, returns the status that `missing(variable)` makes.
absl::StatusOr<std::vector<std::uint32_t>> match_variables(
    const Formula& formula, const std::vector<std::string>& names,
    absl::FunctionRef<absl::Status(const std::string& variable)> missing);

// The error of a formula's variable that is not a column of `table`.
absl::Status missing_column(const Table& table, const std::string& variable);

// "a, b, c", or "none" for no names.
std::string list_names(const std::vector<std::string>& names);

}  // namespace lies::detail
