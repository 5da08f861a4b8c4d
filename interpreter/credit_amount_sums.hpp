// A fast path of aggregation for the commonest measure of all,
// `sum(credit.amount)` (and `avg(credit.amount)`) without a filter: the
// credit table keeps its amounts as 64-bit units at one scale, so they are
// added as integers per payee and period, without the VM and without a
// Decimal per credit. The result is the same Decimal, scale included, as the
// bytecode's sum would give (tests/unit/interpreter/credit_amount_sums_test.cpp).
#pragma once

#include <cstddef>
#include <vector>

#include "interpreter/accumulators.hpp"

namespace tally {

/// Whether `aggregate` is a sum or mean of credit.amount with no filter, over
/// credits whose amounts are 64-bit units (not a column of wide decimals).
bool sums_credit_amounts(const RunState& state, const CompiledAggregate& aggregate);

/// What Accumulator::run does for such an aggregate: the amounts and counts
/// of the credits of `runs` added into `into`'s slots (placed by `layout`),
/// the amounts as units into `into.unsettled` until Accumulator::settle.
/// Stops early, leaving `into.fault` set, when the run's limits say stop.
void add_credit_amounts(const RunState& state, const std::vector<CreditRun>& runs,
                        SlotLayout layout, Accumulator& into);

/// Folds the credits of `runs` into `into` for `aggregate`: by
/// add_credit_amounts when sums_credit_amounts, else by Accumulator::run.
/// Without `settle`, amounts added as units may stay unsettled (a streamed
/// run's totals settle once, after the last chunk).
void fold_credits(Accumulator& into, const RunState& state, const CompiledAggregate& aggregate,
                  const InternedConstants& interned, const std::vector<CreditRun>& runs,
                  SlotLayout layout, bool distinct, bool settle = true);

}  // namespace tally
