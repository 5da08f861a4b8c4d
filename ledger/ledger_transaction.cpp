#include "ledger/ledger_transaction.hpp"

#include "ledger/sqlite_statement.hpp"

namespace tally::ledger {

Error ledger_error(const std::string& path, const std::string& text, std::string hint) {
  return Error{{path, 0, 0, 0}, text, std::move(hint)};
}

WriteTransaction::~WriteTransaction() {
  if (open_) exec_sql(db_, "ROLLBACK");
}

Status WriteTransaction::begin() {
  const std::string problem = exec_sql(db_, "BEGIN IMMEDIATE");
  if (problem.empty()) {
    open_ = true;
    return ok_status();
  }
  if ((sqlite3_errcode(db_) & 0xff) == SQLITE_BUSY)
    return ledger_error(path_,
                        "the ledger " + path_ + " is in use: another run, close or reopen holds it",
                        "try again when it has finished");
  return ledger_error(path_, "cannot write to the ledger " + path_ + ": " + problem);
}

Status WriteTransaction::commit() {
  const std::string problem = exec_sql(db_, "COMMIT");
  if (!problem.empty())
    return ledger_error(path_, "cannot write to the ledger " + path_ + ": " + problem);
  open_ = false;
  return ok_status();
}

}  // namespace tally::ledger
