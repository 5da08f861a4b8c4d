// Stage 2 of a run (LANGUAGE.md §4): territory resolution. Every row of the
// credited source gets the matching territory of highest priority; at equal
// priority a child (`West.CA`) beats its ancestors (`West`), and two other
// territories are a tie, which is a data error naming the transaction and
// both territories. Declared territories run as one chunk over batches of
// rows; a `territories from` set runs its `match` over batches of
// (transaction, map row) pairs, the candidates looked up in a hash index on
// the equality keys of `match` rather than every map row tried.
#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "interpreter/row_labels.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/table_rows.hpp"
#include "io/loader.hpp"

namespace tally {

namespace {

/// A territory that matches one row.
struct Candidate {
  bool present = false;
  int declared = -1;  ///< index of a declared territory, -1 for a table territory
  std::int64_t priority = 0;
  SymbolId name = 0;
  bool has_owner = false;
  SymbolId owner = 0;
};

/// The best territory of one row so far, and a rival of the same priority
/// that is neither its ancestor nor its descendant (a tie, unless something
/// of higher priority comes).
struct RowChoice {
  Candidate best;
  Candidate rival;
};

class Resolver {
 public:
  Resolver(RunState& state, const CompiledTerritories& compiled)
      : state_(state), compiled_(compiled), table_(state.tables[compiled.source]) {
    choices_.resize(table_.rows);
  }

  void declared();
  void sets();
  void finish();

 private:
  bool is_ancestor(int ancestor, int territory) const {
    if (ancestor < 0 || territory < 0) return false;
    for (int t = compiled_.declared[territory].parent; t >= 0; t = compiled_.declared[t].parent)
      if (t == ancestor) return true;
    return false;
  }
  void offer(std::size_t row, const Candidate& c);
  void fault(const Chunk& chunk, const VmFault& fault, const std::string& what, std::size_t row);
  void run_pairs(const CompiledTerritorySet& set, const Table& map, TerritoryPairs& pairs,
                 const InternedConstants& interned, Frame& frame);

  RunState& state_;
  const CompiledTerritories& compiled_;
  const Table& table_;
  std::vector<RowChoice> choices_;
  std::vector<SymbolId> row_names_;  // of the current set's map rows: the key, else the row
  bool failed_ = false;
};

void Resolver::offer(std::size_t row, const Candidate& c) {
  RowChoice& choice = choices_[row];
  Candidate& best = choice.best;
  if (!best.present || c.priority > best.priority) {
    best = c;
    choice.rival = Candidate{};
    return;
  }
  if (c.priority < best.priority || is_ancestor(c.declared, best.declared)) return;
  if (is_ancestor(best.declared, c.declared)) {
    best = c;  // the more specific territory
    return;
  }
  Candidate& rival = choice.rival;
  if (rival.present && is_ancestor(rival.declared, c.declared)) rival = c;
  if (!rival.present) rival = c;
}

void Resolver::fault(const Chunk& chunk, const VmFault& fault, const std::string& what,
                     std::size_t row) {
  state_.errors.push_back(Error{state_.plan_location(chunk.spans[fault.instruction]),
                                fault.message + " (" + what + ", " + row_label(table_, row) + ")",
                                ""});
  failed_ = true;
}

/// Declared territories: one chunk computes every predicate (and owner) on
/// a batch of rows; a child matches only where its parent matches too.
void Resolver::declared() {
  const std::vector<CompiledTerritory>& declared = compiled_.declared;
  if (declared.empty()) return;
  // Ancestors before descendants, so a child sees its parent's result.
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
  env.interned = &interned;
  env.rows = &table_;
  env.territories = &state_.territories;
  Frame frame;
  std::vector<SymbolId> names;
  for (const CompiledTerritory& territory : declared)
    names.push_back(state_.symbols.intern(territory.name));
  std::vector<std::uint8_t> matched(declared.size());
  std::vector<int> owner_of(declared.size());  // the territory whose owner applies
  for (std::size_t base = 0; base < table_.rows; base += kBatchSize) {
    const std::size_t lanes = std::min(kBatchSize, table_.rows - base);
    frame.reset(compiled_.chunk, lanes);
    env.row_base = base;
    if (auto f = Vm::run(compiled_.chunk, frame, env)) {
      fault(compiled_.chunk, *f, "territory resolution", base + f->lane);
      return;
    }
    for (std::size_t lane = 0; lane < lanes; ++lane) {
      for (int t : order) {
        const CompiledTerritory& territory = declared[t];
        const int parent = territory.parent;
        matched[t] = frame.reg(territory.match_reg).bools[lane] && (parent < 0 || matched[parent]);
        if (!matched[t]) continue;
        owner_of[t] = territory.has_owner ? t : parent >= 0 ? owner_of[parent] : -1;
        Candidate c;
        c.present = true;
        c.declared = t;
        c.priority = territory.priority;
        c.name = names[t];
        if (owner_of[t] >= 0) {
          c.has_owner = true;
          c.owner = frame.reg(declared[owner_of[t]].owner_reg).symbols[lane];
        }
        offer(base + lane, c);
      }
    }
  }
}

/// A hash of a tuple of symbols (the equality keys of a `match`).
struct KeyHash {
  std::size_t operator()(const std::vector<SymbolId>& key) const {
    std::size_t h = 1469598103934665603ull;
    for (SymbolId s : key) h = (h ^ s) * 1099511628211ull;
    return h;
  }
};

/// Every key tuple of one map row: one symbol per equality key, one of the
/// list's items per membership key (all combinations).
void map_row_keys(const std::vector<CompiledTerritorySet::Key>& keys, const Table& map,
                  std::size_t row, std::vector<SymbolId>& prefix,
                  std::vector<std::vector<SymbolId>>& out) {
  const std::size_t k = prefix.size();
  if (k == keys.size()) {
    out.push_back(prefix);
    return;
  }
  const Column& column = map.columns[static_cast<std::size_t>(keys[k].map_field)];
  if (column.is_null(row)) return;
  if (!keys[k].member) {
    prefix.push_back(column.symbols[row]);
    map_row_keys(keys, map, row, prefix, out);
    prefix.pop_back();
    return;
  }
  for (std::uint32_t i = column.list.offsets[row]; i < column.list.offsets[row + 1]; ++i) {
    prefix.push_back(column.list.items[i]);
    map_row_keys(keys, map, row, prefix, out);
    prefix.pop_back();
  }
}

void Resolver::run_pairs(const CompiledTerritorySet& set, const Table& map, TerritoryPairs& pairs,
                         const InternedConstants& interned, Frame& frame) {
  if (pairs.row.empty() || failed_) return;
  VmEnv env;
  env.calendar = &state_.model.calendar;
  env.interned = &interned;
  env.rows = &table_;
  env.territories = &state_.territories;
  env.territory_pairs = &pairs;
  frame.reset(set.chunk, pairs.row.size());
  if (auto f = Vm::run(set.chunk, frame, env)) {
    fault(set.chunk, *f,
          "territories from `" + map.name + "`, " + row_label(map, pairs.map_row[f->lane]),
          pairs.row[f->lane]);
    return;
  }
  for (std::uint32_t lane : frame.active()) {
    Candidate c;
    c.present = true;
    c.priority = set.has_priority ? frame.reg(set.priority_reg).ints[lane] : 0;
    c.has_owner = true;
    c.owner = frame.reg(set.owner_reg).symbols[lane];
    const std::uint32_t map_row = pairs.map_row[lane];
    c.name = set.has_name ? frame.reg(set.name_reg).symbols[lane] : row_names_[map_row];
    offer(pairs.row[lane], c);
  }
  pairs.row.clear();
  pairs.map_row.clear();
}

/// Table territories: candidates from the index (or every map row when the
/// `match` has no equality key), then the compiled `match` on the pairs.
void Resolver::sets() {
  for (const CompiledTerritorySet& set : compiled_.sets) {
    if (failed_) return;
    const Table& map = state_.tables[static_cast<std::size_t>(set.source)];
    std::unordered_map<std::vector<SymbolId>, std::vector<std::uint32_t>, KeyHash> index;
    std::vector<std::uint32_t> every_row;
    if (set.keys.empty()) {
      for (std::size_t r = 0; r < map.rows; ++r) every_row.push_back(static_cast<std::uint32_t>(r));
    } else {
      std::vector<SymbolId> prefix;
      std::vector<std::vector<SymbolId>> keys;
      for (std::size_t r = 0; r < map.rows; ++r) {
        keys.clear();
        map_row_keys(set.keys, map, r, prefix, keys);
        for (auto& key : keys) {
          auto& rows = index[std::move(key)];
          if (rows.empty() || rows.back() != r) rows.push_back(static_cast<std::uint32_t>(r));
        }
      }
    }
    row_names_.clear();
    if (!set.has_name) {
      const int key = key_field(state_.model.sources[static_cast<std::size_t>(set.source)].schema);
      for (std::size_t r = 0; r < map.rows; ++r)
        row_names_.push_back(
            state_.symbols.intern(key >= 0 ? cell_text(map.columns[static_cast<std::size_t>(key)],
                                                       r, state_.symbols, state_.model.calendar)
                                           : row_label(map, r)));
    }
    const InternedConstants interned = intern_constants(set.chunk, state_.symbols);
    TerritoryPairs pairs;
    pairs.map = &map;
    Frame frame;
    std::vector<SymbolId> key(set.keys.size());
    for (std::size_t row = 0; row < table_.rows && !failed_; ++row) {
      const std::vector<std::uint32_t>* candidates = &every_row;
      if (!set.keys.empty()) {
        bool null = false;
        for (std::size_t k = 0; k < set.keys.size(); ++k) {
          const Column& column = table_.columns[static_cast<std::size_t>(set.keys[k].row_field)];
          null = null || column.is_null(row);
          key[k] = column.symbols[row];
        }
        const auto found = null ? index.end() : index.find(key);
        if (found == index.end()) continue;
        candidates = &found->second;
      }
      for (std::uint32_t map_row : *candidates) {
        pairs.row.push_back(static_cast<std::uint32_t>(row));
        pairs.map_row.push_back(map_row);
        if (pairs.row.size() == kBatchSize) run_pairs(set, map, pairs, interned, frame);
      }
    }
    run_pairs(set, map, pairs, interned, frame);
  }
}

/// Writes the result into state.territories; a tie is a data error (under
/// --lenient the row is left out of the run).
void Resolver::finish() {
  if (failed_) return;
  TerritoryData& data = state_.territories;
  const SourceModel& source = state_.model.sources[static_cast<std::size_t>(compiled_.source)];
  data.match.assign(table_.rows, TerritoryMatch::none);
  data.territory.assign(table_.rows, data.no_territory);
  data.owner.assign(table_.rows, 0);
  std::vector<std::uint32_t> keep;
  for (std::size_t row = 0; row < table_.rows; ++row) {
    const RowChoice& choice = choices_[row];
    if (choice.rival.present && choice.rival.priority == choice.best.priority) {
      const std::string id =
          transaction_id(source.schema, table_, row, state_.symbols, state_.model.calendar);
      const std::string a(state_.text(choice.best.name));
      const std::string b(state_.text(choice.rival.name));
      state_.data_error(
          DataErrorKind::ambiguous_territory,
          Error{row_location(table_, row),
                (id.empty() ? std::string("a transaction") : "transaction \"" + id + "\"") +
                    " matches territories " + std::min(a, b) + " and " + std::max(a, b) +
                    ", both of priority " + std::to_string(choice.best.priority),
                "give one of them a higher priority, e.g. `priority " +
                    std::to_string(choice.best.priority + 1) + "`"},
          id);
      continue;
    }
    keep.push_back(static_cast<std::uint32_t>(row));
    if (!choice.best.present) continue;
    data.match[row] = choice.best.has_owner ? TerritoryMatch::owned : TerritoryMatch::no_owner;
    data.territory[row] = choice.best.name;
    data.owner[row] = choice.best.owner;
  }
  if (keep.size() == table_.rows || !state_.lenient) return;
  // --lenient: the tied rows are rejected; the others keep their territory.
  auto select = [&](auto& values) {
    std::remove_reference_t<decltype(values)> kept;
    kept.reserve(keep.size());
    for (std::uint32_t row : keep) kept.push_back(values[row]);
    values = std::move(kept);
  };
  select(data.match);
  select(data.territory);
  select(data.owner);
  state_.tables[static_cast<std::size_t>(compiled_.source)] = select_rows(table_, keep);
}

/// The items of list("NAME"): a source of the plan named NAME gives its key
/// (or first) column; otherwise the file NAME.csv in the data folder, whose
/// first column (under a header line) holds one item per row.
Result<std::vector<SymbolId>> load_named_list(RunState& state, const std::string& name,
                                              const RunOptions& options) {
  std::vector<SymbolId> items;
  for (std::size_t s = 0; s < state.model.sources.size(); ++s) {
    const SourceModel& source = state.model.sources[s];
    if (source.schema.name != name) continue;
    int field = key_field(source.schema);
    if (field < 0) field = 0;
    const Column& column = state.tables[s].columns.at(static_cast<std::size_t>(field));
    if (column.symbols.empty() && state.tables[s].rows > 0)
      return Error{state.plan_location(source.decl->name_span),
                   "list(\"" + name + "\") reads the column `" + column.name + "` of source `" +
                       name + "`, which is not text",
                   "make its key (or first) field a text field"};
    for (std::size_t row = 0; row < state.tables[s].rows; ++row)
      if (!column.is_null(row)) items.push_back(column.symbols[row]);
    return items;
  }
  const std::filesystem::path path = std::filesystem::path(options.data_dir) / (name + ".csv");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Error{{},
                 "no data for list(\"" + name + "\"): found no " + path.string(),
                 "put the list there (a header line, then one item per row), or declare a "
                 "source `" +
                     name + "`"};
  SourceSchema schema;
  schema.name = name;
  schema.header = false;  // any header name: the first line is skipped below
  FieldSpec item;
  item.name = "item";
  item.type = Type::of(Kind::text).as_optional();
  item.position = 1;
  item.trim = true;
  schema.fields.push_back(item);
  LoadOptions load;
  load.calendar = state.model.calendar;
  auto table = load_table(schema, path.string(), state.symbols, load);
  if (!table) return table.take_errors();
  const Column& column = table.value().columns[0];
  for (std::size_t row = 1; row < table.value().rows; ++row)
    if (!column.is_null(row)) items.push_back(column.symbols[row]);
  return items;
}

}  // namespace

void resolve_territories(RunState& state, const RunOptions& options) {
  const CompiledTerritories& compiled = state.plan.program.territories;
  TerritoryData& data = state.territories;
  data.names = &state.symbols;
  data.no_territory = state.symbols.intern("");
  for (const std::string& name : compiled.named_lists) {
    auto items = load_named_list(state, name, options);
    if (!items) {
      for (auto& e : items.take_errors()) state.errors.push_back(std::move(e));
      continue;
    }
    std::sort(items.value().begin(), items.value().end());
    data.named_lists[state.symbols.intern(name)] = std::move(items.value());
  }
  if (compiled.source < 0 || !state.errors.empty()) return;
  data.rows = &state.tables[static_cast<std::size_t>(compiled.source)];
  data.key_field = key_field(state.model.sources[static_cast<std::size_t>(compiled.source)].schema);
  if (!compiled.used) return;
  Resolver resolver(state, compiled);
  resolver.declared();
  resolver.sets();
  resolver.finish();
  data.rows = &state.tables[static_cast<std::size_t>(compiled.source)];  // may be a new table
}

void report_territory_gaps(RunState& state) {
  const TerritoryData& data = state.territories;
  if (!state.plan.program.territories.used || !data.rows) return;
  const int source = state.plan.program.territories.source;
  std::vector<std::uint8_t> seen(data.match.size(), 0);
  std::size_t gaps = 0;
  std::string first;
  for (std::size_t c = 0; c < state.credits.size(); ++c) {
    const std::uint32_t row = state.credits.row[c];
    if (static_cast<int>(state.model.rules[state.credits.rule[c]].source) != source ||
        row >= seen.size() || seen[row] || data.match[row] != TerritoryMatch::none)
      continue;
    seen[row] = 1;
    if (gaps++ == 0) {
      const std::string id =
          transaction_id(state.model.sources[static_cast<std::size_t>(source)].schema, *data.rows,
                         row, state.symbols, state.model.calendar);
      first = (id.empty() ? std::string() : "\"" + id + "\", ") + row_label(*data.rows, row);
    }
  }
  if (gaps == 0) return;
  state.warnings.push_back(
      Error{{},
            std::to_string(gaps) + " credited transaction" + (gaps == 1 ? "" : "s") + " of `" +
                data.rows->name + "` match" + (gaps == 1 ? "es" : "") +
                " no territory, so territory(...) has no value for " + (gaps == 1 ? "it" : "them") +
                " (the first: " + first + ")",
            "add a territory that covers them, or a catch-all one of lower priority"});
}

}  // namespace tally
