#include "grammar/ast.hpp"

#include <optional>

namespace tally::ast {

std::string_view op_spelling(Op op) {
  switch (op) {
    case Op::or_:
      return "or";
    case Op::and_:
      return "and";
    case Op::eq:
      return "==";
    case Op::ne:
      return "!=";
    case Op::lt:
      return "<";
    case Op::le:
      return "<=";
    case Op::gt:
      return ">";
    case Op::ge:
      return ">=";
    case Op::in:
      return "in";
    case Op::not_in:
      return "not in";
    case Op::coalesce:
      return "??";
    case Op::add:
      return "+";
    case Op::sub:
      return "-";
    case Op::mul:
      return "*";
    case Op::div:
      return "/";
    case Op::neg:
      return "-";
    case Op::not_:
      return "not";
    case Op::none:
      break;
  }
  return "?";
}

std::string_view credit_kind_name(CreditKind kind) {
  switch (kind) {
    case CreditKind::direct:
      return "direct";
    case CreditKind::split:
      return "split";
    case CreditKind::overlay:
      return "overlay";
    case CreditKind::rollup:
      return "rollup";
  }
  return "?";
}

SpanOrigin origin_of(const Plan& plan, Span span) {
  for (const ImportedFile& imported : plan.imported)
    if (span.begin >= imported.base && span.begin - imported.base <= imported.file->text().size())
      return SpanOrigin{imported.file.get(), span.begin - imported.base};
  return SpanOrigin{plan.file.get(), span.begin};
}

Location locate(const Plan& plan, Span span) {
  const SpanOrigin origin = origin_of(plan, span);
  if (!origin.file) return {};
  Location where = origin.file->locate(origin.offset);
  where.length = static_cast<int>(span.end > span.begin ? span.end - span.begin : 1);
  return where;
}

std::string_view span_text(const Plan& plan, Span span) {
  const SpanOrigin origin = origin_of(plan, span);
  if (!origin.file || span.end <= span.begin) return {};
  const std::string& text = origin.file->text();
  if (origin.offset + (span.end - span.begin) > text.size()) return {};
  return std::string_view(text).substr(origin.offset, span.end - span.begin);
}

namespace {

struct SpanShifter {
  std::uint32_t base;

  void operator()(Span& span) const {
    span.begin += base;
    span.end += base;
  }
  void operator()(ExprPtr& e) const {
    if (!e) return;
    (*this)(e->span);
    for (auto& arg : e->args) (*this)(arg);
  }
  void operator()(TypeRef& t) const {
    (*this)(t.span);
    if (t.element) (*this)(*t.element);
    for (auto& [name, field] : t.fields) (*this)(field);
  }
  void operator()(std::optional<TypeRef>& t) const {
    if (t) (*this)(*t);
  }
  template <class... Parts>
  void all(Parts&... parts) const {
    ((*this)(parts), ...);
  }
};

}  // namespace

void shift_spans(Plan& plan, std::uint32_t base) {
  const SpanShifter shift{base};
  if (plan.header)
    shift.all(plan.header->span, plan.header->calendar_span, plan.header->rounding_span);
  for (auto& d : plan.sources) {
    shift.all(d.span, d.name_span);
    for (auto& o : d.options) shift(o.span);
    for (auto& f : d.fields) {
      shift.all(f.span, f.name_span, f.type);
      for (auto& o : f.options) shift(o.span);
    }
  }
  for (auto& d : plan.credits) {
    shift.all(d.span, d.name_span, d.source_span, d.amount, d.where, d.on);
    for (auto& l : d.lines) shift.all(l.span, l.payee, l.share);
  }
  for (auto& d : plan.values) shift.all(d.span, d.name_span, d.type, d.value);
  for (auto& d : plan.payouts)
    shift.all(d.span, d.name_span, d.for_role, d.when, d.value, d.cap, d.floor, d.pay_min,
              d.pay_max);
  for (auto& d : plan.tables) {
    shift.all(d.span, d.name_span, d.type, d.source_span, d.value);
    for (auto& k : d.key_spans) shift(k);
  }
  for (auto& d : plan.territories) shift.all(d.span, d.name_span, d.predicate, d.owner, d.priority);
  for (auto& d : plan.territory_sets)
    shift.all(d.span, d.source_span, d.match, d.owner, d.priority, d.label);
  for (auto& d : plan.rates) {
    shift.all(d.span, d.name_span, d.on);
    for (auto& r : d.rows) shift.all(r.span, r.lower, r.upper, r.key, r.value);
  }
  for (auto& d : plan.draws) shift.all(d.span, d.name_span, d.for_role, d.when, d.amount, d.limit);
  for (auto& d : plan.clawbacks) shift.all(d.span, d.payout_span, d.when, d.share);
  for (auto& d : plan.functions) {
    shift.all(d.span, d.name_span, d.result, d.body);
    for (auto& [name, type] : d.params) shift(type);
    for (auto& p : d.param_spans) shift(p);
  }
  for (auto& d : plan.tests) {
    shift(d.span);
    for (auto& st : d.statements) {
      shift.all(st.span, st.expect);
      for (auto& [name, value] : st.fields) shift(value);
    }
  }
  for (auto& d : plan.imports) shift(d.span);
  for (auto& c : plan.comments) shift(c.span);
}

void append_declarations(Plan& into, Plan&& imported) {
  auto move_all = [](auto& to, auto& from) {
    const std::size_t offset = to.size();
    for (auto& d : from) to.push_back(std::move(d));
    return offset;
  };
  const std::size_t offsets[] = {0,  // header: not carried over
                                 move_all(into.sources, imported.sources),
                                 move_all(into.credits, imported.credits),
                                 move_all(into.values, imported.values),
                                 move_all(into.payouts, imported.payouts),
                                 move_all(into.tables, imported.tables),
                                 move_all(into.territories, imported.territories),
                                 move_all(into.territory_sets, imported.territory_sets),
                                 move_all(into.rates, imported.rates),
                                 move_all(into.draws, imported.draws),
                                 move_all(into.clawbacks, imported.clawbacks),
                                 move_all(into.functions, imported.functions),
                                 move_all(into.tests, imported.tests),
                                 move_all(into.imports, imported.imports)};
  for (const DeclRef& ref : imported.order) {
    if (ref.kind == DeclKind::header) continue;
    into.order.push_back(
        DeclRef{ref.kind, ref.index + offsets[static_cast<std::size_t>(ref.kind)]});
  }
}

}  // namespace tally::ast
