// The expression compiler shared by every stage: turns one typed expression
// of a PlanModel into register instructions appended to a Chunk. The stage
// compilers (compiler.cpp) drive it; each family of calls compiles in its own
// file (compile_calls.cpp for builtins and the library, and one file per
// construct that needs its own instructions), all as members of this class.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "interpreter/plan_model.hpp"
#include "interpreter/program.hpp"

namespace tally {

class ChunkCompiler {
 public:
  /// `unsupported` collects constructs the engine cannot run (null: ignore);
  /// `known` holds constant lets folded at compile time.
  ChunkCompiler(const PlanModel& model, Chunk& chunk, std::vector<Unsupported>* unsupported,
                const std::unordered_map<int, Constant>* known = nullptr)
      : m_(model), c_(chunk), unsupported_(unsupported), known_(known) {}

  /// Registers that already hold a value (measures and lets in the payout chunk).
  std::unordered_map<int, std::uint16_t> value_regs;
  // when set, expr() records the register of every expression it
  // compiles (explain reads them); expressions found in `given` compile to
  // that constant instead (a test's `expect` over the results of a run).
  std::unordered_map<const ast::Expr*, std::uint16_t>* trace = nullptr;
  const std::unordered_map<const ast::Expr*, Constant>* given = nullptr;

  const PlanModel& model() const { return m_; }
  Chunk& chunk() { return c_; }

  /// Compiles `e`; returns the register holding its value on every active lane.
  std::uint16_t expr(const ast::Expr& e);
  /// A register holding `value` on every active lane.
  std::uint16_t constant(Constant value, Span span);
  /// `reg` as a decimal register, widening an integer.
  std::uint16_t as_decimal(std::uint16_t reg, Span span);
  /// Emits `op d a b k` into a new register of `type`; returns it.
  std::uint16_t op3(OpCode op, RegType type, std::uint16_t a, std::uint16_t b, Span span,
                    std::uint32_t k = 0);
  void select_true(std::uint16_t reg, Span span);
  /// Narrows the active lanes to those where `condition` holds, for good (a
  /// `where` filter): `a and b` selects on a, then on b among those lanes,
  /// without making the `and`'s register over the lanes a left out.
  void select_where(const ast::Expr& condition);
  /// When `flag` was just made by CMP_SYM (== or !=) of a register and a
  /// text constant made just before it, replaces the two by one
  /// SELECT_SYM_EQ / SELECT_SYM_NE on that register; false otherwise.
  bool select_on_text_constant(std::uint16_t flag, Span span);
  void select_pop(Span span);
  /// Records a construct the engine cannot run yet; returns a placeholder
  /// register so that compilation can go on and report the others.
  std::uint16_t not_yet(Span span, std::string what, const Type& type);
  /// A boolean register: true on the lanes where optional expression `e`
  /// is null (`deal.cancelled_on`, `x ?? null`); constant false for a value
  /// that is never null.
  std::uint16_t null_flag(const ast::Expr& e);
  /// The value of a literal (number, percent or money, maybe negated), or
  /// nullopt for anything else.
  static std::optional<Decimal> literal_decimal(const ast::Expr* e);

 private:
  const PlanModel& m_;
  Chunk& c_;
  std::vector<Unsupported>* unsupported_;
  const std::unordered_map<int, Constant>* known_;  // constant lets folded at compile time
  /// A record value at compile time: one register per field, in the order
  /// of its shape; a field that is itself a record has its own RecordValue.
  struct RecordValue {
    std::vector<std::uint16_t> fields;
    std::vector<std::shared_ptr<const RecordValue>> nested;
  };
  using RecordPtr = std::shared_ptr<const RecordValue>;
  /// The parameters of the fns being inlined: a register, or a record.
  struct Argument {
    std::uint16_t reg = 0;
    RecordPtr record;
  };
  std::vector<std::vector<Argument>> arguments_;
  std::unordered_map<int, RecordPtr> record_values_;  // record-valued lets, by value index

  // chunk_compiler.cpp: literals, names, operators
  std::uint16_t compile_expr(const ast::Expr& e);  // expr() without the tests: hooks
  std::uint16_t literal(const ast::Expr& e, const Type& type);
  std::uint16_t name(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t load(const ExprInfo& info, Span span);
  std::uint16_t inline_call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t exceptions(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t unary(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t binary(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t membership(std::uint16_t value, const ast::Expr& collection, Span span);
  std::uint16_t coalesce(const ast::Expr& e, const ExprInfo& info);
  /// The registers of record-typed expression `e` (a literal, a record let,
  /// a record parameter or field, a call of an fn returning a record);
  /// null after recording why the engine cannot compile it.
  RecordPtr record(const ast::Expr& e);
  /// `value` (of shape `from`) rearranged into the field order of `to`.
  RecordPtr reshape(const RecordPtr& value, const RecordShape* from, const RecordShape* to);
  /// The arguments of a call of `function`, records rearranged to the
  /// parameters' shapes; nullopt when a record argument cannot be compiled.
  std::optional<std::vector<Argument>> bind_arguments(const ast::Expr& call,
                                                      const FunctionModel& function);

  // compile_calls.cpp: builtins, tables and the library
  std::uint16_t call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t table_call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t apply_rates(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t library_call(const ast::Expr& e, const ExprInfo& info);

  // compile_territories.cpp
  std::uint16_t territory_call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t owner_call(const ast::Expr& e, const ExprInfo& info);
  /// `value in LIST` for a list-valued field (`t.states`) or `list("NAME")`.
  std::uint16_t list_membership(std::uint16_t value, const ast::Expr& list, Span span,
                                const Type& type);

  // compile_crediting.cpp

  // compile_tables.cpp
  std::uint16_t inline_table(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t allocate_call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t rollup_call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t months_employed_call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t prorate_call(const ast::Expr& e, const ExprInfo& info);

 public:
  /// `value` scaled by the days the lane's payee is employed in the period
  /// being paid (a `prorated` goal; `prorate(x)`), or by the days of
  /// [from, to] in it when those registers are given.
  std::uint16_t prorated(std::uint16_t value, Span span, std::optional<std::uint16_t> from = {},
                         std::optional<std::uint16_t> to = {});

 private:
  // compile_rates.cpp
  std::uint16_t tier_of_call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t lookup_call(const ast::Expr& e, const ExprInfo& info);
  /// The bounds of the tiers of rates table `index` (written out, as the
  /// checker requires) and their rates where those are written out too.
  RateTiers tiers_of(int index, bool has_base) const;
  /// `a == b` for two registers of any one representation.
  std::uint16_t equal(std::uint16_t a, std::uint16_t b, Span span);

  // compile_fx.cpp (fx:)
  std::uint16_t convert_call(const ast::Expr& e, const ExprInfo& info);

 public:  // for compile_rule
  /// The amount a credit rule credits, in the plan's currency: `amount`
  /// itself, or, over a source whose rows carry their own currency, it
  /// converted as of `date` (the credit date). fx:
  std::uint16_t credited_in_plan_currency(const CreditRuleModel& rule, std::uint16_t amount,
                                          std::uint16_t date, Span span);

 private:
  // compile_periods.cpp
  std::uint16_t cumulative(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t forecast_of(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t within(const ast::Expr& e);

 public:  // the payouts stage and explain compile lets where needed
  /// Compiles, on the current selection and in dependency order, the values
  /// in `values` and every let that they or `roots` read (directly, through
  /// other lets or through fns), skipping those that already have a register
  /// in `value_regs` or are folded constants.
  void compile_values(const std::vector<int>& values, const std::vector<const ast::Expr*>& roots);
  /// Compiles, on the current selection, the lets `roots` read outside a
  /// narrowing branch (the right side of `and`/`or`/`??`, an `unless` value)
  /// and those read more than once: a let read once inside such a branch is
  /// left for name() to compile there, on the lanes that take the branch.
  void compile_values_read_by(const std::vector<const ast::Expr*>& roots);

 private:
  void lets_read(const ast::Expr& e, std::vector<char>& wanted) const;
  void count_lets(const ast::Expr& e, bool branch, std::vector<int>& top,
                  std::vector<int>& in_branch) const;
};

/// Comparison codes carried in Instr::k (0 ==, 1 !=, 2 <, 3 <=, 4 >, 5 >=).
std::uint32_t comparison_code(ast::Op op);

}  // namespace tally
