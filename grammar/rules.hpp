// The PEGTL grammar of a plan file: one small rule per line, from the
// characters up to the declarations. Every point where the parser commits is
// a named rule with a human message (`error_text`, next to the rule). The
// expression grammar is not a rule per precedence level but one rule,
// `expression`, matched by precedence climbing over the token rules here
// (expression_parser.hpp). Actions that build the AST live in parser.cpp.
// Internal to grammar/: only parser.cpp includes this header.
#pragma once

#include <string_view>
#include <type_traits>

#include <tao/pegtl.hpp>

#include "grammar/keywords.hpp"
#include "grammar/parse_state.hpp"

namespace tally::grammar::rules {

using namespace tao::pegtl;  // NOLINT: the grammar reads as PEGTL's combinators

/// The message of a commit point. `backup` moves the caret back to where the
/// construct began (the opening quote of an unterminated string); a message
/// that starts with "expected" gets ", found ..." appended.
struct ErrorText {
  const char* message = nullptr;
  int backup = 0;
  bool to_end_of_line = false;
};
template <class Rule>
inline constexpr ErrorText error_text{};

/// R, or the error of R at this point (unlike PEGTL's must<R>, the caret is
/// at the start of R, not wherever R stopped matching).
template <class R>
struct commit : sor<R, raise<R>> {};

// ---------------------------------------------------------------- whitespace and comments

struct line_comment : seq<two<'/'>, until<eolf>> {};
struct block_comment_rest : until<string<'*', '/'>> {};
struct block_comment : seq<string<'/', '*'>, commit<block_comment_rest>> {};
struct skip : star<sor<plus<space>, line_comment, block_comment>> {};
struct byte_order_mark : string<'\xEF', '\xBB', '\xBF'> {};

template <>
inline constexpr ErrorText error_text<block_comment_rest>{
    "unterminated comment: \"/*\" has no \"*/\"", 2};

/// A token and the whitespace after it.
template <class R>
struct tok : seq<R, skip> {};
/// A token the parser has committed to: R or its error, then whitespace.
template <class R>
struct need : seq<commit<R>, skip> {};

// ---------------------------------------------------------------- words

struct word_char : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct word : seq<ranges<'a', 'z', 'A', 'Z', '_'>, star<word_char>> {};

/// An identifier: a word that is not reserved (one list, keywords.hpp).
struct name {
  using rule_t = name;
  using subs_t = empty_list;
  template <apply_mode, rewind_mode, template <class...> class, template <class...> class,
            class ParseInput, class... States>
  static bool match(ParseInput& in, States&&...) {
    const char* begin = in.current();
    const std::size_t available = in.size();
    auto is_start = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    auto is_char = [&](char c) { return is_start(c) || (c >= '0' && c <= '9'); };
    if (available == 0 || !is_start(begin[0])) return false;
    std::size_t length = 1;
    while (length < available && is_char(begin[length])) ++length;
    if (is_reserved_word(std::string_view(begin, length))) return false;
    in.bump(length);
    return true;
  }
};

struct kw_plan : TAO_PEGTL_KEYWORD("plan") {};
struct kw_version : TAO_PEGTL_KEYWORD("version") {};
struct kw_currency : TAO_PEGTL_KEYWORD("currency") {};
struct kw_fiscal : TAO_PEGTL_KEYWORD("fiscal") {};
struct kw_year : TAO_PEGTL_KEYWORD("year") {};
struct kw_starts : TAO_PEGTL_KEYWORD("starts") {};
struct kw_periods : TAO_PEGTL_KEYWORD("periods") {};
struct kw_rounding : TAO_PEGTL_KEYWORD("rounding") {};
struct kw_to : TAO_PEGTL_KEYWORD("to") {};
struct kw_source : TAO_PEGTL_KEYWORD("source") {};
struct kw_roster : TAO_PEGTL_KEYWORD("roster") {};
struct kw_credit : TAO_PEGTL_KEYWORD("credit") {};
struct kw_from : TAO_PEGTL_KEYWORD("from") {};
struct kw_as : TAO_PEGTL_KEYWORD("as") {};
struct kw_amount : TAO_PEGTL_KEYWORD("amount") {};  // contextual
struct kw_where : TAO_PEGTL_KEYWORD("where") {};
struct kw_on : TAO_PEGTL_KEYWORD("on") {};
struct kw_gets : TAO_PEGTL_KEYWORD("gets") {};
struct kw_direct : TAO_PEGTL_KEYWORD("direct") {};
struct kw_split : TAO_PEGTL_KEYWORD("split") {};
struct kw_overlay : TAO_PEGTL_KEYWORD("overlay") {};
struct kw_rollup : TAO_PEGTL_KEYWORD("rollup") {};
struct kw_measure : TAO_PEGTL_KEYWORD("measure") {};
struct kw_let : TAO_PEGTL_KEYWORD("let") {};
struct kw_payout : TAO_PEGTL_KEYWORD("payout") {};
struct kw_for : TAO_PEGTL_KEYWORD("for") {};
struct kw_when : TAO_PEGTL_KEYWORD("when") {};
struct kw_cap : TAO_PEGTL_KEYWORD("cap") {};
struct kw_floor : TAO_PEGTL_KEYWORD("floor") {};
struct kw_and : TAO_PEGTL_KEYWORD("and") {};
struct kw_or : TAO_PEGTL_KEYWORD("or") {};
struct kw_not : TAO_PEGTL_KEYWORD("not") {};
struct kw_in : TAO_PEGTL_KEYWORD("in") {};
struct kw_true : TAO_PEGTL_KEYWORD("true") {};
struct kw_false : TAO_PEGTL_KEYWORD("false") {};
struct kw_null : TAO_PEGTL_KEYWORD("null") {};
struct kw_key : TAO_PEGTL_KEYWORD("key") {};
struct kw_no : TAO_PEGTL_KEYWORD("no") {};
struct kw_header : TAO_PEGTL_KEYWORD("header") {};
struct kw_encoding : TAO_PEGTL_KEYWORD("encoding") {};
struct kw_delimiter : TAO_PEGTL_KEYWORD("delimiter") {};
struct kw_at : TAO_PEGTL_KEYWORD("at") {};
struct kw_sep : TAO_PEGTL_KEYWORD("sep") {};
struct kw_format : TAO_PEGTL_KEYWORD("format") {};
struct kw_trim : TAO_PEGTL_KEYWORD("trim") {};
struct kw_unless : TAO_PEGTL_KEYWORD("unless") {};
struct kw_then : TAO_PEGTL_KEYWORD("then") {};
struct kw_within : TAO_PEGTL_KEYWORD("within") {};
struct kw_distinct : TAO_PEGTL_KEYWORD("distinct") {};
// Contextual keywords: recognised only where a clause can start; elsewhere
// they are names (keywords.hpp says why that is unambiguous).
struct kw_table : TAO_PEGTL_KEYWORD("table") {};
struct kw_goal : TAO_PEGTL_KEYWORD("goal") {};
struct kw_territory : TAO_PEGTL_KEYWORD("territory") {};
struct kw_territories : TAO_PEGTL_KEYWORD("territories") {};
struct kw_match : TAO_PEGTL_KEYWORD("match") {};
struct kw_owner : TAO_PEGTL_KEYWORD("owner") {};
struct kw_priority : TAO_PEGTL_KEYWORD("priority") {};
struct kw_name : TAO_PEGTL_KEYWORD("name") {};
struct kw_rates : TAO_PEGTL_KEYWORD("rates") {};
struct kw_marginal : TAO_PEGTL_KEYWORD("marginal") {};
struct kw_retroactive : TAO_PEGTL_KEYWORD("retroactive") {};
struct kw_by : TAO_PEGTL_KEYWORD("by") {};
struct kw_else : TAO_PEGTL_KEYWORD("else") {};
struct kw_draw : TAO_PEGTL_KEYWORD("draw") {};
struct kw_per : TAO_PEGTL_KEYWORD("per") {};
struct kw_recoverable : TAO_PEGTL_KEYWORD("recoverable") {};
struct kw_limit : TAO_PEGTL_KEYWORD("limit") {};
struct kw_clawback : TAO_PEGTL_KEYWORD("clawback") {};
struct kw_share : TAO_PEGTL_KEYWORD("share") {};
struct kw_days : TAO_PEGTL_KEYWORD("days") {};
struct kw_months : TAO_PEGTL_KEYWORD("months") {};
struct kw_of : TAO_PEGTL_KEYWORD("of") {};
struct kw_fn : TAO_PEGTL_KEYWORD("fn") {};
struct kw_test : TAO_PEGTL_KEYWORD("test") {};
struct kw_expect : TAO_PEGTL_KEYWORD("expect") {};
struct kw_payee : TAO_PEGTL_KEYWORD("payee") {};
struct kw_import : TAO_PEGTL_KEYWORD("import") {};
struct kw_defer : TAO_PEGTL_KEYWORD("defer") {};
struct kw_pay : TAO_PEGTL_KEYWORD("pay") {};
struct kw_min : TAO_PEGTL_KEYWORD("min") {};
struct kw_max : TAO_PEGTL_KEYWORD("max") {};
struct kw_prorated : TAO_PEGTL_KEYWORD("prorated") {};
struct kw_record : TAO_PEGTL_KEYWORD("record") {};
struct kw_period : TAO_PEGTL_KEYWORD("period") {};

// ---------------------------------------------------------------- literals

struct digits : seq<digit, star<sor<digit, seq<one<'_'>, digit>>>> {};
struct fraction : seq<one<'.'>, digits> {};
struct exponent : seq<one<'e', 'E'>, opt<one<'+', '-'>>, plus<digit>> {};
struct number : seq<digits, opt<fraction>, opt<exponent>> {};
struct percent : seq<number, one<'%'>> {};
struct currency_code : seq<rep<3, upper>, not_at<word_char>> {};
struct money : seq<number, plus<blank>, currency_code> {};

struct year_digits : rep<4, digit> {};
struct two_digits : rep<2, digit> {};
struct quarter_label : seq<one<'Q'>, range<'1', '4'>> {};
struct half_label : seq<one<'H'>, range<'1', '2'>> {};
struct fiscal_month_label : seq<one<'M'>, two_digits> {};
struct date : seq<year_digits, one<'-'>, two_digits, one<'-'>, two_digits, not_at<word_char>> {};
struct calendar_period
    : seq<year_digits, one<'-'>, sor<quarter_label, half_label, two_digits>, not_at<word_char>> {};
struct fiscal_year_label : seq<string<'F', 'Y'>, year_digits, not_at<word_char>> {};
struct fiscal_period
    : seq<string<'F', 'Y'>, year_digits,
          opt<one<'-'>, sor<quarter_label, half_label, fiscal_month_label>>, not_at<word_char>> {};
struct bare_period : seq<sor<quarter_label, half_label>, not_at<word_char>> {};
struct period : sor<fiscal_period, calendar_period, bare_period> {};

// The file is checked to be UTF-8 before parsing, so a string character is
// any byte but the quote, the backslash and a line break.
struct unicode_escape : seq<one<'u'>, one<'{'>, rep_min_max<1, 6, xdigit>, one<'}'>> {};
struct escape_code : sor<one<'"', '\\', 'n', 't'>, unicode_escape> {};
struct escape : seq<one<'\\'>, commit<escape_code>> {};
struct string_char : sor<escape, not_one<'"', '\\', '\n', '\r'>> {};
struct string_rest : until<one<'"'>, string_char> {};
struct string_literal : seq<one<'"'>, commit<string_rest>> {};

template <>
inline constexpr ErrorText error_text<escape_code>{
    "unknown escape in string; write \\\" \\\\ \\n \\t or \\u{hex}", 1};
template <>
inline constexpr ErrorText error_text<string_rest>{"unterminated string", 1, true};

struct boolean : sor<kw_true, kw_false> {};
struct comma : one<','> {};
struct equals : seq<one<'='>, not_at<one<'='>>> {};

// ---------------------------------------------------------------- expressions

/// Precedence levels, loosest first. `unless` is a whole-expression form,
/// looser than every operator; binary operators are left-associative.
enum Precedence : int {
  kUnless = 0,
  kOr,
  kAnd,
  kNot,
  kComparison,  ///< also `within`
  kCoalesce,
  kRange,
  kAdditive,
  kMultiplicative,
  kNegation,
};

/// One expression of at least the given precedence; matched by precedence
/// climbing (expression_parser.hpp), which pushes the finished tree on
/// ParseState::expressions.
template <int MinLevel>
struct expression_at {
  using rule_t = expression_at;
  using subs_t = empty_list;
  template <apply_mode A, rewind_mode M, template <class...> class Action,
            template <class...> class Control, class ParseInput>
  static bool match(ParseInput& in, ParseState& state);
};
/// A condition or a clause's value: any operator, but no `unless`.
struct expression : expression_at<kOr> {};
/// A value slot (`= EXPR` of a value, payout, function or table; a rate; a
/// credit share): `unless ... then` exceptions allowed.
struct whole_expression : expression_at<kUnless> {};
/// An operand above the comparisons (the values of a test statement).
struct operand_expression : expression_at<kCoalesce> {};

// The operators, each a token of its own so the precedence table can name it.
struct op_or : kw_or {};
/// `and credit` (not followed by `.` or `(`) ends a clawback's condition: the
/// credit row is never a truth value, so it is not an operand of `and`.
struct op_and : seq<kw_and, not_at<skip, kw_credit, skip, not_at<one<'.', '('>>>> {};
struct op_not : kw_not {};
struct op_not_in : seq<kw_not, skip, kw_in> {};
struct op_in : kw_in {};
struct op_eq : two<'='> {};
struct op_ne : string<'!', '='> {};
struct op_le : string<'<', '='> {};
struct op_ge : string<'>', '='> {};
struct op_lt : one<'<'> {};
struct op_gt : one<'>'> {};
struct op_range : two<'.'> {};
struct op_coalesce : two<'?'> {};
struct op_within : kw_within {};
struct op_add : one<'+'> {};
struct op_sub : one<'-'> {};
struct op_mul : one<'*'> {};
struct op_div : one<'/'> {};
struct op_member : seq<one<'.'>, not_at<one<'.'>>> {};
struct open_paren : one<'('> {};
struct close_paren : one<')'> {};
struct open_brace : one<'{'> {};
struct close_brace : one<'}'> {};
struct colon : one<':'> {};
/// Any word names an argument, reserved or not: `convert(x, to: EUR, on: d)`.
struct argument_name : seq<word, skip, colon> {};
/// A brace whose first item is `WORD :` is a record (`{Q1: 20%}`), else a set.
struct record_start : seq<word, skip, colon> {};
struct window_unit : sor<kw_days, kw_months> {};
/// Reserved words that are also names inside expressions: the credit row of
/// an aggregate (`sum(credit.amount)`), the credit kinds (`credit.kind ==
/// direct`), the rounding mode `floor` (`round(x, 1, floor)`) and the library
/// function `year` (`year(deal.close_date)`). None of them can follow a
/// complete expression, so `... cap 9 USD floor 0 USD` still ends the payout's
/// value before `floor`, and `per year` stays a clause.
struct contextual_name
    : sor<kw_credit, kw_direct, kw_split, kw_overlay, kw_rollup, kw_floor, kw_year> {};
/// What can start an expression: decides whether an optional expression is there.
struct expression_start
    : sor<one<'(', '{', '-', '"'>, digit, kw_not, boolean, kw_null, contextual_name, name> {};

// ---------------------------------------------------------------- types

struct type_name : name {};
struct type_element;
struct type_currency : currency_code {};
struct type_argument : sor<type_currency, type_element> {};
struct type_close : one<'>'> {};
struct type_arguments : seq<tok<one<'<'>>, need<type_argument>, need<type_close>> {};
struct type_optional : one<'?'> {};
struct record_word : kw_record {};
struct record_open : open_brace {};
struct record_field_name : word {};
struct record_field_colon : colon {};
struct record_field_type;
struct record_field
    : seq<record_field_name, skip, need<record_field_colon>, need<record_field_type>> {};
struct record_close : close_brace {};
struct record_type : seq<record_word, skip, need<record_open>, star<record_field, opt<tok<comma>>>,
                         need<record_close>> {};
struct plain_type : seq<type_name, skip, opt<type_arguments>> {};
struct type_ref : seq<sor<record_type, plain_type>, opt<tok<type_optional>>> {};
struct type_element : type_ref {};
struct record_field_type : type_ref {};

/// One message for every type position (a function, not an array, so that
/// the `message != nullptr` check of the control stays a constant expression).
constexpr const char* expected_type() {
  return "expected a type (text, int, decimal, money, percent, date, period, bool, payee, "
         "territory, list<...> or record {...}) after \":\"";
}

template <>
inline constexpr ErrorText error_text<record_field_type>{expected_type()};
template <>
inline constexpr ErrorText error_text<record_open>{
    "expected \"{\" and the fields after \"record\""};
template <>
inline constexpr ErrorText error_text<record_field_colon>{
    "expected \":\" and a type after the field name"};
template <>
inline constexpr ErrorText error_text<record_close>{"expected a field (name: type) or \"}\""};
template <>
inline constexpr ErrorText error_text<type_argument>{
    "expected a currency code or an element type after \"<\""};
template <>
inline constexpr ErrorText error_text<type_close>{"expected \">\" to close the type argument"};

// ---------------------------------------------------------------- plan header

struct plan_name : string_literal {};
struct plan_version_value : sor<number, string_literal> {};
// `effective DATE` after the version: the first day this version of the plan
// pays (docs/adjustments.md). A contextual word, so `effective` stays a name.
struct plan_effective_word : seq<TAO_PEGTL_KEYWORD("effective"), skip> {};
struct plan_effective_date : date {};
struct plan_effective : seq<plan_effective_word, need<plan_effective_date>> {};
struct plan_version : seq<kw_version, skip, need<plan_version_value>, opt<plan_effective>> {};
struct plan_currency_code : currency_code {};
struct plan_currency : seq<kw_currency, skip, need<plan_currency_code>> {};
struct fiscal_year_word : kw_year {};
struct fiscal_starts_word : kw_starts {};
struct fiscal_year_start : date {};
struct fiscal_periods_word : kw_periods {};
struct period_grain : sor<TAO_PEGTL_KEYWORD("month"), TAO_PEGTL_KEYWORD("quarter"),
                          TAO_PEGTL_KEYWORD("half"), kw_year> {};
struct fiscal_calendar : seq<kw_fiscal, skip, need<fiscal_year_word>, opt<tok<fiscal_year_label>>,
                             need<fiscal_starts_word>, need<fiscal_year_start>,
                             opt<tok<comma>, need<fiscal_periods_word>, need<period_grain>>> {};
struct calendar_periods : seq<kw_periods, skip, need<period_grain>> {};
struct calendar_clause : sor<fiscal_calendar, calendar_periods> {};
struct rounding_mode_name : name {};
struct rounding_to_word : kw_to {};
struct rounding_quantum : number {};
struct rounding_clause : seq<kw_rounding, skip, need<rounding_mode_name>, need<rounding_to_word>,
                             need<rounding_quantum>> {};
struct plan_decl : seq<kw_plan, skip, need<plan_name>, opt<plan_version>, opt<plan_currency>,
                       opt<calendar_clause>, opt<rounding_clause>> {};

template <>
inline constexpr ErrorText error_text<plan_name>{
    "expected the plan name as a string after \"plan\""};
template <>
inline constexpr ErrorText error_text<plan_version_value>{
    "expected a version number or string after \"version\""};
template <>
inline constexpr ErrorText error_text<plan_effective_date>{
    "expected a date (YYYY-MM-DD) after \"effective\""};
template <>
inline constexpr ErrorText error_text<plan_currency_code>{
    "expected a three-letter currency code after \"currency\""};
template <>
inline constexpr ErrorText error_text<fiscal_year_word>{"expected \"year\" after \"fiscal\""};
template <>
inline constexpr ErrorText error_text<fiscal_starts_word>{
    "expected \"starts\" and the first day of the fiscal year"};
template <>
inline constexpr ErrorText error_text<fiscal_year_start>{
    "expected the first day of the fiscal year (YYYY-MM-DD) after \"starts\""};
template <>
inline constexpr ErrorText error_text<fiscal_periods_word>{"expected \"periods\" after \",\""};
template <>
inline constexpr ErrorText error_text<period_grain>{
    "expected the period length (month, quarter, half or year) after \"periods\""};
template <>
inline constexpr ErrorText error_text<rounding_mode_name>{
    "expected a rounding mode (such as half_even) after \"rounding\""};
template <>
inline constexpr ErrorText error_text<rounding_to_word>{
    "expected \"to\" and the rounding step after the rounding mode"};
template <>
inline constexpr ErrorText error_text<rounding_quantum>{
    "expected the rounding step (such as 0.01) after \"to\""};

// ---------------------------------------------------------------- sources and rosters

/// Any word followed by ":" starts a field, reserved or not (`amount: money`),
/// so a field option never swallows the next field's name.
struct field_start : seq<word, skip, colon> {};
struct field_name : seq<word, at<skip, colon>> {};
struct field_type : type_ref {};
struct from_value : string_literal {};
struct at_value : number {};
struct null_value : string_literal {};
struct sep_value : string_literal {};
struct format_value : string_literal {};
struct option_key : kw_key {};
struct option_from : seq<kw_from, skip, commit<from_value>> {};
struct option_at : seq<kw_at, skip, commit<at_value>> {};
struct option_null : seq<kw_null, skip, commit<null_value>, star<skip, null_value>> {};
struct option_sep : seq<kw_sep, skip, commit<sep_value>> {};
struct option_format : seq<kw_format, skip, commit<format_value>> {};
struct option_trim : kw_trim {};
struct field_option
    : sor<option_key, option_from, option_at, option_null, option_sep, option_format, option_trim> {
};
struct field : seq<field_name, skip, tok<colon>, need<field_type>,
                   star<not_at<field_start>, tok<field_option>>> {};

struct header_word : kw_header {};
struct encoding_value : string_literal {};
struct delimiter_value : string_literal {};
struct option_no_header : seq<kw_no, skip, commit<header_word>> {};
struct option_encoding : seq<kw_encoding, skip, commit<encoding_value>> {};
struct option_delimiter : seq<kw_delimiter, skip, commit<delimiter_value>> {};
struct source_option : sor<option_no_header, option_encoding, option_delimiter> {};

/// A word that is neither a source option nor followed by ":" is most likely
/// a field whose colon is missing.
struct field_colon : colon {};
struct field_without_colon : seq<word, skip, raise<field_colon>> {};
struct source_item : sor<tok<source_option>, field, field_without_colon> {};
struct source_items : star<source_item, opt<tok<comma>>> {};
struct source_name : name {};
struct source_open : open_brace {};
struct source_close : close_brace {};
struct source_decl
    : seq<kw_source, skip, need<source_name>, need<source_open>, source_items, need<source_close>> {
};
struct roster_name : name {};
struct roster_open : open_brace {};
struct roster_close : close_brace {};
struct roster_decl
    : seq<kw_roster, skip, need<roster_name>, need<roster_open>, source_items, need<roster_close>> {
};

template <>
inline constexpr ErrorText error_text<field_colon>{
    "expected \":\" and a type after the field name"};
template <>
inline constexpr ErrorText error_text<field_type>{expected_type()};
template <>
inline constexpr ErrorText error_text<from_value>{
    "expected the column name as a string after \"from\""};
template <>
inline constexpr ErrorText error_text<at_value>{"expected a column number after \"at\""};
template <>
inline constexpr ErrorText error_text<null_value>{
    "expected one or more strings that mean \"no value\" after \"null\""};
template <>
inline constexpr ErrorText error_text<sep_value>{
    "expected the list separator as a string after \"sep\""};
template <>
inline constexpr ErrorText error_text<format_value>{
    "expected the format as a string after \"format\""};
template <>
inline constexpr ErrorText error_text<header_word>{"expected \"header\" after \"no\""};
template <>
inline constexpr ErrorText error_text<encoding_value>{
    "expected the encoding name as a string after \"encoding\""};
template <>
inline constexpr ErrorText error_text<delimiter_value>{
    "expected the delimiter as a string after \"delimiter\""};
template <>
inline constexpr ErrorText error_text<source_name>{"expected a name after \"source\""};
template <>
inline constexpr ErrorText error_text<roster_name>{"expected a name after \"roster\""};
template <>
inline constexpr ErrorText error_text<source_open>{"expected \"{\" after the source name"};
template <>
inline constexpr ErrorText error_text<roster_open>{"expected \"{\" after the roster name"};
template <>
inline constexpr ErrorText error_text<source_close>{
    "expected a field (name: type), a source option or \"}\""};
template <>
inline constexpr ErrorText error_text<roster_close>{"expected a field (name: type) or \"}\""};

// ---------------------------------------------------------------- credit rules

struct credit_name : name {};
struct credit_from_word : kw_from {};
struct credit_source : name {};
struct credit_row_name : name {};
struct credit_as : seq<kw_as, skip, need<credit_row_name>> {};
struct credit_amount_value : expression {};
struct credit_amount : seq<kw_amount, skip, commit<credit_amount_value>> {};
struct credit_condition : expression {};
struct credit_where : seq<kw_where, skip, commit<credit_condition>> {};
struct credit_on_word : kw_on {};
struct credit_date : expression {};
struct credit_open : open_brace {};
struct credit_payee : expression {};
struct credit_gets_word : kw_gets {};
struct credit_share : whole_expression {};
struct credit_kind : sor<kw_direct, kw_split, kw_overlay, kw_rollup> {};
struct credit_line
    : seq<credit_payee, need<credit_gets_word>, commit<credit_share>, opt<tok<credit_kind>>> {};
struct credit_close : close_brace {};
struct credit_decl : seq<kw_credit, skip, need<credit_name>, need<credit_from_word>,
                         need<credit_source>, opt<credit_as>, opt<credit_amount>, opt<credit_where>,
                         need<credit_on_word>, commit<credit_date>, need<credit_open>,
                         star<credit_line, opt<tok<comma>>>, need<credit_close>> {};

template <>
inline constexpr ErrorText error_text<credit_name>{"expected a name after \"credit\""};
template <>
inline constexpr ErrorText error_text<credit_from_word>{
    "expected \"from\" and a source name after the credit name"};
template <>
inline constexpr ErrorText error_text<credit_source>{"expected a source name after \"from\""};
template <>
inline constexpr ErrorText error_text<credit_row_name>{"expected a row name after \"as\""};
template <>
inline constexpr ErrorText error_text<credit_amount_value>{
    "expected an expression after \"amount\""};
template <>
inline constexpr ErrorText error_text<credit_condition>{"expected a condition after \"where\""};
template <>
inline constexpr ErrorText error_text<credit_on_word>{"expected \"on\" and the date of the credit"};
template <>
inline constexpr ErrorText error_text<credit_date>{"expected the date of the credit after \"on\""};
template <>
inline constexpr ErrorText error_text<credit_open>{"expected \"{\" and the credit lines"};
template <>
inline constexpr ErrorText error_text<credit_gets_word>{
    "expected \"gets\" and a share after the payee"};
template <>
inline constexpr ErrorText error_text<credit_share>{"expected a share after \"gets\""};
template <>
inline constexpr ErrorText error_text<credit_close>{
    "expected a credit line (PAYEE gets SHARE) or \"}\""};

// ---------------------------------------------------------------- measures and lets

struct value_type : type_ref {};
struct value_type_annotation : seq<tok<colon>, need<value_type>> {};
struct measure_name : name {};
struct measure_equals : equals {};
struct measure_value : whole_expression {};
struct measure_decl : seq<kw_measure, skip, need<measure_name>, opt<value_type_annotation>,
                          need<measure_equals>, commit<measure_value>> {};
struct let_name : name {};
struct let_equals : equals {};
struct let_value : whole_expression {};
struct let_decl : seq<kw_let, skip, need<let_name>, opt<value_type_annotation>, need<let_equals>,
                      commit<let_value>> {};

template <>
inline constexpr ErrorText error_text<value_type>{expected_type()};
template <>
inline constexpr ErrorText error_text<measure_name>{"expected a name after \"measure\""};
template <>
inline constexpr ErrorText error_text<measure_equals>{"expected \"=\" after the measure name"};
template <>
inline constexpr ErrorText error_text<measure_value>{"expected an expression after \"=\""};
template <>
inline constexpr ErrorText error_text<let_name>{"expected a name after \"let\""};
template <>
inline constexpr ErrorText error_text<let_equals>{"expected \"=\" after the name"};
template <>
inline constexpr ErrorText error_text<let_value>{"expected an expression after \"=\""};

// ---------------------------------------------------------------- payouts

struct payout_name : name {};
struct payout_role : expression {};
struct payout_for : seq<kw_for, skip, commit<payout_role>> {};
struct payout_condition : expression {};
struct payout_when : seq<kw_when, skip, commit<payout_condition>> {};
struct payout_equals : equals {};
struct payout_value : whole_expression {};
/// `per period` or `per year` after a cap or a floor.
struct limit_grain : sor<kw_period, kw_year> {};
struct cap_grain : limit_grain {};
struct payout_cap_value : expression {};
struct payout_cap_per : seq<kw_per, skip, need<cap_grain>> {};
struct payout_defer : kw_defer {};
struct payout_cap
    : seq<kw_cap, skip, commit<payout_cap_value>, opt<payout_cap_per>, opt<tok<payout_defer>>> {};
struct floor_grain : limit_grain {};
struct payout_floor_value : expression {};
struct payout_floor_per : seq<kw_per, skip, need<floor_grain>> {};
struct payout_floor : seq<kw_floor, skip, commit<payout_floor_value>, opt<payout_floor_per>> {};
struct pay_min_value : expression {};
struct pay_min : seq<kw_min, skip, commit<pay_min_value>> {};
struct pay_max_value : expression {};
struct pay_max : seq<kw_max, skip, commit<pay_max_value>> {};
struct pay_bound : sor<seq<pay_min, opt<pay_max>>, pay_max> {};
struct pay_per : seq<kw_per, skip, kw_period> {};
struct payout_pay : seq<kw_pay, skip, commit<pay_bound>, need<pay_per>> {};
struct payout_decl : seq<kw_payout, skip, need<payout_name>, opt<payout_for>, opt<payout_when>,
                         need<payout_equals>, commit<payout_value>, opt<payout_cap>,
                         opt<payout_floor>, opt<payout_pay>> {};

template <>
inline constexpr ErrorText error_text<payout_name>{"expected a name after \"payout\""};
template <>
inline constexpr ErrorText error_text<payout_role>{
    "expected a role condition after \"for\" (such as role == \"AE\")"};
template <>
inline constexpr ErrorText error_text<payout_condition>{"expected a condition after \"when\""};
template <>
inline constexpr ErrorText error_text<payout_equals>{"expected \"=\" and the payout amount"};
template <>
inline constexpr ErrorText error_text<payout_value>{"expected an expression after \"=\""};
template <>
inline constexpr ErrorText error_text<payout_cap_value>{"expected an amount after \"cap\""};
template <>
inline constexpr ErrorText error_text<cap_grain>{"expected \"period\" or \"year\" after \"per\""};
template <>
inline constexpr ErrorText error_text<payout_floor_value>{"expected an amount after \"floor\""};
template <>
inline constexpr ErrorText error_text<floor_grain>{"expected \"period\" or \"year\" after \"per\""};
template <>
inline constexpr ErrorText error_text<pay_bound>{"expected \"min\" or \"max\" after \"pay\""};
template <>
inline constexpr ErrorText error_text<pay_min_value>{"expected an amount after \"min\""};
template <>
inline constexpr ErrorText error_text<pay_max_value>{"expected an amount after \"max\""};
template <>
inline constexpr ErrorText error_text<pay_per>{"expected \"per period\" to end the pay clause"};

// ---------------------------------------------------------------- tables and goals

struct table_name : name {};
struct goal_name : name {};
struct table_open : open_paren {};
struct table_key : name {};
struct table_keys_close : close_paren {};
struct table_colon : colon {};
struct table_type : type_ref {};
struct table_source : name {};
struct table_column : word {};
struct table_columns_close : close_paren {};
struct table_columns : seq<tok<open_paren>, need<table_column>,
                           star<tok<comma>, need<table_column>>, need<table_columns_close>> {};
struct table_from : seq<kw_from, skip, need<table_source>, opt<table_columns>> {};
struct table_value : whole_expression {};
struct table_equals : seq<equals, skip, commit<table_value>> {};
struct table_definition : sor<table_from, table_equals> {};
struct table_prorated : kw_prorated {};
struct table_body : seq<need<table_open>, need<table_key>, star<tok<comma>, need<table_key>>,
                        need<table_keys_close>, need<table_colon>, need<table_type>,
                        commit<table_definition>, opt<tok<table_prorated>>> {};
struct table_decl : seq<kw_table, skip, need<table_name>, table_body> {};
struct goal_decl : seq<kw_goal, skip, need<goal_name>, table_body> {};

template <>
inline constexpr ErrorText error_text<table_name>{"expected a name after \"table\""};
template <>
inline constexpr ErrorText error_text<goal_name>{"expected a name after \"goal\""};
template <>
inline constexpr ErrorText error_text<table_open>{
    "expected \"(\" and the keys (such as payee, period) after the name"};
template <>
inline constexpr ErrorText error_text<table_key>{"expected a key name (such as payee or period)"};
template <>
inline constexpr ErrorText error_text<table_keys_close>{"expected \",\" or \")\" after the key"};
template <>
inline constexpr ErrorText error_text<table_colon>{
    "expected \":\" and the type of the values after the keys"};
template <>
inline constexpr ErrorText error_text<table_type>{expected_type()};
template <>
inline constexpr ErrorText error_text<table_definition>{
    "expected \"from\" and a source, or \"=\" and an expression, after the type"};
template <>
inline constexpr ErrorText error_text<table_source>{"expected a source name after \"from\""};
template <>
inline constexpr ErrorText error_text<table_column>{"expected a column name"};
template <>
inline constexpr ErrorText error_text<table_columns_close>{
    "expected \",\" or \")\" after the column name"};
template <>
inline constexpr ErrorText error_text<table_value>{"expected an expression after \"=\""};

// ---------------------------------------------------------------- territories

struct territory_name : seq<name, star<one<'.'>, word>> {};
struct territory_equals : equals {};
struct territory_predicate : expression {};
struct territory_owner_value : expression {};
struct territory_owner : seq<kw_owner, skip, commit<territory_owner_value>> {};
struct territory_priority_value : expression {};
struct territory_priority : seq<kw_priority, skip, commit<territory_priority_value>> {};
struct territory_decl
    : seq<kw_territory, skip, need<territory_name>, need<territory_equals>,
          commit<territory_predicate>, star<sor<territory_owner, territory_priority>>> {};

struct territories_from : kw_from {};
struct territories_source : name {};
struct territories_as : kw_as {};
struct territories_row : name {};
struct territories_match : kw_match {};
struct territories_predicate : expression {};
struct territories_owner : kw_owner {};
struct territories_owner_value : expression {};
struct territories_priority_value : expression {};
struct territories_priority : seq<kw_priority, skip, commit<territories_priority_value>> {};
struct territories_label_value : expression {};
struct territories_label : seq<kw_name, skip, commit<territories_label_value>> {};
struct territories_decl
    : seq<kw_territories, skip, need<territories_from>, need<territories_source>,
          need<territories_as>, need<territories_row>, need<territories_match>,
          commit<territories_predicate>, need<territories_owner>, commit<territories_owner_value>,
          opt<territories_priority>, opt<territories_label>> {};

template <>
inline constexpr ErrorText error_text<territory_name>{
    "expected a name after \"territory\" (such as West or West.CA)"};
template <>
inline constexpr ErrorText error_text<territory_equals>{
    "expected \"=\" and the condition that selects the territory's transactions"};
template <>
inline constexpr ErrorText error_text<territory_predicate>{"expected a condition after \"=\""};
template <>
inline constexpr ErrorText error_text<territory_owner_value>{
    "expected the owner (a payee id) after \"owner\""};
template <>
inline constexpr ErrorText error_text<territory_priority_value>{
    "expected a priority number after \"priority\""};
template <>
inline constexpr ErrorText error_text<territories_from>{
    "expected \"from\" and a source name after \"territories\""};
template <>
inline constexpr ErrorText error_text<territories_source>{"expected a source name after \"from\""};
template <>
inline constexpr ErrorText error_text<territories_as>{
    "expected \"as\" and a row name after the source name"};
template <>
inline constexpr ErrorText error_text<territories_row>{"expected a row name after \"as\""};
template <>
inline constexpr ErrorText error_text<territories_match>{
    "expected \"match\" and the condition that places a transaction in a territory"};
template <>
inline constexpr ErrorText error_text<territories_predicate>{
    "expected a condition after \"match\""};
template <>
inline constexpr ErrorText error_text<territories_owner>{
    "expected \"owner\" and each territory's owner after the condition"};
template <>
inline constexpr ErrorText error_text<territories_owner_value>{
    "expected the owner after \"owner\""};
template <>
inline constexpr ErrorText error_text<territories_priority_value>{
    "expected a priority after \"priority\""};
template <>
inline constexpr ErrorText error_text<territories_label_value>{
    "expected the territory's name after \"name\""};

// ---------------------------------------------------------------- rates

struct rates_name : name {};
struct rates_on_value : expression {};
struct rates_mode_word : sor<kw_marginal, kw_retroactive> {};
struct tier_bounds : expression {};
struct tier_colon : colon {};
struct tier_value : whole_expression {};
struct tier_row : seq<tier_bounds, need<tier_colon>, commit<tier_value>> {};
struct tiers_open : open_brace {};
struct tiers_close : close_brace {};
struct tiered_rates : seq<kw_on, skip, commit<rates_on_value>, need<rates_mode_word>,
                          need<tiers_open>, star<tier_row, opt<tok<comma>>>, need<tiers_close>> {};
struct rates_by_value : expression {};
struct lookup_else : kw_else {};
struct lookup_key : expression {};
struct lookup_colon : colon {};
struct lookup_value : whole_expression {};
struct lookup_row
    : seq<sor<tok<lookup_else>, lookup_key>, need<lookup_colon>, commit<lookup_value>> {};
struct lookup_open : open_brace {};
struct lookup_close : close_brace {};
struct lookup_rates : seq<kw_by, skip, commit<rates_by_value>, need<lookup_open>,
                          star<lookup_row, opt<tok<comma>>>, need<lookup_close>> {};
struct rates_basis : sor<tiered_rates, lookup_rates> {};
struct rates_decl : seq<kw_rates, skip, need<rates_name>, commit<rates_basis>> {};

template <>
inline constexpr ErrorText error_text<rates_name>{"expected a name after \"rates\""};
template <>
inline constexpr ErrorText error_text<rates_basis>{
    "expected \"on\" and the value the tiers are over, or \"by\" and a lookup key, after the "
    "rates name"};
template <>
inline constexpr ErrorText error_text<rates_on_value>{
    "expected the value the tiers are over (such as attainment) after \"on\""};
template <>
inline constexpr ErrorText error_text<rates_mode_word>{
    "expected \"marginal\" or \"retroactive\" after the value the tiers are over"};
template <>
inline constexpr ErrorText error_text<tiers_open>{"expected \"{\" and the tiers"};
template <>
inline constexpr ErrorText error_text<tiers_close>{"expected a tier (LOW .. HIGH : RATE) or \"}\""};
template <>
inline constexpr ErrorText error_text<tier_colon>{"expected \":\" and a rate after the tier"};
template <>
inline constexpr ErrorText error_text<tier_value>{"expected a rate after \":\""};
template <>
inline constexpr ErrorText error_text<rates_by_value>{
    "expected the lookup key (such as deal.product) after \"by\""};
template <>
inline constexpr ErrorText error_text<lookup_open>{"expected \"{\" and the rows of the lookup"};
template <>
inline constexpr ErrorText error_text<lookup_close>{
    "expected a row (KEY : RATE or else : RATE) or \"}\""};
template <>
inline constexpr ErrorText error_text<lookup_colon>{"expected \":\" and a rate after the key"};
template <>
inline constexpr ErrorText error_text<lookup_value>{"expected a rate after \":\""};

// ---------------------------------------------------------------- draws

struct draw_name : name {};
struct draw_role : expression {};
struct draw_for : seq<kw_for, skip, commit<draw_role>> {};
struct draw_condition : expression {};
struct draw_when : seq<kw_when, skip, commit<draw_condition>> {};
struct draw_equals : equals {};
struct draw_amount : expression {};
struct draw_grain : sor<TAO_PEGTL_KEYWORD("month"), TAO_PEGTL_KEYWORD("quarter"),
                        TAO_PEGTL_KEYWORD("half"), kw_year, kw_period> {};
struct draw_per : seq<kw_per, skip, need<draw_grain>> {};
struct limit_grain_word : draw_grain {};
struct draw_limit_value : expression {};
struct draw_limit_per : seq<kw_per, skip, need<limit_grain_word>> {};
struct draw_limit : seq<kw_limit, skip, commit<draw_limit_value>, opt<draw_limit_per>> {};
struct draw_recoverable : seq<kw_recoverable, skip, opt<draw_limit>> {};
struct draw_decl
    : seq<kw_draw, skip, need<draw_name>, opt<draw_for>, opt<draw_when>, need<draw_equals>,
          commit<draw_amount>, opt<draw_per>, opt<draw_recoverable>> {};

template <>
inline constexpr ErrorText error_text<draw_name>{"expected a name after \"draw\""};
template <>
inline constexpr ErrorText error_text<draw_role>{
    "expected a role condition after \"for\" (such as role == \"AE\")"};
template <>
inline constexpr ErrorText error_text<draw_condition>{"expected a condition after \"when\""};
template <>
inline constexpr ErrorText error_text<draw_equals>{"expected \"=\" and the draw amount"};
template <>
inline constexpr ErrorText error_text<draw_amount>{"expected an amount after \"=\""};
template <>
inline constexpr ErrorText error_text<draw_grain>{
    "expected month, quarter, half, year or period after \"per\""};
template <>
inline constexpr ErrorText error_text<limit_grain_word>{
    "expected month, quarter, half, year or period after \"per\""};
template <>
inline constexpr ErrorText error_text<draw_limit_value>{"expected an amount after \"limit\""};

// ---------------------------------------------------------------- clawbacks

struct clawback_payout : name {};
struct clawback_when : kw_when {};
struct clawback_condition : expression {};
struct clawback_share_value : expression {};
struct clawback_share : seq<kw_share, skip, commit<clawback_share_value>> {};
struct clawback_and_credit : seq<kw_and, skip, kw_credit> {};
struct clawback_decl
    : seq<kw_clawback, skip, need<clawback_payout>, need<clawback_when>, commit<clawback_condition>,
          opt<clawback_share>, opt<tok<clawback_and_credit>>> {};

template <>
inline constexpr ErrorText error_text<clawback_payout>{
    "expected the name of a payout after \"clawback\""};
template <>
inline constexpr ErrorText error_text<clawback_when>{
    "expected \"when\" and the condition that charges the payout back"};
template <>
inline constexpr ErrorText error_text<clawback_condition>{"expected a condition after \"when\""};
template <>
inline constexpr ErrorText error_text<clawback_share_value>{
    "expected the share charged back (such as 50%) after \"share\""};

// ---------------------------------------------------------------- functions

struct fn_name : name {};
struct fn_open : open_paren {};
struct fn_param_name : name {};
struct fn_param_colon : colon {};
struct fn_param_type : type_ref {};
struct fn_param_rest : seq<need<fn_param_colon>, need<fn_param_type>> {};
struct fn_param : seq<fn_param_name, skip, fn_param_rest> {};
struct fn_more_param : seq<tok<comma>, need<fn_param_name>, fn_param_rest> {};
struct fn_close : close_paren {};
struct fn_result_type : type_ref {};
struct fn_result : seq<tok<colon>, need<fn_result_type>> {};
struct fn_equals : equals {};
struct fn_body : whole_expression {};
struct fn_decl : seq<kw_fn, skip, need<fn_name>, need<fn_open>, opt<fn_param, star<fn_more_param>>,
                     need<fn_close>, opt<fn_result>, need<fn_equals>, commit<fn_body>> {};

template <>
inline constexpr ErrorText error_text<fn_name>{"expected a name after \"fn\""};
template <>
inline constexpr ErrorText error_text<fn_open>{
    "expected \"(\" and the parameters after the function name"};
template <>
inline constexpr ErrorText error_text<fn_param_name>{"expected a parameter name after \",\""};
template <>
inline constexpr ErrorText error_text<fn_param_colon>{
    "expected \":\" and a type after the parameter name"};
template <>
inline constexpr ErrorText error_text<fn_param_type>{expected_type()};
template <>
inline constexpr ErrorText error_text<fn_close>{
    "expected a parameter (name: type), \",\" or \")\""};
template <>
inline constexpr ErrorText error_text<fn_result_type>{expected_type()};
template <>
inline constexpr ErrorText error_text<fn_equals>{"expected \"=\" and the function body"};
template <>
inline constexpr ErrorText error_text<fn_body>{"expected an expression after \"=\""};

// ---------------------------------------------------------------- tests

/// True when no line break lies between the last token and here: a line
/// break ends a test statement (custom rule: it reads ParseState).
struct same_line {
  using rule_t = same_line;
  using subs_t = empty_list;
  template <apply_mode, rewind_mode, template <class...> class, template <class...> class,
            class ParseInput>
  static bool match(ParseInput& in, ParseState& state) {
    for (const char* p = state.base + state.last_token_end; p < in.current(); ++p) {
      if (*p == '\n') return false;
    }
    return true;
  }
};

struct test_name : string_literal {};
struct test_open : open_brace {};
struct test_field_name : word {};
struct test_field_value : operand_expression {};
struct test_field : seq<same_line, test_field_name, skip, commit<test_field_value>> {};
struct expect_value : whole_expression {};
struct expect_word : kw_expect {};
struct expect_statement : seq<expect_word, skip, commit<expect_value>> {};
struct test_payee_word : kw_payee {};
struct test_payee_id : name {};
struct payee_statement : seq<test_payee_word, skip, need<test_payee_id>, star<test_field>> {};
struct test_row_head : word {};
struct row_statement : seq<test_row_head, skip, star<test_field>> {};
struct test_statement : sor<expect_statement, payee_statement, row_statement> {};
struct test_close : close_brace {};
struct test_decl
    : seq<kw_test, skip, need<test_name>, need<test_open>, star<test_statement>, need<test_close>> {
};

template <>
inline constexpr ErrorText error_text<test_name>{
    "expected the test's name as a string after \"test\""};
template <>
inline constexpr ErrorText error_text<test_open>{"expected \"{\" and the test's statements"};
template <>
inline constexpr ErrorText error_text<test_field_value>{"expected a value after the field name"};
template <>
inline constexpr ErrorText error_text<expect_value>{"expected an expression after \"expect\""};
template <>
inline constexpr ErrorText error_text<test_payee_id>{
    "expected the payee's id (a name) after \"payee\""};
template <>
inline constexpr ErrorText error_text<test_close>{
    "expected a statement (payee ID ..., a row such as deal amount 5 USD, or expect ...) or "
    "\"}\""};

// ---------------------------------------------------------------- imports

struct import_path : string_literal {};
struct import_decl : seq<kw_import, skip, need<import_path>> {};

template <>
inline constexpr ErrorText error_text<import_path>{
    "expected the path of the plan to import, as a string, after \"import\""};

// ---------------------------------------------------------------- the file

struct declaration : sor<plan_decl, source_decl, roster_decl, credit_decl, measure_decl, let_decl,
                         payout_decl, table_decl, goal_decl, territories_decl, territory_decl,
                         rates_decl, draw_decl, clawback_decl, fn_decl, test_decl, import_decl> {};
/// One declaration and the whitespace after it; the top-level loop in
/// parser.cpp matches this repeatedly, recovering between declarations.
struct next_declaration : seq<declaration, skip> {};
struct file_start : seq<opt<byte_order_mark>, skip> {};

// ---------------------------------------------------------------- control

/// The type rules that recurse (`list<...>`, `record { ... }`).
template <class Rule>
inline constexpr bool kNestedType =
    std::is_same_v<Rule, type_element> || std::is_same_v<Rule, record_field_type>;

/// Turns a failed commit point into a SyntaxError with the rule's message, and
/// bounds the nesting of types (the recursive rule outside expressions).
template <class Rule>
struct control : normal<Rule> {
  template <class ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, ParseState& state) {
    constexpr ErrorText text = error_text<Rule>;
    static_assert(text.message != nullptr, "every commit point needs a message");
    const std::string_view message = text.message;
    if (message.starts_with("expected")) state.fail_expected(in.current(), message);
    const char* at = in.current() - text.backup;
    int length = 0;
    if (text.to_end_of_line) {
      const char* stop = at;
      while (stop < state.end && *stop != '\n' && *stop != '\r') ++stop;
      length = count_characters(at, stop);
    }
    state.fail_at(at, length, std::string(message));
  }

  template <class ParseInput>
  static void start(const ParseInput& in, ParseState& state) {
    if constexpr (kNestedType<Rule>) {
      if (++state.type_depth > kMaxTypeDepth) {
        state.fail_at(
            in.current(), 1,
            concat({"type nested too deeply (limit ", std::to_string(kMaxTypeDepth), ")"}));
      }
    }
  }
  template <class ParseInput>
  static void success(const ParseInput&, ParseState& state) {
    if constexpr (kNestedType<Rule>) --state.type_depth;
  }
  template <class ParseInput>
  static void failure(const ParseInput&, ParseState& state) {
    if constexpr (kNestedType<Rule>) --state.type_depth;
  }
};

}  // namespace tally::grammar::rules
