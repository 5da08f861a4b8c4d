#include "interpreter/table_instructions.hpp"

#include "interpreter/employment.hpp"

namespace tally {

namespace {

/// The period being paid (or filled), if the chunk runs in one.
std::optional<Period> current_period(const VmEnv& env) {
  if (!env.periods || env.period_index >= env.periods->size()) return std::nullopt;
  return (*env.periods)[env.period_index];
}

/// A period as a lookup means it: one written without a year (`Q1`) is that
/// period of the plan year being paid.
std::optional<Period> resolve_period(Period p, const VmEnv& env, std::string& problem) {
  if (p.year != 0) return p;
  const auto current = current_period(env);
  if (!current) {
    problem = "a period without a year (such as Q1) needs a period being paid";
    return std::nullopt;
  }
  p.year = current->year;
  return p;
}

std::string describe_key(const Register& reg, std::uint32_t lane, const VmEnv& env) {
  const SymbolTable* symbols = env.interned ? env.interned->symbols : nullptr;
  switch (reg.type) {
    case RegType::symbol:
      return symbols ? "\"" + std::string(symbols->text(reg.symbols[lane])) + "\"" : "this key";
    case RegType::integer:
      return std::to_string(reg.ints[lane]);
    case RegType::decimal:
      return reg.decimals[lane].to_string();
    case RegType::date:
      return format_date(reg.dates[lane]);
    case RegType::boolean:
      return reg.bools[lane] ? "true" : "false";
    case RegType::period: {
      std::string ignored;
      const auto p = resolve_period(reg.periods[lane], env, ignored);
      if (!p || !env.calendar) return "this period";
      return period_label(*p, *env.calendar);
    }
  }
  return "this key";
}

/// The roster row of the payee in a symbol register, or -1.
std::int32_t payee_row(const TableStore& store, SymbolId id) {
  if (!store.payee_of_symbol || id >= store.payee_of_symbol->size()) return -1;
  return (*store.payee_of_symbol)[id];
}

std::optional<LaneFault> table_get(const Instr& in, std::vector<Register>& regs,
                                   const std::vector<std::uint32_t>& active, const VmEnv& env) {
  const TableStore& store = env.tables->store;
  const TableLayout& table = store.tables[in.k];
  Register& d = regs[in.d];
  if (table.dense && table.has_period && !store.periods_ready)
    return LaneFault{active.front(),
                     "`" + table.name +
                         "` is keyed by period: its values are filled after crediting, when the "
                         "run's periods are known, so a credit rule cannot look it up"};
  // Under --lenient (payouts), a value not found is recorded and read as 1,
  // a placeholder that no division or rate base fails on; the lane's rows are
  // then left out.
  auto missing = [&](std::uint32_t lane, std::string message) -> std::optional<LaneFault> {
    if (!env.table_misses) return LaneFault{lane, std::move(message)};
    env.table_misses->push_back(
        TableMiss{env.payee_base + lane, env.period_index, std::move(message)});
    if (d.type == RegType::integer)
      d.ints[lane] = 1;
    else
      d.decimals[lane] = Decimal::from_int(1);
    return std::nullopt;
  };
  for (auto i : active) {
    std::size_t slot = 0;
    std::string problem;
    bool found = false;
    if (table.dense) {
      std::int64_t payee = 0;
      std::int64_t period = 0;
      bool in_range = true;
      std::string where;
      if (table.has_payee) {
        payee = payee_row(store, regs[in.a].symbols[i]);
        if (!env.roster || static_cast<std::size_t>(payee) != env.payee_base + i)
          where += " for payee " + describe_key(regs[in.a], i, env);
        if (payee < 0) {
          return LaneFault{i, "`" + table.name + "` is looked up for " +
                                  describe_key(regs[in.a], i, env) + ", who is not in the roster"};
        }
      }
      if (table.has_period) {
        const Register& p = regs[table.has_payee ? in.b : in.a];
        const auto resolved = resolve_period(p.periods[i], env, problem);
        if (!resolved) return LaneFault{i, problem};
        period = period_ordinal(*resolved) - store.first_period;
        const auto current = current_period(env);
        if (!env.roster || !current || *current != *resolved)
          where += " in " + describe_key(p, i, env);
        in_range = period >= 0 && period < static_cast<std::int64_t>(store.period_count);
      }
      if (in_range) {
        slot = store.dense_slot(table, static_cast<std::size_t>(payee),
                                static_cast<std::size_t>(period));
        found = table.present[slot] != 0;
      }
      if (!found) {
        if (where.empty()) where = " for this payee and period";
        const auto because =
            in_range ? table.missing_because.find(slot) : table.missing_because.end();
        if (auto fault = missing(
                i, "`" + table.name + "` has no value" + where +
                       (in_range ? "" : " (outside the plan years of this run)") +
                       (because == table.missing_because.end() ? "" : ": " + because->second)))
          return fault;
        continue;
      }
    } else {
      TableKey key;
      const auto first = encode_key(regs[in.a], i, env, problem);
      if (!first) return LaneFault{i, problem};
      key.first = *first;
      std::string where = " for " + table.key_names[0] + " " + describe_key(regs[in.a], i, env);
      if (table.key_names.size() > 1) {
        const auto second = encode_key(regs[in.b], i, env, problem);
        if (!second) return LaneFault{i, problem};
        key.second = *second;
        where += ", " + table.key_names[1] + " " + describe_key(regs[in.b], i, env);
      }
      const auto it = table.slots.find(key);
      if (it == table.slots.end() || !table.present[it->second]) {
        if (auto fault = missing(i, "`" + table.name + "` has no value" + where)) return fault;
        continue;
      }
      slot = it->second;
    }
    if (d.type == RegType::integer)
      d.ints[i] = table.integers[slot];
    else
      d.decimals[i] = table.decimals[slot];
  }
  return std::nullopt;
}

std::optional<LaneFault> table_rollup(const Instr& in, std::vector<Register>& regs,
                                      const std::vector<std::uint32_t>& active, const VmEnv& env) {
  const TableStore& store = env.tables->store;
  const TableLayout& table = store.tables[in.k];
  Register& d = regs[in.d];
  std::size_t period = 0;
  if (table.has_period) {
    const auto current = current_period(env);
    const std::int64_t index = current ? period_ordinal(*current) - store.first_period : -1;
    if (index < 0 || index >= static_cast<std::int64_t>(store.period_count))
      return active.empty()
                 ? std::nullopt
                 : std::optional<LaneFault>(LaneFault{
                       active.front(), "rollup(" + table.name + ") needs a period of this run"});
    period = static_cast<std::size_t>(index);
  }
  for (auto i : active) {
    const std::size_t payee = env.payee_base + i;
    Decimal sum;
    std::int64_t whole = 0;
    bool any = false;
    if (payee < store.reports.size())
      for (std::int32_t report : store.reports[payee]) {
        const std::size_t slot = store.dense_slot(table, static_cast<std::size_t>(report), period);
        if (!table.present[slot]) continue;
        any = true;
        if (table.integral) {
          if (__builtin_add_overflow(whole, table.integers[slot], &whole))
            return LaneFault{i, "integer overflow in rollup(" + table.name + ")"};
        } else {
          sum = sum + table.decimals[slot];
        }
      }
    if (!any)
      return LaneFault{i, "rollup(" + table.name +
                              ") has no value: no one below this payee has a `" + table.name +
                              "` value in this period"};
    if (d.type == RegType::integer)
      d.ints[i] = whole;
    else
      d.decimals[i] = table.integral ? Decimal::from_int(whole) : sum;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> encode_key(const Register& reg, std::uint32_t lane, const VmEnv& env,
                                       std::string& problem) {
  switch (reg.type) {
    case RegType::symbol:
      return static_cast<std::int64_t>(reg.symbols[lane]);
    case RegType::integer:
      return reg.ints[lane];
    case RegType::date:
      return reg.dates[lane].days;
    case RegType::boolean:
      return reg.bools[lane] ? 1 : 0;
    case RegType::period: {
      const auto p = resolve_period(reg.periods[lane], env, problem);
      if (!p) return std::nullopt;
      return period_ordinal(*p);
    }
    case RegType::decimal:
      break;
  }
  problem = "a number with decimals cannot be a table key";
  return std::nullopt;
}

std::optional<LaneFault> run_table_instruction(const Instr& in, const Chunk& chunk,
                                               std::vector<Register>& regs,
                                               const std::vector<std::uint32_t>& active,
                                               const VmEnv& env) {
  if (active.empty()) return std::nullopt;
  const bool needs_store = in.op == OpCode::TABLE_GET || in.op == OpCode::TABLE_ROLLUP ||
                           in.op == OpCode::MONTHS_EMPLOYED || in.op == OpCode::EMPLOYMENT_DAY;
  if (needs_store && (!env.tables || !env.tables->store.filled))
    return LaneFault{active.front(),
                     "tables and the roster's dates are not available at this stage of the run"};
  const auto period = current_period(env);
  const bool needs_period = in.op == OpCode::MONTHS_EMPLOYED || in.op == OpCode::EMPLOYMENT_DAY ||
                            in.op == OpCode::DAYS_COVERED || in.op == OpCode::ALLOCATE_EVEN;
  if (needs_period && (!period || !env.calendar))
    return LaneFault{active.front(), "this needs a period being paid"};
  switch (in.op) {
    case OpCode::TABLE_GET:
      return table_get(in, regs, active, env);
    case OpCode::TABLE_ROLLUP:
      return table_rollup(in, regs, active, env);
    case OpCode::MONTHS_EMPLOYED: {
      const TableStore& store = env.tables->store;
      const Date end = period_end(*period, *env.calendar);
      for (auto i : active) {
        const std::int32_t row = payee_row(store, regs[in.a].symbols[i]);
        if (row < 0 || !env.roster)
          return LaneFault{i, "months_employed(" + describe_key(regs[in.a], i, env) +
                                  "): not a payee of the roster"};
        const Employment e = employment_of(*env.roster, store.hire_field, store.end_field,
                                           static_cast<std::size_t>(row));
        if (!e.hired)
          return LaneFault{i, "months_employed(" + describe_key(regs[in.a], i, env) +
                                  "): the payee has no hire_date"};
        // A payee who left counts the months up to the last day employed.
        regs[in.d].ints[i] = whole_months(*e.hired, e.ended && *e.ended < end ? *e.ended : end);
      }
      return std::nullopt;
    }
    case OpCode::EMPLOYMENT_DAY: {
      const TableStore& store = env.tables->store;
      const Date start = period_start(*period, *env.calendar);
      const Date end = period_end(*period, *env.calendar);
      for (auto i : active) {
        Employment e;
        if (env.roster)
          e = employment_of(*env.roster, store.hire_field, store.end_field, env.payee_base + i);
        regs[in.d].dates[i] = in.k == 0 ? e.hired.value_or(start) : e.ended.value_or(end);
      }
      return std::nullopt;
    }
    case OpCode::DAYS_COVERED: {
      const Date start = period_start(*period, *env.calendar);
      const Date end = period_end(*period, *env.calendar);
      for (auto i : active)
        regs[in.d].ints[i] =
            in.k == 1 ? std::int64_t{end.days} - start.days + 1
                      : days_overlap(regs[in.a].dates[i], regs[in.b].dates[i], start, end);
      return std::nullopt;
    }
    case OpCode::ALLOCATE_EVEN: {
      // Each period gets the share rounded to the plan's quantum, and the
      // last period of the year the rest, so the parts add up exactly.
      const int count = periods_per_year(period->grain);
      const Decimal n = Decimal::from_int(count);
      for (auto i : active) {
        const Decimal& annual = regs[in.a].decimals[i];
        auto share = Decimal::divide(annual, n);
        if (!share) return LaneFault{i, share.errors().front().message};
        auto rounded =
            Decimal::round(share.value(), regs[in.b].decimals[i], static_cast<RoundingMode>(in.k));
        if (!rounded) return LaneFault{i, rounded.errors().front().message};
        regs[in.d].decimals[i] = period->index < count
                                     ? rounded.value()
                                     : annual - rounded.value() * Decimal::from_int(count - 1);
      }
      return std::nullopt;
    }
    case OpCode::PERIOD_INDEX:
      for (auto i : active) regs[in.d].ints[i] = regs[in.a].periods[i].index;
      return std::nullopt;
    case OpCode::CHECK_WEIGHTS:
      for (auto i : active) {
        const Decimal& total = regs[in.a].decimals[i];
        if (total != Decimal::from_int(1))
          return LaneFault{i, "the weights of allocate(...) add up to " +
                                  (total * Decimal::from_int(100)).trimmed().to_string() +
                                  "%, not 100%"};
      }
      return std::nullopt;
    case OpCode::TIER_OF: {
      const RateTiers& t = chunk.tiers[in.k];
      for (auto i : active) {
        const Decimal& x = regs[in.a].decimals[i];
        Decimal scale = Decimal::from_int(1);
        if (t.has_base) {
          scale = regs[in.b].decimals[i];
          if (scale.sign() <= 0)
            return LaneFault{i, "the base of the rate tiers is " + scale.to_string() +
                                    "; it must be more than zero"};
        }
        std::int64_t tier = 0;
        for (std::size_t r = 0; r < t.lower.size(); ++r)
          if (t.lower[r] * scale <= x && (!t.has_upper[r] || x < t.upper[r] * scale))
            tier = static_cast<std::int64_t>(r) + 1;
        regs[in.d].ints[i] = tier;
      }
      return std::nullopt;
    }
    case OpCode::LOOKUP_MISSING: {
      const std::uint32_t i = active.front();
      return LaneFault{i, "`" + chunk.constants[in.k].text + "` has no entry for " +
                              describe_key(regs[in.a], i, env) + " and no `else` row"};
    }
    default:
      return std::nullopt;
  }
}

}  // namespace tally
