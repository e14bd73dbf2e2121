#include "app/source_factory.h"

#include <algorithm>

#include "app/aws_setup.h"
#include "app/durations.h"
#include "app/pipeline_host.h"
#include "kcl/worker_id.h"

namespace pk::app {

namespace {

pulsar::Compression compression_of(config::CompressionType type) {
  switch (type) {
    case config::CompressionType::kLz4:
      return pulsar::Compression::kLz4;
    case config::CompressionType::kZlib:
      return pulsar::Compression::kZlib;
    case config::CompressionType::kZstd:
      return pulsar::Compression::kZstd;
    case config::CompressionType::kSnappy:
      return pulsar::Compression::kSnappy;
    case config::CompressionType::kNone:
      break;
  }
  return pulsar::Compression::kNone;
}

}  // namespace

Result<source::SourceSettings> source_settings(const config::SourceSpec& spec) {
  const config::SourceConfigs& c = spec.configs;
  source::SourceSettings s;
  s.name = pipeline_name(spec.common);
  s.stream = kinesis::StreamRef::named(c.aws.stream_name);
  s.application_name = c.application_name;
  s.topic = spec.topic_name;

  const config::ProducerConfig& p = spec.producer_config;
  s.producer.batching = p.batching_enabled;
  if (p.batching_max_messages > 0) s.producer.batch.max_messages = static_cast<size_t>(p.batching_max_messages);
  if (p.batching_max_bytes > 0) s.producer.batch.max_bytes = static_cast<size_t>(p.batching_max_bytes);
  if (p.batching_max_publish_delay_ms > 0) s.producer.batch.max_delay = ms(p.batching_max_publish_delay_ms);
  s.producer.batch_by_key = p.batch_builder == config::BatchBuilder::kKeyBased ||
                            (spec.batch_builder && *spec.batch_builder == config::BatchBuilder::kKeyBased);
  s.producer.compression = compression_of(p.compression_type);
  // Room for everything the pipeline may have in flight, so that sends rarely wait on the producer's own bound.
  s.producer.max_pending_messages =
      static_cast<uint32_t>(std::max<int64_t>(p.max_pending_messages, c.receive_queue_size));

  switch (c.initial_position_in_stream) {
    case config::InitialPosition::kLatest:
      s.initial_position = kcl::InitialPosition::kLatest;
      break;
    case config::InitialPosition::kTrimHorizon:
      s.initial_position = kcl::InitialPosition::kTrimHorizon;
      break;
    case config::InitialPosition::kAtTimestamp:
      s.initial_position = kcl::InitialPosition::kAtTimestamp;
      break;
  }
  if (c.start_at_time_ms) s.start_at = kinesis::Timestamp(ms(*c.start_at_time_ms));
  s.fan_out = c.use_enhanced_fan_out;
  if (c.max_records_per_get_records > 0) s.polling.max_records = static_cast<int>(c.max_records_per_get_records);
  if (c.polling_interval_ms > 0) s.polling.idle_interval = ms(c.polling_interval_ms);
  s.polling.backoff = ms(c.backoff_time_ms);
  s.fan_out_settings.backoff = ms(c.backoff_time_ms);
  s.backoff = ms(c.backoff_time_ms);

  s.converter.key_mode = c.message_key_mode == config::MessageKeyMode::kShardId ? source::KeyMode::kShardId
                                                                                : source::KeyMode::kPartitionKey;
  auto properties = source::RecordProperties::from_names(c.kinesis_record_properties);
  if (!properties.ok()) return properties.error().with_context("configs.kinesisRecordProperties");
  s.converter.properties = *properties;

  s.checkpoint_interval = ms(c.checkpoint_interval_ms);
  s.receive_queue_size = static_cast<size_t>(std::max<int64_t>(c.receive_queue_size, 1));
  s.effectively_once =
      c.effectively_once || spec.common.processing_guarantees == config::ProcessingGuarantees::kEffectivelyOnce;

  s.coordinator.worker = c.worker_id.empty() ? kcl::make_worker_id() : kcl::WorkerId(c.worker_id);
  if (c.failover_time_ms > 0) s.coordinator.timing.failover = ms(c.failover_time_ms);
  if (c.shard_sync_interval_ms > 0) s.coordinator.timing.shard_sync_interval = ms(c.shard_sync_interval_ms);
  if (c.max_leases_per_worker > 0)
    s.coordinator.timing.max_leases_for_worker = static_cast<int>(c.max_leases_per_worker);
  if (auto valid = kcl::validate(s.coordinator.timing); !valid.ok()) {
    return valid.error().with_context("configs.failoverTimeMillis");
  }
  s.lease_table.num_retries = static_cast<int>(std::max<int64_t>(c.num_retries, 1));
  s.lease_table.backoff_time = ms(c.backoff_time_ms);
  return s;
}

Result<SourceClients> source_clients(const config::SourceConfigs& c, boost::asio::any_io_executor executor,
                                     boost::asio::thread_pool& blocking) {
  PK_ASSIGN_OR_RETURN(auto kinesis_endpoint, service_endpoint("kinesis", c.aws, c.aws.endpoint, {}, "awsEndpoint"));
  PK_ASSIGN_OR_RETURN(auto dynamo_endpoint,
                      service_endpoint("dynamodb", c.aws, c.dynamo_endpoint, {}, "dynamoEndpoint"));
  CredentialsSetup setup{executor, &blocking, {}, "", std::nullopt, std::chrono::milliseconds(5000)};
  PK_ASSIGN_OR_RETURN(auto credentials, credentials_provider(c.aws, setup));

  kinesis::KinesisClientOptions kinesis_options;
  kinesis_options.subscription.http = kinesis_options.http;
  PK_ASSIGN_OR_RETURN(auto kinesis,
                      kinesis::KinesisClient::create(executor, kinesis_endpoint, credentials, kinesis_options));
  dynamodb::DynamoDbClientOptions dynamo_options;
  PK_ASSIGN_OR_RETURN(auto dynamodb,
                      dynamodb::DynamoDbClient::create(executor, dynamo_endpoint, credentials, dynamo_options));
  return SourceClients{std::move(kinesis), std::move(dynamodb)};
}

}  // namespace pk::app
