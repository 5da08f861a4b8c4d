#include "repl/statement_amount.hpp"

#include <cctype>
#include <cstdlib>

namespace tally::cli {

namespace {

boost::multiprecision::cpp_int power_of_ten(int n) {
  boost::multiprecision::cpp_int p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

std::optional<Amount> Amount::parse(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::string digits;
  int scale = 0;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
      if (point) ++scale;
    } else if (c == '.' && !point) {
      point = true;
    } else if (c == '_' || c == ',') {
      continue;  // 1_000 as a plan writes it
    } else {
      break;
    }
  }
  if (digits.empty()) return std::nullopt;
  // only a unit may follow: `125000.50 USD`
  if (i < text.size() && text[i] != ' ') return std::nullopt;
  // cpp_int reads a string that starts with 0 as octal ("010" is 8): the
  // digits are decimal, so leading zeros go (keeping one for zero itself).
  const std::size_t first = digits.find_first_not_of('0');
  digits.erase(0, first == std::string::npos ? digits.size() - 1 : first);
  Amount a;
  a.digits_ = boost::multiprecision::cpp_int(digits);
  if (negative) a.digits_ = -a.digits_;
  a.scale_ = scale;
  return a;
}

void Amount::rescale(int scale) {
  if (scale <= scale_) return;
  digits_ *= power_of_ten(scale - scale_);
  scale_ = scale;
}

Amount& Amount::operator+=(const Amount& other) {
  Amount b = other;
  rescale(b.scale_);
  b.rescale(scale_);
  digits_ += b.digits_;
  return *this;
}

int compare(const Amount& a, const Amount& b) {
  Amount x = a;
  Amount y = b;
  x.rescale(y.scale_);
  y.rescale(x.scale_);
  return x.digits_ < y.digits_ ? -1 : x.digits_ > y.digits_ ? 1 : 0;
}

double Amount::to_double() const {
  const std::string text = plain();
  return std::strtod(text.c_str(), nullptr);
}

std::string Amount::plain(int min_scale) const {
  boost::multiprecision::cpp_int magnitude = digits_ < 0 ? -digits_ : digits_;
  std::string text = magnitude.str();
  if (static_cast<int>(text.size()) <= scale_)
    text.insert(0, static_cast<std::size_t>(scale_) + 1 - text.size(), '0');
  std::string whole = text.substr(0, text.size() - static_cast<std::size_t>(scale_));
  std::string fraction = text.substr(text.size() - static_cast<std::size_t>(scale_));
  // exact: only zeros are dropped, and never below min_scale
  while (static_cast<int>(fraction.size()) > min_scale && fraction.back() == '0')
    fraction.pop_back();
  while (static_cast<int>(fraction.size()) < min_scale) fraction += '0';
  return std::string(digits_ < 0 ? "-" : "") + whole + (fraction.empty() ? "" : "." + fraction);
}

std::string Amount::grouped(int min_scale) const {
  return group_thousands(plain(min_scale));
}

std::string group_thousands(const std::string& text) {
  std::size_t start = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  std::size_t end = start;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (end == start) return text;
  if (end < text.size() && text[end] != '.' && text[end] != ' ' && text[end] != '%') return text;
  std::string out = text.substr(0, start);
  for (std::size_t i = start; i < end; ++i) {
    out += text[i];
    const std::size_t left = end - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return out + text.substr(end);
}

}  // namespace tally::cli
