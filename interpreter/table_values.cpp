// Stage 3b: tables. A table keyed by (payee, period) becomes a dense array
// of its values, filled from its source's rows for the periods being paid,
// so a lookup in a payout is one load.
#include <string>

#include "interpreter/compiler.hpp"
#include "interpreter/run_stages.hpp"

namespace tally {

namespace {

int file_row(const Table& table, std::size_t row) {
  return table.file_rows.empty() ? static_cast<int>(row + 2)
                                 : static_cast<int>(table.file_rows[row]);
}

}  // namespace

void fill_tables(RunState& state) {
  const PlanModel& model = state.model;
  const std::size_t payees = state.payee_count();
  const std::size_t periods = state.periods.size();
  TableValues& out = state.table_values;
  out.periods = periods;
  out.decimals.assign(model.tables.size(), {});
  out.integers.assign(model.tables.size(), {});
  out.present.assign(model.tables.size(), {});
  out.names.clear();
  for (const TableModel& t : model.tables) out.names.push_back(t.decl->name);
  if (periods == 0) return;
  const std::int64_t first = period_ordinal(state.periods.front());

  for (std::size_t index = 0; index < model.tables.size(); ++index) {
    if (!runnable_table(model, static_cast<int>(index))) continue;
    const TableModel& t = model.tables[index];
    const Table& source = state.tables[t.source];
    const Column& payee_column = source.columns[t.columns[0]];
    const Column& period_column = source.columns[t.columns[1]];
    const Column& value_column = source.columns[t.columns[2]];
    const bool integral = reg_type_of(t.type) == RegType::integer;
    std::vector<std::int64_t> row_of(payees * periods, -1);
    if (integral)
      out.integers[index].assign(payees * periods, 0);
    else
      out.decimals[index].assign(payees * periods, Decimal{});
    out.present[index].assign(payees * periods, 0);

    for (std::size_t row = 0; row < source.rows; ++row) {
      if (payee_column.is_null(row) || period_column.is_null(row) || value_column.is_null(row))
        continue;
      const SymbolId who = payee_column.symbols[row];
      const std::int32_t payee =
          who < state.payee_of_symbol.size() ? state.payee_of_symbol[who] : -1;
      if (payee < 0) {
        state.errors.push_back(Error{{source.path, file_row(source, row), 0, 0},
                                     "`" + t.decl->name + "` has a row for \"" +
                                         std::string(state.text(who)) +
                                         "\", who is not in the roster",
                                     ""});
        continue;
      }
      const std::int64_t period = period_ordinal(period_column.periods[row]) - first;
      if (period < 0 || period >= static_cast<std::int64_t>(periods))
        continue;  // not paid in this run
      const std::size_t slot =
          static_cast<std::size_t>(payee) * periods + static_cast<std::size_t>(period);
      if (row_of[slot] >= 0) {
        state.errors.push_back(Error{
            {source.path, file_row(source, row), 0, 0},
            "`" + t.decl->name + "` has two rows for payee \"" + std::string(state.text(who)) +
                "\" in " +
                period_label(state.periods[static_cast<std::size_t>(period)], model.calendar) +
                ": rows " +
                std::to_string(file_row(source, static_cast<std::size_t>(row_of[slot]))) + " and " +
                std::to_string(file_row(source, row)),
            ""});
        continue;
      }
      row_of[slot] = static_cast<std::int64_t>(row);
      out.present[index][slot] = 1;
      if (integral)
        out.integers[index][slot] = value_column.ints[row];
      else
        out.decimals[index][slot] = value_column.decimals.at(row);
    }
  }
}

}  // namespace tally
