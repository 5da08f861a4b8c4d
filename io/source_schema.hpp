// What the plan says a source looks like: its fields, their types, and the
// per-column options real CRM and ERP exports need. The checker builds a
// SourceSchema from a `source` or `roster` declaration; the readers in io/
// load a file into a Table that follows it.
#pragma once

#include <string>
#include <vector>

#include "interpreter/runtime/types.hpp"

namespace tally {

struct FieldSpec {
  std::string name;  ///< the field name in the plan
  Type type;         ///< `type.optional` allows nulls
  bool key = false;  ///< values must be unique (and never null)

  // Column options, all optional.
  std::string from;  ///< the header name in the file (default: name)
  int position = 0;  ///< 1-based field index, for files without header (0: declaration order)
  std::vector<std::string> nulls;  ///< extra tokens read as null, e.g. "NULL", "0", "N/A"
  std::string separator;           ///< for list<text>: item separator, e.g. "|"
  /// For dates: a pattern of YYYY, YY, MM, M, DD, D and literal characters,
  /// e.g. "M/D/YYYY" or "DD.MM.YYYY" (default ISO "YYYY-MM-DD").
  /// For money/decimal/percent: a number pattern, e.g. "$#,##0.00" (a
  /// currency symbol and thousands separators allowed and stripped) or
  /// "#.##0,00" (European: "." groups, "," is the decimal point).
  std::string format;
  bool trim = false;  ///< strip leading and trailing spaces before parsing
};

struct SourceSchema {
  std::string name;  ///< the source name in the plan
  std::vector<FieldSpec> fields;
  bool header = true;              ///< first line names the columns
  std::string encoding = "utf-8";  ///< or "windows-1252" (transcoded to UTF-8)
  char delimiter = ',';
};

}  // namespace tally
