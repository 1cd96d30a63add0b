// Reader for the numeric tables that lies fits formulas to.
//
// The format is detected from the first line that is neither blank nor a comment:
//   - CSV: that line contains a comma outside double quotes. Fields follow RFC 4180
//     quoting ("a, b" is one field and "" inside quotes is one quote character).
//   - TSV: that line contains a tab, no comma, and is a header row. Fields may be quoted
//     as in CSV.
//   - Whitespace-separated: anything else, as in the AI Feynman data files. Fields are
//     separated by runs of spaces and tabs, and quotes have no special meaning.
// When that line contains both commas and tabs, the text is TSV only if tabs split it
// and the next content line into equal numbers of fields and commas do not. Otherwise
// it is CSV.
//
// The first line is a header row when at least one of its fields is non-empty and does
// not parse as a number. Without a header, the columns are named x1..xn for the inputs
// and y for the last column, which is the target.
//
// The reader accepts a UTF-8 byte order mark, LF and CRLF line endings and a missing
// final newline. It skips blank lines and lines whose first non-space character is '#',
// so a header row whose first name starts with '#' is skipped too. Spaces around fields
// and names are removed. Cells are parsed as decimal numbers independently of the
// locale: 1, -2.5, +3, .5, 1e-3 and 1.5E+3 are accepted, and hexadecimal forms are not.
// A value whose magnitude is below the smallest subnormal double rounds to zero, as any
// decimal rounds to the nearest double.
//
// An error is an absl::Status with a one-line message such as
//   data.csv:7: expected 3 fields (as in the header on line 1), found 4. Give every ...
// that names the source, the 1-based physical line, the column by number and name, the
// offending value, and a fix. No partial table is returned with an error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/dataset.hpp"

namespace lies::io {

// Maximum number of columns in a table. Symbolic regression over more inputs than this
// is impractical, so a wider table most likely comes from a wrong file or delimiter.
inline constexpr std::size_t kMaxTableColumns = 10'000;

// Maximum length of one physical line in bytes, not counting the line ending. A row at
// the column limit with 25-byte numbers needs about 260 KB, so a longer line is most
// likely a binary file or one whose line endings are bare CRs.
inline constexpr std::size_t kMaxTableLineBytes = std::size_t{1} << 20;

// Reads and parses the table file at `path`, which also becomes Dataset::source and
// names the file in error messages. Returns NotFound when the file does not exist,
// InvalidArgument when it is a directory, cannot be read, or is not a valid table, and
// ResourceExhausted when the table does not fit in memory.
absl::StatusOr<engine::Dataset> read_table(const std::string& path);

// Parses table text that is already in memory. `source` becomes Dataset::source and
// names the text in error messages. Returns InvalidArgument when the text is not a
// valid table and ResourceExhausted when the table does not fit in memory.
absl::StatusOr<engine::Dataset> parse_table(std::string_view text, std::string_view source);

}  // namespace lies::io
