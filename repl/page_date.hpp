// The date an HTML page says it was generated (statements, the report).
#pragma once

#include <optional>
#include <string>

namespace tally::cli {

/// YYYY-MM-DD in UTC: SOURCE_DATE_EPOCH when set (reproducible output,
/// reproducible-builds.org), else today; nullopt when SOURCE_DATE_EPOCH is
/// not a number of seconds.
std::optional<std::string> generated_date();

}  // namespace tally::cli
