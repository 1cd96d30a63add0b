// A table of doubles with named columns, stored column-major.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lies::engine {

struct Dataset {
  // Where the rows came from (a file path, or a description such as "embedded example");
  // error messages name it.
  std::string source;
  std::vector<std::string> names;
  // columns[j][i] is the value of column j in row i. All columns have the same length.
  std::vector<std::vector<double>> columns;

  std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  std::size_t cols() const { return columns.size(); }

  std::optional<std::size_t> find_column(std::string_view name) const {
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (names[j] == name) return j;
    }
    return std::nullopt;
  }
};

}  // namespace lies::engine
