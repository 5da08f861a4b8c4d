// The values of a plan's tables and goals during one run. A table whose keys
// are only `payee` and/or `period` is a dense array (a lookup is one load);
// a table keyed by other values (a segment, a product) is a hash from its
// key tuple to a slot. Filled by the engine (table_values.cpp) before the
// payouts run; read by the VM's table instructions (table_lookup.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "interpreter/runtime/decimal.hpp"
#include "interpreter/runtime/symbols.hpp"

namespace tally {

/// A key tuple of up to two keys, each encoded as an integer (a symbol id,
/// a period ordinal, a day number, an integer, 0/1 for a boolean).
struct TableKey {
  std::int64_t first = 0;
  std::int64_t second = 0;
  friend bool operator==(const TableKey&, const TableKey&) = default;
};

struct TableKeyHash {
  std::size_t operator()(const TableKey& key) const {
    const std::size_t a = std::hash<std::int64_t>{}(key.first);
    return a ^
           (std::hash<std::int64_t>{}(key.second) + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  }
};

/// How one table keeps its values.
struct TableLayout {
  std::string name;                    ///< for messages
  std::vector<std::string> key_names;  ///< as declared: "payee", "period", "segment"
  bool dense = true;                   ///< keys are only payee and/or period
  bool has_payee = false;              ///< dense: keyed by payee
  bool has_period = false;             ///< dense: keyed by period
  bool integral = false;               ///< values are integers (else decimals)
  std::vector<Decimal> decimals;       ///< by slot
  std::vector<std::int64_t> integers;  ///< by slot, for integer tables
  std::vector<std::uint8_t> present;   ///< by slot: 1 where there is a value
  std::unordered_map<TableKey, std::uint32_t, TableKeyHash> slots;  ///< keyed tables
  /// Why a computed value is missing (its definition failed for that slot),
  /// for the message of a lookup that needs it.
  std::unordered_map<std::size_t, std::string> missing_because;
};

/// A lookup that found no value in a payout under `--lenient`: the payee
/// and period (run indexes) whose rows are then left out, and why.
struct TableMiss {
  std::size_t payee = 0;
  std::size_t period = 0;
  std::string message;
};

/// Every table of a run, and what lookups need to find a slot.
struct TableStore {
  bool filled = false;  ///< false until the tables stage ran
  /// false while only the tables without a `period` key are filled (before
  /// crediting); a lookup of a period table then is refused by name.
  bool periods_ready = false;
  /// Per table: filled from its source before crediting (kept, not re-read).
  std::vector<std::uint8_t> early;
  std::int64_t first_period = 0;  ///< ordinal of the first period held (a plan year's first)
  std::size_t period_count = 0;   ///< whole plan years of periods, covering the run
  std::size_t payee_count = 0;
  std::vector<TableLayout> tables;
  /// Per payee: every payee below them in the roster's `manager` hierarchy.
  std::vector<std::vector<std::int32_t>> reports;
  const std::vector<std::int32_t>* payee_of_symbol = nullptr;  ///< roster row of a symbol, or -1
  const SymbolTable* symbols = nullptr;
  int hire_field = -1;  ///< the roster's `hire_date` field, or -1
  int end_field = -1;   ///< the roster's `end_date` field, or -1

  /// The slot of a dense table for a payee row and a period index (from
  /// first_period); both already checked to be in range.
  std::size_t dense_slot(const TableLayout& table, std::size_t payee, std::size_t period) const {
    const std::size_t periods = table.has_period ? period_count : 1;
    return (table.has_payee ? payee : 0) * periods + (table.has_period ? period : 0);
  }
  /// How many slots a dense table has.
  std::size_t dense_size(const TableLayout& table) const {
    return (table.has_payee ? payee_count : 1) * (table.has_period ? period_count : 1);
  }
};

}  // namespace tally
