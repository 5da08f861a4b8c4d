// Reading the ledger: periods, runs, what was calculated and what was paid.
#include <nlohmann/json.hpp>

#include "ledger/ledger.hpp"
#include "ledger/ledger_transaction.hpp"
#include "ledger/sqlite_statement.hpp"

namespace tally::ledger {

namespace {

Error read_error(const std::string& path, const SqlStatement& s) {
  return ledger_error(path, "cannot read the ledger " + path + ": " + s.error());
}

std::vector<std::string> string_list(const std::string& json) {
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  std::vector<std::string> out;
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

/// The rows of `sql` (with `binds` as its text parameters), each made by `make`.
template <class Line, class Make>
Result<std::vector<Line>> rows(sqlite3* db, const std::string& path, const std::string& sql,
                               const std::vector<std::string>& binds, Make make) {
  SqlStatement query(db, sql);
  if (!query.ok()) return read_error(path, query);
  for (std::size_t i = 0; i < binds.size(); ++i) query.bind(static_cast<int>(i + 1), binds[i]);
  std::vector<Line> out;
  while (query.row()) out.push_back(make(query));
  if (query.failed()) return read_error(path, query);
  return out;
}

// The rows paid now: those of the latest close of each period that is closed.
constexpr const char* kCurrentPaid =
    "SELECT p.period, p.payee, p.component, p.origin_period, p.amount, p.run_id, p.close_id "
    "FROM paid p JOIN periods s ON s.label = p.period AND s.state = 'closed' "
    "WHERE p.close_id = (SELECT MAX(e.id) FROM period_events e WHERE e.period = p.period "
    "AND e.action = 'close')";

PaidLine paid_line(const SqlStatement& q) {
  return PaidLine{q.text(0), q.text(1),    q.text(2),   q.text(3),
                  q.text(4), q.integer(5), q.integer(6)};
}

PeriodEvent event_line(const SqlStatement& q) {
  PeriodEvent e{q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), std::nullopt};
  if (!q.is_null(6)) e.run_id = q.integer(6);
  return e;
}

}  // namespace

Result<std::vector<PeriodInfo>> Ledger::periods() const {
  return rows<PeriodInfo>(
      db_.get(), path_,
      "SELECT s.label, s.state, (SELECT MAX(run_id) FROM run_periods rp WHERE rp.period = "
      "s.label), e.action, e.user, e.at_utc, e.reason FROM periods s LEFT JOIN period_events e "
      "ON e.id = (SELECT MAX(id) FROM period_events x WHERE x.period = s.label) ORDER BY s.label",
      {}, [](const SqlStatement& q) {
        PeriodInfo p;
        p.label = q.text(0);
        p.closed = q.text(1) == "closed";
        if (!q.is_null(2)) p.latest_run = q.integer(2);
        p.last_action = q.text(3);
        p.last_user = q.text(4);
        p.last_at_utc = q.text(5);
        p.last_reason = q.text(6);
        return p;
      });
}

Result<std::optional<PeriodInfo>> Ledger::period(const std::string& label) const {
  auto all = periods();
  if (!all) return all.take_errors();
  for (auto& p : *all)
    if (p.label == label) return std::optional<PeriodInfo>(std::move(p));
  return std::optional<PeriodInfo>();
}

Result<std::vector<std::string>> Ledger::closed_periods() const {
  return rows<std::string>(db_.get(), path_,
                           "SELECT label FROM periods WHERE state = 'closed' ORDER BY label", {},
                           [](const SqlStatement& q) { return q.text(0); });
}

Result<std::optional<RunInfo>> Ledger::latest_run(const std::string& period) const {
  SqlStatement q(db_.get(), "SELECT MAX(run_id) FROM run_periods WHERE period = ?");
  q.bind(1, period);
  if (!q.row()) return read_error(path_, q);
  if (q.is_null(0)) return std::optional<RunInfo>();
  auto found = run(q.integer(0));
  if (!found) return found.take_errors();
  return std::optional<RunInfo>(std::move(*found));
}

Result<RunInfo> Ledger::run(std::int64_t id) const {
  SqlStatement q(db_.get(),
                 "SELECT r.id, r.started_utc, r.user, r.tally_version, r.plan_path, t.text, "
                 "r.plan_sha256, r.plan_name, r.plan_version, r.plan_effective, r.parameters, "
                 "r.periods, r.status, r.errors FROM runs r JOIN plan_texts t ON t.sha256 = "
                 "r.plan_sha256 WHERE r.id = ?");
  q.bind(1, id);
  if (!q.row()) {
    if (q.failed()) return read_error(path_, q);
    return ledger_error(path_, "there is no run #" + std::to_string(id) + " in " + path_);
  }
  RunInfo info;
  info.id = q.integer(0);
  info.started_utc = q.text(1);
  info.user = q.text(2);
  info.tally_version = q.text(3);
  info.plan_path = q.text(4);
  info.plan_text = q.text(5);
  info.plan_sha256 = q.text(6);
  info.plan_name = q.text(7);
  info.plan_version = q.text(8);
  info.plan_effective = q.text(9);
  info.parameters = q.text(10);
  info.periods = string_list(q.text(11));
  info.ok = q.text(12) == "ok";
  info.errors = string_list(q.text(13));
  auto inputs =
      rows<InputHash>(db_.get(), path_,
                      "SELECT source, path, sha256 FROM run_inputs WHERE run_id = ? ORDER BY rowid",
                      {std::to_string(id)}, [](const SqlStatement& s) {
                        return InputHash{s.text(0), s.text(1), s.text(2)};
                      });
  if (!inputs) return inputs.take_errors();
  info.inputs = std::move(*inputs);
  return info;
}

Result<std::vector<PayoutLine>> Ledger::payouts_of_run(std::int64_t run_id) const {
  return rows<PayoutLine>(
      db_.get(), path_,
      "SELECT payee, period, component, amount FROM payouts WHERE run_id = ? ORDER BY rowid",
      {std::to_string(run_id)}, [](const SqlStatement& q) {
        return PayoutLine{q.text(0), q.text(1), q.text(2), q.text(3)};
      });
}

Result<std::vector<AdjustmentLine>> Ledger::adjustments_of_run(std::int64_t run_id) const {
  return rows<AdjustmentLine>(
      db_.get(), path_,
      "SELECT payee, component, origin_period, posted_period, amount, note FROM adjustments "
      "WHERE run_id = ? ORDER BY rowid",
      {std::to_string(run_id)}, [](const SqlStatement& q) {
        return AdjustmentLine{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)};
      });
}

Result<std::vector<BalanceLine>> Ledger::balances_of_run(std::int64_t run_id) const {
  return rows<BalanceLine>(
      db_.get(), path_,
      "SELECT payee, period, kind, name, amount FROM balances WHERE run_id = ? ORDER BY rowid",
      {std::to_string(run_id)}, [](const SqlStatement& q) {
        return BalanceLine{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4)};
      });
}

Result<std::vector<PaidLine>> Ledger::paid(const std::string& period) const {
  return rows<PaidLine>(db_.get(), path_,
                        std::string(kCurrentPaid) +
                            " AND p.period = ? ORDER BY p.payee, p.component, p.origin_period",
                        {period}, paid_line);
}

Result<std::vector<PaidLine>> Ledger::all_paid() const {
  return rows<PaidLine>(
      db_.get(), path_,
      std::string(kCurrentPaid) + " ORDER BY p.period, p.payee, p.component, p.origin_period", {},
      paid_line);
}

Result<std::vector<BalanceLine>> Ledger::paid_balances(const std::string& period) const {
  return rows<BalanceLine>(
      db_.get(), path_,
      "SELECT b.payee, b.period, b.kind, b.name, b.amount FROM paid_balances b JOIN periods s ON "
      "s.label = b.period AND s.state = 'closed' WHERE b.period = ?1 AND b.close_id = (SELECT "
      "MAX(e.id) FROM period_events e WHERE e.period = ?1 AND e.action = 'close') ORDER BY "
      "b.payee, b.kind, b.name",
      {period}, [](const SqlStatement& q) {
        return BalanceLine{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4)};
      });
}

Result<std::vector<std::string>> Ledger::periods_with_balances() const {
  return rows<std::string>(
      db_.get(), path_,
      "SELECT s.label FROM periods s JOIN period_events e ON e.id = (SELECT MAX(c.id) FROM "
      "period_events c WHERE c.period = s.label AND c.action = 'close') JOIN runs r ON r.id = "
      "e.run_id WHERE s.state = 'closed' AND r.records_balances = 1 ORDER BY s.label",
      {}, [](const SqlStatement& q) { return q.text(0); });
}

Result<std::vector<PeriodEvent>> Ledger::events(const std::string& period) const {
  const std::string select =
      "SELECT id, period, action, user, at_utc, reason, run_id FROM period_events";
  if (period.empty())
    return rows<PeriodEvent>(db_.get(), path_, select + " ORDER BY id", {}, event_line);
  return rows<PeriodEvent>(db_.get(), path_, select + " WHERE period = ? ORDER BY id", {period},
                           event_line);
}

Result<std::vector<HistoryLine>> Ledger::history(const std::string& payee) const {
  // One timeline: each run's calculated rows and adjustments at the run's
  // time, each close's paid rows at the close's time.
  return rows<HistoryLine>(
      db_.get(), path_,
      "SELECT period, component, origin, amount, kind, run_id, at FROM ("
      " SELECT p.period, p.component, p.period AS origin, p.amount, 'calculated' AS kind,"
      "  p.run_id, r.started_utc AS at, 0 AS rank FROM payouts p JOIN runs r ON r.id = p.run_id"
      "  WHERE p.payee = ?1"
      " UNION ALL"
      " SELECT a.posted_period, a.component, a.origin_period, a.amount, 'adjustment', a.run_id,"
      "  r.started_utc, 1 FROM adjustments a JOIN runs r ON r.id = a.run_id WHERE a.payee = ?1"
      " UNION ALL"
      " SELECT p.period, p.component, p.origin_period, p.amount, 'paid', p.run_id, e.at_utc, 2"
      "  FROM paid p JOIN period_events e ON e.id = p.close_id WHERE p.payee = ?1)"
      " ORDER BY at, rank, run_id, period, component, origin",
      {payee}, [](const SqlStatement& q) {
        return HistoryLine{q.text(0), q.text(1),    q.text(2), q.text(3),
                           q.text(4), q.integer(5), q.text(6)};
      });
}

Result<std::vector<std::string>> Ledger::payees() const {
  return rows<std::string>(db_.get(), path_,
                           "SELECT payee FROM payouts UNION SELECT payee FROM adjustments "
                           "ORDER BY 1",
                           {}, [](const SqlStatement& q) { return q.text(0); });
}

Result<std::int64_t> Ledger::last_event_id() const {
  SqlStatement q(db_.get(), "SELECT COALESCE(MAX(id), 0) FROM period_events");
  if (!q.row()) return read_error(path_, q);
  return q.integer(0);
}

}  // namespace tally::ledger
