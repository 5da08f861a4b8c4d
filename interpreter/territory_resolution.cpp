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
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "interpreter/row_labels.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/table_rows.hpp"
#include "io/loader.hpp"

namespace tally {

namespace {

/// A hash of a tuple of symbols (the equality keys of a `match`).
struct KeyHash {
  std::size_t operator()(const std::vector<SymbolId>& key) const {
    std::size_t h = 1469598103934665603ull;
    for (SymbolId s : key) h = (h ^ s) * 1099511628211ull;
    return h;
  }
};

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

bool by_key_tuple(const CompiledTerritorySet& set);

/// From this many rows, a lone set resolved by key tuple numbers the tuples
/// of the later half of the rows on a second thread (sets_by_key_tuple).
constexpr std::size_t kTwoThreadTerritoryRows = std::size_t{1} << 19;

class Resolver {
 public:
  Resolver(RunState& state, const CompiledTerritories& compiled)
      : state_(state),
        compiled_(compiled),
        table_(state.tables[compiled.source]),
        direct_(compiled.declared.empty() && compiled.sets.size() == 1 &&
                by_key_tuple(compiled.sets[0])) {}

  /// Resolves rows [lo, hi): a block at a time, so that the choices of a
  /// block, not of all rows, are held (10M rows would need 640 MB).
  void resolve(std::size_t lo, std::size_t hi) {
    lo_ = lo;
    hi_ = hi;
    if (direct_)
      tied_rows_.clear();
    else
      choices_.assign(hi - lo, RowChoice{});
    declared();
    sets();
    finish_block();
  }
  /// After the last block: under --lenient, leaves out the tied rows.
  void finish();
  bool failed() const { return failed_; }
  /// Whether each row's finding is written as its key tuple is looked up
  /// (no choice held per row: the rows need not be resolved in blocks).
  bool direct() const { return direct_; }
  /// The rows given a territory.
  std::size_t matched() const { return matched_; }

 private:
  bool is_ancestor(int ancestor, int territory) const {
    if (ancestor < 0 || territory < 0) return false;
    for (int t = compiled_.declared[territory].parent; t >= 0; t = compiled_.declared[t].parent)
      if (t == ancestor) return true;
    return false;
  }
  void offer(std::size_t row, const Candidate& c) { choose(choices_[row - lo_], c); }
  /// Keeps `c` in `choice` if it beats (or ties) what is there.
  void choose(RowChoice& choice, const Candidate& c) const;
  void fault(const Chunk& chunk, const VmFault& fault, const std::string& what, std::size_t row);
  void run_pairs(const CompiledTerritorySet& set, const Table& map, TerritoryPairs& pairs,
                 const InternedConstants& interned, Frame& frame,
                 std::vector<Candidate>* found = nullptr);
  bool sets_by_key_tuple(
      const CompiledTerritorySet& set, const Table& map,
      const std::unordered_map<std::vector<SymbolId>, std::vector<std::uint32_t>, KeyHash>& index,
      const InternedConstants& interned);

  void declared();
  void sets();
  void finish_block();
  void report_tie(std::size_t row, const RowChoice& choice);
  /// The index in state.territories.found of what `best` (present) finds,
  /// added when new.
  std::uint32_t found_index(const Candidate& best);

  RunState& state_;
  const CompiledTerritories& compiled_;
  const Table& table_;
  std::size_t lo_ = 0;
  std::size_t hi_ = 0;
  std::vector<RowChoice> choices_;  // of rows lo_ .. hi_ (unless direct_)
  // When the only territories are one `territories from` set resolved by key
  // tuple, every row of a tuple ends with the same choice: it is made once
  // per tuple, and each row's result is written as its tuple is looked up,
  // in one pass over the rows (no choice per row is held).
  const bool direct_;
  std::vector<RowChoice> tuple_choices_;  // per tuple of the block (when direct_)
  /// Per tuple of the block (when direct_): the index of what its rows find
  /// (0: none), or kTied.
  static constexpr std::uint32_t kTied = UINT32_MAX;
  std::vector<std::uint32_t> tuple_found_;
  /// The findings made so far, by (territory, owner) when owned, by
  /// territory when not.
  std::unordered_map<std::uint64_t, std::uint32_t> owned_found_;
  std::unordered_map<SymbolId, std::uint32_t> unowned_found_;
  std::size_t matched_ = 0;                                         // rows given a territory
  std::vector<std::pair<std::uint32_t, std::uint32_t>> tied_rows_;  // (row, tuple) of the block
  std::vector<std::uint32_t> tied_;  // rows in two territories of one priority, ascending
  std::vector<SymbolId> row_names_;  // of the current set's map rows: the key, else the row
  bool failed_ = false;
};

std::uint32_t Resolver::found_index(const Candidate& best) {
  std::vector<TerritoryFound>& found = state_.territories.found;
  const auto next = static_cast<std::uint32_t>(found.size());
  if (!best.has_owner) {
    const auto [at, fresh] = unowned_found_.try_emplace(best.name, next);
    if (fresh) found.push_back(TerritoryFound{TerritoryMatch::no_owner, best.name, 0});
    return at->second;
  }
  const auto [at, fresh] =
      owned_found_.try_emplace((std::uint64_t{best.name} << 32) | best.owner, next);
  if (fresh) found.push_back(TerritoryFound{TerritoryMatch::owned, best.name, best.owner});
  return at->second;
}

void Resolver::choose(RowChoice& choice, const Candidate& c) const {
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
  env.budget = &state_.budget;
  env.interned = &interned;
  env.rows = &table_;
  env.territories = &state_.territories;
  Frame frame;
  std::vector<SymbolId> names;
  for (const CompiledTerritory& territory : declared)
    names.push_back(state_.symbols.intern(territory.name));
  std::vector<std::uint8_t> matched(declared.size());
  std::vector<int> owner_of(declared.size());  // the territory whose owner applies
  for (std::size_t base = lo_; base < hi_; base += kBatchSize) {
    if (state_.budget.should_stop()) return;  // Engine::run reports the limit
    const std::size_t lanes = std::min(kBatchSize, hi_ - base);
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
                         const InternedConstants& interned, Frame& frame,
                         std::vector<Candidate>* found) {
  if (pairs.row.empty() || failed_) return;
  if (state_.budget.should_stop()) return;
  VmEnv env;
  env.calendar = &state_.model.calendar;
  env.budget = &state_.budget;
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
    if (found)
      found->push_back(c);
    else
      offer(pairs.row[lane], c);
  }
  pairs.row.clear();
  pairs.map_row.clear();
}

/// True when `set`'s chunk reads the transaction only through its equality
/// keys: then every row with the same key values meets the same territories.
bool reads_only_keys(const CompiledTerritorySet& set) {
  auto is_key = [&](std::uint32_t field) {
    return std::any_of(set.keys.begin(), set.keys.end(), [&](const CompiledTerritorySet::Key& k) {
      return k.row_field == static_cast<int>(field);
    });
  };
  for (const Instr& in : set.chunk.code) {
    switch (in.op) {
      case OpCode::LOAD_PAIR_FIELD:  // a = 1: the map row
        if (in.a == 0 && !is_key(in.k)) return false;
        break;
      case OpCode::IN_LIST_FIELD:  // b = 4: a list of the map row
        if (in.b != 4 && !(in.b == 3 && is_key(in.k))) return false;
        break;
      case OpCode::LOAD_FIELD:
      case OpCode::LOAD_CREDIT_FIELD:
      case OpCode::LOAD_PAYEE_FIELD:
      case OpCode::IS_NULL_FIELD:
      case OpCode::FIELD_PRESENT:
      case OpCode::LOAD_TERRITORY:
      case OpCode::TABLE_ROLLUP:
      case OpCode::MONTHS_EMPLOYED:
      case OpCode::EMPLOYMENT_DAY:
      case OpCode::LOAD_CUMULATIVE:
      case OpCode::LOAD_FORECAST:
      case OpCode::LOAD_PAID_BEFORE:
        return false;
      default:
        break;
    }
  }
  return true;
}

/// A `territories from` set whose `match`, owner, priority and name read the
/// transaction only through one or two equality keys: the territories of each
/// distinct key tuple are worked out once (for its first row) and offered to
/// every row with that tuple. 10M deals meet 150 (state, segment) tuples.
/// False (nothing done) when the set does not qualify.
bool Resolver::sets_by_key_tuple(
    const CompiledTerritorySet& set, const Table& map,
    const std::unordered_map<std::vector<SymbolId>, std::vector<std::uint32_t>, KeyHash>& index,
    const InternedConstants& interned) {
  if (!by_key_tuple(set)) return false;
  tuple_choices_.clear();
  tuple_found_.clear();
  std::uint32_t* row_found = state_.territories.row_found.data();
  std::vector<const Column*> columns;
  for (const CompiledTerritorySet::Key& key : set.keys)
    columns.push_back(&table_.columns[static_cast<std::size_t>(key.row_field)]);
  std::unordered_map<std::uint64_t, std::uint32_t> tuple_of;  // packed symbols -> tuple
  std::vector<std::vector<Candidate>> found;                  // per tuple
  // Most rows repeat one of few tuples: a direct-mapped cache answers them.
  // 8,192 slots: with 1,024, a few of the workload's 150 tuples shared a
  // slot and kept evicting each other (5 ms of misses at 10M rows).
  constexpr int kCacheBits = 13;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> cache(std::size_t{1} << kCacheBits,
                                                             {~std::uint64_t{0}, 0});
  TerritoryPairs pairs;
  pairs.map = &map;
  Frame frame;
  std::vector<SymbolId> key(set.keys.size());
  // The tuple of `packed` (the keys of `row`), worked out when new: out of
  // the loop over the rows, which then keeps what it reads in registers.
  auto tuple_of_row = [&](std::uint64_t packed, std::size_t row) __attribute__((noinline)) {
    for (std::size_t k = 0; k < key.size(); ++k)
      key[k] = static_cast<SymbolId>(packed >> (32 * (key.size() - 1 - k)));
    auto [it, fresh] = tuple_of.try_emplace(packed, static_cast<std::uint32_t>(found.size()));
    if (fresh) {
      // The first row of this tuple: its candidate map rows, through the chunk.
      found.emplace_back();
      const auto candidates = index.find(key);
      if (candidates != index.end()) {
        for (std::uint32_t map_row : candidates->second) {
          pairs.row.push_back(static_cast<std::uint32_t>(row));
          pairs.map_row.push_back(map_row);
          if (pairs.row.size() == kBatchSize)
            run_pairs(set, map, pairs, interned, frame, &found.back());
        }
        run_pairs(set, map, pairs, interned, frame, &found.back());
      }
      if (direct_) {
        RowChoice choice;
        for (const Candidate& c : found.back()) choose(choice, c);
        const bool tied = choice.rival.present && choice.rival.priority == choice.best.priority;
        tuple_found_.push_back(tied ? kTied : choice.best.present ? found_index(choice.best) : 0);
        tuple_choices_.push_back(choice);
      }
    }
    return it->second;
  };
  // One or two keys (by_key_tuple), read through pointers.
  const SymbolId* first = columns[0]->symbols.data();
  const SymbolId* second = columns.size() > 1 ? columns[1]->symbols.data() : nullptr;
  const bool nullable = std::any_of(columns.begin(), columns.end(),
                                    [](const Column* c) { return !c->valid.empty(); });
  auto null_key = [&](std::size_t row) {
    return nullable && std::any_of(columns.begin(), columns.end(),
                                   [&](const Column* c) { return c->is_null(row); });
  };
  auto packed_keys = [&](std::size_t row) {
    return second ? (std::uint64_t{first[row]} << 32) | second[row] : std::uint64_t{first[row]};
  };
  auto cache_slot =
      [](std::vector<std::pair<std::uint64_t, std::uint32_t>> & in, std::uint64_t packed) -> auto& {
    return in[(packed * 0x9E3779B97F4A7C15ULL) >> (64 - kCacheBits)];
  };
  // The usual case in a loop of its own: every row's finding written, no
  // key null, the number of keys known. What it reads stays in registers
  // (through the members, it would read them again after each row's store).
  auto resolve_direct = [&](std::size_t lo, std::size_t hi, auto two_keys) {
    std::size_t matched = 0;
    const std::uint32_t* findings = tuple_found_.data();
    for (std::size_t row = lo; row < hi; ++row) {
      std::uint64_t packed = first[row];
      if constexpr (decltype(two_keys)::value) packed = (packed << 32) | second[row];
      auto& slot = cache_slot(cache, packed);
      if (slot.first != packed) [[unlikely]] {
        const std::uint32_t tuple = tuple_of_row(packed, row);
        if (failed_) break;
        slot = {packed, tuple};
        findings = tuple_found_.data();  // a new tuple's finding was added
      }
      const std::uint32_t index = findings[slot.second];
      if (index == kTied) [[unlikely]] {
        row_found[row] = 0;
        tied_rows_.emplace_back(static_cast<std::uint32_t>(row), slot.second);
        continue;
      }
      row_found[row] = index;
      matched += index != 0;
    }
    matched_ += matched;
  };
  // Each row's finding written as its tuple is looked up, in row order.
  auto resolve_rows = [&](std::size_t lo, std::size_t hi) {
    if (direct_ && !nullable) {
      if (second) return resolve_direct(lo, hi, std::true_type{});
      return resolve_direct(lo, hi, std::false_type{});
    }
    for (std::size_t row = lo; row < hi && !failed_; ++row) {
      if (null_key(row)) {
        if (direct_) row_found[row] = 0;
        continue;
      }
      const std::uint64_t packed = packed_keys(row);
      auto& slot = cache_slot(cache, packed);
      if (slot.first != packed) [[unlikely]] {
        const std::uint32_t tuple = tuple_of_row(packed, row);
        if (failed_) break;
        slot = {packed, tuple};
      }
      const std::uint32_t tuple = slot.second;
      if (!direct_) {
        for (const Candidate& c : found[tuple]) offer(row, c);
        continue;
      }
      const std::uint32_t index = tuple_found_[tuple];
      if (index == kTied) [[unlikely]] {
        row_found[row] = 0;
        tied_rows_.emplace_back(static_cast<std::uint32_t>(row), tuple);
        continue;
      }
      row_found[row] = index;
      matched_ += index != 0;
    }
  };
  // With many rows (and only row_found to write), a helper thread numbers
  // the tuples of the later half in the order it meets them, writing each
  // row's number where its finding goes; this thread resolves the first
  // half, then the later half's tuples in that order (the order one pass
  // would meet them in, so findings are numbered and faults and ties
  // reported as one pass does), then puts each row's finding in place.
  std::size_t split = hi_;
  if (direct_ && hi_ - lo_ >= kTwoThreadTerritoryRows && state_.two_threads())
    split = lo_ + (hi_ - lo_) / 2;
  constexpr std::uint32_t kNullKey = UINT32_MAX;
  std::vector<std::uint64_t> later_packed;  // per tuple of the later half, as met
  std::vector<std::uint32_t> later_first;   // its first row
  auto number_later = [&] {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> seen(cache.size(), {~std::uint64_t{0}, 0});
    std::unordered_map<std::uint64_t, std::uint32_t> number_of;
    // Specialised on the number of keys, as resolve_direct is.
    auto number_rows = [&](auto two_keys) {
      for (std::size_t row = split; row < hi_; ++row) {
        if (nullable && null_key(row)) {
          row_found[row] = kNullKey;
          continue;
        }
        std::uint64_t packed = first[row];
        if constexpr (decltype(two_keys)::value) packed = (packed << 32) | second[row];
        auto& slot = cache_slot(seen, packed);
        if (slot.first != packed) [[unlikely]] {
          auto [it, fresh] =
              number_of.try_emplace(packed, static_cast<std::uint32_t>(later_packed.size()));
          if (fresh) {
            later_packed.push_back(packed);
            later_first.push_back(static_cast<std::uint32_t>(row));
          }
          slot = {packed, it->second};
        }
        row_found[row] = slot.second;
      }
    };
    if (second)
      number_rows(std::true_type{});
    else
      number_rows(std::false_type{});
  };
  bool numbered = false;
  std::thread helper;
  if (split < hi_) {
    helper = thread_or_none([&] { numbered = state_.budget.run_guarded(number_later); });
    if (!helper.joinable()) split = hi_;  // one pass
  }
  resolve_rows(lo_, split);
  if (helper.joinable()) helper.join();
  if (split == hi_ || failed_) return true;
  if (!numbered) {
    std::fill(row_found + split, row_found + hi_, 0u);
    resolve_rows(split, hi_);
    return true;
  }
  // Each number's tuple and finding (kTied for a tie), in the order met.
  std::vector<std::uint32_t> tuple_of_number(later_packed.size());
  std::vector<std::uint32_t> index_of_number(later_packed.size());
  bool ties = false;
  for (std::size_t n = 0; n < later_packed.size(); ++n) {
    tuple_of_number[n] = tuple_of_row(later_packed[n], later_first[n]);
    if (failed_) return true;
    index_of_number[n] = tuple_found_[tuple_of_number[n]];
    ties = ties || index_of_number[n] == kTied;
  }
  // Each later row's number becomes its finding; without ties, a half of
  // them on a second thread (which then allocates nothing: cannot throw).
  auto put_in_place = [&](std::size_t lo, std::size_t hi) {
    std::size_t matched = 0;
    for (std::size_t row = lo; row < hi; ++row) {
      const std::uint32_t number = row_found[row];
      const std::uint32_t index = number == kNullKey ? 0 : index_of_number[number];
      if (index == kTied) [[unlikely]] {
        row_found[row] = 0;
        tied_rows_.emplace_back(static_cast<std::uint32_t>(row), tuple_of_number[number]);
        continue;
      }
      row_found[row] = index;
      matched += index != 0;
    }
    return matched;
  };
  std::size_t middle = ties ? hi_ : split + (hi_ - split) / 2;
  std::size_t later_matched = 0;
  std::thread other;
  if (middle < hi_) {
    other = thread_or_none([&] { later_matched = put_in_place(middle, hi_); });
    if (!other.joinable()) middle = hi_;  // this one does it all
  }
  matched_ += put_in_place(split, middle);
  if (other.joinable()) other.join();
  matched_ += later_matched;
  return true;
}

/// Whether sets_by_key_tuple can resolve `set`.
bool by_key_tuple(const CompiledTerritorySet& set) {
  return !set.keys.empty() && set.keys.size() <= 2 && reads_only_keys(set);
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
    if (sets_by_key_tuple(set, map, index, interned)) continue;
    TerritoryPairs pairs;
    pairs.map = &map;
    Frame frame;
    std::vector<SymbolId> key(set.keys.size());
    for (std::size_t row = lo_; row < hi_ && !failed_; ++row) {
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
void Resolver::finish_block() {
  if (failed_) return;
  if (direct_) {  // the rows are written; the ties are reported after any fault of the block
    for (const auto& [row, tuple] : tied_rows_) report_tie(row, tuple_choices_[tuple]);
    return;
  }
  TerritoryData& data = state_.territories;
  for (std::size_t row = lo_; row < hi_; ++row) {
    const RowChoice& choice = choices_[row - lo_];
    if (choice.rival.present && choice.rival.priority == choice.best.priority) {
      report_tie(row, choice);
      continue;
    }
    if (!choice.best.present) continue;
    data.row_found[row] = found_index(choice.best);
    ++matched_;
  }
}

void Resolver::report_tie(std::size_t row, const RowChoice& choice) {
  const SourceModel& source = state_.model.sources[static_cast<std::size_t>(compiled_.source)];
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
  tied_.push_back(static_cast<std::uint32_t>(row));
}

void Resolver::finish() {
  if (failed_ || tied_.empty() || !state_.lenient) return;
  TerritoryData& data = state_.territories;
  std::vector<std::uint32_t> keep;
  keep.reserve(table_.rows - tied_.size());
  for (std::size_t row = 0, t = 0; row < table_.rows; ++row) {
    if (t < tied_.size() && tied_[t] == row) {
      ++t;
      continue;
    }
    keep.push_back(static_cast<std::uint32_t>(row));
  }
  // --lenient: the tied rows are rejected; the others keep their territory.
  auto select = [&](auto& values) {
    std::remove_reference_t<decltype(values)> kept;
    kept.reserve(keep.size());
    for (std::uint32_t row : keep) kept.push_back(values[row]);
    values = std::move(kept);
  };
  select(data.row_found);  // the tied rows had no territory
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
  // A plan names a list, never a file: the name stays inside the data
  // folder the host chose (no folders, no `..`, nothing hidden).
  const bool plain = !name.empty() && name.front() != '.' &&
                     name.find_first_of(std::string("/\\\0", 3)) == std::string::npos;
  if (!plain)
    return Error{{},
                 "list(\"" + name +
                     "\") is not the name of a list: a list is named by a word, "
                     "not a path",
                 "give the list a name such as \"named_accounts\"; its data is the host's to bind"};
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
  load.keep_going = state.budget.load_guard();
  auto table = load_table(schema, path.string(), state.symbols, load);
  if (!table) return table.take_errors();
  const Column& column = table.value().columns[0];
  for (std::size_t row = 1; row < table.value().rows; ++row)
    if (!column.is_null(row)) items.push_back(column.symbols[row]);
  return items;
}

/// TerritoryData::owner_by_name: the owner of each territory by its name,
/// for owner(t) of a territory value that is not the row's own. A declared
/// territory whose owner is written as text (or inherited from an ancestor
/// that has one) has it whatever rows it matched; the others (`territories
/// from`, owners read from the row) have the owner resolution found, when all
/// their rows found the same one.
void index_owners(RunState& state) {
  TerritoryData& data = state.territories;
  const PlanModel& model = state.model;
  for (const TerritoryModel& territory : model.territories) {
    for (const TerritoryModel* up = &territory; up;
         up = up->parent >= 0 ? &model.territories[static_cast<std::size_t>(up->parent)]
                              : nullptr) {
      if (!up->decl->owner) continue;
      if (up->decl->owner->kind == ast::ExprKind::string)
        data.owner_by_name[state.symbols.intern(territory.decl->name)] =
            state.symbols.intern(up->decl->owner->text);
      break;  // the nearest owner decides, written as text or not
    }
  }
  // Per territory name (a symbol id; names are few, rows many): whether its
  // owner is declared, and the owner its rows found so far.
  enum : std::uint8_t { kUnseen, kDeclared, kFound };
  std::vector<std::uint8_t> status(state.symbols.size(), kUnseen);
  std::vector<SymbolId> found(state.symbols.size(), 0);
  for (const auto& [name, owner] : data.owner_by_name) status[name] = kDeclared;
  // What some row found, each finding once.
  for (const TerritoryFound& f : data.found) {
    if (f.match != TerritoryMatch::owned) continue;
    const SymbolId name = f.territory;
    if (status[name] == kDeclared) continue;
    if (status[name] == kUnseen) {
      status[name] = kFound;
      found[name] = f.owner;
    } else if (found[name] != f.owner) {
      found[name] = TerritoryData::kAmbiguousOwner;
    }
  }
  for (std::size_t name = 0; name < status.size(); ++name)
    if (status[name] == kFound)
      data.owner_by_name.emplace(static_cast<SymbolId>(name), found[name]);
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
  const std::size_t rows = data.rows->rows;
  data.clear_rows();
  Resolver resolver(state, compiled);
  // The direct path writes every row, half of them on a second thread from
  // 2^19 rows: no pages are touched twice (UnwrittenAllocator).
  if (resolver.direct())
    data.row_found.resize(rows);
  else
    data.row_found.assign(rows, 0);
  // A block's choices per row are held (10M rows would need 640 MB); the
  // direct path holds none.
  const std::size_t kBlock = resolver.direct() ? std::max<std::size_t>(rows, 1)
                                               : std::size_t{1} << 18;  // a multiple of kBatchSize
  for (std::size_t lo = 0; lo < rows && !resolver.failed(); lo += kBlock)
    resolver.resolve(lo, std::min(rows, lo + kBlock));
  // A fault stops the run; still, no row is left unwritten.
  if (resolver.failed() && resolver.direct())
    std::fill(data.row_found.begin(), data.row_found.end(), 0u);
  resolver.finish();
  data.unmatched = data.size() - resolver.matched();
  data.rows = &state.tables[static_cast<std::size_t>(compiled.source)];  // may be a new table
  index_owners(state);
}

void count_territory_gaps(RunState& state, TerritoryGaps& gaps_found) {
  const TerritoryData& data = state.territories;
  if (!state.plan.program.territories.used || !data.rows || state.credits.size() == 0) return;
  // The credits' rows (a slice of the source, when credited in slices).
  const auto [low, high] = std::minmax_element(state.credits.row.begin(), state.credits.row.end());
  const std::size_t lo = *low;
  const std::size_t hi = std::min<std::size_t>(data.size(), std::size_t{*high} + 1);
  // Usually every row has a territory: then no credit needs a look.
  const auto from = data.row_found.begin() + static_cast<std::ptrdiff_t>(lo);
  const auto to = data.row_found.begin() + static_cast<std::ptrdiff_t>(hi);
  if (data.unmatched == 0 || lo >= hi || std::find(from, to, 0u) == to) return;
  const int source = state.plan.program.territories.source;
  std::vector<std::uint8_t> seen(hi - lo, 0);
  std::size_t& gaps = gaps_found.count;
  std::string& first = gaps_found.first;
  for (std::size_t c = 0; c < state.credits.size(); ++c) {
    const std::uint32_t row = state.credits.row[c];
    if (static_cast<int>(state.model.rules[state.credits.rule[c]].source) != source || row < lo ||
        row >= hi || seen[row - lo] || data.row_found[row] != 0)
      continue;
    seen[row - lo] = 1;
    if (gaps++ == 0) {
      const std::string id =
          transaction_id(state.model.sources[static_cast<std::size_t>(source)].schema, *data.rows,
                         row, state.symbols, state.model.calendar);
      first = (id.empty() ? std::string() : "\"" + id + "\", ") + row_label(*data.rows, row);
    }
  }
  gaps_found.source = data.rows->name;
}

void warn_territory_gaps(RunState& state, const TerritoryGaps& found) {
  const std::size_t gaps = found.count;
  const std::string& first = found.first;
  if (gaps == 0) return;
  state.warnings.push_back(
      Error{{},
            std::to_string(gaps) + " credited transaction" + (gaps == 1 ? "" : "s") + " of `" +
                found.source + "` match" + (gaps == 1 ? "es" : "") +
                " no territory, so territory(...) has no value for " + (gaps == 1 ? "it" : "them") +
                " (the first: " + first + ")",
            "add a territory that covers them, or a catch-all one of lower priority"});
}

void report_territory_gaps(RunState& state) {
  TerritoryGaps gaps;
  count_territory_gaps(state, gaps);
  warn_territory_gaps(state, gaps);
}

}  // namespace tally
