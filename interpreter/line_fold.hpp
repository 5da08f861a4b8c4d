// Folding credits as they are made, without writing them: a credit rule's
// lines over a batch of rows hand each credit (payee, period, amount ×
// share) straight to per payee-period totals, and the aggregates that
// filter credits run over the batch's rows once per line, where a credit's
// kind is the line's (docs/performance.md, "Folding credits as they are
// made"). Only aggregates whose result does not depend on the order of the
// credits qualify, so that each thread can fold its rows into totals of its
// own, added up once at the end: sums and means of decimals and counts,
// whose filters read no credit attribute but its kind.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "interpreter/credits.hpp"
#include "interpreter/program.hpp"
#include "interpreter/streaming.hpp"
#include "interpreter/vm.hpp"

namespace tally {

/// Whether every aggregate of the plan can be folded line by line (see
/// above): a sum or mean of credit.amount without a filter, or a count or
/// a sum or mean of decimals whose chunk reads no credit attribute but
/// credit.kind and makes no text.
bool folds_lines(const RunState& state);

/// One thread's totals of the credits it is handed, per payee and period.
class LineFold {
 public:
  /// Interns the filters' texts (on the calling thread).
  explicit LineFold(RunState& state);

  /// Before the credits of a batch of `rule`'s rows (`base` onwards, the
  /// rule's `active` lanes): runs each filtering aggregate over those rows
  /// once per line. False on a fault (the caller then folds the run whole,
  /// which reports it).
  bool begin_batch(const CompiledRule& rule, const Table& rows, std::size_t base, std::size_t lanes,
                   const std::vector<std::uint32_t>& active);

  /// One credit of line `line` for the row of lane `lane`: `amount` × `share`
  /// to roster payee `payee`, in the period of ordinal `ordinal`.
  void add(std::int32_t payee, std::size_t line, std::uint32_t lane, std::int32_t ordinal,
           const Decimal& amount, const Decimal& share) {
    if (ordinal != ordinal_) enter_period(ordinal);
    const std::size_t slot = period_slot_ + static_cast<std::size_t>(payee);
    // A slot's figures lie side by side: a credit touches one cache line or two.
    std::int64_t* cell = cells_.data() + slot * stride_;
    ++cell[kCredits];
    if (sums_amounts_) {
      // amount × share as units at scale_, inline when both are small and
      // the product fits; else out of line.
      const int scale = amount.scale() + share.scale();
      std::int64_t units = 0;
      std::int64_t sum = 0;
      if (amount.is_small() && share.is_small() && scale <= scale_ &&
          !__builtin_mul_overflow(amount.small_coefficient(), share.small_coefficient(), &units) &&
          !__builtin_mul_overflow(units, kPowersOfTen[scale_ - scale], &units) &&
          !__builtin_add_overflow(cell[kUnits], units, &sum)) {
        cell[kUnits] = sum;
        cell[kWidest] = std::max<std::int64_t>(cell[kWidest], scale + 1);
      } else {
        add_amount(cell, slot, amount * share);
      }
    }
    for (std::size_t f = 0; f < filtered_.size(); ++f) {
      const Filtered& filter = filtered_[f];
      const PerLine& at = filter.lines[line];
      if (at.none || !at.passed[lane]) continue;
      ++cell[kFilteredCounts + f];
      if (filter.summed) filter_sums_[f][slot] = filter_sums_[f][slot] + at.values[lane];
    }
  }

  /// Adds what was folded into `totals` (of the same run).
  void add_into(StreamedAggregates& totals);

 private:
  // A slot's cell: the number of credits, the sum of their amounts as
  // 64-bit units at scale_ with the largest scale of its terms and whether
  // it has any, then per filtering aggregate the credits it counted.
  static constexpr std::size_t kCredits = 0;
  static constexpr std::size_t kUnits = 1;
  static constexpr std::size_t kWidest = 2;  ///< the largest scale + 1; 0 when no units
  static constexpr std::size_t kFilteredCounts = 3;

  /// What one filtering aggregate found for one line over the batch.
  struct PerLine {
    bool none = false;  ///< no credit of the line passes the filter (its kind decides)
    Frame frame;
    std::vector<std::uint8_t> passed;  ///< per lane: the credit passes the filter
    const Decimal* values = nullptr;   ///< per lane: the value summed
  };
  struct Filtered {
    std::size_t aggregate = 0;
    InternedConstants interned;
    bool summed = false;  ///< a sum or mean (else a count)
    std::vector<PerLine> lines;
  };

  /// Makes `ordinal`'s period the one credits go to (rows come in any
  /// order of their dates), its slots added when new.
  void enter_period(std::int32_t ordinal) {
    const std::size_t local = locals_.local(ordinal);
    if (cells_.size() < locals_.size() * payees_ * stride_) add_slots();
    ordinal_ = ordinal;
    period_slot_ = local * payees_;
  }
  /// Slots for a period met for the first time.
  void add_slots();
  void add_amount(std::int64_t* cell, std::size_t slot, const Decimal& product);
  /// The slot's amount units moved into exact_ (its largest scale kept).
  void settle(std::int64_t* cell, std::size_t slot);

  const RunState& state_;
  std::size_t payees_ = 0;
  bool sums_amounts_ = false;  ///< some aggregate sums or averages credit.amount
  std::vector<Filtered> filtered_;
  std::size_t stride_ = kFilteredCounts;
  std::vector<std::int64_t> cells_;  ///< [(local period * payees + payee) * stride_]
  int scale_ = 0;                    ///< of the units
  std::vector<Decimal> exact_;       ///< per slot: amounts not kept as units (or settled)
  std::vector<std::vector<Decimal>> filter_sums_;  ///< per filtering sum: per slot
  LocalPeriods locals_;                            ///< the periods the credits fell in
  std::int32_t ordinal_ = std::numeric_limits<std::int32_t>::min();  ///< the period entered
  std::size_t period_slot_ = 0;  ///< the entered period's first slot
  /// Per line: the batch's rows as the line's credits (rows and kinds only).
  std::vector<CreditTable> views_;
};

}  // namespace tally
