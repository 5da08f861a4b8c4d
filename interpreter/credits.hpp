// The credit table: one row per (transaction, payee) credit produced by the
// credit rules, in columns. Every credit keeps the source row and the rule
// it came from, so any figure built on it can be explained.
#pragma once

#include <cstdint>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <vector>

#include "grammar/ast.hpp"
#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/decimal.hpp"

namespace tally {

struct CreditTable {
  std::vector<std::uint32_t> row;   ///< index of the credited row in its source table
  std::vector<std::uint16_t> rule;  ///< index of the credit rule
  std::vector<std::uint16_t> line;  ///< index of the line within the rule
  std::vector<std::int32_t> payee;  ///< roster index
  /// Index into the run's periods; while crediting (before the run's periods
  /// are chosen), the period's ordinal (period_ordinal).
  std::vector<std::int32_t> period;
  std::vector<Date> date;
  std::vector<ast::CreditKind> kind;
  // Shares and amounts are exact decimals kept as 64-bit units at one scale
  // per column (a run holds millions of credits), plus each value's own scale
  // so that it reads back exactly as computed: 0.50 × 10.00 stays 5.0000.
  // Read them with share_at and amount_at.
  DecimalColumn share;
  DecimalColumn amount;  ///< amount × share, exact
  std::vector<std::uint8_t> share_scale;
  std::vector<std::uint8_t> amount_scale;

  /// A lean table (a slice's credits, folded as soon as they are made, by
  /// aggregates that read neither credit.share nor credit.date): push
  /// leaves line, date, share and share_scale empty. Only the fold reads it.
  bool lean = false;

  std::size_t size() const { return row.size(); }
  Decimal share_at(std::size_t i) const { return at_scale(share.at(i), share_scale[i]); }
  Decimal amount_at(std::size_t i) const { return at_scale(amount.at(i), amount_scale[i]); }

  void push(std::uint32_t row_index, std::uint16_t rule_index, std::uint16_t line_index,
            std::int32_t payee_index, std::int32_t period_value, Date day, ast::CreditKind how,
            const Decimal& share_value, const Decimal& amount_value) {
    row.push_back(row_index);
    rule.push_back(rule_index);
    payee.push_back(payee_index);
    period.push_back(period_value);
    kind.push_back(how);
    amount.push(amount_value);
    amount_scale.push_back(static_cast<std::uint8_t>(amount_value.scale()));
    if (lean) return;
    line.push_back(line_index);
    date.push_back(day);
    share.push(share_value);
    share_scale.push_back(static_cast<std::uint8_t>(share_value.scale()));
  }

  /// Appends every credit of `other`, in order, freeing each of its columns
  /// as soon as it is copied (so that memory holds one column twice at most).
  void append_and_release(CreditTable&& other) {
    auto move_in = [](auto& to, auto& from) {
      to.insert(to.end(), from.begin(), from.end());
      std::remove_reference_t<decltype(from)>().swap(from);
#ifdef __GLIBC__
      malloc_trim(0);  // hand the freed column back now, not at exit
#endif
    };
    move_in(row, other.row);
    move_in(rule, other.rule);
    move_in(line, other.line);
    move_in(payee, other.payee);
    move_in(period, other.period);
    move_in(date, other.date);
    move_in(kind, other.kind);
    move_in(share_scale, other.share_scale);
    move_in(amount_scale, other.amount_scale);
    share.append(other.share);
    other.share = DecimalColumn{};
    amount.append(other.amount);
    other.amount = DecimalColumn{};
  }

  /// Drops every credit, keeping the memory for the credits to come.
  void clear() {
    row.clear();
    rule.clear();
    line.clear();
    payee.clear();
    period.clear();
    date.clear();
    kind.clear();
    share.clear();
    amount.clear();
    share_scale.clear();
    amount_scale.clear();
  }

  /// Room for n credits (in the columns a lean table writes).
  void reserve(std::size_t n) {
    row.reserve(n);
    rule.reserve(n);
    payee.reserve(n);
    period.reserve(n);
    kind.reserve(n);
    amount.reserve(n);
    amount_scale.reserve(n);
    if (lean) return;
    line.reserve(n);
    date.reserve(n);
    share.reserve(n);
    share_scale.reserve(n);
  }

  /// Keeps the credits for which keep(i) is true, in order, in place; keep
  /// sees each index once, in increasing order. Returns how many were kept.
  template <class Keep>
  std::size_t retain(Keep keep) {
    const std::size_t n = size();
    // The common case keeps every credit: nothing to flag or move.
    std::size_t first_dropped = 0;
    while (first_dropped < n && keep(first_dropped)) ++first_dropped;
    if (first_dropped == n) return n;
    std::vector<std::uint8_t> kept_flags(n, 1);
    kept_flags[first_dropped] = 0;
    for (std::size_t i = first_dropped + 1; i < n; ++i) kept_flags[i] = keep(i) ? 1 : 0;
    auto compact = [&](auto& values) {
      std::size_t kept = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (kept_flags[i]) values[kept++] = values[i];
      values.resize(kept);
      return kept;
    };
    compact(row);
    compact(rule);
    compact(line);
    compact(payee);
    compact(period);
    compact(date);
    compact(kind);
    compact(share_scale);
    compact(amount_scale);
    share.retain(kept_flags);
    amount.retain(kept_flags);
    return row.size();
  }

 private:
  /// `value` (exactly representable at `scale`, stored at the column's larger
  /// scale) back at `scale`.
  static Decimal at_scale(Decimal value, int scale) {
    if (value.scale() == scale) return value;
    return value.trimmed().rescaled_up(scale);
  }
};

}  // namespace tally
