// The declarations written as blocks of one item per line — sources and
// rosters, credit rules, rate tables, tests — or, when written so and short
// enough, on one line. Internal to the formatter.
#pragma once

#include "grammar/ast.hpp"
#include "grammar/format_comments.hpp"
#include "grammar/format_layout.hpp"

namespace tally::format {

void write_source(Layout& out, const ast::SourceDecl& d, const SourceMap& source);
void write_credit(Layout& out, const ast::CreditDecl& d, const SourceMap& source);
void write_rates(Layout& out, const ast::RatesDecl& d, const SourceMap& source);
void write_test(Layout& out, const ast::TestDecl& d);

}  // namespace tally::format
