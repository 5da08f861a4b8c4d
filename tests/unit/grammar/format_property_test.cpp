// The formatter's promises over many inputs: every plan of the repository
// (plans/ and tests/, found when the test runs) formats, re-parses to the
// same AST, keeps its comments and formats to the same bytes; and thousands
// of random expression trees print with parentheses that give the same tree
// back.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "grammar/ast_dump.hpp"
#include "grammar/formatter.hpp"
#include "grammar/parser.hpp"
#include "tests/unit/grammar/ast_text.hpp"

namespace ast = tally::ast;
namespace fs = std::filesystem;
using tally::test::source;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> comment_texts(const ast::Plan& plan) {
  std::vector<std::string> texts;
  for (const ast::Comment& comment : plan.comments) {
    // The formatter drops spaces at the ends of lines and writes LF line breaks.
    std::string text;
    for (char c : comment.text) {
      if (c == '\r') continue;
      if (c == '\n') {
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
      }
      text += c;
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) {
      text.pop_back();
    }
    texts.push_back(text);
  }
  std::sort(texts.begin(), texts.end());
  return texts;
}

std::vector<fs::path> repository_plans() {
  std::vector<fs::path> plans;
  for (const char* folder : {"plans", "tests"}) {
    const fs::path root = fs::path(TALLY_SOURCE_DIR) / folder;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && entry.path().extension() == ".tally") {
        plans.push_back(entry.path());
      }
    }
  }
  std::sort(plans.begin(), plans.end());
  return plans;
}

// ---------------------------------------------------------------- random expressions

/// Builds random expression trees of every kind, shaped as the parser could
/// have built them (`distinct` and `where` only as call arguments).
class ExpressionGenerator {
 public:
  explicit ExpressionGenerator(unsigned seed) : random_(seed) {}

  ast::ExprPtr expression(int depth) {
    if (depth <= 0 || chance(20)) return leaf();
    switch (pick(11)) {
      case 0:
      case 1:
        return binary(depth);
      case 2:
        return unary(depth);
      case 3:
        return call(depth);
      case 4: {
        auto e = node(ast::ExprKind::member);
        e->text = one_of({"stage", "amount", "owner", "x", "kind"});
        e->args.push_back(expression(depth - 1));
        return e;
      }
      case 5: {
        auto e = node(ast::ExprKind::range);
        e->args.push_back(expression(depth - 1));
        if (!chance(30)) e->args.push_back(expression(depth - 1));
        return e;
      }
      case 6: {
        auto e = node(ast::ExprKind::set);
        const int n = pick(4);
        for (int i = 0; i < n; ++i) e->args.push_back(expression(depth - 1));
        return e;
      }
      case 7: {
        auto e = node(ast::ExprKind::record);
        const int n = 1 + pick(3);
        for (int i = 0; i < n; ++i) {
          e->args.push_back(expression(depth - 1));
          e->arg_names.push_back(one_of({"amount", "stage", "Q1", "weight", "x"}));
        }
        return e;
      }
      case 8: {
        auto e = node(ast::ExprKind::within);
        e->unit = one_of({"days", "months"});
        e->args.push_back(expression(depth - 1));
        e->args.push_back(expression(depth - 1));
        e->args.push_back(expression(depth - 1));
        return e;
      }
      case 9: {
        auto e = node(ast::ExprKind::unless);
        e->args.push_back(expression(depth - 1));
        const int n = 1 + pick(2);
        for (int i = 0; i < 2 * n; ++i) e->args.push_back(expression(depth - 1));
        return e;
      }
      default:
        return binary(depth);
    }
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }
  bool chance(int percent) { return pick(100) < percent; }
  std::string one_of(std::initializer_list<const char*> items) {
    return *(items.begin() + pick(static_cast<int>(items.size())));
  }

  ast::ExprPtr node(ast::ExprKind kind) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    return e;
  }

  std::string digits() {
    std::string text = std::to_string(pick(3) == 0 ? pick(10) : pick(2'000'000));
    if (chance(30)) text += "." + std::to_string(pick(100));
    if (chance(5)) text += one_of({"e3", "E-2", "e+1"});
    return text;
  }

  ast::ExprPtr leaf() {
    switch (pick(11)) {
      case 0: {
        auto e = node(ast::ExprKind::number);
        e->text = digits();
        return e;
      }
      case 1: {
        auto e = node(ast::ExprKind::percent);
        e->text = digits();
        return e;
      }
      case 2: {
        auto e = node(ast::ExprKind::money);
        e->text = digits();
        e->unit = one_of({"USD", "EUR", "JPY"});
        return e;
      }
      case 3: {
        auto e = node(ast::ExprKind::date);
        e->text = one_of({"2026-03-15", "2025-12-31"});
        return e;
      }
      case 4: {
        auto e = node(ast::ExprKind::period);
        e->text = one_of(
            {"2026-Q1", "2026-H2", "2026-03", "FY2027", "FY2027-Q1", "FY2027-M03", "Q4", "H1"});
        return e;
      }
      case 5: {
        auto e = node(ast::ExprKind::string);
        const int n = pick(6);
        for (int i = 0; i < n; ++i) {
          e->text += one_of({"a", " ", "\"", "\\", "\n", "\t", "\x01", "\xC3\xA9", "//", "/*"});
        }
        return e;
      }
      case 6: {
        auto e = node(ast::ExprKind::boolean);
        e->text = one_of({"true", "false"});
        return e;
      }
      case 7:
        return node(ast::ExprKind::null);
      default: {
        auto e = node(ast::ExprKind::name);
        e->text = one_of({"x", "bookings", "deal", "period", "role", "half_even", "direct",
                          "overlay", "floor", "min", "owner", "name", "_y2"});
        return e;
      }
    }
  }

  ast::ExprPtr binary(int depth) {
    static constexpr ast::Op kOps[] = {
        ast::Op::add, ast::Op::sub,    ast::Op::mul,  ast::Op::div, ast::Op::eq,
        ast::Op::ne,  ast::Op::lt,     ast::Op::le,   ast::Op::gt,  ast::Op::ge,
        ast::Op::in,  ast::Op::not_in, ast::Op::and_, ast::Op::or_, ast::Op::coalesce};
    auto e = node(ast::ExprKind::binary);
    e->op = kOps[pick(static_cast<int>(std::size(kOps)))];
    e->args.push_back(expression(depth - 1));
    e->args.push_back(expression(depth - 1));
    return e;
  }

  ast::ExprPtr unary(int depth) {
    auto e = node(ast::ExprKind::unary);
    e->op = chance(50) ? ast::Op::neg : ast::Op::not_;
    e->args.push_back(expression(depth - 1));
    return e;
  }

  ast::ExprPtr call(int depth) {
    auto e = node(ast::ExprKind::call);
    e->text = one_of({"sum", "count", "f", "min", "managers", "owner"});
    const int n = pick(4);
    for (int i = 0; i < n; ++i) {
      ast::ExprPtr argument;
      if (chance(15)) {
        argument = node(ast::ExprKind::distinct);
        argument->args.push_back(expression(depth - 1));
      } else {
        argument = expression(depth - 1);
      }
      if (chance(20)) {
        auto filter = node(ast::ExprKind::filter);
        filter->args.push_back(std::move(argument));
        filter->args.push_back(expression(depth - 1));
        argument = std::move(filter);
      }
      e->args.push_back(std::move(argument));
      e->arg_names.push_back(chance(25) ? one_of({"levels", "base", "weights"}) : "");
    }
    return e;
  }

  std::mt19937 random_;
};

}  // namespace

TEST_CASE("fmt property: every plan in plans/ and tests/ keeps its meaning and its comments") {
  const std::vector<fs::path> plans = repository_plans();
  REQUIRE_FALSE(plans.empty());
  int formatted_count = 0;
  for (const fs::path& path : plans) {
    const std::string text = read_file(path);
    auto parsed = tally::parse_plan(source(text, path.filename().string()));
    if (!parsed) continue;  // a test of a syntax error: nothing to format
    INFO("plan " << fs::relative(path, TALLY_SOURCE_DIR).string());
    const std::string formatted = tally::format_plan(*parsed);
    auto again = tally::parse_plan(source(formatted));
    INFO("formatted:\n" << formatted);
    REQUIRE(again);
    CHECK(tally::dump_plan(*again) == tally::dump_plan(*parsed));
    CHECK(comment_texts(*again) == comment_texts(*parsed));
    CHECK(tally::format_plan(*again) == formatted);
    ++formatted_count;
  }
  // The demo plan at least; the language tests add hundreds more.
  CHECK(formatted_count >= 1);
}

TEST_CASE("fmt property: random expressions print with parentheses that keep the tree") {
  ExpressionGenerator generator(20261127);
  for (int i = 0; i < 5000; ++i) {
    const ast::ExprPtr e = generator.expression(1 + i % 6);
    const std::string text = tally::format_expression(*e);
    INFO("expression " << i << ": " << text << "\nexpected tree: " << tally::dump_expr(*e));
    auto parsed = tally::parse_expression(tally::SourceFile("random.tally", text));
    if (!parsed) FAIL("does not parse: " << parsed.errors().front().message);
    REQUIRE(tally::dump_expr(**parsed) == tally::dump_expr(*e));
  }
}

TEST_CASE("fmt property: random expressions in a plan survive the layout, broken or not") {
  // Long expressions are broken over lines; the tree must not change.
  ExpressionGenerator generator(7);
  for (int i = 0; i < 500; ++i) {
    const ast::ExprPtr e = generator.expression(6);
    const std::string text = "let v = " + tally::format_expression(*e) + "\n";
    auto parsed = tally::parse_plan(source(text));
    INFO("plan: " << text);
    REQUIRE(parsed);
    const std::string formatted = tally::format_plan(*parsed);
    INFO("formatted:\n" << formatted);
    auto again = tally::parse_plan(source(formatted));
    REQUIRE(again);
    CHECK(tally::dump_plan(*again) == tally::dump_plan(*parsed));
    CHECK(tally::format_plan(*again) == formatted);
  }
}
