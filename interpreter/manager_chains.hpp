// The roster's hierarchy as of a date: who manages whom, read from the
// `manager` field of the roster row in force on that date (one row per payee,
// or an effective-dated roster). Used by `managers(...)` rollup credit lines.
#pragma once

#include <cstdint>
#include <vector>

#include "interpreter/run_state.hpp"

namespace tally {

class ManagerChains {
 public:
  explicit ManagerChains(const RunState& state);

  /// Whether the roster has a `manager` field.
  bool available() const { return manager_ >= 0; }
  /// The roster table and row in force for `payee` on `date`.
  const Table& table() const { return *rows_; }
  std::uint32_t row_at(std::int32_t payee, Date date) const;
  /// Per payee its manager (as manager_of() has it) when the roster is not
  /// dated, else null.
  const std::int32_t* static_managers() const {
    return static_managers_.empty() ? nullptr : static_managers_.data();
  }
  /// The manager of `payee` on `date`: a payee index, kNone when the field
  /// is empty, or kUnknown when it names nobody in the roster.
  std::int32_t manager_of(std::int32_t payee, Date date) const {
    // Inline: a rollup line asks it for every credit.
    if (!static_managers_.empty()) return static_managers_[static_cast<std::size_t>(payee)];
    return look_up_manager(payee, date);
  }
  /// The role of `payee` on `date` (a symbol), or nullopt without a role field.
  std::optional<SymbolId> role_of(std::int32_t payee, Date date) const;
  /// The manager id as written, for messages (valid after kUnknown).
  SymbolId manager_symbol(std::int32_t payee, Date date) const;

  static constexpr std::int32_t kNone = -1;
  static constexpr std::int32_t kUnknown = -2;

 private:
  const RunState& state_;
  const Table* rows_ = nullptr;  // the history, or the roster itself
  int manager_ = -1;
  int role_ = -1;
  std::vector<std::int32_t> static_managers_;  // per payee, when the roster is not dated

  std::int32_t look_up_manager(std::int32_t payee, Date date) const;
};

/// Reports a cycle in the manager chain (as of each date a roster row
/// starts) as an error naming the payees around it.
void check_manager_cycles(RunState& state);

}  // namespace tally
