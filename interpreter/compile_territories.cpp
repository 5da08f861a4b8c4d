// Territories compiled: territory(row) and owner(...) as loads of what
// territory resolution found, `in` over list-valued fields and named lists,
// the predicates of declared territories as one chunk over the credited
// rows, and each `territories from` set as a chunk over (transaction, map
// row) pairs with the equality keys of its `match` for the engine's index.
#include <algorithm>
#include <set>

#include "interpreter/chunk_compiler.hpp"
#include "interpreter/compiler.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

namespace {

bool is_library_call(const PlanModel& model, const ast::Expr& e, LibraryId id) {
  if (e.kind != ast::ExprKind::call) return false;
  const auto it = model.info.find(&e);
  return it != model.info.end() && it->second.binding == Binding::library_call &&
         it->second.index == static_cast<int>(id);
}

bool is_text_like(const Type& type) {
  return type.kind == Kind::text || type.kind == Kind::payee || type.kind == Kind::territory;
}

/// The equality keys of a `match` condition: the `deal.f == t.g` and
/// `deal.f in t.g` (a list column) tests of its top-level conjunction.
void collect_keys(const PlanModel& model, const ast::Expr& e,
                  std::vector<CompiledTerritorySet::Key>& keys) {
  if (e.kind != ast::ExprKind::binary) return;
  if (e.op == ast::Op::and_) {
    collect_keys(model, *e.args[0], keys);
    collect_keys(model, *e.args[1], keys);
    return;
  }
  if (e.op != ast::Op::eq && e.op != ast::Op::in) return;
  const ExprInfo* left = &model.info_of(*e.args[0]);
  const ExprInfo* right = &model.info_of(*e.args[1]);
  if (e.op == ast::Op::eq && left->binding == Binding::other_row_field) std::swap(left, right);
  if (left->binding != Binding::row_field || right->binding != Binding::other_row_field) return;
  if (!is_text_like(left->type)) return;
  if (e.op == ast::Op::eq && is_text_like(right->type))
    keys.push_back({left->index, right->index, false});
  else if (e.op == ast::Op::in && right->type.kind == Kind::list)
    keys.push_back({left->index, right->index, true});
}

/// Retargets the row loads of a match chunk to the pair's transaction.
bool retarget_to_pairs(Chunk& chunk) {
  for (Instr& in : chunk.code) {
    if (in.op == OpCode::LOAD_FIELD) {
      in.op = OpCode::LOAD_PAIR_FIELD;
      in.a = 0;
    } else if (in.op == OpCode::IN_LIST_FIELD && in.b == 0) {
      in.b = 3;
    } else if (in.op == OpCode::IS_NULL_FIELD && in.a == 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::uint16_t ChunkCompiler::territory_call(const ast::Expr& e, const ExprInfo& info) {
  return op3(OpCode::LOAD_TERRITORY, reg_type_of(info.type), 0, 0, e.span, 0);
}

/// owner(territory(row)): the owner resolution found for the row (k = 1).
/// owner(t) of any other territory value (a `fn` parameter, a `let`, a
/// record field): k = 2 over the register holding t, which takes the row's
/// owner when t is the row's own territory, else the owner of the name t.
std::uint16_t ChunkCompiler::owner_call(const ast::Expr& e, const ExprInfo& info) {
  const ast::Expr* arg = e.args.empty() ? nullptr : e.args[0].get();
  if (!arg) return not_yet(e.span, "owner() without a territory", info.type);
  if (is_library_call(m_, *arg, LibraryId::territory))
    return op3(OpCode::LOAD_TERRITORY, RegType::symbol, 0, 0, e.span, 1);
  const auto territory = expr(*arg);
  return op3(OpCode::LOAD_TERRITORY, RegType::symbol, territory, 0, e.span, 2);
}

std::uint16_t ChunkCompiler::list_membership(std::uint16_t value, const ast::Expr& list, Span span,
                                             const Type& type) {
  const bool textual = c_.registers[value] == RegType::symbol;
  if (textual && is_library_call(m_, list, LibraryId::list) && !list.args.empty() &&
      list.args[0]->kind == ast::ExprKind::string) {
    // The list's name as a text constant: interned per run, it finds the
    // items territory resolution loaded.
    Constant name;
    name.type = RegType::symbol;
    name.text = list.args[0]->text;
    c_.constants.push_back(std::move(name));
    return op3(OpCode::IN_NAMED_LIST, RegType::boolean, value, 0, span,
               static_cast<std::uint32_t>(c_.constants.size() - 1));
  }
  const auto it = m_.info.find(&list);
  if (textual && list.kind == ast::ExprKind::member && it != m_.info.end() &&
      it->second.type.kind == Kind::list) {
    std::uint16_t where = 5;
    switch (it->second.binding) {
      case Binding::row_field:
        where = 0;
        break;
      case Binding::credit_row_field:
        where = 1;
        break;
      case Binding::payee_field:
        where = 2;
        break;
      case Binding::other_row_field:
        where = 4;
        break;
      default:
        break;
    }
    if (where < 5)
      return op3(OpCode::IN_LIST_FIELD, RegType::boolean, value, where, span,
                 static_cast<std::uint32_t>(it->second.index));
  }
  return not_yet(list.span, "`in` over a list that is not written out", type);
}

CompiledTerritories compile_territories(const PlanModel& model,
                                        std::vector<Unsupported>* unsupported,
                                        const std::unordered_map<int, Constant>& known) {
  CompiledTerritories out;
  out.source = model.credited_source;
  std::set<std::string> lists;
  for (const auto& [e, info] : model.info) {
    if (info.binding != Binding::library_call) continue;
    if (info.index == static_cast<int>(LibraryId::territory)) out.used = true;
    if (info.index == static_cast<int>(LibraryId::list) && !e->args.empty() &&
        e->args[0]->kind == ast::ExprKind::string)
      lists.insert(e->args[0]->text);
  }
  out.named_lists.assign(lists.begin(), lists.end());
  if (model.credited_source < 0) return out;

  out.chunk.name = "territories";
  ChunkCompiler compiler(model, out.chunk, unsupported, &known);
  for (const TerritoryModel& territory : model.territories) {
    CompiledTerritory compiled;
    compiled.name = territory.decl->name;
    compiled.parent = territory.parent;
    compiled.priority = territory.priority;
    if (territory.decl->predicate) {
      compiled.match_reg = compiler.expr(*territory.decl->predicate);
    } else {  // a syntax error the checker reported; keeps the indices of parents
      Constant never;
      never.type = RegType::boolean;
      compiled.match_reg = compiler.constant(never, territory.decl->span);
    }
    if (territory.decl->owner) {
      // The owner is read only where the predicate holds.
      compiler.select_true(compiled.match_reg, territory.decl->owner->span);
      compiled.has_owner = true;
      compiled.owner_reg = compiler.expr(*territory.decl->owner);
      compiler.select_pop(territory.decl->owner->span);
    }
    out.declared.push_back(compiled);
  }

  for (const TerritorySetModel& set : model.territory_sets) {
    const ast::TerritoriesDecl& decl = *set.decl;
    if (set.source < 0 || !decl.match || !decl.owner) continue;
    CompiledTerritorySet compiled;
    compiled.source = set.source;
    compiled.chunk.name = "territories from " + decl.source;
    ChunkCompiler pairs(model, compiled.chunk, unsupported, &known);
    const auto match = pairs.expr(*decl.match);
    pairs.select_true(match, decl.match->span);  // the active lanes: matching pairs
    compiled.owner_reg = pairs.expr(*decl.owner);
    if (decl.priority) {
      compiled.has_priority = true;
      compiled.priority_reg = pairs.expr(*decl.priority);
    }
    if (decl.label) {
      compiled.has_name = true;
      compiled.name_reg = pairs.expr(*decl.label);
    }
    collect_keys(model, *decl.match, compiled.keys);
    if (!retarget_to_pairs(compiled.chunk))
      unsupported->push_back(
          Unsupported{decl.match->span, "a test for a null field inside `territories from`"});
    if (compiled.chunk.too_large)
      unsupported->push_back(Unsupported{decl.span,
                                         "a stage with more than 65,535 intermediate "
                                         "values (" +
                                             compiled.chunk.name + ")"});
    out.sets.push_back(std::move(compiled));
  }
  if (out.chunk.too_large)
    unsupported->push_back(
        Unsupported{Span{}, "a stage with more than 65,535 intermediate values (territories)"});
  return out;
}

}  // namespace tally
