// The sqlite format: one database with a table per result and `runs`.
//
// Amounts are stored as TEXT holding the exact decimal, as in payouts.csv:
// SQLite's numbers are 64-bit integers or binary doubles, and a double
// cannot hold 0.10 exactly, so a REAL or NUMERIC column would change the
// figures. Beside each `amount`, `amount_cents` holds the same amount as an
// INTEGER number of cents when that is exact (NULL otherwise), for exact
// sums in SQL: `SELECT SUM(amount_cents) FROM payouts`.
#include <sqlite3.h>

#include <cstdlib>
#include <memory>
#include <optional>

#include "interpreter/output_formats.hpp"

namespace tally {

namespace {

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

/// `name` quoted as an SQL identifier (`transaction` is a keyword).
std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

class Writer {
 public:
  Writer(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  bool exec(const std::string& sql) {
    char* problem = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &problem) == SQLITE_OK) return true;
    error_ = problem ? problem : sqlite3_errmsg(db_);
    sqlite3_free(problem);
    return false;
  }

  Statement prepare(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
      error_ = sqlite3_errmsg(db_);
    return Statement(statement);
  }

  bool step(sqlite3_stmt* statement) {
    const bool done = sqlite3_step(statement) == SQLITE_DONE;
    if (!done) error_ = sqlite3_errmsg(db_);
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return done;
  }

  static void bind_text(sqlite3_stmt* statement, int at, const std::string& text) {
    sqlite3_bind_text(statement, at, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }

  /// A result table: `row` columns INTEGER (NULL when empty), every other
  /// column TEXT, and `amount_cents` after each `amount`.
  bool table(const std::string& name, const ResultTable& table) {
    std::string columns;
    std::string marks;
    for (const auto& column : table.columns) {
      columns += (columns.empty() ? "" : ", ") + quoted(column) +
                 (column == "row" ? " INTEGER" : " TEXT NOT NULL");
      marks += marks.empty() ? "?" : ", ?";
      if (column == "amount") {
        columns += ", \"amount_cents\" INTEGER";
        marks += ", ?";
      }
    }
    if (!exec("CREATE TABLE " + quoted(name) + " (" + columns + ")")) return false;
    Statement insert = prepare("INSERT INTO " + quoted(name) + " VALUES (" + marks + ")");
    if (!insert) return false;
    for (const auto& row : table.rows) {
      int at = 1;
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const std::string& cell = c < row.size() ? row[c] : std::string();
        if (table.columns[c] == "row") {
          char* end = nullptr;
          const long long number = std::strtoll(cell.c_str(), &end, 10);
          if (cell.empty() || *end != '\0')
            sqlite3_bind_null(insert.get(), at++);
          else
            sqlite3_bind_int64(insert.get(), at++, number);
          continue;
        }
        bind_text(insert.get(), at++, cell);
        if (table.columns[c] == "amount") {
          if (const auto cents = exact_cents(cell))
            sqlite3_bind_int64(insert.get(), at++, *cents);
          else
            sqlite3_bind_null(insert.get(), at++);
        }
      }
      if (!step(insert.get())) return false;
    }
    return true;
  }

  bool runs(const RunProvenance& p, const RunSummary& summary) {
    if (!exec("CREATE TABLE runs (id INTEGER PRIMARY KEY, tally_version TEXT NOT NULL, "
              "started_utc TEXT NOT NULL, seconds REAL NOT NULL, plan_path TEXT NOT NULL, "
              "plan_sha256 TEXT NOT NULL, inputs TEXT NOT NULL, first_period TEXT, "
              "last_period TEXT, periods_paid TEXT NOT NULL, payees TEXT NOT NULL, "
              "lenient INTEGER NOT NULL, format TEXT NOT NULL, tables TEXT NOT NULL, "
              "total_paid TEXT NOT NULL, currency TEXT NOT NULL)"))
      return false;
    Statement insert = prepare(
        "INSERT INTO runs (tally_version, started_utc, seconds, plan_path, plan_sha256, inputs, "
        "first_period, last_period, periods_paid, payees, lenient, format, tables, total_paid, "
        "currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return false;
    auto joined = [](const std::vector<std::string>& items) {
      std::string out;
      for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
      return out;
    };
    auto optional = [&](int at, const std::optional<std::string>& text) {
      if (text)
        bind_text(insert.get(), at, *text);
      else
        sqlite3_bind_null(insert.get(), at);
    };
    sqlite3_stmt* s = insert.get();
    bind_text(s, 1, p.tally_version);
    bind_text(s, 2, p.record.started_utc);
    sqlite3_bind_double(s, 3, p.record.seconds);
    bind_text(s, 4, p.record.plan_path);
    bind_text(s, 5, p.plan_sha256);
    bind_text(s, 6, inputs_json(p));
    optional(7, p.record.first_period);
    optional(8, p.record.last_period);
    bind_text(s, 9, joined(p.periods_paid));
    bind_text(s, 10, joined(p.record.payees));
    sqlite3_bind_int(s, 11, p.record.lenient ? 1 : 0);
    bind_text(s, 12, p.format);
    bind_text(s, 13, joined(p.tables));
    bind_text(s, 14, summary.total_paid);
    bind_text(s, 15, summary.currency);
    return step(s);
  }

  Error error() const {
    return Error{{path_, 0, 0, 0}, "cannot write the database " + path_ + ": " + error_, ""};
  }

 private:
  sqlite3* db_;
  std::string path_;
  std::string error_;
};

}  // namespace

std::optional<long long> exact_cents(const std::string& amount) {
  std::size_t at = 0;
  const bool negative = !amount.empty() && amount[0] == '-';
  if (negative) ++at;
  long long cents = 0;
  int whole_digits = 0;
  for (; at < amount.size() && amount[at] >= '0' && amount[at] <= '9'; ++at) {
    if (++whole_digits > 16) return std::nullopt;  // beyond 10^16 cents could overflow
    cents = cents * 10 + (amount[at] - '0');
  }
  if (whole_digits == 0) return std::nullopt;
  cents *= 100;
  if (at < amount.size()) {
    if (amount[at++] != '.') return std::nullopt;
    for (int place = 0; at < amount.size(); ++at, ++place) {
      const char c = amount[at];
      if (c < '0' || c > '9') return std::nullopt;
      if (place == 0) cents += 10 * (c - '0');
      if (place == 1) cents += c - '0';
      if (place >= 2 && c != '0') return std::nullopt;  // a fraction of a cent
    }
  }
  return negative ? -cents : cents;
}

Status write_sqlite_database(const std::string& path, const RunResult& result,
                             const RunProvenance& provenance) {
  sqlite3* raw = nullptr;
  const int opened =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Database db(raw);
  if (opened != SQLITE_OK)
    return Error{
        {path, 0, 0, 0},
        "cannot create the database " + path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory"),
        ""};
  Writer writer(db.get(), path);
  // The file is a temporary one until write_outputs renames it, so it needs
  // no journal: a crash leaves a stray temporary file, never a broken result.
  bool ok =
      writer.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF") && writer.exec("BEGIN");
  const std::pair<const char*, const ResultTable*> tables[] = {{"payouts", &result.payouts},
                                                               {"credits", &result.credits},
                                                               {"measures", &result.measures},
                                                               {"rejects", &result.rejects}};
  for (const auto& [name, table] : tables)
    if (ok && !table->columns.empty()) ok = writer.table(name, *table);
  ok = ok && writer.runs(provenance, result.summary) && writer.exec("COMMIT");
  if (!ok) return writer.error();
  db.reset();
  return ok_status();
}

}  // namespace tally
