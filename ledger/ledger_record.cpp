// Recording a run: its provenance, payouts, balances and adjustment lines in
// one transaction, or nothing when the same run was already recorded.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>

#include "interpreter/runtime/sha256.hpp"
#include "ledger/ledger.hpp"
#include "ledger/ledger_transaction.hpp"
#include "ledger/sqlite_statement.hpp"

namespace tally::ledger {

namespace {

bool exact_decimal(const std::string& text) {
  std::size_t at = text.size() > 0 && text[0] == '-' ? 1 : 0;
  const std::size_t digits_from = at;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
  if (at == digits_from) return false;
  if (at == text.size()) return true;
  if (text[at++] != '.' || at == text.size()) return false;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
  return at == text.size();
}

/// The rows in a fixed order, so that the order a run lists them in does not count.
nlohmann::json sorted(nlohmann::json rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// What makes two runs the same: inputs (by hash, not by path or time) and
/// every row they would write. Two runs with one fingerprint leave the same
/// ledger, so the second is not recorded.
std::string fingerprint(const RunInput& run) {
  nlohmann::json j;
  j["plan"] = run.plan_sha256;
  j["plan_version"] = run.plan_version;
  j["plan_effective"] = run.plan_effective;
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const auto& input : run.inputs) inputs.emplace_back(input.source, input.sha256);
  std::sort(inputs.begin(), inputs.end());
  j["inputs"] = inputs;
  j["parameters"] = run.parameters;
  std::vector<std::string> periods = run.periods;
  std::sort(periods.begin(), periods.end());
  j["periods"] = periods;
  j["ok"] = run.ok;
  j["errors"] = run.errors;
  nlohmann::json payouts = nlohmann::json::array();
  for (const auto& p : run.payouts) payouts.push_back({p.payee, p.period, p.component, p.amount});
  j["payouts"] = sorted(std::move(payouts));
  nlohmann::json adjustments = nlohmann::json::array();
  for (const auto& a : run.adjustments)
    adjustments.push_back(
        {a.payee, a.component, a.origin_period, a.posted_period, a.amount, a.note});
  j["adjustments"] = sorted(std::move(adjustments));
  nlohmann::json balances = nlohmann::json::array();
  for (const auto& b : run.balances)
    balances.push_back({b.payee, b.period, b.kind, b.name, b.amount});
  j["balances"] = sorted(std::move(balances));
  return sha256_hex(j.dump());
}

Status check_rows(const RunInput& run, const std::string& path) {
  const std::set<std::string> periods(run.periods.begin(), run.periods.end());
  auto bad = [&](const std::string& what) {
    return Status(ledger_error(path, "the run cannot be recorded in " + path + ": " + what));
  };
  if (run.periods.empty()) return bad("it names no period to record");
  for (const auto& p : run.payouts) {
    if (!periods.count(p.period))
      return bad("a payout of " + p.payee + " lies in " + p.period + ", not a period of the run");
    if (!exact_decimal(p.amount))
      return bad("the payout amount \"" + p.amount + "\" of " + p.payee + " in " + p.period +
                 " is not an exact decimal");
  }
  for (const auto& b : run.balances) {
    if (!periods.count(b.period))
      return bad("a balance of " + b.payee + " lies in " + b.period + ", not a period of the run");
    if (!exact_decimal(b.amount))
      return bad("the balance amount \"" + b.amount + "\" is not an exact decimal");
  }
  for (const auto& a : run.adjustments) {
    if (!periods.count(a.posted_period))
      return bad("an adjustment of " + a.payee + " is posted to " + a.posted_period +
                 ", not a period of the run");
    if (!exact_decimal(a.amount))
      return bad("the adjustment amount \"" + a.amount + "\" is not an exact decimal");
  }
  return ok_status();
}

/// For the kill -9 test (tests/cli/test_ledger_kill.py, docs/ledger.md):
/// TALLY_LEDGER_TEST_PAUSE_MS makes a run sleep inside its transaction,
/// half-way through its rows, so that a kill lands there reliably.
void pause_for_tests() {
  if (const char* ms = std::getenv("TALLY_LEDGER_TEST_PAUSE_MS"); ms && *ms)
    std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(ms)));
}

}  // namespace

Result<RecordOutcome> Ledger::record_run(const RunInput& run) {
  sqlite3* db = db_.get();
  if (auto checked = check_rows(run, path_); !checked) return checked.take_errors();
  const std::string print = fingerprint(run);
  WriteTransaction transaction(db, path_);
  if (auto begun = transaction.begin(); !begun) return begun.take_errors();
  auto failed = [&](const SqlStatement& s) {
    return ledger_error(path_, "cannot write to the ledger " + path_ + ": " + s.error());
  };

  if (run.last_event_seen) {
    SqlStatement last(db, "SELECT COALESCE(MAX(id), 0) FROM period_events");
    if (!last.row()) return failed(last);
    if (last.integer(0) != *run.last_event_seen)
      return ledger_error(path_,
                          "a period of the ledger " + path_ +
                              " was closed or reopened while this run computed its adjustments",
                          "run it again");
  }

  // Closed periods are history: a run may not record rows for them, and an
  // adjustment may only correct a period that is closed.
  std::set<std::string> closed;
  {
    SqlStatement states(db, "SELECT label FROM periods WHERE state = 'closed'");
    while (states.row()) closed.insert(states.text(0));
    if (states.failed()) return failed(states);
  }
  for (const auto& period : run.periods)
    if (closed.count(period))
      return ledger_error(
          path_,
          "period " + period + " is closed in the ledger " + path_ + "; a run cannot change it",
          "run the open periods only (--period), or reopen it: tally reopen " + period +
              " --reason TEXT");
  for (const auto& a : run.adjustments)
    if (!closed.count(a.origin_period))
      return ledger_error(path_, "an adjustment of " + a.payee + " corrects period " +
                                     a.origin_period + ", which is not closed in " + path_);

  // Idempotency: the same periods recorded last by a run with this fingerprint.
  {
    std::optional<std::int64_t> same;
    bool all_same = true;
    for (const auto& period : run.periods) {
      SqlStatement latest(db,
                          "SELECT r.id, r.fingerprint, r.periods FROM run_periods rp JOIN runs r "
                          "ON r.id = rp.run_id WHERE rp.period = ? ORDER BY r.id DESC LIMIT 1");
      latest.bind(1, period);
      if (!latest.row()) {
        if (latest.failed()) return failed(latest);
        all_same = false;
        break;
      }
      std::vector<std::string> periods =
          nlohmann::json::parse(latest.text(2), nullptr, false).get<std::vector<std::string>>();
      std::vector<std::string> ours = run.periods;
      std::sort(periods.begin(), periods.end());
      std::sort(ours.begin(), ours.end());
      if (latest.text(1) != print || periods != ours || (same && *same != latest.integer(0))) {
        all_same = false;
        break;
      }
      same = latest.integer(0);
    }
    if (all_same && same) return RecordOutcome{*same, true};
  }

  SqlStatement text(db, "INSERT OR IGNORE INTO plan_texts (sha256, text) VALUES (?, ?)");
  if (!text.bind(1, run.plan_sha256).bind(2, run.plan_text).run()) return failed(text);
  SqlStatement insert_run(
      db,
      "INSERT INTO runs (started_utc, user, tally_version, plan_path, plan_name, plan_version, "
      "plan_effective, plan_sha256, parameters, periods, status, errors, fingerprint, "
      "records_balances) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)");
  insert_run.bind(1, run.started_utc)
      .bind(2, run.user)
      .bind(3, run.tally_version)
      .bind(4, run.plan_path)
      .bind(5, run.plan_name)
      .bind(6, run.plan_version)
      .bind(7, run.plan_effective)
      .bind(8, run.plan_sha256)
      .bind(9, run.parameters)
      .bind(10, nlohmann::json(run.periods).dump())
      .bind(11, std::string(run.ok ? "ok" : "failed"))
      .bind(12, nlohmann::json(run.errors).dump())
      .bind(13, print);
  if (!insert_run.run()) return failed(insert_run);
  const std::int64_t id = sqlite3_last_insert_rowid(db);

  SqlStatement input(db, "INSERT INTO run_inputs VALUES (?, ?, ?, ?)");
  for (const auto& i : run.inputs)
    if (!input.bind(1, id).bind(2, i.source).bind(3, i.path).bind(4, i.sha256).run())
      return failed(input);
  SqlStatement period(db, "INSERT INTO run_periods VALUES (?, ?)");
  SqlStatement open(db, "INSERT OR IGNORE INTO periods VALUES (?, 'open')");
  for (const auto& p : run.periods) {
    if (!period.bind(1, id).bind(2, p).run()) return failed(period);
    if (!open.bind(1, p).run()) return failed(open);
  }
  SqlStatement payout(db, "INSERT INTO payouts VALUES (?, ?, ?, ?, ?)");
  for (std::size_t i = 0; i < run.payouts.size(); ++i) {
    if (i == run.payouts.size() / 2) pause_for_tests();
    const auto& p = run.payouts[i];
    if (!payout.bind(1, id)
             .bind(2, p.payee)
             .bind(3, p.period)
             .bind(4, p.component)
             .bind(5, p.amount)
             .run())
      return failed(payout);
  }
  if (run.payouts.empty()) pause_for_tests();
  SqlStatement adjustment(db, "INSERT INTO adjustments VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (const auto& a : run.adjustments)
    if (!adjustment.bind(1, id)
             .bind(2, a.payee)
             .bind(3, a.component)
             .bind(4, a.origin_period)
             .bind(5, a.posted_period)
             .bind(6, a.amount)
             .bind(7, a.note)
             .run())
      return failed(adjustment);
  SqlStatement balance(db, "INSERT INTO balances VALUES (?, ?, ?, ?, ?, ?)");
  for (const auto& b : run.balances)
    if (!balance.bind(1, id)
             .bind(2, b.payee)
             .bind(3, b.period)
             .bind(4, b.kind)
             .bind(5, b.name)
             .bind(6, b.amount)
             .run())
      return failed(balance);
  if (auto committed = transaction.commit(); !committed) return committed.take_errors();
  return RecordOutcome{id, false};
}

}  // namespace tally::ledger
