// The canonical layout of each declaration (docs/formatting.md): a
// declaration on one line when it fits, otherwise its value and clauses on
// continuation lines; blocks with one item per line. Internal to the formatter.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/format_comments.hpp"
#include "grammar/format_layout.hpp"

namespace tally::format {

/// The declarations of the plan in source order: `Plan::order` when it lists
/// every declaration, otherwise rebuilt from the spans.
std::vector<ast::DeclRef> declaration_order(const ast::Plan& plan);

/// Where the declaration lies in the source.
Span declaration_span(const ast::Plan& plan, const ast::DeclRef& ref);

/// The kind of declaration as a blank-line rule sees it: `measure` and `let`,
/// `source` and `roster`, `table` and `goal` are different groups.
std::string_view declaration_group(const ast::Plan& plan, const ast::DeclRef& ref);

/// Appends the lines of one declaration, the first starting at column 0.
void write_declaration(Layout& out, const ast::Plan& plan, const ast::DeclRef& ref,
                       const SourceMap& source);

/// A type as written: `money<EUR>`, `list<text>?`, `record { name: text }`.
std::string type_text(const ast::TypeRef& type);

}  // namespace tally::format
