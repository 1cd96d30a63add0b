// Reader for benchmark equation tables in the AI Feynman format.
//
// The table is CSV with a header row that names at least the columns Filename (the
// equation's name), Output (the target's name) and Formula, and one triple vK_name,
// vK_low, vK_high for each K = 1, 2, ... that the table has. Other columns, such as Number
// and "# variables", are ignored: the published table states wrong variable counts in some
// rows, so the filled vK_name columns define the variables.
//
// The reader accepts a UTF-8 byte order mark, CRLF or LF line ends, a missing final
// newline and fields quoted as in RFC 4180 ("a, b" is one field and "" inside quotes is a
// quote). It skips rows whose Filename is empty, such as the rows of only commas at the end
// of the published table.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "verify/solution.hpp"

namespace lies::verify {

struct Equation {
  std::string name;                      // Filename, such as I.12.1
  std::string output;                    // name of the target, such as F
  std::string formula;                   // the target as an expression of the variables
  std::vector<VariableRange> variables;  // the filled vK triples, in order of K
  std::size_t line = 0;                  // 1-based line of the row in the table
  // Why the row cannot be used, such as a range that is not a number, with the source and
  // line. Empty for a usable row. A benchmark reports a row with an error as failed and goes
  // on with the others.
  std::string error;
};

// Reads the table at `path`, which names the file in messages. Returns NotFound when the
// file does not exist and InvalidArgument when it cannot be read or lacks a required
// column. Problems of single rows are in Equation::error instead.
absl::StatusOr<std::vector<Equation>> read_equation_table(const std::string& path);

// Parses table text that is already in memory; `source` names it in messages.
absl::StatusOr<std::vector<Equation>> parse_equation_table(std::string_view text,
                                                           std::string_view source);

}  // namespace lies::verify
