// How the ledger commands (run --ledger, close, reopen, history, ledger
// export) print errors that come back as values, and the facts every ledger
// write records about who and when.
#pragma once

#include <string>

#include "interpreter/runtime/result.hpp"

namespace tally::cli {

/// Prints each error to stderr as `tally COMMAND: error: TEXT` (with its
/// file:line:col when it has one) and its hint on the next line.
void print_ledger_errors(const std::string& command, const Errors& errors);

/// Who runs the command: $TALLY_USER, else $USER, else "unknown".
std::string ledger_user();

/// Now as ISO-8601 UTC (`2026-11-27T10:14:02Z`).
std::string utc_timestamp();

}  // namespace tally::cli
