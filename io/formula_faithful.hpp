// The faithful mode of print_formula: the stored binary DAG as infix text that parse_formula
// reads back into the same nodes. Internal to the formula printers.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "engine/graph.hpp"
#include "io/formula_printer.hpp"

namespace lies::io::detail {

// Prints `root` faithfully. The caller has checked the root, the param values and the size of the
// expanded tree. Returns InvalidArgument when an input name would not parse back as that input.
absl::StatusOr<std::string> print_faithful(const engine::Graph& graph, engine::NodeId root,
                                           const PrintOptions& options);

}  // namespace lies::io::detail
