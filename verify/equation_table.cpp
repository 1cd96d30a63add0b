#include "verify/equation_table.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace lies::verify {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr int kMaxVariables = 100;

struct Row {
  std::vector<std::string> fields;
  std::size_t line = 0;  // physical line where the row starts
};

// Splits CSV text into rows of fields. A quoted field may contain commas, line breaks and
// "" for a quote. Returns InvalidArgument for a quote that is never closed.
absl::StatusOr<std::vector<Row>> split_rows(std::string_view text, std::string_view source) {
  std::vector<Row> rows;
  Row row{{std::string()}, 1};
  std::size_t line = 1;
  bool quoted = false;
  std::size_t quote_line = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (quoted) {
      if (c == '"' && at + 1 < text.size() && text[at + 1] == '"') {
        row.fields.back() += '"';
        ++at;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        row.fields.back() += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      quote_line = line;
    } else if (c == ',') {
      row.fields.emplace_back();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && at + 1 < text.size() && text[at + 1] == '\n') ++at;
      ++line;
      rows.push_back(std::move(row));
      row = Row{{std::string()}, line};
    } else {
      row.fields.back() += c;
    }
  }
  if (quoted) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s:%d: a quoted field is never closed; add the closing '\"'", source, quote_line));
  }
  if (row.fields.size() > 1 || !row.fields.front().empty()) rows.push_back(std::move(row));
  return rows;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const std::from_chars_result result =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

struct Columns {
  std::size_t name = 0;
  std::size_t output = 0;
  std::size_t formula = 0;
  // Columns of vK_name, vK_low and vK_high for K = 1, 2, ...
  std::vector<std::array<std::size_t, 3>> variables;
};

absl::StatusOr<Columns> find_columns(const std::vector<std::string>& header,
                                     std::string_view source) {
  auto find = [&](std::string_view name) -> std::optional<std::size_t> {
    for (std::size_t k = 0; k < header.size(); ++k) {
      if (trim(header[k]) == name) return k;
    }
    return std::nullopt;
  };
  Columns columns;
  std::optional<std::size_t> required[3];
  const char* names[] = {"Filename", "Output", "Formula"};
  for (int k = 0; k < 3; ++k) {
    required[k] = find(names[k]);
    if (!required[k]) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s:1: the header has no column '%s'; an equation table needs the columns Filename, "
          "Output, Formula and v1_name, v1_low, v1_high, ...",
          source, names[k]));
    }
  }
  columns.name = *required[0];
  columns.output = *required[1];
  columns.formula = *required[2];

  for (int k = 1; k <= kMaxVariables; ++k) {
    const std::optional<std::size_t> name = find(absl::StrFormat("v%d_name", k));
    const std::optional<std::size_t> low = find(absl::StrFormat("v%d_low", k));
    const std::optional<std::size_t> high = find(absl::StrFormat("v%d_high", k));
    if (!name && !low && !high) break;
    if (!name || !low || !high) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s:1: the header has only part of v%d_name, v%d_low, v%d_high; give all three", source,
          k, k, k));
    }
    columns.variables.push_back({*name, *low, *high});
  }
  if (columns.variables.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s:1: the header has no column v1_name; an equation table needs v1_name, v1_low, "
        "v1_high for the first variable",
        source));
  }
  return columns;
}

// Reads the equation of one row; problems go to Equation::error.
Equation read_row(const Row& row, const Columns& columns, std::size_t header_size,
                  std::string_view source) {
  auto field = [&](std::size_t column) -> std::string {
    return column < row.fields.size() ? std::string(trim(row.fields[column])) : std::string();
  };
  Equation equation;
  equation.line = row.line;
  equation.name = field(columns.name);
  equation.output = field(columns.output);
  equation.formula = field(columns.formula);

  for (std::size_t k = header_size; k < row.fields.size(); ++k) {
    if (!trim(row.fields[k]).empty()) {
      equation.error =
          absl::StrFormat("%s:%d: the row has %d fields, more than the %d of the header", source,
                          row.line, row.fields.size(), header_size);
      return equation;
    }
  }
  if (equation.formula.empty()) {
    equation.error = absl::StrFormat("%s:%d: the Formula field is empty", source, row.line);
    return equation;
  }
  if (equation.output.empty()) {
    equation.error = absl::StrFormat("%s:%d: the Output field is empty", source, row.line);
    return equation;
  }

  for (std::size_t k = 0; k < columns.variables.size(); ++k) {
    const auto& [name_column, low_column, high_column] = columns.variables[k];
    const std::string name = field(name_column);
    if (name.empty()) continue;
    const std::optional<double> low = parse_number(field(low_column));
    const std::optional<double> high = parse_number(field(high_column));
    if (!low || !high) {
      equation.error = absl::StrFormat(
          "%s:%d: the range of '%s' (v%d_low, v%d_high) is ['%s', '%s'], but both ends must "
          "be finite numbers",
          source, row.line, name, k + 1, k + 1, field(low_column), field(high_column));
      return equation;
    }
    equation.variables.push_back({name, *low, *high});
  }
  if (absl::Status status = validate_ranges(equation.variables); !status.ok()) {
    equation.error = absl::StrFormat("%s:%d: %s", source, row.line, status.message());
  }
  return equation;
}

}  // namespace

absl::StatusOr<std::vector<Equation>> parse_equation_table(std::string_view text,
                                                           std::string_view source) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  absl::StatusOr<std::vector<Row>> rows = split_rows(text, source);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: the file is empty; expected a header row and equations", source));
  }
  const std::vector<std::string>& header = rows->front().fields;
  absl::StatusOr<Columns> columns = find_columns(header, source);
  if (!columns.ok()) return columns.status();

  std::vector<Equation> equations;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const Row& row = (*rows)[r];
    if (columns->name >= row.fields.size() || trim(row.fields[columns->name]).empty()) continue;
    equations.push_back(read_row(row, *columns, header.size(), source));
  }
  return equations;
}

absl::StatusOr<std::vector<Equation>> read_equation_table(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return absl::NotFoundError(absl::StrCat(path, ": file not found"));
  }
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": is a directory; give the path of the equation table"));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": cannot be opened; check that it is readable"));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return parse_equation_table(text.str(), path);
}

}  // namespace lies::verify
