// Opening a ledger file: the checks that make a damaged or foreign file a
// clear message instead of a crash, and the migrations that bring an older
// file to the current schema.
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "ledger/ledger.hpp"
#include "ledger/sqlite_statement.hpp"

namespace tally::ledger {

namespace {

Error file_error(const std::string& path, const std::string& text, std::string hint = "") {
  return Error{{path, 0, 0, 0}, text, std::move(hint)};
}

Error damaged(const std::string& path, const std::string& detail) {
  return file_error(path, "the ledger " + path + " is damaged: " + detail,
                    "restore it from a backup; Tally never repairs a ledger by itself");
}

/// The file's schema version: 0 for an empty file, an error for a SQLite
/// file that is not a ledger.
Result<int> stored_version(sqlite3* db, const std::string& path) {
  SqlStatement tables(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
  if (!tables.ok()) return damaged(path, tables.error());
  bool has_version = false;
  bool has_other = false;
  while (tables.row()) (tables.text(0) == "schema_version" ? has_version : has_other) = true;
  if (tables.failed()) return damaged(path, tables.error());
  if (!has_version) {
    if (has_other)
      return file_error(path,
                        "the file " + path +
                            " is a SQLite database but not a Tally ledger (it has no "
                            "schema_version table)",
                        "give another path with --ledger");
    return 0;
  }
  SqlStatement version(db, "SELECT version FROM schema_version");
  if (!version.row()) return damaged(path, "its schema_version table is empty");
  return static_cast<int>(version.integer(0));
}

Status migrate(sqlite3* db, const std::string& path) {
  if (const std::string problem = exec_sql(db, "BEGIN IMMEDIATE"); !problem.empty()) {
    if ((sqlite3_errcode(db) & 0xff) == SQLITE_BUSY)
      return file_error(path,
                        "the ledger " + path + " is in use: another run, close or reopen holds it",
                        "try again when it has finished");
    return file_error(path, "cannot update the schema of the ledger " + path + ": " + problem);
  }
  // Read under the write lock: another process may have created or migrated
  // the file between our first look and now.
  auto version = stored_version(db, path);
  if (!version) {
    exec_sql(db, "ROLLBACK");
    return version.take_errors();
  }
  const int from = *version;
  for (const Migration& step : migrations()) {
    if (step.version <= from) continue;
    std::string problem = exec_sql(db, step.sql);
    if (problem.empty())
      problem = exec_sql(db, step.version == 1 ? "CREATE TABLE schema_version (version INTEGER "
                                                 "NOT NULL); INSERT INTO schema_version VALUES (1)"
                                               : "UPDATE schema_version SET version = " +
                                                     std::to_string(step.version));
    if (!problem.empty()) {
      exec_sql(db, "ROLLBACK");
      return file_error(path, "cannot migrate the ledger " + path + " to schema version " +
                                  std::to_string(step.version) + ": " + problem);
    }
  }
  if (const std::string problem = exec_sql(db, "COMMIT"); !problem.empty()) {
    exec_sql(db, "ROLLBACK");
    return file_error(path, "cannot update the schema of the ledger " + path + ": " + problem);
  }
  return ok_status();
}

}  // namespace

void Ledger::CloseHandle::operator()(sqlite3* db) const {
  sqlite3_close(db);
}

Ledger::Ledger(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

Result<Ledger> Ledger::open(const std::string& path, const OpenOptions& options) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists && !options.create)
    return file_error(path, "there is no ledger at " + path,
                      "record a run first: tally run PLAN --ledger, or give --ledger PATH");
  if (exists && std::filesystem::is_directory(path, ec))
    return file_error(path, "the ledger " + path + " is a folder, expected a file");
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  const int opened = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Ledger ledger(path, raw);
  if (opened != SQLITE_OK)
    return file_error(path, "cannot open the ledger " + path + ": " +
                                (raw ? sqlite3_errmsg(raw) : "out of memory"));
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);

  // Opening while another process creates the file or turns it to WAL can
  // answer SQLITE_BUSY at once, without SQLite's busy handler (a lock it
  // cannot wait for without risking a deadlock): the checks are then tried
  // again until the busy timeout has passed, and only then is the ledger
  // "in use".
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
  const auto busy_again = [&] {
    if ((sqlite3_errcode(raw) & 0xff) != SQLITE_BUSY) return false;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return true;
  };
  const auto in_use = [&] {
    return file_error(path, "the ledger " + path + " is in use by another run",
                      "try again when it has finished");
  };
  int version = 0;
  for (;;) {
    // integrity_check reads every page: a file that is not SQLite, or whose
    // pages were overwritten, is caught here before anything is written to it.
    SqlStatement check(raw, "PRAGMA integrity_check");
    std::string verdict;
    if (check.ok())
      while (check.row()) verdict += (verdict.empty() ? "" : "; ") + check.text(0);
    if (!check.ok() || check.failed()) {
      if (busy_again()) continue;
      if ((sqlite3_errcode(raw) & 0xff) == SQLITE_BUSY) return in_use();
      return damaged(path, check.error());
    }
    if (verdict != "ok") {
      // integrity_check lists every broken cell; the first few say enough.
      for (char& c : verdict)
        if (c == '\n') c = ' ';
      if (verdict.size() > 300) verdict = verdict.substr(0, 300) + " ...";
      return damaged(path, verdict);
    }
    auto stored = stored_version(raw, path);
    if (!stored) {
      if (busy_again()) continue;
      return stored.take_errors();
    }
    version = *stored;
    if (version > kSchemaVersion)
      return file_error(path,
                        "the ledger " + path + " has schema version " + std::to_string(version) +
                            ", newer than this program knows (" + std::to_string(kSchemaVersion) +
                            ")",
                        "use the Tally version that wrote it, or a newer one");
    // WAL: readers (history, export) never block a run, and a killed writer
    // leaves its uncommitted pages in the log, ignored at the next open.
    if (const std::string problem = exec_sql(raw, "PRAGMA journal_mode = WAL"); !problem.empty()) {
      if (busy_again()) continue;
      if ((sqlite3_errcode(raw) & 0xff) == SQLITE_BUSY) return in_use();
      return damaged(path, problem);
    }
    break;
  }
  exec_sql(raw, "PRAGMA foreign_keys = ON");
  if (version < kSchemaVersion)
    if (auto migrated = migrate(raw, path); !migrated) return migrated.take_errors();
  return ledger;
}

Result<int> Ledger::schema_version() const {
  return stored_version(db_.get(), path_);
}

std::string ledger_path(const std::string& plan_path, const std::string& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  const std::filesystem::path folder = std::filesystem::path(plan_path).parent_path();
  return (folder / kDefaultFileName).string();
}

}  // namespace tally::ledger
