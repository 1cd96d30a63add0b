#include "io/table.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/check.hpp"

namespace lies::io {
namespace {

using engine::Dataset;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Maximum number of bytes of a cell or name that an error message shows.
constexpr std::size_t kMaxQuotedBytes = 40;

enum class Format { kCsv, kTsv, kWhitespace };

// One field of a split line. `text` excludes the surrounding spaces and quotes. When
// `escaped_quotes` is set, `text` still contains each "" pair of the quoted field.
struct Field {
  std::string_view text;
  bool escaped_quotes = false;
};

// A physical line without its line ending. `number` counts every line from 1.
struct Line {
  std::string_view text;
  std::size_t number = 0;
};

enum class CellKind { kNumber, kEmpty, kInvalid, kNotFinite, kOverflow };

bool is_space_or_tab(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space_or_tab(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space_or_tab(text.back())) text.remove_suffix(1);
  return text;
}

// ---------------------------------------------------------------------------------------
// Error messages

// Returns `text` in double quotes for an error message, with control bytes, quotes and
// backslashes escaped. Text longer than kMaxQuotedBytes is cut at a UTF-8 character
// boundary and followed by its full length.
std::string quote_for_message(std::string_view text) {
  const std::size_t full_size = text.size();
  if (full_size > kMaxQuotedBytes) {
    std::size_t cut = kMaxQuotedBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }

  std::string quoted = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (byte < 0x20 || byte == 0x7F) {
      absl::StrAppendFormat(&quoted, "\\x%02x", byte);
    } else {
      quoted += c;
    }
  }
  quoted += '"';
  if (full_size > text.size()) absl::StrAppend(&quoted, "... (", full_size, " bytes)");
  return quoted;
}

// Returns `column 2 ("mass")`, or `column 2` when the column has no name yet.
std::string column_label(std::size_t index, const std::vector<std::string>& names) {
  if (index < names.size()) {
    return absl::StrCat("column ", index + 1, " (", quote_for_message(names[index]), ")");
  }
  return absl::StrCat("column ", index + 1);
}

absl::Status line_error(std::string_view source, std::size_t line, std::string_view message) {
  return absl::InvalidArgumentError(absl::StrFormat("%s:%d: %s", source, line, message));
}

// ---------------------------------------------------------------------------------------
// Lines

// Iterates over the physical lines of a text and stops at those that are neither blank
// nor comments. Copies are independent, so a copy can look ahead.
class LineCursor {
 public:
  LineCursor(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  // Advances to the next content line and stores it in `line`. Returns false at the end
  // of the text, and also when a line is longer than kMaxTableLineBytes, in which case
  // status() describes the line.
  bool next(Line& line) {
    while (position_ < text_.size()) {
      const std::size_t newline = text_.find('\n', position_);
      const std::size_t end = newline == std::string_view::npos ? text_.size() : newline;
      std::string_view physical = text_.substr(position_, end - position_);
      position_ = end == text_.size() ? end : end + 1;
      ++line_number_;

      if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
      if (physical.size() > kMaxTableLineBytes) {
        status_ = line_error(
            source_, line_number_,
            absl::StrFormat("the line is %d bytes long, more than the limit of %d bytes. "
                            "Check that the file is a text table with LF or CRLF line "
                            "endings.",
                            physical.size(), kMaxTableLineBytes));
        return false;
      }

      const std::size_t first = physical.find_first_not_of(" \t");
      if (first == std::string_view::npos || physical[first] == '#') continue;
      line = Line{physical, line_number_};
      return true;
    }
    return false;
  }

  const absl::Status& status() const { return status_; }

 private:
  std::string_view text_;
  std::string_view source_;
  std::size_t position_ = 0;
  std::size_t line_number_ = 0;
  absl::Status status_;
};

// ---------------------------------------------------------------------------------------
// Fields

// Splits a CSV or TSV line at `delimiter` into `fields` with RFC 4180 quoting, except
// that a quoted field must end on its own line. Spaces around a field are removed, and
// so are tabs unless the delimiter is a tab. `names` labels columns in errors and may be
// empty while the header is split.
absl::Status split_delimited(const Line& line, char delimiter,
                             const std::vector<std::string>& names, std::string_view source,
                             std::vector<Field>& fields) {
  const auto is_blank = [delimiter](char c) {
    return c == ' ' || (c == '\t' && delimiter != '\t');
  };
  const std::string_view text = line.text;
  fields.clear();

  std::size_t position = 0;
  while (true) {
    while (position < text.size() && is_blank(text[position])) ++position;

    Field field;
    if (position < text.size() && text[position] == '"') {
      const std::size_t start = position + 1;
      std::size_t scan = start;
      std::size_t closing = std::string_view::npos;
      while (closing == std::string_view::npos) {
        const std::size_t quote = text.find('"', scan);
        if (quote == std::string_view::npos) {
          return line_error(
              source, line.number,
              absl::StrCat(column_label(fields.size(), names),
                           ": the quoted field is not closed on this line. Add the closing "
                           "quote, and write a quote inside a field as \"\" (a quoted field "
                           "cannot span lines)."));
        }
        if (quote + 1 < text.size() && text[quote + 1] == '"') {
          field.escaped_quotes = true;
          scan = quote + 2;
        } else {
          closing = quote;
        }
      }
      field.text = text.substr(start, closing - start);

      position = closing + 1;
      while (position < text.size() && is_blank(text[position])) ++position;
      if (position < text.size() && text[position] != delimiter) {
        const std::size_t stray_end = std::min(text.find(delimiter, position), text.size());
        return line_error(
            source, line.number,
            absl::StrCat(column_label(fields.size(), names), ": unexpected text ",
                         quote_for_message(text.substr(position, stray_end - position)),
                         " after the closing quote. Put the whole field inside the quotes, "
                         "and write a quote inside it as \"\"."));
      }
    } else {
      const std::size_t end = std::min(text.find(delimiter, position), text.size());
      std::string_view raw = text.substr(position, end - position);
      while (!raw.empty() && is_blank(raw.back())) raw.remove_suffix(1);
      field.text = raw;
      position = end;
    }
    fields.push_back(field);

    if (position >= text.size()) break;
    ++position;  // past the delimiter
  }
  return absl::OkStatus();
}

// Splits a line at runs of spaces and tabs. Quotes have no special meaning.
void split_whitespace(std::string_view text, std::vector<Field>& fields) {
  fields.clear();
  std::size_t position = 0;
  while (true) {
    while (position < text.size() && is_space_or_tab(text[position])) ++position;
    if (position == text.size()) break;
    const std::size_t start = position;
    while (position < text.size() && !is_space_or_tab(text[position])) ++position;
    fields.push_back(Field{text.substr(start, position - start)});
  }
}

absl::Status split_line(const Line& line, Format format, const std::vector<std::string>& names,
                        std::string_view source, std::vector<Field>& fields) {
  switch (format) {
    case Format::kCsv:
      return split_delimited(line, ',', names, source, fields);
    case Format::kTsv:
      return split_delimited(line, '\t', names, source, fields);
    case Format::kWhitespace:
      split_whitespace(line.text, fields);
      return absl::OkStatus();
  }
  LIES_CHECK(false);
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------
// Numbers

// Returns whether a decimal number that std::from_chars reported as out of range has a
// magnitude below 1, which makes it an underflow and not an overflow. `text` matches the
// from_chars general format: an optional '-', digits with an optional '.', and an
// optional exponent.
bool is_underflow(std::string_view text) {
  if (text.front() == '-') text.remove_prefix(1);
  const std::size_t exponent_mark = text.find_first_of("eE");
  const std::string_view mantissa = text.substr(0, exponent_mark);

  // Decimal exponent of the first nonzero digit of the mantissa.
  const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
  const std::size_t first_nonzero = mantissa.find_first_not_of("0.");
  if (first_nonzero == std::string_view::npos) return true;
  std::int64_t exponent = first_nonzero < point
                              ? static_cast<std::int64_t>(point - first_nonzero - 1)
                              : -static_cast<std::int64_t>(first_nonzero - point);

  if (exponent_mark != std::string_view::npos) {
    std::string_view digits = text.substr(exponent_mark + 1);
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    std::int64_t written = 0;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), written);
    // An exponent beyond int64 outweighs any mantissa that fits in a line.
    if (result.ec == std::errc::result_out_of_range) return digits.front() == '-';
    exponent += written;
  }
  return exponent < 0;
}

// Parses a whole cell as a decimal number into `value`, independently of the locale.
// Accepts a leading '+', which std::from_chars does not.
CellKind parse_cell(const Field& field, double& value) {
  if (field.escaped_quotes) return CellKind::kInvalid;
  std::string_view text = field.text;
  if (text.empty()) return CellKind::kEmpty;
  if (text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || text.front() == '-') return CellKind::kInvalid;
  }

  const char* const end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (stop != end) return CellKind::kInvalid;
  if (error == std::errc::result_out_of_range) {
    if (!is_underflow(text)) return CellKind::kOverflow;
    // Rounding to the nearest double, as for any other decimal, gives a signed zero.
    value = text.front() == '-' ? -0.0 : 0.0;
    return CellKind::kNumber;
  }
  if (error != std::errc()) return CellKind::kInvalid;
  return std::isfinite(value) ? CellKind::kNumber : CellKind::kNotFinite;
}

// Returns whether split fields form a header row: at least one field is non-empty and
// is not a number. Infinities and NaNs count as numbers, so a first row of data that
// contains one is reported as a non-finite cell and not taken for a header.
bool is_header(const std::vector<Field>& fields) {
  for (const Field& field : fields) {
    double value = 0.0;
    if (parse_cell(field, value) == CellKind::kInvalid) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Format detection

struct DelimiterCounts {
  std::size_t commas = 0;
  std::size_t tabs = 0;
};

DelimiterCounts count_delimiters_outside_quotes(std::string_view text) {
  DelimiterCounts counts;
  bool in_quotes = false;
  for (const char c : text) {
    if (c == '"') {
      in_quotes = !in_quotes;
    } else if (!in_quotes) {
      counts.commas += c == ',' ? 1 : 0;
      counts.tabs += c == '\t' ? 1 : 0;
    }
  }
  return counts;
}

std::optional<std::size_t> count_fields(const Line& line, char delimiter) {
  std::vector<Field> fields;
  if (!split_delimited(line, delimiter, {}, "", fields).ok()) return std::nullopt;
  return fields.size();
}

// Chooses the format from the first content line, and from the next content line, which
// `lookahead` reaches, when the first contains both commas and tabs.
Format detect_format(const Line& first, LineCursor lookahead) {
  const DelimiterCounts counts = count_delimiters_outside_quotes(first.text);

  if (counts.commas > 0 && counts.tabs > 0) {
    Line second;
    if (!lookahead.next(second)) return Format::kCsv;
    const auto commas_first = count_fields(first, ',');
    const auto tabs_first = count_fields(first, '\t');
    const bool comma_matches = commas_first && commas_first == count_fields(second, ',');
    const bool tab_matches = tabs_first && tabs_first == count_fields(second, '\t');
    return tab_matches && !comma_matches ? Format::kTsv : Format::kCsv;
  }
  if (counts.commas > 0) return Format::kCsv;
  if (counts.tabs > 0) {
    std::vector<Field> fields;
    if (split_delimited(first, '\t', {}, "", fields).ok() && is_header(fields)) {
      return Format::kTsv;
    }
  }
  return Format::kWhitespace;
}

// ---------------------------------------------------------------------------------------
// Header and rows

std::string unescape_quotes(std::string_view text) {
  std::string unescaped;
  unescaped.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    unescaped += text[i];
    if (text[i] == '"') ++i;  // the second quote of a "" pair
  }
  return unescaped;
}

absl::StatusOr<std::vector<std::string>> read_header_names(const Line& line,
                                                           const std::vector<Field>& fields,
                                                           std::string_view source) {
  std::vector<std::string> names;
  names.reserve(fields.size());
  for (std::size_t j = 0; j < fields.size(); ++j) {
    const Field& field = fields[j];
    std::string name(trim(field.escaped_quotes ? unescape_quotes(field.text) : field.text));
    if (name.empty()) {
      return line_error(source, line.number,
                        absl::StrCat("column ", j + 1,
                                     " of the header has an empty name. Give every column "
                                     "a name, or remove the header row to get the names "
                                     "x1..xn and y."));
    }
    names.push_back(std::move(name));
  }

  absl::flat_hash_map<std::string_view, std::size_t> first_column_of_name;
  for (std::size_t j = 0; j < names.size(); ++j) {
    const auto [it, inserted] = first_column_of_name.try_emplace(names[j], j);
    if (!inserted) {
      return line_error(source, line.number,
                        absl::StrCat("column ", j + 1, " of the header repeats the name ",
                                     quote_for_message(names[j]), " of column ", it->second + 1,
                                     ". Give every column a unique name."));
    }
  }
  return names;
}

// Returns x1..xn for the input columns and y for the last one, the target.
std::vector<std::string> default_names(std::size_t columns) {
  std::vector<std::string> names;
  names.reserve(columns);
  for (std::size_t j = 1; j < columns; ++j) names.push_back(absl::StrCat("x", j));
  names.emplace_back("y");
  return names;
}

absl::Status cell_error(CellKind kind, const Line& line, std::size_t column, std::string_view text,
                        const std::vector<std::string>& names, std::string_view source) {
  const std::string label = column_label(column, names);
  switch (kind) {
    case CellKind::kEmpty:
      return line_error(source, line.number,
                        absl::StrCat(label,
                                     " is empty. Fill in a number, because missing values "
                                     "are not supported."));
    case CellKind::kInvalid:
      return line_error(source, line.number,
                        absl::StrCat(label, ": ", quote_for_message(text),
                                     " is not a number. Write numbers with a '.' decimal "
                                     "point, such as 3, -2.5 or 1e-3."));
    case CellKind::kNotFinite:
      return line_error(source, line.number,
                        absl::StrCat(label, ": ", quote_for_message(text),
                                     " is not finite. Replace it with a finite number or "
                                     "remove the row."));
    case CellKind::kOverflow:
      return line_error(source, line.number,
                        absl::StrCat(label, ": ", quote_for_message(text),
                                     " is not finite because it exceeds the largest double "
                                     "(about 1.8e308). Rescale the column or remove the "
                                     "row."));
    case CellKind::kNumber:
      break;
  }
  LIES_CHECK(false);
  return absl::OkStatus();
}

// Parses the cells of one data row and appends them to the columns of `dataset`.
// `first_row_line` is the line that fixed the field count, and `has_header` is whether
// that line is a header.
absl::Status append_row(const Line& line, const std::vector<Field>& fields,
                        std::size_t first_row_line, bool has_header, std::string_view source,
                        Dataset& dataset) {
  const std::size_t columns = dataset.names.size();
  if (fields.size() != columns) {
    return line_error(
        source, line.number,
        absl::StrFormat("expected %d fields (as in the %s on line %d), found %d. Give every "
                        "row one value per column.",
                        columns, has_header ? "header" : "first row", first_row_line,
                        fields.size()));
  }

  for (std::size_t j = 0; j < columns; ++j) {
    double value = 0.0;
    const CellKind kind = parse_cell(fields[j], value);
    if (kind != CellKind::kNumber) {
      return cell_error(kind, line, j, fields[j].text, dataset.names, source);
    }
    dataset.columns[j].push_back(value);
  }
  return absl::OkStatus();
}

// Returns an upper bound on the number of data rows in `text`, to reserve column
// storage once. A row takes at least one line and at least 2 bytes per column (a digit
// and a delimiter or line ending), except that the last row may lack its line ending.
std::size_t max_row_count(std::string_view text, std::size_t columns) {
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  return std::min(lines, (text.size() + 1) / (2 * columns));
}

absl::StatusOr<Dataset> parse_table_text(std::string_view text, std::string_view source) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());

  LineCursor cursor(text, source);
  Line first;
  if (!cursor.next(first)) {
    LIES_RETURN_IF_ERROR(cursor.status());
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: no table found, because the text is empty or has only blank and comment "
        "lines. Write a header row and then rows of numbers, one row per line.",
        source));
  }

  const Format format = detect_format(first, cursor);
  std::vector<Field> fields;
  LIES_RETURN_IF_ERROR(split_line(first, format, {}, source, fields));
  const bool has_header = is_header(fields);
  if (fields.size() > kMaxTableColumns) {
    return line_error(
        source, first.number,
        absl::StrFormat("the %s has %d columns, more than the limit of %d. "
                        "Check the delimiter, or remove columns that the fit "
                        "does not need.",
                        has_header ? "header" : "first row", fields.size(), kMaxTableColumns));
  }

  Dataset dataset;
  dataset.source = std::string(source);
  if (has_header) {
    LIES_ASSIGN_OR_RETURN(dataset.names, read_header_names(first, fields, source));
  } else {
    dataset.names = default_names(fields.size());
  }
  dataset.columns.resize(dataset.names.size());
  const std::size_t row_capacity = max_row_count(text, dataset.names.size());
  for (std::vector<double>& column : dataset.columns) column.reserve(row_capacity);

  if (!has_header) {
    LIES_RETURN_IF_ERROR(append_row(first, fields, first.number, has_header, source, dataset));
  }
  Line line;
  while (cursor.next(line)) {
    LIES_RETURN_IF_ERROR(split_line(line, format, dataset.names, source, fields));
    LIES_RETURN_IF_ERROR(append_row(line, fields, first.number, has_header, source, dataset));
  }
  LIES_RETURN_IF_ERROR(cursor.status());

  if (dataset.rows() == 0) {
    return line_error(source, first.number,
                      "the header is not followed by any data rows. Add rows of numbers "
                      "below the header.");
  }
  return dataset;
}

absl::Status out_of_memory_error(std::string_view source) {
  return absl::ResourceExhaustedError(absl::StrFormat(
      "%s: not enough memory to load the table. Load a smaller table or free memory.", source));
}

// ---------------------------------------------------------------------------------------
// Files

// Reads the whole file at `path`. Files that report no size, such as pipes, are read in
// growing chunks.
absl::StatusOr<std::string> read_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) {
    std::string hint = "Check the path";
    if (path == "-") {
      hint = "To read standard input, give the path /dev/stdin";
    } else if (fs::path(path).is_relative()) {
      std::error_code cwd_error;
      const fs::path cwd = fs::current_path(cwd_error);
      if (!cwd_error) absl::StrAppend(&hint, ", which is relative to ", cwd.string());
    }
    return absl::NotFoundError(absl::StrCat(path, ": file not found. ", hint, "."));
  }
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be read: ", error.message(),
                                                   ". Check the path and its permissions."));
  }
  if (fs::is_directory(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": is a directory, not a table file. Pass the path of a CSV, TSV "
                     "or whitespace-separated file."));
  }

  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (file == nullptr) {
    const int code = errno;
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": cannot be read: ", std::generic_category().message(code),
                     ". Check the file permissions."));
  }

  // One byte more than the reported size lets the first read reach the end of the file.
  const std::uintmax_t reported_size = fs::is_regular_file(status) ? fs::file_size(path, error) : 0;
  std::string text(error ? 0 : static_cast<std::size_t>(reported_size) + 1, '\0');
  std::size_t length = 0;
  while (true) {
    if (length == text.size()) text.resize(std::max<std::size_t>(2 * text.size(), 1 << 16));
    const std::size_t count = std::fread(text.data() + length, 1, text.size() - length, file.get());
    length += count;
    if (count == 0 || std::feof(file.get()) || std::ferror(file.get())) break;
  }
  if (std::ferror(file.get())) {
    const int code = errno;
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": reading failed: ", std::generic_category().message(code), "."));
  }
  text.resize(length);
  return text;
}

}  // namespace

absl::StatusOr<Dataset> parse_table(std::string_view text, std::string_view source) {
  try {
    return parse_table_text(text, source);
  } catch (const std::bad_alloc&) {
    return out_of_memory_error(source);
  }
}

absl::StatusOr<Dataset> read_table(const std::string& path) {
  try {
    LIES_ASSIGN_OR_RETURN(const std::string text, read_file(path));
    return parse_table_text(text, path);
  } catch (const std::bad_alloc&) {
    return out_of_memory_error(path);
  }
}

}  // namespace lies::io
