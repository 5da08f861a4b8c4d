#include "ledger/sqlite_statement.hpp"

namespace tally::ledger {

SqlStatement::SqlStatement(sqlite3* db, const std::string& sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement_, nullptr) != SQLITE_OK) {
    error_ = sqlite3_errmsg(db);
    sqlite3_finalize(statement_);
    statement_ = nullptr;
    failed_ = true;
  }
}

SqlStatement::~SqlStatement() {
  sqlite3_finalize(statement_);
}

SqlStatement& SqlStatement::bind(int at, const std::string& text) {
  sqlite3_bind_text(statement_, at, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

SqlStatement& SqlStatement::bind(int at, std::int64_t number) {
  sqlite3_bind_int64(statement_, at, number);
  return *this;
}

SqlStatement& SqlStatement::bind_null(int at) {
  sqlite3_bind_null(statement_, at);
  return *this;
}

SqlStatement& SqlStatement::bind(int at, const std::optional<std::int64_t>& number) {
  return number ? bind(at, *number) : bind_null(at);
}

bool SqlStatement::row() {
  if (!statement_) return false;
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code != SQLITE_DONE) {
    failed_ = true;
    error_ = sqlite3_errmsg(db_);
  }
  return false;
}

bool SqlStatement::run() {
  if (!statement_) return false;
  const int code = sqlite3_step(statement_);
  const bool done = code == SQLITE_DONE || code == SQLITE_ROW;
  if (!done) {
    failed_ = true;
    error_ = sqlite3_errmsg(db_);
  }
  reset();
  return done;
}

void SqlStatement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::string SqlStatement::text(int column) const {
  const auto* bytes = sqlite3_column_text(statement_, column);
  if (!bytes) return {};
  return std::string(reinterpret_cast<const char*>(bytes),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

std::int64_t SqlStatement::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

bool SqlStatement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::string exec_sql(sqlite3* db, const std::string& sql) {
  char* problem = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &problem) == SQLITE_OK) return {};
  std::string text = problem ? problem : sqlite3_errmsg(db);
  sqlite3_free(problem);
  return text;
}

}  // namespace tally::ledger
