#include "interpreter/vm_territories.hpp"

#include <algorithm>
#include <string>

#include "interpreter/territory_data.hpp"

namespace tally {

namespace {

void load_cell(Register& d, std::size_t lane, const Column& column, std::size_t row) {
  switch (d.type) {
    case RegType::boolean:
      d.bools[lane] = column.bools[row];
      break;
    case RegType::integer:
      d.ints[lane] = column.ints[row];
      break;
    case RegType::decimal:
      d.decimals[lane] = column.decimals.at(row);
      break;
    case RegType::date:
      d.dates[lane] = column.dates[row];
      break;
    case RegType::period:
      d.periods[lane] = column.periods[row];
      break;
    case RegType::symbol:
      d.symbols[lane] = column.symbols[row];
      break;
  }
}

/// How a message names the transaction of `row`: its key in quotes, else its
/// place in the file.
std::string transaction_name(const TerritoryData& data, std::size_t row) {
  const Table& table = *data.rows;
  if (data.key_field >= 0) {
    const Column& key = table.columns[static_cast<std::size_t>(data.key_field)];
    if (!key.symbols.empty() && !key.is_null(row))
      return "transaction \"" + std::string(data.names->text(key.symbols[row])) + "\"";
  }
  return "the transaction of " + table.path + " row " + std::to_string(table.file_row(row));
}

/// owner(t) of the territory value t in register `in.a` (k = 2): on a row
/// whose own territory is t, the owner resolution found for it (as
/// owner(territory(row))); else the owner known for the name t.
std::optional<VmFault> owner_of_value(const Instr& in, std::vector<Register>& regs,
                                      const std::vector<std::uint32_t>& sel, const VmEnv& env) {
  const TerritoryData* data = env.territories;
  if (!data)
    return VmFault{0, sel.empty() ? 0 : sel.front(),
                   "owner(...) of a territory is known only where territories are resolved: in "
                   "credit rules and aggregates"};
  const Register& t = regs[in.a];
  Register& d = regs[in.d];
  const bool own_rows = data->rows && data->rows == env.rows;
  for (auto i : sel) {
    const SymbolId name = t.symbols[i];
    if (own_rows) {
      const std::size_t row =
          env.credits ? env.credits->row[env.credit_base + i] : env.row_base + i;
      const TerritoryFound* found = row < data->size() ? &data->at(row) : nullptr;
      if (name == data->no_territory && found && found->match == TerritoryMatch::none)
        return VmFault{
            0, i,
            transaction_name(*data, row) + " matches no territory, so owner(...) names no payee"};
      if (found && found->match != TerritoryMatch::none && found->territory == name) {
        if (found->match == TerritoryMatch::no_owner)
          return VmFault{0, i,
                         "territory `" + std::string(data->names->text(name)) + "` of " +
                             transaction_name(*data, row) +
                             " has no owner, so owner(...) names "
                             "no payee"};
        d.symbols[i] = found->owner;
        continue;
      }
    }
    if (name == data->no_territory)
      return VmFault{0, i, "owner(...) of no territory (a row that matches none) names no payee"};
    const auto found = data->owner_by_name.find(name);
    const std::string quoted = "territory `" + std::string(data->names->text(name)) + "`";
    if (found == data->owner_by_name.end())
      return VmFault{0, i,
                     quoted +
                         " has no owner known to this run (no owner written as text, and "
                         "no transaction of this run resolved to it), so owner(...) names "
                         "no payee"};
    if (found->second == TerritoryData::kAmbiguousOwner)
      return VmFault{0, i,
                     quoted +
                         " has different owners for different transactions, so owner(...) "
                         "of it needs the transaction: write owner(territory(row))"};
    d.symbols[i] = found->second;
  }
  return std::nullopt;
}

std::optional<VmFault> load_territory(const Instr& in, Register& d,
                                      const std::vector<std::uint32_t>& sel, const VmEnv& env) {
  const TerritoryData* data = env.territories;
  if (!data || !data->rows || data->rows != env.rows) {
    const std::string source = data && data->rows ? "`" + data->rows->name + "`" : "a credit rule";
    return VmFault{0, sel.empty() ? 0 : sel.front(),
                   "territory(...) is known only for the rows of " + source};
  }
  const std::uint32_t* row_found = data->row_found.data();
  const TerritoryFound* found = data->found.data();
  for (auto i : sel) {
    const std::size_t row = env.credits ? env.credits->row[env.credit_base + i] : env.row_base + i;
    const TerritoryFound& f = found[row_found[row]];
    if (in.k == 0) {
      d.symbols[i] = f.match == TerritoryMatch::none ? data->no_territory : f.territory;
      continue;
    }
    if (f.match == TerritoryMatch::none)
      return VmFault{0, i,
                     transaction_name(*data, row) +
                         " matches no territory, so owner(territory(...)) names no payee"};
    if (f.match == TerritoryMatch::no_owner)
      return VmFault{0, i,
                     "territory `" + std::string(data->names->text(f.territory)) + "` of " +
                         transaction_name(*data, row) +
                         " has no owner, so owner(territory(...)) names no payee"};
    d.symbols[i] = f.owner;
  }
  return std::nullopt;
}

/// The row of list field `b`'s lane (see IN_LIST_FIELD) and its table.
std::pair<const Table*, std::size_t> list_row(const Instr& in, std::uint32_t lane,
                                              const VmEnv& env) {
  switch (in.b) {
    case 0:
      return {env.rows, env.row_base + lane};
    case 1:
      return {env.rows, env.credits->row[env.credit_base + lane]};
    case 2:
      return {env.roster, env.payee_base + lane};
    case 3:
      return {env.rows, env.territory_pairs->row[lane]};
    default:
      return {env.territory_pairs->map, env.territory_pairs->map_row[lane]};
  }
}

}  // namespace

std::optional<VmFault> run_territory_instruction(const Instr& in, std::vector<Register>& regs,
                                                 const std::vector<std::uint32_t>& sel,
                                                 const VmEnv& env) {
  switch (in.op) {
    case OpCode::LOAD_TERRITORY:
      if (in.k == 2) return owner_of_value(in, regs, sel, env);
      return load_territory(in, regs[in.d], sel, env);
    case OpCode::LOAD_PAIR_FIELD: {
      const TerritoryPairs& pairs = *env.territory_pairs;
      const Table& table = in.a == 0 ? *env.rows : *pairs.map;
      const Column& column = table.columns[in.k];
      const std::vector<std::uint32_t>& rows = in.a == 0 ? pairs.row : pairs.map_row;
      for (auto i : sel) load_cell(regs[in.d], i, column, rows[i]);
      return std::nullopt;
    }
    case OpCode::IN_LIST_FIELD: {
      const Register& a = regs[in.a];
      Register& d = regs[in.d];
      for (auto i : sel) {
        const auto [table, row] = list_row(in, i, env);
        const ListColumn& list = table->columns[in.k].list;
        const auto first = list.items.begin() + list.offsets[row];
        const auto last = list.items.begin() + list.offsets[row + 1];
        d.bools[i] = std::find(first, last, a.symbols[i]) != last;
      }
      return std::nullopt;
    }
    case OpCode::IN_NAMED_LIST: {
      const SymbolId name = env.interned->constants[in.k];
      const TerritoryData* data = env.territories;
      if (!data)
        return VmFault{0, sel.empty() ? 0 : sel.front(),
                       "named lists (list(\"...\")) are known only in credit rules, aggregates "
                       "and territories"};
      const auto found = data->named_lists.find(name);
      if (found == data->named_lists.end())
        return VmFault{0, sel.empty() ? 0 : sel.front(),
                       "the list \"" + std::string(data->names->text(name)) + "\" was not loaded"};
      const std::vector<SymbolId>& items = found->second;
      for (auto i : sel)
        regs[in.d].bools[i] = std::binary_search(items.begin(), items.end(), regs[in.a].symbols[i]);
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace tally
