// Closing and reopening periods. A close copies the latest run's rows of the
// period into `paid` under a new close event; a reopen only records an event
// and flips the state, so nothing that was ever paid disappears from the file.
#include <nlohmann/json.hpp>

#include "interpreter/runtime/spelling.hpp"
#include "ledger/ledger.hpp"
#include "ledger/ledger_transaction.hpp"
#include "ledger/sqlite_statement.hpp"

namespace tally::ledger {

namespace {

Error unknown_period(sqlite3* db, const std::string& path, const std::string& period) {
  std::vector<std::string> known;
  SqlStatement labels(db, "SELECT label FROM periods ORDER BY label");
  while (labels.row()) known.push_back(labels.text(0));
  std::string hint;
  if (const auto near = closest_match(period, known))
    hint = "did you mean " + *near + "?";
  else if (known.empty())
    hint = "the ledger has no period yet: record a run first (tally run PLAN --ledger)";
  else
    hint = "the ledger has periods " + known.front() + " to " + known.back();
  return ledger_error(path, "period " + period + " is not in the ledger " + path, hint);
}

/// The state of `period`: "open", "closed", or empty when unknown.
Result<std::string> state_of(sqlite3* db, const std::string& path, const std::string& period) {
  SqlStatement state(db, "SELECT state FROM periods WHERE label = ?");
  state.bind(1, period);
  if (state.row()) return state.text(0);
  if (state.failed())
    return ledger_error(path, "cannot read the ledger " + path + ": " + state.error());
  return std::string();
}

}  // namespace

Result<PeriodEvent> Ledger::close(const std::string& period, const std::string& user,
                                  const std::string& at_utc, const std::string& reason) {
  sqlite3* db = db_.get();
  WriteTransaction transaction(db, path_);
  if (auto begun = transaction.begin(); !begun) return begun.take_errors();
  auto failed = [&](const SqlStatement& s) {
    return ledger_error(path_, "cannot write to the ledger " + path_ + ": " + s.error());
  };
  auto state = state_of(db, path_, period);
  if (!state) return state.take_errors();
  if (state->empty()) return unknown_period(db, path_, period);
  if (*state == "closed")
    return ledger_error(path_, "period " + period + " is already closed in " + path_,
                        "to change it, reopen it first: tally reopen " + period + " --reason TEXT");

  SqlStatement latest(db,
                      "SELECT r.id, r.status, r.errors, r.started_utc FROM run_periods rp JOIN "
                      "runs r ON r.id = rp.run_id WHERE rp.period = ? ORDER BY r.id DESC LIMIT 1");
  latest.bind(1, period);
  if (!latest.row()) {
    if (latest.failed()) return failed(latest);
    return ledger_error(path_, "period " + period + " has no run in " + path_ + " to close",
                        "run it first: tally run PLAN --ledger --period " + period);
  }
  const std::int64_t run_id = latest.integer(0);
  const auto errors = nlohmann::json::parse(latest.text(2), nullptr, false);
  const std::size_t error_count = errors.is_array() ? errors.size() : 0;
  if (latest.text(1) != "ok" || error_count > 0) {
    std::string first;
    if (error_count > 0 && errors[0].is_string()) first = ": " + errors[0].get<std::string>();
    return ledger_error(path_,
                        "cannot close " + period + ": its latest run (#" + std::to_string(run_id) +
                            ", " + latest.text(3) + ") " +
                            (latest.text(1) != "ok" ? std::string("failed") : "has errors") + " (" +
                            std::to_string(error_count) +
                            (error_count == 1 ? " error" : " errors") + ")" + first,
                        "fix the plan or the data and run the period again, then close it");
  }

  SqlStatement event(db,
                     "INSERT INTO period_events (period, action, user, at_utc, reason, run_id) "
                     "VALUES (?, 'close', ?, ?, ?, ?)");
  if (!event.bind(1, period).bind(2, user).bind(3, at_utc).bind(4, reason).bind(5, run_id).run())
    return failed(event);
  const std::int64_t close_id = sqlite3_last_insert_rowid(db);
  SqlStatement payouts(db,
                       "INSERT INTO paid SELECT ?1, period, payee, component, period, amount, "
                       "run_id FROM payouts WHERE run_id = ?2 AND period = ?3");
  if (!payouts.bind(1, close_id).bind(2, run_id).bind(3, period).run()) return failed(payouts);
  SqlStatement adjustments(db,
                           "INSERT INTO paid SELECT ?1, posted_period, payee, component, "
                           "origin_period, amount, run_id FROM adjustments WHERE run_id = ?2 "
                           "AND posted_period = ?3");
  if (!adjustments.bind(1, close_id).bind(2, run_id).bind(3, period).run())
    return failed(adjustments);
  SqlStatement balances(db,
                        "INSERT INTO paid_balances SELECT ?1, period, payee, kind, name, amount, "
                        "run_id FROM balances WHERE run_id = ?2 AND period = ?3");
  if (!balances.bind(1, close_id).bind(2, run_id).bind(3, period).run()) return failed(balances);
  SqlStatement flip(db, "UPDATE periods SET state = 'closed' WHERE label = ?");
  if (!flip.bind(1, period).run()) return failed(flip);
  if (auto committed = transaction.commit(); !committed) return committed.take_errors();
  return PeriodEvent{close_id, period, "close", user, at_utc, reason, run_id};
}

Result<PeriodEvent> Ledger::reopen(const std::string& period, const std::string& user,
                                   const std::string& at_utc, const std::string& reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    return ledger_error(path_, "reopening " + period + " needs a reason, found none",
                        "give one: tally reopen " + period + " --reason \"why it reopens\"");
  sqlite3* db = db_.get();
  WriteTransaction transaction(db, path_);
  if (auto begun = transaction.begin(); !begun) return begun.take_errors();
  auto state = state_of(db, path_, period);
  if (!state) return state.take_errors();
  if (state->empty()) return unknown_period(db, path_, period);
  if (*state != "closed")
    return ledger_error(
        path_, "period " + period + " is not closed in " + path_ + ", so it cannot be reopened",
        "an open period can be run again as it is");
  SqlStatement event(db,
                     "INSERT INTO period_events (period, action, user, at_utc, reason, run_id) "
                     "VALUES (?, 'reopen', ?, ?, ?, NULL)");
  if (!event.bind(1, period).bind(2, user).bind(3, at_utc).bind(4, reason).run())
    return ledger_error(path_, "cannot write to the ledger " + path_ + ": " + event.error());
  const std::int64_t id = sqlite3_last_insert_rowid(db);
  SqlStatement flip(db, "UPDATE periods SET state = 'open' WHERE label = ?");
  if (!flip.bind(1, period).run())
    return ledger_error(path_, "cannot write to the ledger " + path_ + ": " + flip.error());
  if (auto committed = transaction.commit(); !committed) return committed.take_errors();
  return PeriodEvent{id, period, "reopen", user, at_utc, reason, std::nullopt};
}

}  // namespace tally::ledger
