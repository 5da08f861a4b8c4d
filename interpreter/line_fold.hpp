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
#include <optional>
#include <vector>

#include "interpreter/credits.hpp"
#include "interpreter/kind_filter.hpp"
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

  /// The first slot of the period of ordinal `ordinal` (its slots added
  /// when new): a credit's slot is that plus its payee's roster index.
  std::size_t period_slots(std::int32_t ordinal) {
    // No test of whether the period is the last one: rows come in any
    // order of their dates, and the branch would be mispredicted.
    const std::size_t local = locals_.local(ordinal);
    if (units_.size() < locals_.size() * payees_) add_slots();
    return local * payees_;
  }

  /// How a line's credits of one `share` over amounts kept as 64-bit units
  /// at one scale add into the slots: an amount's units × `factor` are the
  /// credit's units at the fold's scale.
  struct LineTerms {
    bool units = false;           ///< false: the line's credits go through add()
    std::int64_t factor = 0;      ///< the share's coefficient, rescaled
    std::uint32_t scale_bit = 0;  ///< 1 << the products' scale
    int amount_scale = 0;
    const Decimal* share = nullptr;
  };
  /// The terms of `share` × amounts at `amount_scale`. The fold's scale is
  /// raised to the products' first when it is smaller (its units so far
  /// settled into the exact sums), as add_amount() does at the first such
  /// credit.
  LineTerms line_terms(const Decimal& share, int amount_scale);

  /// A line's credits over a batch when their amounts are units
  /// (LineTerms::units) and at most one filtering aggregate counts them
  /// (without a sum): the slots' figures as raw pointers, which the loop
  /// over the credits keeps in registers. Valid until period_slots() adds
  /// slots.
  class LineSink {
   public:
    /// One credit into slot `slot`: the amount `amount_units` (at the terms'
    /// scale) × the line's share, for the row of lane `lane`.
    [[gnu::always_inline]] void add(std::size_t slot, std::int64_t amount_units,
                                    std::uint32_t lane) {
      if (++credits_[slot] == 0) [[unlikely]]
        fold_->credits_.carry(slot);
      if (sums_) {
        std::int64_t units = 0;
        std::int64_t sum = 0;
        if (!__builtin_mul_overflow(amount_units, terms_.factor, &units) &&
            !__builtin_add_overflow(units_[slot], units, &sum)) [[likely]] {
          units_[slot] = sum;
          scales_[slot] |= terms_.scale_bit;
        } else {
          fold_->add_amount(slot,
                            Decimal::from_units(amount_units, terms_.amount_scale) * *terms_.share);
        }
      }
      if (passed_ && passed_[lane] && ++counted_[slot] == 0) [[unlikely]]
        fold_->filter_counts_[filter_].carry(slot);
    }

   private:
    friend class LineFold;
    LineFold* fold_ = nullptr;
    LineTerms terms_;
    bool sums_ = false;
    std::uint32_t* credits_ = nullptr;
    std::int64_t* units_ = nullptr;
    std::uint32_t* scales_ = nullptr;
    const std::uint8_t* passed_ = nullptr;  ///< per lane, of the counting filter (or none)
    std::uint32_t* counted_ = nullptr;      ///< its counts
    std::size_t filter_ = 0;
  };
  /// The sink of line `line`'s credits of terms `terms` (in the batch
  /// begun), or nullopt when they need add() and count_filtered().
  std::optional<LineSink> sink(std::size_t line, const LineTerms& terms);

  /// One credit into slot `slot`: `amount` × `share`, of any size and scale
  /// (the way of the credits a LineSink does not take).
  void add(std::size_t slot, const Decimal& amount, const Decimal& share) {
    credits_.bump(slot);
    if (sums_amounts_) add_amount(slot, amount * share);
  }

  /// Whether some filtering aggregate may count credits of line `line`
  /// (in the batch begun).
  bool filters(std::size_t line) const { return !line_filters_[line].empty(); }
  /// A credit of line `line` for the row of lane `lane`, added to slot
  /// `slot` (by add()), into the counts (and sums) of the
  /// filtering aggregates it passes.
  [[gnu::always_inline]] void count_filtered(std::size_t slot, std::size_t line,
                                             std::uint32_t lane) {
    for (const std::size_t f : line_filters_[line]) {
      const Filtered& filter = filtered_[f];
      const PerLine& at = filter.lines[line];
      if (!at.passed[lane]) continue;
      filter_counts_[f].bump(slot);
      if (filter.summed) filter_sums_[f][slot] = filter_sums_[f][slot] + at.values[lane];
    }
  }
  /// Adds what was folded into `totals` (of the same run).
  void add_into(StreamedAggregates& totals);

 private:
  /// Counts per slot in 32 bits, so that a period's slots stay in the
  /// cache (the slots a credit touches are cold otherwise: docs/performance.md,
  /// "Reading a rule's outputs from its columns"); a count past 2^32 carries
  /// into 64 bits.
  struct SlotCounts {
    std::vector<std::uint32_t> low;
    std::vector<std::int64_t> carried;  ///< per slot: 2^32 per wrap (sized at the first)
    void bump(std::size_t slot) {
      if (++low[slot] == 0) [[unlikely]]
        carry(slot);
    }
    void carry(std::size_t slot);
    std::int64_t at(std::size_t slot) const {
      return std::int64_t{low[slot]} + (carried.empty() ? 0 : carried[slot]);
    }
    void resize(std::size_t slots);
  };

  /// What one filtering aggregate found for one line over the batch.
  struct PerLine {
    Frame frame;
    std::vector<std::uint8_t> passed;  ///< per lane: the credit passes the filter
    const Decimal* values = nullptr;   ///< per lane: the value summed
  };
  struct Filtered {
    std::size_t aggregate = 0;
    /// Per credit kind: the filter made for a line of that kind, and its
    /// constants interned.
    std::vector<KindFilter> kinds;
    std::vector<InternedConstants> interned;
    bool summed = false;  ///< a sum or mean (else a count)
    std::vector<PerLine> lines;
  };

  /// Slots for a period met for the first time.
  void add_slots();
  void add_amount(std::size_t slot, const Decimal& product);
  /// Makes `scale` the units' scale (larger than theirs so far, which are
  /// settled into the exact sums).
  void raise_scale(int scale);
  /// The slot's amount units moved into exact_ (its largest scale kept).
  void settle(std::size_t slot);

  const RunState& state_;
  std::size_t payees_ = 0;
  bool sums_amounts_ = false;  ///< some aggregate sums or averages credit.amount
  std::vector<Filtered> filtered_;
  // Per slot ((local period * payees + payee)): the number of credits, the
  // sum of their amounts as 64-bit units at scale_ with the scales of its
  // terms (bit s for scale s: a sum takes the largest; 0: no units), then
  // per filtering aggregate the credits it counted. The scales as bits take
  // one `or` a credit where the largest took a compare; and not bytes,
  // whose stores may alias anything (a loop storing them would read its
  // pointers again after each).
  SlotCounts credits_;
  std::vector<std::int64_t> units_;
  std::vector<std::uint32_t> scales_;
  std::vector<SlotCounts> filter_counts_;
  int scale_ = 0;               ///< of the units
  std::vector<Decimal> exact_;  ///< per slot: amounts not kept as units (or settled)
  std::vector<std::vector<Decimal>> filter_sums_;  ///< per filtering sum: per slot
  LocalPeriods locals_;                            ///< the periods the credits fell in
  /// Per line of the batch's rule: the filters that some of its credits may
  /// pass (those of its kind).
  std::vector<std::vector<std::size_t>> line_filters_;
  std::vector<std::uint32_t> where_lanes_;  ///< a filter's lanes after its leading test
};

}  // namespace tally
