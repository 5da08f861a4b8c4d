// The stages of a run, in order (LANGUAGE.md §4): load the bound sources,
// credit transactions, aggregate credits into measures, pay per period.
// Each stage appends its errors to RunState::errors; the run stops after a
// stage that reported any.
#pragma once

#include "interpreter/run_state.hpp"
#include "tally/tally.hpp"

namespace tally {

/// Finds each source's file (binding or DIR/NAME.csv|json) and loads it.
void load_sources(RunState& state, const RunOptions& options);

/// Runs every credit rule over its source, in batches, filling state.credits.
void credit_transactions(RunState& state);

/// Decides the periods to pay and drops credits outside them.
void choose_periods(RunState& state, const RunOptions& options);

/// Fills every (payee, period) table from its source, for the periods paid.
/// A payee not in the roster, or two rows for one payee and period, is an
/// error naming the rows.
void fill_tables(RunState& state);

/// Aggregates credits per payee and period for every aggregate of the plan.
void aggregate_credits(RunState& state);

/// Evaluates values and payouts per period, one lane per payee, and fills
/// the payouts and measures tables.
void compute_payouts(RunState& state, ResultTable& payouts, ResultTable& measures, Decimal& total);

}  // namespace tally
