#pragma once
// A topic's schema (one schema version) as FULL_MESSAGE_IN_JSON_EXPAND_VALUE needs it to decode values: the
// Pulsar schema type, the compiled Avro definition for AVRO, and for KEY_VALUE the two component schemas and the
// encoding (INLINE: key and value both in the payload; SEPARATED: the key in the message key). Compiled once per
// schema version by the sink (from the broker's GetSchema answer) and shared read-only by any thread.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "formats/avro_schema.h"
#include "formats/input_message.h"

namespace pk::formats {

// org.apache.pulsar.common.schema.SchemaType; the values are the wire protocol's Schema.Type numbers (BYTES and
// the AUTO types exist only in Java and are never sent).
enum class SchemaType : int {
  kNone = 0,
  kString = 1,
  kJson = 2,
  kProtobuf = 3,
  kAvro = 4,
  kBoolean = 5,
  kInt8 = 6,
  kInt16 = 7,
  kInt32 = 8,
  kInt64 = 9,
  kFloat = 10,
  kDouble = 11,
  kDate = 12,
  kTime = 13,
  kTimestamp = 14,
  kKeyValue = 15,
  kInstant = 16,
  kLocalDate = 17,
  kLocalTime = 18,
  kLocalDateTime = 19,
  kProtobufNative = 20,
  kBytes = -1,
};

// The wire protocol's Schema.Type value (pulsar_wire.proto); unknown values are an error.
Result<SchemaType> schema_type_from_wire(int value);
// The Java enum name ("AVRO", "KEY_VALUE", ...), as KEY_VALUE schemas name their components.
Result<SchemaType> schema_type_from_name(std::string_view name);
std::string_view schema_type_name(SchemaType type);

class TopicSchema {
 public:
  // `properties` are the schema's properties (KEY_VALUE reads its component types and encoding from them).
  static Result<std::shared_ptr<const TopicSchema>> compile(SchemaType type, std::string_view definition,
                                                            std::span<const Property> properties);

  SchemaType type() const { return type_; }
  const avro::Schema* avro() const { return avro_ ? &*avro_ : nullptr; }
  const TopicSchema* key_schema() const { return key_.get(); }
  const TopicSchema* value_schema() const { return value_.get(); }
  bool separated() const { return separated_; }

 private:
  SchemaType type_ = SchemaType::kBytes;
  std::optional<avro::Schema> avro_;
  std::shared_ptr<const TopicSchema> key_;
  std::shared_ptr<const TopicSchema> value_;
  bool separated_ = false;
};

}  // namespace pk::formats
