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
struct kw_amount : TAO_PEGTL_KEYWORD("amount") {};
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

/// One expression; matched by precedence climbing (expression_parser.hpp),
/// which pushes the finished tree on ParseState::expressions.
struct expression {
  using rule_t = expression;
  using subs_t = empty_list;
  template <apply_mode A, rewind_mode M, template <class...> class Action,
            template <class...> class Control, class ParseInput>
  static bool match(ParseInput& in, ParseState& state);
};

// The operators, each a token of its own so the precedence table can name it.
struct op_or : kw_or {};
struct op_and : kw_and {};
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
struct argument_name : seq<name, skip, colon> {};
/// Reserved words that are also names inside expressions: the credit row of
/// an aggregate (`sum(credit.amount)`), the credit kinds (`credit.kind ==
/// direct`) and the rounding mode `floor` (`round(x, 1, floor)`). None of them
/// can follow a complete expression, so `... cap 9 USD floor 0 USD` still ends
/// the payout's value before `floor`.
struct contextual_name : sor<kw_credit, kw_direct, kw_split, kw_overlay, kw_rollup, kw_floor> {};
/// What can start an expression: decides whether an optional expression is there.
struct expression_start
    : sor<one<'(', '{', '-', '"'>, digit, kw_not, boolean, contextual_name, name> {};

// ---------------------------------------------------------------- types

struct type_name : name {};
struct type_element;
struct type_currency : currency_code {};
struct type_argument : sor<type_currency, type_element> {};
struct type_close : one<'>'> {};
struct type_arguments : seq<tok<one<'<'>>, need<type_argument>, need<type_close>> {};
struct type_optional : one<'?'> {};
struct type_ref : seq<type_name, skip, opt<type_arguments>, opt<tok<type_optional>>> {};
struct type_element : type_ref {};

template <>
inline constexpr ErrorText error_text<type_argument>{
    "expected a currency code or an element type after \"<\""};
template <>
inline constexpr ErrorText error_text<type_close>{"expected \">\" to close the type argument"};

// ---------------------------------------------------------------- plan header

struct plan_name : string_literal {};
struct plan_version_value : sor<number, string_literal> {};
struct plan_version : seq<kw_version, skip, need<plan_version_value>> {};
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
inline constexpr ErrorText error_text<field_type>{
    "expected a type (text, int, decimal, money, percent, date, period, bool, payee, territory "
    "or list<...>) after \":\""};
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
struct credit_share : expression {};
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
struct measure_value : expression {};
struct measure_decl : seq<kw_measure, skip, need<measure_name>, opt<value_type_annotation>,
                          need<measure_equals>, commit<measure_value>> {};
struct let_name : name {};
struct let_equals : equals {};
struct let_value : expression {};
struct let_decl : seq<kw_let, skip, need<let_name>, opt<value_type_annotation>, need<let_equals>,
                      commit<let_value>> {};

template <>
inline constexpr ErrorText error_text<value_type>{
    "expected a type (text, int, decimal, money, percent, date, period, bool, payee, territory "
    "or list<...>) after \":\""};
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
struct payout_value : expression {};
struct payout_cap_value : expression {};
struct payout_cap : seq<kw_cap, skip, commit<payout_cap_value>> {};
struct payout_floor_value : expression {};
struct payout_floor : seq<kw_floor, skip, commit<payout_floor_value>> {};
struct payout_decl
    : seq<kw_payout, skip, need<payout_name>, opt<payout_for>, opt<payout_when>,
          need<payout_equals>, commit<payout_value>, opt<payout_cap>, opt<payout_floor>> {};

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
inline constexpr ErrorText error_text<payout_floor_value>{"expected an amount after \"floor\""};

// ---------------------------------------------------------------- the file

struct declaration
    : sor<plan_decl, source_decl, roster_decl, credit_decl, measure_decl, let_decl, payout_decl> {};
/// One declaration and the whitespace after it; the top-level loop in
/// parser.cpp matches this repeatedly, recovering between declarations.
struct next_declaration : seq<declaration, skip> {};
struct file_start : seq<opt<byte_order_mark>, skip> {};

// ---------------------------------------------------------------- control

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
    if constexpr (std::is_same_v<Rule, type_element>) {
      if (++state.type_depth > kMaxTypeDepth) {
        state.fail_at(
            in.current(), 1,
            concat({"type nested too deeply (limit ", std::to_string(kMaxTypeDepth), ")"}));
      }
    }
  }
  template <class ParseInput>
  static void success(const ParseInput&, ParseState& state) {
    if constexpr (std::is_same_v<Rule, type_element>) --state.type_depth;
  }
  template <class ParseInput>
  static void failure(const ParseInput&, ParseState& state) {
    if constexpr (std::is_same_v<Rule, type_element>) --state.type_depth;
  }
};

}  // namespace tally::grammar::rules
