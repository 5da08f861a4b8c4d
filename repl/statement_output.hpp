// Writing the statements: every page into a temporary folder beside the
// output, then renamed into place, so a run that fails leaves nothing
// half-written.
#pragma once

#include <string>
#include <vector>

#include "repl/statement_data.hpp"
#include "tally/tally.hpp"

namespace tally::cli {

/// Writes `index.html` and `<payee folder>/<period>.html` for every
/// statement of `book` into `directory` (created if missing). A payee
/// folder of an earlier run is replaced whole; other files are left alone.
/// Errors (a folder that cannot be created, a full disk) come back as
/// messages, and then nothing of this run is left in `directory`.
std::vector<Message> write_statements(const StatementBook& book, const std::string& directory);

}  // namespace tally::cli
