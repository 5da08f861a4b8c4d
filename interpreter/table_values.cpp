// Stage 3b: tables and goals. Every table the plan stores gets its values
// for the whole plan years the run touches (so `quota(payee, Q1)` can be
// read in Q3, and an allocation sees its year): read from its source, or
// computed by its chunk with one lane per payee, period by period, in the
// order the definitions read each other.
#include <string>

#include "interpreter/compiler.hpp"
#include "interpreter/employment.hpp"
#include "interpreter/row_labels.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/table_plan.hpp"

namespace tally {

namespace {

/// Everyone below each payee, through the roster's `manager` field (a
/// cycle in the hierarchy stops where it closes).
std::vector<std::vector<std::int32_t>> reports_of(const RunState& state) {
  const std::size_t payees = state.payee_count();
  std::vector<std::vector<std::int32_t>> out(payees);
  const int manager = roster_field(state.model, "manager", Kind::payee);
  if (manager < 0) return out;
  const Column& column = state.roster().columns[static_cast<std::size_t>(manager)];
  std::vector<std::int32_t> manager_of(payees, -1);
  for (std::size_t p = 0; p < payees; ++p) {
    if (column.is_null(p)) continue;
    const SymbolId who = column.symbols[p];
    manager_of[p] = who < state.payee_of_symbol.size() ? state.payee_of_symbol[who] : -1;
  }
  for (std::size_t p = 0; p < payees; ++p) {
    std::int32_t up = manager_of[p];
    for (std::size_t steps = 0; up >= 0 && steps < payees; ++steps) {
      if (static_cast<std::size_t>(up) == p) break;
      out[static_cast<std::size_t>(up)].push_back(static_cast<std::int32_t>(p));
      up = manager_of[static_cast<std::size_t>(up)];
    }
  }
  return out;
}

/// A key cell as TableStore encodes keys (see encode_key).
std::int64_t encode_cell(const Column& column, std::size_t row) {
  switch (column.type.kind) {
    case Kind::integer:
      return column.ints[row];
    case Kind::date:
      return column.dates[row].days;
    case Kind::boolean:
      return column.bools[row] ? 1 : 0;
    case Kind::period:
      return period_ordinal(column.periods[row]);
    default:
      return static_cast<std::int64_t>(column.symbols[row]);
  }
}

std::string cell_text(const RunState& state, const Column& column, std::size_t row) {
  switch (column.type.kind) {
    case Kind::integer:
      return std::to_string(column.ints[row]);
    case Kind::date:
      return format_date(column.dates[row]);
    case Kind::boolean:
      return column.bools[row] ? "true" : "false";
    case Kind::period:
      return period_label(column.periods[row], state.model.calendar);
    default:
      return "\"" + std::string(state.text(column.symbols[row])) + "\"";
  }
}

void fill_from_source(RunState& state, int index, TableLayout& out,
                      const std::vector<Period>& periods) {
  const PlanModel& model = state.model;
  TableStore& store = state.table_values.store;
  const TableModel& t = model.tables[static_cast<std::size_t>(index)];
  const Table& source = state.tables[static_cast<std::size_t>(t.source)];
  const auto& keys = t.decl->keys;
  const Column& value_column = source.columns[static_cast<std::size_t>(t.columns[keys.size()])];
  std::vector<std::int64_t> row_of(out.dense ? out.present.size() : 0, -1);
  std::unordered_map<TableKey, std::int64_t, TableKeyHash> keyed_row;
  const Employment none;
  const int hire = store.hire_field;
  const int end = store.end_field;
  for (std::size_t row = 0; row < source.rows; ++row) {
    bool skip = value_column.is_null(row);
    for (std::size_t k = 0; k < keys.size() && !skip; ++k)
      skip = source.columns[static_cast<std::size_t>(t.columns[k])].is_null(row);
    if (skip) continue;  // an empty cell: no value for these keys
    std::int64_t payee = 0;
    std::int64_t period = 0;
    TableKey key;
    // The row's keys as a message names them (only a message needs them):
    // "payee "ann" in 2026-Q1" for the usual (payee, period) table.
    auto described = [&] {
      const bool usual = keys.size() == 2 && keys[0] == "payee" && keys[1] == "period";
      std::string text;
      for (std::size_t k = 0; k < keys.size(); ++k)
        text += (k == 0  ? ""
                 : usual ? " in "
                         : ", ") +
                (usual && k == 1 ? "" : keys[k] + " ") +
                cell_text(state, source.columns[static_cast<std::size_t>(t.columns[k])], row);
      return text;
    };
    bool outside = false;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      const Column& column = source.columns[static_cast<std::size_t>(t.columns[k])];
      if (keys[k] == "payee") {
        const SymbolId who = column.symbols[row];
        payee = who < state.payee_of_symbol.size() ? state.payee_of_symbol[who] : -1;
        if (payee < 0) {
          state.data_error(DataErrorKind::unknown_payee,
                           Error{{source.path, static_cast<int>(source.file_row(row)), 0, 0},
                                 "`" + t.decl->name + "` has a row for \"" +
                                     std::string(state.text(who)) + "\", who is not in the roster",
                                 ""});
          outside = true;
          break;
        }
        if (!out.dense) (k == 0 ? key.first : key.second) = encode_cell(column, row);
      } else if (out.dense) {
        period = period_ordinal(column.periods[row]) - store.first_period;
        if (period < 0 || period >= static_cast<std::int64_t>(store.period_count)) outside = true;
      } else {
        (k == 0 ? key.first : key.second) = encode_cell(column, row);
      }
    }
    if (outside) continue;  // not paid in this run, or reported
    std::size_t slot = 0;
    std::int64_t* earlier = nullptr;
    if (out.dense) {
      slot =
          store.dense_slot(out, static_cast<std::size_t>(payee), static_cast<std::size_t>(period));
      earlier = &row_of[slot];
    } else {
      auto [it, fresh] = out.slots.emplace(key, static_cast<std::uint32_t>(out.present.size()));
      if (fresh) {
        out.present.push_back(0);
        out.decimals.emplace_back();
        out.integers.push_back(0);
      }
      slot = it->second;
      earlier = &keyed_row.emplace(key, -1).first->second;
    }
    if (*earlier >= 0) {
      state.data_error(
          DataErrorKind::duplicate_key,
          Error{{source.path, static_cast<int>(source.file_row(row)), 0, 0},
                "`" + t.decl->name + "` has two rows for " + described() + ": rows " +
                    std::to_string(source.file_row(static_cast<std::size_t>(*earlier))) + " and " +
                    std::to_string(source.file_row(row)),
                ""});
      continue;
    }
    *earlier = static_cast<std::int64_t>(row);
    out.present[slot] = 1;
    if (out.integral) {
      out.integers[slot] = value_column.ints[row];
      continue;
    }
    Decimal value = value_column.decimals.at(row);
    if (t.decl->prorated) {
      // Days employed in the period over the days of the period.
      const Period current = periods[static_cast<std::size_t>(period)];
      const Date start = period_start(current, model.calendar);
      const Date last = period_end(current, model.calendar);
      const Employment e = model.roster >= 0 ? employment_of(state.roster(), hire, end,
                                                             static_cast<std::size_t>(payee))
                                             : none;
      const std::int64_t days = days_employed(e, start, last);
      auto scaled = Decimal::divide(value * Decimal::from_int(days),
                                    Decimal::from_int(std::int64_t{last.days} - start.days + 1));
      if (scaled) value = scaled.value();
    }
    out.decimals[slot] = value;
  }
}

/// Runs a table's chunk for every period it is keyed by, one lane per payee.
void fill_from_chunk(RunState& state, const Program::TableChunk& compiled, TableLayout& out,
                     const std::vector<Period>& periods) {
  const PlanModel& model = state.model;
  TableStore& store = state.table_values.store;
  const InternedConstants interned = intern_constants(compiled.chunk, state.symbols);
  VmEnv env;
  env.calendar = &model.calendar;
  env.interned = &interned;
  env.roster = model.roster >= 0 ? &state.roster() : nullptr;
  env.periods = &periods;
  env.aggregates = &state.aggregates;
  env.tables = &state.table_values;
  std::copy(std::begin(state.kind_symbols), std::end(state.kind_symbols), env.kind_symbols);
  const std::size_t lanes_total = out.has_payee ? store.payee_count : 1;
  const std::size_t period_total = out.has_period ? periods.size() : 1;
  Frame frame;
  for (std::size_t p = 0; p < period_total; ++p) {
    env.period_index = p;
    for (std::size_t base = 0; base < lanes_total; base += kBatchSize) {
      const std::size_t lanes = std::min(kBatchSize, lanes_total - base);
      frame.reset(compiled.chunk, lanes);
      env.payee_base = base;
      auto keep = [&](std::size_t first, std::size_t count) {
        const Register& value = frame.reg(compiled.value_reg);
        for (std::size_t lane = 0; lane < count; ++lane) {
          const std::size_t slot = store.dense_slot(out, first + lane, p);
          out.present[slot] = 1;
          if (out.integral)
            out.integers[slot] = value.ints[lane];
          else
            out.decimals[slot] = value.decimals[lane];
        }
      };
      if (!Vm::run(compiled.chunk, frame, env)) {
        keep(base, lanes);
        continue;
      }
      // A definition that fails for some payee (no annual quota, no one to
      // roll up) leaves that value missing: an error only where a payout
      // looks it up. Payee by payee, to find which.
      for (std::size_t lane = 0; lane < lanes; ++lane) {
        frame.reset(compiled.chunk, 1);
        env.payee_base = base + lane;
        if (auto fault = Vm::run(compiled.chunk, frame, env))
          out.missing_because[store.dense_slot(out, base + lane, p)] = fault->message;
        else
          keep(base + lane, 1);
      }
    }
  }
}

}  // namespace

namespace {

/// Whether table `index` can be filled before crediting: a table keyed by
/// period when the plan years of the data are known early (`early_periods`),
/// any other unless it is prorated (which needs the run's periods).
bool fillable_early(const PlanModel& model, const TableLayout& layout, int index,
                    bool early_periods) {
  const TableModel& t = model.tables[static_cast<std::size_t>(index)];
  const bool by_period = layout.dense && layout.has_period;
  return by_period ? early_periods : !t.decl->prorated;
}

/// Whether expression `e` (or a `fn` it calls) looks up a table keyed by
/// period.
bool reads_period_table(const PlanModel& model, const ast::Expr& e, int depth = 0) {
  if (depth > 64) return false;  // `fn`s do not recurse; a bound all the same
  if (auto it = model.info.find(&e); it != model.info.end() && it->second.index >= 0) {
    const ExprInfo& info = it->second;
    if (info.binding == Binding::table_call || info.binding == Binding::table_name) {
      const auto& keys = model.tables[static_cast<std::size_t>(info.index)].decl->keys;
      if (std::find(keys.begin(), keys.end(), "period") != keys.end()) return true;
    }
    if (info.binding == Binding::fn_call &&
        static_cast<std::size_t>(info.index) < model.functions.size()) {
      const ast::FnDecl* fn = model.functions[static_cast<std::size_t>(info.index)].decl;
      if (fn && fn->body && reads_period_table(model, *fn->body, depth + 1)) return true;
    }
  }
  for (const auto& arg : e.args)
    if (arg && reads_period_table(model, *arg, depth)) return true;
  return false;
}

bool rules_read_period_tables(const PlanModel& model) {
  for (const CreditRuleModel& rule : model.rules) {
    const ast::CreditDecl& decl = *rule.decl;
    for (const ast::Expr* e : {decl.amount.get(), decl.where.get(), decl.on.get()})
      if (e && reads_period_table(model, *e)) return true;
    for (const ast::CreditLine& line : decl.lines)
      for (const ast::Expr* e : {line.payee.get(), line.share.get()})
        if (e && reads_period_table(model, *e)) return true;
  }
  return false;
}

/// Widens `years` (first, last plan year) to hold `p`.
void include_year(std::optional<std::pair<int, int>>& years, int year) {
  if (!years)
    years = std::make_pair(year, year);
  else
    years = std::make_pair(std::min(years->first, year), std::max(years->second, year));
}

/// Plan years a run may fill its period tables for before crediting.
constexpr int kMostEarlyYears = 100;

/// The plan years a credit rule can look a period table up in, before the
/// run's periods are chosen: those of the credit dates (the `on` field of
/// each rule, or every date field of its source when `on` is not a field)
/// and those of the periods in the period tables' own sources, so that no
/// row of them falls outside. None when no rule reads a period table.
std::optional<std::pair<int, int>> early_plan_years(const RunState& state) {
  const PlanModel& model = state.model;
  if (!rules_read_period_tables(model)) return std::nullopt;
  std::optional<std::pair<int, int>> years;
  auto dates_of = [&](const Column& column) {
    for (std::size_t row = 0; row < column.dates.size(); ++row)
      if (!column.is_null(row))
        include_year(years, period_of(column.dates[row], model.calendar).year);
  };
  for (const CreditRuleModel& rule : model.rules) {
    if (rule.source < 0) continue;
    const Table& rows = state.tables[static_cast<std::size_t>(rule.source)];
    const ExprInfo* on = rule.decl->on ? &model.info_of(*rule.decl->on) : nullptr;
    if (on && on->binding == Binding::row_field && on->index >= 0) {
      dates_of(rows.columns[static_cast<std::size_t>(on->index)]);
      continue;
    }
    for (const Column& column : rows.columns)
      if (column.type.kind == Kind::date) dates_of(column);
  }
  for (const TableModel& t : model.tables) {
    if (t.source < 0) continue;
    const Table& rows = state.tables[static_cast<std::size_t>(t.source)];
    for (std::size_t k = 0; k < t.decl->keys.size(); ++k) {
      if (t.decl->keys[k] != "period") continue;
      const Column& column = rows.columns[static_cast<std::size_t>(t.columns[k])];
      for (std::size_t row = 0; row < column.periods.size(); ++row)
        if (!column.is_null(row) && column.periods[row].year != 0)
          include_year(years, column.periods[row].year);
    }
  }
  if (years && years->second - years->first >= kMostEarlyYears) return std::nullopt;
  return years;
}

/// Every period of plan years first..last.
std::vector<Period> plan_years(int first, int last, Grain grain) {
  std::vector<Period> out;
  for (int year = first; year <= last; ++year)
    for (int i = 1; i <= periods_per_year(grain); ++i) out.push_back(Period{year, i, grain});
  return out;
}

/// Re-lays a dense period table filled for `old_count` periods from ordinal
/// `old_first` over the store's periods (which hold those).
void widen(TableLayout& layout, std::int64_t old_first, std::size_t old_count,
           const TableStore& store) {
  if (!layout.dense || !layout.has_period) return;
  if (old_first == store.first_period && old_count == store.period_count) return;
  const std::size_t payees = layout.has_payee ? store.payee_count : 1;
  const auto shift = static_cast<std::size_t>(old_first - store.first_period);
  std::vector<std::uint8_t> present(payees * store.period_count, 0);
  std::vector<Decimal> decimals(layout.integral ? 0 : present.size());
  std::vector<std::int64_t> integers(layout.integral ? present.size() : 0, 0);
  std::unordered_map<std::size_t, std::string> missing;
  for (std::size_t p = 0; p < payees; ++p)
    for (std::size_t i = 0; i < old_count; ++i) {
      const std::size_t from = p * old_count + i;
      const std::size_t to = p * store.period_count + shift + i;
      if (from >= layout.present.size()) continue;
      present[to] = layout.present[from];
      if (layout.integral)
        integers[to] = layout.integers[from];
      else
        decimals[to] = layout.decimals[from];
      if (auto it = layout.missing_because.find(from); it != layout.missing_because.end())
        missing.emplace(to, it->second);
    }
  layout.present = std::move(present);
  layout.decimals = std::move(decimals);
  layout.integers = std::move(integers);
  layout.missing_because = std::move(missing);
}

/// Fills the tables; `early` (before crediting) fills only those without a
/// `period` key, with no periods known yet.
void fill(RunState& state, bool early) {
  const PlanModel& model = state.model;
  TableValues& values = state.table_values;
  TableStore& store = values.store;
  // A table read from its source before crediting is kept: reading it again
  // would report its bad rows twice.
  std::vector<TableLayout> kept_layouts;
  std::vector<std::uint8_t> kept = early ? std::vector<std::uint8_t>{} : store.early;
  if (!early) kept_layouts = std::move(store.tables);
  // The plan years the period tables were filled for before crediting, if
  // they were (a credit rule reads one).
  const std::int64_t early_first = store.first_period;
  const std::size_t early_count = early ? 0 : store.period_count;
  store = TableStore{};
  store.early.assign(model.tables.size(), 0);
  values.names.clear();
  for (const TableModel& t : model.tables) values.names.push_back(t.decl->name);
  store.payee_count = state.payee_count();
  store.payee_of_symbol = &state.payee_of_symbol;
  store.symbols = &state.symbols;
  store.hire_field = roster_field(model, "hire_date", Kind::date);
  store.end_field = roster_field(model, "end_date", Kind::date);
  store.reports = reports_of(state);
  // The whole plan years of the run's periods; before crediting, those of
  // the data when a credit rule reads a period table (docs/semantics/
  // tables.md); after, also those filled before crediting, so that the
  // tables kept from then keep every value.
  std::vector<Period> periods;
  if (early) {
    if (const auto years = early_plan_years(state))
      periods = plan_years(years->first, years->second, model.calendar.grain);
  } else if (!state.periods.empty()) {
    const Grain grain = state.periods.front().grain;
    int first = state.periods.front().year;
    int last = state.periods.back().year;
    if (early_count > 0) {
      const std::int64_t per_year = periods_per_year(grain);
      const auto from = static_cast<int>(
          first + (early_first - period_ordinal(Period{first, 1, grain})) / per_year);
      const auto to =
          from + static_cast<int>(static_cast<std::int64_t>(early_count) / per_year) - 1;
      first = std::min(first, from);
      last = std::max(last, to);
    }
    periods = plan_years(first, last, grain);
  }
  if (!periods.empty()) store.first_period = period_ordinal(periods.front());
  store.period_count = periods.size();
  store.periods_ready = !early || !periods.empty();
  const bool early_periods = early && !periods.empty();

  for (std::size_t index = 0; index < model.tables.size(); ++index) {
    const TableModel& t = model.tables[index];
    if (index < kept.size() && kept[index]) {
      store.tables.push_back(std::move(kept_layouts[index]));
      if (early_count > 0) widen(store.tables.back(), early_first, early_count, store);
      continue;
    }
    TableLayout layout;
    layout.name = t.decl->name;
    layout.key_names = t.decl->keys;
    layout.integral = reg_type_of(t.type) == RegType::integer;
    for (const std::string& key : t.decl->keys) {
      if (key == "payee")
        layout.has_payee = true;
      else if (key == "period")
        layout.has_period = true;
      else
        layout.dense = false;
    }
    if (layout.dense) {
      const std::size_t size = store.dense_size(layout);
      layout.present.assign(size, 0);
      if (layout.integral)
        layout.integers.assign(size, 0);
      else
        layout.decimals.assign(size, Decimal{});
    }
    if (!layout.dense) layout.has_payee = layout.has_period = false;
    store.tables.push_back(std::move(layout));
  }
  store.filled = true;
  if (!early && periods.empty() && !state.periods.empty()) return;

  const Program& program = state.plan.program;
  for (int index : table_fill_order(model)) {
    if (!runnable_table(model, index)) continue;
    const auto at = static_cast<std::size_t>(index);
    TableLayout& layout = store.tables[at];
    const TableModel& t = model.tables[at];
    if (at < kept.size() && kept[at]) {
      store.early[at] = 1;
      continue;
    }
    if (early && !fillable_early(model, layout, index, early_periods)) continue;
    if (layout.has_period && periods.empty()) continue;
    if (t.source >= 0) {
      fill_from_source(state, index, layout, periods);
      if (early) store.early[at] = 1;
      continue;
    }
    for (const Program::TableChunk& compiled : program.table_chunks)
      if (compiled.table == index) fill_from_chunk(state, compiled, layout, periods);
    if (!state.errors.empty()) return;
  }
}

}  // namespace

void fill_tables_before_crediting(RunState& state) {
  fill(state, true);
}

void fill_tables(RunState& state) {
  fill(state, false);
}

void report_table_misses(RunState& state, std::size_t period) {
  report_fx_misses(state, period);  // conversions without a rate, like lookups without a value
  const std::size_t periods = state.periods.size();
  if (state.left_out_by_tables.size() != state.payee_count() * periods)
    state.left_out_by_tables.assign(state.payee_count() * periods, 0);
  const std::string label = period_label(state.periods[period], state.model.calendar);
  for (const TableMiss& miss : state.table_misses) {
    std::uint8_t& out = state.left_out_by_tables[miss.payee * periods + period];
    if (out) continue;  // one reject per payee and period
    out = 1;
    const std::string payee(state.payee_id(static_cast<std::int32_t>(miss.payee)));
    state.data_error(DataErrorKind::missing_table_value,
                     Error{{},
                           miss.message + " (payee \"" + payee + "\", period " + label +
                               "); the payee's rows of this period are left out",
                           ""});
  }
  state.table_misses.clear();
}

bool left_out_by_tables(const RunState& state, std::size_t payee, std::size_t period) {
  const std::size_t at = payee * state.periods.size() + period;
  return at < state.left_out_by_tables.size() && state.left_out_by_tables[at] != 0;
}

std::string credit_transaction_label(const RunState& state, std::size_t credit) {
  if (credit >= state.credits.size() || state.credits.rule[credit] >= state.model.rules.size())
    return "credit " + std::to_string(credit + 1);
  const auto source =
      static_cast<std::size_t>(state.model.rules[state.credits.rule[credit]].source);
  if (source >= state.tables.size()) return "credit " + std::to_string(credit + 1);
  const Table& rows = state.tables[source];
  const std::size_t row = state.credits.row[credit];
  const std::string id = transaction_id(state.model.sources[source].schema, rows, row,
                                        state.symbols, state.model.calendar);
  return row_label(rows, row) + (id.empty() ? "" : ", transaction \"" + id + "\"");
}

}  // namespace tally
