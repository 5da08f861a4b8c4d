// forecast(measure) as plans see it: analytics::forecast over exact
// decimals, rounded back to the plan's step. Expected values worked by hand.
#include <catch2/catch.hpp>
#include <vector>

#include "stdlib/kpi_forecast.hpp"

namespace {

using tally::Decimal;
using tally::ForecastBound;
using tally::analytics::ForecastMethod;

Decimal dec(const char* text) {
  return *Decimal::parse(text);
}

std::optional<Decimal> run(const std::vector<Decimal>& history, ForecastMethod method,
                           ForecastBound bound = ForecastBound::value, const char* step = "0.01") {
  return tally::forecast_measure(history, method, bound, dec(step), tally::RoundingMode::half_even);
}

}  // namespace

TEST_CASE("linear forecast of three points") {
  // 100, 130, 150 at x = 0, 1, 2: mean x 1, mean y 380/3; sxy = 50, sxx = 2, slope 25;
  // intercept 380/3 - 25 = 101.666..., at x = 3: 176.666... -> 176.67.
  const auto f = run({dec("100"), dec("130"), dec("150")}, ForecastMethod::linear);
  REQUIRE(f);
  CHECK(*f == dec("176.67"));
  // A step of 1 rounds half-even to a whole number: 177.
  CHECK(*run({dec("100"), dec("130"), dec("150")}, ForecastMethod::linear, ForecastBound::value,
             "1") == dec("177"));
}

TEST_CASE("a series on a line forecasts its next point, with no interval around it") {
  const std::vector<Decimal> line{dec("100.00"), dec("120.00"), dec("140.00")};
  CHECK(*run(line, ForecastMethod::linear) == dec("160"));
  // The one-step errors of a line are all zero, so both ends are the value.
  CHECK(*run(line, ForecastMethod::linear, ForecastBound::low) == dec("160"));
  CHECK(*run(line, ForecastMethod::linear, ForecastBound::high) == dec("160"));
  // Holt's smoothing follows a line exactly whatever its weights: 10, 20, 30, 40 -> 50.
  CHECK(*run({dec("10"), dec("20"), dec("30"), dec("40")}, ForecastMethod::holt) == dec("50"));
}

TEST_CASE("the interval brackets the value") {
  const std::vector<Decimal> noisy{dec("100"), dec("140"), dec("120"), dec("170")};
  const auto value = run(noisy, ForecastMethod::linear);
  const auto low = run(noisy, ForecastMethod::linear, ForecastBound::low);
  const auto high = run(noisy, ForecastMethod::linear, ForecastBound::high);
  REQUIRE((value && low && high));
  // Slope over x = 0..3: sxy = (-1.5)(-32.5) + (-0.5)(7.5) + (0.5)(-12.5) + (1.5)(37.5) = 95,
  // sxx = 5, slope 19; mean 132.5, at x = 4: 132.5 + 2.5 * 19 = 180.
  CHECK(*value == dec("180"));
  // Fitted 104, 123, 142, 161: residuals -4, 17, -22, 9, SSE 870, spread sqrt(870 / 2) =
  // 20.8567; 1.2816 * 20.8567 = 26.7299, so 153.27 .. 206.73.
  CHECK(*low == dec("153.27"));
  CHECK(*high == dec("206.73"));
}

TEST_CASE("holt forecast of a history that is not a line") {
  // From kpi_forecast_oracle.py (an independent Python implementation of the
  // definition): 173.57575, interval 157.29 .. 189.86.
  const std::vector<Decimal> history{dec("120"), dec("135"), dec("128"), dec("150"), dec("162")};
  CHECK(*run(history, ForecastMethod::holt) == dec("173.58"));
  CHECK(*run(history, ForecastMethod::holt, ForecastBound::low) == dec("157.29"));
  CHECK(*run(history, ForecastMethod::holt, ForecastBound::high) == dec("189.86"));
}

TEST_CASE("too short a history has no forecast") {
  CHECK_FALSE(run({}, ForecastMethod::linear));
  CHECK_FALSE(run({dec("5")}, ForecastMethod::linear));
  CHECK(run({dec("5"), dec("7")}, ForecastMethod::linear) == dec("9"));
  CHECK_FALSE(run({dec("5"), dec("7")}, ForecastMethod::holt));
}
