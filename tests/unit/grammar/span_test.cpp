// Every node carries the byte range of its text; checked through line and
// column, counted by hand on the plan below.
#include <catch2/catch.hpp>

#include "tests/unit/grammar/ast_text.hpp"

using tally::Span;
using tally::test::source;

namespace {

const char* const kPlan =
    "plan \"P\"\n"                                             // line 1
    "source deals {\n"                                         // line 2
    "  amount: money<EUR>?  // c\n"                            // line 3
    "}\n"                                                      // line 4
    "credit won from deals on deal.close {\n"                  // line 5
    "  deal.owner gets 50% overlay\n"                          // line 6
    "}\n"                                                      // line 7
    "measure m: money = \"\xC3\xA9t\xC3\xA9\" + f(x, n: 2)\n"  // line 8: "été"
    "payout p for role == \"AE\" = {1, 2 ..}\n";               // line 9

struct Position {
  int line;
  int column;
};

Position begin_of(const tally::SourceFile& file, Span span) {
  auto where = file.locate(span.begin);
  return {where.line, where.column};
}
Position end_of(const tally::SourceFile& file, Span span) {
  auto where = file.locate(span.end);
  return {where.line, where.column};
}

}  // namespace

#define CHECK_AT(span, line_, column_)          \
  do {                                          \
    const Position at_ = begin_of(*file, span); \
    CHECK(at_.line == line_);                   \
    CHECK(at_.column == column_);               \
  } while (false)
#define CHECK_ENDS(span, line_, column_)      \
  do {                                        \
    const Position at_ = end_of(*file, span); \
    CHECK(at_.line == line_);                 \
    CHECK(at_.column == column_);             \
  } while (false)

TEST_CASE("spans of declarations, names, types and expressions") {
  auto file = source(kPlan);
  auto result = tally::parse_plan(file);
  REQUIRE(result.ok());
  const tally::ast::Plan& plan = *result;

  CHECK_AT(plan.header->span, 1, 1);
  CHECK_ENDS(plan.header->span, 1, 9);

  const auto& deals = plan.sources[0];
  CHECK_AT(deals.span, 2, 1);
  CHECK_ENDS(deals.span, 4, 2);
  CHECK_AT(deals.name_span, 2, 8);
  CHECK_ENDS(deals.name_span, 2, 13);
  const auto& amount = deals.fields[0];
  CHECK_AT(amount.span, 3, 3);
  CHECK_ENDS(amount.span, 3, 22);  // after "?", not after the comment
  CHECK_AT(amount.name_span, 3, 3);
  CHECK_AT(amount.type.span, 3, 11);
  CHECK_ENDS(amount.type.span, 3, 22);

  const auto& won = plan.credits[0];
  CHECK_AT(won.span, 5, 1);
  CHECK_ENDS(won.span, 7, 2);
  CHECK_AT(won.source_span, 5, 17);
  CHECK_AT(won.on->span, 5, 26);
  CHECK_ENDS(won.on->span, 5, 36);
  CHECK_AT(won.lines[0].span, 6, 3);
  CHECK_ENDS(won.lines[0].span, 6, 30);
  CHECK_AT(won.lines[0].payee->span, 6, 3);
  CHECK_AT(won.lines[0].payee->args[0]->span, 6, 3);  // `deal`
  CHECK_ENDS(won.lines[0].payee->args[0]->span, 6, 7);
  CHECK_AT(won.lines[0].share->span, 6, 19);
  CHECK_ENDS(won.lines[0].share->span, 6, 22);

  const auto& m = plan.values[0];
  CHECK_AT(m.span, 8, 1);
  CHECK_AT(m.name_span, 8, 9);
  CHECK_ENDS(m.name_span, 8, 10);
  CHECK_AT(m.type->span, 8, 12);
  CHECK_ENDS(m.type->span, 8, 17);
  const auto& sum = *m.value;  // "été" + f(x, n: 2)
  CHECK_AT(sum.span, 8, 20);
  CHECK_ENDS(sum.span, 8, 38);
  CHECK_ENDS(sum.args[0]->span, 8, 25);  // columns count characters: "été" is 3, not 5 bytes
  CHECK_AT(sum.args[1]->span, 8, 28);    // the call starts at its name
  CHECK_AT(sum.args[1]->args[1]->span, 8, 36);  // the named argument's value
  CHECK_ENDS(m.span, 8, 38);

  const auto& p = plan.payouts[0];
  CHECK_AT(p.name_span, 9, 8);
  CHECK_AT(p.for_role->span, 9, 14);
  CHECK_ENDS(p.for_role->span, 9, 26);
  CHECK_AT(p.value->span, 9, 29);
  CHECK_ENDS(p.value->span, 9, 38);
  CHECK_AT(p.value->args[1]->span, 9, 33);  // the open range `2 ..`
  CHECK_ENDS(p.value->args[1]->span, 9, 37);
  CHECK_AT(p.span, 9, 1);
  CHECK_ENDS(p.span, 9, 38);
}
