// The balances of settled periods (RunOptions::settled, docs/adjustments.md
// "Carried from the ledger"): what a payout ledger froze when it closed a
// period. The payouts stage computes a settled period as any other, then
// carries its recoverable draws' balances out of it as the ledger froze
// them, so that an advance paid is recovered once, from later earnings.
#pragma once

#include <cstddef>
#include <map>
#include <tuple>
#include <vector>

#include "interpreter/run_state.hpp"

namespace tally {

/// The kinds of CarriedBalance, as RunResult::balances spells them.
enum class CarriedKind { draw, deferred, carried };
const char* carried_kind_name(CarriedKind kind);

class SettledBalances {
 public:
  /// Indexes the draw balances of state.settled against the run's periods,
  /// payees and draws. A draw balance for a payee not in the roster, or for
  /// a draw the plan does not have (or not recoverable), cannot be carried: a
  /// warning names it. An amount that is not a decimal, or a kind that is
  /// not one of CarriedKind, is an error (state.errors).
  explicit SettledBalances(RunState& state);

  /// Whether run period `period` is settled.
  bool settles(std::size_t period) const { return period < settled_.size() && settled_[period]; }
  /// Draw `draw`'s balance for `payee` at the end of settled run period
  /// `period`; zero when the period does not list one.
  Decimal draw_balance(std::size_t draw, std::size_t payee, std::size_t period) const;

 private:
  std::vector<std::uint8_t> settled_;  // per run period
  std::map<std::tuple<std::size_t, std::size_t, std::size_t>, Decimal> draws_;
};

}  // namespace tally
