#include "interpreter/explain.hpp"

#include "interpreter/api_guard.hpp"

#include "tally/explain.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compiler.hpp"
#include "interpreter/credit_runs.hpp"
#include "interpreter/runtime/spelling.hpp"
#include "interpreter/value_format.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

namespace {

/// Runs `chunk` on one lane, payee `payee`, in the run's environment `env`
/// for the period being explained; the fault's message, or nullopt.
std::optional<std::string> run_for_payee(const Chunk& chunk, const VmEnv& env, std::int32_t payee,
                                         SymbolTable& symbols, Frame& frame) {
  const InternedConstants interned = intern_constants(chunk, symbols);
  VmEnv one = env;
  one.interned = &interned;
  one.payee_base = static_cast<std::size_t>(payee);
  frame.reset(chunk, 1);
  if (auto fault = Vm::run(chunk, frame, one)) return fault->message;
  return std::nullopt;
}

/// The expression as written, on one line.
std::string written(const PlanModel& model, const ast::Expr& e) {
  const std::string_view text = ast::span_text(model.ast, e.span);
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool is_literal(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::number:
    case ast::ExprKind::percent:
    case ast::ExprKind::money:
    case ast::ExprKind::date:
    case ast::ExprKind::period:
    case ast::ExprKind::string:
    case ast::ExprKind::boolean:
    case ast::ExprKind::set:
    case ast::ExprKind::range:
    case ast::ExprKind::null:
      return true;
    case ast::ExprKind::unary:
      return !e.args.empty() && e.op == ast::Op::neg && is_literal(*e.args[0]);
    default:
      return false;
  }
}

/// The key of a source row as text (its key field), or its row number.
std::string transaction_id(const RunState& state, int source, std::size_t row) {
  const auto& fields = state.model.sources[static_cast<std::size_t>(source)].schema.fields;
  const Table& table = state.tables[static_cast<std::size_t>(source)];
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (!fields[f].key) continue;
    const Column& column = table.columns[f];
    if (reg_type_of(column.type) == RegType::symbol)
      return std::string(state.text(column.symbols[row]));
    if (reg_type_of(column.type) == RegType::integer) return std::to_string(column.ints[row]);
  }
  return "row " + std::to_string(table.file_row(row));
}

bool carried_cap(const ast::PayoutDecl& decl) {
  return decl.cap_defer || decl.cap_per == "year";
}
bool carried_floor(const ast::PayoutDecl& decl) {
  return decl.floor_per == "year";
}

/// The roster index of the payee whose id is `id` (empty: the first), or -1.
std::int32_t roster_index(const RunState& state, const std::string& id) {
  if (id.empty()) return 0;
  const auto symbol = state.symbols.find(id);
  return symbol && *symbol < state.payee_of_symbol.size() ? state.payee_of_symbol[*symbol] : -1;
}

/// Builds the tree of one request from the registers of the explain chunk,
/// run for one payee (lane 0).
class TreeBuilder {
 public:
  TreeBuilder(RunState& state, const Chunk& chunk, const Frame& frame,
              const std::unordered_map<const ast::Expr*, std::uint16_t>& trace,
              const std::unordered_map<int, Constant>& known, ExplainCredits& credits,
              std::int32_t payee, std::size_t period)
      : state_(state),
        m_(state.model),
        chunk_(chunk),
        frame_(frame),
        trace_(trace),
        known_(known),
        credits_(credits),
        payee_(payee),
        period_(period) {}

  std::string value_of(const ast::Expr& e) const {
    auto it = trace_.find(&e);
    if (it == trace_.end()) return {};
    return register_text(frame_.reg(it->second), 0, m_.info_of(e).type, state_.symbols, m_.calendar,
                         TextStyle::quoted);
  }
  std::string reg_text(std::uint16_t reg, const Type& type) const {
    return register_text(frame_.reg(reg), 0, type, state_.symbols, m_.calendar, TextStyle::quoted);
  }
  bool bool_of(const ast::Expr& e) const {
    auto it = trace_.find(&e);
    return it != trace_.end() && frame_.reg(it->second).type == RegType::boolean &&
           frame_.reg(it->second).bools[0] != 0;
  }

  /// The node of a value (measure or let), expanded the first time only.
  ExplainNode value_node(int index, std::string label, std::string value) {
    const ValueModel& v = m_.values[static_cast<std::size_t>(index)];
    ExplainNode node;
    node.label = std::move(label);
    node.value = std::move(value);
    node.note = v.decl->is_measure ? "measure" : "let";
    if (auto k = known_.find(index); k != known_.end()) {
      node.note = "constant";
      if (node.value.empty()) node.value = constant_text(k->second, v.type, m_.calendar);
      return node;
    }
    if (!expanded_.insert(index).second) {
      node.note += ", shown above";
      return node;
    }
    if (v.decl->value) {
      ExplainNode body = expr(*v.decl->value, true);
      // `measure bookings = sum(...)`: the sum is the measure; show its parts directly.
      if (body.value == node.value && m_.info_of(*v.decl->value).binding == Binding::aggregate) {
        node.note += ": " + body.label + (body.note.empty() ? "" : ", " + body.note);
        node.children = std::move(body.children);
      } else {
        node.children.push_back(std::move(body));
      }
    }
    return node;
  }

  ExplainNode expr(const ast::Expr& e, bool evaluated) {
    ExplainNode node;
    node.label = written(m_, e);
    if (!evaluated) {
      node.note = "not evaluated";
      return node;
    }
    node.value = value_of(e);
    const ExprInfo& info = m_.info_of(e);
    switch (info.binding) {
      case Binding::value:
        return value_node(info.index, node.label, node.value);
      case Binding::aggregate:
        credits(node, info.index);
        return node;
      case Binding::table_call:
        node.note = "table `" + m_.tables[static_cast<std::size_t>(info.index)].decl->name + "`";
        return node;
      case Binding::payee_field:
      case Binding::payee_variable:
        node.note = "roster";
        return node;
      default:
        break;
    }
    if (e.kind == ast::ExprKind::binary && (e.op == ast::Op::and_ || e.op == ast::Op::or_)) {
      node.children.push_back(expr(*e.args[0], true));
      const bool left = bool_of(*e.args[0]);
      node.children.push_back(expr(*e.args[1], e.op == ast::Op::and_ ? left : !left));
      return node;
    }
    if (e.kind == ast::ExprKind::unless) {
      node.children.push_back(expr(*e.args[0], true));
      for (std::size_t i = 1; i + 1 < e.args.size(); i += 2) {
        node.children.push_back(expr(*e.args[i], true));
        node.children.push_back(expr(*e.args[i + 1], bool_of(*e.args[i])));
      }
      return node;
    }
    for (const auto& arg : e.args) {
      if (!arg || is_literal(*arg)) continue;
      const ExprInfo* arg_info = m_.info.count(arg.get()) ? &m_.info_of(*arg) : nullptr;
      if (arg_info &&
          (arg_info->binding == Binding::rates_table ||
           arg_info->binding == Binding::rounding_mode ||
           arg_info->binding == Binding::table_name || arg_info->binding == Binding::period))
        continue;
      if (info.binding == Binding::table_call) continue;
      node.children.push_back(expr(*arg, true));
    }
    if (e.kind == ast::ExprKind::call && info.binding == Binding::library_call &&
        static_cast<LibraryId>(info.index) == LibraryId::apply)
      tiers(node, e);
    return node;
  }

  /// The credits of this payee and period that the aggregate took in, in
  /// the order of the run's credit table.
  void credits(ExplainNode& node, int index) {
    const CompiledAggregate& aggregate =
        state_.plan.program.aggregates[static_cast<std::size_t>(index)];
    const CreditTable& all = state_.credits;
    if (state_.model.credited_source < 0) return;
    const InternedConstants interned = intern_constants(aggregate.chunk, state_.symbols);
    // The environment the aggregate ran in, so that its filter takes in
    // exactly the credits the run took in.
    VmEnv env = credits_env(state_, interned);
    // The chunk runs over consecutive lanes: this payee-period's credits of
    // each range are gathered into `picked`, and `from` maps them back.
    CreditTable picked;
    std::vector<std::size_t> from;
    env.credits = &picked;
    const auto mine = credits_.of(state_, payee_, period_);
    Frame frame;
    std::size_t count = 0;
    for (const CreditRun& run : credits_.runs(state_, static_cast<std::size_t>(index))) {
      from.clear();
      if (mine) {
        const auto first = std::lower_bound(mine->begin(), mine->end(), run.begin);
        from.assign(first, std::lower_bound(first, mine->end(), run.end));
      } else {
        for (std::size_t c = run.begin; c < run.end; ++c)
          if (all.payee[c] == payee_ && all.period[c] >= 0 &&
              static_cast<std::size_t>(all.period[c]) == period_)
            from.push_back(c);
      }
      if (from.empty()) continue;
      picked = CreditTable{};
      picked.reserve(from.size());
      for (const std::size_t c : from)
        picked.push(all.row[c], all.rule[c], all.line[c], all.payee[c], all.period[c], all.date[c],
                    all.kind[c], all.share_at(c), all.amount_at(c));
      env.rows = run.rows;
      for (std::size_t base = 0; base < from.size(); base += kBatchSize) {
        const std::size_t lanes = std::min(kBatchSize, from.size() - base);
        frame.reset(aggregate.chunk, lanes);
        env.credit_base = base;
        if (Vm::run(aggregate.chunk, frame, env)) {
          node.note = "its credits cannot be listed";
          return;
        }
        for (std::uint32_t lane : frame.active()) {
          const std::size_t c = from[base + lane];
          ++count;
          const std::size_t rule = all.rule[c];
          const int source = rule < m_.rules.size() ? m_.rules[rule].source : m_.credited_source;
          ExplainNode credit;
          credit.label = "credit " + transaction_id(state_, source, all.row[c]);
          const Type money = Type::money_in(m_.currency);
          if (aggregate.kind == AggregateKind::count)
            credit.value = format_with_unit(all.amount_at(c), money);
          else
            credit.value = lane_text_at(frame.reg(aggregate.value_reg), lane,
                                        m_.aggregates[static_cast<std::size_t>(index)].type);
          credit.note = "rule " + (rule < m_.rules.size() ? m_.rules[rule].decl->name : "?") +
                        ", " + std::string(ast::credit_kind_name(all.kind[c])) + ", share " +
                        percent_digits(all.share_at(c)) + "%, amount " +
                        format_with_unit(all.amount_at(c), money);
          node.children.push_back(std::move(credit));
        }
      }
    }
    node.note = std::to_string(count) + (count == 1 ? " credit" : " credits");
  }

  std::string lane_text_at(const Register& reg, std::uint32_t lane, const Type& type) const {
    switch (reg.type) {
      case RegType::integer:
        return std::to_string(reg.ints[lane]);
      case RegType::decimal:
        return format_with_unit(reg.decimals[lane], type);
      default:
        return {};
    }
  }

  /// The slices of `apply(rates, x, base: b)`, by the semantics of APPLY_RATES (vm.cpp).
  void tiers(ExplainNode& node, const ast::Expr& e) {
    auto it = trace_.find(&e);
    if (it == trace_.end()) return;
    const Instr* apply = nullptr;
    for (const Instr& in : chunk_.code)
      if (in.op == OpCode::APPLY_RATES && in.d == it->second) apply = &in;
    if (!apply) return;
    const RateTiers& t = chunk_.tiers[apply->k];
    const RatesModel* rates = nullptr;
    for (const RatesModel& r : m_.rates)
      if (!e.args.empty() && r.decl->name == e.args[0]->text) rates = &r;
    const Type bound_type = rates ? rates->bound_type : Type::of(Kind::decimal);
    const Type rate_type = rates ? rates->value_type : Type::of(Kind::percent);
    const Type amount_type = Type::money_in(m_.currency);
    const Decimal x = frame_.reg(apply->a).decimals[0];
    const Decimal scale = t.has_base ? frame_.reg(apply->b).decimals[0] : Decimal::from_int(1);
    for (std::size_t r = 0; r < t.rate.size(); ++r) {
      ExplainNode tier;
      tier.label = "tier " + format_with_unit(t.lower[r], bound_type) + ".." +
                   (t.has_upper[r] ? format_with_unit(t.upper[r], bound_type) : std::string()) +
                   " at " + format_with_unit(t.rate[r], rate_type);
      const Decimal low = t.lower[r] * scale;
      if (t.marginal) {
        Decimal top = x;
        if (t.has_upper[r] && t.upper[r] * scale < x) top = t.upper[r] * scale;
        if (low < top) {
          tier.value = format_with_unit(t.rate[r] * (top - low), amount_type);
          tier.note = "slice " + format_with_unit(top - low, amount_type);
        } else {
          tier.note = "not reached";
        }
      } else if (low <= x && (!t.has_upper[r] || x < t.upper[r] * scale)) {
        tier.value = format_with_unit(t.rate[r] * x, amount_type);
        tier.note = "reached: the rate applies to all of " + format_with_unit(x, amount_type);
      } else {
        tier.note = "not the tier reached";
      }
      node.children.push_back(std::move(tier));
    }
  }

 private:
  RunState& state_;
  const PlanModel& m_;
  const Chunk& chunk_;
  const Frame& frame_;
  const std::unordered_map<const ast::Expr*, std::uint16_t>& trace_;
  const std::unordered_map<int, Constant>& known_;
  ExplainCredits& credits_;
  std::int32_t payee_;
  std::size_t period_;
  std::set<int> expanded_;
};

/// `a, b or c`.
std::string either(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

/// At most `limit` names, then `… (N in all)`.
std::string listed(const std::vector<std::string>& names, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > limit) out += ", … (" + std::to_string(names.size()) + " in all)";
  return out;
}

std::string payee_hint(const std::string& payee, const std::vector<std::string>& payees) {
  const auto near = nearest_names(payee, payees, 3);
  if (!near.empty()) return "did you mean " + either(near) + "?";
  if (payees.empty()) return "the run has no payee";
  return "the run's payees are " + listed(payees, 10);
}

std::string period_hint(const std::string& period, const std::vector<std::string>& periods) {
  if (periods.empty()) return "the run pays no period";
  std::string hint = "the run pays " + listed(periods, 12);
  const auto near = nearest_names(period, periods, 1);
  if (!near.empty() && near[0] != period) hint = "did you mean " + near[0] + "? " + hint;
  return hint;
}

/// The plan's payouts, measures and lets, the nearest to `name` first.
std::string component_hint(const PlanModel& model, const std::string& name) {
  struct Named {
    std::string name;
    const char* kind;
    int distance;
  };
  std::vector<Named> all;
  for (const PayoutModel& p : model.payouts) all.push_back({p.decl->name, "payout", 0});
  for (const ValueModel& v : model.values)
    all.push_back({v.decl->name, v.decl->is_measure ? "measure" : "let", 0});
  if (all.empty()) return "the plan has no payout, measure or let";
  for (Named& n : all) n.distance = edit_distance(name, n.name);
  std::stable_sort(all.begin(), all.end(),
                   [](const Named& a, const Named& b) { return a.distance < b.distance; });
  std::vector<std::string> names;
  for (const Named& n : all) names.push_back(n.name + " (" + n.kind + ")");
  std::vector<std::string> plain;
  for (const Named& n : all) plain.push_back(n.name);
  const auto near = nearest_names(name, plain, 1);
  return (near.empty() ? std::string() : "did you mean `" + near[0] + "`? ") +
         "the plan's payouts, measures and lets, nearest first: " + listed(names, 12);
}

}  // namespace

std::vector<std::string> nearest_names(std::string_view word,
                                       const std::vector<std::string>& candidates,
                                       std::size_t limit) {
  const int allowed = std::max(1, static_cast<int>(word.size()) / 3);
  std::vector<std::pair<int, std::size_t>> near;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    // cheap reject: lengths alone already differ by more than allowed.
    const auto a = static_cast<int>(word.size());
    const auto b = static_cast<int>(candidates[i].size());
    if (a - b > allowed || b - a > allowed) continue;
    const int distance = edit_distance(word, candidates[i]);
    if (distance <= allowed) near.emplace_back(distance, i);
  }
  std::stable_sort(near.begin(), near.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < near.size() && out.size() < limit; ++i)
    out.push_back(candidates[near[i].second]);
  return out;
}

void ExplainCredits::reset() {
  *this = ExplainCredits{};
}

void ExplainCredits::want(const RunState& state, std::int32_t payee, std::size_t period) {
  if (bucket_of_slot_.empty()) {
    periods_ = state.periods.size();
    bucket_of_slot_.assign(state.payee_count() * periods_, -1);
  }
  if (payee < 0 || static_cast<std::size_t>(payee) >= state.payee_count() || period >= periods_)
    return;
  std::int32_t& bucket = bucket_of_slot_[static_cast<std::size_t>(payee) * periods_ + period];
  if (bucket < 0) {
    bucket = static_cast<std::int32_t>(offsets_.size());
    offsets_.push_back(0);
  }
}

void ExplainCredits::build(const RunState& state) {
  built_ = true;
  const CreditTable& credits = state.credits;
  if (credits.size() > std::numeric_limits<std::uint32_t>::max()) {
    bucket_of_slot_.clear();  // every lookup scans
    return;
  }
  auto bucket_of = [&](std::size_t c) -> std::int32_t {
    const std::int32_t payee = credits.payee[c];
    const std::int32_t period = credits.period[c];
    if (payee < 0 || period < 0 || static_cast<std::size_t>(period) >= periods_) return -1;
    const std::size_t slot =
        static_cast<std::size_t>(payee) * periods_ + static_cast<std::size_t>(period);
    return slot < bucket_of_slot_.size() ? bucket_of_slot_[slot] : -1;
  };
  // A counting sort: sizes, then starts, then every credit in its bucket in
  // ascending order.
  const std::size_t buckets = offsets_.size();
  offsets_.assign(buckets + 1, 0);
  for (std::size_t c = 0; c < credits.size(); ++c)
    if (const std::int32_t b = bucket_of(c); b >= 0) ++offsets_[static_cast<std::size_t>(b) + 1];
  for (std::size_t b = 0; b < buckets; ++b) offsets_[b + 1] += offsets_[b];
  indices_.resize(offsets_[buckets]);
  std::vector<std::size_t> next(offsets_.begin(), offsets_.end() - 1);
  for (std::size_t c = 0; c < credits.size(); ++c)
    if (const std::int32_t b = bucket_of(c); b >= 0)
      indices_[next[static_cast<std::size_t>(b)]++] = static_cast<std::uint32_t>(c);
}

std::optional<std::span<const std::uint32_t>> ExplainCredits::of(const RunState& state,
                                                                 std::int32_t payee,
                                                                 std::size_t period) {
  if (!built_) build(state);
  if (payee < 0 || period >= periods_) return std::nullopt;
  const std::size_t slot = static_cast<std::size_t>(payee) * periods_ + period;
  if (slot >= bucket_of_slot_.size() || bucket_of_slot_[slot] < 0) return std::nullopt;
  const auto b = static_cast<std::size_t>(bucket_of_slot_[slot]);
  return std::span<const std::uint32_t>(indices_.data() + offsets_[b],
                                        offsets_[b + 1] - offsets_[b]);
}

const std::vector<CreditRun>& ExplainCredits::runs(const RunState& state, std::size_t a) {
  if (runs_.size() <= a) runs_.resize(a + 1);
  if (!runs_[a]) runs_[a] = credit_runs(state, a);
  return *runs_[a];
}

ExplainInspector::ExplainInspector(const Plan& plan) {
  const PlanModel& model = *plan.model;
  known_ = fold_constant_lets(model);
  chunk_.name = "explain";
  std::vector<Unsupported> unsupported;
  ChunkCompiler compiler(model, chunk_, &unsupported, &known_);
  compiler.trace = &trace_;
  // The same values and payouts as compile_payouts (compile_payouts.cpp),
  // keeping the register of every step.
  // measures and cumulative values on every lane, other lets where
  // a payout needs them (as compile_payouts does).
  std::vector<int> everywhere = plan.program.payouts.cumulative_values;
  for (std::size_t v = 0; v < model.values.size(); ++v)
    if (model.values[v].decl->is_measure) everywhere.push_back(static_cast<int>(v));
  compiler.compile_values(everywhere, {});
  value_regs_ = compiler.value_regs;
  const auto base_trace = trace_;
  const Constant quantum{RegType::decimal, false, 0, model.rounding_quantum, {}, {}, {}};
  for (const PayoutModel& payout : model.payouts) {
    const ast::PayoutDecl& decl = *payout.decl;
    PayoutRegs regs;
    // each payout from the values computed for every payee.
    compiler.value_regs = value_regs_;
    trace_ = base_trace;
    compiler.compile_values_read_by({decl.for_role.get()});
    if (decl.for_role) regs.guard = compiler.expr(*decl.for_role);
    if (decl.when) {
      if (regs.guard) {
        compiler.select_true(*regs.guard, decl.when->span);
        compiler.compile_values_read_by({decl.when.get()});
        const auto when = compiler.expr(*decl.when);
        compiler.select_pop(decl.when->span);
        regs.guard =
            compiler.op3(OpCode::AND, RegType::boolean, *regs.guard, when, decl.when->span);
      } else {
        compiler.compile_values_read_by({decl.when.get()});
        regs.guard = compiler.expr(*decl.when);
      }
    }
    if (regs.guard) compiler.select_true(*regs.guard, decl.span);
    compiler.value_regs = value_regs_;  // lets of the guard's branches hold only there
    compiler.compile_values_read_by({decl.value.get(), decl.cap.get(), decl.floor.get()});
    regs.value = compiler.as_decimal(compiler.expr(*decl.value), decl.span);
    auto amount = regs.value;
    regs.before_cap = amount;
    // A yearly or deferred cap, a yearly floor and a payment plan carry
    // over periods: the run applies them after the chunk (payouts.cpp).
    if (decl.cap) {
      regs.cap = compiler.as_decimal(compiler.expr(*decl.cap), decl.cap->span);
      if (!carried_cap(decl))
        amount = compiler.op3(OpCode::MIN_DEC, RegType::decimal, amount, *regs.cap, decl.cap->span);
    }
    regs.before_floor = amount;
    if (decl.floor) {
      regs.floor = compiler.as_decimal(compiler.expr(*decl.floor), decl.floor->span);
      if (!carried_floor(decl))
        amount =
            compiler.op3(OpCode::MAX_DEC, RegType::decimal, amount, *regs.floor, decl.floor->span);
    }
    regs.before_round = amount;
    const auto q = compiler.constant(quantum, decl.span);
    regs.amount = compiler.op3(OpCode::ROUND_DEC, RegType::decimal, amount, q, decl.span,
                               static_cast<std::uint32_t>(model.rounding));
    if (regs.guard) compiler.select_pop(decl.span);
    payout_regs_.push_back(regs);
    payout_traces_.push_back(trace_);
  }
  trace_ = base_trace;
  compiled_ = unsupported.empty() && !chunk_.too_large;
}

std::size_t ExplainInspector::request(std::string payee, Period period, bool payout, int index) {
  Request r;
  r.payee = std::move(payee);
  r.period = period;
  r.payout = payout;
  r.index = index;
  requests_.push_back(std::move(r));
  return requests_.size() - 1;
}

std::vector<std::string> ExplainInspector::payees_read() const {
  std::vector<std::string> payees;
  for (const Request& r : requests_) {
    if (r.payee.empty()) return {};
    if (std::find(payees.begin(), payees.end(), r.payee) == payees.end()) payees.push_back(r.payee);
  }
  return payees;
}

std::size_t ExplainInspector::request_expression(
    std::string payee, std::optional<Period> period, const ast::Expr* expr,
    std::unordered_map<const ast::Expr*, Constant> given) {
  Request r;
  r.payee = std::move(payee);
  r.period = period.value_or(Period{});
  r.any_period = !period;
  r.expr = expr;
  r.given = std::move(given);
  requests_.push_back(std::move(r));
  return requests_.size() - 1;
}

void ExplainInspector::explain_expression(Request& r, RunState& state, std::size_t period,
                                          const VmEnv& env, std::int32_t payee) {
  const PlanModel& model = state.model;
  Chunk chunk;
  chunk.name = "explain";
  std::unordered_map<const ast::Expr*, std::uint16_t> trace;
  std::vector<Unsupported> unsupported;
  ChunkCompiler compiler(model, chunk, &unsupported, &known_);
  compiler.trace = &trace;
  compiler.given = &r.given;
  const auto reg = compiler.expr(*r.expr);
  if (!unsupported.empty() || chunk.too_large) {
    r.why_not = "cannot compute " +
                (unsupported.empty() ? std::string("it") : unsupported[0].what) + " in a test yet";
    return;
  }
  Frame frame;
  if (auto fault = run_for_payee(chunk, env, payee, state.symbols, frame)) {
    r.why_not = *fault;
    return;
  }
  r.value = register_constant(frame.reg(reg), state.symbols);
  TreeBuilder builder(state, chunk, frame, trace, known_, credits_, payee, period);
  r.tree = builder.expr(*r.expr, true);
}

const ExplainNode* ExplainInspector::tree(std::size_t slot) const {
  const auto& tree = requests_[slot].tree;
  return tree ? &*tree : nullptr;
}

const std::optional<Constant>& ExplainInspector::value(std::size_t slot) const {
  return requests_[slot].value;
}

const std::string& ExplainInspector::why_not(std::size_t slot) const {
  return requests_[slot].why_not;
}

const std::string& ExplainInspector::hint(std::size_t slot) const {
  return requests_[slot].hint;
}

void ExplainInspector::want_credits(const RunState& state) {
  credits_.reset();
  for (const Request& r : requests_) {
    const std::int32_t payee = roster_index(state, r.payee);
    if (payee < 0) continue;
    for (std::size_t p = 0; p < state.periods.size(); ++p)
      if (r.any_period || state.periods[p] == r.period) credits_.want(state, payee, p);
  }
  credits_.prepare();
}

void ExplainInspector::payouts_ran(RunState& state, std::size_t period, const VmEnv& env,
                                   std::size_t base, std::size_t lanes) {
  const PlanModel& model = state.model;
  if (!credits_.prepared()) want_credits(state);
  for (Request& r : requests_) {
    if (r.seen || (!r.any_period && state.periods[period] != r.period)) continue;
    const std::int32_t payee = roster_index(state, r.payee);
    if (payee < 0 || static_cast<std::size_t>(payee) < base ||
        static_cast<std::size_t>(payee) >= base + lanes)
      continue;
    r.seen = true;
    // a let computed only under the payouts that use it is
    // computed here on its own for this payee (a fault says why it cannot be).
    const bool let_alone =
        !r.expr && !r.payout && !known_.count(r.index) && !value_regs_.count(r.index);
    if (let_alone) r.expr = model.values[static_cast<std::size_t>(r.index)].decl->value.get();
    if (r.expr) {
      explain_expression(r, state, period, env, payee);
      if (let_alone && r.value && r.tree) {  // the let's own line above its expression
        const ValueModel& v = model.values[static_cast<std::size_t>(r.index)];
        ExplainNode root;
        root.label =
            v.decl->name + "(" + r.payee + ", " + period_label(r.period, model.calendar) + ")";
        root.value = constant_text(*r.value, v.type, model.calendar);
        root.note = "let";
        root.children.push_back(std::move(*r.tree));
        r.tree = std::move(root);
      }
      continue;
    }
    if (!compiled_) {
      r.why_not = "this plan's payouts cannot be explained yet";
      continue;
    }
    Frame frame;
    if (auto fault = run_for_payee(chunk_, env, payee, state.symbols, frame)) {
      r.why_not = *fault;
      continue;
    }
    TreeBuilder builder(state, chunk_, frame,
                        r.payout ? payout_traces_[static_cast<std::size_t>(r.index)] : trace_,
                        known_, credits_, payee, period);
    const std::string label =
        (r.payout ? model.payouts[static_cast<std::size_t>(r.index)].decl->name
                  : model.values[static_cast<std::size_t>(r.index)].decl->name) +
        "(" + r.payee + ", " + period_label(r.period, model.calendar) + ")";
    if (!r.payout) {
      const ValueModel& v = model.values[static_cast<std::size_t>(r.index)];
      if (auto k = known_.find(r.index); k != known_.end()) {
        r.value = k->second;
      } else {
        r.value = register_constant(frame.reg(value_regs_.at(r.index)), state.symbols);
      }
      r.tree = builder.value_node(r.index, label, constant_text(*r.value, v.type, model.calendar));
      continue;
    }
    const ast::PayoutDecl& decl = *model.payouts[static_cast<std::size_t>(r.index)].decl;
    const PayoutRegs& regs = payout_regs_[static_cast<std::size_t>(r.index)];
    const Type money = Type::money_in(model.currency);
    ExplainNode root;
    root.label = label;
    root.note = "payout";
    const bool applies = !regs.guard || frame.reg(*regs.guard).bools[0] != 0;
    if (decl.for_role) {
      ExplainNode guard = builder.expr(*decl.for_role, true);
      guard.note = guard.note.empty() ? "for role" : "for role; " + guard.note;
      root.children.push_back(std::move(guard));
    }
    if (decl.when) {
      ExplainNode when =
          builder.expr(*decl.when, !decl.for_role || builder.bool_of(*decl.for_role));
      when.note = when.note.empty() ? "when" : "when; " + when.note;
      root.children.push_back(std::move(when));
    }
    Constant amount;
    amount.type = RegType::decimal;
    if (!applies) {
      root.value = format_with_unit(Decimal{}, money);
      root.note = "payout: does not apply to this payee in this period";
      r.value = amount;
      r.tree = std::move(root);
      continue;
    }
    root.children.push_back(builder.expr(*decl.value, true));
    if (decl.cap) {
      ExplainNode cap = builder.expr(*decl.cap, true);
      const bool bound = frame.reg(*regs.cap).decimals[0] < frame.reg(regs.before_cap).decimals[0];
      cap.label = "cap " + cap.label;
      cap.note = carried_cap(decl) ? "carried over the year: the run applies it"
                 : bound ? "bound: " + builder.reg_text(regs.before_cap, money) + " is capped"
                         : "not reached";
      root.children.push_back(std::move(cap));
    }
    if (decl.floor) {
      ExplainNode floor = builder.expr(*decl.floor, true);
      const bool bound =
          frame.reg(regs.before_floor).decimals[0] < frame.reg(*regs.floor).decimals[0];
      floor.label = "floor " + floor.label;
      floor.note = carried_floor(decl) ? "over the year: the run applies it"
                   : bound ? "bound: " + builder.reg_text(regs.before_floor, money) + " is raised"
                           : "not reached";
      root.children.push_back(std::move(floor));
    }
    ExplainNode rounding;
    rounding.label = "rounded " + std::string(rounding_mode_name(model.rounding)) + " to " +
                     model.rounding_quantum.to_string();
    rounding.value = builder.reg_text(regs.amount, money);
    rounding.note = "from " + frame.reg(regs.before_round).decimals[0].to_string();
    root.children.push_back(std::move(rounding));
    amount.decimal = frame.reg(regs.amount).decimals[0];
    root.value = format_with_unit(amount.decimal, money);
    if (carried_cap(decl) || carried_floor(decl) || decl.pay_min || decl.pay_max)
      root.note = "payout, before what carries over periods (yearly cap or floor, payment plan)";
    r.value = amount;
    r.tree = std::move(root);
  }
}

void ExplainInspector::finished(RunState& state) {
  credits_.reset();  // every tree is built: the index is of no more use
  // The periods the run pays (those before first_paid only carry state).
  std::vector<std::string> periods;
  for (std::size_t p = state.first_paid; p < state.periods.size(); ++p)
    periods.push_back(period_label(state.periods[p], state.model.calendar));
  std::vector<std::string> payees;
  for (Request& r : requests_) {
    if (r.seen) continue;
    const bool paid =
        std::find(state.periods.begin() + static_cast<std::ptrdiff_t>(state.first_paid),
                  state.periods.end(), r.period) != state.periods.end();
    if (paid) {
      if (payees.empty())
        for (std::size_t p = 0; p < state.payee_count(); ++p)
          payees.emplace_back(state.payee_id(static_cast<std::int32_t>(p)));
      r.why_not = "\"" + r.payee + "\" is not a payee of the run";
      r.hint = payee_hint(r.payee, payees);
    } else {
      const std::string label = period_label(r.period, state.model.calendar);
      r.why_not = label + " is not a period of the run";
      r.hint = period_hint(label, periods);
    }
  }
}

std::string render_explain(const ExplainNode& root) {
  std::string out;
  std::vector<std::pair<const ExplainNode*, int>> stack{{&root, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    out += std::string(static_cast<std::size_t>(depth) * 2, ' ') + node->label;
    if (!node->value.empty()) out += " = " + node->value;
    if (!node->note.empty()) out += "  (" + node->note + ")";
    out += "\n";
    for (auto it = node->children.rbegin(); it != node->children.rend(); ++it)
      stack.emplace_back(&*it, depth + 1);
  }
  return out;
}

}  // namespace tally

namespace tally {

namespace {

Explanation failed_explanation(std::string text, std::string hint = {}) {
  Explanation out;
  Message m;
  m.text = std::move(text);
  m.hint = std::move(hint);
  m.rendered = "error: " + m.text + (m.hint.empty() ? "" : "\nhint: " + m.hint);
  out.messages.push_back(std::move(m));
  return out;
}

}  // namespace

std::vector<Explanation> explain_in_one_run(const Engine& engine, const Plan& plan,
                                            const RunOptions& options,
                                            const std::vector<ExplainRequest>& requests,
                                            RunResult* run_out) {
  const PlanModel& model = *plan.model;
  std::vector<Explanation> out(requests.size());
  ExplainInspector inspector(plan);
  std::vector<std::optional<std::size_t>> slots(requests.size());
  for (std::size_t r = 0; r < requests.size(); ++r) {
    const ExplainRequest& request = requests[r];
    const auto when = parse_period(request.period, model.calendar);
    if (!when) {
      out[r] = failed_explanation("\"" + request.period +
                                  "\" is not a period of this plan (periods look like " +
                                  (model.calendar.fiscal ? "FY2027-Q1)" : "2026-Q1)"));
      continue;
    }
    int index = -1;
    bool is_payout = false;
    for (std::size_t i = 0; i < model.payouts.size(); ++i)
      if (model.payouts[i].decl->name == request.name) {
        index = static_cast<int>(i);
        is_payout = true;
      }
    for (std::size_t i = 0; index < 0 && i < model.values.size(); ++i)
      if (model.values[i].decl->name == request.name) index = static_cast<int>(i);
    if (index < 0) {
      const bool draw = std::any_of(model.draws.begin(), model.draws.end(), [&](const auto& d) {
        return d.decl && d.decl->name == request.name;
      });
      out[r] = draw ? failed_explanation(
                          "`" + request.name + "` is a draw, which explain cannot derive yet",
                          "its amount is in the payee's whole pay (explain without a component)")
                    : failed_explanation(
                          "the plan has no payout, measure or let called `" + request.name + "`",
                          component_hint(model, request.name));
      continue;
    }
    slots[r] = inspector.request(request.payee, *when, is_payout, index);
  }
  RunOptions run_options = options;
  run_options.inspector = &inspector;
  RunResult run = engine.run(plan, run_options);
  for (std::size_t r = 0; r < requests.size(); ++r) {
    if (!slots[r]) continue;
    if (!run.ok) {
      out[r].messages = run.messages;
      continue;
    }
    const ExplainNode* tree = inspector.tree(*slots[r]);
    if (!tree) {
      out[r] = failed_explanation(inspector.why_not(*slots[r]), inspector.hint(*slots[r]));
      continue;
    }
    out[r].ok = true;
    out[r].root = *tree;
    out[r].text = render_explain(out[r].root);
  }
  if (run_out) *run_out = std::move(run);
  return out;
}

Explanation Engine::explain(const Plan& plan, const RunOptions& options, const std::string& payee,
                            const std::string& period, const std::string& name) const {
  return without_exceptions<Explanation>("explaining " + name, [&] {
    return explain_many(plan, options, {{payee, period, name}}).front();
  });
}

std::vector<Explanation> Engine::explain_many(const Plan& plan, const RunOptions& options,
                                              const std::vector<ExplainRequest>& requests) const {
  try {
    return explain_in_one_run(*this, plan, options, requests, nullptr);
  } catch (...) {  // no exception reaches the host (api_guard.hpp)
    const Message error = internal_error_message("explaining");
    std::vector<Explanation> failed(requests.size());
    for (Explanation& e : failed) e.messages.push_back(error);
    return failed;
  }
}

}  // namespace tally
