// Stage 2: crediting. Each credit rule runs as bytecode over batches of its
// source's rows; the rows left active after the `where` filter yield one
// credit per credit line: (row, payee, kind, share, amount × share, date).
// A `managers(...)` line yields one credit per manager up the chain as of the
// credit date; the split shares of one transaction must add up to 100%.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "interpreter/line_fold.hpp"
#include "interpreter/manager_chains.hpp"
#include "interpreter/row_labels.hpp"
#include "interpreter/rule_outputs.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/runtime/period_lookup.hpp"
#include "interpreter/runtime/spelling.hpp"
#include "interpreter/value_format.hpp"

namespace tally {

namespace {

/// Hints ("did you mean") cost a pass over the roster; only the messages
/// shown get one.
constexpr std::size_t kHintedErrors = 20;

/// One split line's share of one row, kept until the rule's rows are all
/// credited: the shares of a transaction are checked together.
struct SplitShare {
  std::uint32_t row = 0;
  SymbolId payee = 0;  ///< as written (the payee may be unknown)
  Decimal share;
  std::size_t credit = 0;  ///< index in the credit table, or kNoCredit
};
constexpr std::size_t kNoCredit = static_cast<std::size_t>(-1);

/// How messages name a transaction: `deal "d7"` (the message's location is
/// its file and row), or the row alone when the source has no key.
std::string transaction_words(const RunState& state, const CreditRuleModel& rule,
                              const Table& table, std::size_t row) {
  const std::string id = transaction_id(state.model.sources[rule.source].schema, table, row,
                                        state.symbols, state.model.calendar);
  return id.empty() ? row_label(table, row) : rule.row_name + " \"" + id + "\"";
}

/// The value that groups split rows into one transaction: the source's key
/// field, or its first field when it has no key (a split source lists one
/// row per payee of a deal: `deal_id, rep, share`).
std::string split_group(const RunState& state, int source, const Table& table, std::size_t row) {
  const int key = key_field(state.model.sources[source].schema);
  const std::size_t field = key >= 0 ? static_cast<std::size_t>(key) : 0;
  if (field >= table.columns.size()) return std::to_string(row);
  return cell_text(table.columns[field], row, state.symbols, state.model.calendar);
}

class RuleCrediting {
 public:
  /// Interns what the rule needs (on the calling thread: the symbol table is
  /// not shared across threads). A `probe` reports nothing: at the first
  /// data error or fault it stops and says so through trouble(), for the
  /// caller to run the rule again without probing (parallel crediting).
  RuleCrediting(RunState& state, std::size_t rule, const ManagerChains& chains, bool probe = false)
      : state_(state),
        r_(rule),
        compiled_(state.plan.program.rules[rule]),
        model_(state.model.rules[rule]),
        table_(state.tables[compiled_.source]),
        chains_(chains),
        probe_(probe),
        interned_(intern_constants(compiled_.chunk, state_.symbols)) {
    for (const auto& line : compiled_.lines)
      roles_.push_back(line.to_role ? std::optional<SymbolId>(state_.symbols.intern(*line.to_role))
                                    : std::nullopt);
  }

  /// Credits rows [lo, hi) (lo a multiple of kBatchSize) into `out`.
  void run(std::size_t lo, std::size_t hi, CreditTable& out) {
    out_ = &out;
    const PlanModel& model = state_.model;
    VmEnv env;
    env.calendar = &model.calendar;
    env.budget = &state_.budget;
    env.fx = &state_.fx;
    env.interned = &interned_;
    env.rows = &table_;
    env.territories = &state_.territories;
    env.tables = &state_.table_values;
    const std::vector<std::optional<SymbolId>>& roles = roles_;
    // Folding reads the outputs a lone load fills straight from their
    // columns, and runs the chunk without those loads (unless instructions
    // are counted: then every run counts the same).
    const Chunk& chunk =
        fold_ && !state_.budget.counts_instructions() ? outputs_.chunk : compiled_.chunk;
    // One frame for all the slices this credits: its registers stay laid
    // out and its constants filled from one slice to the next.
    Frame& frame = frame_;
    // Credits beyond the table's reserved room are charged as it grows.
    std::size_t charged_room = out.row.capacity();
    for (std::size_t base = lo; base < hi && !trouble_; base += kBatchSize) {
      if (state_.budget.should_stop()) {
        trouble_ = probe_;
        return;
      }
      if (out.row.capacity() > charged_room) {
        if (!state_.budget.charge_memory((out.row.capacity() - charged_room) * credit_bytes())) {
          trouble_ = probe_;
          return;
        }
        charged_room = out.row.capacity();
      }
      const std::size_t lanes = std::min(kBatchSize, hi - base);
      env.row_base = base;
      // Under --lenient a row whose data faults (a missing exchange rate) is
      // rejected and the batch runs again without it.
      std::vector<std::uint32_t> rejected;
      std::optional<VmFault> fault;
      for (;;) {
        if (&chunk == &outputs_.chunk && outputs_.where.present) {
          // The rule's leading test of a field, on the column itself.
          select_rows(table_.columns[outputs_.where.field], base,
                      interned_.constants[outputs_.where.constant], outputs_.where.equal, lanes,
                      where_lanes_);
          frame.reset(chunk, lanes, where_lanes_);
        } else {
          frame.reset(chunk, lanes);
        }
        for (std::uint32_t lane : rejected) frame.deactivate(lane);
        fault = Vm::run(chunk, frame, env);
        if (!fault || !fault->about_data || !state_.lenient || probe_) break;
        const std::size_t row = base + fault->lane;
        state_.data_error(DataErrorKind::missing_fx_rate,
                          Error{row_location(table_, row),
                                fault->message + " (credit rule `" + model_.decl->name + "`)", ""},
                          transaction_id(state_.model.sources[model_.source].schema, table_, row,
                                         state_.symbols, state_.model.calendar));
        rejected.push_back(fault->lane);
      }
      if (fault) {
        if (probe_) {
          trouble_ = true;
          return;
        }
        state_.errors.push_back(Error{state_.plan_location(chunk.spans[fault->instruction]),
                                      fault->message + " (credit rule `" + model_.decl->name +
                                          "`, " + row_label(table_, base + fault->lane) + ")",
                                      ""});
        return;
      }
      if (fold_) {
        if (!fold_->begin_batch(compiled_, table_, base, lanes, frame.active())) {
          trouble_ = true;  // the whole run reports the aggregate's fault
          return;
        }
        fold_batch(frame, base, &chunk == &outputs_.chunk);
        continue;
      }
      const Date* dates = frame.reg(compiled_.date_reg).dates.data();
      const Decimal* amounts = frame.reg(compiled_.amount_reg).decimals.data();
      // Each line's registers, read through pointers taken once per batch:
      // through frame.reg() every lane would reload them, since the credits
      // written in between may alias anything.
      for (std::size_t l = 0; l < compiled_.lines.size(); ++l) {
        lane_payees_[l] = frame.reg(compiled_.lines[l].payee_reg).symbols.data();
        lane_shares_[l] = frame.reg(compiled_.lines[l].share_reg).decimals.data();
      }
      for (std::uint32_t lane : frame.active()) {
        const std::size_t row = base + lane;
        const auto period = static_cast<std::int32_t>(periods_.ordinal(dates[lane]));
        for (std::size_t l = 0; l < compiled_.lines.size(); ++l) {
          const CompiledRule::Line& line = compiled_.lines[l];
          const SymbolId who = lane_payees_[l][lane];
          const Decimal& share = lane_shares_[l][lane];
          const std::int32_t payee = payee_of(who, row);
          if (line.kind == ast::CreditKind::split) {
            splits_.push_back(SplitShare{static_cast<std::uint32_t>(row), who, share,
                                         payee < 0 ? kNoCredit : out_->size()});
          }
          if (payee < 0) continue;
          const Credit credit{row, l, dates[lane], period, line.kind, share, amounts[lane]};
          if (!line.managers) {
            add(payee, credit);
            continue;
          }
          for_managers(payee, credit.date, row, roles[l],
                       levels_at(frame.reg(line.levels_reg), lane),
                       [&](std::int32_t manager) { add(manager, credit); });
        }
      }
    }
    if (!splits_.empty()) check_splits();
  }

  /// Credits rows [lo, hi) (lo a multiple of kBatchSize) straight into
  /// `into`, writing no credit table (a probe's: line_fold.hpp).
  void fold(std::size_t lo, std::size_t hi, LineFold& into) {
    CreditTable none;
    fold_ = &into;
    run(lo, hi, none);
    fold_ = nullptr;
  }

  /// Whether a probe met a data error or a fault (and stopped).
  bool trouble() const { return trouble_; }

 private:
  /// What one credit line gives for one row (the values live in the frame).
  struct Credit {
    std::size_t row;
    std::size_t line;
    Date date;
    std::int32_t period;  ///< the ordinal of the date's period
    ast::CreditKind kind;
    const Decimal& share;
    const Decimal& amount;  ///< of the row, before the share
  };

  /// Folds the credits of the batch's active lanes (rows base + lane) into
  /// fold_, line after line. With `straight` the chunk run was outputs_'s,
  /// and the outputs it leaves unfilled are read from their columns and
  /// constants (lane i of a column is row base + i, as LOAD_FIELD has it).
  void fold_batch(const Frame& frame, std::size_t base, bool straight) {
    const std::vector<std::uint32_t>& active = frame.active();
    const auto field = [&](const OutputSource& source) -> const Column* {
      return straight && source.from == OutputSource::From::field ? &table_.columns[source.index]
                                                                  : nullptr;
    };
    const auto constant = [&](const OutputSource& source) -> const Constant* {
      return straight && source.from == OutputSource::From::constant
                 ? &outputs_.chunk.constants[source.index]
                 : nullptr;
    };
    const Column* date_column = field(outputs_.date);
    const Date* dates =
        date_column ? date_column->dates.data() + base : frame.reg(compiled_.date_reg).dates.data();
    // The amounts as 64-bit units at one scale, when they all are.
    const Column* amount_column = field(outputs_.amount);
    const Decimal* amounts =
        amount_column ? nullptr : frame.reg(compiled_.amount_reg).decimals.data();
    const std::int64_t* units = nullptr;
    int amount_scale = 0;
    if (amount_column && !amount_column->decimals.is_wide()) {
      units = amount_column->decimals.units().data() + base;
      amount_scale = amount_column->decimals.scale();
    } else if (amounts) {
      units = lane_units(amounts, active, amount_scale);
    }
    auto amount_at = [&](std::uint32_t lane) {
      return amounts ? amounts[lane] : amount_column->decimals.at(base + lane);
    };
    if (day_slots_of_ != fold_) {
      day_slots_.clear();
      day_slots_of_ = fold_;
    }
    slots_.resize(active.size());
    for (std::size_t k = 0; k < active.size(); ++k) slots_[k] = slot_of_day(dates[active[k]]);
    for (std::size_t l = 0; l < compiled_.lines.size(); ++l) {
      const CompiledRule::Line& line = compiled_.lines[l];
      const RuleOutputs::Line& from = outputs_.lines[l];
      const Column* payee_column = field(from.payee);
      const SymbolId* who = payee_column ? payee_column->symbols.data() + base
                                         : frame.reg(line.payee_reg).symbols.data();
      const Constant* share = constant(from.share);
      const Decimal* shares = share ? nullptr : frame.reg(line.share_reg).decimals.data();
      std::optional<LineFold::LineSink> sink;
      if (share && units) sink = fold_->sink(l, fold_->line_terms(share->decimal, amount_scale));
      const bool filtered = fold_->filters(l);
      auto credit = [&](std::size_t k, std::uint32_t lane, std::int32_t payee)
          __attribute__((always_inline)) {
        const std::size_t slot = slots_[k] + static_cast<std::size_t>(payee);
        if (sink) {
          sink->add(slot, units[lane], lane);
          return;
        }
        fold_->add(slot, amount_at(lane), share ? share->decimal : shares[lane]);
        if (filtered) fold_->count_filtered(slot, l, lane);
      };
      const Constant* levels = constant(from.levels);
      const std::int32_t* chain = chains_.static_managers();
      const auto most = static_cast<std::int64_t>(state_.payee_count());
      // payee_of's table, read through locals: the slots written in between
      // might alias the vector's fields for all the compiler knows.
      const std::int32_t* known = state_.payee_of_symbol.data();
      const std::size_t symbols = state_.payee_of_symbol.size();
      for (std::size_t k = 0; k < active.size(); ++k) {
        const std::uint32_t lane = active[k];
        const std::size_t row = base + lane;
        const SymbolId id = who[lane];
        const std::int32_t payee =
            id < symbols && known[id] >= 0 ? known[id] : unknown_payee_of(id, row);
        if (payee < 0) {
          if (trouble_) return;
          continue;
        }
        if (!line.managers) {
          credit(k, lane, payee);
          continue;
        }
        const std::int64_t depth =
            levels ? (levels->type == RegType::integer ? levels->integer
                                                       : levels->decimal.to_int64().value_or(1))
                   : levels_at(frame.reg(line.levels_reg), lane);
        if (chain && !roles_[l]) {
          // The roster is not dated: the chain inline (as in for_managers(),
          // no more managers than payees), up to an unknown manager, which
          // for_managers() reports.
          const std::int64_t levels_up = std::min<std::int64_t>(depth, most);
          std::int32_t p = payee;
          std::int64_t level = 0;
          for (; level < levels_up; ++level) {
            const std::int32_t manager = chain[p];
            if (manager < 0) break;
            credit(k, lane, manager);
            p = manager;
          }
          if (level == levels_up || chain[p] == ManagerChains::kNone) continue;
          for_managers(p, dates[lane], row, roles_[l], depth - level,
                       [&](std::int32_t manager) { credit(k, lane, manager); });
        } else {
          for_managers(payee, dates[lane], row, roles_[l], depth,
                       [&](std::int32_t manager) { credit(k, lane, manager); });
        }
        if (trouble_) return;
      }
    }
  }

  /// The first slot in fold_ of the period of `date`, from a table by day
  /// (one load a row, where the period's ordinal and its local period
  /// would be two tables more).
  std::size_t slot_of_day(Date date) {
    std::int64_t* cell = day_slots_.cell(date);
    if (cell && *cell >= 0) return static_cast<std::size_t>(*cell);
    const std::size_t slot = fold_->period_slots(static_cast<std::int32_t>(periods_.ordinal(date)));
    if (cell) *cell = static_cast<std::int64_t>(slot);
    return slot;
  }

  /// The active lanes' amounts as 64-bit units at one scale (set), indexed
  /// by lane; nullptr when they are not all small and of one scale.
  const std::int64_t* lane_units(const Decimal* amounts, const std::vector<std::uint32_t>& active,
                                 int& scale) {
    if (active.empty()) return nullptr;
    scale = amounts[active.front()].scale();
    units_.resize(kBatchSize);
    for (std::uint32_t lane : active) {
      const Decimal& amount = amounts[lane];
      if (!amount.is_small() || amount.scale() != scale) return nullptr;
      units_[lane] = amount.small_coefficient();
    }
    return units_.data();
  }

  /// A `managers(p, levels: n)` line's n for one lane.
  static std::int64_t levels_at(const Register& levels, std::uint32_t lane) {
    return levels.type == RegType::integer ? levels.ints[lane]
                                           : levels.decimals[lane].to_int64().value_or(1);
  }

  /// The roster index of `who`, or -1 after reporting an unknown payee.
  /// (Inline for the known payee of every credit; the rest out of line.)
  std::int32_t payee_of(SymbolId who, std::size_t row) {
    const std::int32_t payee =
        who < state_.payee_of_symbol.size() ? state_.payee_of_symbol[who] : -1;
    return payee >= 0 ? payee : unknown_payee_of(who, row);
  }

  [[gnu::noinline]] std::int32_t unknown_payee_of(SymbolId who, std::size_t row) {
    if (probe_) {
      trouble_ = true;
      return -1;
    }
    // Several lines of a row may name the same unknown payee: one message.
    if (row == last_unknown_.first && who == last_unknown_.second) return -1;
    last_unknown_ = {row, who};
    std::string hint;
    if (state_.errors.size() + state_.rejects.size() < kHintedErrors) {
      std::vector<std::string> ids;
      for (SymbolId id : state_.roster().columns[state_.model.roster_key].symbols)
        ids.emplace_back(state_.text(id));
      if (const auto close = closest_match(std::string(state_.text(who)), ids))
        hint = "did you mean \"" + *close + "\"?";
    }
    unknown_payee(row,
                  "credit rule `" + model_.decl->name + "` credits payee \"" +
                      std::string(state_.text(who)) + "\" for " +
                      transaction_words(state_, model_, table_, row) +
                      ", who is not in the roster `" +
                      state_.model.sources[state_.model.roster].schema.name + "`",
                  hint);
    return -1;
  }

  void unknown_payee(std::size_t row, std::string message, std::string hint) {
    state_.data_error(DataErrorKind::unknown_payee,
                      Error{row_location(table_, row), std::move(message), std::move(hint)},
                      transaction_id(state_.model.sources[model_.source].schema, table_, row,
                                     state_.symbols, state_.model.calendar));
  }

  void add(std::int32_t payee, const Credit& c) {
    out_->push(static_cast<std::uint32_t>(c.row), static_cast<std::uint16_t>(r_),
               static_cast<std::uint16_t>(c.line), payee, c.period, c.date, c.kind, c.share,
               c.amount * c.share);
  }

  /// Calls `credit(manager)` for each manager of `payee` as of `date`:
  /// `levels` of them, or up to and including the first with `role` (all the
  /// chain when none has it). An unknown manager is reported for `row`.
  template <class CreditManager>
  void for_managers(std::int32_t payee, Date date, std::size_t row, std::optional<SymbolId> role,
                    std::int64_t levels, CreditManager&& credit) {
    std::int32_t p = payee;
    const std::size_t most = state_.payee_count();  // cycles stop the run at load
    for (std::size_t depth = 1; depth <= most; ++depth) {
      if (!role && static_cast<std::int64_t>(depth) > levels) return;
      const std::int32_t manager = chains_.manager_of(p, date);
      if (manager == ManagerChains::kNone) return;
      if (manager == ManagerChains::kUnknown) {
        if (probe_) {
          trouble_ = true;
          return;
        }
        const std::uint32_t roster_row = chains_.row_at(p, date);
        unknown_payee(row,
                      "credit rule `" + model_.decl->name + "` credits the manager \"" +
                          std::string(state_.text(chains_.manager_symbol(p, date))) + "\" of \"" +
                          std::string(state_.payee_id(p)) + "\" (" +
                          row_label(chains_.table(), roster_row) + ") for " +
                          transaction_words(state_, model_, table_, row) +
                          ", who is not in the roster `" +
                          state_.model.sources[state_.model.roster].schema.name + "`",
                      "");
        return;
      }
      credit(manager);
      if (role && chains_.role_of(manager, date) == role) return;
      p = manager;
    }
  }

  /// The split shares of each transaction must add up to exactly 100%, and
  /// none may be negative. A transaction that fails is a data error; under
  /// --lenient its split credits are left out. Zero shares credit nothing.
  void check_splits() {
    std::unordered_map<std::string, std::size_t> group_of;
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < splits_.size(); ++i) {
      const std::string key = split_group(state_, model_.source, table_, splits_[i].row);
      auto [it, inserted] = group_of.try_emplace(key, groups.size());
      if (inserted) groups.emplace_back();
      groups[it->second].push_back(i);
    }
    std::vector<std::uint8_t> drop;  // by credit index from the rule's first split credit
    auto drop_credit = [&](std::size_t credit) {
      if (credit == kNoCredit) return;
      if (drop.empty()) drop.assign(out_->size(), 0);
      drop[credit] = 1;
    };
    for (const auto& group : groups) {
      Decimal total;
      bool negative = false;
      for (std::size_t i : group) {
        total = total + splits_[i].share;
        negative = negative || splits_[i].share < Decimal{};
      }
      const bool whole = total == Decimal::from_int(1);
      if (whole && !negative) {
        for (std::size_t i : group)
          if (splits_[i].share.is_zero()) drop_credit(splits_[i].credit);
        continue;
      }
      std::string shares;
      std::vector<std::uint32_t> rows;
      for (std::size_t i : group) {
        shares += (shares.empty() ? "" : ", ") + std::string("\"") +
                  std::string(state_.text(splits_[i].payee)) + "\" " +
                  percent_digits(splits_[i].share) + "%";
        if (std::find(rows.begin(), rows.end(), splits_[i].row) == rows.end())
          rows.push_back(splits_[i].row);
        drop_credit(splits_[i].credit);
      }
      const std::size_t first = rows.front();
      std::string where = transaction_words(state_, model_, table_, first);
      if (rows.size() > 1) {
        const std::string id = split_group(state_, model_.source, table_, first);
        where = "transaction \"" + id + "\" (rows ";
        for (std::size_t k = 0; k < rows.size(); ++k)
          where += (k ? ", " : "") + std::to_string(table_.file_row(rows[k]));
        where += ")";
      }
      const std::string problem = negative ? "has a negative split share"
                                           : "add up to " + percent_digits(total) + "%, not 100%";
      state_.data_error(DataErrorKind::split_shares,
                        Error{row_location(table_, first),
                              "the split shares of " + where + " " + problem + ": " + shares +
                                  " (credit rule `" + model_.decl->name + "`)",
                              "the `split` lines of one transaction share its amount: their "
                              "shares must add up to exactly 100%"},
                        split_group(state_, model_.source, table_, first));
    }
    if (!drop.empty()) remove_credits(drop);
  }

  void remove_credits(const std::vector<std::uint8_t>& drop) {
    out_->retain([&](std::size_t i) { return !drop[i]; });
  }

  RunState& state_;
  std::size_t r_;
  const CompiledRule& compiled_;
  const CreditRuleModel& model_;
  const Table& table_;
  const ManagerChains& chains_;
  const bool probe_;
  bool trouble_ = false;
  const InternedConstants interned_;
  std::vector<std::optional<SymbolId>> roles_;  // per line: `managers(p, to: ROLE)`'s role
  std::vector<const SymbolId*> lane_payees_{compiled_.lines.size()};  // per line, of the batch
  std::vector<const Decimal*> lane_shares_{compiled_.lines.size()};   // per line, of the batch
  CreditTable* out_ = nullptr;
  LineFold* fold_ = nullptr;  ///< when folding: where the credits go instead of out_
  const RuleOutputs outputs_{rule_outputs(compiled_)};  ///< for folding
  Frame frame_;
  std::vector<std::uint32_t> where_lanes_;  ///< the lanes after the rule's leading test
  std::vector<std::size_t> slots_;          ///< per active lane: its period's first slot (folding)
  DayTable<std::int64_t> day_slots_{-1};    ///< per day: slot_of_day's, or -1
  const LineFold* day_slots_of_ = nullptr;  ///< the fold day_slots_ is of
  std::vector<std::int64_t> units_;         ///< per lane: the amount's units (folding)
  std::pair<std::size_t, SymbolId> last_unknown_{static_cast<std::size_t>(-1), 0};
  std::vector<SplitShare> splits_;
  PeriodLookup periods_{state_.model.calendar};
};

/// Above this many rows a rule is credited on two threads.
constexpr std::size_t kParallelRows = std::size_t{1} << 17;

/// Credits rule `r` on two threads: this one the first half of the rows
/// straight into the credit table, a helper the second half into a table of
/// its own that is then appended (each column freed once appended), so the
/// table is what one pass writes. Only rules that report nothing along the way qualify
/// (no split shares to check together, no currency conversion); at the first
/// data error or fault the halves are dropped and false returned, and the
/// caller credits the rule in one pass, which reports it as usual.
bool credit_in_halves(RunState& state, std::size_t r, const ManagerChains& chains) {
  const CompiledRule& compiled = state.plan.program.rules[r];
  const std::size_t rows = state.tables[compiled.source].rows;
  const bool splits = std::any_of(compiled.lines.begin(), compiled.lines.end(),
                                  [](const auto& l) { return l.kind == ast::CreditKind::split; });
  if (rows < kParallelRows || splits || reads_exchange_rates(compiled.chunk) ||
      interns_text(compiled.chunk) || !state.two_threads())
    return false;
  const std::size_t middle = rows / 2 / kBatchSize * kBatchSize;
  RuleCrediting first(state, r, chains, /*probe=*/true);
  RuleCrediting second(state, r, chains, /*probe=*/true);
  // Room for all the second half may write: memory not written stays
  // virtual, and vectors this large are mapped on their own, so each is
  // handed back to the system as soon as it is appended.
  CreditTable later;
  if (!state.budget.charge_memory((rows - middle) * compiled.lines.size() * credit_bytes()))
    return false;
  later.reserve((rows - middle) * compiled.lines.size());
  std::thread helper;
  try {
    helper =
        std::thread([&] { state.budget.run_guarded([&] { second.run(middle, rows, later); }); });
  } catch (const std::system_error&) {
    return false;  // no thread to be had: one pass
  }
  const std::size_t before = state.credits.size();
  first.run(0, middle, state.credits);
  helper.join();
  if (first.trouble() || second.trouble() || state.budget.stopped()) {
    state.credits.retain([&](std::size_t c) { return c < before; });
    return false;
  }
  state.credits.append_and_release(std::move(later));
  return true;
}
}  // namespace

namespace {

void intern_kind_symbols(RunState& state) {
  for (int k = 0; k < ast::kCreditKinds; ++k)
    state.kind_symbols[k] =
        state.symbols.intern(ast::credit_kind_name(static_cast<ast::CreditKind>(k)));
}

}  // namespace

bool credits_in_slices(const RunState& state) {
  const Program& program = state.plan.program;
  if (program.rules.empty()) return false;
  const int source = program.rules.front().source;
  return std::all_of(program.rules.begin(), program.rules.end(), [&](const CompiledRule& rule) {
    return rule.source == source && !reads_exchange_rates(rule.chunk) &&
           std::none_of(rule.lines.begin(), rule.lines.end(),
                        [](const auto& l) { return l.kind == ast::CreditKind::split; });
  });
}

SlicedCrediting credit_in_slices(RunState& state, std::size_t slice_rows,
                                 const std::function<bool()>& fold) {
  intern_kind_symbols(state);
  const ManagerChains chains(state);
  const Program& program = state.plan.program;
  const std::size_t rows = state.tables[program.rules.front().source].rows;
  std::size_t lines = 0;
  for (const CompiledRule& rule : program.rules) lines += rule.lines.size();
  slice_rows = std::max(kBatchSize, slice_rows / kBatchSize * kBatchSize);
  const std::size_t slices = (rows + slice_rows - 1) / slice_rows;
  // Two threads take the slices in turns, each crediting its slice while the
  // other folds; the folds run one at a time and in slice order, so the
  // totals are those of one thread.
  // A fold on one thread runs beside crediting on the other: neither may
  // add text to the symbol table.
  const bool text_added =
      std::any_of(program.rules.begin(), program.rules.end(),
                  [](const CompiledRule& r) { return interns_text(r.chunk); }) ||
      std::any_of(program.aggregates.begin(), program.aggregates.end(),
                  [](const CompiledAggregate& a) { return interns_text(a.chunk); });
  const std::size_t workers = slices > 1 && state.two_threads() && !text_added ? 2 : 1;
  const std::size_t room = std::min(rows, slice_rows) * lines;
  if (!state.budget.charge_memory(workers * room * credit_bytes())) return SlicedCrediting::stopped;
  struct Worker {
    std::vector<RuleCrediting> rules;  // probes: they report nothing
    CreditTable credits;               // the slice's, written where the slice before wrote
  };
  // Only the aggregates read a slice's credits: unless one reads
  // credit.share or credit.date, the slices leave those columns (and the
  // line) unwritten.
  const bool lean =
      std::none_of(program.aggregates.begin(), program.aggregates.end(), [](const auto& a) {
        return std::any_of(a.chunk.code.begin(), a.chunk.code.end(), [](const Instr& in) {
          return in.op == OpCode::LOAD_CREDIT &&
                 (in.k == static_cast<std::uint32_t>(CreditAttr::share) ||
                  in.k == static_cast<std::uint32_t>(CreditAttr::date));
        });
      });
  std::vector<Worker> crew(workers);
  for (Worker& worker : crew) {
    worker.rules.reserve(program.rules.size());
    for (std::size_t r = 0; r < program.rules.size(); ++r)
      worker.rules.emplace_back(state, r, chains, /*probe=*/true);
    worker.credits.lean = lean;
    worker.credits.reserve(room);
  }
  std::mutex turns;
  std::condition_variable turned;
  std::size_t step = crew.size();  // a worker's slices are k, k + step, ...
  std::size_t next_fold = 0;       // the slice whose fold is next
  bool trouble = false;            // a data error, a fault or a fold's error
  bool stop = false;               // every worker stops at its next slice
  auto halt = [&](bool redo) {
    const std::lock_guard<std::mutex> lock(turns);
    trouble = trouble || redo;
    stop = true;
    turned.notify_all();
  };
  auto work = [&](std::size_t w) {
    Worker& worker = crew[w];
    for (std::size_t k = w; k < slices; k += step) {
      const std::size_t lo = k * slice_rows;
      worker.credits.clear();
      for (RuleCrediting& rule : worker.rules) {
        rule.run(lo, std::min(rows, lo + slice_rows), worker.credits);
        if (rule.trouble()) return halt(true);
      }
      std::unique_lock<std::mutex> lock(turns);
      turned.wait(lock, [&] { return stop || next_fold == k; });
      if (stop) return;
      std::swap(state.credits, worker.credits);
      const bool folded = fold();
      std::swap(state.credits, worker.credits);
      // A fold's error is reported by the whole run instead, after the data
      // errors that crediting every row would report first.
      trouble = trouble || !folded;
      stop = !folded;
      ++next_fold;
      turned.notify_all();
      if (!folded) return;
    }
  };
  auto guarded = [&](std::size_t w) {
    if (!state.budget.run_guarded([&] { work(w); })) halt(false);
  };
  std::thread helper = step == 2 ? thread_or_none([&] { guarded(1); }) : std::thread();
  if (!helper.joinable()) step = 1;  // this one takes every slice
  guarded(0);
  if (helper.joinable()) helper.join();
  state.credits = CreditTable{};
  if (state.budget.stopped()) return SlicedCrediting::stopped;
  return trouble ? SlicedCrediting::redo_whole : SlicedCrediting::done;
}

SlicedCrediting fold_lines_in_slices(RunState& state, std::size_t slice_rows,
                                     const std::vector<LineFold*>& folds) {
  intern_kind_symbols(state);
  const ManagerChains chains(state);
  const Program& program = state.plan.program;
  const std::size_t rows = state.tables[program.rules.front().source].rows;
  slice_rows = std::max(kBatchSize, slice_rows / kBatchSize * kBatchSize);
  const std::size_t slices = (rows + slice_rows - 1) / slice_rows;
  // No credit is kept and each thread folds into totals of its own, so the
  // threads take the next slice as they come free. Rules that make text
  // run on one thread (the symbol table is not shared).
  const bool text_added = std::any_of(program.rules.begin(), program.rules.end(),
                                      [](const CompiledRule& r) { return interns_text(r.chunk); });
  const std::size_t workers =
      slices > 1 && state.two_threads() && !text_added ? std::min<std::size_t>(folds.size(), 2) : 1;
  std::vector<std::vector<RuleCrediting>> crews(workers);
  for (auto& rules : crews) {
    rules.reserve(program.rules.size());
    for (std::size_t r = 0; r < program.rules.size(); ++r)
      rules.emplace_back(state, r, chains, /*probe=*/true);
  }
  std::atomic<std::size_t> next_slice{0};
  std::atomic<bool> trouble{false};  // a data error or a fault: the run is folded whole
  auto work = [&](std::size_t w) {
    for (std::size_t k = next_slice++; k < slices && !trouble; k = next_slice++) {
      const std::size_t lo = k * slice_rows;
      for (RuleCrediting& rule : crews[w]) {
        rule.fold(lo, std::min(rows, lo + slice_rows), *folds[w]);
        if (rule.trouble()) {
          trouble = true;
          return;
        }
      }
    }
  };
  auto guarded = [&](std::size_t w) {
    if (!state.budget.run_guarded([&] { work(w); })) trouble = true;
  };
  // Without a second thread this one takes every slice.
  std::thread helper = workers == 2 ? thread_or_none([&] { guarded(1); }) : std::thread();
  guarded(0);
  if (helper.joinable()) helper.join();
  if (state.budget.stopped()) return SlicedCrediting::stopped;
  return trouble ? SlicedCrediting::redo_whole : SlicedCrediting::done;
}

void credit_transactions(RunState& state) {
  intern_kind_symbols(state);
  const ManagerChains chains(state);
  // Room for a credit per row and line: memory not written to stays virtual.
  std::size_t expected = 0;
  for (const CompiledRule& rule : state.plan.program.rules)
    expected += state.tables[rule.source].rows * rule.lines.size();
  if (!state.budget.charge_memory(expected * credit_bytes())) return;
  state.credits.reserve(expected);
  for (std::size_t r = 0; r < state.plan.program.rules.size(); ++r) {
    if (state.budget.should_stop()) return;
    if (!credit_in_halves(state, r, chains) && !state.budget.stopped()) {
      RuleCrediting rule(state, r, chains);
      rule.run(0, state.tables[state.plan.program.rules[r].source].rows, state.credits);
    }
    if (!state.errors.empty()) return;
  }
}

}  // namespace tally
