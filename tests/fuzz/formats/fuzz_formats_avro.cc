// Avro schema parsing and binary decoding on arbitrary bytes: input = schema JSON, a newline, then the datum.
// No crash, no read out of bounds, errors carry a message, and whatever decodes is written as JSON (plain and
// flattened) that our JSON reader reads back.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "formats/avro_decode.h"
#include "formats/avro_schema.h"
#include "formats/json_parse.h"
#include "formats/value_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pk::formats;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  auto schema = avro::Schema::parse(input.substr(0, newline));
  if (!schema.ok()) {
    if (schema.error().message.empty()) std::abort();
    return 0;
  }
  ValueTree tree;
  avro::DecodeScratch scratch;
  auto root = avro::decode(*schema, input.substr(newline + 1), tree, scratch);
  if (!root.ok()) {
    if (root.error().message.empty()) std::abort();
    return 0;
  }
  std::string plain;
  write_jackson(tree, *root, plain);
  ValueTree check;
  if (!parse_json_value(plain, check).ok()) std::abort();
  if (tree.node(*root).kind == ValueKind::kObject) {
    FlattenScratch flatten;
    std::string flat;
    write_flattened(tree, *root, flatten, flat);
    if (!parse_json_value(flat, check).ok()) std::abort();
  }
  return 0;
}
