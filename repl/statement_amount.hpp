// Exact amounts for statements: the run gives every figure as decimal text
// ("1121.33", "28033.2300", "-400.00"); a statement adds them up (a
// payee's total, a period's total) and prints them with thousands
// separators. Sums stay exact: the text is read into a scaled big integer,
// never a double.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include <optional>
#include <string>

namespace tally::cli {

/// A decimal number read from text: `digits` × 10^-`scale`.
class Amount {
 public:
  Amount() = default;
  /// Reads `-1234.5`, `1234`, `+0.25`; an optional unit after a space
  /// (`125000.50 USD`) is ignored. Nullopt when the text is not a number.
  static std::optional<Amount> parse(const std::string& text);

  Amount& operator+=(const Amount& other);
  friend Amount operator+(Amount a, const Amount& b) { return a += b; }
  friend Amount operator-(Amount a) {
    a.digits_ = -a.digits_;
    return a;
  }
  /// -1, 0 or 1 as `a` is below, equal to or above `b` (exact).
  friend int compare(const Amount& a, const Amount& b);
  friend bool operator<(const Amount& a, const Amount& b) { return compare(a, b) < 0; }
  friend bool operator==(const Amount& a, const Amount& b) { return compare(a, b) == 0; }

  bool negative() const { return digits_ < 0; }
  bool zero() const { return digits_ == 0; }
  /// Approximate value, for drawing charts only.
  double to_double() const;
  /// Plain text with at least `min_scale` decimals and no separators: `-1234.50`.
  std::string plain(int min_scale = 0) const;
  /// With thousands separators and at least `min_scale` decimals: `-1,234.50`.
  std::string grouped(int min_scale = 2) const;

 private:
  void rescale(int scale);
  boost::multiprecision::cpp_int digits_ = 0;
  int scale_ = 0;
};

/// `text` with a comma every three digits of its integer part (`1234567.5`
/// → `1,234,567.5`); text that is not a plain number is returned unchanged.
std::string group_thousands(const std::string& text);

}  // namespace tally::cli
