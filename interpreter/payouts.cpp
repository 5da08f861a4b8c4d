// Stage 4: values and payouts, period by period in order, one lane per payee.
// After the chunk of a period ran, the engine applies what carries over from
// one period to the next (docs/semantics/periods.md): yearly and deferred
// caps, yearly floors, payment plans, clawbacks and draws, in that order.
// Out of a settled period (a ledger's closed one) it carries the draw
// balances the ledger froze instead of its own (docs/adjustments.md).
#include <algorithm>

#include "interpreter/run_inspector.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/settled_balances.hpp"
#include "interpreter/value_format.hpp"

namespace tally {

namespace {

std::string value_text(const Register& reg, std::uint32_t lane) {
  if (reg.type == RegType::integer) return std::to_string(reg.ints[lane]);
  return reg.decimals[lane].to_string();
}

Decimal value_of(const Register& reg, std::uint32_t lane) {
  if (reg.type == RegType::integer) return Decimal::from_int(reg.ints[lane]);
  return reg.decimals[lane];
}

const Decimal& smaller(const Decimal& a, const Decimal& b) {
  return b < a ? b : a;
}
const Decimal& larger(const Decimal& a, const Decimal& b) {
  return a < b ? b : a;
}

/// [window * periods + p]: the first run period in p's plan year (0),
/// quarter (1) and run (2).
std::vector<std::size_t> window_starts(const std::vector<Period>& periods) {
  const std::size_t n = periods.size();
  std::vector<std::size_t> out(3 * n, 0);
  auto quarter = [](const Period& p) {
    return p.grain == Grain::month ? (p.index - 1) / 3 : p.index;
  };
  for (std::size_t p = 0; p < n; ++p) {
    const bool same_year = p > 0 && periods[p - 1].year == periods[p].year;
    out[p] = same_year ? out[p - 1] : p;
    out[n + p] = same_year && quarter(periods[p - 1]) == quarter(periods[p]) ? out[n + p - 1] : p;
  }
  return out;
}

}  // namespace

bool carries_state(const Program& program) {
  const CompiledPayouts& payouts = program.payouts;
  return !payouts.cumulative_values.empty() || payouts.reads_paid || !payouts.draws.empty() ||
         !program.clawbacks.empty() ||
         std::any_of(payouts.payouts.begin(), payouts.payouts.end(), [](const auto& p) {
           return p.cap_carried || p.floor_yearly || p.pay_min || p.pay_max;
         });
}

void compute_payouts(RunState& state, ResultTable& payouts, ResultTable& measures, Decimal& total) {
  const PlanModel& model = state.model;
  const CompiledPayouts& compiled = state.plan.program.payouts;
  const std::size_t payees = state.payee_count();
  const std::size_t periods = state.periods.size();
  const std::size_t slots = payees * periods;
  const InternedConstants interned = intern_constants(compiled.chunk, state.symbols);

  // The state carried across periods, charged before it is allocated.
  const std::size_t carried_values = compiled.cumulative_values.size() + compiled.payouts.size();
  if (!state.budget.charge_memory(carried_values * slots * sizeof(Decimal))) return;

  // State carried from one period to the next.
  const std::vector<std::size_t> windows = window_starts(state.periods);
  std::vector<std::vector<Decimal>> history(model.values.size());
  for (int v : compiled.cumulative_values) history[static_cast<std::size_t>(v)].assign(slots, {});
  std::vector<std::vector<Decimal>> paid(compiled.payouts.size(), std::vector<Decimal>(slots));
  const std::size_t P = compiled.payouts.size();
  const std::size_t D = compiled.draws.size();
  std::vector<Decimal> year_paid(P * payees);  // per payout and payee, this plan year
  std::vector<Decimal> deferred(P * payees);   // excess over a `cap ... defer`
  std::vector<Decimal> carried(P * payees);    // a payment plan's balance: owed to the payee if > 0
  std::vector<Decimal> balance(D * payees);    // a recoverable draw's balance
  const SettledBalances settled(state);
  if (!state.errors.empty()) return;
  using Carried = CarriedKind;

  // Clawbacks, in the order periods and payees are paid.
  std::vector<RunState::ClawbackEvent> events = state.clawback_events;
  std::stable_sort(events.begin(), events.end(), [&](const auto& a, const auto& b) {
    const auto pa = state.credits.payee[a.credit];
    const auto pb = state.credits.payee[b.credit];
    return a.charge != b.charge ? a.charge < b.charge : pa < pb;
  });
  std::size_t next_event = 0;

  VmEnv env;
  env.calendar = &model.calendar;
  env.budget = &state.budget;
  env.interned = &interned;
  env.periods = &state.periods;
  env.aggregates = &state.aggregates;
  env.tables = &state.table_values;
  env.history = &history;
  env.paid = &paid;
  env.window_start = &windows;
  env.fx = &state.fx;
  // under --lenient a lookup without a value leaves the payee-period out
  env.table_misses = state.lenient ? &state.table_misses : nullptr;
  std::copy(std::begin(state.kind_symbols), std::end(state.kind_symbols), env.kind_symbols);

  const Decimal& quantum = model.rounding_quantum;
  auto rounded = [&](const Decimal& x) {
    auto r = Decimal::round(x, quantum, model.rounding);
    return r ? r.value() : x;
  };

  // Rows are produced period by period; statements read payee by payee.
  // Per payee-period block: values, then each payout's deferred and carried
  // balances, then draw balances (measures); payouts, then clawbacks, then
  // each draw and its recovery (payouts).
  using KeyedRow = std::pair<std::size_t, std::vector<std::string>>;
  std::vector<KeyedRow> payout_rows;
  std::vector<KeyedRow> measure_rows;
  std::vector<std::pair<std::size_t, CarriedBalance>> balance_rows;
  const std::size_t V = model.values.size();
  const std::size_t width = V + 2 * P + 2 * D + 1;
  const bool keep_measures = !measures.columns.empty();  // the caller asked for the table
  // Result rows are charged to the memory budget a batch at a time.
  std::size_t charged_payout_rows = 0;
  std::size_t charged_measure_rows = 0;
  auto charge_new_rows = [&] {
    std::size_t bytes = 0;
    for (; charged_payout_rows < payout_rows.size(); ++charged_payout_rows)
      bytes += result_row_bytes(payout_rows[charged_payout_rows].second);
    for (; charged_measure_rows < measure_rows.size(); ++charged_measure_rows)
      bytes += result_row_bytes(measure_rows[charged_measure_rows].second);
    return state.budget.charge_memory(bytes);
  };
  Frame frame;
  std::vector<Decimal> charged(P);      // per payout: the clawbacks of one payee-period
  std::vector<std::uint8_t> any(P, 0);  // per payout: whether it has any
  for (std::size_t p = 0; p < periods; ++p) {
    const std::string label = period_label(state.periods[p], model.calendar);
    const bool new_year = p > 0 && state.periods[p - 1].year != state.periods[p].year;
    if (new_year) std::fill(year_paid.begin(), year_paid.end(), Decimal{});
    const bool year_ends = state.periods[p].index == periods_per_year(state.periods[p].grain);
    env.period_index = p;
    const bool shown = p >= state.first_paid;
    env.roster = model.roster >= 0 ? &state.roster_in_period(p) : nullptr;
    for (std::size_t base = 0; base < payees; base += kBatchSize) {
      if (state.budget.should_stop() || !charge_new_rows()) return;
      const std::size_t lanes = std::min(kBatchSize, payees - base);
      frame.reset(compiled.chunk, lanes);
      env.payee_base = base;
      if (auto fault = Vm::run(compiled.chunk, frame, env)) {
        const auto payee = static_cast<std::int32_t>(base + fault->lane);
        state.errors.push_back(Error{state.plan_location(compiled.chunk.spans[fault->instruction]),
                                     fault->message + " (payee \"" +
                                         std::string(state.payee_id(payee)) + "\", period " +
                                         label + ")",
                                     ""});
        return;
      }
      report_table_misses(state, p);  // --lenient leaves these payee-periods out
      if (state.inspector) state.inspector->payouts_ran(state, p, env, base, lanes);
      for (std::uint32_t lane = 0; lane < lanes; ++lane) {
        const std::size_t g = base + lane;
        if (left_out_by_tables(state, g, p)) continue;
        const std::size_t slot = g * periods + p;
        const std::string payee(state.payee_id(static_cast<std::int32_t>(g)));
        const std::size_t key = slot * width;
        auto measure_row = [&](std::size_t offset, const std::string& name, std::string value) {
          if (shown && keep_measures)
            measure_rows.push_back({key + offset, {payee, label, name, std::move(value)}});
        };
        auto balance_row = [&](std::size_t offset, Carried kind, const std::string& name,
                               const Decimal& amount) {
          if (shown && !amount.is_zero())
            balance_rows.push_back(
                {key + offset, CarriedBalance{payee, label, carried_kind_name(kind), name,
                                              format_amount(amount)}});
        };
        auto payout_row = [&](std::size_t offset, const std::string& name, const Decimal& amount) {
          if (!shown) return;
          total = total + amount;
          payout_rows.push_back({key + offset, {payee, label, name, format_amount(amount)}});
        };
        for (int v : compiled.cumulative_values)
          history[static_cast<std::size_t>(v)][slot] =
              value_of(frame.reg(compiled.value_regs[static_cast<std::size_t>(v)]), lane);
        for (std::size_t v = 0; v < V && shown && keep_measures; ++v) {
          if (!model.values[v].decl->is_measure) continue;
          measure_row(v, model.values[v].decl->name,
                      value_text(frame.reg(compiled.value_regs[v]), lane));
        }

        Decimal earnings;
        for (std::size_t i = 0; i < P; ++i) {
          const auto& payout = compiled.payouts[i];
          const ast::PayoutDecl& decl = *model.payouts[i].decl;
          if (payout.guarded && !frame.reg(payout.guard_reg).bools[lane]) continue;
          if (left_out_by_fx(state, i, g, p)) continue;  // --lenient: a rate it needs is missing
          const std::size_t at = i * payees + g;
          Decimal amount = frame.reg(payout.amount_reg).decimals[lane];
          if (payout.cap_carried) {
            const Decimal available = decl.cap_defer ? amount + deferred[at] : amount;
            const Decimal& cap = frame.reg(payout.cap_reg).decimals[lane];
            const Decimal room = larger(decl.cap_per == "year" ? cap - year_paid[at] : cap, {});
            amount = rounded(smaller(available, room));
            if (decl.cap_defer) deferred[at] = available - amount;
          }
          if (payout.floor_yearly && year_ends)
            amount =
                rounded(larger(amount, frame.reg(payout.floor_reg).decimals[lane] - year_paid[at]));
          year_paid[at] = year_paid[at] + amount;
          if (payout.pay_min || payout.pay_max) {
            const Decimal available = amount + carried[at];
            Decimal pay = available;
            if (payout.pay_max) pay = smaller(pay, frame.reg(payout.pay_max_reg).decimals[lane]);
            if (payout.pay_min) pay = larger(pay, frame.reg(payout.pay_min_reg).decimals[lane]);
            amount = rounded(pay);
            carried[at] = available - amount;
          }
          paid[i][slot] = amount;
          earnings = earnings + amount;
          payout_row(i, decl.name, amount);
          if (decl.cap_defer) {
            measure_row(V + i, decl.name + "_deferred", format_amount(deferred[at]));
            balance_row(V + i, Carried::deferred, decl.name, deferred[at]);
          }
          if (payout.pay_min || payout.pay_max) {
            measure_row(V + P + i, decl.name + "_carried", format_amount(carried[at]));
            balance_row(V + P + i, Carried::carried, decl.name, carried[at]);
          }
        }

        // Clawbacks charged to this payee in this period: the share of each
        // clawed-back credit in the payout of the period it was earned in.
        std::fill(charged.begin(), charged.end(), Decimal{});
        std::fill(any.begin(), any.end(), 0);
        while (next_event < events.size() &&
               static_cast<std::size_t>(events[next_event].charge) == p &&
               static_cast<std::size_t>(state.credits.payee[events[next_event].credit]) == g) {
          const RunState::ClawbackEvent& event = events[next_event++];
          const auto i = static_cast<std::size_t>(model.clawbacks[event.clawback].payout);
          const std::size_t earned =
              g * periods + static_cast<std::size_t>(state.credits.period[event.credit]);
          const Decimal& base = state.clawback_base[event.clawback][earned];
          if (base.sign() == 0 || paid[i][earned].sign() == 0) continue;
          const auto part = Decimal::divide(paid[i][earned] * event.weight, base);
          if (!part) continue;
          charged[i] = charged[i] + part.value() * event.share;
          any[i] = 1;
        }
        for (std::size_t i = 0; i < P; ++i) {
          if (!any[i]) continue;
          const Decimal amount = rounded(-charged[i]);
          if (amount.sign() != 0)
            payout_row(P + i, model.payouts[i].decl->name + "_clawback", amount);
        }

        // Draws top up the period's earnings (its payouts, before clawbacks).
        for (std::size_t d = 0; d < D; ++d) {
          const auto& draw = compiled.draws[d];
          const ast::DrawDecl& decl = *model.draws[d].decl;
          const bool runs = !draw.guarded || frame.reg(draw.guard_reg).bools[lane];
          Decimal& owed = balance[d * payees + g];
          const bool had_balance = owed.sign() != 0;
          Decimal recovery;
          if (runs) {
            const Decimal& amount = frame.reg(draw.amount_reg).decimals[lane];
            const Decimal top_up = larger(amount - earnings, {});
            if (draw.recoverable) {
              // While the draw runs only earnings above it repay it.
              recovery = smaller(larger(earnings - amount, {}), owed);
              owed = owed + top_up;
            }
            payout_row(2 * P + 2 * d, decl.name, top_up);
          } else if (draw.recoverable) {
            recovery = smaller(larger(earnings, {}), owed);
          }
          if (draw.limited) recovery = smaller(recovery, frame.reg(draw.limit_reg).decimals[lane]);
          recovery = rounded(larger(recovery, {}));
          owed = owed - recovery;
          if (recovery.sign() != 0)
            payout_row(2 * P + 2 * d + 1, decl.name + "_recovery", -recovery);
          if (draw.recoverable && (runs || had_balance))
            measure_row(V + 2 * P + d, decl.name + "_balance", format_amount(owed));
          balance_row(V + 2 * P + d, Carried::draw, decl.name, owed);
        }

        // A settled period's rows are computed, but the draw balance it
        // carries into the next period is what the ledger froze when the
        // period was paid: an advance paid is final.
        if (settled.settles(p))
          for (std::size_t d = 0; d < D; ++d)
            if (compiled.draws[d].recoverable)
              balance[d * payees + g] = settled.draw_balance(d, g, p);
      }
    }
  }
  if (!charge_new_rows()) return;  // the last batch's
  state.paid = std::move(paid);
  // Payout rows come period by period, and in key order within each payee
  // and period (payouts, clawbacks, draws): placed payee by payee (a
  // counting sort, stable), they are in key order without a sort.
  const std::size_t per_payee = width * periods;  // keys per payee
  std::vector<std::size_t> first_of(payees + 1, 0);
  for (const KeyedRow& row : payout_rows) ++first_of[row.first / per_payee + 1];
  for (std::size_t g = 0; g < payees; ++g) first_of[g + 1] += first_of[g];
  const std::size_t before = payouts.rows.size();
  payouts.rows.resize(before + payout_rows.size());
  for (KeyedRow& row : payout_rows)
    payouts.rows[before + first_of[row.first / per_payee]++] = std::move(row.second);
  // Measure rows are not in key order within a payee and period (a payout's
  // deferred and carried balances alternate): sorted.
  auto by_key = [](const KeyedRow& a, const KeyedRow& b) { return a.first < b.first; };
  std::sort(measure_rows.begin(), measure_rows.end(), by_key);
  for (auto& row : measure_rows) measures.rows.push_back(std::move(row.second));
  std::sort(balance_rows.begin(), balance_rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& row : balance_rows) state.balances.push_back(std::move(row.second));
}

}  // namespace tally
