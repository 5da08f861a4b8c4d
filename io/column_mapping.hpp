// Which column of the file feeds each field of the schema: by header name
// (exact first, then ignoring case, a BOM and surrounding spaces), by JSON
// key (the same rules), or by position in files without a header.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/load_errors.hpp"
#include "io/source_schema.hpp"

namespace tally {

/// The name a field has in the file: `from` when given, else its name.
const std::string& column_name(const FieldSpec& field);

/// Finds the field a file column or JSON key names.
class FieldLookup {
 public:
  explicit FieldLookup(const SourceSchema& schema);
  /// The field named exactly `name`, else the one whose name equals it
  /// ignoring case, a leading BOM and surrounding spaces.
  std::optional<std::size_t> find(std::string_view name) const;
  std::optional<std::size_t> find_exact(std::string_view name) const;
  std::optional<std::size_t> find_loose(std::string_view name) const;

 private:
  std::unordered_map<std::string, std::size_t> exact_;
  std::unordered_map<std::string, std::size_t> loose_;
};

/// `name` lowercased, without a leading UTF-8 BOM and surrounding spaces.
std::string loose_name(std::string_view name);

/// For each field, the 0-based index of the header column that feeds it, or
/// -1 when the header lacks it (allowed for optional fields: they load as
/// null). A missing required column is an error listing the header's columns
/// and suggesting the closest one.
std::vector<int> map_header(const SourceSchema& schema, const std::vector<std::string>& header,
                            LoadErrors& errors);

/// For files without a header: each field's `position`, or its declaration
/// order when no position is given (0-based indexes).
std::vector<int> map_positions(const SourceSchema& schema);

}  // namespace tally
