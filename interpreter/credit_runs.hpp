// the credits an aggregate runs over, as ranges of the credit
// table that share one source table. Credit rules append their credits rule
// by rule (and clawbacks append reversals after them), so the credits of one
// source form a few contiguous ranges; the aggregate's chunk runs over each
// with `env.rows` set to that range's source table.
#pragma once

#include <cstddef>
#include <vector>

#include "interpreter/run_state.hpp"
#include "interpreter/vm.hpp"

namespace tally {

struct CreditRun {
  std::size_t begin = 0;
  std::size_t end = 0;  ///< one past the last credit
  const Table* rows = nullptr;
};

/// The ranges of `state.credits` that aggregate `a` takes in. In a plan whose
/// credit rules read one source, that is every credit, over that source's
/// table (empty when the plan credits nothing).
std::vector<CreditRun> credit_runs(const RunState& state, std::size_t a);

/// The VM environment for an aggregate's chunk over the run's credits; the
/// caller sets `rows` (from each CreditRun) and `credit_base` per batch.
VmEnv credits_env(const RunState& state, const InternedConstants& interned);

}  // namespace tally
