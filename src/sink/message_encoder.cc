#include "sink/message_encoder.h"

#include <fmt/format.h>

#include "formats/partition_key.h"
#include "pulsar/client/topic_name.h"
#include "pulsar/proto/pulsar_wire.pb.h"

namespace pk::sink {

namespace asio = boost::asio;

MessageEncoder::MessageEncoder(formats::FormatOptions options, pulsar::Client* client)
    : encoder_(options),
      client_(client),
      needs_schema_(options.format == formats::MessageFormat::kFullMessageInJsonExpandValue),
      raw_only_(options.format == formats::MessageFormat::kOnlyRawPayload) {}

MessageEncoder::SchemaKey MessageEncoder::schema_key(const pulsar::Message& message) const {
  // Schemas belong to the (partitioned) topic, not to a partition.
  auto name = pulsar::TopicName::parse(message.topic());
  std::string topic = name.ok() ? name->base_name() : message.topic();
  return {std::move(topic), std::string(message.schema_version())};
}

bool MessageEncoder::ready(const pulsar::Message& message) const {
  return !needs_schema_ || schemas_.count(schema_key(message)) > 0;
}

asio::awaitable<Status> MessageEncoder::prepare(const pulsar::Message& message) {
  if (ready(message)) co_return Status();
  SchemaKey key = schema_key(message);
  if (client_ == nullptr) co_return make_error(ErrorCode::kInternal, "no Pulsar client to fetch schemas with");
  std::optional<std::string> version;
  if (!key.second.empty()) version = key.second;
  auto getting = client_->get_schema(key.first, version);
  auto info = co_await std::move(getting);
  ++counters_.schemas_fetched;
  if (!info.ok()) {
    if (info.error().code != ErrorCode::kNotFound) {
      co_return info.error().with_context(fmt::format("fetching the schema of {}", key.first));
    }
    schemas_[key] = nullptr;  // no schema: values are their raw bytes
    co_return Status();
  }
  auto type = formats::schema_type_from_wire(info->type);
  if (!type.ok()) co_return type.error().with_context(fmt::format("the schema of {}", key.first));
  std::vector<formats::Property> properties;
  for (const auto& [k, v] : info->properties) properties.emplace_back(k, v);
  auto compiled = formats::TopicSchema::compile(*type, info->definition, properties);
  if (!compiled.ok()) co_return compiled.error().with_context(fmt::format("the schema of {}", key.first));
  schemas_[key] = std::move(*compiled);
  co_return Status();
}

void MessageEncoder::describe(const pulsar::Message& message) {
  input_ = formats::InputMessage{};
  input_.topic = message.topic();
  if (message.has_key()) input_.key = message.key();
  input_.key_is_base64 = message.key_is_base64();
  input_.payload = message.payload();
  // The raw format and the partition key read nothing more (the payload goes as it came, encrypted or not).
  if (raw_only_) return;
  properties_.clear();
  for (size_t i = 0; i < message.property_count(); ++i) properties_.push_back(message.property(i));
  input_.properties = properties_;
  input_.delivered_in_batch = message.in_batch();
  input_.event_time = message.event_time();
  input_.publish_time = message.publish_time();
  if (needs_schema_) {
    auto it = schemas_.find(schema_key(message));
    input_.schema = it != schemas_.end() ? it->second.get() : nullptr;
  }
  const auto& metadata = message.entry_metadata();
  if (metadata.encryption_keys_size() > 0) {
    // Delivered still encrypted: the formats carry the encryption context for a consumer that can decrypt.
    key_metadata_.clear();
    for (const auto& k : metadata.encryption_keys())
      for (const auto& m : k.metadata()) key_metadata_.emplace_back(m.key(), m.value());
    keys_.clear();
    size_t offset = 0;
    for (const auto& k : metadata.encryption_keys()) {
      const auto count = static_cast<size_t>(k.metadata_size());
      keys_.push_back({k.key(), k.value(), std::span<const formats::Property>(key_metadata_).subspan(offset, count)});
      offset += count;
    }
    encryption_ = formats::EncryptionContextView{};
    encryption_.keys = keys_;
    encryption_.param = metadata.encryption_param();
    if (metadata.has_encryption_algo()) encryption_.algorithm = metadata.encryption_algo();
    encryption_.compression = static_cast<formats::CompressionType>(metadata.compression());
    encryption_.uncompressed_size = metadata.uncompressed_size();
    if (metadata.has_num_messages_in_batch()) encryption_.batch_size = metadata.num_messages_in_batch();
    input_.encryption = &encryption_;
  }
}

Status MessageEncoder::encode(const pulsar::Message& message, std::string& data, std::string& partition_key) {
  describe(message);
  const formats::PartitionKey key = formats::partition_key(input_, key_scratch_);
  if (key.source == formats::PartitionKeySource::kEmptyKeyTopic) ++counters_.empty_keys;
  partition_key.assign(key.key);
  return encoder_.encode(input_, data);
}

}  // namespace pk::sink
