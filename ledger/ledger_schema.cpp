// The ledger's schema as an ordered list of migrations (ledger.hpp describes
// the tables; docs/ledger.md explains them). A released step is never edited:
// a change to the schema is a new step with the next version number, so that
// every older file can be brought forward in order.
#include "ledger/ledger.hpp"

namespace tally::ledger {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> steps = {
      {1, R"sql(
CREATE TABLE plan_texts (
  sha256 TEXT PRIMARY KEY,
  text TEXT NOT NULL
);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  started_utc TEXT NOT NULL,
  user TEXT NOT NULL,
  tally_version TEXT NOT NULL,
  plan_path TEXT NOT NULL,
  plan_name TEXT NOT NULL,
  plan_version TEXT NOT NULL,
  plan_effective TEXT NOT NULL,
  plan_sha256 TEXT NOT NULL REFERENCES plan_texts(sha256),
  parameters TEXT NOT NULL,
  periods TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  errors TEXT NOT NULL,
  fingerprint TEXT NOT NULL
);
CREATE TABLE run_inputs (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  source TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL
);
CREATE TABLE run_periods (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  period TEXT NOT NULL,
  PRIMARY KEY (period, run_id)
);
CREATE TABLE periods (
  label TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('open', 'closed'))
);
CREATE TABLE period_events (
  id INTEGER PRIMARY KEY,
  period TEXT NOT NULL REFERENCES periods(label),
  action TEXT NOT NULL CHECK (action IN ('close', 'reopen')),
  user TEXT NOT NULL,
  at_utc TEXT NOT NULL,
  reason TEXT NOT NULL,
  run_id INTEGER REFERENCES runs(id)
);
CREATE TABLE payouts (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  payee TEXT NOT NULL,
  period TEXT NOT NULL,
  component TEXT NOT NULL,
  amount TEXT NOT NULL
);
CREATE INDEX payouts_by_run ON payouts(run_id, period);
CREATE INDEX payouts_by_payee ON payouts(payee);
CREATE TABLE adjustments (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  payee TEXT NOT NULL,
  component TEXT NOT NULL,
  origin_period TEXT NOT NULL,
  posted_period TEXT NOT NULL,
  amount TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX adjustments_by_run ON adjustments(run_id, posted_period);
CREATE TABLE balances (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  payee TEXT NOT NULL,
  period TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  amount TEXT NOT NULL
);
CREATE INDEX balances_by_run ON balances(run_id, period);
CREATE TABLE paid (
  close_id INTEGER NOT NULL REFERENCES period_events(id),
  period TEXT NOT NULL,
  payee TEXT NOT NULL,
  component TEXT NOT NULL,
  origin_period TEXT NOT NULL,
  amount TEXT NOT NULL,
  run_id INTEGER NOT NULL REFERENCES runs(id)
);
CREATE INDEX paid_by_close ON paid(close_id);
CREATE INDEX paid_by_payee ON paid(payee);
CREATE TABLE paid_balances (
  close_id INTEGER NOT NULL REFERENCES period_events(id),
  period TEXT NOT NULL,
  payee TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  amount TEXT NOT NULL,
  run_id INTEGER NOT NULL REFERENCES runs(id)
);
CREATE INDEX paid_balances_by_close ON paid_balances(close_id);
)sql"},
      // Version 2: whether a run recorded the balances it carries (draws,
      // deferred excess, payment plans). Runs written by version 1 did not,
      // so their closes cannot say what was carried: a run recomputes those
      // periods' balances instead (docs/adjustments.md).
      {2, R"sql(
ALTER TABLE runs ADD COLUMN records_balances INTEGER NOT NULL DEFAULT 0;
)sql"},
  };
  return steps;
}

}  // namespace tally::ledger
