#pragma once
// An Avro schema compiled from its JSON definition (the "schema" of a Pulsar AVRO schema): a graph of type nodes
// in one vector (named types referenced by index, so recursive records work). Parsed once per schema version and
// then shared read-only by any thread. Only what decoding and the connector's JSON conversion need is kept:
// types, field names, enum symbols, fixed sizes, the decimal logical type and "avro.java.string" (which decides
// how map keys hash).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pk::formats::avro {

enum class Type : uint8_t {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,
  kEnum,
  kArray,
  kMap,
  kUnion,
  kFixed,
};

struct Node {
  Type type = Type::kNull;
  bool java_string = false;  // "avro.java.string": "String" (strings; on a map: its keys)
  bool decimal = false;      // a valid decimal logical type (bytes or fixed)
  int32_t precision = 0;
  int32_t scale = 0;
  int32_t fixed_size = 0;
  std::string name;                // full name of a record, enum or fixed
  std::vector<uint32_t> children;  // record field types, union branches, array items, map values
  std::vector<std::string> names;  // record field names, enum symbols
};

class Schema {
 public:
  // Parses a schema definition (JSON). The error names what is wrong and where.
  static Result<Schema> parse(std::string_view json);

  const Node& node(uint32_t i) const { return nodes_[i]; }
  uint32_t root() const { return root_; }
  size_t size() const { return nodes_.size(); }

 private:
  friend class SchemaParser;
  std::vector<Node> nodes_;
  uint32_t root_ = 0;
};

}  // namespace pk::formats::avro
