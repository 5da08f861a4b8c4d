// The types of the plan language, shared by the checker, the compiler, the
// data loader and the VM. Money carries its currency in the type, not in
// every value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace tally {

enum class Kind : std::uint8_t {
  error,  ///< the type of an expression that already failed to check
  boolean,
  integer,
  decimal,
  money,    ///< with `currency`
  percent,  ///< stored as a fraction: 8% is 0.08
  date,
  period,
  text,
  payee,  ///< a roster id; text in data, a dense payee index at run time
  territory,
  list,  ///< with `element`
  record,
};

struct Type {
  Kind kind = Kind::error;
  bool optional = false;                ///< `T?`: null allowed
  std::string currency;                 ///< for money: ISO code such as "USD"
  std::shared_ptr<const Type> element;  ///< for list

  static Type of(Kind kind) { return Type{kind, false, {}, nullptr}; }
  static Type money_in(std::string currency) {
    return Type{Kind::money, false, std::move(currency), nullptr};
  }
  static Type list_of(Type element) {
    return Type{Kind::list, false, {}, std::make_shared<const Type>(std::move(element))};
  }
  Type as_optional(bool value = true) const {
    Type t = *this;
    t.optional = value;
    return t;
  }
  bool is_numeric() const {
    return kind == Kind::integer || kind == Kind::decimal || kind == Kind::money ||
           kind == Kind::percent;
  }
  friend bool operator==(const Type& a, const Type& b);
};

/// How the type is written in a plan: `money<USD>` prints as `money (USD)`
/// in messages, `text?`, `list<text>`.
std::string type_name(const Type& type);

}  // namespace tally
