// Plan functions: typed parameters, a result declared or inferred from the
// body, and no recursion (plans always terminate).
#include <algorithm>
#include <string>

#include "interpreter/checker_internal.hpp"
#include "interpreter/type_rules.hpp"
#include "stdlib/builtins.hpp"

namespace tally::checking {

int Checker::find_function(const std::string& name) const {
  for (std::size_t i = 0; i < m_.functions.size(); ++i)
    if (m_.functions[i].decl->name == name) return static_cast<int>(i);
  return -1;
}

void Checker::declare_functions() {
  for (const ast::FnDecl& decl : m_.ast.functions) {
    // A plan may define its own version of a library function (`fn prorate`),
    // which its calls then use; the native builtins and aggregates keep their names.
    const bool native =
        find_builtin(decl.name) || decl.name == "sum" || decl.name == "count" || decl.name == "avg";
    if (native)
      error(decl.name_span, "`" + decl.name + "` is a function of the standard library",
            "choose another name");
    else if (value_index_.count(decl.name) || find_source(decl.name) >= 0 ||
             find_table(decl.name) >= 0 || find_rates(decl.name) >= 0 ||
             find_function(decl.name) >= 0)
      error(decl.name_span, "`" + decl.name + "` is already declared");
    FunctionModel function;
    function.decl = &decl;
    for (std::size_t i = 0; i < decl.params.size(); ++i) {
      const auto& [name, ref] = decl.params[i];
      for (std::size_t j = 0; j < i; ++j)
        if (decl.params[j].first == name)
          error(i < decl.param_spans.size() ? decl.param_spans[i] : decl.name_span,
                "parameter `" + name + "` appears twice in fn `" + decl.name + "`");
      std::shared_ptr<const RecordShape> shape;
      function.params.push_back(resolve_type(ref, &shape).value_or(Type::of(Kind::error)));
      function.param_shapes.push_back(std::move(shape));
    }
    function.result = Type::of(Kind::error);
    if (decl.result)
      function.result =
          resolve_type(*decl.result, &function.result_shape).value_or(Type::of(Kind::error));
    m_.functions.push_back(std::move(function));
  }
  function_state_.assign(m_.functions.size(), 0);
  function_used_.assign(m_.functions.size(), false);
}

void Checker::check_functions() {
  for (std::size_t i = 0; i < m_.functions.size(); ++i) check_function(static_cast<int>(i));
}

void Checker::check_function(int index) {
  if (function_state_[index] != 0) return;  // done, or in progress (the caller reports the cycle)
  function_state_[index] = 1;
  FunctionModel& function = m_.functions[index];
  const ast::FnDecl& decl = *function.decl;
  std::vector<Local> locals;
  for (std::size_t i = 0; i < decl.params.size(); ++i)
    locals.push_back(Local{decl.params[i].first, function.params[i], function.param_shapes[i],
                           Binding::fn_parameter, static_cast<int>(i)});
  // A pure function: its parameters, constant lets, other functions and the
  // library; no payee, period or row.
  Scope scope;
  scope.context = Context::constant;
  scope.locals = &locals;
  function_stack_.push_back(decl.name);
  Type body = Type::of(Kind::error);
  if (decl.body) {
    const bool optional_result = decl.result && function.result.optional;
    body = optional_result ? check(*decl.body, scope) : operand(*decl.body, scope);
  }
  function_stack_.pop_back();
  if (decl.result) {
    if (decl.body && body.kind != Kind::error && function.result.kind != Kind::error &&
        !assignable(body.as_optional(false), function.result.as_optional(false)))
      error(decl.body->span, "fn `" + decl.name + "` is declared to return " +
                                 type_name(function.result) + " but its body gives " +
                                 type_name(body));
  } else {
    function.result = body;
    if (decl.body)
      if (auto shape = m_.record_shapes.find(decl.body.get()); shape != m_.record_shapes.end())
        function.result_shape = shape->second;
  }
  function_state_[index] = 2;
}

Type Checker::check_function_call(const ast::Expr& e, int function, Scope& scope) {
  function_used_[function] = true;
  const std::string& name = e.text;
  ExprInfo& info = m_.info[&e];
  info.binding = Binding::fn_call;
  info.index = function;
  for (const auto& arg : e.args) check(*arg, scope);
  // The body first: its result type, and a cycle if we are inside it.
  const auto on_stack = std::find(function_stack_.begin(), function_stack_.end(), name);
  if (on_stack != function_stack_.end()) {
    std::string chain;
    for (auto it = on_stack; it != function_stack_.end(); ++it) chain += *it + " → ";
    error(e.span,
          "fn `" + name + "` calls itself (" + chain + name + "); functions cannot be recursive",
          "write the repetition out, or use a rates table for tiers");
    return Type::of(Kind::error);
  }
  check_function(function);
  const FunctionModel& model = m_.functions[function];
  const auto& params = model.decl->params;
  if (has_named_arguments(e)) error(e.span, "`" + name + "` takes its arguments in order");
  if (e.args.size() != params.size()) {
    std::string signature = name + "(";
    for (std::size_t i = 0; i < params.size(); ++i)
      signature += (i ? ", " : "") + params[i].first + ": " + type_name(model.params[i]);
    signature += ")";
    error(e.span,
          "`" + name + "` takes " + std::to_string(params.size()) + " argument" +
              (params.size() == 1 ? "" : "s") + ", found " + std::to_string(e.args.size()),
          "it is declared as " + signature);
    return model.result;
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const ast::Expr& arg = *e.args[i];
    const Type t = m_.info_of(arg).type;
    const Type& expected = model.params[i];
    if (t.kind == Kind::error || expected.kind == Kind::error) continue;
    if (t.optional && !expected.optional && arg.kind != ast::ExprKind::null) {
      error(arg.span,
            "`" + text_of(arg) + "` is optional (" + type_name(t) + ") and may be null here",
            "use `" + text_of(arg) + " ?? default`");
      continue;
    }
    if (arg.kind == ast::ExprKind::null) {
      if (!expected.optional)
        error(arg.span, "parameter `" + params[i].first + "` of `" + name + "` is " +
                            type_name(expected) + " and cannot be null");
      continue;
    }
    if (!assignable(t.as_optional(false), expected.as_optional(false))) {
      error(arg.span, "parameter `" + params[i].first + "` of `" + name + "` is " +
                          type_name(expected) + ", found " + type_name(t));
      continue;
    }
    if (expected.kind == Kind::record && model.param_shapes[i]) {
      const auto found = m_.record_shapes.find(&arg);
      if (found == m_.record_shapes.end() || !found->second) continue;
      // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
      for (const auto& shape_field : model.param_shapes[i]->fields) {
        const auto& field = shape_field.first;
        const auto& field_type = shape_field.second;
        const auto& have = found->second->fields;
        const auto it =
            std::find_if(have.begin(), have.end(), [&](const auto& f) { return f.first == field; });
        if (it == have.end())
          error(arg.span,
                "the record passed as `" + params[i].first + "` has no field `" + field + "`");
        else if (it->second.kind != Kind::error && !assignable(it->second, field_type))
          error(arg.span, "field `" + field + "` of the record passed as `" + params[i].first +
                              "` must be " + type_name(field_type) + ", found " +
                              type_name(it->second));
      }
    }
  }
  if (model.result_shape) m_.record_shapes[&e] = model.result_shape;
  return model.result;
}

}  // namespace tally::checking
