// libFuzzer target: bytes -> Decimal::parse, and for each number that parses,
// the arithmetic laws the engine's exact money relies on.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "interpreter/runtime/decimal.hpp"

namespace {

using tally::Decimal;
using tally::RoundingMode;

[[noreturn]] void broken(const std::string& what, const Decimal& a, const Decimal& b) {
  std::fprintf(stderr, "invariant broken: %s (a = %s, b = %s)\n", what.c_str(),
               a.to_string().c_str(), b.to_string().c_str());
  std::abort();
}

void check_pair(const Decimal& a, const Decimal& b) {
  if ((a + b) - b != a) broken("a + b - b == a", a, b);
  if (a + b != b + a) broken("a + b == b + a", a, b);
  if (a * b != b * a) broken("a * b == b * a", a, b);
  if (a * Decimal::from_int(1) != a) broken("a * 1 == a", a, b);
  if (a - a != Decimal()) broken("a - a == 0", a, b);
  if (-(-a) != a) broken("-(-a) == a", a, b);
  const bool less = a<b, equal = a == b, greater = a> b;
  if (less + equal + greater != 1) broken("exactly one of <, ==, >", a, b);
  if ((b < a) != greater) broken("a > b iff b < a", a, b);
  if ((a - b).sign() != (greater ? 1 : less ? -1 : 0)) broken("sign(a - b) orders a and b", a, b);
  if (equal && a.hash() != b.hash()) broken("equal values hash alike", a, b);
  if (!b.is_zero()) {
    auto q = Decimal::divide(a, b);
    // A quotient to 28 significant digits: q is within one unit of its last
    // digit of a / b, and that digit is at most 10^-27 of q; so q * b is
    // within |b| units of q's last digit, or 10^-26 of a, of a.
    if (q) {
      const Decimal unit = Decimal::from_units(1, q.value().scale());
      const Decimal error = (q.value() * b - a).abs();
      const Decimal bound = (unit * b).abs() + a.abs() * Decimal::from_units(1, 26);
      if (error > bound) broken("a / b * b is a to 28 digits", a, b);
    }
  } else if (Decimal::divide(a, b)) {
    broken("division by zero is an error", a, b);
  }
}

void check_rounding(const Decimal& a, const Decimal& quantum) {
  if (quantum.sign() <= 0 || quantum.digits() > 30) return;
  for (int mode = 0; mode <= static_cast<int>(RoundingMode::ceiling); ++mode) {
    auto r = Decimal::round(a, quantum, static_cast<RoundingMode>(mode));
    if (!r) continue;
    // Rounding moves by less than one quantum, to a multiple of the quantum.
    if ((r.value() - a).abs() >= quantum)
      broken("rounding moves less than one quantum", a, quantum);
    auto steps = Decimal::divide(r.value(), quantum);
    if (steps && steps.value() != steps.value().rounded(0, RoundingMode::down))
      broken("rounding lands on a multiple of the quantum", a, quantum);
    const auto m = static_cast<RoundingMode>(mode);
    if (m == RoundingMode::floor && r.value() > a) broken("floor does not round up", a, quantum);
    if (m == RoundingMode::ceiling && r.value() < a)
      broken("ceiling does not round down", a, quantum);
    if (m == RoundingMode::down && r.value().abs() > a.abs())
      broken("down rounds toward zero", a, quantum);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Two numbers, split at the first newline; the second defaults to 1.
  const std::size_t cut = text.find('\n');
  const std::string_view first = text.substr(0, cut);
  const std::string_view second = cut == std::string_view::npos ? "" : text.substr(cut + 1);
  const auto a = Decimal::parse(first, true);
  if (!a) return 0;
  // print . parse is the identity on values
  const auto again = Decimal::parse(a->to_string());
  if (!again || *again != *a) broken("parse(to_string(a)) == a", *a, *a);
  if (again->to_string() != a->to_string()) broken("to_string is stable", *a, *a);
  const auto b = Decimal::parse(second, true);
  const Decimal other = b ? *b : Decimal::from_int(1);
  check_pair(*a, other);
  check_rounding(*a, other);
  check_rounding(*a, Decimal::from_units(1, 2));
  for (int places = 0; places < 4; ++places)
    if ((a->rounded(places, RoundingMode::half_even) - *a).abs() > Decimal::from_units(1, places))
      broken("rounded(places) moves at most one unit", *a, other);
  return 0;
}
