#include "repl/forecast_quota.hpp"

#include <algorithm>

#include "interpreter/runtime/spelling.hpp"
#include "repl/statement_amount.hpp"
#include "repl/statement_tree.hpp"

namespace tally::cli {

std::optional<QuotaSource> find_quota_source(const std::vector<Declaration>& declarations,
                                             const std::string& asked, std::string& error,
                                             std::string& hint) {
  std::vector<std::string> values;
  for (const Declaration& d : declarations)
    if (d.per_payee && (d.kind == Declaration::Kind::let || d.kind == Declaration::Kind::measure))
      values.push_back(d.name);
  if (!asked.empty()) {
    if (std::find(values.begin(), values.end(), asked) != values.end())
      return QuotaSource{asked, false};
    error = "the plan has no per-payee let or measure called `" + asked + "` (for --quota)";
    if (auto near = closest_match(asked, values)) hint = "did you mean `" + *near + "`?";
    return std::nullopt;
  }
  for (const Declaration& d : declarations)
    if (d.per_payee && (d.kind == Declaration::Kind::let || d.kind == Declaration::Kind::measure) &&
        is_quota_name(d.name) && d.type.starts_with("money"))
      return QuotaSource{d.name, false};
  for (const Declaration& d : declarations)
    if (d.per_payee && d.kind == Declaration::Kind::let && is_attainment_name(d.name) &&
        d.type == "percent")
      return QuotaSource{d.name, true};
  return std::nullopt;
}

std::map<std::string, double> quota_values(const Engine& engine, const Plan& plan,
                                           const RunOptions& options, const QuotaSource& source,
                                           const std::vector<std::string>& payees,
                                           const std::string& period,
                                           std::vector<std::string>& notes) {
  std::vector<ExplainRequest> requests;
  for (const std::string& payee : payees) requests.push_back({payee, period, source.name});
  const std::vector<Explanation> explained = engine.explain_many(plan, options, requests);
  std::map<std::string, double> quotas;
  std::string problem;
  for (std::size_t i = 0; i < explained.size() && i < payees.size(); ++i) {
    const Explanation& e = explained[i];
    if (!e.ok) {
      if (problem.empty() && !e.messages.empty()) problem = e.messages.front().text;
      continue;
    }
    std::string text = e.root.value;
    if (source.from_attainment) {
      const auto found = find_attainment({}, &e.root);
      text = found ? found->quota : "";
    }
    if (const auto amount = Amount::parse(text)) {
      quotas[payees[i]] = amount->to_double();
    } else if (problem.empty()) {
      problem = source.from_attainment ? "`" + source.name + "` is not written `A / B`"
                                       : "`" + source.name + "` has no number";
    }
  }
  if (!problem.empty())
    notes.push_back("the quota of some payees could not be read (" + source.name + "): " + problem);
  return quotas;
}

}  // namespace tally::cli
