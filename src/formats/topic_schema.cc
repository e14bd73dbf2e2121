#include "formats/topic_schema.h"

#include <fmt/format.h>

namespace pk::formats {
namespace {

constexpr std::pair<SchemaType, std::string_view> kNames[] = {
    {SchemaType::kNone, "NONE"},
    {SchemaType::kString, "STRING"},
    {SchemaType::kJson, "JSON"},
    {SchemaType::kProtobuf, "PROTOBUF"},
    {SchemaType::kAvro, "AVRO"},
    {SchemaType::kBoolean, "BOOLEAN"},
    {SchemaType::kInt8, "INT8"},
    {SchemaType::kInt16, "INT16"},
    {SchemaType::kInt32, "INT32"},
    {SchemaType::kInt64, "INT64"},
    {SchemaType::kFloat, "FLOAT"},
    {SchemaType::kDouble, "DOUBLE"},
    {SchemaType::kDate, "DATE"},
    {SchemaType::kTime, "TIME"},
    {SchemaType::kTimestamp, "TIMESTAMP"},
    {SchemaType::kKeyValue, "KEY_VALUE"},
    {SchemaType::kInstant, "INSTANT"},
    {SchemaType::kLocalDate, "LOCAL_DATE"},
    {SchemaType::kLocalTime, "LOCAL_TIME"},
    {SchemaType::kLocalDateTime, "LOCAL_DATE_TIME"},
    {SchemaType::kProtobufNative, "PROTOBUF_NATIVE"},
    {SchemaType::kBytes, "BYTES"},
};

std::optional<std::string_view> property(std::span<const Property> properties, std::string_view name) {
  for (const auto& [k, v] : properties) {
    if (k == name) return v;
  }
  return std::nullopt;
}

uint32_t be32(std::string_view s, size_t at) {
  return (uint32_t{static_cast<uint8_t>(s[at])} << 24) | (uint32_t{static_cast<uint8_t>(s[at + 1])} << 16) |
         (uint32_t{static_cast<uint8_t>(s[at + 2])} << 8) | uint32_t{static_cast<uint8_t>(s[at + 3])};
}

// A component of a KEY_VALUE schema: its type from "<prefix>.schema.type" (default BYTES), its definition from
// the schema data, its properties from "<prefix>.schema.properties" (not needed to decode).
Result<std::shared_ptr<const TopicSchema>> component(std::span<const Property> properties, std::string_view prefix,
                                                     std::string_view definition) {
  const auto type_name = property(properties, fmt::format("{}.schema.type", prefix));
  SchemaType type = SchemaType::kBytes;
  if (type_name) {
    PK_ASSIGN_OR_RETURN(type, schema_type_from_name(*type_name));
  }
  if (type == SchemaType::kKeyValue) {
    return make_error(ErrorCode::kUnsupported, "KEY_VALUE schema: a KEY_VALUE component is not supported");
  }
  return TopicSchema::compile(type, definition, {});
}

}  // namespace

Result<SchemaType> schema_type_from_wire(int value) {
  if (value >= 0 && value <= 20) return static_cast<SchemaType>(value);
  return make_error(ErrorCode::kUnsupported, fmt::format("schema type {} is not supported", value));
}

Result<SchemaType> schema_type_from_name(std::string_view name) {
  for (const auto& [type, n] : kNames) {
    if (n == name) return type;
  }
  return make_error(ErrorCode::kUnsupported, fmt::format("unknown schema type \"{}\"", name));
}

std::string_view schema_type_name(SchemaType type) {
  for (const auto& [t, n] : kNames) {
    if (t == type) return n;
  }
  return "UNKNOWN";
}

Result<std::shared_ptr<const TopicSchema>> TopicSchema::compile(SchemaType type, std::string_view definition,
                                                                std::span<const Property> properties) {
  auto schema = std::make_shared<TopicSchema>();
  schema->type_ = type;
  switch (type) {
    case SchemaType::kAvro: {
      PK_ASSIGN_OR_RETURN(auto avro, avro::Schema::parse(definition));
      schema->avro_ = std::move(avro);
      break;
    }
    case SchemaType::kKeyValue: {
      // KeyValue.decode of the schema data: [int32 BE length][key schema][int32 BE length][value schema].
      if (definition.size() < 8) return make_error(ErrorCode::kInvalidArgument, "KEY_VALUE schema data too short");
      const uint32_t key_size = be32(definition, 0);
      if (key_size > definition.size() - 8) {
        return make_error(ErrorCode::kInvalidArgument, "KEY_VALUE schema data: key schema length past the end");
      }
      const uint32_t value_size = be32(definition, 4 + key_size);
      if (value_size > definition.size() - 8 - key_size) {
        return make_error(ErrorCode::kInvalidArgument, "KEY_VALUE schema data: value schema length past the end");
      }
      PK_ASSIGN_OR_RETURN(schema->key_, component(properties, "key", definition.substr(4, key_size)));
      PK_ASSIGN_OR_RETURN(schema->value_, component(properties, "value", definition.substr(8 + key_size, value_size)));
      const auto encoding = property(properties, "kv.encoding.type");
      if (encoding && *encoding == "SEPARATED") {
        schema->separated_ = true;
      } else if (encoding && !encoding->empty() && *encoding != "INLINE") {
        return make_error(ErrorCode::kInvalidArgument,
                          fmt::format("KEY_VALUE schema: unknown kv.encoding.type \"{}\"", *encoding));
      }
      break;
    }
    case SchemaType::kProtobuf:
    case SchemaType::kProtobufNative:
      // The Java sink cannot expand these either (it throws for every message).
      return make_error(
          ErrorCode::kUnsupported,
          fmt::format("{} schemas are not supported by FULL_MESSAGE_IN_JSON_EXPAND_VALUE", schema_type_name(type)));
    default:
      break;
  }
  return std::shared_ptr<const TopicSchema>(std::move(schema));
}

}  // namespace pk::formats
