// Explaining a value and evaluating an expression.
#include <string>

#include "capi/call_guard.hpp"
#include "capi/handles.hpp"
#include "tally/json.hpp"

using tally::capi::fail;
using tally::capi::guarded;
using tally::capi::null_argument;

extern "C" {

tally_status tally_explain(const tally_engine* engine, const tally_plan* plan,
                           const tally_options* options, const char* payee, const char* period,
                           const char* name, char** out) {
  const char* f = "tally_explain";
  return guarded(f, [&] {
    if (!out) return null_argument(f, "out");
    *out = nullptr;
    if (!engine) return null_argument(f, "engine");
    if (!plan) return null_argument(f, "plan");
    if (!payee) return null_argument(f, "payee");
    if (!period) return null_argument(f, "period");
    if (!name) return null_argument(f, "name");
    if (!plan->plan) return fail(TALLY_PLAN_ERROR, "tally_explain: the plan did not compile");
    static const tally_options defaults;
    const tally::Explanation explanation = engine->engine.explain(
        *plan->plan, options ? options->run : defaults.run, payee, period, name);
    char* json = tally::capi::owned_copy(tally::to_json(explanation).dump());
    *out = json;
    if (explanation.ok) return TALLY_OK;
    std::string why = "no explanation";
    for (const auto& m : explanation.messages)
      if (m.severity == tally::Message::Severity::error) {
        why = m.rendered.empty() ? m.text : m.rendered;
        break;
      }
    return fail(TALLY_DATA_ERROR, why);
  });
}

tally_status tally_evaluate(const tally_engine* engine, const char* expression, char** value,
                            char** type) {
  const char* f = "tally_evaluate";
  return guarded(f, [&] {
    if (!value) return null_argument(f, "value");
    *value = nullptr;
    if (type) *type = nullptr;
    if (!engine) return null_argument(f, "engine");
    if (!expression) return null_argument(f, "expression");
    const tally::EvalResult result = engine->engine.evaluate(expression);
    if (!result.ok) {
      std::string why = "the expression has errors";
      for (const auto& m : result.messages)
        if (m.severity == tally::Message::Severity::error) {
          why = m.rendered.empty() ? m.text : m.rendered;
          break;
        }
      return fail(TALLY_PLAN_ERROR, why);
    }
    char* v = tally::capi::owned_copy(result.value);
    if (type) {
      try {
        *type = tally::capi::owned_copy(result.type);
      } catch (...) {
        tally_free_string(v);
        throw;
      }
    }
    *value = v;
    return TALLY_OK;
  });
}

}  // extern "C"
