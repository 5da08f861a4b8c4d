// Territory design (include/tally/territories.hpp): every territory each
// transaction matches, from the compiled territory program. Resolution
// (territory_resolution.cpp) keeps only the winner of each row; this runs the
// same chunks and keeps them all, then decides the winner by the same rule
// (highest priority; at equal priority a child beats its ancestors; two
// others are a tie) so that ties are listed instead of stopping the report.
#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "grammar/diagnostics.hpp"
#include "interpreter/api_guard.hpp"
#include "interpreter/row_labels.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/table_rows.hpp"
#include "tally/territories.hpp"

namespace tally {

namespace {

std::string singular(const std::string& name) {
  return name.size() > 1 && name.back() == 's' ? name.substr(0, name.size() - 1) : name;
}

Message message_of(const Error& error, const Plan& plan) {
  Message m;
  m.file = error.where.file;
  m.line = error.where.line;
  m.column = error.where.column;
  m.text = error.message;
  m.hint = error.hint;
  const SourceFile* file =
      plan.file && plan.file->name() == error.where.file ? plan.file.get() : nullptr;
  m.rendered = render_error(error, file, Severity::error);
  return m;
}

/// One territory found for one row.
struct Found {
  SymbolId name = 0;
  int declared = -1;  ///< index of a declared territory, -1 for a set's row
  std::int64_t priority = 0;
  SymbolId owner = 0;
  bool has_owner = false;
};

class Matcher {
 public:
  Matcher(RunState& state, const CompiledTerritories& compiled, std::size_t source)
      : state_(state), compiled_(compiled), table_(state.tables[source]) {
    found_.resize(table_.rows);
  }

  Errors declared();
  Errors sets();
  std::vector<std::vector<Found>>& found() { return found_; }
  /// Names of the rows of sets without `name`, in map order (never matched ones too).
  const std::vector<std::pair<SymbolId, std::int64_t>>& unnamed_rows() const { return unnamed_; }

  bool is_ancestor(int ancestor, int territory) const {
    if (ancestor < 0 || territory < 0) return false;
    for (int t = compiled_.declared[territory].parent; t >= 0; t = compiled_.declared[t].parent)
      if (t == ancestor) return true;
    return false;
  }

 private:
  Error fault(const Chunk& chunk, const VmFault& f, std::size_t row) const {
    return Error{state_.plan_location(chunk.spans[f.instruction]),
                 f.message + " (territories, " + row_label(table_, row) + ")", ""};
  }

  RunState& state_;
  const CompiledTerritories& compiled_;
  const Table& table_;
  std::vector<std::vector<Found>> found_;
  std::vector<std::pair<SymbolId, std::int64_t>> unnamed_;
};

Errors Matcher::declared() {
  const std::vector<CompiledTerritory>& declared = compiled_.declared;
  if (declared.empty()) return {};
  // Ancestors before descendants: a child matches only where its parent does.
  std::vector<int> order(declared.size());
  std::vector<int> depth(declared.size(), 0);
  for (std::size_t t = 0; t < declared.size(); ++t) {
    order[t] = static_cast<int>(t);
    for (int p = declared[t].parent; p >= 0 && depth[t] <= static_cast<int>(declared.size());
         p = declared[p].parent)
      ++depth[t];
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return depth[a] < depth[b]; });
  const InternedConstants interned = intern_constants(compiled_.chunk, state_.symbols);
  VmEnv env;
  env.calendar = &state_.model.calendar;
  env.budget = &state_.budget;
  env.interned = &interned;
  env.rows = &table_;
  env.territories = &state_.territories;
  Frame frame;
  std::vector<SymbolId> names;
  for (const CompiledTerritory& territory : declared)
    names.push_back(state_.symbols.intern(territory.name));
  std::vector<std::uint8_t> matched(declared.size());
  std::vector<int> owner_of(declared.size());
  for (std::size_t base = 0; base < table_.rows; base += kBatchSize) {
    const std::size_t lanes = std::min(kBatchSize, table_.rows - base);
    frame.reset(compiled_.chunk, lanes);
    env.row_base = base;
    if (auto f = Vm::run(compiled_.chunk, frame, env))
      return {fault(compiled_.chunk, *f, base + f->lane)};
    for (std::size_t lane = 0; lane < lanes; ++lane) {
      for (int t : order) {
        const CompiledTerritory& territory = declared[t];
        const int parent = territory.parent;
        matched[t] = frame.reg(territory.match_reg).bools[lane] && (parent < 0 || matched[parent]);
        if (!matched[t]) continue;
        owner_of[t] = territory.has_owner ? t : parent >= 0 ? owner_of[parent] : -1;
        Found f{names[t], t, territory.priority, 0, false};
        if (owner_of[t] >= 0) {
          f.has_owner = true;
          f.owner = frame.reg(declared[owner_of[t]].owner_reg).symbols[lane];
        }
        found_[base + lane].push_back(f);
      }
    }
  }
  return {};
}

/// Every (transaction, map row) pair goes through the set's chunk: the
/// report is for plans of thousands of rows, not the engine's fast path.
Errors Matcher::sets() {
  for (const CompiledTerritorySet& set : compiled_.sets) {
    const Table& map = state_.tables[static_cast<std::size_t>(set.source)];
    const int key = key_field(state_.model.sources[static_cast<std::size_t>(set.source)].schema);
    std::vector<SymbolId> row_names;
    for (std::size_t r = 0; r < map.rows; ++r) {
      row_names.push_back(
          state_.symbols.intern(key >= 0 ? cell_text(map.columns[static_cast<std::size_t>(key)], r,
                                                     state_.symbols, state_.model.calendar)
                                         : row_label(map, r)));
      if (!set.has_name) unnamed_.emplace_back(row_names.back(), 0);
    }
    const InternedConstants interned = intern_constants(set.chunk, state_.symbols);
    TerritoryPairs pairs;
    pairs.map = &map;
    VmEnv env;
    env.calendar = &state_.model.calendar;
    env.budget = &state_.budget;
    env.interned = &interned;
    env.rows = &table_;
    env.territories = &state_.territories;
    env.territory_pairs = &pairs;
    Frame frame;
    auto run = [&]() -> std::optional<Error> {
      if (pairs.row.empty()) return std::nullopt;
      frame.reset(set.chunk, pairs.row.size());
      if (auto f = Vm::run(set.chunk, frame, env)) return fault(set.chunk, *f, pairs.row[f->lane]);
      for (std::uint32_t lane : frame.active()) {
        Found f;
        f.priority = set.has_priority ? frame.reg(set.priority_reg).ints[lane] : 0;
        f.has_owner = true;
        f.owner = frame.reg(set.owner_reg).symbols[lane];
        f.name =
            set.has_name ? frame.reg(set.name_reg).symbols[lane] : row_names[pairs.map_row[lane]];
        found_[pairs.row[lane]].push_back(f);
      }
      pairs.row.clear();
      pairs.map_row.clear();
      return std::nullopt;
    };
    for (std::size_t row = 0; row < table_.rows; ++row) {
      for (std::uint32_t m = 0; m < map.rows; ++m) {
        pairs.row.push_back(static_cast<std::uint32_t>(row));
        pairs.map_row.push_back(m);
        if (pairs.row.size() == kBatchSize)
          if (auto e = run()) return {*e};
      }
    }
    if (auto e = run()) return {*e};
  }
  return {};
}

/// Highest priority first; at one priority, deeper (children) first.
void order_found(std::vector<Found>& found, const Matcher& matcher) {
  std::stable_sort(found.begin(), found.end(), [&](const Found& a, const Found& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    return matcher.is_ancestor(b.declared, a.declared);
  });
}

/// The winner among `found` (ordered), or nullopt with `tie` set.
std::optional<Found> winner_of(const std::vector<Found>& found, const Matcher& matcher, bool& tie) {
  tie = false;
  if (found.empty()) return std::nullopt;
  std::vector<const Found*> top;
  for (const Found& f : found)
    if (f.priority == found.front().priority) top.push_back(&f);
  // Drop every candidate that is the ancestor of another: the child wins.
  std::vector<const Found*> kept;
  for (const Found* a : top) {
    const bool ancestor = std::any_of(top.begin(), top.end(), [&](const Found* b) {
      return matcher.is_ancestor(a->declared, b->declared);
    });
    if (!ancestor) kept.push_back(a);
  }
  // The same name found twice (two map rows of one name) is one territory.
  std::set<SymbolId> names;
  for (const Found* f : kept) names.insert(f->name);
  if (names.size() > 1) {
    tie = true;
    return std::nullopt;
  }
  return *kept.front();
}

TerritoryReport build_report(const Plan& plan, const RunOptions& options) {
  TerritoryReport report;
  const PlanModel& model = *plan.model;
  const CompiledTerritories& compiled = plan.program.territories;
  report.ok = true;
  report.declares_territories =
      compiled.source >= 0 && (!compiled.declared.empty() || !compiled.sets.empty());
  // Without territories the report still lists the credited source's rows
  // and whom each is credited to: the books of business.
  const int credited = report.declares_territories ? compiled.source : model.credited_source;
  if (credited < 0) return report;
  for (const Unsupported& u : plan.program.unsupported) {
    report.ok = false;
    report.messages.push_back(message_of(
        Error{ast::locate(model.ast, u.span), "the engine cannot run " + u.what + " yet", ""},
        plan));
  }
  if (!report.ok) return report;

  RunState state(plan, options.limits);
  state.threads = options.threads;
  auto failed = [&]() {
    if (state.errors.empty()) return false;
    report.ok = false;
    for (const Error& e : state.errors) report.messages.push_back(message_of(e, plan));
    return true;
  };
  load_sources(state, options);
  if (failed()) return report;
  load_fx_rates(state);
  if (failed()) return report;

  const SourceModel& source = model.sources[static_cast<std::size_t>(credited)];
  report.source = source.schema.name;
  for (const CreditRuleModel& rule : model.rules) {
    if (rule.source != credited) continue;
    if (report.row_name.empty()) report.row_name = rule.row_name;
    if (report.amount_field < 0) report.amount_field = rule.amount_field;
    // `amount deal.sales`: the field itself.
    const ast::Expr* amount = rule.decl ? rule.decl->amount.get() : nullptr;
    const auto info = amount ? model.info.find(amount) : model.info.end();
    if (report.amount_field < 0 && info != model.info.end() &&
        info->second.binding == Binding::row_field)
      report.amount_field = info->second.index;
  }
  if (report.row_name.empty()) report.row_name = singular(source.schema.name);
  for (const FieldSpec& field : source.schema.fields) {
    report.fields.push_back(field.name);
    report.field_types.push_back(type_name(field.type));
  }

  // Resolution gives the named lists the chunks read and the territory of
  // each row crediting reads; its ties are reported per row below instead.
  resolve_territories(state, options);
  const Table& table = state.tables[static_cast<std::size_t>(credited)];
  const std::string& path = table.path;
  state.errors.erase(std::remove_if(state.errors.begin(), state.errors.end(),
                                    [&](const Error& e) {
                                      return (!e.where.file.empty() && e.where.file == path) ||
                                             (e.where.file.empty() && state.errors_hidden > 0);
                                    }),
                     state.errors.end());
  if (failed()) return report;

  Matcher matcher(state, compiled, static_cast<std::size_t>(credited));
  Errors errors;
  if (report.declares_territories) errors = matcher.declared();
  if (errors.empty() && report.declares_territories) errors = matcher.sets();
  if (!errors.empty()) {
    state.errors = std::move(errors);
    failed();
    return report;
  }

  // The territories: declared ones, then the rows of the sets.
  std::unordered_set<std::string> listed;
  for (std::size_t t = 0; t < compiled.declared.size(); ++t) {
    const CompiledTerritory& c = compiled.declared[t];
    TerritoryInfo info;
    info.name = c.name;
    info.parent = c.parent >= 0 ? compiled.declared[c.parent].name : "";
    info.priority = c.priority;
    for (int up = static_cast<int>(t); up >= 0; up = compiled.declared[up].parent) {
      const ast::TerritoryDecl* d = model.territories[up].decl;
      if (!d->owner) continue;
      if (d->owner->kind == ast::ExprKind::string) info.owner = d->owner->text;
      break;
    }
    listed.insert(info.name);
    report.territories.push_back(std::move(info));
  }
  for (const auto& [name, priority] : matcher.unnamed_rows()) {
    const std::string text(state.text(name));
    if (!listed.insert(text).second) continue;
    TerritoryInfo info;
    info.name = text;
    info.priority = priority;
    info.declared = false;
    report.territories.push_back(std::move(info));
  }

  std::unordered_map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < report.territories.size(); ++i)
    index_of[report.territories[i].name] = i;
  report.rows.reserve(table.rows);
  for (std::size_t row = 0; row < table.rows; ++row) {
    std::vector<Found>& found = matcher.found()[row];
    order_found(found, matcher);
    TerritoryRow out;
    out.id = transaction_id(source.schema, table, row, state.symbols, model.calendar);
    const Location where = row_location(table, row);
    out.file = where.file;
    out.line = where.line;
    for (const Found& f : found) {
      std::string name(state.text(f.name));
      if (!index_of.count(name)) {
        index_of[name] = report.territories.size();
        TerritoryInfo info;
        info.name = name;
        info.priority = f.priority;
        info.declared = false;
        report.territories.push_back(std::move(info));
      }
      if (std::find(out.matched.begin(), out.matched.end(), name) == out.matched.end())
        out.matched.push_back(std::move(name));
    }
    bool tie = false;
    if (const auto w = winner_of(found, matcher, tie)) {
      out.winner = std::string(state.text(w->name));
      if (w->has_owner) out.owner = std::string(state.text(w->owner));
      TerritoryInfo& info = report.territories[index_of[out.winner]];
      if (!info.declared && info.owner.empty()) info.owner = out.owner;
    }
    out.tie = tie;
    for (const Column& column : table.columns)
      out.cells.push_back(cell_text(column, row, state.symbols, model.calendar));
    report.rows.push_back(std::move(out));
  }
  // Which rows a credit rule credits. A credited row in no territory (or in
  // a tie) stops crediting when a rule names owner(territory(...)); such a
  // row adds to no territory's bookings anyway, so crediting runs over the
  // rows that have a territory only.
  std::vector<std::uint32_t> kept;
  for (std::size_t row = 0; row < report.rows.size(); ++row)
    if (!report.rows[row].winner.empty()) kept.push_back(static_cast<std::uint32_t>(row));
  if (report.declares_territories && kept.size() < table.rows) {
    state.tables[static_cast<std::size_t>(compiled.source)] = select_rows(table, kept);
    state.territories = TerritoryData{};
    resolve_territories(state, options);
    if (failed()) return report;
  } else {
    kept.clear();  // every row: the identity
  }
  fill_tables_before_crediting(state);
  if (failed()) return report;
  credit_transactions(state);
  if (failed()) return report;
  choose_periods(state, options);  // --period: only the credits of the periods paid count
  if (failed()) return report;
  std::vector<Decimal> direct(report.rows.size());
  for (std::size_t c = 0; c < state.credits.size(); ++c) {
    if (model.rules[state.credits.rule[c]].source != credited) continue;
    const std::size_t row = state.credits.row[c];
    const std::size_t original = kept.empty() ? row : row < kept.size() ? kept[row] : SIZE_MAX;
    if (original >= report.rows.size()) continue;
    TerritoryRow& out = report.rows[original];
    out.credited = true;
    if (state.credits.kind[c] != ast::CreditKind::direct || state.credits.payee[c] < 0) continue;
    direct[original] = direct[original] + state.credits.amount_at(c);
    std::string payee(state.payee_id(state.credits.payee[c]));
    if (std::find(out.payees.begin(), out.payees.end(), payee) == out.payees.end())
      out.payees.push_back(std::move(payee));
  }
  for (std::size_t row = 0; row < report.rows.size(); ++row) {
    TerritoryRow& out = report.rows[row];
    std::sort(out.payees.begin(), out.payees.end());
    if (!out.payees.empty()) out.direct_amount = direct[row].to_string();
  }
  return report;
}

}  // namespace

TerritoryReport territory_report(const Plan& plan, const RunOptions& options) {
  return without_exceptions<TerritoryReport>("reading territories",
                                             [&] { return build_report(plan, options); });
}

}  // namespace tally
