// Which runs can stream (streaming.hpp): a run streams when everything after
// crediting needs only the per payee-period accumulators. What needs every
// credit, or every row of the credited source, at once prevents it.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "interpreter/run_inspector.hpp"
#include "interpreter/streaming.hpp"
#include "io/csv_chunks.hpp"

namespace tally {

namespace {

/// Whether `chunk` looks up a (payee, period) table, which is filled only
/// once the run's periods are chosen, after every chunk (or slice) is credited.
bool reads_period_tables(const Chunk& chunk) {
  return std::any_of(chunk.code.begin(), chunk.code.end(), [](const Instr& in) {
    return in.op == OpCode::LOAD_TABLE || in.op == OpCode::TABLE_GET ||
           in.op == OpCode::TABLE_ROLLUP;
  });
}

/// Whether `chunk` asks the owner of a territory value (`owner(t)`, k = 2),
/// which for a territory other than the row's own is the owner every
/// transaction resolved for it: over all rows, not one chunk's.
bool reads_owner_by_name(const Chunk& chunk) {
  return std::any_of(chunk.code.begin(), chunk.code.end(),
                     [](const Instr& in) { return in.op == OpCode::LOAD_TERRITORY && in.k == 2; });
}

/// Whether some territory's owner comes from the transactions (an owner
/// expression that is not text, or a `territories from` source), so that
/// the owner known for its name depends on every row resolved to it.
bool owners_from_rows(const PlanModel& model) {
  if (!model.territory_sets.empty()) return true;
  return std::any_of(model.territories.begin(), model.territories.end(), [](const auto& t) {
    return t.decl->owner && t.decl->owner->kind != ast::ExprKind::string;
  });
}

}  // namespace

bool folds_while_crediting(const RunState& state, const RunOptions& options) {
  const Program& program = state.plan.program;
  return !options.credits_table && !options.inspector && state.model.clawbacks.empty() &&
         !program.uses_fx && credits_in_slices(state) &&
         std::none_of(program.aggregates.begin(), program.aggregates.end(),
                      [](const CompiledAggregate& a) { return reads_period_tables(a.chunk); });
}

std::optional<Error> why_not_streamed(const RunState& state, const RunOptions& options) {
  const PlanModel& model = state.model;
  const std::string hint_off = "run without --stream";
  if (model.credited_source < 0)
    return Error{{}, "the plan credits no source, so there is nothing to stream", hint_off};
  const SourceModel& source = model.sources[static_cast<std::size_t>(model.credited_source)];
  const std::string& name = source.schema.name;
  if (options.tables.count(name) || options.columns.count(name) || options.rows.count(name))
    return Error{state.plan_location(source.decl->name_span),
                 "the credited source `" + name +
                     "` is given in memory, not as a file to read "
                     "in chunks",
                 hint_off};
  if (options.credits_table)
    return Error{{},
                 "the credits table is asked for: it lists every credit, so the credits "
                 "cannot be dropped chunk by chunk",
                 "leave it out of the outputs (tally run --outputs payouts,measures)"};
  if (options.inspector && options.inspector->payees_read().empty())
    return Error{
        {}, "this command looks at every credit of the run, so it cannot stream", hint_off};
  for (const ClawbackModel& clawback : model.clawbacks)
    return Error{state.plan_location(clawback.decl->span),
                 "the plan has a clawback (of `" + clawback.decl->payout +
                     "`), which goes back over every credit once all are made",
                 hint_off};
  for (const CreditRuleModel& rule : model.rules) {
    if (rule.source != model.credited_source)
      return Error{state.plan_location(rule.decl->span),
                   "credit rule `" + rule.decl->name + "` credits source `" +
                       model.sources[static_cast<std::size_t>(rule.source)].schema.name +
                       "`; a run streams only when every credit rule reads one source",
                   hint_off};
    for (const auto& line : state.plan.program.rules[&rule - model.rules.data()].lines)
      if (line.kind == ast::CreditKind::split)
        return Error{state.plan_location(rule.decl->span),
                     "credit rule `" + rule.decl->name +
                         "` has `split` lines, whose shares are checked per transaction over "
                         "rows that a chunk boundary could separate",
                     hint_off};
  }
  for (const TableModel& table : model.tables)
    if (table.source == model.credited_source)
      return Error{state.plan_location(table.decl->span),
                   "table `" + table.decl->name + "` is read from `" + name +
                       "`, the source that would be streamed",
                   hint_off};
  for (std::size_t a = 0; a < model.aggregates.size(); ++a)
    if (a < state.plan.program.aggregates.size() &&
        reads_period_tables(state.plan.program.aggregates[a].chunk))
      return Error{state.plan_location(model.aggregates[a].call->span),
                   "this aggregate looks up a table per payee and period, which is filled only "
                   "once every chunk is credited",
                   hint_off};
  if (owners_from_rows(model)) {
    const Program& program = state.plan.program;
    bool reads = reads_owner_by_name(program.payouts.chunk);
    for (const auto& rule : program.rules) reads = reads || reads_owner_by_name(rule.chunk);
    for (const auto& aggregate : program.aggregates)
      reads = reads || reads_owner_by_name(aggregate.chunk);
    if (reads)
      return Error{{},
                   "the plan asks owner(...) of a territory whose owner is read from the "
                   "transactions: the owner known for it is the one all of its rows resolved, "
                   "which a chunk cannot see",
                   hint_off};
  }
  if (options.lenient && state.plan.program.uses_fx)
    return Error{{},
                 "under --lenient, the credits without an exchange rate are found over all the "
                 "credits at once",
                 hint_off};
  auto path = bound_path(name, options, source.decl->name_span, state);
  if (!path) return path.errors().front();
  if (!can_read_in_chunks(*path))
    return Error{state.plan_location(source.decl->name_span),
                 "the credited source `" + name + "` is read from " + *path +
                     "; only delimited files (.csv, .tsv, .txt) are read in chunks",
                 hint_off};
  return std::nullopt;
}

bool streams_automatically(const RunState& state, const RunOptions& options) {
  const SourceModel& source =
      state.model.sources[static_cast<std::size_t>(state.model.credited_source)];
  auto path = bound_path(source.schema.name, options, source.decl->name_span, state);
  if (!path) return false;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(*path, ec);
  if (ec) return false;
  if (bytes >= kStreamFasterBytes) return true;
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return false;
  const double memory = static_cast<double>(pages) * static_cast<double>(page_size);
  return static_cast<double>(bytes) * kLoadBytesPerFileByte >
         options.stream_memory_fraction * memory;
}

}  // namespace tally
