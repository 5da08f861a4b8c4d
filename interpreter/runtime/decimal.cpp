// Decimal arithmetic. Every operation first tries the 64-bit fast path and
// falls back to cpp_int only when a step overflows; results are normalised so
// that a coefficient that fits in int64 is always stored small. INT64_MIN is
// deliberately kept off the fast path so that negation can never overflow.
#include "interpreter/runtime/decimal.hpp"

#include <algorithm>
#include <array>
#include <boost/multiprecision/cpp_int.hpp>
#include <charconv>
#include <limits>
#include <numeric>
#include <type_traits>

namespace tally {

namespace mp = boost::multiprecision;
using BigInt = mp::cpp_int;
__extension__ typedef unsigned __int128 U128;

struct Decimal::Big {
  BigInt value;  // signed, never zero, never within int64 range
};

namespace {

constexpr std::int64_t kMaxSmall = std::numeric_limits<std::int64_t>::max();
constexpr int kMaxU128Digits = 38;  // 10^38 - 1 < 2^128 / 2, so 2·remainder never overflows

constexpr std::array<U128, kMaxU128Digits + 1> make_u128_powers() {
  std::array<U128, kMaxU128Digits + 1> powers{};
  U128 p = 1;
  for (auto& slot : powers) {
    slot = p;
    p *= 10;
  }
  return powers;
}
constexpr auto kPow10 = make_u128_powers();

// Multiplies by 10^n staying on the fast path; false when the result would leave it.
bool scale_up_small(std::int64_t value, int n, std::int64_t* out) {
  if (n > 18) {
    if (value != 0) return false;
    *out = 0;
    return true;
  }
  std::int64_t product = 0;
  if (__builtin_mul_overflow(value, static_cast<std::int64_t>(kPow10[n]), &product) ||
      product == std::numeric_limits<std::int64_t>::min()) {
    return false;
  }
  *out = product;
  return true;
}

int small_digits(std::uint64_t magnitude) {
  int digits = 1;
  while (digits < 20 && magnitude >= static_cast<std::uint64_t>(kPow10[digits])) ++digits;
  return digits;
}

std::uint64_t small_magnitude(std::int64_t value) {
  return value < 0 ? static_cast<std::uint64_t>(-value) : static_cast<std::uint64_t>(value);
}

const BigInt& big_power_of_ten(int n) {
  static const std::array<BigInt, 128> cache = [] {
    std::array<BigInt, 128> powers;
    BigInt p = 1;
    for (auto& slot : powers) {
      slot = p;
      p *= 10;
    }
    return powers;
  }();
  if (n < static_cast<int>(cache.size())) return cache[n];
  // Callers use the result before asking for another power.
  thread_local BigInt scratch;
  scratch = mp::pow(BigInt(10), static_cast<unsigned>(n));
  return scratch;
}

BigInt to_big(U128 value) {
  BigInt result = static_cast<std::uint64_t>(value >> 64);
  result <<= 64;
  result += BigInt(static_cast<std::uint64_t>(value));
  return result;
}

// The same long-division and rounding code runs on U128 (fast) and on BigInt
// (exact fall-back); these traits give each its powers of ten and digit count.
template <class U>
struct Wide;

template <>
struct Wide<U128> {
  static U128 pow10(int n) { return kPow10[n]; }
  static int digits(U128 x) {
    int digits = 1;
    while (digits <= kMaxU128Digits && x >= kPow10[digits]) ++digits;
    return digits;
  }
  static bool is_odd(U128 x) { return (x & 1) != 0; }
};

template <>
struct Wide<BigInt> {
  static const BigInt& pow10(int n) { return big_power_of_ten(n); }
  static int digits(const BigInt& x) {
    if (x == 0) return 1;
    // log10 from the bit length is off by at most one either way; correct it exactly.
    const double bits = static_cast<double>(mp::msb(x));
    int digits = static_cast<int>(bits * 0.30102999566398119521) + 1;
    while (digits > 1 && x < big_power_of_ten(digits - 1)) --digits;
    while (x >= big_power_of_ten(digits)) ++digits;
    return digits;
  }
  static bool is_odd(const BigInt& x) { return mp::bit_test(x, 0); }
};

// Whether a truncated quotient must be bumped away from zero. `half` compares
// twice the remainder with the divisor; the remainder is known to be non-zero.
bool rounds_away(RoundingMode mode, bool negative, int half, bool quotient_odd) {
  switch (mode) {
    case RoundingMode::down:
      return false;
    case RoundingMode::up:
      return true;
    case RoundingMode::floor:
      return negative;
    case RoundingMode::ceiling:
      return !negative;
    case RoundingMode::half_up:
      return half >= 0;
    case RoundingMode::half_down:
      return half > 0;
    case RoundingMode::half_even:
      return half > 0 || (half == 0 && quotient_odd);
  }
  return false;
}

// numerator / denominator (both non-negative) rounded to an integer with `mode`;
// `negative` is the sign of the real value being rounded.
template <class U>
U divide_rounded(const U& numerator, const U& denominator, RoundingMode mode, bool negative) {
  U quotient = numerator / denominator;
  U remainder = numerator % denominator;
  if (remainder == 0) return quotient;
  U twice = remainder * 2;
  const int half = twice > denominator ? 1 : (twice < denominator ? -1 : 0);
  if (rounds_away(mode, negative, half, Wide<U>::is_odd(quotient))) quotient += 1;
  return quotient;
}

template <class U>
struct Quotient {
  U coefficient;
  std::int64_t exponent;  // value = coefficient × 10^exponent
};

// Python's decimal division (_pydecimal.Decimal.__truediv__ followed by
// _fix): a quotient with one or two guard digits and a sticky digit, the ideal
// exponent for exact results, then half-even rounding to `precision` digits.
template <class U>
Quotient<U> divide_magnitudes(const U& a, int a_scale, const U& b, int b_scale, int precision) {
  const int shift = Wide<U>::digits(b) - Wide<U>::digits(a) + precision + 1;
  std::int64_t exponent = static_cast<std::int64_t>(b_scale) - a_scale - shift;
  U coefficient;
  U remainder;
  if (shift >= 0) {
    U numerator = a * Wide<U>::pow10(shift);
    coefficient = numerator / b;
    remainder = numerator % b;
  } else {
    U divisor = b * Wide<U>::pow10(-shift);
    coefficient = a / divisor;
    remainder = a % divisor;
  }
  if (remainder != 0) {
    if (coefficient % 5 == 0) coefficient += 1;  // sticky digit: rounding sees "not exact"
  } else {
    const std::int64_t ideal = static_cast<std::int64_t>(b_scale) - a_scale;
    while (exponent < ideal && coefficient % 10 == 0) {
      coefficient /= 10;
      ++exponent;
    }
  }
  const int digits = Wide<U>::digits(coefficient);
  if (digits > precision) {
    const int drop = digits - precision;
    coefficient =
        divide_rounded<U>(coefficient, Wide<U>::pow10(drop), RoundingMode::half_even, false);
    exponent += drop;
    if (Wide<U>::digits(coefficient) > precision) {  // 99..95 rounded up to 100..0
      coefficient /= 10;
      ++exponent;
    }
  }
  return {std::move(coefficient), exponent};
}

// Out of line: GCC 12 at -O3 reports a false "maybe uninitialized" when an
// Error aggregate is built inline into a Result.
[[gnu::noinline]] Error error(std::string message) {
  Error e;
  e.message = std::move(message);
  return e;
}

}  // namespace

// Builds and inspects the private representation; shared by every operation.
struct DecimalAccess {
  static Decimal small(std::int64_t coefficient, int scale, bool negative_zero = false) {
    Decimal d;
    d.coef_ = coefficient;
    d.scale_ = scale;
    d.negative_zero_ = coefficient == 0 && negative_zero;
    return d;
  }

  // Normalises: a coefficient within ±INT64_MAX always goes back to the fast path.
  static Decimal from_big(BigInt value, int scale, bool negative_if_zero) {
    if (value == 0) return small(0, scale, negative_if_zero);
    if (value <= kMaxSmall && value >= -kMaxSmall) {
      return small(value.convert_to<std::int64_t>(), scale);
    }
    Decimal d;
    d.scale_ = scale;
    d.big_ = std::make_shared<const Decimal::Big>(Decimal::Big{std::move(value)});
    return d;
  }

  static Decimal from_magnitude(U128 magnitude, int scale, bool negative) {
    if (magnitude <= static_cast<U128>(kMaxSmall)) {
      const auto m = static_cast<std::int64_t>(magnitude);
      return small(negative ? -m : m, scale, negative);
    }
    BigInt value = to_big(magnitude);
    if (negative) value = -value;
    return from_big(std::move(value), scale, negative);
  }

  static BigInt coefficient(const Decimal& d) { return d.big_ ? d.big_->value : BigInt(d.coef_); }
  static BigInt magnitude(const Decimal& d) { return mp::abs(coefficient(d)); }

  static Decimal add(const Decimal& a, const Decimal& b, bool negate_b) {
    const bool b_negative = negate_b != b.is_negative();
    // Python's rule for an exact zero sum: negative only when both terms are.
    const bool zero_is_negative = a.is_negative() && b_negative;
    const int scale = std::max(a.scale_, b.scale_);
    if (!a.big_ && !b.big_) {
      std::int64_t x = a.coef_;
      std::int64_t y = negate_b ? -b.coef_ : b.coef_;
      std::int64_t sum = 0;
      if (scale_up_small(x, scale - a.scale_, &x) && scale_up_small(y, scale - b.scale_, &y) &&
          !__builtin_add_overflow(x, y, &sum) && sum != std::numeric_limits<std::int64_t>::min()) {
        return small(sum, scale, zero_is_negative);
      }
    }
    BigInt x = coefficient(a) * big_power_of_ten(scale - a.scale_);
    BigInt y = coefficient(b) * big_power_of_ten(scale - b.scale_);
    if (negate_b) y = -y;
    return from_big(x + y, scale, zero_is_negative);
  }

  static Decimal multiply(const Decimal& a, const Decimal& b) {
    const bool negative = a.is_negative() != b.is_negative();
    const int scale = a.scale_ + b.scale_;
    if (!a.big_ && !b.big_) {
      std::int64_t product = 0;
      if (!__builtin_mul_overflow(a.coef_, b.coef_, &product) &&
          product != std::numeric_limits<std::int64_t>::min()) {
        return small(product, scale, negative);
      }
    }
    return from_big(coefficient(a) * coefficient(b), scale, negative);
  }

  template <class U>
  static Decimal assemble(const Quotient<U>& q, bool negative) {
    if (q.exponent >= 0) {
      // Our scale is never negative: a positive exponent folds into the coefficient.
      if constexpr (std::is_same_v<U, U128>) {
        U128 folded = 0;
        if (q.exponent <= kMaxU128Digits &&
            !__builtin_mul_overflow(q.coefficient, kPow10[q.exponent], &folded)) {
          return from_magnitude(folded, 0, negative);
        }
      }
      BigInt value;
      if constexpr (std::is_same_v<U, U128>) {
        value = to_big(q.coefficient);
      } else {
        value = q.coefficient;
      }
      value *= big_power_of_ten(static_cast<int>(q.exponent));
      if (negative) value = -value;
      return from_big(std::move(value), 0, negative);
    }
    const int scale = static_cast<int>(-q.exponent);
    if constexpr (std::is_same_v<U, U128>) {
      return from_magnitude(q.coefficient, scale, negative);
    } else {
      return from_big(negative ? BigInt(-q.coefficient) : q.coefficient, scale, negative);
    }
  }

  // The common exact case without long division: a / b terminates when b / gcd
  // has no prime factors but 2 and 5, and then Python's result is the quotient
  // at the ideal exponent lowered by just enough digits (k) to make it exact.
  static std::optional<Decimal> exact_small_quotient(const Decimal& a, const Decimal& b,
                                                     bool negative, int precision) {
    const std::uint64_t x = small_magnitude(a.coef_);
    const std::uint64_t y = small_magnitude(b.coef_);
    const std::uint64_t common = std::gcd(x, y);
    const std::uint64_t divisor = y / common;
    std::uint64_t rest = divisor >> __builtin_ctzll(divisor);
    const int twos = __builtin_ctzll(divisor);
    int fives = 0;
    while (rest % 5 == 0) {
      rest /= 5;
      ++fives;
    }
    const int k = std::max(twos, fives);
    if (rest != 1 || k > 19) return std::nullopt;
    const auto factor = static_cast<std::uint64_t>(kPow10[k]) / divisor;  // 2^(k-twos) 5^(k-fives)
    std::uint64_t magnitude = 0;
    if (__builtin_mul_overflow(x / common, factor, &magnitude) ||
        magnitude > static_cast<std::uint64_t>(kMaxSmall) || small_digits(magnitude) > precision) {
      return std::nullopt;
    }
    std::int64_t coefficient = static_cast<std::int64_t>(magnitude);
    if (negative) coefficient = -coefficient;
    const int scale = a.scale_ - b.scale_ + k;
    if (scale >= 0) return small(coefficient, scale, negative);
    if (!scale_up_small(coefficient, -scale, &coefficient)) return std::nullopt;
    return small(coefficient, 0, negative);
  }

  static Result<Decimal> divide(const Decimal& a, const Decimal& b, int precision) {
    if (b.is_zero()) return error("division by zero");
    precision = std::max(precision, 1);
    const bool negative = a.is_negative() != b.is_negative();
    if (a.is_zero()) return small(0, std::max(a.scale_ - b.scale_, 0), negative);
    if (!a.big_ && !b.big_) {
      if (auto exact = exact_small_quotient(a, b, negative, precision)) return *exact;
    }
    if (!a.big_ && !b.big_ && precision <= 30) {
      const U128 x = small_magnitude(a.coef_);
      const U128 y = small_magnitude(b.coef_);
      if (small_digits(small_magnitude(b.coef_)) + precision + 1 <= kMaxU128Digits) {
        return assemble(divide_magnitudes<U128>(x, a.scale_, y, b.scale_, precision), negative);
      }
    }
    return assemble(
        divide_magnitudes<BigInt>(magnitude(a), a.scale_, magnitude(b), b.scale_, precision),
        negative);
  }

  // Rounds x to an integer multiple N of quantum q: N = mode(x / q), result N × q.
  static Decimal round(const Decimal& x, const Decimal& q, RoundingMode mode) {
    const bool negative = x.is_negative();
    const int common = std::min(x.scale_, q.scale_);
    const int x_shift = q.scale_ - common;  // x / q = (|x| 10^x_shift) / (q 10^q_shift)
    const int q_shift = x.scale_ - common;
    if (!x.big_ && !q.big_) {
      const std::uint64_t xm = small_magnitude(x.coef_);
      const std::uint64_t qm = small_magnitude(q.coef_);
      if (small_digits(xm) + x_shift <= kMaxU128Digits &&
          small_digits(qm) + q_shift <= kMaxU128Digits) {
        const U128 multiple =
            divide_rounded<U128>(xm * kPow10[x_shift], qm * kPow10[q_shift], mode, negative);
        U128 result = 0;
        if (!__builtin_mul_overflow(multiple, static_cast<U128>(qm), &result)) {
          return from_magnitude(result, q.scale_, negative);
        }
      }
    }
    const BigInt numerator = magnitude(x) * big_power_of_ten(x_shift);
    const BigInt denominator = magnitude(q) * big_power_of_ten(q_shift);
    BigInt multiple = divide_rounded<BigInt>(numerator, denominator, mode, negative);
    BigInt result = multiple * magnitude(q);
    if (negative) result = -result;
    return from_big(std::move(result), q.scale_, negative);
  }

  static Decimal rescaled_up(const Decimal& d, int scale) {
    if (scale <= d.scale_) return d;
    std::int64_t scaled = 0;
    if (!d.big_ && scale_up_small(d.coef_, scale - d.scale_, &scaled)) {
      return small(scaled, scale, d.negative_zero_);
    }
    return from_big(coefficient(d) * big_power_of_ten(scale - d.scale_), scale, d.is_negative());
  }

  static Decimal trimmed(const Decimal& d) {
    if (!d.big_) {
      if (d.coef_ == 0) return small(0, 0, d.negative_zero_);
      std::int64_t coefficient = d.coef_;
      int scale = d.scale_;
      while (scale > 0 && coefficient % 10 == 0) {
        coefficient /= 10;
        --scale;
      }
      return small(coefficient, scale);
    }
    BigInt coefficient = d.big_->value;
    int scale = d.scale_;
    while (scale > 0 && coefficient % 10 == 0) {
      coefficient /= 10;
      --scale;
    }
    return from_big(std::move(coefficient), scale, false);
  }

  static std::strong_ordering compare(const Decimal& a, const Decimal& b) {
    const int sa = a.sign();
    const int sb = b.sign();
    if (sa != sb || sa == 0) return sa <=> sb;
    if (!a.big_ && !b.big_) {
      std::int64_t x = a.coef_;
      std::int64_t y = b.coef_;
      const int scale = std::max(a.scale_, b.scale_);
      // If aligning one side leaves int64, that side is the one further from zero.
      if (!scale_up_small(x, scale - a.scale_, &x)) {
        return sa > 0 ? std::strong_ordering::greater : std::strong_ordering::less;
      }
      if (!scale_up_small(y, scale - b.scale_, &y)) {
        return sa > 0 ? std::strong_ordering::less : std::strong_ordering::greater;
      }
      return x <=> y;
    }
    const int scale = std::max(a.scale_, b.scale_);
    const BigInt x = coefficient(a) * big_power_of_ten(scale - a.scale_);
    const BigInt y = coefficient(b) * big_power_of_ten(scale - b.scale_);
    return x == y ? std::strong_ordering::equal
                  : (x < y ? std::strong_ordering::less : std::strong_ordering::greater);
  }

  static std::size_t hash(const Decimal& d) {
    auto mix = [](std::uint64_t h, std::uint64_t v) {
      h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      return h;
    };
    if (d.is_zero()) return 0x5bd1e995U;
    // Trimming gives every value one representation, whatever its scale.
    const Decimal t = trimmed(d);
    std::uint64_t h = mix(0, static_cast<std::uint64_t>(t.scale_));
    if (!t.big_) return mix(h, static_cast<std::uint64_t>(t.coef_));
    const BigInt& v = t.big_->value;
    h = mix(h, v.sign() < 0 ? 1 : 2);
    const auto& backend = v.backend();
    for (std::size_t i = 0; i < backend.size(); ++i) {
      h = mix(h, static_cast<std::uint64_t>(backend.limbs()[i]));
    }
    return static_cast<std::size_t>(h);
  }

  static std::string digits_of(const Decimal& d) {
    if (d.big_) return BigInt(mp::abs(d.big_->value)).str();
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, small_magnitude(d.coef_));
    (void)ec;
    return std::string(buffer, end);
  }

  static std::optional<Decimal> parse(std::string_view text, bool allow_underscores);
};

namespace {

// Scans a run of digits from `pos`; an underscore counts only between two
// digits. Calls on_digit for each digit and returns how many there were.
template <class OnDigit>
std::int64_t scan_digits(std::string_view text, std::size_t& pos, bool allow_underscores,
                         OnDigit&& on_digit) {
  std::int64_t count = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c >= '0' && c <= '9') {
      on_digit(c - '0');
      ++count;
      ++pos;
    } else if (c == '_' && allow_underscores && count > 0 && pos + 1 < text.size() &&
               text[pos + 1] >= '0' && text[pos + 1] <= '9') {
      ++pos;
    } else {
      break;
    }
  }
  return count;
}

constexpr std::int64_t kMaxExponent = 1'000;  // larger exponents make absurdly long coefficients

}  // namespace

std::optional<Decimal> DecimalAccess::parse(std::string_view text, bool allow_underscores) {
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    ++pos;
  }
  const std::size_t mantissa_begin = pos;
  std::uint64_t magnitude = 0;
  bool overflow = false;
  auto accumulate = [&](int digit) {
    const auto d = static_cast<std::uint64_t>(digit);
    if (overflow || magnitude > (std::numeric_limits<std::uint64_t>::max() - d) / 10) {
      overflow = true;
    } else {
      magnitude = magnitude * 10 + d;
    }
  };
  const std::int64_t integer_digits = scan_digits(text, pos, allow_underscores, accumulate);
  std::int64_t fraction_digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    fraction_digits = scan_digits(text, pos, allow_underscores, accumulate);
  }
  const std::size_t mantissa_end = pos;
  if (integer_digits + fraction_digits == 0) return std::nullopt;

  std::int64_t exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool exponent_negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      exponent_negative = text[pos] == '-';
      ++pos;
    }
    const std::int64_t exponent_digits = scan_digits(text, pos, allow_underscores, [&](int digit) {
      if (exponent <= kMaxExponent) exponent = exponent * 10 + digit;  // saturates past the limit
    });
    if (exponent_digits == 0 || exponent > kMaxExponent) return std::nullopt;
    if (exponent_negative) exponent = -exponent;
  }
  if (pos != text.size()) return std::nullopt;

  const std::int64_t scale = fraction_digits - exponent;
  if (scale > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
  if (!overflow && magnitude <= static_cast<std::uint64_t>(kMaxSmall)) {
    const auto m = static_cast<std::int64_t>(magnitude);
    Decimal d =
        small(negative ? -m : m, static_cast<int>(std::max<std::int64_t>(scale, 0)), negative);
    if (scale < 0 && m != 0) {
      std::int64_t folded = 0;
      if (scale_up_small(d.coef_, static_cast<int>(-scale), &folded)) return small(folded, 0);
      return from_big(coefficient(d) * big_power_of_ten(static_cast<int>(-scale)), 0, negative);
    }
    return d;
  }
  // Nineteen digits at a time: one cpp_int step per chunk, not per digit.
  BigInt value = 0;
  std::uint64_t chunk = 0;
  int chunk_digits = 0;
  for (std::size_t i = mantissa_begin; i < mantissa_end; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') continue;
    chunk = chunk * 10 + static_cast<std::uint64_t>(c - '0');
    if (++chunk_digits == 19) {
      value = value * big_power_of_ten(19) + chunk;
      chunk = 0;
      chunk_digits = 0;
    }
  }
  value = value * big_power_of_ten(chunk_digits) + chunk;
  if (scale < 0) value *= big_power_of_ten(static_cast<int>(-scale));
  if (negative) value = -value;
  return from_big(std::move(value), static_cast<int>(std::max<std::int64_t>(scale, 0)), negative);
}

std::string_view rounding_mode_name(RoundingMode mode) {
  switch (mode) {
    case RoundingMode::half_even:
      return "half_even";
    case RoundingMode::half_up:
      return "half_up";
    case RoundingMode::half_down:
      return "half_down";
    case RoundingMode::down:
      return "down";
    case RoundingMode::up:
      return "up";
    case RoundingMode::floor:
      return "floor";
    case RoundingMode::ceiling:
      return "ceiling";
  }
  return "half_even";
}

std::optional<RoundingMode> parse_rounding_mode(std::string_view name) {
  for (RoundingMode mode :
       {RoundingMode::half_even, RoundingMode::half_up, RoundingMode::half_down, RoundingMode::down,
        RoundingMode::up, RoundingMode::floor, RoundingMode::ceiling}) {
    if (rounding_mode_name(mode) == name) return mode;
  }
  return std::nullopt;
}

Decimal Decimal::from_int(std::int64_t value) {
  if (value == std::numeric_limits<std::int64_t>::min()) {
    return DecimalAccess::from_big(BigInt(value), 0, true);
  }
  return DecimalAccess::small(value, 0);
}

Decimal Decimal::from_units_other(std::int64_t coefficient, int scale) {
  Decimal d = from_int(coefficient);
  if (scale >= 0) {
    d.scale_ = scale;
    return d;
  }
  return DecimalAccess::from_big(BigInt(coefficient) * big_power_of_ten(-scale), 0, false);
}

std::optional<Decimal> Decimal::parse(std::string_view text, bool allow_underscores) {
  return DecimalAccess::parse(text, allow_underscores);
}

std::string Decimal::to_string() const {
  std::string digits = DecimalAccess::digits_of(*this);
  if (scale_ > 0) {
    const auto scale = static_cast<std::size_t>(scale_);
    if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, 1, '.');
  }
  if (is_negative()) digits.insert(0, 1, '-');
  return digits;
}

bool Decimal::is_zero() const {
  return !big_ && coef_ == 0;
}

bool Decimal::is_negative() const {
  if (big_) return big_->value.sign() < 0;
  return coef_ < 0 || negative_zero_;
}

int Decimal::sign() const {
  if (big_) return big_->value.sign();
  return coef_ < 0 ? -1 : (coef_ > 0 ? 1 : 0);
}

std::optional<std::int64_t> Decimal::to_int64() const {
  const Decimal t = DecimalAccess::trimmed(*this);
  if (t.scale_ != 0) return std::nullopt;
  if (!t.big_) return t.coef_;
  // INT64_MIN is an int64 although the fast path leaves it out.
  if (t.big_->value == std::numeric_limits<std::int64_t>::min()) {
    return std::numeric_limits<std::int64_t>::min();
  }
  return std::nullopt;
}

int Decimal::digits() const {
  if (big_) return Wide<BigInt>::digits(mp::abs(big_->value));
  return small_digits(small_magnitude(coef_));
}

// Python's decimal gives +0 for -(0) and -(-0) in the default context; so do we.
Decimal Decimal::operator-() const {
  if (big_) return DecimalAccess::from_big(-big_->value, scale_, false);
  return DecimalAccess::small(-coef_, scale_);
}

Decimal Decimal::abs() const {
  if (big_) return DecimalAccess::from_big(mp::abs(big_->value), scale_, false);
  return DecimalAccess::small(coef_ < 0 ? -coef_ : coef_, scale_);
}

Decimal Decimal::add(const Decimal& a, const Decimal& b) {
  return DecimalAccess::add(a, b, false);
}
Decimal operator-(const Decimal& a, const Decimal& b) {
  return DecimalAccess::add(a, b, true);
}
Decimal Decimal::multiply(const Decimal& a, const Decimal& b) {
  return DecimalAccess::multiply(a, b);
}

Result<Decimal> Decimal::divide(const Decimal& a, const Decimal& b, int precision) {
  return DecimalAccess::divide(a, b, precision);
}

Result<Decimal> Decimal::round(const Decimal& x, const Decimal& quantum, RoundingMode mode) {
  if (quantum.sign() <= 0) {
    return error("rounding quantum must be greater than zero, found " + quantum.to_string());
  }
  return DecimalAccess::round(x, quantum, mode);
}

Decimal Decimal::rounded(int places, RoundingMode mode) const {
  return DecimalAccess::round(*this, from_units(1, places), mode);
}

Decimal Decimal::rescaled_up(int scale) const {
  return DecimalAccess::rescaled_up(*this, scale);
}

Decimal Decimal::trimmed() const {
  return DecimalAccess::trimmed(*this);
}

std::strong_ordering Decimal::compare(const Decimal& a, const Decimal& b) {
  return DecimalAccess::compare(a, b);
}

std::size_t Decimal::hash() const {
  return DecimalAccess::hash(*this);
}

}  // namespace tally
