// One write to the ledger as one SQLite transaction. BEGIN IMMEDIATE takes
// the write lock up front, so a second writer waits (the busy timeout) and
// is then refused before it has read anything it might act on; the
// destructor rolls back whatever was not committed.
#pragma once

#include <sqlite3.h>

#include <string>

#include "interpreter/runtime/result.hpp"

namespace tally::ledger {

class WriteTransaction {
 public:
  WriteTransaction(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction();

  /// Begins; an error naming the ledger when another writer holds it.
  Status begin();
  Status commit();

 private:
  sqlite3* db_;
  std::string path_;
  bool open_ = false;
};

/// An error about the ledger at `path` (no line or column: the file is binary).
Error ledger_error(const std::string& path, const std::string& text, std::string hint = "");

}  // namespace tally::ledger
