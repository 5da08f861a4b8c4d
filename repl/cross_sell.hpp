// Cross-sell and up-sell (docs/territories.md, "Cross-sell"): accounts that
// buy fewer product lines than similar accounts (same sector, same size
// band) and the lines their peers buy most that they lack. Peers are the
// other accounts of the group that bought anything; figures are counts and
// medians (doubles only for the median), so the result never divides by 0.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tally/tally.hpp"

namespace tally::cli {

/// One account of the accounts table.
struct AccountProfile {
  std::string account;
  std::string sector;
  std::optional<double> employees;
  std::optional<double> revenue;
};

/// One won deal: the account bought the product line.
struct Purchase {
  std::string account;
  std::string product;
};

struct CrossSellOptions {
  enum class SizeBy { employees, revenue };
  SizeBy size_by = SizeBy::employees;
  /// Band edges, ascending: with {1000, 5000} the bands are `<1000`,
  /// `1000-4999` (up to but not including 5000) and `5000+`.
  std::vector<double> edges{1000, 5000};
  std::size_t min_peers = 2;    ///< groups with fewer peers are noted, not compared
  std::size_t max_missing = 3;  ///< how many lacking lines to list per account
};

/// An account below its peers.
struct CrossSellGap {
  std::string account;
  std::string sector;
  std::string band;        ///< the size band's label (`1000-4999`)
  std::size_t lines = 0;   ///< distinct lines it bought
  std::size_t peers = 0;   ///< other accounts of its group that bought anything
  double peer_median = 0;  ///< median of the peers' line counts
  /// The lines it lacks that its peers buy most, each with how many peers
  /// buy it (most first, then by name), at most CrossSellOptions::max_missing.
  std::vector<std::pair<std::string, std::size_t>> missing;
};

struct CrossSellResult {
  std::vector<CrossSellGap> gaps;  ///< by sector, band, then account
  std::size_t accounts = 0;        ///< accounts with at least one purchase and a profile
  std::size_t groups = 0;          ///< (sector, band) groups with such accounts
  /// What was left out and why: purchases of accounts without a profile,
  /// profiles without a size, groups too small to compare.
  std::vector<std::string> notes;
};

/// The size band label of `size` under `options` (`<1000`, `1000-4999`, `5000+`).
std::string size_band(double size, const CrossSellOptions& options);

/// Accounts buying fewer lines than the median of their peers.
CrossSellResult find_cross_sell(const std::vector<AccountProfile>& accounts,
                                const std::vector<Purchase>& purchases,
                                const CrossSellOptions& options);

/// Reads an accounts CSV with a header naming at least `account` and
/// `sector`, and `employees` and/or `revenue` (blank cells: unknown).
/// Errors are located messages (`accounts.csv:7: ...`).
struct AccountsResult {
  std::vector<AccountProfile> accounts;
  std::vector<Message> messages;
};
AccountsResult read_accounts(const std::string& path);

/// The product names of a products CSV (its `product` column, else its
/// first), to make the pipeline's spellings canonical; empty when the file
/// cannot be read (the pipeline's own spellings are then kept).
std::vector<std::string> read_product_lines(const std::string& path);

/// The same line written two ways is one line: `GTXPro` and `GTX Pro` both
/// give `GTX Pro` when `known` (the products table) has `GTX Pro`; a
/// product not in `known` is kept as written.
std::string canonical_line(const std::string& product, const std::vector<std::string>& known);

}  // namespace tally::cli
