// The quota each payee's forecast is set against, so that `tally forecast`
// can show the expected attainment: a per-payee value named with --quota, or
// found in the plan by the naming rules of the statements (docs/cli.md, "How
// quota and attainment are found"): a money let or measure named like a
// quota, else the `B` of an attainment let `A / B`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tally/tally.hpp"

namespace tally::cli {

struct QuotaSource {
  std::string name;              ///< the let or measure explained per payee
  bool from_attainment = false;  ///< the quota is the divisor in its formula
};

/// Which value is the quota. `asked` (--quota) must be a per-payee let or
/// measure: otherwise `error` and `hint` are set and nullopt returned. With
/// nothing asked, nullopt (no error) when the plan has no quota-like value.
std::optional<QuotaSource> find_quota_source(const std::vector<Declaration>& declarations,
                                             const std::string& asked, std::string& error,
                                             std::string& hint);

/// Each payee's quota in `period` (a label the run pays), from one
/// explain_many over `options`' data. A payee whose quota cannot be read is
/// absent, and a note says why (once).
std::map<std::string, double> quota_values(const Engine& engine, const Plan& plan,
                                           const RunOptions& options, const QuotaSource& source,
                                           const std::vector<std::string>& payees,
                                           const std::string& period,
                                           std::vector<std::string>& notes);

}  // namespace tally::cli
