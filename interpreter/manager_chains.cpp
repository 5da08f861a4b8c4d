#include "interpreter/manager_chains.hpp"

#include <limits>
#include <optional>

#include "interpreter/row_labels.hpp"

namespace tally {

ManagerChains::ManagerChains(const RunState& state) : state_(state) {
  if (state.model.roster < 0) return;
  rows_ = state.roster_history.dated() ? &state.roster_history.rows : &state.roster();
  const auto& fields = state.model.sources[state.model.roster].schema.fields;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].name == "manager") manager_ = static_cast<int>(f);
    if (fields[f].name == "role") role_ = static_cast<int>(f);
  }
  // Without effective dates a payee's manager never changes: one lookup each,
  // instead of one per credit.
  if (!state.roster_history.dated() && manager_ >= 0) {
    const std::size_t payees = state.payee_count();
    static_managers_.resize(payees);
    for (std::size_t p = 0; p < payees; ++p)
      static_managers_[p] = look_up_manager(static_cast<std::int32_t>(p), Date{});
  }
}

std::uint32_t ManagerChains::row_at(std::int32_t payee, Date date) const {
  return state_.roster_history.dated() ? state_.roster_history.row_at(payee, date)
                                       : static_cast<std::uint32_t>(payee);
}

std::int32_t ManagerChains::look_up_manager(std::int32_t payee, Date date) const {
  const std::uint32_t row = row_at(payee, date);
  const Column& column = rows_->columns[static_cast<std::size_t>(manager_)];
  if (column.is_null(row)) return kNone;
  const SymbolId id = column.symbols[row];
  if (state_.text(id).empty()) return kNone;
  const std::int32_t manager =
      id < state_.payee_of_symbol.size() ? state_.payee_of_symbol[id] : kUnknown;
  return manager < 0 ? kUnknown : manager;
}

std::optional<SymbolId> ManagerChains::role_of(std::int32_t payee, Date date) const {
  if (role_ < 0) return std::nullopt;
  const std::uint32_t row = row_at(payee, date);
  const Column& column = rows_->columns[static_cast<std::size_t>(role_)];
  if (column.is_null(row)) return std::nullopt;
  return column.symbols[row];
}

SymbolId ManagerChains::manager_symbol(std::int32_t payee, Date date) const {
  return rows_->columns[static_cast<std::size_t>(manager_)].symbols[row_at(payee, date)];
}

namespace {

std::string as_of(const RunState& state, Date date) {
  if (!state.roster_history.dated()) return "";
  if (date.days == std::numeric_limits<std::int32_t>::min()) return " (from the start)";
  return " (as of " + format_date(date) + ")";
}

}  // namespace

void check_manager_cycles(RunState& state) {
  const ManagerChains chains(state);
  if (!chains.available()) return;
  const std::size_t payees = state.payee_count();
  // Walks start from every payee, as of each date one of its rows starts
  // (a change of manager can close a cycle only on such a date).
  struct Start {
    std::int32_t payee;
    Date date;
  };
  std::vector<Start> starts;
  if (state.roster_history.dated()) {
    const auto& from = state.roster_history.rows
                           .columns[static_cast<std::size_t>(state.roster_history.effective_from)]
                           .dates;
    for (std::size_t p = 0; p < payees; ++p)
      for (std::uint32_t row : state.roster_history.rows_of_payee[p])
        starts.push_back({static_cast<std::int32_t>(p), from[row]});
  } else {
    for (std::size_t p = 0; p < payees; ++p) starts.push_back({static_cast<std::int32_t>(p), {}});
  }
  std::vector<std::size_t> seen_in_walk(payees, 0);
  std::vector<std::int32_t> path;
  std::vector<std::uint8_t> reported(payees, 0);
  for (std::size_t w = 0; w < starts.size(); ++w) {
    const auto [start, date] = starts[w];
    path.clear();
    for (std::int32_t p = start; p >= 0; p = chains.manager_of(p, date)) {
      if (seen_in_walk[static_cast<std::size_t>(p)] == w + 1) {
        // p closes the cycle: report it once, from p around to p.
        if (reported[static_cast<std::size_t>(p)]) break;
        std::string names;
        std::size_t i = 0;
        while (path[i] != p) ++i;
        for (; i < path.size(); ++i) {
          reported[static_cast<std::size_t>(path[i])] = 1;
          names += "\"" + std::string(state.payee_id(path[i])) + "\" -> ";
        }
        names += "\"" + std::string(state.payee_id(p)) + "\"";
        const std::uint32_t row = chains.row_at(p, date);
        state.errors.push_back(
            Error{row_location(chains.table(), row),
                  "the roster's manager chain goes round in a cycle: " + names + as_of(state, date),
                  "a payee cannot be their own manager, directly or not"});
        break;
      }
      seen_in_walk[static_cast<std::size_t>(p)] = w + 1;
      path.push_back(p);
    }
  }
}

}  // namespace tally
