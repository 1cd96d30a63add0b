#include "io/table.hpp"

#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "api/access.hpp"
#include "api/guard.hpp"
#include "lies/table.hpp"

namespace lies {
namespace {

// Checks the invariants that every table file already satisfies once it is read.
absl::Status validate_columns(const engine::Dataset& data) {
  if (data.columns.empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: the table has no columns; give at least one", data.source));
  }
  if (data.names.size() != data.columns.size()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %d names for %d columns; give one name per column", data.source,
                        data.names.size(), data.columns.size()));
  }
  absl::flat_hash_map<std::string_view, std::size_t> first_column_of_name;
  for (std::size_t j = 0; j < data.names.size(); ++j) {
    if (data.names[j].empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: column %d has an empty name; give every column a name", data.source, j + 1));
    }
    const auto [it, inserted] = first_column_of_name.try_emplace(data.names[j], j);
    if (!inserted) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: column %d repeats the name '%s' of column %d; give every column a unique name",
          data.source, j + 1, data.names[j], it->second + 1));
    }
  }
  for (std::size_t j = 0; j < data.columns.size(); ++j) {
    const std::vector<double>& column = data.columns[j];
    if (column.size() != data.rows()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: column '%s' has %d rows but column '%s' has %d; all columns need the same "
          "length",
          data.source, data.names[j], column.size(), data.names[0], data.rows()));
    }
    for (std::size_t r = 0; r < column.size(); ++r) {
      if (!std::isfinite(column[r])) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: column '%s' has the non-finite value %g in row %d; replace it with a finite "
            "number or remove the row",
            data.source, data.names[j], column[r], r + 1));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

Table::Table() {
  static const std::shared_ptr<const detail::TableImpl> empty =
      std::make_shared<const detail::TableImpl>();
  impl_ = empty;
}

absl::StatusOr<Table> Table::read(const std::string& path) {
  return detail::guarded("read table", [&]() -> absl::StatusOr<Table> {
    absl::StatusOr<engine::Dataset> data = io::read_table(path);
    if (!data.ok()) return data.status();
    return detail::Access::make_table(*std::move(data));
  });
}

absl::StatusOr<Table> Table::parse(std::string_view text, std::string_view source) {
  return detail::guarded("parse table", [&]() -> absl::StatusOr<Table> {
    absl::StatusOr<engine::Dataset> data = io::parse_table(text, source);
    if (!data.ok()) return data.status();
    return detail::Access::make_table(*std::move(data));
  });
}

absl::StatusOr<Table> Table::from_columns(std::vector<std::string> names,
                                          std::vector<std::vector<double>> columns,
                                          std::string source) {
  return detail::guarded("make table", [&]() -> absl::StatusOr<Table> {
    engine::Dataset data;
    data.source = std::move(source);
    data.names = std::move(names);
    data.columns = std::move(columns);
    if (absl::Status status = validate_columns(data); !status.ok()) return status;
    return detail::Access::make_table(std::move(data));
  });
}

const std::string& Table::source() const { return impl_->data.source; }
const std::vector<std::string>& Table::names() const { return impl_->data.names; }
std::size_t Table::rows() const { return impl_->data.rows(); }
std::size_t Table::cols() const { return impl_->data.cols(); }

std::span<const double> Table::column(std::size_t j) const {
  if (j >= impl_->data.cols()) return {};
  return impl_->data.columns[j];
}

std::optional<std::size_t> Table::find_column(std::string_view name) const {
  return impl_->data.find_column(name);
}

namespace detail {

Table Access::make_table(engine::Dataset data) {
  auto impl = std::make_shared<TableImpl>();
  impl->data = std::move(data);
  return Table(std::move(impl));
}

}  // namespace detail
}  // namespace lies
