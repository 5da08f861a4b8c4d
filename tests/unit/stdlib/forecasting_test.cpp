// Expected values: worked by hand where the comment shows the working; the
// Holt figures come from the independent pure-Python oracle next to this
// file (forecasting_oracle.py, run with python3), whose printed values are
// embedded here.
#include "stdlib/forecasting.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

using tally::analytics::forecast;
using tally::analytics::ForecastMethod;
using tally::analytics::interval_z;
using tally::analytics::mean_absolute_percentage_error;
using tally::analytics::minimum_history;

namespace {
constexpr double kEps = 1e-6;
}

TEST_CASE("a straight history is extended exactly, with no interval", "[forecasting]") {
  const std::vector<double> y{1, 2, 3};
  for (ForecastMethod method : {ForecastMethod::linear, ForecastMethod::holt}) {
    const auto f = forecast(y, method, 1);
    REQUIRE(f.ok);
    CHECK(f.value == Approx(4).margin(kEps));
    CHECK(f.low == Approx(4).margin(kEps));
    CHECK(f.high == Approx(4).margin(kEps));
    CHECK(forecast(y, method, 3).value == Approx(6).margin(kEps));
  }
}

TEST_CASE("linear: least squares and the residual standard error", "[forecasting]") {
  // x = 0..3, mean 1.5; y mean 5; Sxy = 11, Sxx = 5: slope 2.2, intercept 1.7.
  // At x = 4: 10.5. Residuals .3 .1 -1.1 .7: SSE 1.8, sd = sqrt(1.8 / 2) = 0.9486833.
  const std::vector<double> y{2, 4, 5, 9};
  const auto f = forecast(y, ForecastMethod::linear, 1);
  REQUIRE(f.ok);
  CHECK(f.note.empty());
  CHECK(f.value == Approx(10.5).margin(kEps));
  CHECK(f.low == Approx(10.5 - interval_z * 0.9486833).margin(kEps));
  CHECK(f.high == Approx(11.715832515).margin(kEps));
  const auto two = forecast(y, ForecastMethod::linear, 2);  // 1.7 + 2.2 * 5
  CHECK(two.value == Approx(12.7).margin(kEps));
  CHECK(two.low == Approx(11.484167485).margin(kEps));
}

TEST_CASE("linear from two periods: the line through them, interval of no width, noted",
          "[forecasting]") {
  const std::vector<double> y{100, 130};
  const auto f = forecast(y, ForecastMethod::linear, 1);
  REQUIRE(f.ok);
  CHECK(f.value == Approx(160));
  CHECK(f.low == Approx(160));
  CHECK(f.high == Approx(160));
  CHECK(f.note.find("2 periods") != std::string::npos);
}

TEST_CASE("holt: weights from the grid, one-step errors from the third period", "[forecasting]") {
  SECTION("three periods: every weight pair ties, so alpha = beta = 0.1") {
    // Level 3, trend 2; t=1 fits 5 exactly (level 5, trend 2); t=2 predicts 7,
    // error -3 whatever the weights. Then level .1*4 + .9*7 = 6.7, trend
    // .1*(6.7-5) + .9*2 = 1.97: forecast 8.67 +- 1.2816 * 3.
    const std::vector<double> y{3, 5, 4};
    const auto f = forecast(y, ForecastMethod::holt, 1);
    REQUIRE(f.ok);
    CHECK(f.value == Approx(8.67).margin(kEps));
    CHECK(f.low == Approx(8.67 - interval_z * 3).margin(kEps));
    CHECK(f.high == Approx(12.5148).margin(kEps));
    CHECK(forecast(y, ForecastMethod::holt, 2).value == Approx(10.64).margin(kEps));
  }
  SECTION("the oracle's figures") {
    const std::vector<double> rising{10, 12, 15, 14, 18};
    auto f = forecast(rising, ForecastMethod::holt, 1);
    REQUIRE(f.ok);
    CHECK(f.value == Approx(19.889131).margin(kEps));
    CHECK(f.low == Approx(18.159419395).margin(kEps));
    CHECK(f.high == Approx(21.618842605).margin(kEps));
    CHECK(forecast(rising, ForecastMethod::holt, 2).value == Approx(21.879152).margin(kEps));
    const std::vector<double> falling{100, 80, 95, 70, 90, 60};  // alpha 0.4, beta 0.9
    f = forecast(falling, ForecastMethod::holt, 1);
    REQUIRE(f.ok);
    CHECK(f.value == Approx(68.0742784).margin(kEps));
    CHECK(f.low == Approx(37.186130954).margin(kEps));
    CHECK(f.high == Approx(98.962425846).margin(kEps));
    CHECK(forecast(falling, ForecastMethod::holt, 2).value == Approx(65.9172608).margin(kEps));
  }
  SECTION("linear over the same rising series (oracle)") {
    const std::vector<double> rising{10, 12, 15, 14, 18};
    const auto f = forecast(rising, ForecastMethod::linear, 1);
    CHECK(f.value == Approx(19.2).margin(kEps));
    CHECK(f.low == Approx(17.647905322).margin(kEps));
  }
}

TEST_CASE("too short a history is no forecast, with a note saying what is needed",
          "[forecasting]") {
  CHECK(minimum_history(ForecastMethod::linear) == 2);
  CHECK(minimum_history(ForecastMethod::holt) == 3);
  const std::vector<double> one{5};
  const auto linear = forecast(one, ForecastMethod::linear, 1);
  CHECK_FALSE(linear.ok);
  CHECK(linear.value == 0);
  CHECK(linear.note == "history of 1 period; linear needs at least 2 periods");
  const std::vector<double> two{5, 6};
  const auto holt = forecast(two, ForecastMethod::holt, 1);
  CHECK_FALSE(holt.ok);
  CHECK(holt.note == "history of 2 periods; holt needs at least 3 periods");
  CHECK_FALSE(forecast(std::vector<double>{}, ForecastMethod::linear, 1).ok);
}

TEST_CASE("bad input is no forecast, never NaN", "[forecasting]") {
  const std::vector<double> y{1, 2, 3};
  const auto zero = forecast(y, ForecastMethod::linear, 0);
  CHECK_FALSE(zero.ok);
  CHECK(zero.note.find("horizon") != std::string::npos);
  const std::vector<double> nan{1, std::numeric_limits<double>::quiet_NaN(), 3};
  const auto f = forecast(nan, ForecastMethod::holt, 1);
  CHECK_FALSE(f.ok);
  CHECK(f.value == 0);
  const std::vector<double> huge{0, 1e308, -1e308, 1e308};
  const auto g = forecast(huge, ForecastMethod::linear, 1);
  CHECK(std::isfinite(g.value));
  CHECK(std::isfinite(g.low));
}

TEST_CASE("MAPE skips zero actuals and counts the pairs used", "[forecasting]") {
  // |100-110|/100 = 0.10, the zero actual is skipped, |200-150|/200 = 0.25: mean 17.5%.
  const std::vector<double> actual{100, 0, 200};
  const std::vector<double> predicted{110, 5, 150};
  int counted = -1;
  CHECK(mean_absolute_percentage_error(actual, predicted, &counted) == Approx(17.5));
  CHECK(counted == 2);
  const std::vector<double> zeros{0, 0};
  CHECK(mean_absolute_percentage_error(zeros, zeros, &counted) == 0);
  CHECK(counted == 0);
  // A negative actual counts by its size: |-50 - -25| / 50 = 50%.
  CHECK(mean_absolute_percentage_error(std::vector<double>{-50}, std::vector<double>{-25}) ==
        Approx(50));
  CHECK(std::string(tally::analytics::method_name(ForecastMethod::holt)) == "holt");
}
