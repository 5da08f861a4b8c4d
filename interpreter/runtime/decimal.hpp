// Exact decimal numbers for money and rates.
//
// A Decimal is coefficient × 10^-scale with scale >= 0. The coefficient lives
// in a 64-bit integer (the fast path, no allocation); when an operation would
// overflow it, the result silently moves to an arbitrary-precision
// Boost.Multiprecision integer, so callers never see the difference except
// in speed. Add, subtract and multiply are exact. Division rounds to a working
// precision of 28 significant digits, half-even, like Python's decimal default
// context (the oracle of our differential tests).
//
// Zero carries a sign, as in Python's decimal (`-0.00` parses, prints and
// round-trips as `-0.00`); it compares equal to `0` and hashes the same.
// Positive exponents are folded into the coefficient: `1e3` is 1000, scale 0.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "interpreter/runtime/result.hpp"

namespace tally {

/// How a value that lies between two representable results is resolved.
/// Names are those of the plan language.
enum class RoundingMode : std::uint8_t {
  half_even,  ///< to nearest, ties to the even neighbour (banker's rounding)
  half_up,    ///< to nearest, ties away from zero
  half_down,  ///< to nearest, ties toward zero
  down,       ///< toward zero (truncate)
  up,         ///< away from zero
  floor,      ///< toward negative infinity
  ceiling,    ///< toward positive infinity
};

/// The mode's plan-language name ("half_even", ...).
std::string_view rounding_mode_name(RoundingMode mode);
/// Parses a plan-language mode name; nullopt when unknown.
std::optional<RoundingMode> parse_rounding_mode(std::string_view name);

class Decimal {
 public:
  /// Significant digits kept by division.
  static constexpr int kDivisionPrecision = 28;

  Decimal() = default;  ///< zero, scale 0
  /// An integer value, scale 0.
  static Decimal from_int(std::int64_t value);
  /// coefficient × 10^-scale, scale >= 0.
  static Decimal from_units(std::int64_t coefficient, int scale) {
    if (coefficient == kSmallestCoefficient || scale < 0)
      return from_units_other(coefficient, scale);
    Decimal d;  // inline: columns of millions of values are read through here
    d.coef_ = coefficient;
    d.scale_ = scale;
    return d;
  }

  /// Parses plain or exponent notation: `12`, `-3.50`, `1e3`, `1.5E-3`,
  /// `+7`, `.5`, `-0.00`. Underscores between digits (`1_000.50`) are
  /// accepted only when `allow_underscores` (the plan grammar allows them,
  /// data files do not). Returns nullopt on anything else, including an empty
  /// string or an exponent beyond ±1,000 (a bound that keeps a hostile data
  /// value such as `1e999999` from becoming a million-digit number).
  static std::optional<Decimal> parse(std::string_view text, bool allow_underscores = false);

  /// Plain notation, never an exponent, every digit of the scale kept:
  /// `1000`, `-3.50`, `0.001`, `-0.00`.
  std::string to_string() const;

  int scale() const { return scale_; }
  bool is_zero() const;
  bool is_negative() const;  ///< true for -0 too
  /// -1, 0 or +1 (zero of either sign gives 0).
  int sign() const;
  /// True when the coefficient fits the 64-bit fast path.
  bool is_small() const { return big_ == nullptr; }
  /// The coefficient when is_small(); meaningless otherwise.
  std::int64_t small_coefficient() const { return coef_; }
  /// The value as an integer when it is one and fits in 64 bits.
  std::optional<std::int64_t> to_int64() const;
  /// Number of significant digits of the coefficient (1 for zero).
  int digits() const;

  Decimal operator-() const;
  Decimal abs() const;

  /// Exact; the result's scale is the larger of the two.
  friend Decimal operator+(const Decimal& a, const Decimal& b) {
    // Inline: 64-bit terms at one scale (the usual case inside a run).
    if (!a.big_ && !b.big_ && a.scale_ == b.scale_) {
      std::int64_t sum = 0;
      if (!__builtin_add_overflow(a.coef_, b.coef_, &sum) && sum != kSmallestCoefficient) {
        Decimal d;
        d.coef_ = sum;
        d.scale_ = a.scale_;
        // An exact zero sum is negative only when both terms are (Python's rule).
        d.negative_zero_ = sum == 0 && a.small_negative() && b.small_negative();
        return d;
      }
    }
    return add(a, b);
  }
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  /// Exact; the result's scale is the sum of the two.
  friend Decimal operator*(const Decimal& a, const Decimal& b) {
    if (!a.big_ && !b.big_) {
      std::int64_t product = 0;
      if (!__builtin_mul_overflow(a.coef_, b.coef_, &product) && product != kSmallestCoefficient) {
        Decimal d;
        d.coef_ = product;
        d.scale_ = a.scale_ + b.scale_;
        d.negative_zero_ = product == 0 && a.small_negative() != b.small_negative();
        return d;
      }
    }
    return multiply(a, b);
  }

  /// a ÷ b to `precision` significant digits, half-even; an exact quotient
  /// keeps the scale closest to a.scale() - b.scale() (Python's ideal
  /// exponent, clamped at 0). Error "division by zero" when b is zero; the
  /// caller adds the location.
  static Result<Decimal> divide(const Decimal& a, const Decimal& b,
                                int precision = kDivisionPrecision);

  /// Rounds to a multiple of `quantum` (> 0) with `mode`. When the quantum is
  /// a power of ten (0.01, 1, 1000) the result takes the quantum's scale, so
  /// round(2.5, 1, half_even) = 2 and round(1.005, 0.01, half_up) = 1.01; any
  /// other quantum (0.05, 0.25) rounds to the nearest multiple of it. Error
  /// when the quantum is zero or negative.
  static Result<Decimal> round(const Decimal& x, const Decimal& quantum, RoundingMode mode);
  /// Rounds to `places` digits after the point (places >= 0).
  Decimal rounded(int places, RoundingMode mode) const;
  /// Same value at a larger scale (adds trailing zeros); `scale` >= scale().
  Decimal rescaled_up(int scale) const;
  /// Same value with trailing fractional zeros removed.
  Decimal trimmed() const;

  friend bool operator==(const Decimal& a, const Decimal& b) {
    if (!a.big_ && !b.big_ && a.scale_ == b.scale_) return a.coef_ == b.coef_;  // -0 == 0
    return compare(a, b) == std::strong_ordering::equal;
  }
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
    if (!a.big_ && !b.big_ && a.scale_ == b.scale_) return a.coef_ <=> b.coef_;
    return compare(a, b);
  }
  /// Equal values hash equally whatever their scale (1.5 and 1.50, 0 and -0).
  std::size_t hash() const;

 private:
  // The fast paths leave INT64_MIN to the general code, as it does.
  static constexpr std::int64_t kSmallestCoefficient = INT64_MIN;
  bool small_negative() const { return coef_ < 0 || negative_zero_; }  // when !big_
  static Decimal add(const Decimal& a, const Decimal& b);
  static Decimal multiply(const Decimal& a, const Decimal& b);
  static std::strong_ordering compare(const Decimal& a, const Decimal& b);
  static Decimal from_units_other(std::int64_t coefficient, int scale);

  struct Big;  // arbitrary-precision coefficient (Boost.Multiprecision cpp_int)
  std::int64_t coef_ = 0;
  std::int32_t scale_ = 0;
  bool negative_zero_ = false;
  std::shared_ptr<const Big> big_;  // set only when the coefficient does not fit int64
  friend struct DecimalAccess;
};

}  // namespace tally

template <>
struct std::hash<tally::Decimal> {
  std::size_t operator()(const tally::Decimal& d) const { return d.hash(); }
};
