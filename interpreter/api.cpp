// The public C++ API (include/tally/tally.hpp) over the internal layers.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <unordered_map>

#include "grammar/diagnostics.hpp"
#include "grammar/formatter.hpp"
#include "grammar/parser.hpp"
#include "interpreter/api_guard.hpp"
#include "interpreter/checker.hpp"
#include "interpreter/compiler.hpp"
#include "interpreter/disassembler.hpp"
#include "interpreter/plan.hpp"
#include "interpreter/plan_imports.hpp"
#include "interpreter/row_labels.hpp"
#include "interpreter/run_inspector.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/runtime/spelling.hpp"
#include "interpreter/streaming.hpp"
#include "interpreter/value_format.hpp"
#include "io/table_builder.hpp"
#include "tally/tally.hpp"

namespace tally {

namespace {

/// The files whose lines messages may quote: a plan and its imports.
struct Sources {
  std::vector<const SourceFile*> files;

  Sources() = default;
  Sources(const SourceFile* file) : files{file} {}  // NOLINT: implicit on purpose
  explicit Sources(const ast::Plan& plan) {
    files.push_back(plan.file.get());
    for (const auto& imported : plan.imported) files.push_back(imported.file.get());
  }
  const SourceFile* named(const std::string& name) const {
    for (const SourceFile* file : files)
      if (file && file->name() == name) return file;
    return nullptr;
  }
};

Message to_message(const Error& error, Severity severity, const Sources& sources) {
  Message m;
  m.severity = severity == Severity::error     ? Message::Severity::error
               : severity == Severity::warning ? Message::Severity::warning
                                               : Message::Severity::note;
  m.file = error.where.file;
  m.line = error.where.line;
  m.column = error.where.column;
  m.text = error.message;
  m.hint = error.hint;
  m.rendered = render_error(error, sources.named(error.where.file), severity);
  return m;
}

void append(std::vector<Message>& out, const Errors& errors, const Sources& sources) {
  for (const Error& e : errors) out.push_back(to_message(e, Severity::error, sources));
}

std::string type_label(const Type& type) {
  return type_name(type);
}

/// The transaction's key as text (its key field), or its row number.
std::string transaction_label(const RunState& state, int source, std::size_t row) {
  const auto& fields = state.model.sources[source].schema.fields;
  const Table& table = state.tables[source];
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (!fields[f].key) continue;
    const Column& column = table.columns[f];
    switch (reg_type_of(column.type)) {
      case RegType::symbol:
        return std::string(state.text(column.symbols[row]));
      case RegType::integer:
        return std::to_string(column.ints[row]);
      default:
        break;
    }
  }
  return std::to_string(table.file_row(row));
}

ResultTable credit_table(const RunState& state) {
  ResultTable table;
  table.columns = {"rule", "transaction", "row", "payee", "period", "kind", "share", "amount"};
  const CreditTable& c = state.credits;
  // The rows are charged to the run's memory budget 4,096 at a time.
  std::size_t charged = 0;
  auto charge_new_rows = [&] {
    std::size_t bytes = 0;
    for (; charged < table.rows.size(); ++charged) bytes += result_row_bytes(table.rows[charged]);
    return !state.budget.should_stop() && state.budget.charge_memory(bytes);
  };
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (i % 4096 == 0 && !charge_new_rows()) return table;
    const CreditRuleModel& rule = state.model.rules[c.rule[i]];
    const Table& source = state.tables[rule.source];
    table.rows.push_back({rule.decl->name, transaction_label(state, rule.source, c.row[i]),
                          std::to_string(source.file_row(c.row[i])),
                          std::string(state.payee_id(c.payee[i])),
                          period_label(state.periods[c.period[i]], state.model.calendar),
                          std::string(ast::credit_kind_name(c.kind[i])),
                          percent_digits(c.share_at(i)) + "%", format_amount(c.amount_at(i))});
  }
  charge_new_rows();  // the last rows; a stop is seen by Engine::run
  return table;
}

/// The payout components in plan order: each payout, then each payout's
/// clawback, then each draw followed by its recovery (the order of the rows
/// of one payee and period, interpreter/payouts.cpp).
std::vector<std::string> component_order(const PlanModel& model) {
  std::vector<std::string> names;
  for (const auto& payout : model.payouts) names.push_back(payout.decl->name);
  for (const auto& payout : model.payouts) names.push_back(payout.decl->name + "_clawback");
  for (const auto& draw : model.draws) {
    names.push_back(draw.decl->name);
    names.push_back(draw.decl->name + "_recovery");
  }
  return names;
}

/// Sums per text key, in the order keys are first met; rows come grouped by
/// payee and period, so the key last added to is tried first.
class TotalsByKey {
 public:
  void add(const std::string& key, const Decimal& amount) {
    if (last_ >= keys_.size() || keys_[last_].first != key) {
      const auto [it, fresh] = index_.try_emplace(key, keys_.size());
      if (fresh) keys_.emplace_back(key, Decimal{});
      last_ = it->second;
    }
    keys_[last_].second = keys_[last_].second + amount;
  }
  const Decimal* find(const std::string& key) const {
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &keys_[it->second].second;
  }
  std::vector<std::pair<std::string, Decimal>>& in_order() { return keys_; }

 private:
  std::vector<std::pair<std::string, Decimal>> keys_;
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t last_ = 0;
};

/// Exact totals (all, per period, per payee, per component) from the payout
/// rows, which may be restricted to some payees (RunOptions::payees).
void summarize_totals(const ResultTable& payouts, const PlanModel& model, RunSummary& summary) {
  TotalsByKey by_period;
  TotalsByKey by_payee;
  TotalsByKey by_component;
  Decimal total;
  for (const auto& row : payouts.rows) {
    const Decimal amount = *Decimal::parse(row[3]);
    total = total + amount;
    by_period.add(row[1], amount);
    by_payee.add(row[0], amount);
    by_component.add(row[2], amount);
  }
  summary.total_paid = format_amount(total);
  for (const auto& [period, amount] : by_period.in_order())
    summary.paid_by_period.emplace_back(period, format_amount(amount));
  // The highest paid first; equal amounts in the order of their ids.
  auto& payees = by_payee.in_order();
  std::sort(payees.begin(), payees.end(), [](const auto& a, const auto& b) {
    const auto order = b.second <=> a.second;
    return order != 0 ? order < 0 : a.first < b.first;
  });
  for (const auto& [payee, amount] : payees)
    summary.paid_by_payee.emplace_back(payee, format_amount(amount));
  // The plan's components in its order, then any other (none expected) as met.
  const std::vector<std::string> order = component_order(model);
  for (const auto& name : order)
    if (const Decimal* amount = by_component.find(name))
      summary.paid_by_component.emplace_back(name, format_amount(*amount));
  for (const auto& [name, amount] : by_component.in_order())
    if (std::find(order.begin(), order.end(), name) == order.end())
      summary.paid_by_component.emplace_back(name, format_amount(amount));
}

/// RunOptions::payees checked against the roster: an error per id that is
/// not a payee, naming the nearest ids.
void check_chosen_payees(RunState& state, const std::vector<std::string>& chosen) {
  std::vector<std::string> ids;
  for (std::size_t p = 0; p < state.payee_count(); ++p)
    ids.emplace_back(state.payee_id(static_cast<std::int32_t>(p)));
  for (const std::string& id : chosen) {
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
    std::vector<std::pair<int, std::size_t>> nearest;  // (distance, roster position)
    for (std::size_t p = 0; p < ids.size(); ++p) nearest.emplace_back(edit_distance(id, ids[p]), p);
    std::stable_sort(nearest.begin(), nearest.end());
    std::string listed;
    for (std::size_t i = 0; i < nearest.size() && i < 3; ++i)
      listed += (i ? ", " : "") + ids[nearest[i].second];
    std::string hint;
    if (const auto close = closest_match(id, ids)) hint = "did you mean \"" + *close + "\"? ";
    if (!listed.empty()) hint += "the nearest roster ids are " + listed;
    state.errors.push_back(
        Error{{}, "--payee names \"" + id + "\", who is not in the roster", std::move(hint)});
  }
}

/// Keeps the rows whose column `column` is one of `payees` (sorted).
void keep_payees(ResultTable& table, std::size_t column, const std::vector<std::string>& payees) {
  if (table.columns.empty()) return;
  std::erase_if(table.rows, [&](const std::vector<std::string>& row) {
    return !std::binary_search(payees.begin(), payees.end(), row[column]);
  });
}

/// The roster, one row per payee, every field as text (RunResult::payees).
ResultTable payee_table(const RunState& state) {
  ResultTable table;
  if (state.model.roster < 0) return table;
  const SourceSchema& schema = state.model.sources[state.model.roster].schema;
  const Table& roster = state.roster();
  for (std::size_t f = 0; f < schema.fields.size(); ++f)
    table.columns.push_back(static_cast<int>(f) == state.model.roster_key ? "payee"
                                                                          : schema.fields[f].name);
  for (std::size_t r = 0; r < roster.rows; ++r) {
    std::vector<std::string> row;
    for (std::size_t f = 0; f < schema.fields.size(); ++f)
      row.push_back(cell_text(roster.columns[f], r, state.symbols, state.model.calendar));
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace

namespace {

/// The process's peak resident set so far, in MB (0 where unknown).
double peak_memory_mb() {
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KB
}

}  // namespace

bool has_errors(const std::vector<Message>& messages) {
  for (const auto& m : messages)
    if (m.severity == Message::Severity::error) return true;
  return false;
}

std::string version() {
  return TALLY_VERSION;
}

Engine::Engine() = default;
Engine::~Engine() = default;

CompileResult Engine::compile(std::string source, std::string name) const {
  return compile(std::move(source), std::move(name), CompileOptions{});
}

CompileResult Engine::compile(std::string source, std::string name,
                              const CompileOptions& options) const {
  return without_exceptions<CompileResult>("compiling " + name, [&]() -> CompileResult {
    CompileResult result;
    auto file = std::make_shared<const SourceFile>(std::move(name), std::move(source));
    auto parsed = parse_plan(file);
    if (!parsed) {
      append(result.messages, parsed.errors(), file.get());
      return result;
    }
    ast::Plan& tree = parsed.value();
    if (const Errors errors = resolve_imports(tree, options); !errors.empty()) {
      append(result.messages, errors, Sources(tree));
      return result;
    }
    const Sources sources(tree);
    CheckOutput checked = check_plan(std::move(tree));
    for (const Diagnostic& d : checked.diagnostics)
      result.messages.push_back(to_message(d.error, d.severity, sources));
    if (!checked.ok()) return result;
    auto plan = std::make_shared<Plan>();
    plan->file = file;
    plan->program = compile_plan(*checked.model);
    plan->model = std::move(checked.model);
    result.plan = std::move(plan);
    return result;
  });
}

CompileResult Engine::compile_file(const std::string& path) const {
  return without_exceptions<CompileResult>("compiling " + path, [&]() -> CompileResult {
    std::string problem;
    std::string text = read_plan_file(path, problem);
    if (!problem.empty()) {
      CompileResult result;
      result.messages.push_back(
          to_message(Error{{path, 0, 0, 0}, problem, ""}, Severity::error, nullptr));
      return result;
    }
    return compile(std::move(text), path);
  });
}

namespace {

/// The stages of a run over `state` (Engine::run). Returns early, with what
/// it has, when a stage reports errors or the run's budget stops it.
RunResult run_plan_stages(RunState& state, const RunOptions& options,
                          std::chrono::steady_clock::time_point started, bool stream,
                          bool& stream_gave_up) {
  const Plan& plan = state.plan;
  RunResult result;  // Engine::run has refused plans it cannot run
  auto failed = [&]() {
    if (state.budget.should_stop()) return true;  // Engine::run reports the limit
    if (state.errors.empty()) return false;
    append(result.messages, state.errors, Sources(plan.model->ast));
    return true;
  };
  // Each stage is timed: `tally run --timings` prints them, and the
  // performance runner splits ingest (load) from compute (the rest).
  auto clock = std::chrono::steady_clock::now();
  int step = 0;
  auto stage = [&](const char* name, auto&& run_stage) {
    ++step;
    state.budget.enter(name);
    if (state.budget.should_stop()) return false;
    if (options.progress) options.progress(RunProgress{name, step, kRunStages, 0, 0});
    run_stage();
    const auto now = std::chrono::steady_clock::now();
    result.summary.stages.push_back(
        {name, std::chrono::duration<double>(now - clock).count(), peak_memory_mb()});
    clock = now;
    return !failed();
  };
  // After a streamed run, or one that folded while crediting: the periods
  // from the accumulators' span, then the aggregates from the accumulators
  // (and the credits kept for an inspector).
  auto accumulated = [&](StreamedAggregates& totals, KeptCredits* kept) {
    std::optional<std::int64_t> first;
    if (!stage("periods", [&] { first = choose_run_periods(state, options, totals.span()); }))
      return false;
    if (!stage("tables", [&] { fill_tables(state); })) return false;
    return stage("aggregate", [&] {
      if (!first) return aggregate_credits(state);  // no period to pay: empty aggregates
      totals.finish(state, *first);
      if (kept) kept->restore(state, totals.ordinals(), *first);
    });
  };
  if (stream) state.streamed_source = plan.model->credited_source;
  if (!stage("load", [&] {
        load_sources(state, options);
        // Sources the loader did not charge as it went (given in memory, or
        // a loader without the guard) are charged whole now.
        std::size_t loaded = 0;
        for (const Table& table : state.tables) loaded += table_bytes(table);
        if (loaded > state.budget.memory_charged())
          state.budget.charge_memory(loaded - state.budget.memory_charged());
        if (state.errors.empty() && !options.payees.empty())
          check_chosen_payees(state, options.payees);
      }))
    return result;
  if (!stage("fx", [&] { load_fx_rates(state); })) return result;
  if (stream) {
    // Territories, crediting and aggregation chunk by chunk (streaming.hpp).
    if (!stage("tables before crediting", [&] { fill_tables_before_crediting(state); }))
      return result;
    StreamedAggregates totals(state);
    // An inspector (explain) reads the credits of its payees: those are kept.
    KeptCredits kept;
    if (options.inspector) kept.choose(state, options.inspector->payees_read());
    if (!stage("stream", [&] {
          stream_credits(state, options, totals, options.inspector ? &kept : nullptr,
                         stream_gave_up);
        }))
      return result;
    if (stream_gave_up || !accumulated(totals, &kept)) return result;
  } else {
    if (!stage("territories", [&] { resolve_territories(state, options); })) return result;
    if (!stage("tables before crediting", [&] { fill_tables_before_crediting(state); }))
      return result;
    // When nothing reads the credits once they are aggregated, they are
    // folded slice by slice as a streamed run folds its chunks, and no
    // credit table is written (docs/performance.md, "Folding while crediting").
    std::optional<StreamedAggregates> folded;
    if (folds_while_crediting(state, options)) folded.emplace(state);
    if (!stage("credit", [&] {
          if (folded && !fold_while_crediting(state, *folded, options.stream_chunk_rows))
            folded.reset();
          if (!folded) {
            credit_transactions(state);
            report_territory_gaps(state);
          }
        }))
      return result;
    if (folded) {
      if (!accumulated(*folded, nullptr)) return result;
    } else {
      if (!stage("periods", [&] { choose_periods(state, options); })) return result;
      if (!stage("tables", [&] { fill_tables(state); })) return result;
      if (!stage("clawbacks", [&] { find_clawbacks(state); })) return result;
      if (!stage("aggregate", [&] { aggregate_credits(state); })) return result;
    }
  }
  result.payouts.columns = {"payee", "period", "component", "amount"};
  if (options.measures_table) result.measures.columns = {"payee", "period", "measure", "value"};
  Decimal total;
  if (!stage("payouts", [&] {
        compute_payouts(state, result.payouts, result.measures, total);
        add_payee_currency(state, result.payouts.columns, result.payouts.rows);
      }))
    return result;
  state.budget.enter("results");
  if (options.credits_table) {
    result.credits = credit_table(state);
    if (state.budget.stopped()) return result;
  }
  report_rejects(state, result);
  result.balances = std::move(state.balances);
  for (const Error& e : state.warnings)
    result.messages.push_back(to_message(e, Severity::warning, Sources(plan.model->ast)));

  result.ok = true;
  result.status = RunStatus::ok;
  if (options.inspector) options.inspector->finished(state);
  RunSummary& s = result.summary;
  s.payees = state.payee_count();
  s.periods = state.periods.size();
  // A streamed run counts what it streamed (its tables hold only kept rows).
  const bool streamed = state.streamed_source >= 0;
  for (std::size_t i = 0; i < state.tables.size(); ++i)
    if (static_cast<int>(i) != plan.model->roster && static_cast<int>(i) != state.streamed_source)
      s.rows_loaded += state.tables[i].rows;
  s.rows_loaded += state.streamed.rows;
  s.credits = streamed ? 0 : state.credits.size();
  for (std::size_t n : state.streamed.credits) s.credits += n;
  if (!options.payees.empty()) {
    // Everybody was computed (roll-ups need the team); the result shows the
    // chosen payees only, and so does the summary.
    std::vector<std::string> chosen = options.payees;
    std::sort(chosen.begin(), chosen.end());
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    keep_payees(result.payouts, 0, chosen);
    keep_payees(result.measures, 0, chosen);
    keep_payees(result.credits, 3, chosen);
    s.payees = chosen.size();
    s.credits = 0;
    for (std::size_t i = 0; !streamed && i < state.credits.size(); ++i)
      if (std::binary_search(chosen.begin(), chosen.end(),
                             std::string(state.payee_id(state.credits.payee[i]))))
        ++s.credits;
    for (std::size_t i = 0; i < state.streamed.credits.size(); ++i)
      if (std::binary_search(chosen.begin(), chosen.end(),
                             std::string(state.payee_id(static_cast<std::int32_t>(
                                 i % std::max<std::size_t>(state.payee_count(), 1))))))
        s.credits += state.streamed.credits[i];
  }
  summarize_totals(result.payouts, *plan.model, s);
  s.currency = plan.model->currency;
  result.payees = payee_table(state);
  for (std::size_t i = 0; i < state.tables.size(); ++i) {
    const std::string& name = plan.model->sources[i].schema.name;
    s.inputs.emplace_back(name, options.tables.count(name) ? "" : state.tables[i].path);
  }
  if (state.periods.empty())
    result.messages.push_back(to_message(Error{{},
                                               "the data holds no credit, so no period was paid",
                                               "choose periods with --from and --to"},
                                         Severity::warning, nullptr));
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace

RunResult Engine::run(const Plan& plan, const RunOptions& options) const {
  const auto started = std::chrono::steady_clock::now();
  if (!plan.program.unsupported.empty()) {
    RunResult result;
    for (const Unsupported& u : plan.program.unsupported) {
      if (u.internal_error) result.status = RunStatus::internal_error;
      result.messages.push_back(to_message(
          u.internal_error
              ? Error{{plan.file->name(), 0, 0, 0},
                      "internal error: " + u.what + ", so this plan cannot be run",
                      "this is a bug in Tally; please report it with the plan"}
              : Error{ast::locate(plan.model->ast, u.span),
                      "the engine cannot run " + u.what + " yet, so this plan cannot be run",
                      "`tally check` accepts the plan; running it needs a later version of the "
                      "engine"},
          Severity::error, Sources(plan.model->ast)));
    }
    return result;
  }
  std::optional<RunState> state;
  try {
    state.emplace(plan, options.limits);
    state->lenient = options.lenient;
    state->threads = options.threads;
    state->inspector = options.inspector;
    state->settled = &options.settled;
    bool stream = false;
    if (options.stream != RunOptions::Stream::off) {
      const std::optional<Error> why_not = why_not_streamed(*state, options);
      if (options.stream == RunOptions::Stream::on && why_not) {
        RunResult refused;
        Error error = *why_not;
        error.message = "cannot stream this run: " + error.message;
        refused.messages.push_back(to_message(error, Severity::error, Sources(plan.model->ast)));
        return refused;
      }
      stream = !why_not &&
               (options.stream == RunOptions::Stream::on || streams_automatically(*state, options));
    }
    bool gave_up = false;
    RunResult result = run_plan_stages(*state, options, started, stream, gave_up);
    if (gave_up && !state->budget.stopped()) {
      if (options.stream == RunOptions::Stream::on) {
        RunResult refused;
        refused.messages.push_back(to_message(
            Error{{},
                  "cannot stream this run: the keys of the credited source do not rise from row "
                  "to row, so a repeated key could hide in a chunk already dropped",
                  "sort the file by its key, or run without --stream"},
            Severity::error, nullptr));
        return refused;
      }
      // Automatic streaming gave up: the run starts again, loading everything.
      state.reset();
      state.emplace(plan, options.limits);
      state->lenient = options.lenient;
      state->threads = options.threads;
      state->inspector = options.inspector;
      state->settled = &options.settled;
      result = run_plan_stages(*state, options, started, false, gave_up);
    }
    if (!state->budget.stopped()) return result;
  } catch (...) {
    // Nothing may escape to the host: an exception (most likely out of
    // memory) ends the run with a status, like a limit.
    if (!state) {
      RunResult result;
      result.status = RunStatus::internal_error;
      result.messages.push_back(to_message(Error{{}, "internal error: the run could not start", ""},
                                           Severity::error, nullptr));
      return result;
    }
    state->budget.stop_for_exception();
  }
  // A limit was reached: no results, only the status and why.
  RunResult stopped;
  stopped.status = state->budget.status();
  std::string hint;
  switch (stopped.status) {
    case RunStatus::instruction_limit:
      hint = "raise RunLimits::max_instructions, or run the plan on less data";
      break;
    case RunStatus::memory_limit:
      hint = "raise RunLimits::max_memory_bytes, or run the plan on less data";
      break;
    case RunStatus::timeout:
      hint = "raise RunLimits::timeout, or run the plan on less data";
      break;
    default:
      break;
  }
  stopped.messages.push_back(
      to_message(Error{{}, state->budget.message(), std::move(hint)}, Severity::error, nullptr));
  stopped.summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stopped;
}

EvalResult Engine::evaluate(const std::string& expression) const {
  return without_exceptions<EvalResult>("evaluating an expression", [&]() -> EvalResult {
    EvalResult result;
    auto shared_file = std::make_shared<const SourceFile>("<expression>", expression);
    const SourceFile& file = *shared_file;
    auto parsed = parse_expression(file);
    if (!parsed) {
      append(result.messages, parsed.errors(), &file);
      return result;
    }
    const ast::Expr& expr = *parsed.value();
    PlanModel model;
    model.ast.file = shared_file;  // for locations and hints quoting the expression
    for (const Diagnostic& d : check_constant_expression(model, expr))
      result.messages.push_back(to_message(d.error, d.severity, &file));
    if (has_errors(result.messages)) return result;

    Chunk chunk;
    chunk.name = "expression";
    std::vector<Unsupported> unsupported;
    const auto reg = compile_constant_expression(model, expr, chunk, &unsupported);
    if (!unsupported.empty()) {
      Location where = file.locate(unsupported[0].span.begin);
      append(result.messages, {Error{where, "cannot evaluate " + unsupported[0].what + " yet", ""}},
             &file);
      return result;
    }
    SymbolTable symbols;
    Frame frame;
    if (auto fault = run_constant(chunk, frame, model.calendar, symbols)) {
      Location where = file.locate(chunk.spans[fault->instruction].begin);
      where.length = static_cast<int>(chunk.spans[fault->instruction].end -
                                      chunk.spans[fault->instruction].begin);
      append(result.messages, {Error{where, fault->message, ""}}, &file);
      return result;
    }
    const Type& type = model.info_of(expr).type;
    result.ok = true;
    result.value =
        register_text(frame.reg(reg), 0, type, symbols, model.calendar, TextStyle::plain);
    result.type = type_label(type);
    return result;
  });
}

std::string Engine::disassemble(const Plan& plan) const {
  return tally::disassemble(plan.program, &plan.model->ast);
}

FormatResult Engine::format(std::string source, std::string name) const {
  return without_exceptions<FormatResult>("formatting " + name, [&]() -> FormatResult {
    FormatResult result;
    auto file = std::make_shared<const SourceFile>(std::move(name), std::move(source));
    auto parsed = parse_plan(file);
    if (!parsed) {
      append(result.messages, parsed.errors(), file.get());
      return result;
    }
    result.ok = true;
    result.text = format_plan(parsed.value());
    return result;
  });
}

std::string Engine::plan_name(const Plan& plan) const {
  return plan.model->name;
}

std::vector<Declaration> Engine::declarations(const Plan& plan) const {
  const PlanModel& model = *plan.model;
  std::vector<std::pair<std::uint32_t, Declaration>> found;  // by position in the plan
  auto add = [&](Declaration::Kind kind, const std::string& name, Span span, std::string type = {},
                 bool per_payee = false) {
    Declaration d;
    d.kind = kind;
    d.name = name;
    d.line = ast::locate(model.ast, span).line;
    d.type = std::move(type);
    d.per_payee = per_payee;
    found.emplace_back(span.begin, std::move(d));
  };
  using Kind = Declaration::Kind;
  for (const auto& s : model.sources) add(Kind::source, s.schema.name, s.decl->name_span);
  for (const auto& t : model.tables) add(Kind::table, t.decl->name, t.decl->name_span);
  for (const auto& r : model.rates) add(Kind::rates, r.decl->name, r.decl->name_span);
  for (const auto& v : model.values)
    add(v.decl->is_measure ? Kind::measure : Kind::let, v.decl->name, v.decl->name_span,
        type_label(v.type), v.per_payee || v.decl->is_measure);
  for (const auto& p : model.payouts) add(Kind::payout, p.decl->name, p.decl->name_span, {}, true);
  for (const auto& d : model.draws) {
    add(Kind::draw, d.decl->name, d.decl->name_span, {}, true);
    found.back().second.recoverable = d.decl->recoverable;
  }
  for (const auto& t : model.territories) add(Kind::territory, t.decl->name, t.decl->name_span);
  for (const auto& f : model.functions) add(Kind::function, f.decl->name, f.decl->name_span);
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Declaration> out;
  for (auto& [position, d] : found) out.push_back(std::move(d));
  return out;
}

std::vector<std::pair<std::string, std::string>> Engine::constant_values(const Plan& plan) const {
  std::vector<std::pair<std::string, std::string>> out;
  const PlanModel& model = *plan.model;
  // Lets this one names are used by value, so a long chain costs no recursion.
  const auto known = fold_constant_lets(model);
  for (const ValueModel& value : model.values) {
    if (value.per_payee || value.decl->is_measure) continue;
    Chunk chunk;
    std::vector<Unsupported> unsupported;
    const auto reg =
        compile_constant_expression(model, *value.decl->value, chunk, &unsupported, &known);
    if (!unsupported.empty()) {
      out.emplace_back(value.decl->name, "(cannot evaluate " + unsupported[0].what + " yet)");
      continue;
    }
    SymbolTable symbols;
    Frame frame;
    if (auto fault = run_constant(chunk, frame, model.calendar, symbols)) {
      out.emplace_back(value.decl->name, "error: " + fault->message);
      continue;
    }
    out.emplace_back(value.decl->name, register_text(frame.reg(reg), 0, value.type, symbols,
                                                     model.calendar, TextStyle::plain));
  }
  return out;
}

}  // namespace tally
