// Printing values for people and for output files.
#pragma once

#include <string>

#include "interpreter/bytecode.hpp"
#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/decimal.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "interpreter/runtime/types.hpp"

namespace tally {

/// A money amount with the currency's two decimal places at least
/// (`7400` -> `7400.00`), further places only when not zero (`7400.0000` ->
/// `7400.00`, `0.125` stays); never `-0.00`.
std::string format_amount(const Decimal& amount);

/// A value with its unit, as `tally eval` prints it: `3.305`, `7400.00 USD`,
/// `8%`, `12.5%`.
std::string format_with_unit(const Decimal& value, const Type& type);

/// A percent as a percentage without the sign: 0.125 -> `12.5`.
std::string percent_digits(const Decimal& fraction);

struct Register;

/// How text values are printed: as they are (`tally eval`), or in quotes
/// (explain trees and test failures, where text sits among numbers).
enum class TextStyle { plain, quoted };

/// Lane `lane` of a register as people read it: numbers with their unit,
/// dates in ISO form, periods by label (`Q1` for a period without a year),
/// booleans as `true`/`false`.
std::string register_text(const Register& reg, std::size_t lane, const Type& type,
                          const SymbolTable& symbols, const Calendar& calendar, TextStyle style);

/// A compiled constant as people read it, text in quotes.
std::string constant_text(const Constant& c, const Type& type, const Calendar& calendar);

}  // namespace tally
