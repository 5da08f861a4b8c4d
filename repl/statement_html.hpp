// The HTML of the statements: one self-contained page per payee and period
// and an index linking them. Inline CSS (with a print stylesheet) and
// inline SVG only: no script, no font or image from elsewhere, nothing that
// needs a network. Every text from the plan or the data is escaped.
#pragma once

#include <string>

#include "repl/statement_data.hpp"

namespace tally::cli {

/// The statement of `payee` for one period (`statement` is theirs), linking
/// back to `../index.html`.
std::string statement_page(const StatementBook& book, const StatementPayee& payee,
                           const Statement& statement);

/// The index: a table of payees × periods with each statement's total
/// (linked to it), totals per payee and per period, and the grand total.
std::string index_page(const StatementBook& book);

}  // namespace tally::cli
