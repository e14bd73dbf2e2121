#include "kinesis/consumer_codec.h"

#include <fmt/format.h>

#include "kinesis/json_fields.h"
#include "kinesis/request_json.h"

namespace pk::kinesis {
namespace {

Status write_consumer(JsonWriter& w, std::string_view op, const ConsumerRef& consumer) {
  if (!consumer.arn.empty()) {
    w.string("ConsumerARN", consumer.arn.str());
    return ok_status();
  }
  if (consumer.stream_arn.empty() || consumer.name.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: give ConsumerARN, or StreamARN and ConsumerName", op));
  }
  w.string("StreamARN", consumer.stream_arn.str()).string("ConsumerName", consumer.name.str());
  return ok_status();
}

// Reads the object under `wrapper` ("Consumer" or "ConsumerDescription").
Result<ConsumerDescription> parse_consumer(std::string_view body, std::string_view what, std::string_view wrapper) {
  ConsumerDescription out;
  PK_TRY(json::parse_object(body, what, [&](std::string_view key, json::value v) -> Status {
    if (key != wrapper) return ok_status();
    Status s = json::for_each_member(v, key, [&](std::string_view k, json::value f) -> Status {
      if (k == "ConsumerName") {
        PK_ASSIGN_OR_RETURN(auto name, json::get_string(f, k));
        if (name) out.consumer_name = ConsumerName(*name);
      } else if (k == "ConsumerARN") {
        PK_ASSIGN_OR_RETURN(auto arn, json::get_string(f, k));
        if (arn) out.consumer_arn = ConsumerArn(*arn);
      } else if (k == "ConsumerStatus") {
        PK_ASSIGN_OR_RETURN(auto status, json::get_string(f, k));
        if (status) {
          out.status_text.assign(*status);
          out.status = consumer_status_from(*status);
        }
      } else if (k == "StreamARN") {
        PK_ASSIGN_OR_RETURN(auto arn, json::get_string(f, k));
        if (arn) out.stream_arn = StreamArn(*arn);
      } else if (k == "ConsumerCreationTimestamp") {
        PK_ASSIGN_OR_RETURN(auto t, json::get_timestamp(f, k));
        if (t) out.creation_timestamp = *t;
      }
      return ok_status();
    });
    if (!s.ok()) return json::in_field(std::move(s).error(), key);
    return ok_status();
  }));
  if (out.consumer_arn.empty() || out.status_text.empty()) {
    return make_error(
        ErrorCode::kMalformedInput,
        fmt::format("{}: {}.{}: missing", what, wrapper, out.consumer_arn.empty() ? "ConsumerARN" : "ConsumerStatus"));
  }
  return out;
}

}  // namespace

Result<std::string> build_register_stream_consumer_body(const StreamArn& stream, const ConsumerName& name) {
  if (stream.empty() || name.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "RegisterStreamConsumer: StreamARN and ConsumerName are required");
  }
  JsonWriter w("RegisterStreamConsumer");
  w.string("StreamARN", stream.str()).string("ConsumerName", name.str());
  return std::move(w).finish();
}

Result<ConsumerDescription> parse_register_stream_consumer_response(std::string_view body) {
  return parse_consumer(body, "RegisterStreamConsumer response", "Consumer");
}

Result<std::string> build_describe_stream_consumer_body(const ConsumerRef& consumer) {
  JsonWriter w("DescribeStreamConsumer");
  PK_TRY(write_consumer(w, "DescribeStreamConsumer", consumer));
  return std::move(w).finish();
}

Result<ConsumerDescription> parse_describe_stream_consumer_response(std::string_view body) {
  return parse_consumer(body, "DescribeStreamConsumer response", "ConsumerDescription");
}

Result<std::string> build_deregister_stream_consumer_body(const ConsumerRef& consumer) {
  JsonWriter w("DeregisterStreamConsumer");
  PK_TRY(write_consumer(w, "DeregisterStreamConsumer", consumer));
  return std::move(w).finish();
}

Result<std::string> build_subscribe_to_shard_body(const ConsumerArn& consumer, const ShardId& shard,
                                                  const StartingPosition& position) {
  if (consumer.empty() || shard.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "SubscribeToShard: ConsumerARN and ShardId are required");
  }
  JsonWriter w("SubscribeToShard");
  w.string("ConsumerARN", consumer.str()).string("ShardId", shard.str());
  w.begin_object("StartingPosition");
  PK_TRY(write_starting_position(w, "SubscribeToShard", position, "Type", "SequenceNumber"));
  w.end_object();
  return std::move(w).finish();
}

}  // namespace pk::kinesis
