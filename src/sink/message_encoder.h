#pragma once
// The sink's record encoder: a received Pulsar message -> the Kinesis record's bytes (messageFormat, by the
// formats module) and its partition key (the Java sink's rules). For FULL_MESSAGE_IN_JSON_EXPAND_VALUE the value is
// decoded with the schema of the message's schema version, fetched from the broker (GetSchema) the first time a
// (topic, version) is seen and kept compiled.
//
//   if (!encoder.ready(message)) co_await encoder.prepare(message);   // only EXPAND_VALUE ever needs it
//   Status s = encoder.encode(message, data, partition_key);
//
// Owned by the sink pipeline; used on its loop.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "formats/input_message.h"
#include "formats/record_encoder.h"
#include "formats/topic_schema.h"
#include "pulsar/client/client.h"

namespace pk::sink {

struct EncoderCounters {
  uint64_t empty_keys = 0;  // messages with an empty key (the Java sink fails them; we use the topic name)
  uint64_t schemas_fetched = 0;
};

class MessageEncoder {
 public:
  // `client` fetches schemas (EXPAND_VALUE only); it may be null for the other formats.
  MessageEncoder(formats::FormatOptions options, pulsar::Client* client);

  // Whether encode() can run now (false only when EXPAND_VALUE waits for a schema version not fetched yet).
  bool ready(const pulsar::Message& message) const;
  // Fetches and compiles the schema the message needs. An error (no schema service, a schema we cannot read) is
  // the message's: it is rejected, not retried forever.
  boost::asio::awaitable<Status> prepare(const pulsar::Message& message);
  // Appends the record's bytes to `data` and sets `partition_key`.
  Status encode(const pulsar::Message& message, std::string& data, std::string& partition_key);

  const EncoderCounters& counters() const { return counters_; }

 private:
  using SchemaKey = std::pair<std::string, std::string>;  // (schema topic, schema version bytes)
  SchemaKey schema_key(const pulsar::Message& message) const;
  // Fills input_ (and its scratch) from the message; views point into it.
  void describe(const pulsar::Message& message);

  formats::RecordEncoder encoder_;
  pulsar::Client* client_;
  bool needs_schema_;
  bool raw_only_;  // ONLY_RAW_PAYLOAD: describe() fills only what the payload and the partition key need
  // A compiled schema per (topic, version); null when the topic has none (the value is its raw bytes).
  std::map<SchemaKey, std::shared_ptr<const formats::TopicSchema>> schemas_;
  formats::InputMessage input_;
  std::vector<formats::Property> properties_;
  std::vector<formats::Property> key_metadata_;
  std::vector<formats::EncryptionKeyView> keys_;
  formats::EncryptionContextView encryption_;
  std::string key_scratch_;
  EncoderCounters counters_;
};

}  // namespace pk::sink
