// The actions that build the AST from the grammar of rules.hpp, and the
// top-level loop that parses one declaration at a time so that an error in one
// declaration does not hide the errors in the next.
#include "grammar/parser.hpp"

#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tao/pegtl.hpp>

#include "grammar/comment_scan.hpp"
#include "grammar/expression_parser.hpp"
#include "grammar/keywords.hpp"
#include "grammar/parse_state.hpp"
#include "grammar/rules.hpp"
#include "interpreter/runtime/spelling.hpp"

namespace tally {
namespace grammar {
namespace {

namespace pegtl = tao::pegtl;
using pegtl::nothing;

// ---------------------------------------------------------------- action helpers

template <class Input>
std::string quoted_value(const Input& in, const ParseState& state) {
  return string_value(state, in.begin() + 1, in.end() - 1);
}

template <class Input>
Span token_span(const Input& in, const ParseState& state) {
  return Span{state.offset(in.begin()), state.offset(in.end())};
}

/// An option of a field or a source: its values were collected by the value
/// actions while the option matched.
template <class Input>
ast::FieldOption take_option(const Input& in, ParseState& state, std::string name) {
  ast::FieldOption option{state.span(in.begin()), std::move(name), std::move(state.option_values)};
  state.option_values.clear();
  return option;
}

ast::TypeRef pop_type(ParseState& state) {
  ast::TypeRef type = std::move(state.types.back());
  state.types.pop_back();
  type.span.end = state.last_token_end;
  return type;
}

/// Appends a finished declaration to its list and to the plan's source order.
template <class Decl>
void add_declaration(ParseState& state, std::vector<Decl>& list, ast::DeclKind kind, Decl& decl) {
  list.push_back(std::move(decl));
  decl = Decl{};
  state.plan->order.push_back(ast::DeclRef{kind, list.size() - 1});
}

bool is_role_condition(const ast::Expr& e) {
  switch (e.op) {
    case ast::Op::eq:
    case ast::Op::ne:
    case ast::Op::lt:
    case ast::Op::le:
    case ast::Op::gt:
    case ast::Op::ge:
    case ast::Op::in:
    case ast::Op::not_in:
      break;
    default:
      return false;
  }
  return e.kind == ast::ExprKind::binary && e.args[0]->kind == ast::ExprKind::name &&
         e.args[0]->text == "role";
}

/// The finished expression after `for`, which must compare the word `role`.
ast::ExprPtr role_condition(ParseState& state) {
  ast::ExprPtr condition = state.pop_expression();
  if (!is_role_condition(*condition)) {
    state.fail_at(condition->span,
                  "expected a comparison of role after \"for\", such as role == \"AE\" or "
                  "role in {\"AE\", \"SE\"}");
  }
  return condition;
}

// ---------------------------------------------------------------- actions

template <class Rule>
struct action : nothing<Rule> {};

template <>
struct action<rules::skip> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    // An empty skip right after another skip follows whitespace, not a token.
    const std::uint32_t begin = state.offset(in.begin());
    if (in.empty() && begin == state.last_skip_end) return;
    state.last_token_end = begin;
    state.last_skip_end = state.offset(in.end());
  }
};

// Plan header.
template <>
struct action<rules::plan_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.name = quoted_value(in, state);
  }
};
template <>
struct action<rules::plan_version_value> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.version = *in.begin() == '"' ? quoted_value(in, state) : in.string();
  }
};
template <>
struct action<rules::plan_effective_date> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.effective = in.string();
    state.header.effective_span = Span{state.offset(in.begin()), state.offset(in.end())};
  }
};
template <>
struct action<rules::plan_currency_code> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.currency = in.string();
  }
};
template <>
struct action<rules::fiscal_calendar> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.fiscal = true;
    state.header.calendar_span = state.span(in.begin());
  }
};
template <>
struct action<rules::calendar_periods> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.calendar_span = state.span(in.begin());
  }
};
template <>
struct action<rules::fiscal_year_label> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.fiscal_year_label = in.string();
  }
};
template <>
struct action<rules::fiscal_year_start> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.year_start = in.string();
  }
};
template <>
struct action<rules::period_grain> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.grain = in.string();
  }
};
template <>
struct action<rules::rounding_mode_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.rounding_mode = in.string();
  }
};
template <>
struct action<rules::rounding_quantum> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.rounding_quantum = without_underscores(in.string_view());
  }
};
template <>
struct action<rules::rounding_clause> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.header.rounding_span = state.span(in.begin());
  }
};
template <>
struct action<rules::plan_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    if (state.plan->header) {
      state.fail_at(in.begin(), 4, "a second plan declaration; a file declares one plan");
    }
    state.header.span = state.span(in.begin());
    state.plan->header = std::move(state.header);
    state.plan->order.push_back(ast::DeclRef{ast::DeclKind::header, 0});
  }
};

// Types.
template <>
struct action<rules::type_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    ast::TypeRef type;
    type.span = token_span(in, state);
    type.name = in.string();
    state.types.push_back(std::move(type));
  }
};
template <>
struct action<rules::type_currency> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.types.back().currency = in.string();
  }
};
template <>
struct action<rules::type_optional> {
  template <class Input>
  static void apply(const Input&, ParseState& state) {
    state.types.back().optional = true;
  }
};
template <>
struct action<rules::type_element> {
  template <class Input>
  static void apply(const Input&, ParseState& state) {
    auto element = std::make_unique<ast::TypeRef>(pop_type(state));
    state.types.back().element = std::move(element);
  }
};

template <>
struct action<rules::record_word> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    ast::TypeRef type;
    type.span = token_span(in, state);
    type.name = "record";
    state.types.push_back(std::move(type));
  }
};
template <>
struct action<rules::record_field_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.record_field_names.push_back(in.string());
  }
};
template <>
struct action<rules::record_field_type> {
  template <class Input>
  static void apply(const Input&, ParseState& state) {
    ast::TypeRef type = pop_type(state);
    state.types.back().fields.emplace_back(std::move(state.record_field_names.back()),
                                           std::move(type));
    state.record_field_names.pop_back();
  }
};

// Sources and rosters.
template <>
struct action<rules::source_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.source.name = in.string();
    state.source.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::roster_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.source.is_roster = true;
    state.source.name = in.string();
    state.source.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::field_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.field = ast::FieldDecl{};
    state.field.name = in.string();
    state.field.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::field_type> {
  template <class Input>
  static void apply(const Input&, ParseState& state) {
    state.field.type = pop_type(state);
  }
};

/// The value of an option given as a string literal.
struct string_option_value {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.option_values.push_back(quoted_value(in, state));
  }
};
template <>
struct action<rules::from_value> : string_option_value {};
template <>
struct action<rules::null_value> : string_option_value {};
template <>
struct action<rules::sep_value> : string_option_value {};
template <>
struct action<rules::format_value> : string_option_value {};
template <>
struct action<rules::encoding_value> : string_option_value {};
template <>
struct action<rules::delimiter_value> : string_option_value {};
template <>
struct action<rules::at_value> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.option_values.push_back(without_underscores(in.string_view()));
  }
};

/// A field option named `Name` (a word of the option keyword).
template <const char* Name>
struct field_option_action {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.field.options.push_back(take_option(in, state, Name));
  }
};
template <const char* Name>
struct source_option_action {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.source.options.push_back(take_option(in, state, Name));
  }
};
inline constexpr char kKey[] = "key";
inline constexpr char kFrom[] = "from";
inline constexpr char kAt[] = "at";
inline constexpr char kNull[] = "null";
inline constexpr char kSep[] = "sep";
inline constexpr char kFormat[] = "format";
inline constexpr char kTrim[] = "trim";
inline constexpr char kNoHeader[] = "no header";
inline constexpr char kEncoding[] = "encoding";
inline constexpr char kDelimiter[] = "delimiter";
template <>
struct action<rules::option_key> : field_option_action<kKey> {};
template <>
struct action<rules::option_from> : field_option_action<kFrom> {};
template <>
struct action<rules::option_at> : field_option_action<kAt> {};
template <>
struct action<rules::option_null> : field_option_action<kNull> {};
template <>
struct action<rules::option_sep> : field_option_action<kSep> {};
template <>
struct action<rules::option_format> : field_option_action<kFormat> {};
template <>
struct action<rules::option_trim> : field_option_action<kTrim> {};
template <>
struct action<rules::option_no_header> : source_option_action<kNoHeader> {};
template <>
struct action<rules::option_encoding> : source_option_action<kEncoding> {};
template <>
struct action<rules::option_delimiter> : source_option_action<kDelimiter> {};

template <>
struct action<rules::field> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.field.span = state.span(in.begin());
    state.source.fields.push_back(std::move(state.field));
    state.field = ast::FieldDecl{};
  }
};
struct source_decl_action {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.source.span = state.span(in.begin());
    add_declaration(state, state.plan->sources, ast::DeclKind::source, state.source);
  }
};
template <>
struct action<rules::source_decl> : source_decl_action {};
template <>
struct action<rules::roster_decl> : source_decl_action {};

// Credit rules.
template <>
struct action<rules::credit_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.credit.name = in.string();
    state.credit.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::credit_source> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.credit.source = in.string();
    state.credit.source_span = token_span(in, state);
  }
};
template <>
struct action<rules::credit_row_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.credit.row_name = in.string();
  }
};
template <>
struct action<rules::credit_amount_value> {
  static void apply0(ParseState& state) { state.credit.amount = state.pop_expression(); }
};
template <>
struct action<rules::credit_condition> {
  static void apply0(ParseState& state) { state.credit.where = state.pop_expression(); }
};
template <>
struct action<rules::credit_date> {
  static void apply0(ParseState& state) { state.credit.on = state.pop_expression(); }
};
template <>
struct action<rules::credit_payee> {
  static void apply0(ParseState& state) {
    state.line = ast::CreditLine{};
    state.line.payee = state.pop_expression();
  }
};
template <>
struct action<rules::credit_share> {
  static void apply0(ParseState& state) { state.line.share = state.pop_expression(); }
};
template <>
struct action<rules::credit_kind> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    const std::string_view kind = in.string_view();
    state.line.kind = kind == "split"     ? ast::CreditKind::split
                      : kind == "overlay" ? ast::CreditKind::overlay
                      : kind == "rollup"  ? ast::CreditKind::rollup
                                          : ast::CreditKind::direct;
  }
};
template <>
struct action<rules::credit_line> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.line.span = state.span(in.begin());
    state.credit.lines.push_back(std::move(state.line));
  }
};
template <>
struct action<rules::credit_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.credit.span = state.span(in.begin());
    add_declaration(state, state.plan->credits, ast::DeclKind::credit, state.credit);
  }
};

// Measures and lets.
struct value_name_action {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.value.name = in.string();
    state.value.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::measure_name> : value_name_action {};
template <>
struct action<rules::let_name> : value_name_action {};
template <>
struct action<rules::value_type> {
  template <class Input>
  static void apply(const Input&, ParseState& state) {
    state.value.type = pop_type(state);
  }
};
struct value_expression_action {
  static void apply0(ParseState& state) { state.value.value = state.pop_expression(); }
};
template <>
struct action<rules::measure_value> : value_expression_action {};
template <>
struct action<rules::let_value> : value_expression_action {};
template <bool IsMeasure>
struct value_decl_action {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.value.is_measure = IsMeasure;
    state.value.span = state.span(in.begin());
    add_declaration(state, state.plan->values, ast::DeclKind::value, state.value);
  }
};
template <>
struct action<rules::measure_decl> : value_decl_action<true> {};
template <>
struct action<rules::let_decl> : value_decl_action<false> {};

// Payouts.
template <>
struct action<rules::payout_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.payout.name = in.string();
    state.payout.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::payout_role> {
  static void apply0(ParseState& state) { state.payout.for_role = role_condition(state); }
};
template <>
struct action<rules::payout_condition> {
  static void apply0(ParseState& state) { state.payout.when = state.pop_expression(); }
};
template <>
struct action<rules::payout_value> {
  static void apply0(ParseState& state) { state.payout.value = state.pop_expression(); }
};
template <>
struct action<rules::payout_cap_value> {
  static void apply0(ParseState& state) { state.payout.cap = state.pop_expression(); }
};
template <>
struct action<rules::payout_floor_value> {
  static void apply0(ParseState& state) { state.payout.floor = state.pop_expression(); }
};
template <>
struct action<rules::payout_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.payout.span = state.span(in.begin());
    add_declaration(state, state.plan->payouts, ast::DeclKind::payout, state.payout);
  }
};
template <>
struct action<rules::cap_grain> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.payout.cap_per = in.string();
  }
};
template <>
struct action<rules::payout_defer> {
  static void apply0(ParseState& state) { state.payout.cap_defer = true; }
};
template <>
struct action<rules::floor_grain> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.payout.floor_per = in.string();
  }
};
template <>
struct action<rules::pay_min_value> {
  static void apply0(ParseState& state) { state.payout.pay_min = state.pop_expression(); }
};
template <>
struct action<rules::pay_max_value> {
  static void apply0(ParseState& state) { state.payout.pay_max = state.pop_expression(); }
};

// Tables and goals.
template <bool IsGoal>
struct table_name_action {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.table.is_goal = IsGoal;
    state.table.name = in.string();
    state.table.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::table_name> : table_name_action<false> {};
template <>
struct action<rules::goal_name> : table_name_action<true> {};
template <>
struct action<rules::table_key> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.table.keys.push_back(in.string());
    state.table.key_spans.push_back(token_span(in, state));
  }
};
template <>
struct action<rules::table_type> {
  template <class Input>
  static void apply(const Input&, ParseState& state) {
    state.table.type = pop_type(state);
  }
};
template <>
struct action<rules::table_source> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.table.source = in.string();
    state.table.source_span = token_span(in, state);
  }
};
template <>
struct action<rules::table_column> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.table.columns.push_back(in.string());
  }
};
template <>
struct action<rules::table_value> {
  static void apply0(ParseState& state) { state.table.value = state.pop_expression(); }
};
template <>
struct action<rules::table_prorated> {
  static void apply0(ParseState& state) { state.table.prorated = true; }
};
struct table_decl_action {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.table.span = state.span(in.begin());
    add_declaration(state, state.plan->tables, ast::DeclKind::table, state.table);
  }
};
template <>
struct action<rules::table_decl> : table_decl_action {};
template <>
struct action<rules::goal_decl> : table_decl_action {};

// Territories.
/// Stores a clause's expression, refusing a second one (`owner` and
/// `priority` come in any order, so the grammar cannot rule that out).
void set_once(ParseState& state, ast::ExprPtr& slot, std::string_view clause) {
  ast::ExprPtr e = state.pop_expression();
  if (slot) {
    state.fail_at(e->span, concat({"a second \"", clause, "\" clause; write it once"}));
  }
  slot = std::move(e);
}
template <>
struct action<rules::territory_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.territory.name = in.string();
    state.territory.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::territory_predicate> {
  static void apply0(ParseState& state) { state.territory.predicate = state.pop_expression(); }
};
template <>
struct action<rules::territory_owner_value> {
  static void apply0(ParseState& state) { set_once(state, state.territory.owner, "owner"); }
};
template <>
struct action<rules::territory_priority_value> {
  static void apply0(ParseState& state) { set_once(state, state.territory.priority, "priority"); }
};
template <>
struct action<rules::territory_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.territory.span = state.span(in.begin());
    add_declaration(state, state.plan->territories, ast::DeclKind::territory, state.territory);
  }
};
template <>
struct action<rules::territories_source> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.territory_set.source = in.string();
    state.territory_set.source_span = token_span(in, state);
  }
};
template <>
struct action<rules::territories_row> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.territory_set.row_name = in.string();
  }
};
template <>
struct action<rules::territories_predicate> {
  static void apply0(ParseState& state) { state.territory_set.match = state.pop_expression(); }
};
template <>
struct action<rules::territories_owner_value> {
  static void apply0(ParseState& state) { state.territory_set.owner = state.pop_expression(); }
};
template <>
struct action<rules::territories_priority_value> {
  static void apply0(ParseState& state) { state.territory_set.priority = state.pop_expression(); }
};
template <>
struct action<rules::territories_label_value> {
  static void apply0(ParseState& state) { state.territory_set.label = state.pop_expression(); }
};
template <>
struct action<rules::territories_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.territory_set.span = state.span(in.begin());
    add_declaration(state, state.plan->territory_sets, ast::DeclKind::territories,
                    state.territory_set);
  }
};

// Rates.
template <>
struct action<rules::rates_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.rates.name = in.string();
    state.rates.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::rates_on_value> {
  static void apply0(ParseState& state) { state.rates.on = state.pop_expression(); }
};
template <>
struct action<rules::rates_mode_word> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.rates.mode =
        in.string_view() == "retroactive" ? ast::RatesMode::retroactive : ast::RatesMode::marginal;
  }
};
template <>
struct action<rules::rates_by_value> {
  static void apply0(ParseState& state) {
    state.rates.mode = ast::RatesMode::lookup;
    state.rates.on = state.pop_expression();
  }
};
template <>
struct action<rules::tier_bounds> {
  static void apply0(ParseState& state) {
    ast::ExprPtr bounds = state.pop_expression();
    if (bounds->kind != ast::ExprKind::range) {
      state.fail_at(bounds->span,
                    "a tier is written LOW .. HIGH : RATE, or LOW .. : RATE for the last one");
    }
    state.rate_row = ast::RateRow{};
    state.rate_row.lower = std::move(bounds->args[0]);
    if (bounds->args.size() > 1) state.rate_row.upper = std::move(bounds->args[1]);
  }
};
template <>
struct action<rules::lookup_else> {
  static void apply0(ParseState& state) { state.rate_row = ast::RateRow{}; }
};
template <>
struct action<rules::lookup_key> {
  static void apply0(ParseState& state) {
    state.rate_row = ast::RateRow{};
    state.rate_row.key = state.pop_expression();
  }
};
struct rate_value_action {
  static void apply0(ParseState& state) { state.rate_row.value = state.pop_expression(); }
};
template <>
struct action<rules::tier_value> : rate_value_action {};
template <>
struct action<rules::lookup_value> : rate_value_action {};
struct rate_row_action {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.rate_row.span = state.span(in.begin());
    state.rates.rows.push_back(std::move(state.rate_row));
    state.rate_row = ast::RateRow{};
  }
};
template <>
struct action<rules::tier_row> : rate_row_action {};
template <>
struct action<rules::lookup_row> : rate_row_action {};
template <>
struct action<rules::rates_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.rates.span = state.span(in.begin());
    add_declaration(state, state.plan->rates, ast::DeclKind::rates, state.rates);
  }
};

// Draws.
template <>
struct action<rules::draw_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.draw.name = in.string();
    state.draw.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::draw_role> {
  static void apply0(ParseState& state) { state.draw.for_role = role_condition(state); }
};
template <>
struct action<rules::draw_condition> {
  static void apply0(ParseState& state) { state.draw.when = state.pop_expression(); }
};
template <>
struct action<rules::draw_amount> {
  static void apply0(ParseState& state) { state.draw.amount = state.pop_expression(); }
};
template <>
struct action<rules::draw_grain> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.draw.per = in.string();
  }
};
template <>
struct action<rules::draw_recoverable> {
  static void apply0(ParseState& state) { state.draw.recoverable = true; }
};
template <>
struct action<rules::draw_limit_value> {
  static void apply0(ParseState& state) { state.draw.limit = state.pop_expression(); }
};
template <>
struct action<rules::limit_grain_word> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.draw.limit_per = in.string();
  }
};
template <>
struct action<rules::draw_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.draw.span = state.span(in.begin());
    add_declaration(state, state.plan->draws, ast::DeclKind::draw, state.draw);
  }
};

// Clawbacks.
template <>
struct action<rules::clawback_payout> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.clawback.payout = in.string();
    state.clawback.payout_span = token_span(in, state);
  }
};
template <>
struct action<rules::clawback_condition> {
  static void apply0(ParseState& state) { state.clawback.when = state.pop_expression(); }
};
template <>
struct action<rules::clawback_share_value> {
  static void apply0(ParseState& state) { state.clawback.share = state.pop_expression(); }
};
template <>
struct action<rules::clawback_and_credit> {
  static void apply0(ParseState& state) { state.clawback.and_credit = true; }
};
template <>
struct action<rules::clawback_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.clawback.span = state.span(in.begin());
    add_declaration(state, state.plan->clawbacks, ast::DeclKind::clawback, state.clawback);
  }
};

// Functions.
template <>
struct action<rules::fn_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.function.name = in.string();
    state.function.name_span = token_span(in, state);
  }
};
template <>
struct action<rules::fn_param_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.function.params.emplace_back(in.string(), ast::TypeRef{});
    state.function.param_spans.push_back(token_span(in, state));
  }
};
template <>
struct action<rules::fn_param_type> {
  template <class Input>
  static void apply(const Input&, ParseState& state) {
    state.function.params.back().second = pop_type(state);
    state.function.param_spans.back().end = state.last_token_end;
  }
};
template <>
struct action<rules::fn_result_type> {
  template <class Input>
  static void apply(const Input&, ParseState& state) {
    state.function.result = pop_type(state);
  }
};
template <>
struct action<rules::fn_body> {
  static void apply0(ParseState& state) { state.function.body = state.pop_expression(); }
};
template <>
struct action<rules::fn_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.function.span = state.span(in.begin());
    add_declaration(state, state.plan->functions, ast::DeclKind::fn, state.function);
  }
};

// Tests.
template <>
struct action<rules::test_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.test.name = quoted_value(in, state);
  }
};
/// A statement's first word: starts a new statement.
struct statement_head_action {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.statement = ast::TestStatement{};
    state.statement.head = in.string();
  }
};
template <>
struct action<rules::test_payee_word> : statement_head_action {};
template <>
struct action<rules::test_row_head> : statement_head_action {};
template <>
struct action<rules::expect_word> : statement_head_action {};
template <>
struct action<rules::test_payee_id> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.statement.id = in.string();
  }
};
template <>
struct action<rules::test_field_name> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.statement.fields.emplace_back(in.string(), nullptr);
  }
};
template <>
struct action<rules::test_field_value> {
  static void apply0(ParseState& state) {
    state.statement.fields.back().second = state.pop_expression();
  }
};
template <>
struct action<rules::expect_value> {
  static void apply0(ParseState& state) { state.statement.expect = state.pop_expression(); }
};
template <>
struct action<rules::test_statement> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.statement.span = state.span(in.begin());
    state.test.statements.push_back(std::move(state.statement));
    state.statement = ast::TestStatement{};
  }
};
template <>
struct action<rules::test_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.test.span = state.span(in.begin());
    add_declaration(state, state.plan->tests, ast::DeclKind::test, state.test);
  }
};

// Imports.
template <>
struct action<rules::import_path> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.import.path = quoted_value(in, state);
  }
};
template <>
struct action<rules::import_decl> {
  template <class Input>
  static void apply(const Input& in, ParseState& state) {
    state.import.span = state.span(in.begin());
    add_declaration(state, state.plan->imports, ast::DeclKind::import, state.import);
  }
};

// ---------------------------------------------------------------- the top level

using Input = pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf>;

/// A file of garbage stops at this many errors rather than printing one per line.
constexpr std::size_t kMaxErrors = 100;

/// Offset of the first byte that is not well-formed UTF-8 (overlong forms,
/// surrogates and code points past U+10FFFF included), if any.
std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    std::uint32_t minimum = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2, code = lead & 0x1Fu, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, code = lead & 0x0Fu, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, code = lead & 0x07u, minimum = 0x10000;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      code = (code << 6) | (next & 0x3Fu);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += length;
  }
  return std::nullopt;
}

Error to_error(const SyntaxError& error, const SourceFile& file) {
  Location where = file.locate(error.offset);
  where.length = error.length;
  return Error{std::move(where), error.message, error.hint};
}

/// The checks that come before the grammar: the file must be UTF-8 and at
/// most kMaxPlanBytes long (which also keeps offsets within 32 bits).
std::optional<Error> check_encoding(const SourceFile& file) {
  const std::string& text = file.text();
  static_assert(kMaxPlanBytes < std::numeric_limits<std::uint32_t>::max());
  if (text.size() > kMaxPlanBytes) {
    constexpr std::size_t kMiB = 1024 * 1024;
    return Error{
        Location{file.name(), 1, 1, 0},
        concat({"the plan file is too large (", std::to_string(text.size() / kMiB),
                " MB); a plan file may be at most ", std::to_string(kMaxPlanBytes / kMiB), " MB"}),
        "split the plan into files joined with import"};
  }
  if (auto bad = first_invalid_utf8(text)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X",
                  static_cast<unsigned>(static_cast<unsigned char>(text[*bad])));
    return Error{
        file.locate(static_cast<std::uint32_t>(*bad)),
        std::string("expected UTF-8 text, found the byte ") + byte + " that is not valid UTF-8",
        "save the plan file as UTF-8"};
  }
  return std::nullopt;
}

/// Whether a line whose first word is `line.substr(0, word_length)` starts a
/// declaration: a declaration keyword not followed by ":" (`measure: money` is
/// a field), "(" or "." (`territory(deal) gets 50%` is a credit line, and
/// `credit.amount` the rest of an expression), or a misspelt one followed by a
/// name (`payot x`), so that the misspelling is reported too.
bool starts_declaration(std::string_view line, std::size_t word_length) {
  const std::string word(line.substr(0, word_length));
  std::size_t after = word_length;
  while (after < line.size() && (line[after] == ' ' || line[after] == '\t')) ++after;
  const char next = after < line.size() ? line[after] : '\0';
  if (is_declaration_keyword(word)) return next != ':' && next != '(' && next != '.';
  const bool name_follows = after > word_length && ((next >= 'a' && next <= 'z') ||
                                                    (next >= 'A' && next <= 'Z') || next == '_');
  if (word.empty() || !name_follows) return false;
  static const std::vector<std::string> keywords(kDeclarationKeywords.begin(),
                                                 kDeclarationKeywords.end());
  return closest_match(word, keywords).has_value();
}

/// Where to go on after an error in the declaration that starts at `begin`:
/// the next line that starts with a declaration keyword.
const char* recovery_point(const char* begin, const char* end) {
  const char* p = begin;
  for (;;) {
    while (p < end && *p != '\n') ++p;
    if (p == end) return end;
    ++p;
    const char* word = p;
    while (word < end && (*word == ' ' || *word == '\t')) ++word;
    const char* word_end = word;
    while (word_end < end &&
           ((*word_end >= 'a' && *word_end <= 'z') || *word_end == '_' ||
            (*word_end >= 'A' && *word_end <= 'Z') || (*word_end >= '0' && *word_end <= '9'))) {
      ++word_end;
    }
    if (starts_declaration(std::string_view(word, static_cast<std::size_t>(end - word)),
                           static_cast<std::size_t>(word_end - word))) {
      return word;
    }
  }
}

/// "plan, source, ... or import": the declaration keywords, for messages.
std::string declaration_keyword_list() {
  std::string out;
  for (std::size_t i = 0; i < kDeclarationKeywords.size(); ++i) {
    if (i > 0) out += i + 1 == kDeclarationKeywords.size() ? " or " : ", ";
    out += kDeclarationKeywords[i];
  }
  return out;
}

SyntaxError unknown_declaration(const ParseState& state, const char* at) {
  const FoundToken found = describe_token(at, state.end);
  const char c = *at;
  const bool is_word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  // A reserved word here is most likely the rest of a broken expression, not
  // a misspelt declaration.
  if (!is_word || is_reserved_word(std::string_view(at, found.bytes))) {
    return SyntaxError{state.offset(at), found.characters,
                       concat({"expected a declaration (such as plan, source, credit, measure, "
                               "let or payout), found ",
                               found.description}),
                       ""};
  }
  const std::string word(at, found.bytes);
  const std::vector<std::string> keywords(kDeclarationKeywords.begin(), kDeclarationKeywords.end());
  std::string message = "unknown declaration \"" + word + "\"";
  if (auto suggestion = closest_match(word, keywords)) {
    message += "; did you mean \"" + *suggestion + "\"?";
  } else {
    message += "; a declaration starts with " + declaration_keyword_list();
  }
  return SyntaxError{state.offset(at), found.characters, std::move(message), ""};
}

/// Starts a declaration from clean builders, so a half-built declaration
/// left by an error never leaks into the next one.
void reset_builders(ParseState& state) {
  state.expression_depth = 0;
  state.type_depth = 0;
  state.expressions.clear();
  state.header = {};
  state.source = {};
  state.field = {};
  state.option_values.clear();
  state.types.clear();
  state.credit = {};
  state.line = {};
  state.value = {};
  state.payout = {};
  state.table = {};
  state.territory = {};
  state.territory_set = {};
  state.rates = {};
  state.rate_row = {};
  state.draw = {};
  state.clawback = {};
  state.function = {};
  state.test = {};
  state.statement = {};
  state.import = {};
  state.record_field_names.clear();
}

}  // namespace

std::string string_value(const ParseState& state, const char* begin, const char* end) {
  std::string out;
  out.reserve(static_cast<std::size_t>(end - begin));
  for (const char* p = begin; p < end; ++p) {
    if (*p != '\\') {
      out += *p;
      continue;
    }
    const char code = *++p;
    if (code == 'n') {
      out += '\n';
    } else if (code == 't') {
      out += '\t';
    } else if (code != 'u') {
      out += code;  // the quote or the backslash
    } else {
      const char* digits = p + 2;  // past "u{"
      const char* close = digits;
      std::uint32_t value = 0;
      for (; *close != '}'; ++close) {
        const char h = *close;
        value = value * 16 + static_cast<std::uint32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
      }
      if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        state.fail_at(
            p - 1, static_cast<int>(close - p + 2),
            concat({"\\u{", std::string_view(digits, static_cast<std::size_t>(close - digits)),
                    "} is not a Unicode code point"}));
      }
      if (value < 0x80) {
        out += static_cast<char>(value);
      } else if (value < 0x800) {
        out += static_cast<char>(0xC0 | (value >> 6));
        out += static_cast<char>(0x80 | (value & 0x3F));
      } else if (value < 0x10000) {
        out += static_cast<char>(0xE0 | (value >> 12));
        out += static_cast<char>(0x80 | ((value >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (value & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (value >> 18));
        out += static_cast<char>(0x80 | ((value >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((value >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (value & 0x3F));
      }
      p = close;
    }
  }
  return out;
}

}  // namespace grammar

Result<ast::Plan> parse_plan(std::shared_ptr<const SourceFile> file) {
  using namespace grammar;
  if (auto error = check_encoding(*file)) return *error;

  ast::Plan plan;
  plan.file = file;
  ParseState state;
  state.base = file->text().data();
  state.end = state.base + file->text().size();
  state.plan = &plan;

  Errors errors;
  const char* current = state.base;
  try {
    Input in(current, state.end, file->name());
    (void)pegtl::parse<rules::file_start, action, rules::control>(in, state);
    current = in.current();
  } catch (const SyntaxError& error) {
    errors.push_back(to_error(error, *file));
    current = state.end;
  }
  while (current < state.end) {
    if (errors.size() >= kMaxErrors) {
      errors.push_back(Error{
          file->locate(state.offset(current)),
          concat({"too many syntax errors; stopped after ", std::to_string(kMaxErrors)}), ""});
      break;
    }
    reset_builders(state);
    Input in(current, state.end, file->name());
    try {
      if (pegtl::parse<rules::next_declaration, action, rules::control>(in, state)) {
        current = in.current();
        continue;
      }
      errors.push_back(to_error(unknown_declaration(state, current), *file));
    } catch (const SyntaxError& error) {
      errors.push_back(to_error(error, *file));
    }
    current = recovery_point(current, state.end);
  }
  if (!errors.empty()) return errors;
  plan.comments = scan_comments(file->text());
  return plan;
}

Result<ast::ExprPtr> parse_expression(const SourceFile& file) {
  using namespace grammar;
  if (auto error = check_encoding(file)) return *error;
  ParseState state;
  state.base = file.text().data();
  state.end = state.base + file.text().size();
  try {
    Input in(state.base, state.end, file.name());
    (void)pegtl::parse<rules::file_start, nothing, rules::control>(in, state);
    ExpressionParser<Input> parser(in, state);
    ast::ExprPtr e = parser.parse_if_present();
    if (!e) state.fail_expected(in.current(), "expected an expression");
    if (!in.empty())
      state.fail_expected(in.current(), "expected an operator or the end of the expression");
    return e;
  } catch (const SyntaxError& error) {
    return to_error(error, file);
  }
}

}  // namespace tally
