// Fast paths for the values most fields hold: a plain integer, a plain
// decimal amount, an ISO date, a short ASCII text. Which one a field tries is
// chosen once, when the TableBuilder is made, from the field's type and
// options; a value the fast path does not recognise at a glance (spaces, an
// empty field, a sign, a thousands separator, non-ASCII text, a value too long
// for 64 bits, a date that does not exist) is handed untouched to the general
// path, which parses it, or rejects it with the usual located message. The
// fast paths therefore never reject anything: they accept a subset of what
// the general path accepts, with the same result.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "interpreter/runtime/calendar.hpp"
#include "io/source_schema.hpp"

namespace tally {

/// The fast path a field's values try before the general one.
enum class FastPath : std::uint8_t {
  none,           ///< every value takes the general path
  integer,        ///< an int without format: 1 to 18 digits
  integer_key,    ///< the same, of a key field: while the keys rise
  plain_decimal,  ///< decimal, money or percent without format: digits[.digits]
  iso_date,       ///< a date without format: YYYY-MM-DD
  text,           ///< text, payee or territory (not a key): no edge spaces, ASCII
};

/// The fast path for `field`, or none when its options leave no plain case
/// (a format, a list, a key other than an integer one, ...). None for every
/// field while fast paths are switched off (see set_fast_paths_enabled).
FastPath choose_fast_path(const FieldSpec& field);

/// Switches the fast paths on or off for the TableBuilders made afterwards
/// (process-wide). On by default; tests switch them off to check that both
/// ways load the same tables and report the same errors.
void set_fast_paths_enabled(bool on);
bool fast_paths_enabled();

/// 1 to 18 ASCII digits and nothing else: the value, which cannot overflow.
inline bool parse_plain_digits(std::string_view text, std::int64_t& value) {
  if (text.empty() || text.size() > 18) return false;
  std::uint64_t v = 0;
  for (char c : text) {
    const unsigned digit = static_cast<unsigned char>(c) - static_cast<unsigned>('0');
    if (digit > 9) return false;
    v = v * 10 + digit;
  }
  value = static_cast<std::int64_t>(v);
  return true;
}

/// digits[.digits], a digit on each side of the point, at most 18 digits in
/// all: `units` × 10^-`scale` exactly, as the general decimal parser reads it.
inline bool parse_plain_units(std::string_view text, std::int64_t& units, int& scale) {
  const std::size_t n = text.size();
  if (n == 0 || n > 19) return false;
  std::uint64_t v = 0;
  std::size_t i = 0;
  for (; i < n; ++i) {
    const unsigned digit = static_cast<unsigned char>(text[i]) - static_cast<unsigned>('0');
    if (digit > 9) break;
    v = v * 10 + digit;
  }
  if (i == 0) return false;
  scale = 0;
  if (i < n) {
    if (text[i] != '.' || i + 1 == n) return false;
    for (++i; i < n; ++i, ++scale) {
      const unsigned digit = static_cast<unsigned char>(text[i]) - static_cast<unsigned>('0');
      if (digit > 9) return false;
      v = v * 10 + digit;
    }
  } else if (n > 18) {
    return false;  // 19 digits without a point
  }
  units = static_cast<std::int64_t>(v);
  return true;
}

/// YYYY-MM-DD laid out as such (digits and dashes where they belong; whether
/// the date exists is make_date's question): the digits as one number
/// YYYYMMDD, the key of IsoDateCache.
inline bool split_iso_date(std::string_view text, std::uint32_t& ymd) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  std::uint32_t v = 0;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    const unsigned digit = static_cast<unsigned char>(text[i]) - static_cast<unsigned>('0');
    if (digit > 9) return false;
    v = v * 10 + digit;
  }
  ymd = v;
  return true;
}

/// Dates by their YYYYMMDD number: a column of close dates spans a few
/// hundred distinct days, so each is worked out once. The slot is the year
/// modulo 4, the month and the day, so no two days of four years in a row
/// share one.
class IsoDateCache {
 public:
  /// The date of `ymd` (from split_iso_date) into `date`; false when it
  /// does not exist (2026-02-30): the general path then words the message.
  bool date(std::uint32_t ymd, Date& date) {
    const Entry& entry = entries_[slot(ymd)];
    if (entry.ymd == ymd) [[likely]] {
      date = entry.date;
      return true;
    }
    return work_out(ymd, date);
  }

 private:
  static constexpr int kBits = 11;
  static std::size_t slot(std::uint32_t ymd) {
    return ((ymd / 10000) & 3) << 9 | ((ymd / 100 % 100) & 15) << 5 | (ymd % 100 & 31);
  }
  struct Entry {
    std::uint32_t ymd = UINT32_MAX;  // no YYYYMMDD number: an empty slot
    Date date{};
  };
  bool work_out(std::uint32_t ymd, Date& date);

  std::array<Entry, std::size_t{1} << kBits> entries_{};
};

}  // namespace tally
