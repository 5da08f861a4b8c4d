// A prepared SQLite statement that finalizes itself, with the few binding and
// reading calls the ledger needs. Errors come back as the text of
// sqlite3_errmsg so that the ledger can turn them into located messages.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

namespace tally::ledger {

class SqlStatement {
 public:
  SqlStatement(sqlite3* db, const std::string& sql);
  SqlStatement(const SqlStatement&) = delete;
  SqlStatement& operator=(const SqlStatement&) = delete;
  ~SqlStatement();

  /// False when the SQL did not compile (error() says why).
  bool ok() const { return statement_ != nullptr; }
  const std::string& error() const { return error_; }

  SqlStatement& bind(int at, const std::string& text);
  SqlStatement& bind(int at, std::int64_t number);
  SqlStatement& bind_null(int at);
  SqlStatement& bind(int at, const std::optional<std::int64_t>& number);

  /// Steps once: true with a row to read; false at the end or on an error
  /// (failed() tells which).
  bool row();
  /// Runs the statement to completion and resets it for the next bindings.
  bool run();
  bool failed() const { return failed_; }
  void reset();

  std::string text(int column) const;
  std::int64_t integer(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  std::string error_;
  bool failed_ = false;
};

/// Runs SQL with no results (several statements allowed); the error text or empty.
std::string exec_sql(sqlite3* db, const std::string& sql);

}  // namespace tally::ledger
