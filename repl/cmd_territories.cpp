// `tally territories`: territory design from the data (docs/territories.md):
// transactions in several territories or none, the balance per territory,
// a what-if from a change file, and cross-sell gaps.
#include <filesystem>
#include <iostream>
#include <memory>

#include "repl/command.hpp"
#include "repl/cross_sell.hpp"
#include "repl/data_flags.hpp"
#include "repl/period_flag.hpp"
#include "repl/pipeline_data.hpp"
#include "repl/territory_balance.hpp"
#include "repl/territory_books.hpp"
#include "repl/territory_output.hpp"
#include "repl/territory_what_if.hpp"
#include "tally/territories.hpp"

namespace tally::cli {

namespace {

struct TerritoriesArgs {
  std::string plan;
  std::string data = ".";
  std::vector<std::string> binds;
  std::string period;
  std::string what_if;
  std::string by;
  bool json = false;
  BalanceFields fields;
  bool cross_sell = false;
  std::string accounts;
  std::string products;
  std::string size_by = "employees";
  std::vector<double> bands;
};

int usage_error(const std::string& text) {
  std::cerr << "tally territories: error: " << text << "\n";
  return kExitUsage;
}

Message error_message(const std::string& file, const std::string& text, const std::string& hint) {
  Message m;
  m.file = file;
  m.text = text;
  m.hint = hint;
  m.rendered = file + ": error: " + text + (hint.empty() ? "" : "\n  hint: " + hint);
  return m;
}

/// The report checks the labels as --from and --to; the user wrote --period.
std::vector<Message> as_period_messages(const std::vector<Message>& messages) {
  std::vector<Message> out;
  for (Message m : messages) {
    for (const std::string prefix : {"--from ", "--to "}) {
      if (m.text.rfind(prefix, 0) != 0) continue;
      const std::string renamed = "--period " + m.text.substr(prefix.size());
      if (const auto at = m.rendered.find(m.text); at != std::string::npos)
        m.rendered.replace(at, m.text.size(), renamed);
      m.text = renamed;
    }
    bool repeated = false;
    for (const Message& o : out) repeated = repeated || o.rendered == m.rendered;
    if (!repeated) out.push_back(std::move(m));
  }
  return out;
}

/// The cross-sell section: won deals of the plan's pipeline source against
/// the accounts table.
int cross_sell(const Engine& engine, const Plan& plan, const RunOptions& options,
               const TerritoriesArgs& args, TerritoryFindings& findings) {
  const std::filesystem::path data(args.data);
  const std::string accounts_path =
      args.accounts.empty() ? (data / "accounts.csv").string() : args.accounts;
  const std::string products_path =
      args.products.empty() ? (data / "products.csv").string() : args.products;
  PipelineResult pipeline = read_pipeline(engine, plan, options, PipelineSpec{});
  if (!pipeline.data) {
    print_messages(pipeline.messages);
    return kExitPlanError;
  }
  if (pipeline.data->spec.account.empty() || pipeline.data->spec.product.empty()) {
    print_messages({error_message(
        args.plan,
        "--cross-sell needs the account and the product of each deal, "
        "but the pipeline source has no field for " +
            std::string(pipeline.data->spec.account.empty() ? "the account" : "the product"),
        "name the fields `account` and `product` in the plan's source")});
    return kExitPlanError;
  }
  AccountsResult accounts = read_accounts(accounts_path);
  if (!accounts.messages.empty()) {
    print_messages(accounts.messages);
    return kExitPlanError;
  }
  const std::vector<std::string> known = read_product_lines(products_path);
  std::vector<Purchase> purchases;
  for (const Opportunity& o : pipeline.data->opportunities)
    if (o.outcome == Outcome::won)
      purchases.push_back({o.account, canonical_line(o.product, known)});
  CrossSellOptions chosen;
  chosen.size_by = args.size_by == "revenue" ? CrossSellOptions::SizeBy::revenue
                                             : CrossSellOptions::SizeBy::employees;
  if (!args.bands.empty()) {
    for (std::size_t i = 1; i < args.bands.size(); ++i)
      if (!(args.bands[i - 1] < args.bands[i]))
        return usage_error("--bands expects ascending edges, e.g. 1000,5000");
    chosen.edges = args.bands;
  }
  findings.cross_sell = find_cross_sell(accounts.accounts, purchases, chosen);
  findings.cross_sell_basis = "sector and " + args.size_by + " band";
  return kExitOk;
}

int run(const Engine& engine, const TerritoriesArgs& args) {
  RunOptions options;
  options.data_dir = args.data;
  if (auto bad = add_bindings(args.binds, options.bindings)) return usage_error(*bad);
  if (const auto error = read_period_flag(args.period, options)) return usage_error(*error);
  if (!args.what_if.empty() && !std::filesystem::is_regular_file(args.what_if))
    return usage_error("--what-if " + args.what_if + ": no such file");

  const CompileResult compiled = engine.compile_file(args.plan);
  print_messages(compiled.messages);
  if (!compiled.plan) return kExitPlanError;
  const Plan& plan = *compiled.plan;

  TerritoryFindings findings;
  findings.plan_name = engine.plan_name(plan);
  const TerritoryReport report = territory_report(plan, options);
  if (!report.ok) {
    print_messages(args.period.empty() ? report.messages : as_period_messages(report.messages));
    return kExitPlanError;
  }
  if (report.source.empty() && !report.declares_territories) {
    print_messages({error_message(
        args.plan, "the plan's credit rules read no single source, so there are no books to report",
        "credit the transactions of one source with `credit NAME from SOURCE ...`")});
    return kExitPlanError;
  }
  GroupedReport grouped;
  if (!args.by.empty() || !report.declares_territories) {
    if (!args.what_if.empty() && !args.by.empty()) {
      print_messages({error_message(
          args.what_if,
          "--what-if moves transactions between territories or payees' books, not between "
          "--by groups",
          "leave out --by: on a plan with territories the moves go to territories, on one "
          "without to payees (`move account Acme to ana`)")});
      return kExitPlanError;
    }
    grouped = group_report(report, args.by);
    if (!grouped.error.empty()) return usage_error(grouped.error);
    findings.report = &grouped.report;
    findings.grouping = grouped.grouping;
    const ChosenFields fields = choose_fields(grouped.report, args.fields);
    if (!fields.error.empty()) return usage_error(fields.error);
    findings.balance = balance_of(grouped.report, fields);
    if (!args.what_if.empty()) {
      WhatIfResult what_if =
          run_what_if(engine, plan, args.plan, options, grouped.report, fields, args.what_if, true);
      if (!what_if.what_if) {
        print_messages(what_if.messages);
        return kExitPlanError;
      }
      findings.what_if = std::move(what_if.what_if);
    }
  } else if (!report.territories.empty()) {
    findings.report = &report;
    const ChosenFields fields = choose_fields(report, args.fields);
    if (!fields.error.empty()) return usage_error(fields.error);
    findings.balance = balance_of(report, fields);
    if (!args.what_if.empty()) {
      WhatIfResult what_if =
          run_what_if(engine, plan, args.plan, options, report, fields, args.what_if);
      if (!what_if.what_if) {
        print_messages(what_if.messages);
        return kExitPlanError;
      }
      findings.what_if = std::move(what_if.what_if);
    }
  } else {
    print_messages({error_message(
        args.plan, "no territory of the plan matches a transaction, so there is nothing to balance",
        "check the `territories from` source and its match, or group with --by FIELD")});
    return kExitPlanError;
  }
  if (args.cross_sell)
    if (const int done = cross_sell(engine, plan, options, args, findings); done != kExitOk)
      return done;

  if (args.json)
    std::cout << territories_json(findings).dump(2) << "\n";
  else
    std::cout << territories_text(findings);
  return kExitOk;
}

}  // namespace

Command add_territories_command(CLI::App& app) {
  auto args = std::make_shared<TerritoriesArgs>();
  auto* cmd = app.add_subcommand(
      "territories",
      "Report from the data which territories each transaction matches (several, none), the "
      "balance per territory, a what-if from a change file, and cross-sell gaps");
  cmd->add_option("plan", args->plan, "The plan file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", args->data, "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  add_bind_option(cmd, args->binds);
  cmd->add_option("--period,-p", args->period,
                  "Periods whose credits count as bookings and whose payouts are compared: one "
                  "(2026-Q2) or a range (2026-Q1..2026-Q4)");
  cmd->add_option("--what-if", args->what_if,
                  "A change file of moves (`move state CA to West`; without territories "
                  "`move account Acme to ana`): shows the balance and the incentive cost with the "
                  "moves beside those without");
  cmd->add_option("--by", args->by,
                  "Group the transactions by this text or payee field instead of territories "
                  "(default without territories: each payee's book of business)");
  cmd->add_flag("--json", args->json, "Print the figures as JSON");
  cmd->add_option("--account", args->fields.account,
                  "The field naming the account (default: `account`)");
  cmd->add_option("--amount", args->fields.amount,
                  "The field summed as bookings (default: the field the credit rule credits)");
  cmd->add_option("--potential", args->fields.potential,
                  "The field holding each account's potential (default: `potential`)");
  cmd->add_flag("--cross-sell", args->cross_sell,
                "List accounts buying fewer product lines than similar accounts (same sector "
                "and size band), from the won deals of the plan's pipeline source");
  cmd->add_option("--accounts", args->accounts,
                  "Accounts table for --cross-sell (default: DATA/accounts.csv)");
  cmd->add_option("--products", args->products,
                  "Products table for --cross-sell, to join spellings (default: "
                  "DATA/products.csv when present)");
  cmd->add_option("--size-by", args->size_by, "Size bands for --cross-sell: employees or revenue")
      ->check(CLI::IsMember({"employees", "revenue"}));
  cmd->add_option("--bands", args->bands,
                  "Size band edges for --cross-sell, ascending (default: 1000,5000)")
      ->delimiter(',');
  return {cmd, [args](const Engine& engine) { return run(engine, *args); }};
}

}  // namespace tally::cli
