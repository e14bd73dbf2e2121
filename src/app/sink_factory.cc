#include "app/sink_factory.h"

#include <algorithm>

#include "app/aws_setup.h"
#include "app/durations.h"
#include "app/pipeline_host.h"

namespace pk::app {

sink::ProducerSettings producer_settings(const config::SinkConfigs& c) {
  sink::ProducerSettings s;
  s.aggregation = c.aggregation_enabled;
  if (c.aggregation_max_size > 0) s.aggregation_max_size = static_cast<size_t>(c.aggregation_max_size);
  if (c.aggregation_max_count > 0) s.aggregation_max_count = static_cast<size_t>(c.aggregation_max_count);
  s.collection_max_count = static_cast<size_t>(c.collection_max_count);
  s.collection_max_size = static_cast<size_t>(c.collection_max_size);
  s.max_buffered_time = ms(c.record_max_buffered_time_ms);
  s.rate_limit_percent = static_cast<double>(c.rate_limit);
  s.retain_ordering = c.retain_ordering;
  s.record_ttl = ms(c.record_ttl_ms);
  s.retry_initial_delay = ms(c.retry_initial_delay_ms);
  s.retry_max_delay = ms(c.retry_max_delay_ms);
  s.max_in_flight_requests = static_cast<size_t>(std::max<int64_t>(c.max_connections, 1));
  s.overload_cooldown = ms(c.request_timeout_ms);
  s.fail_if_throttled = c.fail_if_throttled;
  if (c.shard_map_refresh_interval_ms > 0) s.shard_map_refresh_interval = ms(c.shard_map_refresh_interval_ms);
  return s;
}

sink::SinkPipelineSettings sink_pipeline_settings(const config::SinkSpec& spec) {
  sink::SinkPipelineSettings s;
  s.name = pipeline_name(spec.common);
  s.consumer.topics = spec.inputs;
  s.consumer.topics_pattern = spec.topics_pattern;
  s.consumer.subscription = spec.source_subscription_name;
  switch (spec.subscription_type()) {
    case config::SubscriptionType::kShared:
      s.consumer.type = pulsar::SubscriptionType::kShared;
      break;
    case config::SubscriptionType::kFailover:
      s.consumer.type = pulsar::SubscriptionType::kFailover;
      break;
    case config::SubscriptionType::kKeyShared:
      s.consumer.type = pulsar::SubscriptionType::kKeyShared;
      break;
  }
  s.consumer.initial_position = spec.source_subscription_position == config::SubscriptionPosition::kEarliest
                                    ? pulsar::InitialPosition::kEarliest
                                    : pulsar::InitialPosition::kLatest;
  if (spec.negative_ack_redelivery_delay_ms) s.consumer.negative_ack_delay = ms(*spec.negative_ack_redelivery_delay_ms);
  s.stream = kinesis::StreamRef::named(spec.configs.aws.stream_name);
  s.producer = producer_settings(spec.configs);
  // Order asked for at the subscription (top-level retainOrdering / retainKeyOrdering) is kept through the producer
  // too: without the ordered lanes, a partial PutRecords failure would reorder what the subscription ordered.
  s.producer.retain_ordering = spec.configs.retain_ordering || spec.retain_ordering || spec.retain_key_ordering;
  s.max_in_flight_messages = static_cast<size_t>(spec.configs.max_in_flight_messages);
  s.max_in_flight_bytes = static_cast<size_t>(spec.configs.max_in_flight_bytes);
  s.dead_letter_topic = spec.dead_letter_topic;
  if (spec.max_message_retries) s.max_message_retries = static_cast<int>(*spec.max_message_retries);
  return s;
}

Result<std::unique_ptr<kinesis::KinesisClient>> sink_kinesis_client(const config::SinkConfigs& c,
                                                                    boost::asio::any_io_executor executor,
                                                                    boost::asio::thread_pool& blocking) {
  PK_ASSIGN_OR_RETURN(auto endpoint,
                      service_endpoint("kinesis", c.aws, c.aws.endpoint, c.aws_endpoint_port, "awsEndpoint"));
  kinesis::KinesisClientOptions options;
  options.http.connect_timeout = ms(c.connect_timeout_ms);
  options.http.request_timeout = ms(c.request_timeout_ms);
  options.http.max_connections = static_cast<size_t>(std::max<int64_t>(c.max_connections, 1));
  options.http.min_connections = static_cast<size_t>(std::max<int64_t>(c.min_connections, 0));
  options.http.tls.verify_peer = !c.skip_certificate_validation && c.verify_certificate;
  options.retry.initial_delay = ms(c.retry_initial_delay_ms);
  options.retry.max_delay = ms(c.retry_max_delay_ms);

  CredentialsSetup setup{executor,           &blocking,    options.http,
                         c.aws_sts_endpoint, std::nullopt, ms(c.credentials_refresh_delay_ms)};
  if (c.aws_sts_port) setup.sts_port = static_cast<uint32_t>(*c.aws_sts_port);
  PK_ASSIGN_OR_RETURN(auto credentials, credentials_provider(c.aws, setup));
  return kinesis::KinesisClient::create(executor, endpoint, std::move(credentials), options);
}

formats::FormatOptions sink_format(const config::SinkConfigs& c) {
  formats::FormatOptions options;
  switch (c.message_format) {
    case config::MessageFormat::kOnlyRawPayload:
      options.format = formats::MessageFormat::kOnlyRawPayload;
      break;
    case config::MessageFormat::kFullMessageInJson:
      options.format = formats::MessageFormat::kFullMessageInJson;
      break;
    case config::MessageFormat::kFullMessageInFb:
      options.format = formats::MessageFormat::kFullMessageInFb;
      break;
    case config::MessageFormat::kFullMessageInJsonExpandValue:
      options.format = formats::MessageFormat::kFullMessageInJsonExpandValue;
      break;
  }
  options.json_include_non_nulls = c.json_include_non_nulls;
  options.json_flatten = c.json_flatten;
  return options;
}

}  // namespace pk::app
