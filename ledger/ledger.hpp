// The payout ledger file (docs/ledger.md): a SQLite database that keeps, run
// after run, what each period calculated and, once a period is closed, what
// was paid. History is only ever added to: a run adds a run with its rows, a
// close freezes the latest run of a period as paid, a reopen records why; no
// row of a closed period is ever changed or deleted.
//
// Every change (record_run, close, reopen) is one SQLite transaction begun
// with BEGIN IMMEDIATE: a process killed at any moment leaves the file as it
// was before the change or fully after it, and a second writer waits up to
// OpenOptions::busy_timeout and is then refused with a message naming the
// ledger. Amounts are exact decimal TEXT, never REAL.
//
// Schema (version kSchemaVersion; `migrations()` lists the SQL steps that
// bring a file from version N-1 to N, applied in order on open):
//
//   schema_version (version)                       one row
//   plan_texts     (sha256 PK, text)               every plan text a run used, once
//   runs           (id PK, started_utc, user, tally_version, plan_path,
//                   plan_name, plan_version, plan_effective, plan_sha256,
//                   parameters JSON, periods JSON, status, errors JSON,
//                   fingerprint, records_balances)   records_balances: 1 from
//                                                  schema 2 on (the run recorded its balances)
//   run_inputs     (run_id, source, path, sha256)  each data file the run read
//   run_periods    (run_id, period)                the periods the run recorded
//   periods        (label PK, state 'open'|'closed')
//   period_events  (id PK, period, action 'close'|'reopen', user, at_utc,
//                   reason, run_id)                who/when/why; run_id = the run a close froze
//   payouts        (run_id, payee, period, component, amount)   as calculated
//   adjustments    (run_id, payee, component, origin_period, posted_period,
//                   amount, note)                  posted with a run to an open period
//   balances       (run_id, payee, period, kind, name, amount)  draw, deferred, carried
//   paid           (close_id, period, payee, component, origin_period, amount,
//                   run_id)                        frozen at close: payouts (origin =
//                                                  period) and adjustments (origin = the
//                                                  closed period they correct)
//   paid_balances  (close_id, period, payee, kind, name, amount, run_id)
//
// Every row of payouts, adjustments, balances, paid and paid_balances names
// the run that computed it (run_id), so every number traces to a plan text
// and data hashes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/runtime/result.hpp"

struct sqlite3;

namespace tally::ledger {

/// The schema version this program writes. A file with a higher version is
/// refused (written by a newer Tally); a lower one is migrated on open.
constexpr int kSchemaVersion = 2;

/// One migration: the SQL that brings a file from `version - 1` to `version`
/// (version 1 creates the schema from an empty file).
struct Migration {
  int version = 0;
  const char* sql = "";
};

/// Every migration, in version order.
const std::vector<Migration>& migrations();

/// The name of the ledger file kept beside a plan when no --ledger is given.
constexpr const char* kDefaultFileName = "tally.db";

/// A data file a run read and its SHA-256.
struct InputHash {
  std::string source;  ///< the plan's source name
  std::string path;    ///< as the run saw it; empty for a source given in memory
  std::string sha256;
};

/// One payout as calculated by a run: payee, period, component, exact amount.
struct PayoutLine {
  std::string payee;
  std::string period;
  std::string component;
  std::string amount;  ///< exact decimal text, e.g. "1234.50"

  friend bool operator==(const PayoutLine&, const PayoutLine&) = default;
};

/// A prior-period adjustment: the difference between what a closed period
/// `origin_period` now calculates and what was paid for it, posted to the
/// open period `posted_period` (computed by ledger/adjustments.*).
struct AdjustmentLine {
  std::string payee;
  std::string component;
  std::string origin_period;
  std::string posted_period;
  std::string amount;  ///< exact decimal text, signed
  std::string note;    ///< why, for people (may be empty)

  friend bool operator==(const AdjustmentLine&, const AdjustmentLine&) = default;
};

/// A balance carried from period to period (RunResult::balances): kind is
/// "draw" (an advance not yet recovered), "deferred" (excess held back by a
/// `cap ... defer`) or "carried" (a payment plan's balance); name is the
/// draw or payout. Clawback events are payout rows (`<payout>_clawback`).
struct BalanceLine {
  std::string payee;
  std::string period;
  std::string kind;
  std::string name;
  std::string amount;  ///< exact decimal text, signed

  friend bool operator==(const BalanceLine&, const BalanceLine&) = default;
};

/// Everything one run records, written in one transaction by record_run.
struct RunInput {
  std::string started_utc;  ///< ISO-8601 UTC, `2026-11-27T10:14:02Z`
  std::string user;
  std::string tally_version;
  std::string plan_path;
  std::string plan_text;  ///< stored once per distinct text (plan_texts)
  std::string plan_sha256;
  std::string plan_name;
  std::string plan_version;    ///< as the plan header gives it; may be empty
  std::string plan_effective;  ///< the version's effective date; may be empty
  std::vector<InputHash> inputs;
  std::string parameters = "{}";  ///< JSON object of the run's options
  /// The periods this run records (each must be open or new; new ones are
  /// opened). Payouts and balances must lie in them.
  std::vector<std::string> periods;
  bool ok = true;                   ///< false: the run failed (close will refuse)
  std::vector<std::string> errors;  ///< error messages and data rejects; close refuses if any
  std::vector<PayoutLine> payouts;
  /// Adjustment lines to post with this run (the hook for ledger/adjustments):
  /// each posted_period must be one of `periods`, each origin_period closed.
  std::vector<AdjustmentLine> adjustments;
  std::vector<BalanceLine> balances;
  /// Ledger::last_event_id() when the adjustments were computed: the run is
  /// refused if a close or reopen happened since (they would be stale).
  /// Unset: not checked.
  std::optional<std::int64_t> last_event_seen;
};

/// What record_run did.
struct RecordOutcome {
  std::int64_t run_id = 0;
  /// True when the latest run of the same periods had exactly the same
  /// inputs and results (same fingerprint): nothing was written and run_id
  /// is that run. Running a period twice changes nothing.
  bool unchanged = false;
};

/// A run as stored.
struct RunInfo {
  std::int64_t id = 0;
  std::string started_utc;
  std::string user;
  std::string tally_version;
  std::string plan_path;
  std::string plan_text;
  std::string plan_sha256;
  std::string plan_name;
  std::string plan_version;
  std::string plan_effective;
  std::vector<InputHash> inputs;
  std::string parameters;
  std::vector<std::string> periods;
  bool ok = true;
  std::vector<std::string> errors;
};

/// A period's state and the last close or reopen of it.
struct PeriodInfo {
  std::string label;
  bool closed = false;
  std::optional<std::int64_t> latest_run;  ///< the latest run that recorded it
  std::string last_action;                 ///< "close", "reopen" or empty
  std::string last_user;
  std::string last_at_utc;
  std::string last_reason;
};

/// A close or reopen of a period.
struct PeriodEvent {
  std::int64_t id = 0;
  std::string period;
  std::string action;  ///< "close" or "reopen"
  std::string user;
  std::string at_utc;
  std::string reason;
  std::optional<std::int64_t> run_id;  ///< close: the run frozen as paid
};

/// A row as paid: a payout of `period` (origin_period == period) or an
/// adjustment paid in `period` for the closed `origin_period`.
struct PaidLine {
  std::string period;  ///< the period it was paid in
  std::string payee;
  std::string component;
  std::string origin_period;
  std::string amount;
  std::int64_t run_id = 0;    ///< the run that computed it
  std::int64_t close_id = 0;  ///< the close that froze it (period_events.id)

  friend bool operator==(const PaidLine&, const PaidLine&) = default;
};

/// One line of a payee's history (tally history): what a run calculated for
/// a period, or what a close froze as paid, in time order.
struct HistoryLine {
  std::string period;
  std::string component;
  std::string origin_period;  ///< == period except for adjustments
  std::string amount;
  std::string kind;  ///< "calculated", "adjustment" or "paid"
  std::int64_t run_id = 0;
  std::string at_utc;  ///< when the run ran or the close happened
};

struct OpenOptions {
  /// Create the file when missing (runs); false: a missing file is an error
  /// (close, reopen, history, export read an existing ledger).
  bool create = true;
  /// How long a writer waits for another one before being refused.
  int busy_timeout_ms = 2000;
};

/// An open ledger file. Movable, not copyable; closes the file on destruction.
class Ledger {
 public:
  /// Opens (or creates) the ledger at `path`: checks it is a SQLite file
  /// that passes `PRAGMA integrity_check`, that its schema version is not
  /// newer than kSchemaVersion, and migrates an older one. Errors name the
  /// file and say what is wrong (damaged, newer, missing, locked).
  static Result<Ledger> open(const std::string& path, const OpenOptions& options = {});

  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();

  const std::string& path() const { return path_; }
  /// The schema version of the file (kSchemaVersion once opened).
  Result<int> schema_version() const;

  /// Records a run, its payouts, balances and adjustment lines in one
  /// transaction. Refused (nothing written) when one of run.periods is
  /// closed, a row lies outside run.periods, an adjustment's origin is not
  /// closed, or an amount is not an exact decimal.
  Result<RecordOutcome> record_run(const RunInput& run);

  /// Closes `period`: freezes the payouts and adjustments of its latest run
  /// as paid (table paid, paid_balances) and records who/when/why. Refused
  /// when the period is unknown, already closed, has no run, or its latest
  /// run failed or has errors.
  Result<PeriodEvent> close(const std::string& period, const std::string& user,
                            const std::string& at_utc, const std::string& reason = "");
  /// Reopens a closed period; `reason` is required (non-empty). The paid rows
  /// of the earlier close stay in the file but no longer count as paid until
  /// the period is closed again.
  Result<PeriodEvent> reopen(const std::string& period, const std::string& user,
                             const std::string& at_utc, const std::string& reason);

  /// Every period known, in label order.
  Result<std::vector<PeriodInfo>> periods() const;
  /// One period, or nullopt when the ledger has never seen it.
  Result<std::optional<PeriodInfo>> period(const std::string& label) const;
  /// Labels of the periods currently closed, in order.
  Result<std::vector<std::string>> closed_periods() const;

  /// The latest run that recorded `period`, or nullopt.
  Result<std::optional<RunInfo>> latest_run(const std::string& period) const;
  /// A run by id (with its plan text and input hashes).
  Result<RunInfo> run(std::int64_t id) const;
  /// The payouts as calculated by run `run_id` (all its periods).
  Result<std::vector<PayoutLine>> payouts_of_run(std::int64_t run_id) const;
  /// The adjustment lines run `run_id` posted.
  Result<std::vector<AdjustmentLine>> adjustments_of_run(std::int64_t run_id) const;
  /// The balances run `run_id` recorded.
  Result<std::vector<BalanceLine>> balances_of_run(std::int64_t run_id) const;

  /// What was paid in `period` (empty unless it is closed): its payouts and
  /// the adjustments paid in it, as frozen by its latest close.
  Result<std::vector<PaidLine>> paid(const std::string& period) const;
  /// Every row currently paid, over all closed periods, ordered by period,
  /// payee, component, origin. What was paid so far for a closed period O is
  /// the sum of the rows with origin_period == O.
  Result<std::vector<PaidLine>> all_paid() const;
  /// The balances frozen by the latest close of `period` (empty unless closed).
  Result<std::vector<BalanceLine>> paid_balances(const std::string& period) const;
  /// The closed periods whose latest close froze a run that recorded its
  /// balances (schema 2 on), in label order: their balances are what a run
  /// carries forward (paid_balances). A run recorded by schema 1 did not
  /// record them, so its period is not listed.
  Result<std::vector<std::string>> periods_with_balances() const;

  /// Every close and reopen, oldest first (for `period` only when non-empty).
  Result<std::vector<PeriodEvent>> events(const std::string& period = "") const;
  /// A payee's history: calculated rows of every run, adjustments and paid
  /// rows, in time order.
  Result<std::vector<HistoryLine>> history(const std::string& payee) const;

  /// The id of the latest close or reopen (0 when there is none).
  Result<std::int64_t> last_event_id() const;

  /// Every payee any run recorded a payout or adjustment for, sorted.
  Result<std::vector<std::string>> payees() const;

  /// The raw handle, for tests and tools that dump the file.
  sqlite3* handle() const { return db_.get(); }

 private:
  struct CloseHandle {
    void operator()(sqlite3* db) const;
  };
  Ledger(std::string path, sqlite3* db);

  std::string path_;
  std::unique_ptr<sqlite3, CloseHandle> db_;
};

/// The path of the ledger: `explicit_path` when given, else tally.db in the
/// folder of `plan_path`.
std::string ledger_path(const std::string& plan_path, const std::string& explicit_path);

}  // namespace tally::ledger
