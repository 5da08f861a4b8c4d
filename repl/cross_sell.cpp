// Cross-sell gaps: accounts grouped by (sector, size band), each compared
// with the median line count of the other accounts of its group.
#include "repl/cross_sell.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "io/csv_reader.hpp"

namespace tally::cli {

namespace {

std::string squeezed(const std::string& text) {
  std::string out;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string number_text(double value) {
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

Message located(const std::string& path, int line, std::string text, std::string hint = "") {
  Message m;
  m.file = path;
  m.line = line;
  m.text = std::move(text);
  m.hint = std::move(hint);
  m.rendered = path + (line > 0 ? ":" + std::to_string(line) : "") + ": error: " + m.text +
               (m.hint.empty() ? "" : "\n  hint: " + m.hint);
  return m;
}

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string size_band(double size, const CrossSellOptions& options) {
  const std::vector<double>& edges = options.edges;
  if (edges.empty()) return "all";
  if (size < edges.front()) return "<" + number_text(edges.front());
  for (std::size_t i = 0; i + 1 < edges.size(); ++i)
    if (size < edges[i + 1]) return number_text(edges[i]) + "-" + number_text(edges[i + 1] - 1);
  return number_text(edges.back()) + "+";
}

std::string canonical_line(const std::string& product, const std::vector<std::string>& known) {
  const std::string key = squeezed(product);
  for (const std::string& k : known)
    if (squeezed(k) == key) return k;
  return product;
}

CrossSellResult find_cross_sell(const std::vector<AccountProfile>& accounts,
                                const std::vector<Purchase>& purchases,
                                const CrossSellOptions& options) {
  CrossSellResult result;
  std::map<std::string, const AccountProfile*> profile;
  for (const AccountProfile& a : accounts) profile.emplace(a.account, &a);
  std::map<std::string, std::set<std::string>> lines;  // account -> lines bought
  std::set<std::string> unknown;
  for (const Purchase& p : purchases) {
    if (p.account.empty() || p.product.empty()) continue;
    if (!profile.count(p.account)) {
      unknown.insert(p.account);
      continue;
    }
    lines[p.account].insert(p.product);
  }
  if (!unknown.empty())
    result.notes.push_back(std::to_string(unknown.size()) +
                           " account(s) with purchases are not in the accounts table, e.g. \"" +
                           *unknown.begin() + "\"; left out");

  // (sector, band) -> accounts of the group that bought anything
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> groups;
  std::size_t sizeless = 0;
  for (const auto& [account, bought] : lines) {
    const AccountProfile& a = *profile.at(account);
    const std::optional<double> size =
        options.size_by == CrossSellOptions::SizeBy::employees ? a.employees : a.revenue;
    if (!size) {
      ++sizeless;
      continue;
    }
    groups[{a.sector, size_band(*size, options)}].push_back(account);
    ++result.accounts;
  }
  if (sizeless > 0)
    result.notes.push_back(std::to_string(sizeless) +
                           " account(s) have no size (blank employees or revenue); left out");
  result.groups = groups.size();

  for (const auto& [key, members] : groups) {
    const std::size_t peers = members.size() - 1;
    if (peers < options.min_peers) {
      result.notes.push_back("sector " + key.first + ", size " + key.second + ": " +
                             std::to_string(members.size()) + " account(s), fewer than " +
                             std::to_string(options.min_peers + 1) + " to compare; not compared");
      continue;
    }
    for (const std::string& account : members) {
      const std::set<std::string>& own = lines.at(account);
      std::vector<double> counts;
      std::map<std::string, std::size_t> buyers;  // line -> peers buying it
      for (const std::string& peer : members) {
        if (peer == account) continue;
        const std::set<std::string>& theirs = lines.at(peer);
        counts.push_back(static_cast<double>(theirs.size()));
        for (const std::string& line : theirs) ++buyers[line];
      }
      const double peer_median = median(counts);
      if (static_cast<double>(own.size()) >= peer_median) continue;
      CrossSellGap gap;
      gap.account = account;
      gap.sector = key.first;
      gap.band = key.second;
      gap.lines = own.size();
      gap.peers = peers;
      gap.peer_median = peer_median;
      for (const auto& [line, n] : buyers)
        if (!own.count(line)) gap.missing.emplace_back(line, n);
      std::stable_sort(gap.missing.begin(), gap.missing.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      if (gap.missing.size() > options.max_missing) gap.missing.resize(options.max_missing);
      result.gaps.push_back(std::move(gap));
    }
  }
  return result;
}

AccountsResult read_accounts(const std::string& path) {
  AccountsResult out;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    out.messages.push_back(located(path, 0, "cannot open the accounts file"));
    return out;
  }
  CsvReader reader(file.get(), CsvOptions{});
  CsvRecord record;
  CsvSyntaxError syntax;
  if (reader.next(record, syntax) != CsvReader::Status::record) {
    out.messages.push_back(located(path, 1, "expected a header line naming account and sector"));
    return out;
  }
  int account = -1, sector = -1, employees = -1, revenue = -1;
  for (std::size_t i = 0; i < record.size(); ++i) {
    const std::string name(record.field(i));
    const int at = static_cast<int>(i);
    if (name == "account") account = at;
    if (name == "sector") sector = at;
    if (name == "employees") employees = at;
    if (name == "revenue") revenue = at;
  }
  if (account < 0 || sector < 0 || (employees < 0 && revenue < 0)) {
    out.messages.push_back(
        located(path, 1, "the header must name `account`, `sector` and `employees` or `revenue`"));
    return out;
  }
  for (;;) {
    const CsvReader::Status status = reader.next(record, syntax);
    if (status == CsvReader::Status::end) break;
    if (status == CsvReader::Status::error) {
      out.messages.push_back(located(path, syntax.row, syntax.message));
      continue;
    }
    auto cell = [&](int i) {
      return i >= 0 && static_cast<std::size_t>(i) < record.size()
                 ? std::string(record.field(static_cast<std::size_t>(i)))
                 : std::string();
    };
    AccountProfile a;
    a.account = cell(account);
    a.sector = cell(sector);
    for (auto [column, target] : {std::pair{employees, &a.employees}, {revenue, &a.revenue}}) {
      const std::string text = cell(column);
      if (text.empty()) continue;
      *target = parse_number(text);
      if (!*target)
        out.messages.push_back(
            located(path, record.row(), "expected a number, found \"" + text + "\""));
    }
    if (!a.account.empty()) out.accounts.push_back(std::move(a));
  }
  return out;
}

std::vector<std::string> read_product_lines(const std::string& path) {
  std::vector<std::string> out;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return out;
  CsvReader reader(file.get(), CsvOptions{});
  CsvRecord record;
  CsvSyntaxError syntax;
  if (reader.next(record, syntax) != CsvReader::Status::record) return out;
  std::size_t column = 0;
  for (std::size_t i = 0; i < record.size(); ++i)
    if (record.field(i) == "product") column = i;
  for (CsvReader::Status s; (s = reader.next(record, syntax)) != CsvReader::Status::end;)
    if (s == CsvReader::Status::record && column < record.size() && !record.field(column).empty())
      out.emplace_back(record.field(column));
  return out;
}

}  // namespace tally::cli
