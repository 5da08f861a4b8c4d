#include "interpreter/line_fold.hpp"

#include <algorithm>

#include "interpreter/bytecode.hpp"
#include "interpreter/credit_amount_sums.hpp"
#include "interpreter/credit_runs.hpp"

namespace tally {

namespace {

/// Whether `aggregate`'s chunk reads no credit attribute but its kind
/// (which a line fixes), and so can run over a line's rows.
bool reads_kind_alone(const CompiledAggregate& aggregate) {
  return std::all_of(aggregate.chunk.code.begin(), aggregate.chunk.code.end(), [](const Instr& in) {
    return in.op != OpCode::LOAD_CREDIT || in.k == static_cast<std::uint32_t>(CreditAttr::kind);
  });
}

bool summed_decimals(const CompiledAggregate& aggregate) {
  return (aggregate.kind == AggregateKind::sum || aggregate.kind == AggregateKind::avg) &&
         aggregate.value_type == RegType::decimal;
}

constexpr int kUnitScales = static_cast<int>(std::size(kPowersOfTen));
static_assert(kUnitScales <= 32, "a slot's scales are bits of 32");

}  // namespace

bool folds_lines(const RunState& state) {
  // A sum of integers could overflow in one order of its terms and not in
  // another; min and max keep the first of equal values; distinct sets and
  // text made on two threads are left to the folds taken in turns.
  return std::all_of(state.plan.program.aggregates.begin(), state.plan.program.aggregates.end(),
                     [&](const CompiledAggregate& a) {
                       if (sums_credit_amounts(state, a)) return true;
                       return (a.kind == AggregateKind::count || summed_decimals(a)) &&
                              reads_kind_alone(a) && !interns_text(a.chunk);
                     });
}

LineFold::LineFold(RunState& state) : state_(state), payees_(state.payee_count()) {
  const Program& program = state.plan.program;
  for (std::size_t a = 0; a < program.aggregates.size(); ++a) {
    const CompiledAggregate& aggregate = program.aggregates[a];
    if (sums_credit_amounts(state, aggregate)) {
      sums_amounts_ = true;
      continue;
    }
    Filtered f;
    f.aggregate = a;
    for (int k = 0; k < ast::kCreditKinds; ++k) {
      f.kinds.push_back(
          filter_for_kind(aggregate.chunk, ast::credit_kind_name(static_cast<ast::CreditKind>(k))));
      f.interned.push_back(intern_constants(f.kinds.back().chunk, state.symbols));
    }
    f.summed = summed_decimals(aggregate);
    filtered_.push_back(std::move(f));
  }
  filter_counts_.resize(filtered_.size());
  filter_sums_.resize(filtered_.size());
}

bool LineFold::begin_batch(const CompiledRule& rule, const Table& rows, std::size_t base,
                           std::size_t lanes, const std::vector<std::uint32_t>& active) {
  line_filters_.resize(rule.lines.size());
  for (auto& filters : line_filters_) filters.clear();
  if (filtered_.empty()) return true;
  for (std::size_t i = 0; i < filtered_.size(); ++i) {
    Filtered& f = filtered_[i];
    const CompiledAggregate& aggregate = state_.plan.program.aggregates[f.aggregate];
    if (f.lines.size() < rule.lines.size()) f.lines.resize(rule.lines.size());
    for (std::size_t l = 0; l < rule.lines.size(); ++l) {
      // Lane i is the credit of row base + i, of the line's kind: the
      // filter made for that kind runs over the rows.
      const int kind = static_cast<int>(rule.lines[l].kind);
      const KindFilter& filter = f.kinds[static_cast<std::size_t>(kind)];
      if (filter.none) continue;
      if (!filter.rows) return false;  // folds_lines() let in a filter it cannot make
      line_filters_[l].push_back(i);
      VmEnv env = credits_env(state_, f.interned[static_cast<std::size_t>(kind)]);
      env.credits = nullptr;
      env.rows = &rows;
      env.row_base = base;
      PerLine& at = f.lines[l];
      if (filter.where.present) {
        select_rows(rows.columns[filter.where.field], base,
                    f.interned[static_cast<std::size_t>(kind)].constants[filter.where.constant],
                    filter.where.equal, active, where_lanes_);
        at.frame.reset(filter.chunk, lanes, where_lanes_);
      } else {
        at.frame.reset(filter.chunk, lanes, active);
      }
      if (Vm::run(filter.chunk, at.frame, env)) return false;
      at.passed.assign(lanes, 0);
      for (std::uint32_t lane : at.frame.active()) at.passed[lane] = 1;
      at.values = f.summed ? at.frame.reg(aggregate.value_reg).decimals.data() : nullptr;
    }
  }
  return true;
}

void LineFold::SlotCounts::carry(std::size_t slot) {
  if (carried.empty()) carried.resize(low.size(), 0);
  carried[slot] += std::int64_t{1} << 32;
}

void LineFold::SlotCounts::resize(std::size_t slots) {
  low.resize(slots, 0);
  if (!carried.empty()) carried.resize(slots, 0);
}

void LineFold::add_slots() {
  const std::size_t slots = locals_.size() * payees_;
  credits_.resize(slots);
  units_.resize(slots, 0);
  scales_.resize(slots, 0);
  if (sums_amounts_) exact_.resize(slots);
  for (std::size_t f = 0; f < filtered_.size(); ++f) {
    filter_counts_[f].resize(slots);
    if (filtered_[f].summed) filter_sums_[f].resize(slots);
  }
}

void LineFold::add_amount(std::size_t slot, const Decimal& product) {
  const int scale = product.scale();
  std::int64_t units = product.small_coefficient();
  // A big value or a scale past 64-bit units goes into the exact sum as it
  // is. (A negative zero may become units: a sum starts at zero, and
  // 0 + -0 is 0.)
  if (!product.is_small() || scale >= kUnitScales) {
    exact_[slot] = exact_[slot] + product;
    return;
  }
  if (scale > scale_) raise_scale(scale);
  if (scale < scale_ && __builtin_mul_overflow(units, kPowersOfTen[scale_ - scale], &units)) {
    exact_[slot] = exact_[slot] + product;
    return;
  }
  // An overflowing sum moves into the exact Decimal, then starts again.
  std::int64_t sum = 0;
  if (__builtin_add_overflow(units_[slot], units, &sum)) {
    settle(slot);
    sum = units;
  }
  units_[slot] = sum;
  scales_[slot] |= std::uint32_t{1} << scale;
}

LineFold::LineTerms LineFold::line_terms(const Decimal& share, int amount_scale) {
  LineTerms terms;
  terms.amount_scale = amount_scale;
  terms.share = &share;
  if (!sums_amounts_) {
    terms.units = true;  // only counted
    return terms;
  }
  const int scale = amount_scale + share.scale();
  if (!share.is_small() || scale >= kUnitScales) return terms;
  if (scale > scale_) raise_scale(scale);
  terms.units = !__builtin_mul_overflow(share.small_coefficient(), kPowersOfTen[scale_ - scale],
                                        &terms.factor);
  terms.scale_bit = std::uint32_t{1} << scale;
  return terms;
}

std::optional<LineFold::LineSink> LineFold::sink(std::size_t line, const LineTerms& terms) {
  if (!terms.units || line_filters_[line].size() > 1) return std::nullopt;
  LineSink sink;
  sink.fold_ = this;
  sink.terms_ = terms;
  sink.sums_ = sums_amounts_;
  sink.credits_ = credits_.low.data();
  sink.units_ = units_.data();
  sink.scales_ = scales_.data();
  if (!line_filters_[line].empty()) {
    const std::size_t f = line_filters_[line].front();
    if (filtered_[f].summed) return std::nullopt;
    sink.passed_ = filtered_[f].lines[line].passed.data();
    sink.counted_ = filter_counts_[f].low.data();
    sink.filter_ = f;
  }
  return sink;
}

void LineFold::raise_scale(int scale) {
  // The units so far were at a smaller scale: into the exact sums.
  for (std::size_t s = 0; s < exact_.size(); ++s) settle(s);
  scale_ = scale;
}

void LineFold::settle(std::size_t slot) {
  if (scales_[slot] == 0) return;
  const int widest = 31 - __builtin_clz(scales_[slot]);
  exact_[slot] = exact_[slot] + settled_units(units_[slot], scale_, widest);
  units_[slot] = 0;
  scales_[slot] = 0;
}

void LineFold::add_into(StreamedAggregates& totals) {
  const std::vector<CompiledAggregate>& aggregates = state_.plan.program.aggregates;
  for (std::size_t l = 0; l < locals_.size(); ++l) {
    const std::size_t to_period = totals.locals_.local(locals_.ordinals()[l]);
    const std::size_t slots = totals.locals_.size() * payees_;
    if (totals.credit_counts_.size() < slots) totals.credit_counts_.resize(slots, 0);
    for (Accumulator& total : totals.totals_) total.grow(slots);
    for (std::size_t p = 0; p < payees_; ++p) {
      const std::size_t slot = l * payees_ + p;
      const std::int64_t credits = credits_.at(slot);
      if (credits == 0) continue;
      const std::size_t to = to_period * payees_ + p;
      totals.credit_counts_[to] += static_cast<std::size_t>(credits);
      if (sums_amounts_) settle(slot);
      std::size_t f = 0;
      for (std::size_t a = 0; a < aggregates.size(); ++a) {
        Accumulator& total = totals.totals_[a];
        if (f < filtered_.size() && filtered_[f].aggregate == a) {
          total.counts[to] += filter_counts_[f].at(slot);
          if (filtered_[f].summed) total.sums[to] = total.sums[to] + filter_sums_[f][slot];
          ++f;
          continue;
        }
        total.counts[to] += credits;
        total.sums[to] = total.sums[to] + exact_[slot];
      }
    }
  }
}

}  // namespace tally
