// The stages of a run, in order (LANGUAGE.md §4): load the bound sources,
// credit transactions, aggregate credits into measures, pay per period.
// Each stage appends its errors to RunState::errors; the run stops after a
// stage that reported any.
#pragma once

#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "interpreter/run_state.hpp"
#include "tally/tally.hpp"

namespace tally {

class LineFold;  // line_fold.hpp

/// How many stages Engine::run reports to RunOptions::progress; load is the first.
constexpr int kRunStages = 10;

/// Finds each source's file (binding or DIR/NAME.csv|json) and loads it,
/// telling RunOptions::progress how many bytes of all the files are read.
void load_sources(RunState& state, const RunOptions& options);
/// The file bound to source `name`: an explicit binding, else DIR/NAME.csv
/// or DIR/NAME.json. Errors (at `span`) when none or both exist.
Result<std::string> bound_path(const std::string& name, const RunOptions& options, Span span,
                               const RunState& state);

/// Territory resolution (territory_resolution.cpp): loads the named lists
/// (`list("NAME")`) and gives every row of the credited source its territory
/// of highest priority and that territory's owner (state.territories). Two
/// matching territories of equal priority, neither inside the other, are a
/// data error naming the transaction and both.
void resolve_territories(RunState& state, const RunOptions& options);

/// After crediting: a warning counting the credited rows that match no
/// territory (territory(...) has no value for them).
void report_territory_gaps(RunState& state);
/// The credited rows that match no territory, counted over several calls
/// (the chunks of a streamed run): how many, and the first one's label.
struct TerritoryGaps {
  std::size_t count = 0;
  std::string first;
  std::string source;  ///< the credited source's name
};
/// Adds the current credits' rows without territory to `gaps`.
void count_territory_gaps(RunState& state, TerritoryGaps& gaps);
/// The warning of report_territory_gaps for what `gaps` counted.
void warn_territory_gaps(RunState& state, const TerritoryGaps& gaps);

/// Runs every credit rule over its source, in batches, filling state.credits.
void credit_transactions(RunState& state);

/// Whether credit_in_slices can credit the plan: every credit rule reads
/// one source, and none has `split` lines (their shares are checked over
/// the whole transaction) or converts currencies (--lenient rejects the
/// rows without a rate).
bool credits_in_slices(const RunState& state);
enum class SlicedCrediting {
  done,        ///< every slice credited and folded
  redo_whole,  ///< a data error, a fault, or an error of `fold`: nothing reported
  stopped,     ///< the run's limits stopped it
};
/// Credits the rows of the credited source a slice of about `slice_rows`
/// rows at a time into state.credits, cleared before each slice (so the
/// credits stay in memory the slice before used), and calls `fold` after
/// each slice, in slice order (on two threads, one at a time). At the first
/// data error or fault, or when `fold` returns false (having reported an
/// error), it stops and returns redo_whole: the caller drops what `fold`
/// reported and credits the run whole (credit_transactions), which reports
/// the errors as a whole run does, crediting's before aggregation's. Leaves
/// state.credits empty.
SlicedCrediting credit_in_slices(RunState& state, std::size_t slice_rows,
                                 const std::function<bool()>& fold);

/// Credits the rows of the credited source a slice of about `slice_rows`
/// rows at a time, as credit_in_slices does, but writes no credit: each
/// thread (one per fold in `folds`, at most two) hands its credits straight
/// to its fold (line_fold.hpp), taking the next slice as it comes free.
/// Every aggregate must fold lines (folds_lines). At the first data error or
/// fault it stops and returns redo_whole, having reported nothing.
SlicedCrediting fold_lines_in_slices(RunState& state, std::size_t slice_rows,
                                     const std::vector<LineFold*>& folds);

/// Decides the periods to pay and drops credits outside them.
void choose_periods(RunState& state, const RunOptions& options);

/// The lowest and highest ordinals (period_ordinal) of the credits' periods.
using OrdinalSpan = std::pair<std::int32_t, std::int32_t>;
/// The part of choose_periods that needs no credits, only their span
/// (nullopt: no credit): fills state.periods (and first_paid) from
/// --from/--to and the span, and returns the ordinal of state.periods[0];
/// nullopt after an error, or when there is no period to pay.
std::optional<std::int64_t> choose_run_periods(RunState& state, const RunOptions& options,
                                               std::optional<OrdinalSpan> credited);

/// Fills every (payee, period) table from its source, for the periods paid.
/// A payee not in the roster, or two rows for one payee and period, is an
/// error naming the rows.
void fill_tables(RunState& state);

// ---- tables
/// Before crediting: fills the tables without a `period` key (read from a
/// source, or `= EXPR`), so that credit rules can look them up; fill_tables
/// keeps the ones read from a source and fills the rest.
void fill_tables_before_crediting(RunState& state);
/// Payouts under --lenient: turns the lookups without a value recorded in
/// state.table_misses (period `period`) into missing_table_value rejects and
/// marks those payee-periods left out.
void report_table_misses(RunState& state, std::size_t period);
/// Whether payee `payee`'s rows of period `period` are left out (see
/// report_table_misses).
bool left_out_by_tables(const RunState& state, std::size_t payee, std::size_t period);
/// How a failure in an aggregate names credit `credit`'s transaction:
/// `deals.csv row 3, transaction "d7"`.
std::string credit_transaction_label(const RunState& state, std::size_t credit);

/// Whether `program` carries state across periods (cumulative values,
/// yearly or deferred caps, yearly floors, payment plans, draws, clawbacks),
/// so that a run must compute its plan years from their first period.
bool carries_state(const Program& program);

/// Runs each clawback's condition over the credited rows: records the
/// credits clawed back and the period charged; with `and credit`, appends
/// the reversing credits (clawbacks.cpp).
void find_clawbacks(RunState& state);

/// Aggregates credits per payee and period for every aggregate of the plan.
void aggregate_credits(RunState& state);
/// For an effective-dated roster: per period paid, the roster of one row
/// per payee that payouts read (`role`, `for role == ...`): the row in force
/// on the period's last day, or on the payee's `end_date` when they leave
/// within the period. (Part of aggregate_credits; streaming calls it alone.)
void materialize_rosters(RunState& state);

/// Evaluates values and payouts per period, one lane per payee, and fills
/// the payouts table, and the measures table when it has columns (asked for).
void compute_payouts(RunState& state, ResultTable& payouts, ResultTable& measures, Decimal& total);

/// Under --lenient: the rejected rows and credits into result.rejects (the
/// rejects file) and their counts per kind into the summary.
void report_rejects(const RunState& state, RunResult& result);

}  // namespace tally
