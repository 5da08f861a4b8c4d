// Writing result tables as CSV (RFC 4180: fields quoted only when they hold a
// comma, a quote or a line break; lines end with \n).
#pragma once

#include <string>
#include <vector>

#include "interpreter/runtime/result.hpp"

namespace tally {

/// One CSV line, with its line break.
std::string csv_line(const std::vector<std::string>& fields);
/// Appends one CSV line, with its line break, to `out`.
void append_csv_line(std::string& out, const std::vector<std::string>& fields);

/// Writes a header and rows to `path`, replacing it. Errors name the path.
Status write_csv(const std::string& path, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

}  // namespace tally
