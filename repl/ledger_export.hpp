// What `tally ledger export` writes for payroll: every row paid, per payee,
// period and component, adjustments with the closed period they correct.
// Amounts are the exact decimal text stored in the ledger, in CSV and JSON
// alike (a JSON string, never a number, so no reader rounds them).
#pragma once

#include <string>
#include <vector>

#include "ledger/ledger.hpp"

namespace tally::cli {

/// Columns: period, payee, component, kind (payout | adjustment),
/// origin_period, amount, run_id, close_id. One line per row, header first.
std::string paid_rows_csv(const std::vector<ledger::PaidLine>& rows);

/// The same rows as a JSON array of objects with the same keys (run_id and
/// close_id as numbers, everything else as strings).
std::string paid_rows_json(const std::vector<ledger::PaidLine>& rows);

/// A CSV field, quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text);

}  // namespace tally::cli
