// `tally run --ledger`: a run recorded in the payout ledger (docs/ledger.md).
// Before the run: the ledger is opened (and checked) and the plan version in
// force for the period is chosen. After it: the open periods' payouts, the
// adjustments for closed periods before them, and the run's provenance are
// recorded in one transaction.
#pragma once

#include <optional>
#include <string>

#include "ledger/ledger.hpp"
#include "ledger/plan_versions.hpp"
#include "tally/tally.hpp"

namespace tally::cli {

struct LedgerRunPlan {
  ledger::Ledger ledger;
  ledger::PlanVersion version;  ///< the text to compile (the version in force)
  std::string file_text;        ///< the plan file as it is today
  /// What the run carries over from the ledger's closed periods (balances
  /// of draws, deferred excess, payment plans): give it to RunOptions::settled.
  SettledPeriods settled;
};

/// Opens the ledger at `ledger_path` and reads the plan; when the run asks
/// for one period (`period`), the version in force for it among those the
/// ledger knows and today's file; and the balances the ledger's closed
/// periods carry forward.
Result<LedgerRunPlan> prepare_ledger_run(const std::string& ledger_path,
                                         const std::string& plan_path,
                                         const std::optional<std::string>& period);

/// What the run did, for the record.
struct LedgerRunFacts {
  std::string plan_path;
  std::string started_utc;
  const RunOptions* options = nullptr;
  const Plan* plan = nullptr;
  const RunResult* result = nullptr;
};

/// Records the run: payouts of its periods that are open, adjustments for
/// the closed periods before the first of them, provenance. A failed run is
/// recorded as failed for the periods the command line named (so that close
/// refuses them). Prints one line saying what was recorded unless `quiet`.
Result<ledger::RecordOutcome> record_ledger_run(const Engine& engine, LedgerRunPlan& prepared,
                                                const LedgerRunFacts& facts, bool quiet);

}  // namespace tally::cli
