// The per payee-period accumulators of one aggregate (sum, count, min,
// max, mean, exact distinct sets): what aggregation folds credits into.
// They are mergeable, so that credits can be folded in parts: the two
// halves of a large aggregate on two threads (aggregation.cpp), and the
// chunks of a streamed run (streaming.cpp), whose credits are dropped once
// folded.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "interpreter/credit_runs.hpp"
#include "interpreter/run_state.hpp"

namespace tally {

/// The (slot, value) pairs a `count(distinct x)` sees, then the number of
/// different values per slot. Values are compared as their type compares
/// them: text by symbol, decimals by value (1.5 and 1.50 are one value).
class DistinctValues {
 public:
  void add(std::size_t slot, const Register& reg, std::uint32_t lane) {
    switch (reg.type) {
      case RegType::decimal:
        decimals_.emplace_back(slot, reg.decimals[lane]);
        return;
      case RegType::boolean:
        bits_.emplace_back(slot, reg.bools[lane]);
        return;
      case RegType::integer:
        bits_.emplace_back(slot, static_cast<std::uint64_t>(reg.ints[lane]));
        return;
      case RegType::date:
        bits_.emplace_back(slot, static_cast<std::uint32_t>(reg.dates[lane].days));
        return;
      case RegType::period:
        bits_.emplace_back(slot, static_cast<std::uint64_t>(period_ordinal(reg.periods[lane])));
        return;
      case RegType::symbol:
        bits_.emplace_back(slot, reg.symbols[lane]);
        return;
    }
  }

  /// Takes in the values of `later` (the credits after these).
  void absorb(DistinctValues& later) {
    bits_.insert(bits_.end(), later.bits_.begin(), later.bits_.end());
    decimals_.insert(decimals_.end(), later.decimals_.begin(), later.decimals_.end());
  }

  /// Moves every value into `to`, its slot renamed by `slot_of` (from this
  /// accumulator's slots to `to`'s), then keeps each (slot, value) once in
  /// `to`, so that memory holds the distinct values, not the credits.
  template <class SlotOf>
  void fold_into(DistinctValues& to, SlotOf slot_of) {
    for (auto& [slot, value] : bits_) to.bits_.emplace_back(slot_of(slot), value);
    for (auto& [slot, value] : decimals_) to.decimals_.emplace_back(slot_of(slot), value);
    bits_.clear();
    decimals_.clear();
    to.compact();
  }
  /// Keeps each (slot, value) pair once.
  void compact() {
    unique_pairs(bits_);
    unique_pairs(decimals_);
  }
  /// Drops every value.
  void clear() {
    bits_.clear();
    decimals_.clear();
  }

  std::vector<std::int64_t> counts(std::size_t slots) {
    std::vector<std::int64_t> out(slots, 0);
    count_into(bits_, out);
    count_into(decimals_, out);
    return out;
  }

 private:
  template <class Pairs>
  static void unique_pairs(Pairs& pairs) {
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  }
  template <class Pairs>
  static void count_into(Pairs& pairs, std::vector<std::int64_t>& out) {
    std::sort(pairs.begin(), pairs.end());
    for (std::size_t i = 0; i < pairs.size(); ++i)
      if (i == 0 || !(pairs[i] == pairs[i - 1])) ++out[pairs[i].first];
  }

  std::vector<std::pair<std::size_t, std::uint64_t>> bits_;
  std::vector<std::pair<std::size_t, Decimal>> decimals_;
};

/// Where the credits of one (payee, period) are kept among an accumulator's
/// slots: payee-major for a whole run's aggregates (payee * periods +
/// period), period-major for a streamed run's totals, which grow a period at
/// a time as the credits meet new ones, so that chunks fold straight in.
struct SlotLayout {
  std::size_t per_payee = 1;
  std::size_t per_period = 1;
  std::size_t slot(std::int32_t payee, std::int32_t period) const {
    return static_cast<std::size_t>(payee) * per_payee +
           static_cast<std::size_t>(period) * per_period;
  }
};

/// The periods credits fell in, numbered in the order met (local periods):
/// a streamed run, or one that folds while crediting, chooses the run's
/// periods only once every credit is folded. Every credit looks its period
/// up here, in a table indexed from the lowest ordinal met.
class LocalPeriods {
 public:
  /// The local period of `ordinal`, met before or added now.
  std::size_t local(std::int32_t ordinal) {
    const std::int64_t at = std::int64_t{ordinal} - lowest_;
    if (at >= 0 && at < static_cast<std::int64_t>(local_of_.size()) &&
        local_of_[static_cast<std::size_t>(at)] >= 0)
      return static_cast<std::size_t>(local_of_[static_cast<std::size_t>(at)]);
    return add(ordinal);
  }
  /// Per local period: its ordinal.
  const std::vector<std::int32_t>& ordinals() const { return ordinals_; }
  std::size_t size() const { return ordinals_.size(); }

 private:
  std::size_t add(std::int32_t ordinal);
  std::vector<std::int32_t> ordinals_;
  std::int64_t lowest_ = 0;             ///< the ordinal local_of_ starts at
  std::vector<std::int32_t> local_of_;  ///< per ordinal from lowest_: its local period, or -1
};

/// A sum kept as 64-bit `units` at `scale`, as a Decimal at the largest
/// scale of its terms, `widest` (a sum of Decimals takes its terms' largest
/// scale; the units were kept at the larger `scale`).
Decimal settled_units(std::int64_t units, int scale, int widest);

/// Credit amounts added as 64-bit units at one scale per slot
/// (credit_amount_sums.cpp), not yet in an accumulator's exact sums: a
/// streamed run keeps them from chunk to chunk and adds them in once.
struct UnitSums {
  int scale = 0;  ///< of the units
  std::vector<std::int64_t> units;
  std::vector<std::uint8_t> widest;  ///< per slot: the largest scale of its terms
  std::vector<std::uint8_t> any;     ///< per slot: whether it has a term
};

/// The per payee-period results of one aggregate over some credits.
struct Accumulator {
  Accumulator(bool integral_values, std::size_t slots)
      : integral(integral_values),
        sums(integral ? 0 : slots),
        counts(slots, 0),
        int_values(integral ? slots : 0, 0) {}

  bool integral;  ///< values are integers (int_values), else decimals (sums)

  std::vector<Decimal> sums;
  std::vector<std::int64_t> counts;
  std::vector<std::int64_t> int_values;
  DistinctValues seen;
  UnitSums unsettled;          ///< amounts added as units, not yet in `sums` (see settle)
  std::optional<Error> fault;  ///< the first fault or overflow; the rest was not run

  /// Folds the credits of `runs` in (after any folded before: a slot's
  /// count says whether it has a value yet).
  void run(const RunState& state, const CompiledAggregate& aggregate,
           const InternedConstants& interned, const std::vector<CreditRun>& runs, SlotLayout layout,
           bool distinct);
  /// Adds `later` (the credits after these) in; false when that overflows an
  /// integer or either half stopped on a fault.
  bool join(Accumulator& later, AggregateKind kind);
  /// Grows to `slots` slots (new ones empty).
  void grow(std::size_t slots);
  /// Adds the unsettled units into `sums` (a sum of Decimals has its terms'
  /// largest scale), leaving none.
  void settle();
  /// Adds slot `slot`'s unsettled units into its sum and zeroes them (its
  /// largest scale stays: more terms may come).
  void settle_units(std::size_t slot);
};

}  // namespace tally
