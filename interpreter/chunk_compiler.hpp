// The expression compiler shared by every stage: turns one typed expression
// of a PlanModel into register instructions appended to a Chunk. The stage
// compilers (compiler.cpp) drive it; each family of calls compiles in its own
// file (compile_calls.cpp for builtins and the library, and one file per
// construct that needs its own instructions), all as members of this class.
#pragma once

#include <cstdint>
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
  void select_pop(Span span);
  /// Records a construct the engine cannot run yet; returns a placeholder
  /// register so that compilation can go on and report the others.
  std::uint16_t not_yet(Span span, std::string what, const Type& type);
  /// The value of a literal (number, percent or money, maybe negated), or
  /// nullopt for anything else.
  static std::optional<Decimal> literal_decimal(const ast::Expr* e);

 private:
  const PlanModel& m_;
  Chunk& c_;
  std::vector<Unsupported>* unsupported_;
  const std::unordered_map<int, Constant>* known_;     // constant lets folded at compile time
  std::vector<std::vector<std::uint16_t>> arguments_;  // registers of the parameters of inlined fns

  // chunk_compiler.cpp: literals, names, operators
  std::uint16_t literal(const ast::Expr& e, const Type& type);
  std::uint16_t name(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t load(const ExprInfo& info, Span span);
  std::uint16_t inline_call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t exceptions(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t unary(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t binary(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t membership(std::uint16_t value, const ast::Expr& collection, Span span);

  // compile_calls.cpp: builtins, tables and the library
  std::uint16_t call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t table_call(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t apply_rates(const ast::Expr& e, const ExprInfo& info);
  std::uint16_t library_call(const ast::Expr& e, const ExprInfo& info);

  // compile_territories.cpp

  // compile_crediting.cpp

  // compile_tables.cpp

  // compile_periods.cpp
};

/// Comparison codes carried in Instr::k (0 ==, 1 !=, 2 <, 3 <=, 4 >, 5 >=).
std::uint32_t comparison_code(ast::Op op);

}  // namespace tally
