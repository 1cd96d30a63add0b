// Tables of named numeric columns: the data that lies fits formulas to and measures them on.
//
//   absl::StatusOr<lies::Table> table = lies::Table::read("data.csv");
//   absl::StatusOr<lies::Table> law = lies::Table::from_columns({"m", "v", "E"}, {m, v, e});
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace lies {

namespace detail {
struct TableImpl;
struct Access;
}  // namespace detail

// An immutable table of doubles with named columns, stored column by column.
//
// Every table that read, parse or from_columns returns has at least one column, non-empty
// and unique column names, columns of equal length and only finite values. Copies share
// the data, so a copy costs no more than a pointer.
//
// Thread-safety: a Table never changes after it is made, so any number of threads may use
// the same Table, or copies of it, at once.
class Table {
 public:
  // A table without columns or rows.
  Table();

  // Reads a table file. The first line that is neither blank nor a comment ('#') decides
  // the format. With a comma it is CSV, with a tab and a header TSV, and otherwise numbers
  // separated by spaces or tabs (the AI Feynman data format). A first line with a field
  // that is not a number is the header. Without a header the columns are named x1..xn,
  // and the last one y. Numbers are read in the C locale.
  //
  // Returns NotFound when the file does not exist, ResourceExhausted when the table does
  // not fit in memory, and InvalidArgument when the path is a directory or cannot be read,
  // or the text is not a valid table. The message names the file, the line and the column,
  // and gives the fix.
  static absl::StatusOr<Table> read(const std::string& path);

  // Parses table text that is already in memory, with the rules of read. `source` names
  // the text in error messages and becomes source(). Returns InvalidArgument when the text
  // is not a valid table and ResourceExhausted when it does not fit in memory.
  static absl::StatusOr<Table> parse(std::string_view text, std::string_view source);

  // Makes a table of columns in memory: columns[j][r] is row r of the column named
  // names[j]. `source` names the table in error messages, such as those of fit.
  //
  // Returns InvalidArgument when there are no columns, names and columns differ in
  // number, a name is empty or repeated, the columns differ in length, or a value is NaN
  // or infinite. The message names the column, and the row for a value.
  static absl::StatusOr<Table> from_columns(std::vector<std::string> names,
                                            std::vector<std::vector<double>> columns,
                                            std::string source = "table in memory");

  // The file path, or the source given to parse or from_columns.
  const std::string& source() const;
  // Column names, in column order.
  const std::vector<std::string>& names() const;
  std::size_t rows() const;
  std::size_t cols() const;

  // The values of column j, or an empty span when j is not below cols().
  std::span<const double> column(std::size_t j) const;

  // The index of the column named `name`, or nullopt when there is none.
  std::optional<std::size_t> find_column(std::string_view name) const;

 private:
  friend struct detail::Access;
  explicit Table(std::shared_ptr<const detail::TableImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const detail::TableImpl> impl_;
};

}  // namespace lies
