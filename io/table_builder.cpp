#include "io/table_builder.hpp"

#include <algorithm>
#include <bit>

#include "io/text_encoding.hpp"

namespace tally {

namespace {

bool is_textual(Kind kind) {
  return kind == Kind::text || kind == Kind::payee || kind == Kind::territory || kind == Kind::list;
}

bool is_null_token(const FieldSpec& field, std::string_view text) {
  for (const std::string& token : field.nulls) {
    if (text == token) return true;
  }
  return false;
}

}  // namespace

Result<TableBuilder> TableBuilder::make(const SourceSchema& schema, std::string path,
                                        SymbolTable& symbols, const Calendar& calendar,
                                        bool check_utf8) {
  TableBuilder builder;
  builder.table_.name = schema.name;
  builder.table_.path = std::move(path);
  builder.symbols_ = &symbols;
  builder.check_utf8_ = check_utf8;
  Errors errors;
  for (const FieldSpec& field : schema.fields) {
    auto parser = ValueParser::make(field, calendar);
    if (!parser) {
      for (Error error : parser.take_errors()) {
        error.where.file = builder.table_.path;
        errors.push_back(std::move(error));
      }
      continue;
    }
    builder.parsers_.push_back(std::move(*parser));
    builder.labels_.push_back(field.name);
    Column column;
    column.name = field.name;
    column.type = field.type;
    builder.table_.columns.push_back(std::move(column));
  }
  if (!errors.empty()) return errors;
  builder.intern_caches_.resize(schema.fields.size());
  builder.date_caches_.resize(schema.fields.size());
  builder.iso_dates_.resize(schema.fields.size());
  for (std::size_t i = 0; i < builder.parsers_.size(); ++i) {
    builder.fast_paths_.push_back(choose_fast_path(builder.parsers_[i].field()));
    if (builder.fast_paths_.back() == FastPath::iso_date)
      builder.iso_dates_[i] = std::make_unique<IsoDateCache>();
  }
  builder.seen_.resize(schema.fields.size());
  builder.rising_.resize(schema.fields.size());
  builder.seen_decimals_.resize(schema.fields.size());
  return builder;
}

void TableBuilder::push_file_row() {
  // The rows so far were implicit: written out now that one is not.
  for (std::size_t r = table_.file_rows.size(); r < table_.rows; ++r)
    table_.file_rows.push_back(static_cast<std::uint32_t>(r + 2));
  table_.file_rows.push_back(file_row_);
}

void TableBuilder::push_placeholder(Column& column) {
  if (column.valid.empty()) column.valid.assign(table_.rows, 1);
  column.valid.push_back(0);
  column.push_placeholder();
}

bool TableBuilder::append_null(std::size_t i, ValueProblem& problem, std::string_view found) {
  Column& column = table_.columns[i];
  push_placeholder(column);
  const FieldSpec& spec = field(i);
  if (!spec.key && spec.type.optional) return true;
  const std::string what(found);
  problem.message =
      "column \"" + labels_[i] +
      "\": " + (spec.key ? "a key needs a value, found " : "a value is required, found ") + what;
  problem.hint = spec.key ? std::string()
                          : "declare the field as \"" + type_name(spec.type.as_optional()) +
                                "\" if values may be missing";
  problem.found.clear();
  problem.expected = "a value of type " + type_name(spec.type);
  return false;
}

bool TableBuilder::append_absent(std::size_t i, ValueProblem& problem, std::string_view why) {
  Column& column = table_.columns[i];
  push_placeholder(column);
  const FieldSpec& spec = field(i);
  if (!spec.key && spec.type.optional) return true;
  problem.message = "column \"" + labels_[i] + "\": " +
                    (spec.key ? "a key needs a value, but " : "a value is required, but ") +
                    std::string(why);
  problem.hint.clear();
  problem.found.clear();
  problem.expected = "a value of type " + type_name(spec.type);
  return false;
}

bool TableBuilder::reject(std::size_t i, std::string_view text, ValueProblem& problem) {
  push_placeholder(table_.columns[i]);
  problem.message = "column \"" + labels_[i] + "\": expected " + parsers_[i].expectation() +
                    ", found " + quote_value(text);
  problem.hint = parsers_[i].hint_for(text);
  problem.found = std::string(text);
  problem.expected = parsers_[i].expectation();
  return false;
}

bool TableBuilder::append_general(std::size_t i, std::string_view text, ValueProblem& problem) {
  const ValueParser& parser = parsers_[i];
  const FieldSpec& spec = parser.field();
  Column& column = table_.columns[i];
  const Kind kind = spec.type.kind;
  const std::string_view trimmed = trim_spaces(text);
  if (trimmed.empty() && kind == Kind::list && !spec.type.optional) {
    // An empty list is a value: a required list column reads "" as no items.
    column.list.offsets.push_back(column.list.offsets.back());
    mark_valid(column);
    return true;
  }
  if (trimmed.empty() || (!spec.nulls.empty() && is_null_token(spec, trimmed))) {
    if (spec.type.optional && !spec.key) {
      push_placeholder(column);
      return true;
    }
    return append_null(
        i, problem,
        trimmed.empty() ? "an empty field" : quote_value(trimmed) + " (one of its null values)");
  }
  // Surrounding spaces never belong to a number or a date; in text they are
  // kept unless the column asks for `trim`.
  const std::string_view value = is_textual(kind) && !spec.trim ? text : trimmed;

  if (is_textual(kind) && check_utf8_ && !is_ascii(value)) {
    if (auto bad = find_invalid_utf8(value)) {
      push_placeholder(column);
      problem.message = "column \"" + labels_[i] + "\": invalid UTF-8 (byte " +
                        std::to_string(*bad + 1) + ") in " + quote_value(value);
      problem.hint = "if the file is in Windows-1252, declare encoding \"windows-1252\"";
      return false;
    }
  }

  switch (kind) {
    case Kind::boolean: {
      auto parsed = parse_bool(value);
      if (!parsed) return reject(i, text, problem);
      column.bools.push_back(*parsed ? 1 : 0);
      break;
    }
    case Kind::integer: {
      std::optional<std::int64_t> parsed;
      if (spec.format.empty()) {
        parsed = parse_integer(value);
      } else if (auto decimal = parser.parse_decimal(value)) {
        parsed = decimal->to_int64();
      }
      if (!parsed) return reject(i, text, problem);
      column.ints.push_back(*parsed);
      break;
    }
    case Kind::decimal:
    case Kind::money:
    case Kind::percent: {
      auto parsed = parser.parse_decimal(value);
      if (!parsed) return reject(i, text, problem);
      column.decimals.push(*parsed);
      break;
    }
    case Kind::date: {
      // Close dates repeat: each distinct text is parsed once.
      if (const Date* known = date_caches_[i].find(value)) {
        column.dates.push_back(*known);
        break;
      }
      auto parsed = parser.parse_date(value);
      if (!parsed) return reject(i, text, problem);
      date_caches_[i].put(value, *parsed);
      column.dates.push_back(*parsed);
      break;
    }
    case Kind::period: {
      auto parsed = parser.parse_period(value);
      if (!parsed) return reject(i, text, problem);
      column.periods.push_back(*parsed);
      break;
    }
    case Kind::text:
    case Kind::payee:
    case Kind::territory:
      column.symbols.push_back(intern_caches_[i].intern(value, *symbols_));
      break;
    case Kind::list:
      parser.split_list(value, items_);
      for (std::string_view item : items_) {
        column.list.items.push_back(intern_caches_[i].intern(item, *symbols_));
      }
      column.list.offsets.push_back(static_cast<std::uint32_t>(column.list.items.size()));
      break;
    default:
      push_placeholder(column);
      problem.message = "column \"" + labels_[i] + "\": a " + type_name(spec.type) +
                        " field cannot be loaded from a file";
      problem.hint.clear();
      return false;
  }
  mark_valid(column);
  return !spec.key || check_key(i, value, problem);
}

bool TableBuilder::check_key(std::size_t i, std::string_view text, ValueProblem& problem) {
  const Column& column = table_.columns[i];
  const auto row = static_cast<std::uint32_t>(table_.rows);
  std::uint32_t first = 0;
  bool duplicate = false;
  auto remember = [&](auto& map, const auto& key) {
    auto [it, inserted] = map.try_emplace(key, row);
    if (!inserted) {
      duplicate = true;
      first = it->second;
    }
  };
  switch (column.type.kind) {
    case Kind::decimal:
    case Kind::money:
    case Kind::percent:
      remember(seen_decimals_[i], column.decimals.at(row));
      break;
    case Kind::list:
      break;  // list keys are not compared
    default: {
      // Keys usually come in rising order (ids 1, 2, 3, or texts never seen
      // before, which get rising symbol ids): while they do, each is new and
      // no map is needed. The first key out of order fills the map with the
      // keys before it.
      const std::int64_t key = ordered_key(column, row);
      RisingKeys& rising = rising_[i];
      if (rising.rising && (!rising.any || key > rising.last)) {
        rising.any = true;
        rising.last = key;
        return true;
      }
      if (rising.rising) {
        rising.rising = false;
        for (std::uint32_t r = 0; r < row; ++r)
          if (column.valid.empty() || column.valid[r])
            seen_[i].try_emplace(ordered_key(column, r), r);
      }
      remember(seen_[i], key);
    }
  }
  if (!duplicate) return true;
  problem.message = "column \"" + labels_[i] + "\": duplicate key " + quote_value(text) + " on " +
                    row_word_ + " " + std::to_string(table_.file_row(first)) + " and " +
                    std::to_string(file_row_);
  problem.hint.clear();
  return false;
}

namespace {

template <class T>
std::size_t vector_bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

/// The bytes one row takes in `column`'s vector of its type.
std::size_t row_bytes(const Column& column) {
  switch (column.type.kind) {
    case Kind::boolean:
      return sizeof(std::uint8_t);
    case Kind::integer:
      return sizeof(std::int64_t);
    case Kind::decimal:
    case Kind::money:
    case Kind::percent:
      return sizeof(std::int64_t);
    case Kind::date:
      return sizeof(Date);
    case Kind::period:
      return sizeof(Period);
    case Kind::list:
      return sizeof(std::uint32_t);
    default:
      return sizeof(SymbolId);
  }
}

}  // namespace

std::size_t table_bytes(const Table& table) {
  std::size_t bytes = vector_bytes(table.file_rows);
  for (const Column& c : table.columns) {
    bytes += vector_bytes(c.valid) + vector_bytes(c.bools) + vector_bytes(c.ints) +
             vector_bytes(c.decimals.units()) + vector_bytes(c.decimals.wide()) +
             vector_bytes(c.dates) + vector_bytes(c.periods) + vector_bytes(c.symbols) +
             vector_bytes(c.list.offsets) + vector_bytes(c.list.items);
  }
  return bytes;
}

void TableBuilder::ask_guard(std::size_t bytes_then) {
  const std::size_t more = bytes_then > reported_bytes_ ? bytes_then - reported_bytes_ : 0;
  reported_bytes_ = std::max(reported_bytes_, bytes_then);
  if (!(*guard_)(more)) throw LoadStopped{};
}

void TableBuilder::reserve(std::size_t rows) {
  if (guard_) {
    // Asked before the allocation, so that a small memory budget stops the
    // load here rather than after it.
    std::size_t bytes = rows * sizeof(std::uint32_t);  // file_rows
    for (const Column& column : table_.columns) bytes += rows * row_bytes(column);
    ask_guard(std::max(bytes, table_bytes(table_)));
  }
  if (!implicit_file_rows_) table_.file_rows.reserve(rows);
  for (Column& column : table_.columns) {
    switch (column.type.kind) {
      case Kind::boolean:
        column.bools.reserve(rows);
        break;
      case Kind::integer:
        column.ints.reserve(rows);
        break;
      case Kind::decimal:
      case Kind::money:
      case Kind::percent:
        column.decimals.reserve(rows);
        break;
      case Kind::date:
        column.dates.reserve(rows);
        break;
      case Kind::period:
        column.periods.reserve(rows);
        break;
      case Kind::list:
        column.list.offsets.reserve(rows + 1);
        break;
      default:
        column.symbols.reserve(rows);
    }
  }
}

namespace {

/// `from` without the rows marked in `drop` (one flag per row).
Column without_rows(const Column& from, const std::vector<std::uint8_t>& drop) {
  Column out;
  out.name = from.name;
  out.type = from.type;
  const std::size_t rows = drop.size();
  for (std::size_t r = 0; r < rows; ++r) {
    if (drop[r]) continue;
    if (!from.valid.empty()) out.valid.push_back(from.valid[r]);
    switch (from.type.kind) {
      case Kind::boolean:
        out.bools.push_back(from.bools[r]);
        break;
      case Kind::integer:
        out.ints.push_back(from.ints[r]);
        break;
      case Kind::decimal:
      case Kind::money:
      case Kind::percent:
        out.decimals.push(from.decimals.at(r));
        break;
      case Kind::date:
        out.dates.push_back(from.dates[r]);
        break;
      case Kind::period:
        out.periods.push_back(from.periods[r]);
        break;
      case Kind::list:
        out.list.items.insert(out.list.items.end(), from.list.items.begin() + from.list.offsets[r],
                              from.list.items.begin() + from.list.offsets[r + 1]);
        out.list.offsets.push_back(static_cast<std::uint32_t>(out.list.items.size()));
        break;
      default:
        out.symbols.push_back(from.symbols[r]);
        break;
    }
  }
  return out;
}

}  // namespace

Table TableBuilder::finish() {
  if (dropped_.empty()) return std::move(table_);
  std::vector<std::uint8_t> drop(table_.rows, 0);
  for (std::uint32_t r : dropped_) drop[r] = 1;
  Table out;
  out.name = table_.name;
  out.path = table_.path;
  for (const Column& column : table_.columns) out.columns.push_back(without_rows(column, drop));
  for (std::size_t r = 0; r < table_.rows; ++r)
    if (!drop[r]) out.file_rows.push_back(table_.file_row(r));
  out.rows = out.file_rows.size();
  return out;
}

}  // namespace tally
