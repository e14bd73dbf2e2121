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

// ---- SinkMetrics

struct SinkMetrics::Families {
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
  PipelineCounters retired;  // what forgotten shards had counted, so totals never go down
};

Result<std::unique_ptr<SinkMetrics>> SinkMetrics::create(Registry& registry, std::string pipeline) {
  auto f = std::make_unique<Families>();
  PK_ASSIGN_OR_RETURN(f->messages_received, registry.counter(kSinkMessagesReceived));
  PK_ASSIGN_OR_RETURN(f->messages_acknowledged, registry.counter(kSinkMessagesAcknowledged));
  PK_ASSIGN_OR_RETURN(f->records_put, registry.counter(kSinkRecordsPut));
  PK_ASSIGN_OR_RETURN(f->user_records_put, registry.counter(kSinkUserRecordsPut));
  PK_ASSIGN_OR_RETURN(f->bytes_put, registry.counter(kSinkBytesPut));
  PK_ASSIGN_OR_RETURN(f->aggregation, registry.histogram(kSinkAggregation));
  PK_ASSIGN_OR_RETURN(f->entry_retries, registry.counter(kSinkEntryRetries));
  PK_ASSIGN_OR_RETURN(f->throttles, registry.counter(kSinkThrottles));
  PK_ASSIGN_OR_RETURN(f->failures, registry.counter(kSinkFailures));
  PK_ASSIGN_OR_RETURN(f->put_records_duration, registry.histogram(kSinkPutRecordsDuration));
  PK_ASSIGN_OR_RETURN(f->in_flight_messages, registry.gauge(kSinkInFlightMessages));
  PK_ASSIGN_OR_RETURN(f->in_flight_bytes, registry.gauge(kSinkInFlightBytes));
  return std::unique_ptr<SinkMetrics>(new SinkMetrics(std::move(f), std::move(pipeline)));
}

SinkMetrics::SinkMetrics(std::unique_ptr<Families> families, std::string pipeline)
    : families_(std::move(families)),
      pipeline_(std::move(pipeline)),
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
  Families& f = *families_;
  for (const auto& [name, topic] : topics_) f.messages_received->remove({pipeline_, name});
  while (!shards_.empty()) forget_shard(std::string(shards_.begin()->first));
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

SinkMetrics::Topic& SinkMetrics::topic(std::string_view name) {
  return topics_.get(name, [&](std::string_view key) {
    return Topic{.messages_received = families_->messages_received->with({pipeline_, key})};
  });
}

SinkMetrics::Shard& SinkMetrics::shard(std::string_view shard_id) {
  return shards_.get(shard_id, [&](std::string_view id) {
    const Families& f = *families_;
    return Shard{.records_put = f.records_put->with({pipeline_, id}),
                 .user_records_put = f.user_records_put->with({pipeline_, id}),
                 .bytes_put = f.bytes_put->with({pipeline_, id}),
                 .throttles = f.throttles->with({pipeline_, id})};
  });
}

void SinkMetrics::forget_shard(std::string_view shard_id) {
  std::unique_ptr<Shard> gone = shards_.take(shard_id);
  if (gone == nullptr) return;
  Families& f = *families_;
  f.retired.records_out += gone->user_records_put.value();
  f.retired.bytes_out += gone->bytes_put.value();
  f.retired.throttles += gone->throttles.value();
  for (CounterFamily* family : {f.records_put, f.user_records_put, f.bytes_put, f.throttles}) {
    family->remove({pipeline_, shard_id});
  }
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

struct SourceMetrics::Families {
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
};

Result<std::unique_ptr<SourceMetrics>> SourceMetrics::create(Registry& registry, std::string pipeline) {
  auto f = std::make_unique<Families>();
  PK_ASSIGN_OR_RETURN(f->records_received, registry.counter(kSourceRecordsReceived));
  PK_ASSIGN_OR_RETURN(f->bytes_received, registry.counter(kSourceBytesReceived));
  PK_ASSIGN_OR_RETURN(f->messages_published, registry.counter(kSourceMessagesPublished));
  PK_ASSIGN_OR_RETURN(f->bytes_published, registry.counter(kSourceBytesPublished));
  PK_ASSIGN_OR_RETURN(f->behind_latest, registry.gauge(kSourceBehindLatest));
  PK_ASSIGN_OR_RETURN(f->checkpoint_lag, registry.gauge(kSourceCheckpointLag));
  PK_ASSIGN_OR_RETURN(f->leases_held, registry.gauge(kSourceLeasesHeld));
  PK_ASSIGN_OR_RETURN(f->throttles, registry.counter(kSourceThrottles));
  PK_ASSIGN_OR_RETURN(f->resubscriptions, registry.counter(kSourceResubscriptions));
  PK_ASSIGN_OR_RETURN(f->corrupt_aggregates, registry.counter(kSourceCorruptAggregates));
  PK_ASSIGN_OR_RETURN(f->failures, registry.counter(kSourceFailures));
  PK_ASSIGN_OR_RETURN(f->in_flight_messages, registry.gauge(kSourceInFlightMessages));
  return std::unique_ptr<SourceMetrics>(new SourceMetrics(std::move(f), std::move(pipeline)));
}

SourceMetrics::SourceMetrics(std::unique_ptr<Families> families, std::string pipeline)
    : families_(std::move(families)),
      pipeline_(std::move(pipeline)),
      leases_held(families_->leases_held->with({pipeline_})),
      in_flight_messages(families_->in_flight_messages->with({pipeline_})),
      read_failures(families_->failures->with({pipeline_, kReasonRead})),
      publish_failures(families_->failures->with({pipeline_, kReasonPublish})),
      checkpoint_failures(families_->failures->with({pipeline_, kReasonCheckpoint})) {}

SourceMetrics::~SourceMetrics() {
  Families& f = *families_;
  for (const auto& [name, topic] : topics_) {
    f.messages_published->remove({pipeline_, name});
    f.bytes_published->remove({pipeline_, name});
  }
  while (!shards_.empty()) forget_shard(std::string(shards_.begin()->first));
  f.leases_held->remove({pipeline_});
  f.in_flight_messages->remove({pipeline_});
  for (std::string_view reason : {kReasonRead, kReasonPublish, kReasonCheckpoint}) {
    f.failures->remove({pipeline_, reason});
  }
}

SourceMetrics::Topic& SourceMetrics::topic(std::string_view name) {
  return topics_.get(name, [&](std::string_view key) {
    const Families& f = *families_;
    return Topic{.messages_published = f.messages_published->with({pipeline_, key}),
                 .bytes_published = f.bytes_published->with({pipeline_, key})};
  });
}

SourceMetrics::Shard& SourceMetrics::shard(std::string_view shard_id) {
  return shards_.get(shard_id, [&](std::string_view id) {
    const Families& f = *families_;
    return Shard{.records_received = f.records_received->with({pipeline_, id}),
                 .bytes_received = f.bytes_received->with({pipeline_, id}),
                 .throttles = f.throttles->with({pipeline_, id}),
                 .resubscriptions = f.resubscriptions->with({pipeline_, id}),
                 .corrupt_aggregates = f.corrupt_aggregates->with({pipeline_, id}),
                 .behind_latest_seconds = f.behind_latest->with({pipeline_, id}),
                 .checkpoint_lag_records = f.checkpoint_lag->with({pipeline_, id})};
  });
}

void SourceMetrics::forget_shard(std::string_view shard_id) {
  std::unique_ptr<Shard> gone = shards_.take(shard_id);
  if (gone == nullptr) return;
  Families& f = *families_;
  f.retired.records_in += gone->records_received.value();
  f.retired.bytes_in += gone->bytes_received.value();
  f.retired.throttles += gone->throttles.value();
  for (CounterFamily* family :
       {f.records_received, f.bytes_received, f.throttles, f.resubscriptions, f.corrupt_aggregates}) {
    family->remove({pipeline_, shard_id});
  }
  f.behind_latest->remove({pipeline_, shard_id});
  f.checkpoint_lag->remove({pipeline_, shard_id});
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
