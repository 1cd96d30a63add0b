#include "simplify/simplify.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_format.h"
#include "api/access.hpp"
#include "api/guard.hpp"
#include "autodiff/evaluator.hpp"
#include "lies/formula.hpp"

namespace lies {
namespace {

// The internal namespace, by a name that the member Formula::simplify does not hide.
namespace rules = ::lies::simplify;

rules::StopReason to_internal(SimplifyStop stop) {
  switch (stop) {
    case SimplifyStop::kSaturated:
      return rules::StopReason::kSaturated;
    case SimplifyStop::kRoundLimit:
      return rules::StopReason::kRoundLimit;
    case SimplifyStop::kNodeLimit:
      return rules::StopReason::kNodeLimit;
    case SimplifyStop::kTimeLimit:
      return rules::StopReason::kTimeLimit;
  }
  return rules::StopReason::kSaturated;
}

SimplifyStop from_internal(rules::StopReason stop) {
  switch (stop) {
    case rules::StopReason::kSaturated:
      return SimplifyStop::kSaturated;
    case rules::StopReason::kRoundLimit:
      return SimplifyStop::kRoundLimit;
    case rules::StopReason::kNodeLimit:
      return SimplifyStop::kNodeLimit;
    case rules::StopReason::kTimeLimit:
      return SimplifyStop::kTimeLimit;
  }
  return SimplifyStop::kSaturated;
}

absl::Status validate(const SimplifyOptions& options) {
  if (!(options.roundoff >= 0.0 && std::isfinite(options.roundoff))) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "simplify: roundoff is %g; use 0 (keep constants) or a small positive number such "
        "as 1e-10",
        options.roundoff));
  }
  if (options.max_rounds < 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("simplify: max_rounds is %d; use 1 or more", options.max_rounds));
  }
  if (options.max_nodes < 1) {
    return absl::InvalidArgumentError("simplify: max_nodes is 0; use 1 or more");
  }
  if (!(options.max_seconds > 0.0)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "simplify: max_seconds is %g; use a positive number of seconds", options.max_seconds));
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view to_string(SimplifyStop stop) { return rules::describe(to_internal(stop)); }

absl::StatusOr<Simplified> Formula::simplify(const SimplifyOptions& options) const {
  return detail::guarded("simplify", [&]() -> absl::StatusOr<Simplified> {
    if (absl::Status status = validate(options); !status.ok()) return status;

    rules::SimplifyOptions internal;
    internal.roundoff = options.roundoff;
    internal.present = options.present;
    internal.limits.max_rounds = options.max_rounds;
    internal.limits.max_nodes = options.max_nodes;
    internal.limits.max_seconds = options.max_seconds;
    for (const std::string& variable : impl_->variables) {
      const bool positive =
          std::find(options.positive_variables.begin(), options.positive_variables.end(),
                    variable) != options.positive_variables.end();
      internal.facts.positive_inputs.push_back(positive);
    }

    // The rows of `data` in the formula's variable order, read in place.
    autodiff::Columns rows;
    if (options.data) {
      const Table& table = *options.data;
      absl::StatusOr<std::vector<std::uint32_t>> indices = detail::match_variables(
          *this, table.names(),
          [&](const std::string& variable) { return detail::missing_column(table, variable); });
      if (!indices.ok()) return indices.status();
      rows.rows = table.rows();
      for (const std::uint32_t j : *indices) rows.data.push_back(table.column(j).data());
      internal.data = &rows;
    }

    auto graph = std::make_shared<engine::Graph>();
    const rules::SimplifyResult result =
        rules::simplify(*impl_->graph, impl_->root, *graph, internal);

    Simplified simplified;
    simplified.formula =
        detail::Access::make_formula(std::move(graph), result.root, impl_->variables);
    simplified.report.stop = from_internal(result.report.stop);
    simplified.report.rounds = result.report.rounds;
    simplified.report.seconds = result.report.seconds;
    for (const rules::RuleFiring& firing : result.report.fired) {
      simplified.report.fired.push_back({firing.rule, firing.count});
    }
    return simplified;
  });
}

}  // namespace lies
