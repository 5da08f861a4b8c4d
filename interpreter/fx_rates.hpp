// Exchange rates for one run, read from the plan's FX source (the first
// source whose name starts with `fx`, with fields `date: date`,
// `currency: text`, `rate: decimal`). A rate is the number of units of the
// plan's currency that one unit of `currency` buys from its date on, until
// the next rate of that currency: the rate "as of" a day is the latest one
// on or before it. Conversions are exact multiplications, with at most one
// division (28 significant digits, half-even) when the target is not the
// plan's currency. See docs/semantics/currencies.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/decimal.hpp"
#include "interpreter/runtime/symbols.hpp"

namespace tally {

struct RunState;
struct VmEnv;

class FxRates {
 public:
  /// A currency as the rates know it: -1 is the plan's currency (rate 1 on
  /// every day); other values index the currencies of the FX source, or
  /// stand for a currency it has no row for (kUnknown).
  using CurrencyIndex = std::int32_t;
  static constexpr CurrencyIndex kPlan = -1;
  static constexpr CurrencyIndex kUnknown = -2;

  /// Whether the run has an FX source loaded (a run needs one only when the
  /// plan converts).
  bool loaded() const { return loaded_; }
  const std::string& source_name() const { return source_name_; }
  const std::string& plan_currency() const { return plan_currency_; }

  /// The currency written as `code` ("EUR").
  CurrencyIndex by_code(const std::string& code) const;
  /// The currency whose code is interned as `symbol` in the run's symbols.
  CurrencyIndex by_symbol(SymbolId symbol) const;
  /// The code of a currency known by index, or of a symbol.
  std::string code_of_symbol(SymbolId symbol) const;

  /// `amount` in currency `from` converted to currency `to` at the rates as
  /// of `day`; nullopt when a rate is missing (`from_missing` then tells
  /// whether it is the rate of `from` or of `to`).
  std::optional<Decimal> convert(const Decimal& amount, CurrencyIndex from, CurrencyIndex to,
                                 Date day, bool* from_missing) const;

  /// Why currency `currency` (code `code`) has no rate on `day`: what the
  /// message of a missing rate says after "no exchange rate for ...".
  std::string missing_reason(CurrencyIndex currency, const std::string& code, Date day) const;

  SymbolId plan_symbol() const { return plan_symbol_; }
  const SymbolTable* symbols() const { return symbols_; }
  /// The key field of each keyed source's table, to name transactions.
  const std::vector<std::pair<const Table*, int>>& keys() const { return keys_; }

  /// A conversion in the payouts of a --lenient run that found no rate: the
  /// VM records it here (and reads 1 in its place, a placeholder no
  /// division fails on); report_fx_misses then leaves its payout out.
  struct Miss {
    std::size_t payee = 0;               ///< roster row
    std::size_t period = 0;              ///< run period
    const ConstantSet* codes = nullptr;  ///< the set of the FX_CONVERT: which instruction
    std::string message;
  };
  mutable std::vector<Miss> misses;
  /// [payout * payees * periods + payee * periods + period]: 1 where that
  /// payout is left out for a missing rate.
  std::vector<std::uint8_t> left_out;

  /// Fills the rates from the run's FX source; reports bad rows through
  /// RunState::data_error. Defined in fx_rates.cpp.
  friend void load_fx_rates(RunState& state);

 private:
  struct Series {
    std::string code;
    std::vector<Date> days;  ///< ascending
    std::vector<Decimal> rates;
  };
  const Decimal* rate_on(CurrencyIndex currency, Date day) const;

  bool loaded_ = false;
  std::string source_name_;
  std::string plan_currency_;
  SymbolId plan_symbol_ = 0;
  const SymbolTable* symbols_ = nullptr;
  std::vector<Series> series_;
  std::unordered_map<std::string, CurrencyIndex> by_code_;
  std::unordered_map<SymbolId, CurrencyIndex> by_symbol_;
  std::vector<std::pair<const Table*, int>> keys_;
};

/// Builds state.fx from the plan's FX source when the program converts
/// currencies (Program::uses_fx); an error when it converts but the plan has
/// no usable FX source. Runs after load_sources.
void load_fx_rates(RunState& state);

/// True when `chunk` reads exchange rates (FX_CONVERT, FX_TO_PLAN): under
/// --lenient a missing rate is recorded in the run's state, so such chunks
/// are not run on two threads at once.
bool reads_exchange_rates(const Chunk& chunk);

/// The VM's FX_CONVERT over the active lanes `lanes`: amounts `amounts` in
/// the currency `codes.texts[0]` to `codes.texts[1]` as of `days`, into
/// `out`. On a missing rate, returns the lane and the message.
struct FxFault {
  std::uint32_t lane = 0;
  std::string message;
};
std::optional<FxFault> fx_convert_lanes(const ConstantSet& codes,
                                        const std::vector<std::uint32_t>& lanes,
                                        const std::vector<Decimal>& amounts,
                                        const std::vector<Date>& days, std::vector<Decimal>& out,
                                        const VmEnv& env);

/// The VM's FX_TO_PLAN: amounts in the per-row currencies `currencies`
/// (symbols) converted to the plan's currency as of `days`.
std::optional<FxFault> fx_to_plan_lanes(const std::vector<std::uint32_t>& lanes,
                                        const std::vector<Decimal>& amounts,
                                        const std::vector<Date>& days,
                                        const std::vector<SymbolId>& currencies,
                                        std::vector<Decimal>& out, const VmEnv& env);

/// Under --lenient, before the clawbacks and measures: runs each aggregate
/// that converts over its credits and rejects (missing_fx_rate) every credit
/// whose rate is missing, dropping it from state.credits so that no measure
/// counts it. Does nothing without --lenient (the aggregation stage then
/// stops on the first missing rate). Defined in fx_lenient.cpp.
void reject_credits_without_rates(RunState& state);

/// Under --lenient, after the payouts chunk of period `period` ran: turns the
/// conversions without a rate it recorded (FxRates::misses) into
/// missing_fx_rate rejects, leaving out the payout whose formula converts
/// (or the whole payee-period when a value computed for every payee does).
void report_fx_misses(RunState& state, std::size_t period);

/// Whether payout `payout` of payee `payee` in period `period` is left out
/// for a missing rate (see report_fx_misses).
bool left_out_by_fx(const RunState& state, std::size_t payout, std::size_t payee,
                    std::size_t period);

/// Adds the payee's currency to every payout row when the roster has a
/// `currency` field: the columns `currency` and `payee_amount`, the amount
/// converted at the rate as of the last day of the period and rounded with
/// the plan's rounding. A missing rate is an error naming the payee, the
/// period, the currency and the day.
void add_payee_currency(RunState& state, std::vector<std::string>& columns,
                        std::vector<std::vector<std::string>>& rows);

}  // namespace tally
