#include "interpreter/streaming.hpp"

#include <algorithm>
#include <filesystem>

#include "interpreter/credit_amount_sums.hpp"
#include "interpreter/credit_runs.hpp"
#include "interpreter/line_fold.hpp"
#include "interpreter/row_labels.hpp"
#include "interpreter/table_rows.hpp"
#include "io/csv_chunks.hpp"

namespace tally {

namespace {

bool integral_aggregate(const CompiledAggregate& aggregate) {
  return aggregate.kind == AggregateKind::count ||
         aggregate.kind == AggregateKind::count_distinct ||
         (aggregate.kind != AggregateKind::avg && aggregate.value_type == RegType::integer);
}

/// Whether the first key of `next` (a chunk) comes after the last key of
/// `previous` (the chunk before), as values_rise orders them.
bool rises_across(const Column& previous, const Column& next) {
  if (previous.size() == 0 || next.size() == 0) return true;
  const std::size_t last = previous.size() - 1;
  if (next.type.is_numeric() && next.type.kind != Kind::integer)
    return previous.decimals.at(last) < next.decimals.at(0);
  return ordered_key(previous, last) < ordered_key(next, 0);
}

/// A column of one value: `column`'s last, kept to compare with the next chunk.
Column last_value(const Column& column) {
  Column one;
  one.type = column.type;
  if (column.size() == 0) return one;
  const std::size_t last = column.size() - 1;
  if (column.type.is_numeric() && column.type.kind != Kind::integer)
    one.decimals.push(column.decimals.at(last));
  else if (column.type.kind == Kind::integer)
    one.ints.push_back(column.ints[last]);
  else if (column.type.kind == Kind::date)
    one.dates.push_back(column.dates[last]);
  else if (column.type.kind == Kind::period)
    one.periods.push_back(column.periods[last]);
  else if (column.type.kind == Kind::boolean)
    one.bools.push_back(column.bools[last]);
  else
    one.symbols.push_back(column.symbols[last]);
  return one;
}

// Chunk after chunk, the credits and the territories of the rows are
// written to the memory the chunk before used: fresh memory would be mapped
// page by page again for every chunk (measured: docs/performance.md,
// "Streaming").

/// Resets `territories` for the next chunk but keeps the room of its per-row column.
void reset_keeping_room(TerritoryData& territories) {
  auto row_found = std::move(territories.row_found);
  territories = TerritoryData{};
  territories.row_found = std::move(row_found);
  territories.clear_rows();
}

}  // namespace

StreamedAggregates::StreamedAggregates(RunState& state)
    : payees_(state.payee_count()), grain_(state.model.calendar.grain) {
  for (const CompiledAggregate& aggregate : state.plan.program.aggregates) {
    totals_.emplace_back(integral_aggregate(aggregate), 0);
    interned_.push_back(intern_constants(aggregate.chunk, state.symbols));
  }
}

bool StreamedAggregates::fold(RunState& state) {
  CreditTable& credits = state.credits;
  for (std::size_t c = 0; c < credits.size(); ++c)
    credits.period[c] = static_cast<std::int32_t>(locals_.local(credits.period[c]));
  const std::size_t locals = locals_.size();
  for (std::size_t l = periods_.size(); l < locals; ++l)  // ordinal 0: year 0's first
    periods_.push_back(add_periods(Period{0, 1, grain_}, locals_.ordinals()[l]));
  credit_counts_.resize(locals * payees_, 0);
  for (std::size_t c = 0; c < credits.size(); ++c)
    ++credit_counts_[static_cast<std::size_t>(credits.period[c]) * payees_ +
                     static_cast<std::size_t>(credits.payee[c])];
  // The aggregates' chunks read credit.period through state.periods.
  state.periods = periods_;
  // Straight into the totals, without an accumulator per chunk to merge:
  // they are period-major, so a period met for the first time only adds
  // slots at their end. A fault or an overflow leaves them half folded; the
  // run then stops, or (folding while crediting) is done again whole.
  const SlotLayout layout{1, payees_};
  bool ok = true;
  for (std::size_t a = 0; ok && a < totals_.size(); ++a) {
    const CompiledAggregate& aggregate = state.plan.program.aggregates[a];
    const bool distinct = aggregate.kind == AggregateKind::count_distinct;
    Accumulator& total = totals_[a];
    total.grow(locals * payees_);
    fold_credits(total, state, aggregate, interned_[a], credit_runs(state, a), layout, distinct,
                 /*settle=*/false);
    if (total.fault) {
      if (!state.budget.stopped()) state.errors.push_back(std::move(*total.fault));
      total.fault.reset();
      ok = false;
      break;
    }
    // Each (slot, value) once: memory holds the distinct values, not the credits.
    if (distinct) total.seen.compact();
  }
  state.periods.clear();
  return ok;
}

std::optional<OrdinalSpan> StreamedAggregates::span() const {
  const std::vector<std::int32_t>& ordinals = locals_.ordinals();
  if (ordinals.empty()) return std::nullopt;
  const auto [lo, hi] = std::minmax_element(ordinals.begin(), ordinals.end());
  return OrdinalSpan{*lo, *hi};
}

void StreamedAggregates::finish(RunState& state, std::int64_t first) {
  materialize_rosters(state);
  const std::size_t periods = state.periods.size();
  const std::size_t slots = payees_ * periods;
  // The local period of each run period, or -1 when no credit fell in it.
  std::vector<std::int64_t> local_of(periods, -1);
  for (std::size_t l = 0; l < locals_.size(); ++l) {
    const std::int64_t r = locals_.ordinals()[l] - first;
    if (r >= 0 && r < static_cast<std::int64_t>(periods))
      local_of[static_cast<std::size_t>(r)] = static_cast<std::int64_t>(l);
  }
  auto each_slot = [&](auto&& take) {
    for (std::size_t p = 0; p < payees_; ++p)
      for (std::size_t r = 0; r < periods; ++r)
        if (local_of[r] >= 0)
          take(p * periods + r, static_cast<std::size_t>(local_of[r]) * payees_ + p);
  };
  state.streamed.credits.assign(slots, 0);
  each_slot([&](std::size_t to, std::size_t from) {
    state.streamed.credits[(to % periods) * payees_ + to / periods] = credit_counts_[from];
  });
  AggregateValues& out = state.aggregates;
  out.periods = periods;
  out.decimals.assign(totals_.size(), {});
  out.integers.assign(totals_.size(), {});
  for (std::size_t a = 0; a < totals_.size(); ++a) {
    const CompiledAggregate& aggregate = state.plan.program.aggregates[a];
    Accumulator& total = totals_[a];
    total.grow(locals_.size() * payees_);
    total.settle();  // the amounts every chunk added as units
    if (aggregate.kind == AggregateKind::count_distinct) {
      const std::vector<std::int64_t> counts = total.seen.counts(locals_.size() * payees_);
      out.integers[a].assign(slots, 0);
      each_slot([&](std::size_t to, std::size_t from) { out.integers[a][to] = counts[from]; });
    } else if (aggregate.kind == AggregateKind::count) {
      out.integers[a].assign(slots, 0);
      each_slot(
          [&](std::size_t to, std::size_t from) { out.integers[a][to] = total.counts[from]; });
    } else if (total.integral) {
      out.integers[a].assign(slots, 0);
      each_slot(
          [&](std::size_t to, std::size_t from) { out.integers[a][to] = total.int_values[from]; });
    } else {
      out.decimals[a].assign(slots, Decimal{});
      each_slot([&](std::size_t to, std::size_t from) {
        // The mean of no credits is zero, as in aggregation.cpp.
        out.decimals[a][to] =
            aggregate.kind == AggregateKind::avg
                ? (total.counts[from] > 0
                       ? Decimal::divide(total.sums[from], Decimal::from_int(total.counts[from]))
                             .value()
                       : Decimal{})
                : total.sums[from];
      });
    }
    total = Accumulator(total.integral, 0);  // handed over: free it
  }
}

void KeptCredits::choose(const RunState& state, const std::vector<std::string>& ids) {
  chosen_.assign(state.payee_count(), 0);
  for (std::size_t p = 0; p < chosen_.size(); ++p) {
    const std::string_view id = state.payee_id(static_cast<std::int32_t>(p));
    chosen_[p] = std::find(ids.begin(), ids.end(), id) != ids.end();
    any_ = any_ || chosen_[p];
  }
}

void KeptCredits::keep(const RunState& state) {
  if (!any_) return;
  const CreditTable& credits = state.credits;
  const Table& table = state.tables[static_cast<std::size_t>(state.streamed_source)];
  const TerritoryData& territories = state.territories;
  std::vector<std::uint32_t> rows;    // of the chunk, in the order kept
  std::vector<std::int64_t> kept_as;  // per chunk row: its row in rows_, or -1
  for (std::size_t c = 0; c < credits.size(); ++c) {
    if (!chosen_[static_cast<std::size_t>(credits.payee[c])]) continue;
    if (kept_as.empty()) kept_as.assign(table.rows, -1);
    const std::uint32_t row = credits.row[c];
    if (kept_as[row] < 0) {
      kept_as[row] = static_cast<std::int64_t>(rows_.rows + rows.size());
      rows.push_back(row);
    }
    credits_.push(static_cast<std::uint32_t>(kept_as[row]), credits.rule[c], credits.line[c],
                  credits.payee[c], credits.period[c], credits.date[c], credits.kind[c],
                  credits.share_at(c), credits.amount_at(c));
  }
  if (rows.empty()) return;
  append_rows(rows_, table, rows);
  if (territories.size() > 0)
    for (std::uint32_t row : rows) found_.push_back(territories.at(row));
}

void KeptCredits::restore(RunState& state, const std::vector<std::int32_t>& ordinals,
                          std::int64_t first) {
  if (!any_) return;
  const auto periods = static_cast<std::int64_t>(state.periods.size());
  // A whole run lists credits rule by rule, each rule's in row order; the
  // chunks interleaved the rules, so the credits are put back rule by rule.
  std::vector<std::size_t> order(credits_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return credits_.rule[a] < credits_.rule[b];
  });
  CreditTable credits;
  for (std::size_t i : order) {
    const std::int64_t period = ordinals[static_cast<std::size_t>(credits_.period[i])] - first;
    if (period < 0 || period >= periods) continue;  // outside the run, as choose_periods drops
    credits.push(credits_.row[i], credits_.rule[i], credits_.line[i], credits_.payee[i],
                 static_cast<std::int32_t>(period), credits_.date[i], credits_.kind[i],
                 credits_.share_at(i), credits_.amount_at(i));
  }
  state.credits = std::move(credits);
  state.rule_credits = state.credits.size();
  Table& table = state.tables[static_cast<std::size_t>(state.streamed_source)];
  rows_.name = table.name;
  rows_.path = table.path;
  table = std::move(rows_);
  TerritoryData& territories = state.territories;
  territories.rows = &table;
  if (!found_.empty()) {
    // One finding per kept row: they are few (the rows of the payees explained).
    territories.clear_rows();
    for (const TerritoryFound& f : found_) {
      const bool none = f.match == TerritoryMatch::none;
      territories.row_found.push_back(none ? 0
                                           : static_cast<std::uint32_t>(territories.found.size()));
      if (none)
        ++territories.unmatched;
      else
        territories.found.push_back(f);
    }
    found_.clear();
  }
}

void stream_credits(RunState& state, const RunOptions& options, StreamedAggregates& totals,
                    KeptCredits* kept, bool& gave_up) {
  gave_up = false;
  const auto index = static_cast<std::size_t>(state.streamed_source);
  const SourceModel& source = state.model.sources[index];
  auto path = bound_path(source.schema.name, options, source.decl->name_span, state);
  if (!path) {
    for (auto& e : path.take_errors()) state.errors.push_back(std::move(e));
    return;
  }
  // Keys are checked here, as load_sources checks them: within a chunk they
  // must rise (then none repeats), and from one chunk to the next.
  SourceSchema schema = source.schema;
  for (FieldSpec& field : schema.fields) field.key = false;
  const int key = key_field(source.schema);
  std::vector<BadRow> bad_rows;  // only says "leave bad rows out": the reader gives them per chunk
  LoadOptions load;
  load.calendar = state.model.calendar;
  load.threads = state.threads;
  load.bad_rows = state.lenient ? &bad_rows : nullptr;
  load.keep_going = state.budget.load_guard();
  // The chunks ahead are parsed while this one is credited: as pieces on one
  // worker per thread (docs/performance.md, "Both cores busy"), or, where a
  // file cannot be cut into pieces, the next chunk on a second thread.
  const unsigned parse_threads = load_threads(state.threads);
  auto reader =
      CsvChunkReader::open(schema, *path, state.symbols, load, state.two_threads(), parse_threads);
  if (!reader) {
    for (auto& e : reader.take_errors()) state.errors.push_back(std::move(e));
    return;
  }
  const std::size_t chunk_rows =
      options.stream_chunk_rows > 0 ? options.stream_chunk_rows : kStreamChunkRows;
  std::optional<Column> last_key;
  TerritoryGaps gaps;
  std::error_code no_size;
  const std::uint64_t file_bytes = std::filesystem::file_size(*path, no_size);
  while (!reader.value()->done()) {
    if (state.budget.should_stop()) return;
    const std::size_t charged_before = state.budget.memory_charged();
    auto chunk = reader.value()->next(chunk_rows);
    if (!chunk) {
      for (auto& e : chunk.take_errors()) state.errors.push_back(std::move(e));
      return;
    }
    for (BadRow& bad : reader.value()->take_bad_rows())
      state.data_error(
          DataErrorKind::bad_row,
          Error{{*path, bad.row, bad.column, 0}, std::move(bad.message), std::move(bad.hint)});
    if (!state.errors.empty()) return;
    Table& rows = chunk.value();
    if (rows.rows == 0) continue;
    if (key >= 0) {
      const Column& keys = rows.columns[static_cast<std::size_t>(key)];
      if (!values_rise(keys) || (last_key && !rises_across(*last_key, keys))) {
        gave_up = true;
        return;
      }
      last_key = last_value(keys);
    }
    rows.name = source.schema.name;
    state.streamed.rows += rows.rows;
    state.tables[index] = std::move(rows);
    reset_keeping_room(state.territories);
    resolve_territories(state, options);
    if (!state.errors.empty()) return;
    state.credits.clear();
    // While the next pieces are parsed on every core, the chunk is credited
    // on this thread alone: a second crediting thread would only take turns
    // with them, and writes its half into a fresh table (measured faster
    // and with less system time: docs/performance.md, "Streaming").
    const unsigned run_threads = state.threads;
    if (reader.value()->parsing_in_pieces()) state.threads = 1;
    credit_transactions(state);
    state.threads = run_threads;
    if (!state.errors.empty() || state.budget.stopped()) return;
    count_territory_gaps(state, gaps);
    if (!totals.fold(state)) return;
    if (kept) kept->keep(state);
    if (options.progress)
      options.progress(RunProgress{"stream", 4, kRunStages, reader.value()->bytes_read(),
                                   no_size ? 0 : file_bytes});
    // The chunk and its credits are dropped; so is what they were charged.
    state.credits.clear();
    state.tables[index] = Table{};
    state.budget.release_memory(state.budget.memory_charged() - charged_before);
  }
  state.credits = CreditTable{};
  state.tables[index].name = source.schema.name;
  state.tables[index].path = *path;
  // The last chunk's named lists and owners stay; its rows are gone.
  state.territories.rows = &state.tables[index];
  state.territories.clear_rows();
  warn_territory_gaps(state, gaps);
}

// A run that loads its data whole but keeps no credits folds them slice by
// slice: the credits land in the memory the slice before used, which stays
// in the cache, instead of a credit table written out page by page
// (docs/performance.md, "Folding while crediting").
bool fold_while_crediting(RunState& state, StreamedAggregates& totals, std::size_t slice_rows) {
  const std::size_t rows =
      state.tables[static_cast<std::size_t>(state.plan.program.rules.front().source)].rows;
  // Usually every row has a territory: then no slice needs a look.
  const bool gaps = state.territories.unmatched > 0;
  const bool lines = !gaps && folds_lines(state);
  if (slice_rows == 0 && lines) {
    slice_rows = std::clamp(rows / 24, kFoldLinesSliceRowsLeast, kFoldSliceRows);
    if ((rows + slice_rows - 1) / slice_rows < kFoldLinesSlices) slice_rows = 0;  // in turns
  }
  if (slice_rows == 0) slice_rows = std::clamp(rows / 12, kFoldSliceRowsLeast, kFoldSliceRows);
  const std::size_t slices = (rows + slice_rows - 1) / slice_rows;
  TerritoryGaps found;
  const std::size_t errors_before = state.errors.size();
  SlicedCrediting outcome;
  if (lines && slices >= kFoldLinesSlices) {
    // Each thread folds into a LineFold of its own, added in at the end.
    LineFold first(state);
    LineFold second(state);
    outcome = fold_lines_in_slices(state, slice_rows, {&first, &second});
    if (outcome == SlicedCrediting::done) {
      first.add_into(totals);
      second.add_into(totals);
    }
  } else {
    outcome = credit_in_slices(state, slice_rows, [&] {
      if (gaps) count_territory_gaps(state, found);
      return totals.fold(state);
    });
  }
  if (outcome == SlicedCrediting::redo_whole) {
    // Credited and aggregated again whole, the run reports its errors in
    // a whole run's order: a fold's error comes after crediting's.
    state.errors.resize(errors_before);
    return false;
  }
  if (outcome == SlicedCrediting::done) warn_territory_gaps(state, found);
  return true;
}

}  // namespace tally
