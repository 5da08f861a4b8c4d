// Which ledger file a ledger command (close, reopen, history, ledger export)
// works on: `--ledger PATH`, else tally.db beside the plan when the command
// line starts with a plan file, else tally.db in the current folder.
#pragma once

#include <string>
#include <vector>

#include "interpreter/runtime/result.hpp"

namespace tally::cli {

struct LedgerTarget {
  std::string path;      ///< the ledger file
  std::string argument;  ///< the command's own argument (a period, a payee); may be empty
};

/// Reads `[PLAN] ARGUMENT` (or `[PLAN]` when `argument_name` is empty) from
/// `positionals`. An error says what was expected when there are too many
/// or too few.
Result<LedgerTarget> locate_ledger(const std::vector<std::string>& positionals,
                                   const std::string& explicit_path,
                                   const std::string& argument_name);

}  // namespace tally::cli
