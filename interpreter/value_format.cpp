#include "interpreter/value_format.hpp"

#include "interpreter/vm.hpp"

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

std::string register_text(const Register& reg, std::size_t lane, const Type& type,
                          const SymbolTable& symbols, const Calendar& calendar, TextStyle style) {
  switch (reg.type) {
    case RegType::boolean:
      return reg.bools[lane] ? "true" : "false";
    case RegType::integer:
      return std::to_string(reg.ints[lane]);
    case RegType::decimal:
      return format_with_unit(reg.decimals[lane], type);
    case RegType::date:
      return format_date(reg.dates[lane]);
    case RegType::period:
      return reg.periods[lane].year == 0 ? "Q" + std::to_string(reg.periods[lane].index)
                                         : period_label(reg.periods[lane], calendar);
    case RegType::symbol: {
      const std::string text(symbols.text(reg.symbols[lane]));
      return style == TextStyle::quoted ? "\"" + text + "\"" : text;
    }
  }
  return {};
}

std::string constant_text(const Constant& c, const Type& type, const Calendar& calendar) {
  switch (c.type) {
    case RegType::boolean:
      return c.boolean ? "true" : "false";
    case RegType::integer:
      return std::to_string(c.integer);
    case RegType::decimal:
      return format_with_unit(c.decimal, type);
    case RegType::date:
      return format_date(c.date);
    case RegType::period:
      return period_label(c.period, calendar);
    case RegType::symbol:
      return "\"" + c.text + "\"";
  }
  return {};
}

}  // namespace tally
