#include "interpreter/fx_rates.hpp"

#include <algorithm>

#include "interpreter/row_labels.hpp"
#include "interpreter/run_state.hpp"
#include "interpreter/value_format.hpp"

namespace tally {

namespace {

bool is_currency_code(std::string_view code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

int field_named(const SourceSchema& schema, const std::string& name, Kind kind) {
  for (std::size_t f = 0; f < schema.fields.size(); ++f)
    if (schema.fields[f].name == name && schema.fields[f].type.kind == kind)
      return static_cast<int>(f);
  return -1;
}

/// The key of `row` of `table` as the user wrote it, when its source has a
/// text or integer key; else empty.
std::string transaction_key(const Table& table, std::size_t row, const SymbolTable& symbols,
                            const std::vector<std::pair<const Table*, int>>& keys) {
  for (const auto& [keyed, field] : keys) {
    if (keyed != &table || field < 0) continue;
    const Column& column = table.columns[static_cast<std::size_t>(field)];
    if (column.type.kind == Kind::integer) return std::to_string(column.ints[row]);
    return std::string(symbols.text(column.symbols[row]));
  }
  return {};
}

}  // namespace

FxRates::CurrencyIndex FxRates::by_code(const std::string& code) const {
  if (code == plan_currency_) return kPlan;
  const auto it = by_code_.find(code);
  return it == by_code_.end() ? kUnknown : it->second;
}

FxRates::CurrencyIndex FxRates::by_symbol(SymbolId symbol) const {
  const auto it = by_symbol_.find(symbol);
  if (it != by_symbol_.end()) return it->second;
  return symbols_ ? by_code(std::string(symbols_->text(symbol))) : kUnknown;
}

std::string FxRates::code_of_symbol(SymbolId symbol) const {
  return symbols_ ? std::string(symbols_->text(symbol)) : std::string();
}

const Decimal* FxRates::rate_on(CurrencyIndex currency, Date day) const {
  if (currency == kPlan) return nullptr;
  if (currency < 0 || static_cast<std::size_t>(currency) >= series_.size()) return nullptr;
  const Series& s = series_[static_cast<std::size_t>(currency)];
  const auto after = std::upper_bound(s.days.begin(), s.days.end(), day);
  if (after == s.days.begin()) return nullptr;
  return &s.rates[static_cast<std::size_t>(after - s.days.begin()) - 1];
}

std::optional<Decimal> FxRates::convert(const Decimal& amount, CurrencyIndex from, CurrencyIndex to,
                                        Date day, bool* from_missing) const {
  if (from == to) return amount;
  Decimal in_plan = amount;
  if (from != kPlan) {
    const Decimal* rate = rate_on(from, day);
    if (!rate) {
      if (from_missing) *from_missing = true;
      return std::nullopt;
    }
    in_plan = amount * *rate;
  }
  if (to == kPlan) return in_plan;
  const Decimal* rate = rate_on(to, day);
  if (!rate) {
    if (from_missing) *from_missing = false;
    return std::nullopt;
  }
  // Rates are checked to be more than zero when loaded, so this cannot fail.
  auto quotient = Decimal::divide(in_plan, *rate);
  if (!quotient) return std::nullopt;
  return quotient.value();
}

std::string FxRates::missing_reason(CurrencyIndex currency, const std::string& code,
                                    Date day) const {
  const std::string head = "no exchange rate for " + (code.empty() ? "(no currency)" : code) +
                           " on or before " + format_date(day);
  if (!loaded_) return head + ": the plan has no FX source loaded";
  if (currency < 0 || static_cast<std::size_t>(currency) >= series_.size())
    return head + ": the FX source `" + source_name_ + "` has no rate for " +
           (code.empty() ? "an empty currency" : code);
  return head + ": the first rate for " + code + " in the FX source `" + source_name_ + "` is on " +
         format_date(series_[static_cast<std::size_t>(currency)].days.front());
}

namespace {

/// Whom a missing rate concerns, for the message: the transaction of a row
/// or credit lane (the crediting and payout stages add their own context).
std::string subject(const VmEnv& env, std::uint32_t lane, const SymbolTable* symbols,
                    const std::vector<std::pair<const Table*, int>>& keys) {
  if (!env.rows || !symbols) return {};
  if (env.credits) {
    const std::size_t row = env.credits->row[env.credit_base + lane];
    const std::string key = transaction_key(*env.rows, row, *symbols, keys);
    return ", converting the credit of " + (key.empty() ? "" : "transaction " + key + " (") +
           row_label(*env.rows, row) + (key.empty() ? "" : ")");
  }
  const std::size_t row = env.row_base + lane;
  const std::string key = transaction_key(*env.rows, row, *symbols, keys);
  return key.empty() ? std::string() : ", converting transaction " + key;
}

}  // namespace

std::optional<FxFault> fx_convert_lanes(const ConstantSet& codes,
                                        const std::vector<std::uint32_t>& lanes,
                                        const std::vector<Decimal>& amounts,
                                        const std::vector<Date>& days, std::vector<Decimal>& out,
                                        const VmEnv& env) {
  if (lanes.empty()) return std::nullopt;
  const std::string& from_code = codes.texts[0];
  const std::string& to_code = codes.texts[1];
  if (from_code == to_code) {
    for (auto i : lanes) out[i] = amounts[i];
    return std::nullopt;
  }
  const FxRates* fx = env.fx;
  if (!fx || !fx->loaded())
    return FxFault{lanes[0], "convert(...) from " + from_code + " to " + to_code +
                                 " needs the run's exchange rates, which are not loaded here"};
  const auto from = fx->by_code(from_code);
  const auto to = fx->by_code(to_code);
  for (auto i : lanes) {
    bool from_missing = false;
    auto converted = fx->convert(amounts[i], from, to, days[i], &from_missing);
    if (!converted && env.table_misses) {
      // Payouts under --lenient (the only stage that sets table_misses).
      fx->misses.push_back(
          FxRates::Miss{env.payee_base + i, env.period_index, &codes,
                        fx->missing_reason(from_missing ? from : to,
                                           from_missing ? from_code : to_code, days[i])});
      out[i] = Decimal::from_int(1);
      continue;
    }
    if (!converted)
      return FxFault{i, fx->missing_reason(from_missing ? from : to,
                                           from_missing ? from_code : to_code, days[i]) +
                            subject(env, i, fx->symbols(), fx->keys())};
    out[i] = std::move(*converted);
  }
  return std::nullopt;
}

std::optional<FxFault> fx_to_plan_lanes(const std::vector<std::uint32_t>& lanes,
                                        const std::vector<Decimal>& amounts,
                                        const std::vector<Date>& days,
                                        const std::vector<SymbolId>& currencies,
                                        std::vector<Decimal>& out, const VmEnv& env) {
  if (lanes.empty()) return std::nullopt;
  const FxRates* fx = env.fx;
  if (!fx || !fx->loaded())
    return FxFault{lanes[0],
                   "the credited amount is in the row's currency, which needs the "
                   "run's exchange rates, but they are not loaded here"};
  for (auto i : lanes) {
    const auto from = fx->by_symbol(currencies[i]);
    auto converted = fx->convert(amounts[i], from, FxRates::kPlan, days[i], nullptr);
    if (!converted) {
      const std::string code = fx->code_of_symbol(currencies[i]);
      return FxFault{
          i, fx->missing_reason(from, code, days[i]) + subject(env, i, fx->symbols(), fx->keys())};
    }
    out[i] = std::move(*converted);
  }
  return std::nullopt;
}

void load_fx_rates(RunState& state) {
  const PlanModel& model = state.model;
  FxRates& fx = state.fx;
  fx.plan_currency_ = model.currency;
  fx.symbols_ = &state.symbols;
  fx.plan_symbol_ = state.symbols.intern(model.currency);
  fx.by_symbol_[fx.plan_symbol_] = FxRates::kPlan;
  for (std::size_t s = 0; s < model.sources.size(); ++s)
    for (std::size_t f = 0; f < model.sources[s].schema.fields.size(); ++f)
      if (model.sources[s].schema.fields[f].key) {
        fx.keys_.emplace_back(&state.tables[s], static_cast<int>(f));
        break;
      }

  const bool roster_currency = model.roster >= 0 && field_named(model.sources[model.roster].schema,
                                                                "currency", Kind::text) >= 0;
  if (!state.plan.program.uses_fx && !roster_currency) return;
  int source = -1;
  for (std::size_t s = 0; s < model.sources.size() && source < 0; ++s)
    if (!model.sources[s].is_roster && model.sources[s].schema.name.rfind("fx", 0) == 0)
      source = static_cast<int>(s);
  if (source < 0) {
    // Without rates only payees paid in the plan's currency can be paid; the
    // payout stage names any other. Conversions in the plan need rates.
    if (state.plan.program.uses_fx)
      state.errors.push_back(Error{
          {},
          "the plan converts currencies, but has no FX source",
          "declare one, e.g. `source fx_rates { date: date, currency: text, rate: decimal }`"});
    return;
  }
  const SourceModel& decl = model.sources[static_cast<std::size_t>(source)];
  const int date_field = field_named(decl.schema, "date", Kind::date);
  const int code_field = field_named(decl.schema, "currency", Kind::text);
  const int rate_field = field_named(decl.schema, "rate", Kind::decimal);
  if (date_field < 0 || code_field < 0 || rate_field < 0) {
    state.errors.push_back(Error{state.plan_location(decl.decl->name_span),
                                 "the FX source `" + decl.schema.name +
                                     "` needs the fields `date: date`, `currency: text` and "
                                     "`rate: decimal`",
                                 "a rate is the number of " + model.currency +
                                     " one unit of `currency` buys from `date` on"});
    return;
  }
  fx.source_name_ = decl.schema.name;
  const Table& table = state.tables[static_cast<std::size_t>(source)];
  const Column& dates = table.columns[static_cast<std::size_t>(date_field)];
  const Column& codes = table.columns[static_cast<std::size_t>(code_field)];
  const Column& rates = table.columns[static_cast<std::size_t>(rate_field)];
  std::vector<std::vector<std::size_t>> rows_of;  // per series, its rows
  for (std::size_t row = 0; row < table.rows; ++row) {
    const std::string where = "FX source `" + decl.schema.name + "`, " + row_label(table, row);
    if (dates.is_null(row) || codes.is_null(row) || rates.is_null(row)) {
      state.data_error(DataErrorKind::bad_row,
                       Error{row_location(table, row),
                             where + ": a rate needs a date, a currency and a rate", ""});
      continue;
    }
    const std::string code(state.text(codes.symbols[row]));
    const Decimal rate = rates.decimals.at(row);
    if (!is_currency_code(code)) {
      state.data_error(DataErrorKind::bad_row,
                       Error{row_location(table, row),
                             where +
                                 ": the currency must be a three-letter code such as EUR, "
                                 "found \"" +
                                 code + "\"",
                             ""});
      continue;
    }
    if (rate.sign() <= 0) {
      state.data_error(DataErrorKind::bad_row,
                       Error{row_location(table, row),
                             where + ": the rate of " + code + " is " + rate.to_string() +
                                 "; a rate must be more than zero",
                             ""});
      continue;
    }
    if (code == model.currency) {
      if (rate != Decimal::from_int(1))
        state.data_error(DataErrorKind::bad_row,
                         Error{row_location(table, row),
                               where + ": " + code + " is the plan's currency, so its rate is 1, " +
                                   "found " + rate.to_string(),
                               "remove the row, or express every rate in " + code});
      continue;
    }
    auto [it, added] =
        fx.by_code_.emplace(code, static_cast<FxRates::CurrencyIndex>(fx.series_.size()));
    if (added) {
      fx.series_.push_back(FxRates::Series{code, {}, {}});
      rows_of.emplace_back();
      fx.by_symbol_[codes.symbols[row]] = it->second;
    }
    rows_of[static_cast<std::size_t>(it->second)].push_back(row);
  }
  for (std::size_t s = 0; s < fx.series_.size(); ++s) {
    std::vector<std::size_t>& rows = rows_of[s];
    std::stable_sort(rows.begin(), rows.end(),
                     [&](std::size_t a, std::size_t b) { return dates.dates[a] < dates.dates[b]; });
    FxRates::Series& series = fx.series_[s];
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Date day = dates.dates[rows[i]];
      if (i > 0 && dates.dates[rows[i - 1]] == day) {
        state.data_error(
            DataErrorKind::duplicate_key,
            Error{row_location(table, rows[i]),
                  "FX source `" + decl.schema.name + "` has two rates for " + series.code + " on " +
                      format_date(day) + ": " + row_label(table, rows[i - 1]) + " and " +
                      row_label(table, rows[i]),
                  "keep one rate per currency and day"});
        continue;
      }
      series.days.push_back(day);
      series.rates.push_back(rates.decimals.at(rows[i]));
    }
  }
  fx.loaded_ = true;
}

void add_payee_currency(RunState& state, std::vector<std::string>& columns,
                        std::vector<std::vector<std::string>>& rows) {
  const PlanModel& model = state.model;
  if (model.roster < 0) return;
  const int field = field_named(model.sources[model.roster].schema, "currency", Kind::text);
  if (field < 0) return;
  columns.push_back("currency");
  columns.push_back("payee_amount");
  std::unordered_map<std::string, std::size_t> period_of_label;
  for (std::size_t p = 0; p < state.periods.size(); ++p)
    period_of_label.emplace(period_label(state.periods[p], model.calendar), p);
  const FxRates& fx = state.fx;
  for (auto& row : rows) {
    const SymbolId id = state.symbols.intern(row[0]);
    const std::int32_t payee =
        id < state.payee_of_symbol.size() ? state.payee_of_symbol[id] : std::int32_t{-1};
    const auto period = period_of_label.find(row[1]);
    const auto amount = Decimal::parse(row[3]);
    if (payee < 0 || period == period_of_label.end() || !amount) {
      state.errors.push_back(Error{{}, "a payout row names no known payee and period", ""});
      return;
    }
    const auto p = static_cast<std::size_t>(payee);
    // With an effective-dated roster, the currency in force for the period.
    const Table& roster = state.roster_in_period(period->second);
    const Column& currency = roster.columns[static_cast<std::size_t>(field)];
    if (currency.is_null(p) || currency.symbols[p] == fx.plan_symbol()) {
      row.push_back(model.currency);
      row.push_back(row[3]);
      continue;
    }
    const std::string code(state.text(currency.symbols[p]));
    const Date day = period_end(state.periods[period->second], model.calendar);
    const auto to = fx.by_symbol(currency.symbols[p]);
    auto converted = fx.loaded() ? fx.convert(*amount, FxRates::kPlan, to, day, nullptr)
                                 : std::optional<Decimal>();
    std::optional<Decimal> rounded;
    if (converted)
      if (auto r = Decimal::round(*converted, model.rounding_quantum, model.rounding))
        rounded = r.value();
    if (!rounded) {
      state.data_error(
          DataErrorKind::missing_fx_rate,
          Error{row_location(state.roster(), p),
                fx.missing_reason(to, code, day) + ", converting payout `" + row[2] +
                    "` of payee \"" + row[0] + "\" (paid in " + code + ") for period " + row[1],
                "add a rate for " + code + " dated on or before " + format_date(day)});
      row.push_back(code);
      row.push_back("");
      continue;
    }
    row.push_back(code);
    row.push_back(format_amount(*rounded));
  }
}

bool reads_exchange_rates(const Chunk& chunk) {
  return std::any_of(chunk.code.begin(), chunk.code.end(), [](const Instr& in) {
    return in.op == OpCode::FX_CONVERT || in.op == OpCode::FX_TO_PLAN;
  });
}

}  // namespace tally
