// Generated input for the benchmarks, shaped like ../shared/bench/gen.py's
// files (WORKLOAD.md): the same columns, hierarchy, territories and value
// distributions, drawn from std::mt19937_64 with a fixed seed so that every
// run of a benchmark reads the same bytes. The values are not gen.py's (its
// Python random stream is not reproduced), so payouts differ from its
// checksums; only the shape matters for timing.
#pragma once

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <system_error>
#include <vector>

namespace tally::bench {

inline const std::vector<std::string>& us_states() {
  static const std::vector<std::string> states = {
      "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL",
      "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT",
      "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
      "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"};
  return states;
}

/// Cents as "D.CC".
inline std::string money_text(std::int64_t cents) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%02lld", static_cast<long long>(cents / 100),
                static_cast<long long>(cents % 100));
  return text;
}

/// An ISO date of 2026 from a day index 0..364.
inline std::string date_text(int day_of_year) {
  static constexpr int kMonthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int month = 0;
  while (day_of_year >= kMonthDays[month]) day_of_year -= kMonthDays[month++];
  char text[32];  // room for any int, so the compiler can prove no truncation
  std::snprintf(text, sizeof text, "2026-%02d-%02d", month + 1, day_of_year + 1);
  return text;
}

/// A deal amount in cents: log-normal around 15,000 USD, clamped to
/// [1,000, 500,000] USD as gen.py does.
inline std::int64_t deal_cents(std::mt19937_64& rng) {
  static std::lognormal_distribution<double> amount(std::log(15000.0), 1.2);
  const auto cents = static_cast<std::int64_t>(std::llround(amount(rng) * 100));
  return std::clamp<std::int64_t>(cents, 100'000, 50'000'000);
}

/// Writes deals.csv with `deals` rows (gen.py's ten columns, about 65 bytes
/// a row) to `path`.
inline void write_deals(const std::filesystem::path& path, std::size_t deals, std::uint64_t seed) {
  static const char* const kSegments[] = {"SMB", "MM", "ENT"};
  static const char* const kTypes[] = {"New", "Renewal", "Upsell"};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::ofstream out(path, std::ios::binary);
  out << "deal_id,close_date,owner_rep_id,account_state,segment,product,deal_type,stage,amount,"
         "margin_pct\n";
  std::string line;
  for (std::size_t i = 1; i <= deals; ++i) {
    const double segment = unit(rng);
    const double type = unit(rng);
    line = std::to_string(i);
    line += ',' + date_text(static_cast<int>(rng() % 365));
    line += ',' + std::to_string(rng() % 1000 + 1);
    line += ',' + us_states()[rng() % 50];
    line += ',';
    line += kSegments[segment < 0.5 ? 0 : segment < 0.8 ? 1 : 2];
    line += ",P" + std::to_string(rng() % 10 + 1);
    line += ',';
    line += kTypes[type < 0.4 ? 0 : type < 0.75 ? 1 : 2];
    line += unit(rng) < 0.35 ? ",Won" : ",Lost";
    line += ',' + money_text(deal_cents(rng));
    line += ',' + money_text(static_cast<std::int64_t>(500 + rng() % 5501));
    line += '\n';
    out << line;
  }
}

/// Writes gen.py's four files (reps.csv, territories.csv, quotas.csv,
/// deals.csv) for `deals` deals into `dir`: 1,000 AEs under 100 managers
/// under 10 directors, 100 SEs, 100 territories over the 50 states.
inline void write_workload(const std::filesystem::path& dir, std::size_t deals,
                           std::uint64_t seed) {
  std::filesystem::create_directories(dir);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);

  std::vector<std::string> shuffled = us_states();
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  {
    std::ofstream out(dir / "territories.csv", std::ios::binary);
    out << "territory_id,region,states,segment,se_rep_id\n";
    for (int t = 1; t <= 100; ++t) {
      std::string states;
      const char* segment = "ENT";
      if (t <= 50) {
        states = shuffled[t - 1];
      } else if (t <= 75) {
        const int j = t - 51;
        states = shuffled[2 * j] + "|" + shuffled[2 * j + 1];
        segment = "MM";
      } else {
        const int j = t - 76;
        states = shuffled[j] + "|" + shuffled[j + 25];
        segment = "SMB";
      }
      out << t << ",Region," << states << ',' << segment << ',' << 1000 + t << '\n';
    }
  }

  struct Rep {
    int id;
    const char* role;
    int manager;
  };
  std::vector<Rep> reps;
  for (int a = 1; a <= 1000; ++a) reps.push_back({a, "AE", 1101 + (a - 1) / 10});
  for (int s = 1001; s <= 1100; ++s) reps.push_back({s, "SE", 1101 + (s - 1001)});
  for (int m = 1101; m <= 1200; ++m) reps.push_back({m, "MGR", 1201 + (m - 1101) / 10});
  for (int d = 1201; d <= 1210; ++d) reps.push_back({d, "DIR", 0});
  {
    std::ofstream out(dir / "reps.csv", std::ios::binary);
    out << "rep_id,name,role,manager_id,territory_id,hire_date\n";
    for (const Rep& r : reps)
      out << r.id << ',' << r.role << '_' << r.id << ',' << r.role << ',' << r.manager << ','
          << (r.id - 1) % 100 + 1 << ",2020-01-15\n";
  }
  {
    // Quotas scale with the deal count, so attainment spreads over every tier.
    const double ae_bookings = 2'700'000.0 * static_cast<double>(deals) / 1'000'000.0;
    std::ofstream out(dir / "quotas.csv", std::ios::binary);
    out << "rep_id,quarter,quota_amount,target_incentive\n";
    for (const Rep& r : reps) {
      const std::string role = r.role;
      // An SE's territory gets 2 (ENT), 6 (MM) or 10 (SMB) AEs' worth of
      // overlay bookings, as gen.py's state and segment shares give.
      const int territory = r.id - 1000;
      const double se_factor = territory <= 50 ? 2 : territory <= 75 ? 6 : 10;
      const double base = role == "AE"    ? ae_bookings
                          : role == "SE"  ? se_factor * ae_bookings
                          : role == "MGR" ? 10 * ae_bookings
                                          : 100 * ae_bookings;
      for (int q = 1; q <= 4; ++q) {
        const auto quota =
            std::max<std::int64_t>(100, std::llround(base * (0.6 + unit(rng)) * 100));
        const auto incentive =
            std::max<std::int64_t>(1, std::llround(static_cast<double>(quota) * 0.04));
        out << r.id << ",2026Q" << q << ',' << money_text(quota) << ',' << money_text(incentive)
            << '\n';
      }
    }
  }
  write_deals(dir / "deals.csv", deals, seed + 1);
}

/// A directory of its own under the system's temporary directory, removed
/// with everything in it when the object goes.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace tally::bench
