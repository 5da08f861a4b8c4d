#include "interpreter/runtime/types.hpp"

#include <catch2/catch.hpp>

using tally::Kind;
using tally::Type;

TEST_CASE("type names as a plan writes them", "[types]") {
  CHECK(tally::type_name(Type::of(Kind::boolean)) == "bool");
  CHECK(tally::type_name(Type::of(Kind::integer)) == "int");
  CHECK(tally::type_name(Type::of(Kind::decimal)) == "decimal");
  CHECK(tally::type_name(Type::of(Kind::percent)) == "percent");
  CHECK(tally::type_name(Type::of(Kind::date)) == "date");
  CHECK(tally::type_name(Type::of(Kind::period)) == "period");
  CHECK(tally::type_name(Type::of(Kind::text)) == "text");
  CHECK(tally::type_name(Type::of(Kind::payee)) == "payee");
  CHECK(tally::type_name(Type::of(Kind::territory)) == "territory");
  CHECK(tally::type_name(Type::of(Kind::record)) == "record");
  CHECK(tally::type_name(Type::of(Kind::error)) == "<error>");
  CHECK(tally::type_name(Type::of(Kind::list)) == "list");
}

TEST_CASE("money shows its currency, lists their element, optionals a ?", "[types]") {
  CHECK(tally::type_name(Type::of(Kind::money)) == "money");
  CHECK(tally::type_name(Type::money_in("USD")) == "money (USD)");
  CHECK(tally::type_name(Type::of(Kind::text).as_optional()) == "text?");
  CHECK(tally::type_name(Type::money_in("EUR").as_optional()) == "money (EUR)?");
  CHECK(tally::type_name(Type::list_of(Type::of(Kind::text))) == "list<text>");
  CHECK(tally::type_name(Type::list_of(Type::list_of(Type::of(Kind::integer)))) ==
        "list<list<int>>");
  CHECK(tally::type_name(Type::list_of(Type::money_in("EUR").as_optional()).as_optional()) ==
        "list<money (EUR)?>?");
}

TEST_CASE("type equality", "[types]") {
  CHECK(Type::of(Kind::text) == Type::of(Kind::text));
  CHECK_FALSE(Type::of(Kind::text) == Type::of(Kind::payee));
  CHECK_FALSE(Type::of(Kind::text) == Type::of(Kind::text).as_optional());
  CHECK(Type::of(Kind::text).as_optional() == Type::of(Kind::text).as_optional());
  CHECK(Type::of(Kind::text).as_optional().as_optional(false) == Type::of(Kind::text));

  CHECK(Type::money_in("USD") == Type::money_in("USD"));
  CHECK_FALSE(Type::money_in("USD") == Type::money_in("EUR"));
  CHECK_FALSE(Type::money_in("USD") == Type::of(Kind::money));

  // Elements compare by value, not by pointer.
  CHECK(Type::list_of(Type::of(Kind::text)) == Type::list_of(Type::of(Kind::text)));
  CHECK_FALSE(Type::list_of(Type::of(Kind::text)) == Type::list_of(Type::of(Kind::integer)));
  CHECK_FALSE(Type::list_of(Type::money_in("USD")) == Type::list_of(Type::money_in("EUR")));
  CHECK_FALSE(Type::list_of(Type::of(Kind::text)) == Type::of(Kind::list));
  CHECK(Type::of(Kind::list) == Type::of(Kind::list));

  // A currency left on a kind that has none does not make types differ.
  const Type stray{Kind::integer, false, "USD", nullptr};
  CHECK(stray == Type::of(Kind::integer));
}
