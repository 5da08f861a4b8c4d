// Prior-period adjustments (docs/adjustments.md): what a run of an open
// period posts for the closed periods before it. A closed period's paid rows
// are facts and never change; when today's plan and data compute a different
// amount for one of them, the difference is posted to the period being run,
// one line per payee, component and origin period.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "interpreter/runtime/result.hpp"
#include "ledger/ledger.hpp"
#include "ledger/plan_versions.hpp"
#include "tally/tally.hpp"

namespace tally::ledger {

struct AdjustmentInputs {
  /// The open period being run; every new line is posted to it.
  std::string current_period;
  /// The closed periods to compare, in calendar order (the order of the
  /// lines returned). Rows of any other origin are ignored.
  std::vector<std::string> closed_periods;
  /// Everything paid so far (Ledger::all_paid): the payouts of each closed
  /// period and the adjustments paid in closed periods. What was paid for a
  /// closed period O is the sum of the rows whose origin_period is O.
  /// Adjustments posted to open periods (by earlier runs of the current
  /// period, say) are not paid and not given here: this run supersedes them
  /// and computes them again, which is why a rerun posts the same lines.
  std::vector<PaidLine> paid;
  /// Today's computation of the closed periods, each under the plan version
  /// in force for it (plan_versions.hpp), over today's data.
  std::vector<PayoutLine> recomputed;
  /// Components whose paid amounts are final in the settled periods: a
  /// recoverable draw and its recovery. What was advanced is a fact; its
  /// balance carries over from the ledger (carried_from_ledger) and later
  /// earnings recover it, so adjusting the advance would count it twice.
  std::set<std::string> final_components;
  /// The closed periods whose draw balances carry over (SettledPeriods);
  /// in the others (closed by schema 1, which kept no balances) the final
  /// components are adjusted like any other, their balances recomputed.
  std::set<std::string> settled_periods;
};

/// For each payee, component and closed origin period O (but a final
/// component of a settled period):
///   amount = (recomputed for O) - (paid for O, payouts and earlier adjustments)
/// with a missing row counting as zero; a line only where that is not zero,
/// posted to current_period. Lines are ordered by origin period (calendar
/// order), payee, component. An amount that is not a decimal number is an
/// error naming the row; so is a current period that is itself closed
/// (closed rows never change).
Result<std::vector<AdjustmentLine>> compute_adjustments(const AdjustmentInputs& inputs);

/// What a run carries over from `ledger` (RunOptions::settled): the closed
/// periods whose close recorded balances, and those balances (draws,
/// deferred excess, payment plans) as frozen at close.
Result<SettledPeriods> carried_from_ledger(const Ledger& ledger);

/// The components of `plan` that are never adjusted (final_components).
std::set<std::string> final_components(const Engine& engine, const Plan& plan);

/// The whole step a ledger run takes before recording `current_period`:
/// recomputes each period closed in `ledger` that starts before it, under
/// the version in force for that period (`versions`, from known_versions),
/// over the data `data` binds (its period range is replaced by the closed
/// period), and returns the lines compute_adjustments gives against
/// Ledger::all_paid. Compile or run errors of a recomputation are errors
/// (with their plan or data location): a run must not post adjustments from
/// a computation that failed.
Result<std::vector<AdjustmentLine>> prior_period_adjustments(
    const Engine& engine, const Ledger& ledger, const std::vector<PlanVersion>& versions,
    const RunOptions& data, const std::string& current_period);

}  // namespace tally::ledger
