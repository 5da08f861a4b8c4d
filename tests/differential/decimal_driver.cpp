// Runs tally::Decimal operations read from stdin, one per line, and prints one
// result line per operation, for decimal_differential.py to compare with
// Python's decimal module. Operands are in plain or exponent notation.
//
//   add|sub|mul|div A B      -> "<value> <repr>" or "error <message>"
//   divp A B PRECISION       -> division to another precision, same output
//   round X Q MODE           -> "<value> <repr>" or "error <message>"
//   neg|abs|trim A           -> "<value> <repr>"
//   rescale A SCALE          -> "<value> <repr>"
//   int A                    -> the integer, or "none"
//   digits A                 -> number of significant digits of the coefficient
//   cmp A B                  -> "<-1|0|1> <a==b> <equal values hash equally>"
//   parse TEXT / parseu TEXT -> "<value> <repr> <reprints identically>" or "invalid"
//
// <repr> is "S:<coefficient>" on the 64-bit fast path, "B" on the big path.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "interpreter/runtime/decimal.hpp"

namespace {

using tally::Decimal;

std::string describe(const Decimal& d) {
  std::string text = d.to_string();
  if (d.is_small()) return text + " S:" + std::to_string(d.small_coefficient());
  return text + " B";
}

std::string describe(const tally::Result<Decimal>& r) {
  if (!r.ok()) return "error " + r.errors().front().message;
  return describe(r.value());
}

std::string run(const std::vector<std::string>& words) {
  const std::string& op = words[0];
  if (op == "parse" || op == "parseu") {
    if (words.size() != 2) return "badinput";
    auto d = Decimal::parse(words[1], op == "parseu");
    if (!d) return "invalid";
    auto again = Decimal::parse(d->to_string());
    const bool round_trips =
        again && again->to_string() == d->to_string() && again->scale() == d->scale();
    return describe(*d) + (round_trips ? " 1" : " 0");
  }
  std::vector<Decimal> args;
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (op == "round" && i == 3) break;
    if ((op == "rescale" && i == 2) || (op == "divp" && i == 3)) break;
    auto d = Decimal::parse(words[i]);
    if (!d) return "badinput";
    args.push_back(*d);
  }
  auto need = [&](std::size_t n) { return args.size() == n; };
  if (op == "add" && need(2)) return describe(args[0] + args[1]);
  if (op == "sub" && need(2)) return describe(args[0] - args[1]);
  if (op == "mul" && need(2)) return describe(args[0] * args[1]);
  if (op == "div" && need(2)) return describe(Decimal::divide(args[0], args[1]));
  if (op == "divp" && need(2) && words.size() == 4) {
    return describe(Decimal::divide(args[0], args[1], std::stoi(words[3])));
  }
  if (op == "round" && need(2) && words.size() == 4) {
    auto mode = tally::parse_rounding_mode(words[3]);
    if (!mode) return "badinput";
    return describe(Decimal::round(args[0], args[1], *mode));
  }
  if (op == "neg" && need(1)) return describe(-args[0]);
  if (op == "abs" && need(1)) return describe(args[0].abs());
  if (op == "trim" && need(1)) return describe(args[0].trimmed());
  if (op == "rescale" && need(1) && words.size() == 3) {
    return describe(args[0].rescaled_up(std::stoi(words[2])));
  }
  if (op == "int" && need(1)) {
    auto value = args[0].to_int64();
    return value ? std::to_string(*value) : "none";
  }
  if (op == "digits" && need(1)) return std::to_string(args[0].digits());
  if (op == "cmp" && need(2)) {
    const auto order = args[0] <=> args[1];
    const int c = order < 0 ? -1 : (order > 0 ? 1 : 0);
    const bool equal = args[0] == args[1];
    const bool hash_ok = !equal || args[0].hash() == args[1].hash();
    return std::to_string(c) + (equal ? " 1" : " 0") + (hash_ok ? " 1" : " 0");
  }
  return "badinput";
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  std::vector<std::string> words;
  while (std::getline(std::cin, line)) {
    words.clear();
    std::istringstream in(line);
    for (std::string word; in >> word;) words.push_back(word);
    std::cout << (words.empty() ? std::string("badinput") : run(words)) << '\n';
  }
  return 0;
}
