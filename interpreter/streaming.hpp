// The streaming mode of a run (RunOptions::stream; docs/performance.md,
// "Streaming"): the credited source is read a chunk of rows at a time; each
// chunk's territories are resolved, its credits made and folded into the
// per payee-period accumulators of every aggregate, then the chunk and its
// credits are dropped. The rest of the run (periods, tables, payouts) reads
// the accumulators as it reads the aggregates of a whole run, so the
// results are the same; memory holds the accumulators, not the deals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "interpreter/accumulators.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/run_state.hpp"
#include "tally/tally.hpp"

namespace tally {

/// Rows per chunk when RunOptions::stream_chunk_rows is 0 (measured on the
/// reference workload, docs/performance.md "Streaming": 131,072 and 262,144
/// rows tie at 10M deals and beat 524,288; 131,072 is the faster at 1M,
/// where small chunks let the pieces overlap sooner).
inline constexpr std::size_t kStreamChunkRows = std::size_t{1} << 17;

/// The memory a run that loads everything takes per byte of its credited
/// CSV file (1.9 measured on the reference workload at 10M deals,
/// docs/performance.md): the automatic mode's estimate of what a whole load
/// would need.
inline constexpr double kLoadBytesPerFileByte = 2.0;

/// From this size of the credited file automatic mode streams, being then
/// faster than loading everything (docs/performance.md, "Streaming": on the
/// reference workload, slower at 100k deals, 5.7 MB, even at 150k, 8.7 MB,
/// faster from 300k, 17 MB, on).
inline constexpr std::uint64_t kStreamFasterBytes = std::uint64_t{16} << 20;

/// What prevents the run from streaming, as an error naming the feature (at
/// its line of the plan when it has one); nullopt when it can stream.
std::optional<Error> why_not_streamed(const RunState& state, const RunOptions& options);

/// The automatic mode's rule, for a run that can stream: the credited
/// source's file is at least kStreamFasterBytes, or its size times
/// kLoadBytesPerFileByte passes RunOptions::stream_memory_fraction of the
/// machine's physical memory.
bool streams_automatically(const RunState& state, const RunOptions& options);

class LineFold;  // line_fold.hpp

/// The accumulators of every aggregate over the chunks folded so far, per
/// payee and period; the periods are those the credits fell in, in the
/// order met (the run's periods are chosen only once every chunk is read).
class StreamedAggregates {
 public:
  explicit StreamedAggregates(RunState& state);
  /// Folds state.credits (one chunk's; their periods still ordinals) into
  /// the accumulators. False after reporting an error (a fault, an overflow).
  bool fold(RunState& state);
  /// The lowest and highest period ordinals of the credits folded.
  std::optional<OrdinalSpan> span() const;
  /// Per local period (the periods of state.credits after fold): its ordinal.
  const std::vector<std::int32_t>& ordinals() const { return locals_.ordinals(); }
  /// Fills state.aggregates, and state.streamed.credits, for the run's
  /// periods (state.periods, the first of which has ordinal `first`).
  void finish(RunState& state, std::int64_t first);

 private:
  friend class LineFold;  // adds what it folded into the totals
  std::size_t payees_ = 0;
  Grain grain_;
  std::vector<Accumulator> totals_;  ///< per aggregate: [local period * payees + payee]
  std::vector<InternedConstants> interned_;
  LocalPeriods locals_;                     ///< the periods the credits fell in
  std::vector<Period> periods_;             ///< per local period
  std::vector<std::size_t> credit_counts_;  ///< [local period * payees + payee]
};

/// Rows per slice of a run that folds while crediting: a twelfth of the
/// rows, within these bounds (measured on the reference workload,
/// docs/performance.md, "Folding while crediting", with each slice folded
/// straight into the totals: 8,192 rows the fastest at 100k deals, 32,768
/// at 1M, and 32,768 and 65,536 alike at 10M).
inline constexpr std::size_t kFoldSliceRowsLeast = std::size_t{1} << 13;
inline constexpr std::size_t kFoldSliceRows = std::size_t{1} << 15;

/// From this many slices a run that folds while crediting, when every
/// aggregate can (folds_lines, line_fold.hpp), folds the credits as they are
/// made, each thread into totals of its own. With fewer, the slices are
/// credited and folded in turns: there the second thread's start (about a
/// millisecond on the measuring machine) costs more than it saves when it
/// has to start while the first is busy (docs/performance.md, "Folding
/// credits as they are made": at 100k deals, 13 slices, 2.2 ms against
/// 2.7 ms).
inline constexpr std::size_t kFoldLinesSlices = 16;

/// Folding credits as they are made writes no credit table, so its slices
/// need not stay small: they are only what the threads take in turn. A
/// twenty-fourth of the rows, from 4,096 to kFoldSliceRows (at 100k deals,
/// 25 slices: 1.4 ms against 2.3 ms for 13 slices folded in turns).
inline constexpr std::size_t kFoldLinesSliceRowsLeast = std::size_t{1} << 12;

/// Whether a run that loads its data whole can fold its credits into the
/// accumulators slice by slice as it makes them, as a streamed run does,
/// and keep no credit table: nothing reads the credits once aggregated (no
/// credits table asked for, no inspector, no clawback), the credit rules
/// can be credited in slices (credits_in_slices), no currency is converted,
/// and no aggregate looks up a (payee, period) table (filled later).
bool folds_while_crediting(const RunState& state, const RunOptions& options);

/// Credits the loaded rows slice by slice (of `slice_rows` rows; when 0, a
/// twelfth of the rows within kFoldSliceRowsLeast and kFoldSliceRows) into
/// `totals` (state.credits left empty),
/// then warns of the credited rows without territory. False, having
/// reported nothing, when a slice met a data error or a fault or a fold an
/// error: the caller credits and aggregates the run whole instead, which
/// reports them as a whole run does (`totals` is then to be dropped). True
/// otherwise, or when the run's limits stopped it.
bool fold_while_crediting(RunState& state, StreamedAggregates& totals, std::size_t slice_rows);

/// The credits of some payees (those an inspector reads: `tally explain`),
/// with the rows they credit and those rows' territories, kept across the
/// chunks of a streamed run, so that memory grows with those payees' deals
/// only.
class KeptCredits {
 public:
  /// Keeps the credits of the payees whose roster ids are `ids` (ids not in
  /// the roster are left to the inspector to report).
  void choose(const RunState& state, const std::vector<std::string>& ids);
  /// Keeps the chosen payees' credits of the current chunk (state.credits,
  /// their periods local to `StreamedAggregates`).
  void keep(const RunState& state);
  /// After the run's periods are chosen (the first with ordinal `first`):
  /// the kept credits become state.credits, in the order of a whole run,
  /// their rows the streamed source's table, their territories
  /// state.territories'.
  void restore(RunState& state, const std::vector<std::int32_t>& ordinals, std::int64_t first);

 private:
  std::vector<std::uint8_t> chosen_;  ///< per payee
  bool any_ = false;
  CreditTable credits_;  ///< rows index rows_
  Table rows_;
  std::vector<TerritoryFound> found_;  ///< per kept row
};

/// Reads the credited source (state.streamed_source) chunk by chunk into
/// `totals` (and `kept`, when not null): per chunk the load's checks (every bad value at its file
/// row and column), territory resolution, crediting, folding. Sets `gave_up` (and reports nothing)
/// when the source's keys do not rise from chunk to chunk, since a repeated key could then hide in
/// an earlier chunk: the caller runs the plan again without streaming, or, when streaming was asked
/// for, reports it.
void stream_credits(RunState& state, const RunOptions& options, StreamedAggregates& totals,
                    KeptCredits* kept, bool& gave_up);

}  // namespace tally
