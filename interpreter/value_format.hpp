// Printing values for people and for output files.
#pragma once

#include <string>

#include "interpreter/runtime/decimal.hpp"
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

}  // namespace tally
