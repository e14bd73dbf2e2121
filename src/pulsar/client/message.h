#pragma once
// Messages: what a producer sends (OutgoingMessage, a plain value the producer takes by move) and what a
// consumer receives (Message). A received Message is a cheap handle: all messages of one entry (a batch) share
// the entry's decompressed buffer, and payload/key/properties are views into it, valid as long as any Message of
// that entry lives. Message values may be copied and moved to other threads (the shared entry is immutable).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pulsar/client/message_id.h"

namespace pk::pulsar {

namespace pb {
class MessageMetadata;
}

struct OutgoingMessage {
  std::string payload;
  std::optional<std::string> key;           // partition key: partition routing and Key_Shared stickiness
  std::optional<std::string> ordering_key;  // overrides the key for Key_Shared dispatch only
  std::vector<std::pair<std::string, std::string>> properties;
  uint64_t event_time = 0;              // ms since the epoch; 0 = none
  std::optional<uint64_t> sequence_id;  // your own, increasing (broker dedup); else the producer numbers them
};

struct ReceivedEntry;  // one MESSAGE frame, decoded (message.cc)

class Message {
 public:
  Message() = default;
  Message(std::shared_ptr<const ReceivedEntry> entry, uint32_t index, MessageId id);

  const MessageId& id() const { return id_; }
  std::string_view payload() const;
  bool has_key() const;
  std::string_view key() const;  // the partition key ("" when none)
  bool key_is_base64() const;
  std::optional<std::string_view> ordering_key() const;
  size_t property_count() const;
  std::pair<std::string_view, std::string_view> property(size_t i) const;
  std::optional<std::string_view> property(std::string_view name) const;
  std::vector<std::pair<std::string, std::string>> properties() const;
  uint64_t publish_time() const;  // ms since the epoch
  uint64_t event_time() const;    // 0 = not set; in a batch, the entry's when the message has none
  std::string_view producer_name() const;
  uint64_t sequence_id() const;  // the producer's sequence id of this message
  std::string_view schema_version() const;
  uint32_t redelivery_count() const;
  // The full topic name (the partition's, for partitioned topics).
  const std::string& topic() const;
  // Whether the message came inside a batch entry (a producer with batching on), even alone in it. The Java
  // client keeps such a message's properties in a TreeMap, which decides their order in the sink's formats.
  bool in_batch() const;
  // The metadata of the entry the message came in (read-only): what describes the entry as a whole, such as the
  // encryption keys, param and algorithm, the compression, uncompressed size and num_messages_in_batch.
  const pb::MessageMetadata& entry_metadata() const;
  bool valid() const { return entry_ != nullptr; }
  // Asks the CPU to start loading what payload(), key() and the metadata read: a loop over received messages
  // calls it a few messages ahead (a message's data was written when its frame arrived and may have left the
  // cache since).
  void prefetch() const;

 private:
  std::shared_ptr<const ReceivedEntry> entry_;
  uint32_t index_ = 0;  // index into the entry's messages
  MessageId id_;
};

}  // namespace pk::pulsar
