#include "io/table.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace lies::io {
namespace {

using engine::Dataset;
using Column = std::vector<double>;
using Names = std::vector<std::string>;

Dataset parse_valid(std::string_view text) {
  absl::StatusOr<Dataset> result = parse_table(text, "data.csv");
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  return *std::move(result);
}

// Returns the error of parsing `text` as "data.csv", which must be InvalidArgument with a
// one-line message.
std::string parse_error(std::string_view text) {
  const absl::StatusOr<Dataset> result = parse_table(text, "data.csv");
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == absl::StatusCode::kInvalidArgument);
  const std::string message(result.status().message());
  CHECK(message.find('\n') == std::string::npos);
  return message;
}

// A path in the temporary directory that is removed, with anything written there, when
// the object goes out of scope.
class TempPath {
 public:
  explicit TempPath(std::string_view stem) {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            absl::StrCat("lies_table_test_", std::string(stem), "_", random(), random());
  }
  ~TempPath() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string string() const { return path_.string(); }

  void write(std::string_view text) const {
    std::ofstream out(path_, std::ios::binary);
    out << text;
    REQUIRE(out.good());
  }

 private:
  std::filesystem::path path_;
};

TEST_SUITE("Table") {
  // -------------------------------------------------------------------------------------
  // Formats

  TEST_CASE("Table: CSV header names and values") {
    const Dataset data = parse_valid("a,b,y\n1,2,3\n4,5,6\n");
    CHECK(data.source == "data.csv");
    CHECK(data.names == Names{"a", "b", "y"});
    REQUIRE(data.cols() == 3);
    CHECK(data.rows() == 2);
    CHECK(data.columns[0] == Column{1, 4});
    CHECK(data.columns[1] == Column{2, 5});
    CHECK(data.columns[2] == Column{3, 6});
  }

  TEST_CASE("Table: quoted CSV fields unescape") {
    const Dataset data = parse_valid("\"f(x, y)\",\"say \"\"hi\"\"\" , z\n\"1\", \"-2.5\" ,3\n");
    CHECK(data.names == Names{"f(x, y)", "say \"hi\"", "z"});
    REQUIRE(data.cols() == 3);
    CHECK(data.columns[0] == Column{1});
    CHECK(data.columns[1] == Column{-2.5});
    CHECK(data.columns[2] == Column{3});
  }

  TEST_CASE("Table: quoted comma keeps field count") {
    const Dataset data = parse_valid("\"a,b\",c\n1,2\n");
    CHECK(data.names == Names{"a,b", "c"});
    CHECK(data.rows() == 1);
  }

  TEST_CASE("Table: spaces around fields are trimmed") {
    const Dataset data = parse_valid("  a , b\t,\ty  \n 1 ,\t2 , 3 \n");
    CHECK(data.names == Names{"a", "b", "y"});
    CHECK(data.columns[0] == Column{1});
    CHECK(data.columns[1] == Column{2});
    CHECK(data.columns[2] == Column{3});
  }

  TEST_CASE("Table: TSV names may contain spaces") {
    const Dataset data = parse_valid("mass (kg)\tspeed m/s\ty\n1\t2\t3\n4 \t 5\t6\n");
    CHECK(data.names == Names{"mass (kg)", "speed m/s", "y"});
    CHECK(data.columns[0] == Column{1, 4});
    CHECK(data.columns[1] == Column{2, 5});
    CHECK(data.columns[2] == Column{3, 6});
  }

  TEST_CASE("Table: TSV with comma in a name") {
    const Dataset data = parse_valid("f(x,y)\tz\n1\t2\n3\t4\n");
    CHECK(data.names == Names{"f(x,y)", "z"});
    CHECK(data.columns[0] == Column{1, 3});
    CHECK(data.columns[1] == Column{2, 4});
  }

  TEST_CASE("Table: whitespace rows get default names") {
    const Dataset data = parse_valid("1 2  3\n  4\t5 \t 6  \n7\t8\t9\n");
    CHECK(data.names == Names{"x1", "x2", "y"});
    CHECK(data.columns[0] == Column{1, 4, 7});
    CHECK(data.columns[1] == Column{2, 5, 8});
    CHECK(data.columns[2] == Column{3, 6, 9});
  }

  TEST_CASE("Table: whitespace with header row") {
    const Dataset data = parse_valid("m    v    E\n2    3    9\n1.5  2    3\n");
    CHECK(data.names == Names{"m", "v", "E"});
    CHECK(data.columns[0] == Column{2, 1.5});
    CHECK(data.columns[1] == Column{3, 2});
    CHECK(data.columns[2] == Column{9, 3});
  }

  TEST_CASE("Table: CSV without header gets default names") {
    const Dataset data = parse_valid("1,2,3,4\n5,6,7,8\n");
    CHECK(data.names == Names{"x1", "x2", "x3", "y"});
    CHECK(data.columns[3] == Column{4, 8});
  }

  TEST_CASE("Table: single column is the target") {
    const Dataset data = parse_valid("5\n6\n");
    CHECK(data.names == Names{"y"});
    CHECK(data.columns[0] == Column{5, 6});
  }

  TEST_CASE("Table: BOM and CRLF are accepted") {
    const Dataset data = parse_valid(
        "\xEF\xBB\xBF"
        "a,b\r\n1,2\r\n3,4\r\n");
    CHECK(data.names == Names{"a", "b"});
    CHECK(data.columns[0] == Column{1, 3});
    CHECK(data.columns[1] == Column{2, 4});
  }

  TEST_CASE("Table: comments and blank lines are skipped") {
    const Dataset data =
        parse_valid("# units: SI\n\n   # indented comment\na,b\n\n1,2\n \t \n# note\n3,4\n");
    CHECK(data.names == Names{"a", "b"});
    CHECK(data.columns[0] == Column{1, 3});
    CHECK(data.columns[1] == Column{2, 4});
  }

  TEST_CASE("Table: missing final newline") {
    const Dataset data = parse_valid("a b\n1 2\n3 4");
    CHECK(data.columns[0] == Column{1, 3});
    CHECK(data.columns[1] == Column{2, 4});
  }

  TEST_CASE("Table: number forms parse exactly") {
    const Dataset data = parse_valid("1 -2.5 +3 .5 1e-3 1.5E+3 -0.125e1 00012 2.\n");
    REQUIRE(data.cols() == 9);
    CHECK(data.columns[0][0] == 1.0);
    CHECK(data.columns[1][0] == -2.5);
    CHECK(data.columns[2][0] == 3.0);
    CHECK(data.columns[3][0] == 0.5);
    CHECK(data.columns[4][0] == 1e-3);
    CHECK(data.columns[5][0] == 1500.0);
    CHECK(data.columns[6][0] == -1.25);
    CHECK(data.columns[7][0] == 12.0);
    CHECK(data.columns[8][0] == 2.0);
  }

  TEST_CASE("Table: underflow rounds to signed zero") {
    const Dataset data = parse_valid("1e-400 -1e-400 0.0000000001e-320 4.9e-324\n");
    REQUIRE(data.cols() == 4);
    CHECK(data.columns[0][0] == 0.0);
    CHECK_FALSE(std::signbit(data.columns[0][0]));
    CHECK(data.columns[1][0] == 0.0);
    CHECK(std::signbit(data.columns[1][0]));
    CHECK(data.columns[2][0] == 0.0);
    CHECK(data.columns[3][0] > 0.0);
  }

  TEST_CASE("Table: exactly the column limit loads") {
    std::vector<std::string> names;
    for (std::size_t j = 0; j < kMaxTableColumns; ++j) names.push_back(absl::StrCat("c", j));
    const std::vector<std::string> values(kMaxTableColumns, "1");
    const Dataset data = parse_valid(
        absl::StrCat(absl::StrJoin(names, ","), "\n", absl::StrJoin(values, ","), "\n"));
    CHECK(data.cols() == kMaxTableColumns);
    CHECK(data.names.back() == absl::StrCat("c", kMaxTableColumns - 1));
    CHECK(data.rows() == 1);
  }

  // -------------------------------------------------------------------------------------
  // Errors in the text

  TEST_CASE("Table: empty text is rejected") {
    const std::string expected =
        "data.csv: no table found, because the text is empty or has only blank and comment "
        "lines. Write a header row and then rows of numbers, one row per line.";
    CHECK(parse_error("") == expected);
    CHECK(parse_error("\xEF\xBB\xBF") == expected);
    CHECK(parse_error("\n  \r\n# only a comment\n\t\n") == expected);
  }

  TEST_CASE("Table: header only is rejected") {
    CHECK(parse_error("a,b\n") ==
          "data.csv:1: the header is not followed by any data rows. Add rows of numbers "
          "below the header.");
    CHECK(absl::StartsWith(parse_error("# comment\n\nmass\tspeed\n\n# end\n"),
                           "data.csv:3: the header is not followed by any data rows."));
  }

  TEST_CASE("Table: ragged row names the line") {
    CHECK(parse_error("a,b,c\n1,2,3\n\n# comment\n1,2,3\n5,6,7,8\n") ==
          "data.csv:6: expected 3 fields (as in the header on line 1), found 4. Give every "
          "row one value per column.");
    CHECK(absl::StartsWith(parse_error("a,b,c\n1,2\n"),
                           "data.csv:2: expected 3 fields (as in the header on line 1), "
                           "found 2."));
    CHECK(absl::StartsWith(parse_error("a,b\n1,2,\n"),
                           "data.csv:2: expected 2 fields (as in the header on line 1), "
                           "found 3."));
  }

  TEST_CASE("Table: ragged row without header") {
    CHECK(absl::StartsWith(parse_error("# AI Feynman data\n1 2 3\n4 5\n"),
                           "data.csv:3: expected 3 fields (as in the first row on line 2), "
                           "found 2."));
  }

  TEST_CASE("Table: non-numeric cell names column and value") {
    CHECK(parse_error("a,mass,y\n1,2,3\n4,abc,6\n") ==
          "data.csv:3: column 2 (\"mass\"): \"abc\" is not a number. Write numbers with a "
          "'.' decimal point, such as 3, -2.5 or 1e-3.");
    CHECK(absl::StartsWith(parse_error("1 2\n3 4,5\n"),
                           "data.csv:2: column 2 (\"y\"): \"4,5\" is not a number."));
    CHECK(absl::StartsWith(parse_error("a,b\n1,\"x\"\"y\"\n"),
                           "data.csv:2: column 2 (\"b\"): \"x\\\"\\\"y\" is not a number."));
  }

  TEST_CASE("Table: malformed numbers are rejected") {
    for (const char* cell :
         {"+-3", "++3", "--3", "+", "-", ".", "1e", "e5", "0x10", "1.2.3", "1 e5", "1_000"}) {
      CAPTURE(cell);
      CHECK(absl::StrContains(parse_error(absl::StrCat("a,b\n1,", cell, "\n")),
                              absl::StrCat("column 2 (\"b\"): \"", cell, "\" is not a number.")));
    }
  }

  TEST_CASE("Table: long bad cell is truncated") {
    const std::string message = parse_error(absl::StrCat("a,b\n1,", std::string(500, 'z'), "\n"));
    CHECK(
        absl::StrContains(message, absl::StrCat("\"", std::string(40, 'z'), "\"... (500 bytes)")));
    CHECK(message.size() < 200);
  }

  TEST_CASE("Table: control bytes in a cell are escaped") {
    const std::string message = parse_error("a,b\n1,2\x01\x7f\r\n");
    CHECK(absl::StrContains(message, "\"2\\x01\\x7f\" is not a number."));
  }

  TEST_CASE("Table: empty cell is rejected") {
    CHECK(parse_error("a,b,c\n1,,3\n") ==
          "data.csv:2: column 2 (\"b\") is empty. Fill in a number, because missing values "
          "are not supported.");
    CHECK(absl::StartsWith(parse_error("a\tb\n1\t \n"), "data.csv:2: column 2 (\"b\") is empty."));
    CHECK(absl::StartsWith(parse_error("a,b\n1,\"\"\n"), "data.csv:2: column 2 (\"b\") is empty."));
    CHECK(absl::StartsWith(parse_error("1,,3\n"), "data.csv:1: column 2 (\"x2\") is empty."));
  }

  TEST_CASE("Table: NaN and Inf cells are rejected") {
    for (const char* cell : {"nan", "NaN", "-nan", "inf", "-inf", "Inf", "infinity"}) {
      CAPTURE(cell);
      CHECK(parse_error(absl::StrCat("x,y\n1,2\n3,", cell, "\n")) ==
            absl::StrCat("data.csv:3: column 2 (\"y\"): \"", cell,
                         "\" is not finite. Replace it with a finite number or remove the "
                         "row."));
    }
  }

  TEST_CASE("Table: NaN in the first row is data") {
    CHECK(absl::StartsWith(parse_error("nan 1 2\n"),
                           "data.csv:1: column 1 (\"x1\"): \"nan\" is not finite."));
  }

  TEST_CASE("Table: overflow to infinity is rejected") {
    const std::string expected_tail =
        " is not finite because it exceeds the largest double (about 1.8e308). Rescale "
        "the column or remove the row.";
    for (const std::string& cell :
         {std::string("1e999"), std::string("-1e999"), std::string("1.8e308"),
          std::string("0.001e312"), absl::StrCat("1", std::string(309, '0'))}) {
      CAPTURE(cell);
      const std::string message = parse_error(absl::StrCat("x,y\n1,", cell, "\n"));
      CHECK(absl::StartsWith(message, "data.csv:2: column 2 (\"y\"): \""));
      CHECK(absl::EndsWith(message, expected_tail));
    }
  }

  TEST_CASE("Table: duplicate header name is rejected") {
    CHECK(parse_error("x,y,x\n1,2,3\n") ==
          "data.csv:1: column 3 of the header repeats the name \"x\" of column 1. Give "
          "every column a unique name.");
    CHECK(absl::StartsWith(parse_error("\"a\" ,b, a \n1,2,3\n"),
                           "data.csv:1: column 3 of the header repeats the name \"a\" of "
                           "column 1."));
  }

  TEST_CASE("Table: empty header name is rejected") {
    CHECK(parse_error("a,,c\n1,2,3\n") ==
          "data.csv:1: column 2 of the header has an empty name. Give every column a name, "
          "or remove the header row to get the names x1..xn and y.");
    CHECK(absl::StartsWith(parse_error("a,\"  \",c\n1,2,3\n"),
                           "data.csv:1: column 2 of the header has an empty name."));
    CHECK(absl::StartsWith(parse_error("a\t\tc\n1\t2\t3\n"),
                           "data.csv:1: column 2 of the header has an empty name."));
  }

  TEST_CASE("Table: overlong line is rejected") {
    const std::string long_line(kMaxTableLineBytes + 1, '1');
    CHECK(parse_error(absl::StrCat("a\n1\n", long_line, "\n2\n")) ==
          absl::StrCat("data.csv:3: the line is ", kMaxTableLineBytes + 1,
                       " bytes long, more than the limit of ", kMaxTableLineBytes,
                       " bytes. Check that the file is a text table with LF or CRLF line "
                       "endings."));

    // A line exactly at the limit is accepted, and so is its CR of a CRLF ending.
    const std::string longest(kMaxTableLineBytes, '0');
    const Dataset data = parse_valid(absl::StrCat("a\r\n", longest, "\r\n"));
    CHECK(data.rows() == 1);
  }

  TEST_CASE("Table: bare CR line endings are rejected") {
    std::string text = "# a comment\r";
    while (text.size() <= kMaxTableLineBytes) text += "1.25 2.5 3.75\r";
    CHECK(absl::StartsWith(parse_error(text), "data.csv:1: the line is "));
  }

  TEST_CASE("Table: too many columns are rejected") {
    std::vector<std::string> names;
    for (std::size_t j = 0; j <= kMaxTableColumns; ++j) names.push_back(absl::StrCat("c", j));
    CHECK(parse_error(absl::StrCat("# wide\n", absl::StrJoin(names, ","), "\n1\n")) ==
          absl::StrCat("data.csv:2: the header has ", kMaxTableColumns + 1,
                       " columns, more than the limit of ", kMaxTableColumns,
                       ". Check the delimiter, or remove columns that the fit does not "
                       "need."));

    const std::vector<std::string> values(kMaxTableColumns + 1, "0");
    CHECK(absl::StartsWith(
        parse_error(absl::StrJoin(values, " ")),
        absl::StrCat("data.csv:1: the first row has ", kMaxTableColumns + 1, " columns")));
  }

  TEST_CASE("Table: unterminated quote is rejected") {
    CHECK(parse_error("a,\"b\n1,2\n") ==
          "data.csv:1: column 2: the quoted field is not closed on this line. Add the closing "
          "quote, and write a quote inside a field as \"\" (a quoted field cannot span "
          "lines).");
    CHECK(absl::StartsWith(parse_error("a,b\n1,2\n3,\"4\"\"\n"),
                           "data.csv:3: column 2 (\"b\"): the quoted field is not closed on "
                           "this line."));
  }

  TEST_CASE("Table: text after closing quote is rejected") {
    CHECK(parse_error("a,\"b\"c,d\n1,2,3\n") ==
          "data.csv:1: column 2: unexpected text \"c\" after the closing quote. Put the whole "
          "field inside the quotes, and write a quote inside it as \"\".");
  }

  TEST_CASE("Table: parse_table names its source") {
    const absl::StatusOr<Dataset> result = parse_table("a,b\n1,x\n", "embedded example");
    REQUIRE_FALSE(result.ok());
    CHECK(absl::StartsWith(result.status().message(), "embedded example:2: column 2"));
    const absl::StatusOr<Dataset> valid = parse_table("a,b\n1,2\n", "embedded example");
    REQUIRE(valid.ok());
    CHECK(valid->source == "embedded example");
  }

  // -------------------------------------------------------------------------------------
  // Files

  TEST_CASE("Table: read_table loads a file") {
    const TempPath file("load");
    file.write("\xEF\xBB\xBF# Ohm's law\r\nI,R,U\r\n0.5,4,2\r\n2,1.5,3");
    const absl::StatusOr<Dataset> result = read_table(file.string());
    REQUIRE_MESSAGE(result.ok(), result.status().ToString());
    CHECK(result->source == file.string());
    CHECK(result->names == Names{"I", "R", "U"});
    CHECK(result->columns[0] == Column{0.5, 2});
    CHECK(result->columns[1] == Column{4, 1.5});
    CHECK(result->columns[2] == Column{2, 3});
  }

  TEST_CASE("Table: read_table errors name the file") {
    const TempPath file("error");
    file.write("a,b\n1,2\n3,4,5\n");
    const absl::StatusOr<Dataset> result = read_table(file.string());
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(absl::StartsWith(result.status().message(),
                           absl::StrCat(file.string(), ":3: expected 2 fields")));
  }

  TEST_CASE("Table: missing file is NotFound") {
    const TempPath missing("missing");
    const absl::StatusOr<Dataset> result = read_table(missing.string());
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == absl::StatusCode::kNotFound);
    CHECK(result.status().message() ==
          absl::StrCat(missing.string(), ": file not found. Check the path."));
  }

  TEST_CASE("Table: missing relative path names directory") {
    const std::string relative = "lies-table-test-no-such-file.csv";
    REQUIRE_FALSE(std::filesystem::exists(relative));
    const absl::StatusOr<Dataset> result = read_table(relative);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == absl::StatusCode::kNotFound);
    CHECK(result.status().message() ==
          absl::StrCat(relative, ": file not found. Check the path, which is relative to ",
                       std::filesystem::current_path().string(), "."));
  }

  TEST_CASE("Table: directory path is rejected") {
    const TempPath directory("directory");
    REQUIRE(std::filesystem::create_directory(directory.path()));
    const absl::StatusOr<Dataset> result = read_table(directory.string());
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(result.status().message() ==
          absl::StrCat(directory.string(),
                       ": is a directory, not a table file. Pass the path of a CSV, TSV or "
                       "whitespace-separated file."));
  }

  TEST_CASE("Table: unreadable file is rejected") {
    const TempPath file("unreadable");
    file.write("a,b\n1,2\n");
    std::filesystem::permissions(file.path(), std::filesystem::perms::none);

    // Root reads files regardless of permissions, so the check runs only where opening
    // the file fails.
    std::FILE* probe = std::fopen(file.string().c_str(), "rb");
    if (probe != nullptr) {
      std::fclose(probe);
      return;
    }
    const absl::StatusOr<Dataset> result = read_table(file.string());
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(result.status().message() ==
          absl::StrCat(file.string(),
                       ": cannot be read: Permission denied. Check the file permissions."));
  }
}

}  // namespace
}  // namespace lies::io
