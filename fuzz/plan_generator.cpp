#include "fuzz/plan_generator.hpp"

#include <string>
#include <vector>

namespace tally::fuzz {

namespace {

enum class T { money, decimal, integer, percent, boolean, text, date };

/// Where an expression is: a credit rule's `where` (the deal row), a
/// measure's filter (the deal row and the credit) or a value (payee and
/// period, the measures and the lets before it).
enum class Scope { row, credit, value };

constexpr int kMaxDepth = 5;

class Generator {
 public:
  explicit Generator(Choices& c) : c_(c) {}

  std::string plan() {
    std::string out =
        "plan \"fuzz\" version 1\n  currency USD\n  periods quarter\n"
        "  rounding " +
        mode() +
        " to 0.01\n\n"
        "source deals {\n  id: text key\n  close_date: date\n  owner: payee from \"owner_id\"\n"
        "  segment: text\n  stage: text\n  amount: money\n  units: int\n"
        "  margin: percent?\n  renewed_on: date?\n}\n\n"
        "roster payees {\n  id: text key\n  name: text\n  role: text\n}\n\n";
    out += "credit won from deals where " + expr(T::boolean, Scope::row, 1) +
           " on deal.close_date {\n  deal.owner gets " + share() + "\n}\n\n";
    out += "measure bookings: money = sum(credit.amount)\n";
    out += "measure deals_won: int = count(credit)\n";
    values_.push_back({"bookings", T::money});
    values_.push_back({"deals_won", T::integer});
    const unsigned measures = c_.pick(4);
    for (unsigned i = 0; i < measures; ++i) out += measure(i);
    const unsigned rates = c_.pick(3);
    for (unsigned i = 0; i < rates; ++i) out += rate_table(i);
    const unsigned lets = c_.pick(6);
    for (unsigned i = 0; i < lets; ++i) {
      const T type = value_type();
      const std::string name = "v" + std::to_string(i);
      out += "let " + name + ": " + type_name(type) + " = " + expr(type, Scope::value, 1) + "\n";
      values_.push_back({name, type});
    }
    const unsigned payouts = 1 + c_.pick(3);
    for (unsigned i = 0; i < payouts; ++i) out += payout(i);
    return out;
  }

 private:
  struct Named {
    std::string name;
    T type;
  };

  std::string mode() {
    static const char* const kModes[] = {"half_even", "half_up", "half_down", "down",
                                         "up",        "floor",   "ceiling"};
    return kModes[c_.pick(7)];
  }

  std::string share() {
    static const char* const kShares[] = {"100%", "50%", "33.33%", "0%", "150%"};
    return kShares[c_.pick(5)];
  }

  T value_type() {
    static const T kTypes[] = {T::money, T::decimal, T::integer, T::percent, T::boolean};
    return kTypes[c_.pick(5)];
  }

  static std::string type_name(T type) {
    switch (type) {
      case T::money:
        return "money";
      case T::decimal:
        return "decimal";
      case T::integer:
        return "int";
      case T::percent:
        return "percent";
      case T::boolean:
        return "bool";
      case T::text:
        return "text";
      case T::date:
        return "date";
    }
    return "decimal";
  }

  std::string number() {
    static const char* const kNumbers[] = {"0",     "1",  "2",     "0.5",          "100",
                                           "1_000", "-3", "0.001", "123456789.12", "7"};
    return kNumbers[c_.pick(10)];
  }

  std::string measure(unsigned i) {
    const std::string name = "m" + std::to_string(i);
    std::string filter;
    if (c_.pick(2)) filter = " where " + expr(T::boolean, Scope::credit, 2);
    std::string line;
    switch (c_.pick(5)) {
      case 0:
        line = "measure " + name + ": money = sum(credit.amount" + filter + ")\n";
        values_.push_back({name, T::money});
        break;
      case 1:
        line = "measure " + name + ": int = count(credit" + filter + ")\n";
        values_.push_back({name, T::integer});
        break;
      case 2:
        line = "measure " + name + ": money = avg(deal.amount" + filter + ")\n";
        values_.push_back({name, T::money});
        break;
      case 3:
        line = "measure " + name + ": int = count(distinct deal.segment" + filter + ")\n";
        values_.push_back({name, T::integer});
        break;
      default:
        line = "measure " + name + ": money = " + (c_.pick(2) ? "max" : "min") + "(credit.amount" +
               filter + ")\n";
        values_.push_back({name, T::money});
        break;
    }
    return line;
  }

  std::string rate_table(unsigned i) {
    const std::string name = "r" + std::to_string(i);
    const bool money = c_.pick(2) != 0;
    std::string out = "rates " + name + " on " + (money ? "bookings" : "1.0") + " " +
                      (c_.pick(2) ? "marginal" : "retroactive") + " {\n";
    const unsigned tiers = 1 + c_.pick(4);
    long low = 0;
    for (unsigned t = 0; t < tiers; ++t) {
      const long high = low + 1 + static_cast<long>(c_.pick(50));
      const std::string unit = money ? "_000 USD" : "%";
      const std::string low_text =
          money ? std::to_string(low) + unit : std::to_string(low * 10) + unit;
      const std::string high_text =
          money ? std::to_string(high) + unit : std::to_string(high * 10) + unit;
      out += "  " + low_text + " .. " + (t + 1 == tiers && c_.pick(2) ? "" : high_text) + " : " +
             std::to_string(c_.pick(20)) + "%\n";
      low = high;
    }
    out += "}\n";
    rates_.push_back({name, money ? T::money : T::decimal});
    return out;
  }

  std::string payout(unsigned i) {
    std::string out = "payout p" + std::to_string(i);
    switch (c_.pick(3)) {
      case 1:
        out += " for role == \"AE\"";
        break;
      case 2:
        out += " for role in {\"AE\", \"MGR\"}";
        break;
      default:
        break;
    }
    if (c_.pick(3) == 0) out += " when " + expr(T::boolean, Scope::value, 2);
    out += " = " + expr(T::money, Scope::value, 1);
    if (c_.pick(2)) {
      out += " cap " + expr(T::money, Scope::value, 3);
      const unsigned how = c_.pick(3);
      if (how == 1) out += " per year";
      if (how == 2) out += " per year defer";
    }
    if (c_.pick(3) == 0) out += " floor " + expr(T::money, Scope::value, 3);
    return out + "\n";
  }

  std::string name_of(T type, Scope scope) {
    std::vector<std::string> names;
    if (scope == Scope::value) {
      for (const Named& v : values_)
        if (v.type == type) names.push_back(v.name);
    } else {
      if (type == T::money) names = {"deal.amount", "(deal.amount ?? 0 USD)"};
      if (type == T::integer) names = {"deal.units"};
      if (type == T::percent) names = {"(deal.margin ?? 10%)"};
      if (type == T::text) names = {"deal.segment", "deal.stage", "deal.id"};
      if (type == T::date) names = {"deal.close_date", "(deal.renewed_on ?? 2026-01-01)"};
      if (scope == Scope::credit && type == T::money) names.push_back("credit.amount");
    }
    if (names.empty()) return "";
    return names[c_.pick(static_cast<unsigned>(names.size()))];
  }

  std::string literal(T type) {
    switch (type) {
      case T::money:
        return number() + " USD";
      case T::decimal:
        return number();
      case T::integer: {
        static const char* const kInts[] = {"0", "1", "2", "10", "-5", "9_223_372_036_854_775_807"};
        return kInts[c_.pick(6)];
      }
      case T::percent: {
        static const char* const kPercents[] = {"0%", "8%", "100%", "12.5%", "-1%", "250%"};
        return kPercents[c_.pick(6)];
      }
      case T::boolean:
        return c_.pick(2) ? "true" : "false";
      case T::text: {
        static const char* const kTexts[] = {"\"ENT\"", "\"SMB\"", "\"Won\"", "\"\"", "\"é\""};
        return kTexts[c_.pick(5)];
      }
      case T::date: {
        static const char* const kDates[] = {"2026-01-01", "2026-03-31", "2026-12-31", "2024-02-29",
                                             "0001-01-01"};
        return kDates[c_.pick(5)];
      }
    }
    return "0";
  }

  std::string leaf(T type, Scope scope) {
    if (c_.pick(2)) {
      std::string name = name_of(type, scope);
      if (!name.empty()) return name;
    }
    return literal(type);
  }

  std::string unless(T type, Scope scope, int depth) {
    std::string out = "(" + expr(type, scope, depth + 1);
    const unsigned n = 1 + c_.pick(2);
    for (unsigned i = 0; i < n; ++i)
      out +=
          " unless " + expr(T::boolean, scope, depth + 1) + " then " + expr(type, scope, depth + 1);
    return out + ")";
  }

  std::string expr(T type, Scope scope, int depth) {
    if (depth >= kMaxDepth || c_.done()) return leaf(type, scope);
    const auto sub = [&](T t) { return expr(t, scope, depth + 1); };
    switch (type) {
      case T::money:
        switch (c_.pick(14)) {
          case 0:
            return "(" + sub(T::money) + " + " + sub(T::money) + ")";
          case 1:
            return "(" + sub(T::money) + " - " + sub(T::money) + ")";
          case 2:
            return "(" + sub(T::percent) + " * " + sub(T::money) + ")";
          case 3:
            return "(" + sub(T::money) + " * " + sub(T::decimal) + ")";
          case 4:
            return "(" + sub(T::money) + " / " + sub(T::decimal) + ")";
          case 5:
            return "-" + sub(T::money);
          case 6:
            return std::string(c_.pick(2) ? "min(" : "max(") + sub(T::money) + ", " +
                   sub(T::money) + ")";
          case 7:
            return "abs(" + sub(T::money) + ")";
          case 8:
            return "round(" + sub(T::money) + ", 0.01, " + mode() + ")";
          case 9:
            return "clamp(" + sub(T::money) + ", " + sub(T::money) + ", " + sub(T::money) + ")";
          case 10:
            return unless(T::money, scope, depth);
          case 11:
            if (scope == Scope::value && !rates_.empty()) {
              const Named& r = rates_[c_.pick(static_cast<unsigned>(rates_.size()))];
              if (r.type == T::money) return "apply(" + r.name + ", " + sub(T::money) + ")";
              return "apply(" + r.name + ", " + sub(T::money) + ", base: " + sub(T::money) + ")";
            }
            return leaf(type, scope);
          case 12:
            if (scope == Scope::value) return "ytd(bookings)";
            return leaf(type, scope);
          default:
            return leaf(type, scope);
        }
      case T::decimal:
        switch (c_.pick(8)) {
          case 0:
            return "(" + sub(T::decimal) + " + " + sub(T::decimal) + ")";
          case 1:
            return "(" + sub(T::decimal) + " * " + sub(T::decimal) + ")";
          case 2:
            return "(" + sub(T::money) + " / " + sub(T::money) + ")";
          case 3:
            return "(" + sub(T::integer) + " / " + sub(T::integer) + ")";
          case 4:
            return "round(" + sub(T::decimal) + ", " + number() + ", " + mode() + ")";
          case 5:
            return unless(T::decimal, scope, depth);
          default:
            return leaf(type, scope);
        }
      case T::integer:
        switch (c_.pick(10)) {
          case 0:
            return "(" + sub(T::integer) + " + " + sub(T::integer) + ")";
          case 1:
            return "(" + sub(T::integer) + " * " + sub(T::integer) + ")";
          case 2:
            return "(" + sub(T::integer) + " - " + sub(T::integer) + ")";
          case 3:
            return std::string(c_.pick(2)   ? "year("
                               : c_.pick(2) ? "month("
                                            : "quarter(") +
                   sub(T::date) + ")";
          case 4:
            return "days_between(" + sub(T::date) + ", " + sub(T::date) + ")";
          case 5:
            if (scope == Scope::value)
              return c_.pick(2) ? "days_in(period)" : "months_employed(payee)";
            return leaf(type, scope);
          case 6:
            if (scope == Scope::value && !rates_.empty()) {
              const Named& r = rates_[c_.pick(static_cast<unsigned>(rates_.size()))];
              if (r.type == T::money) return "tier_of(" + r.name + ", " + sub(T::money) + ")";
            }
            return leaf(type, scope);
          default:
            return leaf(type, scope);
        }
      case T::percent:
        switch (c_.pick(5)) {
          case 0:
            return "(" + sub(T::percent) + " + " + sub(T::percent) + ")";
          case 1:
            return "(" + sub(T::percent) + " * " + sub(T::decimal) + ")";
          case 2:
            return unless(T::percent, scope, depth);
          default:
            return leaf(type, scope);
        }
      case T::boolean:
        switch (c_.pick(14)) {
          case 0:
            return "(" + sub(T::boolean) + " and " + sub(T::boolean) + ")";
          case 1:
            return "(" + sub(T::boolean) + " or " + sub(T::boolean) + ")";
          case 2:
            return "(not " + sub(T::boolean) + ")";
          case 3:
            return "(" + sub(T::money) + compare() + sub(T::money) + ")";
          case 4:
            return "(" + sub(T::integer) + compare() + sub(T::integer) + ")";
          case 5:
            return "(" + sub(T::date) + compare() + sub(T::date) + ")";
          case 6:
            return "(" + sub(T::text) + (c_.pick(2) ? " == " : " != ") + sub(T::text) + ")";
          case 7:
            return "(" + sub(T::text) + (c_.pick(2) ? " in " : " not in ") + "{\"ENT\", \"MM\"})";
          case 8:
            return "(" + sub(T::percent) + " in " + literal(T::percent) + " .. " +
                   (c_.pick(2) ? literal(T::percent) : "") + ")";
          case 9:
            return std::string(c_.pick(2) ? "starts_with(" : "contains(") + sub(T::text) + ", " +
                   sub(T::text) + ")";
          case 10:
            if (scope != Scope::value)
              return "(deal.renewed_on within " + std::to_string(1 + c_.pick(200)) +
                     (c_.pick(2) ? " days" : " months") + " of deal.close_date)";
            return "(period " + compare() + (c_.pick(2) ? "Q1" : "Q3") + ")";
          case 11:
            if (scope == Scope::credit)
              return c_.pick(2) ? "(credit.kind == direct)" : "(deal.margin == null)";
            return leaf(type, scope);
          default:
            return leaf(type, scope);
        }
      case T::text:
        switch (c_.pick(4)) {
          case 0:
            return "upper(" + sub(T::text) + ")";
          case 1:
            return "lower(" + sub(T::text) + ")";
          default:
            return leaf(type, scope);
        }
      case T::date:
        switch (c_.pick(4)) {
          case 0:
            return "add_months(" + sub(T::date) + ", " + sub(T::integer) + ")";
          case 1:
            return "(" + sub(T::date) + (c_.pick(2) ? " + " : " - ") + sub(T::integer) + ")";
          default:
            return leaf(type, scope);
        }
    }
    return leaf(type, scope);
  }

  std::string compare() {
    static const char* const kOps[] = {" == ", " != ", " < ", " <= ", " > ", " >= "};
    return kOps[c_.pick(6)];
  }

  Choices& c_;
  std::vector<Named> values_;
  std::vector<Named> rates_;
};

}  // namespace

std::string generate_plan(Choices& choices) {
  return Generator(choices).plan();
}

}  // namespace tally::fuzz
