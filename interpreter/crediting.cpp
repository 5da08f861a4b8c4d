// Stage 2: crediting. Each credit rule runs as bytecode over batches of its
// source's rows; the rows left active after the `where` filter yield one
// credit per credit line: (row, payee, kind, share, amount × share, date).
#include <algorithm>

#include "interpreter/run_stages.hpp"
#include "interpreter/runtime/spelling.hpp"

namespace tally {

namespace {

constexpr std::size_t kMaxErrors = 20;

std::string source_row_label(const Table& table, std::size_t row) {
  return table.path + " row " +
         std::to_string(table.file_rows.empty() ? row + 2 : table.file_rows[row]);
}

Location row_location(const Table& table, std::size_t row) {
  Location where;
  where.file = table.path;
  where.line =
      table.file_rows.empty() ? static_cast<int>(row + 2) : static_cast<int>(table.file_rows[row]);
  return where;
}

}  // namespace

void credit_transactions(RunState& state) {
  const PlanModel& model = state.model;
  for (int k = 0; k < ast::kCreditKinds; ++k)
    state.kind_symbols[k] =
        state.symbols.intern(ast::credit_kind_name(static_cast<ast::CreditKind>(k)));

  for (std::size_t r = 0; r < state.plan.program.rules.size(); ++r) {
    const CompiledRule& rule = state.plan.program.rules[r];
    const Table& table = state.tables[rule.source];
    const InternedConstants interned = intern_constants(rule.chunk, state.symbols);
    VmEnv env;
    env.calendar = &model.calendar;
    env.interned = &interned;
    env.rows = &table;
    Frame frame;
    for (std::size_t base = 0; base < table.rows; base += kBatchSize) {
      const std::size_t lanes = std::min(kBatchSize, table.rows - base);
      frame.reset(rule.chunk, lanes);
      env.row_base = base;
      if (auto fault = Vm::run(rule.chunk, frame, env)) {
        state.errors.push_back(Error{state.plan_location(rule.chunk.spans[fault->instruction]),
                                     fault->message + " (credit rule `" +
                                         model.rules[r].decl->name + "`, " +
                                         source_row_label(table, base + fault->lane) + ")",
                                     ""});
        return;
      }
      const auto& dates = frame.reg(rule.date_reg).dates;
      const auto& amounts = frame.reg(rule.amount_reg).decimals;
      for (std::uint32_t lane : frame.active()) {
        const std::size_t row = base + lane;
        const Period period = period_of(dates[lane], model.calendar);
        for (std::size_t l = 0; l < rule.lines.size(); ++l) {
          const CompiledRule::Line& line = rule.lines[l];
          const SymbolId who = frame.reg(line.payee_reg).symbols[lane];
          const std::int32_t payee =
              who < state.payee_of_symbol.size() ? state.payee_of_symbol[who] : -1;
          if (payee < 0) {
            if (state.errors.size() < kMaxErrors) {
              std::vector<std::string> ids;
              const Column& keys = state.roster().columns[model.roster_key];
              for (SymbolId id : keys.symbols) ids.emplace_back(state.text(id));
              const auto close = closest_match(std::string(state.text(who)), ids);
              state.errors.push_back(Error{row_location(table, row),
                                           "credit rule `" + model.rules[r].decl->name +
                                               "` credits payee \"" + std::string(state.text(who)) +
                                               "\", who is not in the roster `" +
                                               model.sources[model.roster].schema.name + "`",
                                           close ? "did you mean \"" + *close + "\"?" : ""});
            }
            continue;
          }
          const Decimal& share = frame.reg(line.share_reg).decimals[lane];
          state.credits.row.push_back(static_cast<std::uint32_t>(row));
          state.credits.rule.push_back(static_cast<std::uint16_t>(r));
          state.credits.line.push_back(static_cast<std::uint16_t>(l));
          state.credits.payee.push_back(payee);
          state.credits.period.push_back(-1);
          state.credits.date.push_back(dates[lane]);
          state.credits.kind.push_back(line.kind);
          state.credits.share.push_back(share);
          state.credits.amount.push_back(amounts[lane] * share);
          state.credit_periods.push_back(period);
        }
      }
    }
  }
}

}  // namespace tally
