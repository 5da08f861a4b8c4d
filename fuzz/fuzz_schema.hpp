// The source schema the CSV and JSON fuzz targets load into: one field of
// every type a source can declare, required and optional, with the column
// options real exports need. The input's first byte picks a variant (date
// and number formats, delimiter, header, encoding, trimming, extra nulls),
// so that one corpus reaches every option.
#pragma once

#include <cstdint>
#include <string>

#include "io/source_schema.hpp"

namespace tally::fuzz {

inline FieldSpec field(std::string name, Type type) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.type = std::move(type);
  return spec;
}

inline SourceSchema fuzz_schema(std::uint8_t variant, bool delimited) {
  SourceSchema schema;
  schema.name = "rows";
  FieldSpec id = field("id", Type::of(Kind::text));
  id.key = (variant & 1) != 0;
  schema.fields.push_back(id);
  schema.fields.push_back(field("n", Type::of(Kind::integer)));
  FieldSpec amount = field("amount", Type::money_in("USD"));
  if (variant & 2) amount.format = (variant & 4) ? "#.##0,00" : "$#,##0.00";
  schema.fields.push_back(amount);
  schema.fields.push_back(field("rate", Type::of(Kind::percent).as_optional()));
  schema.fields.push_back(field("x", Type::of(Kind::decimal).as_optional()));
  FieldSpec when = field("when", Type::of(Kind::date));
  if (variant & 8) when.format = (variant & 4) ? "DD.MM.YYYY" : "M/D/YY";
  schema.fields.push_back(when);
  schema.fields.push_back(field("p", Type::of(Kind::period).as_optional()));
  schema.fields.push_back(field("flag", Type::of(Kind::boolean).as_optional()));
  FieldSpec tags = field("tags", Type::list_of(Type::of(Kind::text)).as_optional());
  tags.separator = "|";
  schema.fields.push_back(tags);
  FieldSpec owner = field("owner", Type::of(Kind::payee).as_optional());
  owner.from = "owner_id";
  if (variant & 16) owner.nulls = {"NULL", "N/A", "0"};
  schema.fields.push_back(owner);
  for (FieldSpec& spec : schema.fields) spec.trim = (variant & 32) != 0;
  if (delimited) {
    if (variant & 64) schema.delimiter = (variant & 4) ? ';' : '\t';
    schema.header = (variant & 128) == 0 || (variant & 3) != 0;
    if ((variant & 0x30) == 0x30) schema.encoding = "windows-1252";
  }
  return schema;
}

}  // namespace tally::fuzz
