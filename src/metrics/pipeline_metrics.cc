#include "metrics/pipeline_metrics.h"

#include <algorithm>
#include <cmath>

namespace pk::metrics {
namespace {

constexpr MetricSpec kSinkMetrics[] = {
    kSinkMessagesReceived, kSinkMessagesAcknowledged, kSinkRecordsPut,       kSinkUserRecordsPut,
    kSinkBytesPut,         kSinkAggregation,          kSinkEntryRetries,     kSinkThrottles,
    kSinkFailures,         kSinkPutRecordsDuration,   kSinkInFlightMessages, kSinkInFlightBytes};
constexpr MetricSpec kSourceMetrics[] = {kSourceRecordsReceived,   kSourceBytesReceived, kSourceMessagesPublished,
                                         kSourceBytesPublished,    kSourceBehindLatest,  kSourceCheckpointLag,
                                         kSourceLeasesHeld,        kSourceThrottles,     kSourceResubscriptions,
                                         kSourceCorruptAggregates, kSourceFailures,      kSourceInFlightMessages};
constexpr MetricSpec kProcessMetrics[] = {kBuildInfo, kStartTime, kPipelineUp};

constexpr MetricSection kSections[] = {
    {.title = "Sink pipelines",
     .about = "One set per sink (Pulsar topics to a Kinesis stream); `pipeline` is the sink's name.",
     .metrics = kSinkMetrics},
    {.title = "Source pipelines",
     .about = "One set per source (a Kinesis stream to a Pulsar topic); `pipeline` is the source's name.",
     .metrics = kSourceMetrics},
    {.title = "Process", .about = "The daemon itself.", .metrics = kProcessMetrics},
};

uint64_t gauge_count(const Gauge& g) {
  const double v = g.value();
  return v > 0 ? static_cast<uint64_t>(std::llround(v)) : 0;
}

Status register_family(Registry& registry, const MetricSpec& spec, CounterFamily*& family) {
  PK_ASSIGN_OR_RETURN(family, registry.counter(spec));
  return ok_status();
}
Status register_family(Registry& registry, const MetricSpec& spec, GaugeFamily*& family) {
  PK_ASSIGN_OR_RETURN(family, registry.gauge(spec));
  return ok_status();
}
Status register_family(Registry& registry, const MetricSpec& spec, HistogramFamily*& family) {
  PK_ASSIGN_OR_RETURN(family, registry.histogram(spec));
  return ok_status();
}

// Registers the families of a table section: specs[i] into the i-th of `families` (the same order and count);
// stops at the first error.
template <size_t N, typename... Families>
Status register_families(Registry& registry, const MetricSpec (&specs)[N], Families*&... families) {
  static_assert(N == sizeof...(Families), "one family pointer per spec of the section");
  Status status = ok_status();
  size_t i = 0;
  auto one = [&](auto*& family) {
    if (status.ok()) status = register_family(registry, specs[i], family);
    ++i;
  };
  (one(families), ...);
  return status;
}

}  // namespace

std::span<const MetricSection> metric_table() {
  return kSections;
}

Status register_process_metrics(Registry& registry, std::string_view version, double start_time_seconds) {
  PK_ASSIGN_OR_RETURN(GaugeFamily * build_info, registry.gauge(kBuildInfo));
  PK_ASSIGN_OR_RETURN(GaugeFamily * start_time, registry.gauge(kStartTime));
  build_info->with({version}).set(1);
  start_time->with({}).set(start_time_seconds);
  return ok_status();
}

// ---- PipelineMetrics

template <typename Families, typename TopicCells, typename ShardCells>
PipelineMetrics<Families, TopicCells, ShardCells>::PipelineMetrics(std::unique_ptr<Families> families,
                                                                   std::string pipeline)
    : families_(std::move(families)), pipeline_(std::move(pipeline)) {}

template <typename Families, typename TopicCells, typename ShardCells>
PipelineMetrics<Families, TopicCells, ShardCells>::~PipelineMetrics() {
  for (const auto& [name, topic] : topics_) families_->remove_topic(pipeline_, name);
  while (!shards_.empty()) forget_shard(std::string(shards_.begin()->first));
}

template <typename Families, typename TopicCells, typename ShardCells>
TopicCells& PipelineMetrics<Families, TopicCells, ShardCells>::topic(std::string_view name) {
  return topics_.get(name, [&](std::string_view key) { return families_->topic(pipeline_, key); });
}

template <typename Families, typename TopicCells, typename ShardCells>
ShardCells& PipelineMetrics<Families, TopicCells, ShardCells>::shard(std::string_view shard_id) {
  return shards_.get(shard_id, [&](std::string_view id) { return families_->shard(pipeline_, id); });
}

template <typename Families, typename TopicCells, typename ShardCells>
void PipelineMetrics<Families, TopicCells, ShardCells>::forget_shard(std::string_view shard_id) {
  std::unique_ptr<ShardCells> gone = shards_.take(shard_id);
  if (gone == nullptr) return;
  families_->retire(*gone);
  families_->remove_shard(pipeline_, shard_id);
}

// ---- SinkMetrics

// The sink's families (in kSinkMetrics' order) and what forgotten shards had counted, so totals never go down.
struct SinkFamilies {
  CounterFamily* messages_received = nullptr;
  CounterFamily* messages_acknowledged = nullptr;
  CounterFamily* records_put = nullptr;
  CounterFamily* user_records_put = nullptr;
  CounterFamily* bytes_put = nullptr;
  HistogramFamily* aggregation = nullptr;
  CounterFamily* entry_retries = nullptr;
  CounterFamily* throttles = nullptr;
  CounterFamily* failures = nullptr;
  HistogramFamily* put_records_duration = nullptr;
  GaugeFamily* in_flight_messages = nullptr;
  GaugeFamily* in_flight_bytes = nullptr;
  PipelineCounters retired;

  Status register_in(Registry& registry) {
    return register_families(registry, kSinkMetrics, messages_received, messages_acknowledged, records_put,
                             user_records_put, bytes_put, aggregation, entry_retries, throttles, failures,
                             put_records_duration, in_flight_messages, in_flight_bytes);
  }
  SinkTopicCells topic(std::string_view pipeline, std::string_view name) const {
    return {.messages_received = messages_received->with({pipeline, name})};
  }
  void remove_topic(std::string_view pipeline, std::string_view name) const {
    messages_received->remove({pipeline, name});
  }
  SinkShardCells shard(std::string_view pipeline, std::string_view id) const {
    return {.records_put = records_put->with({pipeline, id}),
            .user_records_put = user_records_put->with({pipeline, id}),
            .bytes_put = bytes_put->with({pipeline, id}),
            .throttles = throttles->with({pipeline, id})};
  }
  void retire(const SinkShardCells& shard) {
    retired.records_out += shard.user_records_put.value();
    retired.bytes_out += shard.bytes_put.value();
    retired.throttles += shard.throttles.value();
  }
  void remove_shard(std::string_view pipeline, std::string_view id) const {
    for (CounterFamily* family : {records_put, user_records_put, bytes_put, throttles}) family->remove({pipeline, id});
  }
};

template class PipelineMetrics<SinkFamilies, SinkTopicCells, SinkShardCells>;

Result<std::unique_ptr<SinkMetrics>> SinkMetrics::create(Registry& registry, std::string pipeline) {
  auto families = std::make_unique<SinkFamilies>();
  PK_TRY(families->register_in(registry));
  return std::unique_ptr<SinkMetrics>(new SinkMetrics(std::move(families), std::move(pipeline)));
}

SinkMetrics::SinkMetrics(std::unique_ptr<SinkFamilies> families, std::string pipeline)
    : PipelineMetrics(std::move(families), std::move(pipeline)),
      messages_acknowledged(families_->messages_acknowledged->with({pipeline_})),
      entry_retries(families_->entry_retries->with({pipeline_})),
      rejected(families_->failures->with({pipeline_, kReasonRejected})),
      undeliverable(families_->failures->with({pipeline_, kReasonUndeliverable})),
      dead_lettered(families_->failures->with({pipeline_, kReasonDeadLettered})),
      user_records_per_record(families_->aggregation->with({pipeline_})),
      put_records_duration(families_->put_records_duration->with({pipeline_})),
      in_flight_messages(families_->in_flight_messages->with({pipeline_})),
      in_flight_bytes(families_->in_flight_bytes->with({pipeline_})) {}

SinkMetrics::~SinkMetrics() {
  SinkFamilies& f = *families_;
  f.messages_acknowledged->remove({pipeline_});
  f.entry_retries->remove({pipeline_});
  for (std::string_view reason : {kReasonRejected, kReasonUndeliverable, kReasonDeadLettered}) {
    f.failures->remove({pipeline_, reason});
  }
  f.aggregation->remove({pipeline_});
  f.put_records_duration->remove({pipeline_});
  f.in_flight_messages->remove({pipeline_});
  f.in_flight_bytes->remove({pipeline_});
}

void SinkMetrics::fill(PipelineReport& report) const {
  PipelineCounters& c = report.counters;
  c = families_->retired;
  report.topics.clear();
  for (const auto& [name, topic] : topics_) {
    const uint64_t received = topic->messages_received.value();
    c.records_in += received;
    report.topics.push_back(TopicReport{.name = name, .records = received});
  }
  report.shards.clear();
  for (const auto& [id, shard] : shards_) {
    ShardReport s{.id = id,
                  .records = shard->user_records_put.value(),
                  .bytes = shard->bytes_put.value(),
                  .throttles = shard->throttles.value(),
                  .millis_behind_latest = std::nullopt,
                  .lease_owner = std::nullopt};
    c.records_out += s.records;
    c.bytes_out += s.bytes;
    c.throttles += s.throttles;
    report.shards.push_back(std::move(s));
  }
  c.failures = rejected.value() + undeliverable.value() + dead_lettered.value();
  c.retries = entry_retries.value();
  report.in_flight_messages = gauge_count(in_flight_messages);
  report.in_flight_bytes = gauge_count(in_flight_bytes);
}

// ---- SourceMetrics

// The source's families (in kSourceMetrics' order) and what forgotten shards had counted.
struct SourceFamilies {
  CounterFamily* records_received = nullptr;
  CounterFamily* bytes_received = nullptr;
  CounterFamily* messages_published = nullptr;
  CounterFamily* bytes_published = nullptr;
  GaugeFamily* behind_latest = nullptr;
  GaugeFamily* checkpoint_lag = nullptr;
  GaugeFamily* leases_held = nullptr;
  CounterFamily* throttles = nullptr;
  CounterFamily* resubscriptions = nullptr;
  CounterFamily* corrupt_aggregates = nullptr;
  CounterFamily* failures = nullptr;
  GaugeFamily* in_flight_messages = nullptr;
  PipelineCounters retired;

  Status register_in(Registry& registry) {
    return register_families(registry, kSourceMetrics, records_received, bytes_received, messages_published,
                             bytes_published, behind_latest, checkpoint_lag, leases_held, throttles, resubscriptions,
                             corrupt_aggregates, failures, in_flight_messages);
  }
  SourceTopicCells topic(std::string_view pipeline, std::string_view name) const {
    return {.messages_published = messages_published->with({pipeline, name}),
            .bytes_published = bytes_published->with({pipeline, name})};
  }
  void remove_topic(std::string_view pipeline, std::string_view name) const {
    messages_published->remove({pipeline, name});
    bytes_published->remove({pipeline, name});
  }
  SourceShardCells shard(std::string_view pipeline, std::string_view id) const {
    return {.records_received = records_received->with({pipeline, id}),
            .bytes_received = bytes_received->with({pipeline, id}),
            .throttles = throttles->with({pipeline, id}),
            .resubscriptions = resubscriptions->with({pipeline, id}),
            .corrupt_aggregates = corrupt_aggregates->with({pipeline, id}),
            .behind_latest_seconds = behind_latest->with({pipeline, id}),
            .checkpoint_lag_records = checkpoint_lag->with({pipeline, id})};
  }
  void retire(const SourceShardCells& shard) {
    retired.records_in += shard.records_received.value();
    retired.bytes_in += shard.bytes_received.value();
    retired.throttles += shard.throttles.value();
  }
  void remove_shard(std::string_view pipeline, std::string_view id) const {
    for (CounterFamily* family : {records_received, bytes_received, throttles, resubscriptions, corrupt_aggregates}) {
      family->remove({pipeline, id});
    }
    behind_latest->remove({pipeline, id});
    checkpoint_lag->remove({pipeline, id});
  }
};

template class PipelineMetrics<SourceFamilies, SourceTopicCells, SourceShardCells>;

Result<std::unique_ptr<SourceMetrics>> SourceMetrics::create(Registry& registry, std::string pipeline) {
  auto families = std::make_unique<SourceFamilies>();
  PK_TRY(families->register_in(registry));
  return std::unique_ptr<SourceMetrics>(new SourceMetrics(std::move(families), std::move(pipeline)));
}

SourceMetrics::SourceMetrics(std::unique_ptr<SourceFamilies> families, std::string pipeline)
    : PipelineMetrics(std::move(families), std::move(pipeline)),
      leases_held(families_->leases_held->with({pipeline_})),
      in_flight_messages(families_->in_flight_messages->with({pipeline_})),
      read_failures(families_->failures->with({pipeline_, kReasonRead})),
      publish_failures(families_->failures->with({pipeline_, kReasonPublish})),
      checkpoint_failures(families_->failures->with({pipeline_, kReasonCheckpoint})) {}

SourceMetrics::~SourceMetrics() {
  SourceFamilies& f = *families_;
  f.leases_held->remove({pipeline_});
  f.in_flight_messages->remove({pipeline_});
  for (std::string_view reason : {kReasonRead, kReasonPublish, kReasonCheckpoint}) {
    f.failures->remove({pipeline_, reason});
  }
}

void SourceMetrics::fill(PipelineReport& report) const {
  PipelineCounters& c = report.counters;
  c = families_->retired;
  report.topics.clear();
  for (const auto& [name, topic] : topics_) {
    const uint64_t published = topic->messages_published.value();
    c.records_out += published;
    c.bytes_out += topic->bytes_published.value();
    report.topics.push_back(TopicReport{.name = name, .records = published});
  }
  report.shards.clear();
  std::optional<int64_t> most_behind;
  int64_t checkpoint_lag = 0;
  for (const auto& [id, shard] : shards_) {
    const auto behind = static_cast<int64_t>(std::llround(shard->behind_latest_seconds.value() * 1000));
    most_behind = std::max(most_behind.value_or(0), behind);
    checkpoint_lag += static_cast<int64_t>(gauge_count(shard->checkpoint_lag_records));
    ShardReport s{.id = id,
                  .records = shard->records_received.value(),
                  .bytes = shard->bytes_received.value(),
                  .throttles = shard->throttles.value(),
                  .millis_behind_latest = behind,
                  .lease_owner = std::nullopt};
    c.records_in += s.records;
    c.bytes_in += s.bytes;
    c.throttles += s.throttles;
    report.shards.push_back(std::move(s));
  }
  c.failures = read_failures.value() + publish_failures.value() + checkpoint_failures.value();
  report.in_flight_messages = gauge_count(in_flight_messages);
  report.lag.millis_behind_latest = most_behind;
  report.lag.checkpoint_lag_records = shards_.empty() ? std::nullopt : std::optional<int64_t>(checkpoint_lag);
}

}  // namespace pk::metrics
