#include "interpreter/value_format.hpp"

namespace tally {

std::string format_amount(const Decimal& amount) {
  // Two places at least; places past them only when they are not zeros
  // (8% of 500.00 is 40.0000 exactly, shown 40.00; 1.2345 stays).
  Decimal shown = amount.trimmed();
  if (shown.scale() < 2) shown = shown.rescaled_up(2);
  if (shown.is_zero() && shown.is_negative()) shown = -shown;  // no `-0.00` on a statement
  return shown.to_string();
}

std::string percent_digits(const Decimal& fraction) {
  // × 100 is exact; trailing zeros carry no meaning in a percentage.
  return (fraction * Decimal::from_int(100)).trimmed().to_string();
}

std::string format_with_unit(const Decimal& value, const Type& type) {
  switch (type.kind) {
    case Kind::money:
      return format_amount(value) + " " + type.currency;
    case Kind::percent:
      return percent_digits(value) + "%";
    default:
      return value.to_string();
  }
}

}  // namespace tally
