#include "io/field_appenders.hpp"

#include <atomic>

namespace tally {

namespace {

std::atomic<bool> fast_paths_on{true};

}  // namespace

void set_fast_paths_enabled(bool on) {
  fast_paths_on.store(on);
}

bool fast_paths_enabled() {
  return fast_paths_on.load();
}

bool IsoDateCache::work_out(std::uint32_t ymd, Date& date) {
  auto made = make_date(static_cast<int>(ymd / 10000), static_cast<int>(ymd / 100 % 100),
                        static_cast<int>(ymd % 100));
  if (!made) return false;
  entries_[slot(ymd)] = Entry{ymd, *made};
  date = *made;
  return true;
}

FastPath choose_fast_path(const FieldSpec& field) {
  // A null token may look like a plain value ("0", "1900-01-01"): such
  // fields take the general path, which tests for the tokens first.
  if (!fast_paths_enabled() || !field.format.empty() || !field.nulls.empty()) return FastPath::none;
  switch (field.type.kind) {
    case Kind::integer:
      return field.key ? FastPath::integer_key : FastPath::integer;
    case Kind::decimal:
    case Kind::money:
    case Kind::percent:
      return field.key ? FastPath::none : FastPath::plain_decimal;
    case Kind::date:
      return field.key ? FastPath::none : FastPath::iso_date;
    case Kind::text:
    case Kind::payee:
    case Kind::territory:
      return field.key ? FastPath::none : FastPath::text;
    default:
      return FastPath::none;
  }
}

}  // namespace tally
