#include "pulsar/client/message.h"

#include "pulsar/client/received_entry.h"

namespace pk::pulsar {

Message::Message(std::shared_ptr<const ReceivedEntry> entry, uint32_t index, MessageId id)
    : entry_(std::move(entry)), index_(index), id_(id) {}

void Message::prefetch() const {
  if (!entry_->batched) return;  // one message per entry: the entry itself is the first touch
  const proto::BatchEntry* single = &entry_->singles[index_];
  __builtin_prefetch(single);
  __builtin_prefetch(reinterpret_cast<const char*>(single) + 64);
  __builtin_prefetch(single->payload.data());
}

std::string_view Message::payload() const {
  if (entry_->batched) return entry_->singles[index_].payload;
  return entry_->payload;
}

bool Message::has_key() const {
  return entry_->batched ? entry_->singles[index_].metadata.has_partition_key() : entry_->metadata.has_partition_key();
}

std::string_view Message::key() const {
  return entry_->batched ? entry_->singles[index_].metadata.partition_key() : entry_->metadata.partition_key();
}

bool Message::key_is_base64() const {
  return entry_->batched ? entry_->singles[index_].metadata.partition_key_b64_encoded()
                         : entry_->metadata.partition_key_b64_encoded();
}

std::optional<std::string_view> Message::ordering_key() const {
  if (entry_->batched) {
    const auto& m = entry_->singles[index_].metadata;
    if (!m.has_ordering_key()) return std::nullopt;
    return std::string_view(m.ordering_key());
  }
  if (!entry_->metadata.has_ordering_key()) return std::nullopt;
  return std::string_view(entry_->metadata.ordering_key());
}

size_t Message::property_count() const {
  return static_cast<size_t>(entry_->batched ? entry_->singles[index_].metadata.properties_size()
                                             : entry_->metadata.properties_size());
}

std::pair<std::string_view, std::string_view> Message::property(size_t i) const {
  if (entry_->batched) {
    const proto::KeyValueView& p = entry_->singles[index_].metadata.properties(static_cast<int>(i));
    return {p.key(), p.value()};
  }
  const auto& p = entry_->metadata.properties(static_cast<int>(i));
  return {p.key(), p.value()};
}

std::optional<std::string_view> Message::property(std::string_view name) const {
  for (size_t i = 0; i < property_count(); ++i) {
    auto [k, v] = property(i);
    if (k == name) return v;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> Message::properties() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(property_count());
  for (size_t i = 0; i < property_count(); ++i) {
    auto [k, v] = property(i);
    out.emplace_back(k, v);
  }
  return out;
}

uint64_t Message::publish_time() const {
  return entry_->metadata.publish_time();
}

uint64_t Message::event_time() const {
  // A message of a batch without its own event time has the entry's (what the Java client reads too).
  if (entry_->batched && entry_->singles[index_].metadata.has_event_time()) {
    return entry_->singles[index_].metadata.event_time();
  }
  return entry_->metadata.event_time();
}

std::string_view Message::producer_name() const {
  return entry_->metadata.producer_name();
}

uint64_t Message::sequence_id() const {
  if (entry_->batched) {
    const auto& m = entry_->singles[index_].metadata;
    if (m.has_sequence_id()) return m.sequence_id();
    return entry_->metadata.sequence_id() + index_;
  }
  return entry_->metadata.sequence_id();
}

std::string_view Message::schema_version() const {
  return entry_->metadata.schema_version();
}

uint32_t Message::redelivery_count() const {
  return entry_->redelivery_count;
}

const std::string& Message::topic() const {
  return entry_->topic;
}

bool Message::in_batch() const {
  return entry_->batched;
}

const pb::MessageMetadata& Message::entry_metadata() const {
  return entry_->metadata;
}

}  // namespace pk::pulsar
