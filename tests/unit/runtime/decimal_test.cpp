// Hand-checked cases for tally::Decimal. The random, high-volume comparison
// with Python's decimal module lives in tests/differential/.
#include "interpreter/runtime/decimal.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_set>

using tally::Decimal;
using tally::RoundingMode;

namespace {

Decimal D(const std::string& text) {
  auto d = Decimal::parse(text);
  REQUIRE(d.has_value());
  return *d;
}

std::string sum(const std::string& a, const std::string& b) {
  return (D(a) + D(b)).to_string();
}
std::string difference(const std::string& a, const std::string& b) {
  return (D(a) - D(b)).to_string();
}
std::string product(const std::string& a, const std::string& b) {
  return (D(a) * D(b)).to_string();
}
std::string quotient(const std::string& a, const std::string& b) {
  auto r = Decimal::divide(D(a), D(b));
  REQUIRE(r.ok());
  return r->to_string();
}
std::string rounded(const std::string& x, const std::string& quantum, RoundingMode mode) {
  auto r = Decimal::round(D(x), D(quantum), mode);
  REQUIRE(r.ok());
  return r->to_string();
}

constexpr const char* kInt64Max = "9223372036854775807";

}  // namespace

TEST_CASE("parse accepts plain and exponent notation and prints without loss", "[decimal]") {
  CHECK(D("12").to_string() == "12");
  CHECK(D("-3.50").to_string() == "-3.50");
  CHECK(D("-3.50").scale() == 2);
  CHECK(D("+7").to_string() == "7");
  CHECK(D(".5").to_string() == "0.5");
  CHECK(D("-.5").to_string() == "-0.5");
  CHECK(D("1.").to_string() == "1");
  CHECK(D("0.001").to_string() == "0.001");
  CHECK(D("007.10").to_string() == "7.10");
  CHECK(D("1.5E-3").to_string() == "0.0015");
  CHECK(D("1.5e+2").to_string() == "150");
  CHECK(D("12.345e1").to_string() == "123.45");
  CHECK(D("-0e5").to_string() == "-0");
  CHECK(D("1e-1000").scale() == 1000);
  CHECK(D("1e1000").to_string().size() == 1001);
}

TEST_CASE("1e3 folds the exponent into the coefficient", "[decimal]") {
  const Decimal d = D("1e3");
  CHECK(d.to_string() == "1000");
  CHECK(d.scale() == 0);
  CHECK(d.is_small());
  CHECK(d.small_coefficient() == 1000);
  CHECK(d == Decimal::from_int(1000));
}

TEST_CASE("-0.00 parses, prints and round-trips as negative zero", "[decimal]") {
  const Decimal d = D("-0.00");
  CHECK(d.to_string() == "-0.00");
  CHECK(d.scale() == 2);
  CHECK(d.is_zero());
  CHECK(d.is_negative());
  CHECK(d.sign() == 0);
  CHECK(D(d.to_string()).to_string() == "-0.00");
  CHECK(d == Decimal());
  CHECK(d == D("0"));
  CHECK(d.hash() == Decimal().hash());
  CHECK_FALSE(d < Decimal());
  CHECK_FALSE(Decimal() < d);
}

TEST_CASE("underscores between digits only when allowed", "[decimal]") {
  auto d = Decimal::parse("1_000.50", true);
  REQUIRE(d.has_value());
  CHECK(d->to_string() == "1000.50");
  CHECK(Decimal::parse("1_2_3.4_5e1_0", true)->to_string() == "1234500000000");
  CHECK_FALSE(Decimal::parse("1_000.50").has_value());
  for (const char* bad : {"_1", "1_", "1__0", "1_.5", "1._5", "-_1", "1e_3", "1_e3", "_"}) {
    INFO(bad);
    CHECK_FALSE(Decimal::parse(bad, true).has_value());
  }
}

TEST_CASE("parse rejects anything that is not a number", "[decimal]") {
  for (const char* bad : {"",          "+",          "-",
                          ".",         "-.",         "e3",
                          "1e",        "1e+",        "1e-",
                          "1.2.3",     "1,5",        " 1",
                          "1 ",        "abc",        "--1",
                          "+-1",       "1-",         "0x10",
                          "nan",       "NaN",        "inf",
                          "Infinity",  "1e1001",     "1e-1001",
                          "1e1000001", "1e-1000001", "1e99999999999999999999",
                          "1.5$",      "\xd9\xa1"}) {
    INFO(bad);
    CHECK_FALSE(Decimal::parse(bad).has_value());
  }
}

TEST_CASE("the 64-bit boundary: INT64_MAX is small, one more is big", "[decimal]") {
  CHECK(D(kInt64Max).is_small());
  CHECK(D("-9223372036854775807").is_small());
  CHECK_FALSE(D("9223372036854775808").is_small());
  CHECK(D("9223372036854775808").to_string() == "9223372036854775808");
  // INT64_MIN stays off the fast path so that negation cannot overflow.
  const Decimal min = Decimal::from_int(std::numeric_limits<std::int64_t>::min());
  CHECK_FALSE(min.is_small());
  CHECK(min.to_string() == "-9223372036854775808");
  CHECK((-min).to_string() == "9223372036854775808");
  CHECK(min.to_int64() == std::numeric_limits<std::int64_t>::min());
  CHECK(D("123456789012345678901234567890.123456789").to_string() ==
        "123456789012345678901234567890.123456789");
}

TEST_CASE("from_int and from_units", "[decimal]") {
  CHECK(Decimal().to_string() == "0");
  CHECK(Decimal::from_int(-42).to_string() == "-42");
  CHECK(Decimal::from_units(12345, 2).to_string() == "123.45");
  CHECK(Decimal::from_units(-5, 3).to_string() == "-0.005");
  CHECK(Decimal::from_units(0, 2).to_string() == "0.00");
}

TEST_CASE("addition and subtraction are exact at the larger scale", "[decimal]") {
  CHECK(sum("1.5", "2.25") == "3.75");
  CHECK(sum("0.1", "0.2") == "0.3");
  CHECK(difference("1.50", "0.5") == "1.00");
  CHECK(difference("1", "0.001") == "0.999");
  CHECK(sum("-7", "2.5") == "-4.5");
  CHECK(sum("0.000000000000000000001", "1") == "1.000000000000000000001");
}

TEST_CASE("multiplication is exact at the sum of the scales", "[decimal]") {
  CHECK(product("2.5", "0.4") == "1.00");
  CHECK(product("-3", "0.5") == "-1.5");
  CHECK(product("1.1", "1.1") == "1.21");
  CHECK(product("4294967296", "4294967296") == "18446744073709551616");
  CHECK(product("123456789012345678901234567890", "0") == "0");
  CHECK(product("0.000001", "0.000001") == "0.000000000001");
}

TEST_CASE("overflow moves to the big path and results that fit come back", "[decimal]") {
  const Decimal max = D(kInt64Max);
  const Decimal one = Decimal::from_int(1);
  const Decimal up = max + one;
  CHECK_FALSE(up.is_small());
  CHECK(up.to_string() == "9223372036854775808");
  const Decimal back = up - one;
  CHECK(back.is_small());
  CHECK(back.small_coefficient() == std::numeric_limits<std::int64_t>::max());
  CHECK(back == max);

  const Decimal doubled = max * Decimal::from_int(2);
  CHECK_FALSE(doubled.is_small());
  CHECK(doubled.to_string() == "18446744073709551614");
  auto halved = Decimal::divide(doubled, Decimal::from_int(2));
  REQUIRE(halved.ok());
  CHECK(halved->is_small());
  CHECK(halved->to_string() == kInt64Max);

  const Decimal big_difference = D("10000000000000000000") - D("9999999999999999999");
  CHECK(big_difference.is_small());
  CHECK(big_difference.to_string() == "1");
  CHECK((D("99999999999999999999") + D("-99999999999999999999")).is_small());
  // Aligning scales can overflow too.
  CHECK(sum(kInt64Max, "0.5") == "9223372036854775807.5");
  CHECK_FALSE((D(kInt64Max) + D("0.5")).is_small());
}

TEST_CASE("zero results follow Python's sign rules", "[decimal]") {
  CHECK(sum("-0", "0") == "0");
  CHECK(sum("-0", "-0") == "-0");
  CHECK(sum("-0.0", "-0.00") == "-0.00");
  CHECK(difference("0", "0") == "0");
  CHECK(difference("-0", "0") == "-0");
  CHECK(difference("1", "1") == "0");
  CHECK(sum("-1", "1") == "0");
  CHECK(product("-0", "5") == "-0");
  CHECK(product("-2", "0.0") == "-0.0");
  CHECK(product("-0", "-3") == "0");
  CHECK((-D("0")).to_string() == "0");
  CHECK((-D("-0.0")).to_string() == "0.0");
  CHECK(D("-0.00").abs().to_string() == "0.00");
  CHECK(quotient("-0", "5") == "-0");
  CHECK(quotient("0.00", "-3") == "-0.00");
  CHECK(quotient("0", "0.01") == "0");
  CHECK(rounded("-0.001", "0.01", RoundingMode::half_even) == "-0.00");
  CHECK(D("-0.7").rounded(0, RoundingMode::down).to_string() == "-0");
}

TEST_CASE("division keeps the ideal exponent when exact", "[decimal]") {
  CHECK(quotient("1.00", "2") == "0.50");
  CHECK(quotient("6", "2") == "3");
  CHECK(quotient("1", "4") == "0.25");
  CHECK(quotient("1", "8") == "0.125");
  CHECK(quotient("10", "4") == "2.5");
  CHECK(quotient("7.50", "3") == "2.50");
  CHECK(quotient("0.5", "4") == "0.125");
  CHECK(quotient("6", "0.02") == "300");  // Python: 3E+2
  CHECK(quotient("-12", "4") == "-3");
  CHECK(quotient("1000000000000000000000000000000", "1") == "1000000000000000000000000000000");
}

TEST_CASE("division rounds to 28 significant digits, half-even", "[decimal]") {
  CHECK(quotient("1", "3") == "0.3333333333333333333333333333");
  CHECK(quotient("2", "3") == "0.6666666666666666666666666667");
  CHECK(quotient("-1", "3") == "-0.3333333333333333333333333333");
  CHECK(quotient("1", "7") == "0.1428571428571428571428571429");
  CHECK(quotient("100", "3") == "33.33333333333333333333333333");
  // 31 nines round up to 1 followed by 27 zeros: the result keeps 28 digits.
  CHECK(quotient("0.9999999999999999999999999999999", "1") == "1.000000000000000000000000000");
  auto five_digits = Decimal::divide(D("2"), D("3"), 5);
  REQUIRE(five_digits.ok());
  CHECK(five_digits->to_string() == "0.66667");
}

TEST_CASE("division by zero is an error value", "[decimal]") {
  for (const char* zero : {"0", "-0", "0.00"}) {
    INFO(zero);
    auto r = Decimal::divide(D("1"), D(zero));
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.errors().size() == 1);
    CHECK(r.errors().front().message == "division by zero");
  }
  CHECK_FALSE(Decimal::divide(D("0"), D("0")).ok());
}

TEST_CASE("rounding examples of the header", "[decimal]") {
  CHECK(rounded("2.5", "1", RoundingMode::half_even) == "2");
  CHECK(rounded("1.005", "0.01", RoundingMode::half_up) == "1.01");
  CHECK(rounded("1.025", "0.01", RoundingMode::half_up) == "1.03");
  CHECK(rounded("1.2", "0.001", RoundingMode::half_even) == "1.200");
  CHECK(rounded("2.567", "1.00", RoundingMode::half_even) == "3.00");
}

TEST_CASE("each rounding mode on ties, negatives and non-ties", "[decimal]") {
  struct Row {
    RoundingMode mode;
    const char* expected[6];  // for 2.5, -2.5, 3.5, 2.4, 2.6, -2.6
  };
  const Row rows[] = {
      {RoundingMode::half_even, {"2", "-2", "4", "2", "3", "-3"}},
      {RoundingMode::half_up, {"3", "-3", "4", "2", "3", "-3"}},
      {RoundingMode::half_down, {"2", "-2", "3", "2", "3", "-3"}},
      {RoundingMode::down, {"2", "-2", "3", "2", "2", "-2"}},
      {RoundingMode::up, {"3", "-3", "4", "3", "3", "-3"}},
      {RoundingMode::floor, {"2", "-3", "3", "2", "2", "-3"}},
      {RoundingMode::ceiling, {"3", "-2", "4", "3", "3", "-2"}},
  };
  const char* inputs[6] = {"2.5", "-2.5", "3.5", "2.4", "2.6", "-2.6"};
  for (const Row& row : rows) {
    for (int i = 0; i < 6; ++i) {
      INFO(tally::rounding_mode_name(row.mode) << " " << inputs[i]);
      CHECK(rounded(inputs[i], "1", row.mode) == row.expected[i]);
    }
  }
}

TEST_CASE("rounding to quanta that are not powers of ten", "[decimal]") {
  CHECK(rounded("1.024", "0.05", RoundingMode::half_even) == "1.00");
  CHECK(rounded("1.025", "0.05", RoundingMode::half_even) == "1.00");  // 20.5 multiples
  CHECK(rounded("1.025", "0.05", RoundingMode::half_up) == "1.05");
  CHECK(rounded("1.03", "0.05", RoundingMode::floor) == "1.00");
  CHECK(rounded("1.03", "0.05", RoundingMode::ceiling) == "1.05");
  // -0.375 is -1.5 quarters.
  CHECK(rounded("-0.375", "0.25", RoundingMode::half_even) == "-0.50");
  CHECK(rounded("-0.375", "0.25", RoundingMode::half_up) == "-0.50");
  CHECK(rounded("-0.375", "0.25", RoundingMode::half_down) == "-0.25");
  CHECK(rounded("-0.375", "0.25", RoundingMode::down) == "-0.25");
  CHECK(rounded("-0.375", "0.25", RoundingMode::up) == "-0.50");
  CHECK(rounded("-0.375", "0.25", RoundingMode::floor) == "-0.50");
  CHECK(rounded("-0.375", "0.25", RoundingMode::ceiling) == "-0.25");
  CHECK(rounded("10", "3", RoundingMode::half_even) == "9");
}

TEST_CASE("rounding to powers of ten above one", "[decimal]") {
  CHECK(rounded("1234", "1000", RoundingMode::half_even) == "1000");
  CHECK(rounded("1500", "1000", RoundingMode::half_even) == "2000");
  CHECK(rounded("2500", "1000", RoundingMode::half_even) == "2000");
  CHECK(rounded("2500.01", "1000", RoundingMode::half_even) == "3000");
  CHECK(rounded("-1", "1e3", RoundingMode::floor) == "-1000");
}

TEST_CASE("rounding big values and rounded(places)", "[decimal]") {
  CHECK(rounded("123456789012345678901234567890.5", "1", RoundingMode::half_even) ==
        "123456789012345678901234567890");
  CHECK(rounded("123456789012345678901234567890.5", "1", RoundingMode::half_up) ==
        "123456789012345678901234567891");
  CHECK(rounded("9223372036854775807.5", "1", RoundingMode::up) == "9223372036854775808");
  CHECK(D("2.675").rounded(2, RoundingMode::half_up).to_string() == "2.68");
  CHECK(D("-2.675").rounded(2, RoundingMode::half_up).to_string() == "-2.68");
  CHECK(D("-2.675").rounded(2, RoundingMode::half_even).to_string() == "-2.68");
  CHECK(D("2.665").rounded(2, RoundingMode::half_even).to_string() == "2.66");
}

TEST_CASE("a quantum must be positive", "[decimal]") {
  for (const char* quantum : {"0", "-0.00", "-0.05"}) {
    INFO(quantum);
    auto r = Decimal::round(D("1.5"), D(quantum), RoundingMode::half_even);
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors().front().message.find(quantum) != std::string::npos);
  }
}

TEST_CASE("comparisons work across scales and representations", "[decimal]") {
  CHECK(D("1.5") == D("1.50"));
  CHECK((D("1.5") <=> D("1.500")) == std::strong_ordering::equal);
  CHECK(D("0.1") < D("0.25"));
  CHECK(D("-1") < D("-0.5"));
  CHECK(D("-0.5") < D("0"));
  CHECK(D("9223372036854775808") > D(kInt64Max));
  CHECK(D("92233720368547758.08") > D("92233720368547758.07"));
  // Aligning 9223372036854775807 to scale 1 leaves int64.
  CHECK(D(kInt64Max) > D("0.5"));
  CHECK(D("-9223372036854775807") < D("-0.5"));
  CHECK(D("0.5") < D(kInt64Max));
  CHECK(D("10000000000000000000.000") == D("10000000000000000000"));
  CHECK(D("1.0000000000000000000000") == D("1"));
  CHECK(D("1.0000000000000000000001") > D("1"));
  CHECK(D("1.0000000000000000000001") != D("1"));
}

TEST_CASE("equal values hash equally whatever their scale or representation", "[decimal]") {
  CHECK(D("1.5").hash() == D("1.50").hash());
  CHECK(D("-0").hash() == D("0.000").hash());
  CHECK(D("1.0000000000000000000000").hash() == D("1").hash());
  CHECK(D("10000000000000000000.000").hash() == D("10000000000000000000").hash());
  CHECK(D("1.5").hash() != D("15").hash());
  std::unordered_set<Decimal> set = {D("1.5"), D("1.50"), D("1.500"), D("0"), D("-0.0")};
  CHECK(set.size() == 2);
}

TEST_CASE("to_int64, digits, rescaled_up and trimmed", "[decimal]") {
  CHECK(D("12.000").to_int64() == 12);
  CHECK_FALSE(D("12.5").to_int64().has_value());
  CHECK_FALSE(D("9223372036854775808").to_int64().has_value());
  CHECK(D("1e3").to_int64() == 1000);
  CHECK(D("-0.00").to_int64() == 0);

  CHECK(D("0").digits() == 1);
  CHECK(D("1000").digits() == 4);
  CHECK(D("-0.0123").digits() == 3);
  CHECK(D("1000000000000000000000000000000").digits() == 31);

  CHECK(D("1.5").rescaled_up(4).to_string() == "1.5000");
  CHECK(D("-0").rescaled_up(2).to_string() == "-0.00");
  CHECK(D("1.5").rescaled_up(0).to_string() == "1.5");
  const Decimal wide = D(kInt64Max).rescaled_up(2);
  CHECK_FALSE(wide.is_small());
  CHECK(wide.to_string() == "9223372036854775807.00");

  CHECK(D("1.500").trimmed().to_string() == "1.5");
  CHECK(D("100").trimmed().to_string() == "100");
  CHECK(D("-0.00").trimmed().to_string() == "-0");
  const Decimal one = D("1.0000000000000000000000").trimmed();
  CHECK(one.is_small());
  CHECK(one.to_string() == "1");
}

TEST_CASE("rounding mode names", "[decimal]") {
  for (RoundingMode mode :
       {RoundingMode::half_even, RoundingMode::half_up, RoundingMode::half_down, RoundingMode::down,
        RoundingMode::up, RoundingMode::floor, RoundingMode::ceiling}) {
    CHECK(tally::parse_rounding_mode(tally::rounding_mode_name(mode)) == mode);
  }
  CHECK(tally::rounding_mode_name(RoundingMode::half_even) == "half_even");
  CHECK(tally::rounding_mode_name(RoundingMode::ceiling) == "ceiling");
  CHECK(tally::parse_rounding_mode("floor") == RoundingMode::floor);
  CHECK_FALSE(tally::parse_rounding_mode("HALF_EVEN").has_value());
  CHECK_FALSE(tally::parse_rounding_mode("bankers").has_value());
  CHECK_FALSE(tally::parse_rounding_mode("").has_value());
}
