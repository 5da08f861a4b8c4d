#include "interpreter/bytecode_verifier.hpp"

#include <algorithm>
#include <array>

namespace tally {

namespace {

constexpr std::size_t kOpCount = 0
#define TALLY_OP(name, operands, effect) +1
#include "interpreter/opcodes.def"
#undef TALLY_OP
    ;

/// What an operand field must hold.
enum class Reg : std::uint8_t {
  none,     ///< unused: not checked
  any,      ///< a register of the chunk, of any type
  boolean,  ///< a register of that type ...
  integer,
  decimal,
  date,
  period,
  symbol,
  number,  ///< an integer or decimal register
};

enum class Imm : std::uint8_t {
  free,         ///< not an index: not checked
  constant,     ///< Chunk::constants
  symbol_text,  ///< Chunk::constants, a text constant
  set,          ///< Chunk::sets
  tiers,        ///< Chunk::tiers
  symbol_reg,   ///< a symbol register
  field,        ///< a column of a source
  roster_field,
  aggregate,
  table,
  value3,   ///< value k / 3, window k % 3
  value42,  ///< value k / 42, forecast settings k % 42
  payout3,  ///< payout k / 3, window k % 3
  small,    ///< 0 .. limit
};

struct Shape {
  Reg d = Reg::none;
  Reg a = Reg::none;
  Reg b = Reg::none;
  Imm k = Imm::free;
  std::uint32_t limit = 0;  ///< for Imm::small: the largest value
};

constexpr std::uint32_t kLastCompare = 5;
constexpr std::uint32_t kLastRounding = static_cast<std::uint32_t>(RoundingMode::ceiling);
constexpr std::uint32_t kLastCreditAttr = static_cast<std::uint32_t>(CreditAttr::period);

Shape shape_of(OpCode op) {
  using R = Reg;
  using I = Imm;
  switch (op) {
    case OpCode::CONST:
      return {R::any, R::none, R::none, I::constant};
    case OpCode::MOVE:
      return {R::any, R::any};
    case OpCode::LOAD_FIELD:
    case OpCode::LOAD_CREDIT_FIELD:
      return {R::any, R::none, R::none, I::field};
    case OpCode::LOAD_CREDIT:
      return {R::any, R::none, R::none, I::small, kLastCreditAttr};
    case OpCode::LOAD_PAYEE_FIELD:
      return {R::any, R::none, R::none, I::roster_field};
    case OpCode::LOAD_PERIOD:
      return {R::period};
    case OpCode::LOAD_AGGREGATE:
      return {R::number, R::none, R::none, I::aggregate};
    case OpCode::LOAD_TABLE:
      return {R::number, R::none, R::none, I::table};
    case OpCode::IS_NULL_FIELD:
      return {R::boolean};  // a and k: checked in check_special
    case OpCode::ADD_DEC:
    case OpCode::SUB_DEC:
    case OpCode::MUL_DEC:
    case OpCode::DIV_DEC:
    case OpCode::MIN_DEC:
    case OpCode::MAX_DEC:
      return {R::decimal, R::decimal, R::decimal};
    case OpCode::NEG_DEC:
    case OpCode::ABS_DEC:
      return {R::decimal, R::decimal};
    case OpCode::ROUND_DEC:
      return {R::decimal, R::decimal, R::decimal, I::small, kLastRounding};
    case OpCode::APPLY_RATES:
      return {R::decimal, R::decimal, R::none, I::tiers};
    case OpCode::INT_TO_DEC:
      return {R::decimal, R::integer};
    case OpCode::ADD_INT:
    case OpCode::SUB_INT:
    case OpCode::MUL_INT:
      return {R::integer, R::integer, R::integer};
    case OpCode::NEG_INT:
      return {R::integer, R::integer};
    case OpCode::CMP_DEC:
      return {R::boolean, R::decimal, R::decimal, I::small, kLastCompare};
    case OpCode::CMP_INT:
      return {R::boolean, R::integer, R::integer, I::small, kLastCompare};
    case OpCode::CMP_DATE:
      return {R::boolean, R::date, R::date, I::small, kLastCompare};
    case OpCode::CMP_PERIOD:
      return {R::boolean, R::period, R::period, I::small, kLastCompare};
    case OpCode::CMP_SYM:
      return {R::boolean, R::symbol, R::symbol, I::small, kLastCompare};
    case OpCode::CMP_BOOL:
      return {R::boolean, R::boolean, R::boolean, I::small, kLastCompare};
    case OpCode::IN_SYMS:
      return {R::boolean, R::symbol, R::none, I::set};
    case OpCode::IN_DECS:
    case OpCode::IN_RANGE_DEC:
      return {R::boolean, R::decimal, R::none, I::set};
    case OpCode::NOT:
      return {R::boolean, R::boolean};
    case OpCode::AND:
    case OpCode::OR:
      return {R::boolean, R::boolean, R::boolean};
    case OpCode::SELECT_TRUE:
    case OpCode::SELECT_FALSE:
      return {R::none, R::boolean};
    case OpCode::SELECT_POP:
      return {};
    case OpCode::SELECT_SYM_EQ:
    case OpCode::SELECT_SYM_NE:
      return {R::none, R::symbol, R::none, I::symbol_text};
    case OpCode::PERIOD_OF:
      return {R::period, R::date};
    case OpCode::ADD_DAYS:
      return {R::date, R::date, R::integer, I::small, 1};
    case OpCode::DAYS_BETWEEN:
      return {R::integer, R::date, R::date};
    case OpCode::DATE_PART:
      return {R::integer, R::date, R::none, I::small, 2};
    case OpCode::ADD_MONTHS:
      return {R::date, R::date, R::integer};
    case OpCode::TEXT_CASE:
      return {R::symbol, R::symbol, R::none, I::small, 1};
    case OpCode::TEXT_HAS:
      return {R::boolean, R::symbol, R::symbol, I::small, 1};
    case OpCode::PERIOD_DAYS:
      return {R::integer, R::period};
    case OpCode::LOAD_TERRITORY:
      return {R::symbol, R::none, R::none, I::small, 2};
    case OpCode::LOAD_PAIR_FIELD:
      return {R::any, R::none, R::none, I::field};
    case OpCode::IN_LIST_FIELD:
      return {R::boolean, R::symbol, R::none, I::field};
    case OpCode::IN_NAMED_LIST:
      return {R::boolean, R::symbol, R::none, I::symbol_text};
    case OpCode::FX_CONVERT:
      return {R::decimal, R::decimal, R::date, I::set};
    case OpCode::FX_TO_PLAN:
      return {R::decimal, R::decimal, R::date, I::symbol_reg};
    case OpCode::TABLE_GET:
      return {R::number, R::none, R::none, I::table};  // keys: any types, per table
    case OpCode::TABLE_ROLLUP:
      return {R::number, R::none, R::none, I::table};
    case OpCode::MONTHS_EMPLOYED:
      return {R::integer, R::symbol};
    case OpCode::EMPLOYMENT_DAY:
      return {R::date, R::none, R::none, I::small, 1};
    case OpCode::DAYS_COVERED:
      return {R::integer, R::none, R::none, I::small, 1};
    case OpCode::ALLOCATE_EVEN:
      return {R::decimal, R::decimal, R::decimal, I::small, kLastRounding};
    case OpCode::PERIOD_INDEX:
      return {R::integer, R::period};
    case OpCode::CHECK_WEIGHTS:
      return {R::none, R::decimal};
    case OpCode::TIER_OF:
      return {R::integer, R::decimal, R::none, I::tiers};
    case OpCode::LOOKUP_MISSING:
      return {R::none, R::any, R::none, I::symbol_text};
    case OpCode::LOAD_CUMULATIVE:
      return {R::number, R::number, R::none, I::value3};
    case OpCode::LOAD_FORECAST:
      return {R::number, R::number, R::decimal, I::value42};
    case OpCode::LOAD_PAID_BEFORE:
      return {R::number, R::none, R::none, I::payout3};
    case OpCode::FIELD_PRESENT:
      return {R::boolean, R::none, R::none, I::field};
  }
  return {};
}

std::string_view reg_wanted(Reg want) {
  switch (want) {
    case Reg::boolean:
      return "bool";
    case Reg::integer:
      return "int";
    case Reg::decimal:
      return "decimal";
    case Reg::date:
      return "date";
    case Reg::period:
      return "period";
    case Reg::symbol:
      return "symbol";
    case Reg::number:
      return "int or decimal";
    default:
      return "any";
  }
}

bool fits(Reg want, RegType have) {
  switch (want) {
    case Reg::none:
    case Reg::any:
      return true;
    case Reg::boolean:
      return have == RegType::boolean;
    case Reg::integer:
      return have == RegType::integer;
    case Reg::decimal:
      return have == RegType::decimal;
    case Reg::date:
      return have == RegType::date;
    case Reg::period:
      return have == RegType::period;
    case Reg::symbol:
      return have == RegType::symbol;
    case Reg::number:
      return have == RegType::integer || have == RegType::decimal;
  }
  return false;
}

class ChunkVerifier {
 public:
  ChunkVerifier(const Chunk& chunk, const VerifyBounds& bounds) : chunk_(chunk), bounds_(bounds) {}

  std::optional<VerifyFailure> run() {
    if (chunk_.spans.size() != chunk_.code.size())
      return failure(chunk_.code.size(), std::to_string(chunk_.code.size()) + " instructions but " +
                                             std::to_string(chunk_.spans.size()) + " spans");
    if (chunk_.registers.size() > Chunk::kMaxRegisters)
      return failure(chunk_.code.size(),
                     std::to_string(chunk_.registers.size()) + " registers, more than 65,535");
    std::size_t depth = 0;
    for (std::size_t pc = 0; pc < chunk_.code.size(); ++pc) {
      const Instr& in = chunk_.code[pc];
      if (static_cast<std::size_t>(in.op) >= kOpCount)
        return failure(pc, "unknown opcode " + std::to_string(static_cast<int>(in.op)));
      if (auto problem = check(in)) return failure(pc, *problem);
      if (in.op == OpCode::SELECT_TRUE || in.op == OpCode::SELECT_FALSE ||
          in.op == OpCode::SELECT_SYM_EQ || in.op == OpCode::SELECT_SYM_NE)
        ++depth;
      if (in.op == OpCode::SELECT_POP) {
        if (depth == 0) return failure(pc, "SELECT_POP without a SELECT before it");
        --depth;
      }
    }
    return std::nullopt;
  }

 private:
  VerifyFailure failure(std::size_t pc, std::string message) const {
    return VerifyFailure{chunk_.name, pc, std::move(message)};
  }

  std::optional<std::string> reg(char field, std::uint16_t index, Reg want) const {
    if (want == Reg::none) return std::nullopt;
    if (index >= chunk_.registers.size())
      return std::string("register ") + field + " = " + std::to_string(index) + " is past the " +
             std::to_string(chunk_.registers.size()) + " registers of the chunk";
    const RegType have = chunk_.registers[index];
    if (!fits(want, have))
      return std::string("register ") + field + " = " + std::to_string(index) + " is " +
             std::string(reg_type_name(have)) + ", the opcode needs " +
             std::string(reg_wanted(want));
    return std::nullopt;
  }

  static std::optional<std::string> within(std::uint32_t k, std::size_t count, const char* what) {
    if (count == VerifyBounds::kUnknown || k < count) return std::nullopt;
    return "k = " + std::to_string(k) + " is past the " + std::to_string(count) + " " + what;
  }

  std::optional<std::string> imm(const Instr& in, const Shape& s) const {
    switch (s.k) {
      case Imm::free:
        return std::nullopt;
      case Imm::constant:
        return within(in.k, chunk_.constants.size(), "constants");
      case Imm::symbol_text:
        if (auto p = within(in.k, chunk_.constants.size(), "constants")) return p;
        if (chunk_.constants[in.k].type != RegType::symbol)
          return "constant k = " + std::to_string(in.k) + " is not text";
        return std::nullopt;
      case Imm::set:
        return within(in.k, chunk_.sets.size(), "constant sets");
      case Imm::tiers:
        return within(in.k, chunk_.tiers.size(), "rate tables");
      case Imm::symbol_reg:
        if (in.k > 0xFFFF) return "k = " + std::to_string(in.k) + " is not a register number";
        return reg('k', static_cast<std::uint16_t>(in.k), Reg::symbol);
      case Imm::field:
        return within(in.k, bounds_.fields, "fields of the widest source");
      case Imm::roster_field:
        return within(in.k, bounds_.roster_fields, "fields of the roster");
      case Imm::aggregate:
        return within(in.k, bounds_.aggregates, "aggregates");
      case Imm::table:
        return within(in.k, bounds_.tables, "tables");
      case Imm::value3:
        return within(in.k / 3, bounds_.values, "values (k / 3)");
      case Imm::value42:
        return within(in.k / 42, bounds_.values, "values (k / 42)");
      case Imm::payout3:
        return within(in.k / 3, bounds_.payouts, "payouts (k / 3)");
      case Imm::small:
        if (in.k > s.limit)
          return "k = " + std::to_string(in.k) + " is out of range (0 to " +
                 std::to_string(s.limit) + ")";
        return std::nullopt;
    }
    return std::nullopt;
  }

  /// The operand rules that depend on another operand.
  std::optional<std::string> check_special(const Instr& in) const {
    auto same_type = [&](std::uint16_t x, RegType want,
                         const char* what) -> std::optional<std::string> {
      if (chunk_.registers[x] != want)
        return std::string(what) + " is " + std::string(reg_type_name(chunk_.registers[x])) +
               ", not " + std::string(reg_type_name(want));
      return std::nullopt;
    };
    switch (in.op) {
      case OpCode::CONST:
        return same_type(in.d, chunk_.constants[in.k].type, "register d");
      case OpCode::MOVE:
        return same_type(in.a, chunk_.registers[in.d], "register a");
      case OpCode::LOAD_CREDIT: {
        static constexpr std::array<RegType, 5> kAttr = {
            RegType::decimal, RegType::decimal, RegType::symbol, RegType::date, RegType::period};
        return same_type(in.d, kAttr[in.k], "register d");
      }
      case OpCode::LOAD_CUMULATIVE:
      case OpCode::LOAD_FORECAST:
        return same_type(in.a, chunk_.registers[in.d], "register a");
      case OpCode::IS_NULL_FIELD:
        if (in.a > 2) return "a = " + std::to_string(in.a) + " is out of range (0 to 2)";
        return within(in.k, in.a == 2 ? bounds_.roster_fields : bounds_.fields, "fields");
      case OpCode::APPLY_RATES:
      case OpCode::TIER_OF:
        if (chunk_.tiers[in.k].has_base) return reg('b', in.b, Reg::decimal);
        return std::nullopt;
      case OpCode::LOAD_TERRITORY:
        if (in.k == 2) return reg('a', in.a, Reg::symbol);
        return std::nullopt;
      case OpCode::LOAD_PAIR_FIELD:
      case OpCode::FIELD_PRESENT:
        if (in.a > 1) return "a = " + std::to_string(in.a) + " is out of range (0 to 1)";
        return std::nullopt;
      case OpCode::IN_LIST_FIELD:
        if (in.b > 4) return "b = " + std::to_string(in.b) + " is out of range (0 to 4)";
        return std::nullopt;
      case OpCode::DAYS_COVERED:
        if (in.k != 0) return std::nullopt;
        if (auto p = reg('a', in.a, Reg::date)) return p;
        return reg('b', in.b, Reg::date);
      case OpCode::TABLE_GET:
        return reg('a', in.a, Reg::any);
      default:
        return std::nullopt;
    }
  }

  std::optional<std::string> check(const Instr& in) const {
    const Shape s = shape_of(in.op);
    if (auto p = reg('d', in.d, s.d)) return p;
    if (auto p = reg('a', in.a, s.a)) return p;
    if (auto p = reg('b', in.b, s.b)) return p;
    if (auto p = imm(in, s)) return p;
    return check_special(in);
  }

  const Chunk& chunk_;
  const VerifyBounds& bounds_;
};

/// Checks a register the engine reads after a chunk ran.
std::optional<VerifyFailure> result_register(const Chunk& chunk, std::uint16_t index,
                                             std::optional<RegType> want, const char* what) {
  if (index >= chunk.registers.size())
    return VerifyFailure{chunk.name, chunk.code.size(),
                         std::string(what) + " register " + std::to_string(index) +
                             " is past the " + std::to_string(chunk.registers.size()) +
                             " registers of the chunk"};
  if (want && chunk.registers[index] != *want)
    return VerifyFailure{chunk.name, chunk.code.size(),
                         std::string(what) + " register " + std::to_string(index) + " is " +
                             std::string(reg_type_name(chunk.registers[index])) + ", not " +
                             std::string(reg_type_name(*want))};
  return std::nullopt;
}

}  // namespace

VerifyBounds VerifyBounds::of(const PlanModel& model) {
  VerifyBounds bounds;
  bounds.fields = 0;
  for (const SourceModel& source : model.sources)
    bounds.fields = std::max(bounds.fields, source.schema.fields.size());
  if (model.roster >= 0)
    bounds.roster_fields =
        model.sources[static_cast<std::size_t>(model.roster)].schema.fields.size();
  bounds.aggregates = model.aggregates.size();
  bounds.tables = model.tables.size();
  bounds.values = model.values.size();
  bounds.payouts = model.payouts.size();
  for (const ValueModel& value : model.values)
    bounds.measures.push_back(value.decl && value.decl->is_measure ? 1 : 0);
  return bounds;
}

std::string VerifyFailure::describe() const {
  return "chunk \"" + chunk + "\", instruction " + std::to_string(pc) + ": " + message;
}

std::optional<VerifyFailure> verify_chunk(const Chunk& chunk, const VerifyBounds& bounds) {
  return ChunkVerifier(chunk, bounds).run();
}

std::optional<VerifyFailure> verify_program(const Program& program, const VerifyBounds& bounds) {
  using T = RegType;
  for (const CompiledRule& rule : program.rules) {
    const Chunk& c = rule.chunk;
    if (auto f = verify_chunk(c, bounds)) return f;
    if (auto f = result_register(c, rule.date_reg, T::date, "the credit date")) return f;
    if (auto f = result_register(c, rule.amount_reg, T::decimal, "the credit amount")) return f;
    for (const CompiledRule::Line& line : rule.lines) {
      if (auto f = result_register(c, line.payee_reg, T::symbol, "a credit line's payee")) return f;
      if (auto f = result_register(c, line.share_reg, T::decimal, "a credit line's share"))
        return f;
      if (line.managers && !line.to_role)
        if (auto f = result_register(c, line.levels_reg, T::integer, "a credit line's levels"))
          return f;
    }
  }
  for (const CompiledAggregate& aggregate : program.aggregates) {
    if (auto f = verify_chunk(aggregate.chunk, bounds)) return f;
    if (aggregate.kind != AggregateKind::count)
      if (auto f = result_register(aggregate.chunk, aggregate.value_reg, aggregate.value_type,
                                   "the aggregated value"))
        return f;
  }
  const CompiledPayouts& payouts = program.payouts;
  const Chunk& pc = payouts.chunk;
  if (auto f = verify_chunk(pc, bounds)) return f;
  // Other lets are computed where a payout needs them; their entry is a
  // placeholder the engine never reads.
  auto check_value = [&](std::size_t v) -> std::optional<VerifyFailure> {
    if (v >= payouts.value_regs.size())
      return VerifyFailure{pc.name, pc.code.size(),
                           "value " + std::to_string(v) + " has no register entry"};
    return result_register(pc, payouts.value_regs[v], std::nullopt, "a measure's or kept value's");
  };
  for (std::size_t v = 0; v < bounds.measures.size(); ++v)
    if (bounds.measures[v])
      if (auto f = check_value(v)) return f;
  for (int v : payouts.cumulative_values)
    if (auto f = check_value(static_cast<std::size_t>(v))) return f;
  for (const CompiledPayouts::Payout& p : payouts.payouts) {
    if (p.guarded)
      if (auto f = result_register(pc, p.guard_reg, T::boolean, "a payout's guard")) return f;
    if (auto f = result_register(pc, p.amount_reg, T::decimal, "a payout's amount")) return f;
    if (p.cap_carried)
      if (auto f = result_register(pc, p.cap_reg, T::decimal, "a payout's cap")) return f;
    if (p.floor_yearly)
      if (auto f = result_register(pc, p.floor_reg, T::decimal, "a payout's floor")) return f;
    if (p.pay_min)
      if (auto f = result_register(pc, p.pay_min_reg, T::decimal, "a payout's pay min")) return f;
    if (p.pay_max)
      if (auto f = result_register(pc, p.pay_max_reg, T::decimal, "a payout's pay max")) return f;
  }
  for (const CompiledPayouts::Draw& d : payouts.draws) {
    if (d.guarded)
      if (auto f = result_register(pc, d.guard_reg, T::boolean, "a draw's guard")) return f;
    if (auto f = result_register(pc, d.amount_reg, T::decimal, "a draw's amount")) return f;
    if (d.limited)
      if (auto f = result_register(pc, d.limit_reg, T::decimal, "a draw's limit")) return f;
  }
  for (const Program::TableChunk& table : program.table_chunks) {
    if (auto f = verify_chunk(table.chunk, bounds)) return f;
    if (auto f = result_register(table.chunk, table.value_reg, std::nullopt, "a table's value"))
      return f;
  }
  const CompiledTerritories& territories = program.territories;
  if (auto f = verify_chunk(territories.chunk, bounds)) return f;
  for (const CompiledTerritory& t : territories.declared) {
    if (auto f = result_register(territories.chunk, t.match_reg, T::boolean, "a territory's match"))
      return f;
    if (t.has_owner)
      if (auto f =
              result_register(territories.chunk, t.owner_reg, T::symbol, "a territory's owner"))
        return f;
  }
  for (const CompiledTerritorySet& set : territories.sets) {
    if (auto f = verify_chunk(set.chunk, bounds)) return f;
    if (auto f = result_register(set.chunk, set.owner_reg, T::symbol, "a territory map's owner"))
      return f;
    if (set.has_priority)
      if (auto f = result_register(set.chunk, set.priority_reg, T::integer,
                                   "a territory map's priority"))
        return f;
    if (set.has_name)
      if (auto f = result_register(set.chunk, set.name_reg, T::symbol, "a territory map's name"))
        return f;
  }
  for (const Program::Clawback& clawback : program.clawbacks) {
    const Chunk& c = clawback.chunk;
    if (auto f = verify_chunk(c, bounds)) return f;
    if (clawback.dated)
      if (auto f = result_register(c, clawback.date_reg, T::date, "a clawback's date")) return f;
    if (clawback.date_optional)
      if (auto f = result_register(c, clawback.date_present_reg, T::boolean,
                                   "a clawback's date presence"))
        return f;
    if (auto f = result_register(c, clawback.share_reg, T::decimal, "a clawback's share")) return f;
  }
  return std::nullopt;
}

}  // namespace tally
