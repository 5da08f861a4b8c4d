#include "interpreter/vm.hpp"
#include "interpreter/fx_rates.hpp"
#include "interpreter/run_limits.hpp"
#include "interpreter/table_instructions.hpp"  // tables
#include "interpreter/vm_territories.hpp"
#include "stdlib/kpi_forecast.hpp"

#include <algorithm>
#include <functional>
#include <limits>

namespace tally {

void Frame::reset(const Chunk& chunk, std::size_t lanes) {
  lay_out(chunk, lanes);
  if (all_lanes_ == lanes) return;  // the VM leaves selections_[0] as it finds it
  auto& all = selections_[0];
  all.resize(lanes);
  for (std::uint32_t i = 0; i < lanes; ++i) all[i] = i;
  all_lanes_ = lanes;
}

void Frame::reset(const Chunk& chunk, std::size_t lanes, const std::vector<std::uint32_t>& active) {
  lay_out(chunk, lanes);
  selections_[0] = active;
  all_lanes_ = 0;
}

void Frame::lay_out(const Chunk& chunk, std::size_t lanes) {
  lanes_ = lanes;
  if (&chunk != chunk_ || chunk.code.size() != chunk_code_) {
    chunk_ = &chunk;
    chunk_code_ = chunk.code.size();
    // Every instruction counts as writing its d (those that write nothing
    // have d = 0): r0 may be left out wrongly, never a register put in.
    std::vector<std::uint32_t> writes(chunk.registers.size(), 0);
    for (const Instr& in : chunk.code)
      if (in.d < writes.size()) ++writes[in.d];
    sole_const_.assign(chunk.registers.size(), 0);
    for (const Instr& in : chunk.code)
      if (in.op == OpCode::CONST && in.d < writes.size() && writes[in.d] == 1)
        sole_const_[in.d] = 1;
    const_lanes_.assign(chunk.registers.size(), 0);
  }
  registers_.resize(chunk.registers.size());
  // Registers only grow: a shorter batch (a slice's or a period's last)
  // leaves the lanes past it alone, so that the next full batch does not
  // construct them again (32-byte decimals, a period's payouts in 35
  // registers). The VM reads lanes below lanes_ only.
  auto at_least = [lanes](auto& values) {
    if (values.size() < lanes) values.resize(lanes);
  };
  for (std::size_t r = 0; r < chunk.registers.size(); ++r) {
    Register& reg = registers_[r];
    reg.type = chunk.registers[r];
    switch (reg.type) {
      case RegType::boolean:
        at_least(reg.bools);
        break;
      case RegType::integer:
        at_least(reg.ints);
        break;
      case RegType::decimal:
        at_least(reg.decimals);
        break;
      case RegType::date:
        at_least(reg.dates);
        break;
      case RegType::period:
        at_least(reg.periods);
        break;
      case RegType::symbol:
        at_least(reg.symbols);
        break;
    }
  }
  if (selections_.empty()) selections_.resize(1);
  depth_ = 0;
}

void Frame::deactivate(std::uint32_t lane) {
  all_lanes_ = 0;
  auto& all = selections_[0];
  all.erase(std::remove(all.begin(), all.end(), lane), all.end());
}

namespace {

template <class T>
bool compare(const T& a, const T& b, std::uint32_t code) {
  switch (code) {
    case 0:
      return a == b;
    case 1:
      return a != b;
    case 2:
      return a < b;
    case 3:
      return a <= b;
    case 4:
      return a > b;
    default:
      return a >= b;
  }
}

// The lane loops that write a bool register write its bytes through a local
// pointer and read their operands through local pointers: a byte store may
// alias anything, so through regs[in.d].bools[i] the compiler reloads the
// registers' vectors and the instruction's fields after every lane.

/// out[i] = a[i] <code> b[i] for each selected lane, the comparison chosen
/// once, not per lane.
template <class T>
void compare_lanes(std::uint8_t* out, const T* a, const T* b, const std::vector<std::uint32_t>& sel,
                   std::uint32_t code) {
  auto each = [&](auto&& holds) {
    for (auto i : sel) out[i] = holds(a[i], b[i]);
  };
  switch (code) {
    case 0:
      return each(std::equal_to<>{});
    case 1:
      return each(std::not_equal_to<>{});
    case 2:
      return each(std::less<>{});
    case 3:
      return each(std::less_equal<>{});
    case 4:
      return each(std::greater<>{});
    default:
      return each(std::greater_equal<>{});
  }
}

/// compare_lanes for decimals against `c` on every lane (the register of a
/// lone CONST: a filter's `deal.amount >= 50_000 USD`). A lane that is
/// small at the scale of the first lane (a column's values all are) is
/// compared by its coefficient with c's at that scale, worked out once:
/// where scales differ, Decimal's comparison would align them lane by lane.
void compare_decimals_to(std::uint8_t* out, const Decimal* a, const Decimal& c,
                         const std::vector<std::uint32_t>& sel, std::uint32_t code) {
  if (sel.empty()) return;
  const int scale = a[sel.front()].scale();
  std::int64_t at = 0;  // c's coefficient at `scale`
  if (!c.is_small() || c.scale() > scale ||
      scale - c.scale() >= static_cast<int>(std::size(kPowersOfTen)) ||
      __builtin_mul_overflow(c.small_coefficient(), kPowersOfTen[scale - c.scale()], &at)) {
    for (auto i : sel) out[i] = compare(a[i], c, code);
    return;
  }
  auto each = [&](auto&& holds) {
    for (auto i : sel) {
      const Decimal& x = a[i];
      out[i] = holds(x.is_small() && x.scale() == scale ? x.small_coefficient() <=> at : x <=> c);
    }
  };
  switch (code) {
    case 0:
      return each([](std::strong_ordering o) { return o == 0; });
    case 1:
      return each([](std::strong_ordering o) { return o != 0; });
    case 2:
      return each([](std::strong_ordering o) { return o < 0; });
    case 3:
      return each([](std::strong_ordering o) { return o <= 0; });
    case 4:
      return each([](std::strong_ordering o) { return o > 0; });
    default:
      return each([](std::strong_ordering o) { return o >= 0; });
  }
}

/// Periods written without a year (`Q1`) match that period of any year.
bool compare_periods(const Period& a, const Period& b, std::uint32_t code) {
  if (a.year == 0 || b.year == 0) return compare(a.index, b.index, code);
  return compare(a, b, code);
}

/// out[i] = the column's value at row_of(i) for each selected lane. A column
/// of 64-bit units (the usual) is read inline, its units and scale once.
template <class RowOf>
void load_decimals(Decimal* out, const DecimalColumn& column, const std::vector<std::uint32_t>& sel,
                   RowOf row_of) {
  if (column.is_wide()) {
    for (auto i : sel) out[i] = column.at(row_of(i));
    return;
  }
  const std::int64_t* units = column.units().data();
  const int scale = column.scale();
  for (auto i : sel) out[i] = Decimal::from_units(units[row_of(i)], scale);
}

}  // namespace

bool interns_text(const Chunk& chunk) {
  return std::any_of(chunk.code.begin(), chunk.code.end(),
                     [](const Instr& in) { return in.op == OpCode::TEXT_CASE; });
}

InternedConstants intern_constants(const Chunk& chunk, SymbolTable& symbols) {
  InternedConstants out;
  out.symbols = &symbols;  // tables
  out.constants.resize(chunk.constants.size());
  for (std::size_t k = 0; k < chunk.constants.size(); ++k)
    if (chunk.constants[k].type == RegType::symbol)
      out.constants[k] = symbols.intern(chunk.constants[k].text);
  for (const ConstantSet& set : chunk.sets) {
    std::vector<SymbolId> ids;
    for (const auto& text : set.texts) ids.push_back(symbols.intern(text));
    std::sort(ids.begin(), ids.end());
    out.sets.push_back(std::move(ids));
  }
  return out;
}

std::optional<VmFault> Vm::run(const Chunk& chunk, Frame& frame, const VmEnv& env) {
  auto& regs = frame.registers_;
  // Instructions are counted per active lane; unlimited runs compare against
  // the maximum, one predictable branch per instruction (not per lane).
  const bool counted = env.budget && env.budget->counts_instructions();
  const std::uint64_t allowed =
      counted ? env.budget->instructions_left() : std::numeric_limits<std::uint64_t>::max();
  std::uint64_t executed = 0;
  for (std::size_t pc = 0; pc < chunk.code.size(); ++pc) {
    const Instr& in = chunk.code[pc];
    const std::vector<std::uint32_t>& sel = frame.selections_[frame.depth_];
    executed += sel.size();
    if (executed > allowed) [[unlikely]] {
      env.budget->charge_instructions(executed);
      return VmFault{pc, 0, "the instruction budget is used up"};
    }
    auto fault = [&](std::uint32_t lane, std::string message) {
      return VmFault{pc, lane, std::move(message)};
    };
    // Pushes the selection of the active lanes for which keep(lane) holds,
    // without a branch per lane: every lane is written, and kept (the count
    // moves on) when it holds.
    auto narrow = [&](auto&& keep) {
      if (frame.selections_.size() <= frame.depth_ + 1) frame.selections_.emplace_back();
      auto& next = frame.selections_[frame.depth_ + 1];
      const auto& current = frame.selections_[frame.depth_];
      next.resize(current.size());
      std::uint32_t* kept = next.data();
      std::size_t n = 0;
      for (auto i : current) {
        kept[n] = i;
        n += static_cast<std::size_t>(keep(i));
      }
      next.resize(n);
      ++frame.depth_;
    };
    switch (in.op) {
      case OpCode::CONST: {
        const Constant& c = chunk.constants[in.k];
        Register& d = regs[in.d];
        // The constant into each lane `fill` writes, the type chosen once.
        auto put = [&](auto&& fill) {
          switch (c.type) {
            case RegType::boolean:
              return fill(d.bools, c.boolean);
            case RegType::integer:
              return fill(d.ints, c.integer);
            case RegType::decimal:
              return fill(d.decimals, c.decimal);
            case RegType::date:
              return fill(d.dates, c.date);
            case RegType::period:
              return fill(d.periods, c.period);
            case RegType::symbol:
              return fill(d.symbols, env.interned->constants[in.k]);
          }
        };
        if (!frame.sole_const_[in.d]) {
          put([&](auto& values, const auto& value) {
            for (auto i : sel) values[i] = value;
          });
          break;
        }
        if (frame.constants_from_ != env.interned) {  // other texts' ids: fill again
          std::fill(frame.const_lanes_.begin(), frame.const_lanes_.end(), 0);
          frame.constants_from_ = env.interned;
        }
        if (frame.const_lanes_[in.d] >= frame.lanes_) break;  // a batch before filled it
        // Every lane, not only the active ones, so that the next batches find it filled.
        frame.const_lanes_[in.d] = frame.lanes_;
        put([&](auto& values, const auto& value) {
          std::fill(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(frame.lanes_),
                    value);
        });
        break;
      }
      case OpCode::MOVE: {
        Register& d = regs[in.d];
        const Register& a = regs[in.a];
        switch (d.type) {
          case RegType::boolean:
            for (auto i : sel) d.bools[i] = a.bools[i];
            break;
          case RegType::integer:
            for (auto i : sel) d.ints[i] = a.ints[i];
            break;
          case RegType::decimal:
            for (auto i : sel) d.decimals[i] = a.decimals[i];
            break;
          case RegType::date:
            for (auto i : sel) d.dates[i] = a.dates[i];
            break;
          case RegType::period:
            for (auto i : sel) d.periods[i] = a.periods[i];
            break;
          case RegType::symbol:
            for (auto i : sel) d.symbols[i] = a.symbols[i];
            break;
        }
        break;
      }
      case OpCode::IS_NULL_FIELD: {
        const Table* table = in.a == 2 ? env.roster : env.rows;
        const Column& column = table->columns[in.k];
        for (auto i : sel) {
          const std::size_t row = in.a == 0   ? env.row_base + i
                                  : in.a == 1 ? env.credits->row[env.credit_base + i]
                                              : env.payee_base + i;
          regs[in.d].bools[i] = column.is_null(row);
        }
        break;
      }
      case OpCode::LOAD_FIELD:
      case OpCode::LOAD_CREDIT_FIELD:
      case OpCode::LOAD_PAYEE_FIELD: {
        const Table* table = in.op == OpCode::LOAD_PAYEE_FIELD ? env.roster : env.rows;
        const Column& column = table->columns[in.k];
        Register& d = regs[in.d];
        // The type and the row's source are chosen once, not per lane.
        auto load = [&](auto row_of) {
          switch (d.type) {
            case RegType::boolean:
              for (auto i : sel) d.bools[i] = column.bools[row_of(i)];
              break;
            case RegType::integer:
              for (auto i : sel) d.ints[i] = column.ints[row_of(i)];
              break;
            case RegType::decimal:
              load_decimals(d.decimals.data(), column.decimals, sel, row_of);
              break;
            case RegType::date:
              for (auto i : sel) d.dates[i] = column.dates[row_of(i)];
              break;
            case RegType::period:
              for (auto i : sel) d.periods[i] = column.periods[row_of(i)];
              break;
            case RegType::symbol:
              for (auto i : sel) d.symbols[i] = column.symbols[row_of(i)];
              break;
          }
        };
        if (in.op == OpCode::LOAD_FIELD) {
          const std::size_t base = env.row_base;
          load([base](std::size_t i) { return base + i; });
        } else if (in.op == OpCode::LOAD_CREDIT_FIELD) {
          const std::uint32_t* rows = env.credits->row.data() + env.credit_base;
          load([rows](std::size_t i) { return static_cast<std::size_t>(rows[i]); });
        } else {
          const std::size_t base = env.payee_base;
          load([base](std::size_t i) { return base + i; });
        }
        break;
      }
      case OpCode::LOAD_CREDIT: {
        Register& d = regs[in.d];
        const CreditTable& c = *env.credits;
        const std::size_t base = env.credit_base;
        switch (static_cast<CreditAttr>(in.k)) {
          case CreditAttr::amount:
            for (auto i : sel) d.decimals[i] = c.amount_at(base + i);
            break;
          case CreditAttr::share:
            for (auto i : sel) d.decimals[i] = c.share_at(base + i);
            break;
          case CreditAttr::kind:
            for (auto i : sel) d.symbols[i] = env.kind_symbols[static_cast<int>(c.kind[base + i])];
            break;
          case CreditAttr::date:
            for (auto i : sel) d.dates[i] = c.date[base + i];
            break;
          case CreditAttr::period:
            for (auto i : sel) d.periods[i] = (*env.periods)[c.period[base + i]];
            break;
        }
        break;
      }
      case OpCode::LOAD_PERIOD: {
        Register& d = regs[in.d];
        for (auto i : sel) d.periods[i] = (*env.periods)[env.period_index];
        break;
      }
      case OpCode::LOAD_AGGREGATE: {
        Register& d = regs[in.d];
        const AggregateValues& values = *env.aggregates;
        for (auto i : sel) {
          const std::size_t slot = (env.payee_base + i) * values.periods + env.period_index;
          if (d.type == RegType::integer)
            d.ints[i] = values.integers[in.k][slot];
          else
            d.decimals[i] = values.decimals[in.k][slot];
        }
        break;
      }
      case OpCode::LOAD_TABLE: {
        Register& d = regs[in.d];
        const TableValues& values = *env.tables;
        for (auto i : sel) {
          const std::size_t slot = (env.payee_base + i) * values.periods + env.period_index;
          if (!values.present[in.k][slot])
            return fault(i, "`" + values.names[in.k] + "` has no value for this payee and period");
          if (d.type == RegType::integer)
            d.ints[i] = values.integers[in.k][slot];
          else
            d.decimals[i] = values.decimals[in.k][slot];
        }
        break;
      }
      case OpCode::ADD_DEC: {
        auto& out = regs[in.d].decimals;
        const auto& x = regs[in.a].decimals;
        const auto& y = regs[in.b].decimals;
        for (auto i : sel) out[i] = x[i] + y[i];
        break;
      }
      case OpCode::SUB_DEC: {
        auto& out = regs[in.d].decimals;
        const auto& x = regs[in.a].decimals;
        const auto& y = regs[in.b].decimals;
        for (auto i : sel) out[i] = x[i] - y[i];
        break;
      }
      case OpCode::MUL_DEC: {
        auto& out = regs[in.d].decimals;
        const auto& x = regs[in.a].decimals;
        const auto& y = regs[in.b].decimals;
        for (auto i : sel) out[i] = x[i] * y[i];
        break;
      }
      case OpCode::DIV_DEC:
        for (auto i : sel) {
          auto q = Decimal::divide(regs[in.a].decimals[i], regs[in.b].decimals[i]);
          if (!q) return fault(i, q.errors().front().message);
          regs[in.d].decimals[i] = std::move(q.value());
        }
        break;
      case OpCode::NEG_DEC:
        for (auto i : sel) regs[in.d].decimals[i] = -regs[in.a].decimals[i];
        break;
      case OpCode::MIN_DEC:
        for (auto i : sel) {
          const Decimal& a = regs[in.a].decimals[i];
          const Decimal& b = regs[in.b].decimals[i];
          regs[in.d].decimals[i] = b < a ? b : a;
        }
        break;
      case OpCode::MAX_DEC:
        for (auto i : sel) {
          const Decimal& a = regs[in.a].decimals[i];
          const Decimal& b = regs[in.b].decimals[i];
          regs[in.d].decimals[i] = a < b ? b : a;
        }
        break;
      case OpCode::ABS_DEC:
        for (auto i : sel) regs[in.d].decimals[i] = regs[in.a].decimals[i].abs();
        break;
      case OpCode::ROUND_DEC:
        for (auto i : sel) {
          auto r = Decimal::round(regs[in.a].decimals[i], regs[in.b].decimals[i],
                                  static_cast<RoundingMode>(in.k));
          if (!r) return fault(i, r.errors().front().message);
          regs[in.d].decimals[i] = std::move(r.value());
        }
        break;
      case OpCode::APPLY_RATES: {
        // Exact: a tier bound t of an attainment table stands for t × base,
        // so the slices are amounts and no attainment is ever divided out.
        const RateTiers& t = chunk.tiers[in.k];
        for (auto i : sel) {
          const Decimal& x = regs[in.a].decimals[i];
          Decimal scale = Decimal::from_int(1);
          if (t.has_base) {
            scale = regs[in.b].decimals[i];
            if (scale.sign() <= 0)
              return fault(i, "the base of the rate tiers is " + scale.to_string() +
                                  "; it must be more than zero");
          }
          Decimal paid;
          for (std::size_t r = 0; r < t.rate.size(); ++r) {
            const Decimal low = t.lower[r] * scale;
            if (t.marginal) {
              Decimal top = x;
              if (t.has_upper[r] && t.upper[r] * scale < x) top = t.upper[r] * scale;
              if (low < top) paid = paid + t.rate[r] * (top - low);
            } else if (low <= x && (!t.has_upper[r] || x < t.upper[r] * scale)) {
              paid = t.rate[r] * x;
            }
          }
          regs[in.d].decimals[i] = paid;
        }
        break;
      }
      case OpCode::INT_TO_DEC:
        for (auto i : sel) regs[in.d].decimals[i] = Decimal::from_int(regs[in.a].ints[i]);
        break;

      case OpCode::ADD_INT:
      case OpCode::SUB_INT:
      case OpCode::MUL_INT:
        for (auto i : sel) {
          const std::int64_t a = regs[in.a].ints[i];
          const std::int64_t b = regs[in.b].ints[i];
          std::int64_t r = 0;
          const bool overflow = in.op == OpCode::ADD_INT   ? __builtin_add_overflow(a, b, &r)
                                : in.op == OpCode::SUB_INT ? __builtin_sub_overflow(a, b, &r)
                                                           : __builtin_mul_overflow(a, b, &r);
          if (overflow) return fault(i, "integer overflow");
          regs[in.d].ints[i] = r;
        }
        break;
      case OpCode::NEG_INT:
        for (auto i : sel) {
          std::int64_t r = 0;
          if (__builtin_sub_overflow(std::int64_t{0}, regs[in.a].ints[i], &r))
            return fault(i, "integer overflow");
          regs[in.d].ints[i] = r;
        }
        break;

      case OpCode::CMP_DEC:
        if (frame.sole_const_[in.b] && !sel.empty()) {
          compare_decimals_to(regs[in.d].bools.data(), regs[in.a].decimals.data(),
                              regs[in.b].decimals[sel.front()], sel, in.k);
          break;
        }
        compare_lanes(regs[in.d].bools.data(), regs[in.a].decimals.data(),
                      regs[in.b].decimals.data(), sel, in.k);
        break;
      case OpCode::CMP_INT:
        compare_lanes(regs[in.d].bools.data(), regs[in.a].ints.data(), regs[in.b].ints.data(), sel,
                      in.k);
        break;
      case OpCode::CMP_DATE:
        compare_lanes(regs[in.d].bools.data(), regs[in.a].dates.data(), regs[in.b].dates.data(),
                      sel, in.k);
        break;
      case OpCode::CMP_PERIOD: {
        std::uint8_t* out = regs[in.d].bools.data();
        const Period* a = regs[in.a].periods.data();
        const Period* b = regs[in.b].periods.data();
        for (auto i : sel) out[i] = compare_periods(a[i], b[i], in.k);
        break;
      }
      case OpCode::CMP_SYM:
        compare_lanes(regs[in.d].bools.data(), regs[in.a].symbols.data(), regs[in.b].symbols.data(),
                      sel, in.k);
        break;
      case OpCode::CMP_BOOL:
        compare_lanes(regs[in.d].bools.data(), regs[in.a].bools.data(), regs[in.b].bools.data(),
                      sel, in.k);
        break;
      case OpCode::IN_SYMS: {
        const auto& members = env.interned->sets[in.k];
        for (auto i : sel)
          regs[in.d].bools[i] =
              std::binary_search(members.begin(), members.end(), regs[in.a].symbols[i]);
        break;
      }
      case OpCode::IN_DECS: {
        const auto& members = chunk.sets[in.k].decimals;
        for (auto i : sel)
          regs[in.d].bools[i] =
              std::find(members.begin(), members.end(), regs[in.a].decimals[i]) != members.end();
        break;
      }
      case OpCode::IN_RANGE_DEC: {
        const ConstantSet& range = chunk.sets[in.k];
        for (auto i : sel) {
          const Decimal& x = regs[in.a].decimals[i];
          regs[in.d].bools[i] = range.lower <= x && (!range.has_upper || x < range.upper);
        }
        break;
      }

      case OpCode::NOT: {
        std::uint8_t* out = regs[in.d].bools.data();
        const std::uint8_t* a = regs[in.a].bools.data();
        for (auto i : sel) out[i] = !a[i];
        break;
      }
      case OpCode::AND:
      case OpCode::OR: {
        std::uint8_t* out = regs[in.d].bools.data();
        const std::uint8_t* a = regs[in.a].bools.data();
        const std::uint8_t* b = regs[in.b].bools.data();
        if (in.op == OpCode::AND)
          for (auto i : sel) out[i] = a[i] && b[i];
        else
          for (auto i : sel) out[i] = a[i] || b[i];
        break;
      }
      case OpCode::SELECT_TRUE:
      case OpCode::SELECT_FALSE: {
        const bool want = in.op == OpCode::SELECT_TRUE;
        const std::uint8_t* flags = regs[in.a].bools.data();
        narrow([&](std::uint32_t i) { return (flags[i] != 0) == want; });
        break;
      }
      case OpCode::SELECT_SYM_EQ:
      case OpCode::SELECT_SYM_NE: {
        // As CMP_SYM then SELECT_TRUE, without the flags between them.
        const bool equal = in.op == OpCode::SELECT_SYM_EQ;
        const SymbolId* text = regs[in.a].symbols.data();
        const SymbolId constant = env.interned->constants[in.k];
        narrow([&](std::uint32_t i) { return (text[i] == constant) == equal; });
        break;
      }
      case OpCode::SELECT_POP:
        if (frame.depth_ > 0) --frame.depth_;
        break;

      case OpCode::PERIOD_OF:
        for (auto i : sel) regs[in.d].periods[i] = period_of(regs[in.a].dates[i], *env.calendar);
        break;
      case OpCode::ADD_DAYS:
        for (auto i : sel) {
          const std::int64_t days = regs[in.b].ints[i];
          const std::int64_t from = regs[in.a].dates[i].days;
          std::int64_t result = 0;  // checked: a plan may add any integer to a date
          const bool overflow = in.k == 0 ? __builtin_add_overflow(from, days, &result)
                                          : __builtin_sub_overflow(from, days, &result);
          if (overflow || result < -800000 || result > 3000000)
            return fault(i, "date out of range");
          regs[in.d].dates[i] = Date{static_cast<std::int32_t>(result)};
        }
        break;
      case OpCode::DATE_PART:
        for (auto i : sel) {
          const CivilDate civil = civil_of(regs[in.a].dates[i]);
          regs[in.d].ints[i] = in.k == 0   ? civil.year
                               : in.k == 1 ? (civil.month - 1) / 3 + 1
                                           : civil.month;
        }
        break;
      case OpCode::ADD_MONTHS:
        for (auto i : sel) {
          const std::int64_t months = regs[in.b].ints[i];
          if (months < -120000 || months > 120000) return fault(i, "date out of range");
          const Date moved = add_months(regs[in.a].dates[i], static_cast<int>(months));
          if (civil_of(moved).year < 1 || civil_of(moved).year > 9999)
            return fault(i, "date out of range");
          regs[in.d].dates[i] = moved;
        }
        break;
      case OpCode::PERIOD_DAYS:
        for (auto i : sel) {
          const Period& p = regs[in.a].periods[i];
          if (p.year == 0) return fault(i, "a period without a year (such as Q1) has no length");
          regs[in.d].ints[i] = std::int64_t{period_end(p, *env.calendar).days} -
                               period_start(p, *env.calendar).days + 1;
        }
        break;
      case OpCode::TEXT_CASE:
        for (auto i : sel) {
          std::string text(env.interned->symbols->text(regs[in.a].symbols[i]));
          for (char& c : text)
            if (c >= (in.k == 0 ? 'a' : 'A') && c <= (in.k == 0 ? 'z' : 'Z'))
              c = static_cast<char>(in.k == 0 ? c - 'a' + 'A' : c - 'A' + 'a');
          regs[in.d].symbols[i] = env.interned->symbols->intern(text);
        }
        break;
      case OpCode::TEXT_HAS:
        for (auto i : sel) {
          const std::string_view text = env.interned->symbols->text(regs[in.a].symbols[i]);
          const std::string_view part = env.interned->symbols->text(regs[in.b].symbols[i]);
          regs[in.d].bools[i] = in.k == 0 ? text.substr(0, part.size()) == part
                                          : text.find(part) != std::string_view::npos;
        }
        break;
      case OpCode::DAYS_BETWEEN:
        for (auto i : sel)
          regs[in.d].ints[i] = std::int64_t{regs[in.a].dates[i].days} - regs[in.b].dates[i].days;
        break;

        // ---- territories
      case OpCode::LOAD_TERRITORY:
      case OpCode::LOAD_PAIR_FIELD:
      case OpCode::IN_LIST_FIELD:
      case OpCode::IN_NAMED_LIST:
        if (auto failed = run_territory_instruction(in, regs, sel, env))
          return fault(failed->lane, std::move(failed->message));
        break;

        // ---- crediting

        // ---- tables
      case OpCode::FX_CONVERT:
        if (auto failed = fx_convert_lanes(chunk.sets[in.k], sel, regs[in.a].decimals,
                                           regs[in.b].dates, regs[in.d].decimals, env))
          return VmFault{pc, failed->lane, std::move(failed->message), true};
        break;
      case OpCode::FX_TO_PLAN:
        if (auto failed = fx_to_plan_lanes(sel, regs[in.a].decimals, regs[in.b].dates,
                                           regs[in.k].symbols, regs[in.d].decimals, env))
          return VmFault{pc, failed->lane, std::move(failed->message), true};
        break;
      case OpCode::TABLE_GET:
      case OpCode::TABLE_ROLLUP:
      case OpCode::MONTHS_EMPLOYED:
      case OpCode::EMPLOYMENT_DAY:
      case OpCode::DAYS_COVERED:
      case OpCode::ALLOCATE_EVEN:
      case OpCode::PERIOD_INDEX:
      case OpCode::CHECK_WEIGHTS:
      case OpCode::TIER_OF:
      case OpCode::LOOKUP_MISSING:
        if (auto failed = run_table_instruction(in, chunk, regs, sel, env))
          return fault(failed->lane, std::move(failed->message));
        break;

        // ---- periods
      case OpCode::LOAD_CUMULATIVE:
      case OpCode::LOAD_PAID_BEFORE: {
        // The earlier periods of the window were paid before this one (the
        // engine runs periods in order), so their values are final.
        const bool paid = in.op == OpCode::LOAD_PAID_BEFORE;
        const auto& past = paid ? (*env.paid)[in.k / 3] : (*env.history)[in.k / 3];
        const std::size_t n = env.periods->size();
        const std::size_t from = (*env.window_start)[(in.k % 3) * n + env.period_index];
        Register& d = regs[in.d];
        for (auto i : sel) {
          const std::size_t row = (env.payee_base + i) * n;
          Decimal sum;
          for (std::size_t q = from; q < env.period_index; ++q) sum = sum + past[row + q];
          if (d.type != RegType::integer) {
            d.decimals[i] = paid ? sum : regs[in.a].decimals[i] + sum;
            continue;
          }
          const auto before = sum.to_int64();
          std::int64_t total = 0;
          if (!before || __builtin_add_overflow(regs[in.a].ints[i], *before, &total))
            return fault(i, "integer overflow");
          d.ints[i] = total;
        }
        break;
      }
      case OpCode::LOAD_FORECAST: {
        // forecast(m): from the payee's values of m in the earlier periods
        // of the run (final, as for LOAD_CUMULATIVE); m itself (register a)
        // where the history is too short to forecast from.
        const auto& past = (*env.history)[in.k / 42];
        const std::uint32_t settings = in.k % 42;
        const auto mode = static_cast<RoundingMode>(settings / 6);
        const auto method = (settings % 6) / 3 == 0 ? analytics::ForecastMethod::linear
                                                    : analytics::ForecastMethod::holt;
        const auto bound = static_cast<ForecastBound>(settings % 3);
        const std::size_t n = env.periods->size();
        Register& d = regs[in.d];
        const bool whole = d.type == RegType::integer;
        std::vector<Decimal> history(env.period_index);
        for (auto i : sel) {
          const std::size_t row = (env.payee_base + i) * n;
          for (std::size_t q = 0; q < env.period_index; ++q) history[q] = past[row + q];
          const auto f = forecast_measure(
              history, method, bound, whole ? Decimal::from_int(1) : regs[in.b].decimals[i], mode);
          if (!whole) {
            d.decimals[i] = f ? *f : regs[in.a].decimals[i];
            continue;
          }
          if (!f) {
            d.ints[i] = regs[in.a].ints[i];
            continue;
          }
          const auto value = f->to_int64();
          if (!value) return fault(i, "integer overflow");
          d.ints[i] = *value;
        }
        break;
      }
      case OpCode::FIELD_PRESENT: {
        const Column& column = env.rows->columns[in.k];
        for (auto i : sel) {
          const std::size_t row =
              in.a == 0 ? env.row_base + i : env.credits->row[env.credit_base + i];
          regs[in.d].bools[i] = !column.is_null(row);
        }
        break;
      }
    }
  }
  if (counted) env.budget->charge_instructions(executed);
  return std::nullopt;
}

std::optional<VmFault> run_constant(const Chunk& chunk, Frame& frame, const Calendar& calendar,
                                    SymbolTable& symbols) {
  const InternedConstants interned = intern_constants(chunk, symbols);
  VmEnv env;
  env.calendar = &calendar;
  env.interned = &interned;
  frame.reset(chunk, 1);
  return Vm::run(chunk, frame, env);
}

Constant register_constant(const Register& reg, const SymbolTable& symbols) {
  Constant c;
  c.type = reg.type;
  switch (reg.type) {
    case RegType::boolean:
      c.boolean = reg.bools[0] != 0;
      break;
    case RegType::integer:
      c.integer = reg.ints[0];
      break;
    case RegType::decimal:
      c.decimal = reg.decimals[0];
      break;
    case RegType::date:
      c.date = reg.dates[0];
      break;
    case RegType::period:
      c.period = reg.periods[0];
      break;
    case RegType::symbol:
      c.text = std::string(symbols.text(reg.symbols[0]));
      break;
  }
  return c;
}

}  // namespace tally
