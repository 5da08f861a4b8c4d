#include "interpreter/runtime/column.hpp"

#include <stdexcept>

namespace tally {

void DecimalColumn::append(const DecimalColumn& other) {
  if (!wide_mode_ && !other.wide_mode_ && scale_ == other.scale_) {
    units_.insert(units_.end(), other.units_.begin(), other.units_.end());
    return;
  }
  for (std::size_t i = 0; i < other.size(); ++i) push(other.at(i));
}

void DecimalColumn::retain(const std::vector<std::uint8_t>& keep) {
  auto compact = [&](auto& values) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
      if (keep[i]) values[kept++] = std::move(values[i]);
    values.resize(kept);
  };
  if (wide_mode_)
    compact(wide_);
  else
    compact(units_);
}

void DecimalColumn::push_other(const Decimal& value) {
  if (wide_mode_) {
    wide_.push_back(value);
    return;
  }
  if (value.scale() > scale_) {
    // Rescale what is stored; on overflow keep everything as full Decimals.
    const int shift = value.scale() - scale_;
    bool fits = shift <= 18;
    if (fits) {
      const std::int64_t factor = kPowersOfTen[shift];
      for (std::int64_t unit : units_) {
        std::int64_t scaled = 0;
        if (__builtin_mul_overflow(unit, factor, &scaled)) {
          fits = false;
          break;
        }
      }
      if (fits) {
        for (std::int64_t& unit : units_) unit *= factor;
        scale_ = value.scale();
      }
    }
    if (!fits) {
      switch_to_wide();
      wide_.push_back(value);
      return;
    }
  }
  const Decimal at_scale = value.scale() == scale_ ? value : value.rescaled_up(scale_);
  // Units cannot carry the sign of -0 (`-0.00` in a file), so such a value,
  // like one too large for 64 bits, moves the column to full Decimals.
  if (!at_scale.is_small() || (at_scale.is_zero() && at_scale.is_negative())) {
    switch_to_wide();
    wide_.push_back(value);
    return;
  }
  units_.push_back(at_scale.small_coefficient());
}

void DecimalColumn::switch_to_wide() {
  wide_.reserve(units_.size() + 1);
  for (std::int64_t unit : units_) wide_.push_back(Decimal::from_units(unit, scale_));
  units_.clear();
  units_.shrink_to_fit();
  wide_mode_ = true;
}

void DecimalColumn::reserve(std::size_t n) {
  if (wide_mode_) {
    wide_.reserve(n);
  } else {
    units_.reserve(n);
  }
}

void Column::push_placeholder() {
  switch (type.kind) {
    case Kind::boolean:
      bools.push_back(0);
      break;
    case Kind::integer:
      ints.push_back(0);
      break;
    case Kind::decimal:
    case Kind::money:
    case Kind::percent:
      decimals.push_zero();
      break;
    case Kind::date:
      dates.push_back(Date{});
      break;
    case Kind::period:
      periods.push_back(Period{});
      break;
    case Kind::list:
      list.offsets.push_back(list.offsets.back());
      break;
    default:
      symbols.push_back(0);
      break;
  }
}

std::size_t Column::size() const {
  switch (type.kind) {
    case Kind::boolean:
      return bools.size();
    case Kind::integer:
      return ints.size();
    case Kind::decimal:
    case Kind::money:
    case Kind::percent:
      return decimals.size();
    case Kind::date:
      return dates.size();
    case Kind::period:
      return periods.size();
    case Kind::list:
      return list.offsets.size() - 1;
    default:
      return symbols.size();
  }
}

std::optional<std::size_t> Table::find(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return i;
  }
  return std::nullopt;
}

const Column& Table::column(std::string_view name) const {
  if (auto index = find(name)) return columns[*index];
  // A caller asking for a column the schema never declared is a bug in Tally,
  // not a user error.
  throw std::logic_error("Table::column: no column named " + std::string(name));
}

void Table::compact_file_rows() {
  for (std::size_t r = 0; r < file_rows.size(); ++r)
    if (file_rows[r] != r + 2) return;
  std::vector<std::uint32_t>().swap(file_rows);
}

std::int64_t ordered_key(const Column& column, std::size_t row) {
  switch (column.type.kind) {
    case Kind::boolean:
      return column.bools[row];
    case Kind::integer:
      return column.ints[row];
    case Kind::date:
      return column.dates[row].days;
    case Kind::period:
      return period_ordinal(column.periods[row]);
    default:
      return column.symbols[row];
  }
}

bool values_rise(const Column& column) {
  if (!column.valid.empty() || column.type.kind == Kind::list) return false;
  const std::size_t rows = column.size();
  if (column.type.is_numeric() && column.type.kind != Kind::integer) {
    for (std::size_t r = 1; r < rows; ++r)
      if (!(column.decimals.at(r - 1) < column.decimals.at(r))) return false;
    return true;
  }
  for (std::size_t r = 1; r < rows; ++r)
    if (!(ordered_key(column, r - 1) < ordered_key(column, r))) return false;
  return true;
}

}  // namespace tally
