#pragma once
// The metrics the daemon and its pipelines register: one table (names, labels, units, help) from which the
// families are registered and docs/metrics.md is generated, plus one small class per pipeline kind that registers
// them and hands out the cells a pipeline updates.
//
//   auto metrics = SinkMetrics::create(registry, "orders-sink");            // at pipeline construction
//   SinkMetrics::Shard& shard = (*metrics)->shard("shardId-000000000001");    // when a shard appears: keep it
//   shard.records_put.inc(); shard.user_records_put.inc(n); shard.bytes_put.inc(bytes);   // per PutRecords entry
//   (*metrics)->put_records_duration.observe(elapsed);                         // pipeline-wide cells
//   (*metrics)->topic(message.topic()).messages_received.inc();              // or keep Topic& per consumer
//   ...once a second: PipelineReport r; metrics->fill(r); r.state = ...; reporter.publish(r);
//
// SinkMetrics / SourceMetrics are owned by their pipeline and used on its loop only (topic(), shard(), fill() keep
// a per-pipeline index without a lock); the cells they hand out may be read by any thread (the registry's
// scrapes). Destroying one removes its pipeline's series from the registry.

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "metrics/metric_spec.h"
#include "metrics/registry.h"
#include "metrics/status.h"

namespace pk::metrics {

// ---- Label sets
inline constexpr std::string_view kLabelsPipeline[] = {"pipeline"};
inline constexpr std::string_view kLabelsPipelineShard[] = {"pipeline", "shard"};
inline constexpr std::string_view kLabelsPipelineTopic[] = {"pipeline", "topic"};
inline constexpr std::string_view kLabelsPipelineReason[] = {"pipeline", "reason"};
inline constexpr std::string_view kLabelsPipelineKind[] = {"pipeline", "kind"};
inline constexpr std::string_view kLabelsVersion[] = {"version"};

// User records per Kinesis record (1 = not aggregated; KPL aggregates hold up to a few thousand).
inline constexpr double kAggregationBuckets[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

// ---- Sink (Pulsar topics -> Kinesis stream)
inline constexpr MetricSpec kSinkMessagesReceived{.name = "pulsar_kinesis_sink_messages_received_total",
                                                  .type = MetricType::kCounter,
                                                  .unit = "messages",
                                                  .help = "Pulsar messages the sink received, per topic.",
                                                  .labels = kLabelsPipelineTopic};
inline constexpr MetricSpec kSinkMessagesAcknowledged{
    .name = "pulsar_kinesis_sink_messages_acknowledged_total",
    .type = MetricType::kCounter,
    .unit = "messages",
    .help = "Pulsar messages acknowledged after Kinesis accepted their records.",
    .labels = kLabelsPipeline};
inline constexpr MetricSpec kSinkRecordsPut{
    .name = "pulsar_kinesis_sink_records_put_total",
    .type = MetricType::kCounter,
    .unit = "records",
    .help = "Kinesis records PutRecords accepted, per shard (a KPL aggregate counts once).",
    .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSinkUserRecordsPut{
    .name = "pulsar_kinesis_sink_user_records_put_total",
    .type = MetricType::kCounter,
    .unit = "records",
    .help = "User records (one per Pulsar message) in the Kinesis records accepted, per shard.",
    .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSinkBytesPut{
    .name = "pulsar_kinesis_sink_bytes_put_total",
    .type = MetricType::kCounter,
    .unit = "bytes",
    .help = "Bytes (data and partition keys) of the Kinesis records accepted, per shard.",
    .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSinkAggregation{
    .name = "pulsar_kinesis_sink_user_records_per_record",
    .type = MetricType::kHistogram,
    .unit = "records",
    .help = "User records in each Kinesis record accepted: the aggregation ratio (1 without aggregation).",
    .labels = kLabelsPipeline,
    .buckets = kAggregationBuckets};
inline constexpr MetricSpec kSinkEntryRetries{
    .name = "pulsar_kinesis_sink_entry_retries_total",
    .type = MetricType::kCounter,
    .unit = "entries",
    .help = "PutRecords entries sent again after the entry or its whole request failed.",
    .labels = kLabelsPipeline};
inline constexpr MetricSpec kSinkThrottles{
    .name = "pulsar_kinesis_sink_throttles_total",
    .type = MetricType::kCounter,
    .unit = "entries",
    .help = "PutRecords entries refused with ProvisionedThroughputExceededException, per shard.",
    .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSinkFailures{
    .name = "pulsar_kinesis_sink_failures_total",
    .type = MetricType::kCounter,
    .unit = "messages",
    .help =
        "Messages not delivered to Kinesis, each counted once by what became of it: rejected (can never be "
        "put; nacked), undeliverable (not accepted before recordTtl; nacked), dead_lettered (either, and sent "
        "to the dead-letter topic instead).",
    .labels = kLabelsPipelineReason};
inline constexpr MetricSpec kSinkPutRecordsDuration{
    .name = "pulsar_kinesis_sink_put_records_duration_seconds",
    .type = MetricType::kHistogram,
    .unit = "seconds",
    .help = "Duration of PutRecords requests, from sending to the whole answer.",
    .labels = kLabelsPipeline,
    .buckets = kLatencySecondsBuckets};
inline constexpr MetricSpec kSinkInFlightMessages{
    .name = "pulsar_kinesis_sink_in_flight_messages",
    .type = MetricType::kGauge,
    .unit = "messages",
    .help = "Messages received and not yet acknowledged, nacked or dead-lettered.",
    .labels = kLabelsPipeline};
inline constexpr MetricSpec kSinkInFlightBytes{.name = "pulsar_kinesis_sink_in_flight_bytes",
                                               .type = MetricType::kGauge,
                                               .unit = "bytes",
                                               .help = "Payload bytes of the messages in flight.",
                                               .labels = kLabelsPipeline};

// The `reason` label values of kSinkFailures.
inline constexpr std::string_view kReasonRejected = "rejected";
inline constexpr std::string_view kReasonUndeliverable = "undeliverable";
inline constexpr std::string_view kReasonDeadLettered = "dead_lettered";

// ---- Source (Kinesis stream -> Pulsar topic)
inline constexpr MetricSpec kSourceRecordsReceived{
    .name = "pulsar_kinesis_source_records_received_total",
    .type = MetricType::kCounter,
    .unit = "records",
    .help = "User records read from the shard (after de-aggregation), per shard.",
    .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSourceBytesReceived{.name = "pulsar_kinesis_source_bytes_received_total",
                                                 .type = MetricType::kCounter,
                                                 .unit = "bytes",
                                                 .help = "Data bytes of the user records read, per shard.",
                                                 .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSourceMessagesPublished{.name = "pulsar_kinesis_source_messages_published_total",
                                                     .type = MetricType::kCounter,
                                                     .unit = "messages",
                                                     .help = "Messages Pulsar confirmed, per destination topic.",
                                                     .labels = kLabelsPipelineTopic};
inline constexpr MetricSpec kSourceBytesPublished{
    .name = "pulsar_kinesis_source_bytes_published_total",
    .type = MetricType::kCounter,
    .unit = "bytes",
    .help = "Payload bytes of the messages Pulsar confirmed, per destination topic.",
    .labels = kLabelsPipelineTopic};
inline constexpr MetricSpec kSourceBehindLatest{
    .name = "pulsar_kinesis_source_behind_latest_seconds",
    .type = MetricType::kGauge,
    .unit = "seconds",
    .help =
        "How far the shard's reader is behind the tip of the shard (Kinesis' MillisBehindLatest of the last "
        "GetRecords answer or SubscribeToShard event), per shard.",
    .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSourceCheckpointLag{
    .name = "pulsar_kinesis_source_checkpoint_lag_records",
    .type = MetricType::kGauge,
    .unit = "records",
    .help = "User records read from the shard and not yet covered by a checkpoint, per shard.",
    .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSourceLeasesHeld{.name = "pulsar_kinesis_source_leases_held",
                                              .type = MetricType::kGauge,
                                              .unit = "leases",
                                              .help = "Shard leases this process holds.",
                                              .labels = kLabelsPipeline};
inline constexpr MetricSpec kSourceThrottles{
    .name = "pulsar_kinesis_source_throttles_total",
    .type = MetricType::kCounter,
    .unit = "requests",
    .help = "Reads refused with ProvisionedThroughputExceededException or LimitExceededException, per shard.",
    .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSourceResubscriptions{
    .name = "pulsar_kinesis_source_resubscriptions_total",
    .type = MetricType::kCounter,
    .unit = "subscriptions",
    .help =
        "SubscribeToShard subscriptions started again after one ended or failed (enhanced fan-out), per "
        "shard.",
    .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSourceCorruptAggregates{
    .name = "pulsar_kinesis_source_corrupt_aggregates_total",
    .type = MetricType::kCounter,
    .unit = "records",
    .help = "KPL aggregated records that could not be de-aggregated (digest mismatch or malformed), per shard.",
    .labels = kLabelsPipelineShard};
inline constexpr MetricSpec kSourceFailures{
    .name = "pulsar_kinesis_source_failures_total",
    .type = MetricType::kCounter,
    .unit = "failures",
    .help =
        "Failed operations by what failed: read (GetRecords / SubscribeToShard), publish (Pulsar refused a "
        "message), checkpoint (the lease table write).",
    .labels = kLabelsPipelineReason};
inline constexpr MetricSpec kSourceInFlightMessages{.name = "pulsar_kinesis_source_in_flight_messages",
                                                    .type = MetricType::kGauge,
                                                    .unit = "messages",
                                                    .help = "Messages sent to Pulsar and not yet confirmed.",
                                                    .labels = kLabelsPipeline};

// The `reason` label values of kSourceFailures.
inline constexpr std::string_view kReasonRead = "read";
inline constexpr std::string_view kReasonPublish = "publish";
inline constexpr std::string_view kReasonCheckpoint = "checkpoint";

// ---- The process
inline constexpr MetricSpec kBuildInfo{.name = "pulsar_kinesis_build_info",
                                       .type = MetricType::kGauge,
                                       .unit = "",
                                       .help = "Always 1; the version label says which build runs.",
                                       .labels = kLabelsVersion};
inline constexpr MetricSpec kStartTime{.name = "pulsar_kinesis_start_time_seconds",
                                       .type = MetricType::kGauge,
                                       .unit = "seconds",
                                       .help = "When the process started, in seconds since the Unix epoch."};
inline constexpr MetricSpec kPipelineUp{.name = "pulsar_kinesis_pipeline_up",
                                        .type = MetricType::kGauge,
                                        .unit = "",
                                        .help = "1 while the pipeline runs, 0 while it starts, drains or has stopped.",
                                        .labels = kLabelsPipelineKind};

// One group of the table, as docs/metrics.md shows it.
struct MetricSection {
  std::string_view title;
  std::string_view about;
  std::span<const MetricSpec> metrics;
};

// Every metric of the daemon, in sections (sink, source, process).
std::span<const MetricSection> metric_table();

// Registers build_info (version) and start_time; the values are set at once.
Status register_process_metrics(Registry& registry, std::string_view version, double start_time_seconds);

// The cells of one pipeline's topics or shards, by name (sorted): made on first use, dropped on request.
template <typename Cells>
class CellIndex {
 public:
  template <typename Make>
  Cells& get(std::string_view key, Make make) {
    auto it = index_.find(key);
    if (it == index_.end()) it = index_.emplace(std::string(key), std::make_unique<Cells>(make(key))).first;
    return *it->second;
  }
  std::unique_ptr<Cells> take(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    std::unique_ptr<Cells> cells = std::move(it->second);
    index_.erase(it);
    return cells;
  }
  auto begin() const { return index_.begin(); }
  auto end() const { return index_.end(); }
  bool empty() const { return index_.empty(); }

 private:
  std::map<std::string, std::unique_ptr<Cells>, std::less<>> index_;
};

class SinkMetrics {
 public:
  struct Topic {
    Counter& messages_received;
  };
  struct Shard {
    Counter& records_put;
    Counter& user_records_put;
    Counter& bytes_put;
    Counter& throttles;
  };

  static Result<std::unique_ptr<SinkMetrics>> create(Registry& registry, std::string pipeline);
  ~SinkMetrics();
  SinkMetrics(const SinkMetrics&) = delete;
  SinkMetrics& operator=(const SinkMetrics&) = delete;

  // The cells of a topic / shard, made on first use (a lookup here; keep the reference on hot paths).
  Topic& topic(std::string_view name);
  Shard& shard(std::string_view shard_id);
  // Drops a shard's series (a closed shard after a reshard); earlier Shard references must not be used. Its counts
  // stay in fill()'s totals.
  void forget_shard(std::string_view shard_id);

  // Fills the report's counters (records_in: messages received; records_out: user records put; bytes_out: bytes
  // put; failures: all reasons; retries; throttles), in-flight values, shards and topics from the cells. The
  // caller sets state and lag.
  void fill(PipelineReport& report) const;
  const std::string& pipeline() const { return pipeline_; }

 private:
  struct Families;
  SinkMetrics(std::unique_ptr<Families> families, std::string pipeline);

  std::unique_ptr<Families> families_;
  std::string pipeline_;

 public:
  // The pipeline-wide cells.
  Counter& messages_acknowledged;
  Counter& entry_retries;
  Counter& rejected;  // the three reasons of kSinkFailures
  Counter& undeliverable;
  Counter& dead_lettered;
  Histogram& user_records_per_record;
  Histogram& put_records_duration;
  Gauge& in_flight_messages;
  Gauge& in_flight_bytes;

 private:
  CellIndex<Topic> topics_;
  CellIndex<Shard> shards_;
};

class SourceMetrics {
 public:
  struct Topic {
    Counter& messages_published;
    Counter& bytes_published;
  };
  struct Shard {
    Counter& records_received;
    Counter& bytes_received;
    Counter& throttles;
    Counter& resubscriptions;
    Counter& corrupt_aggregates;
    Gauge& behind_latest_seconds;
    Gauge& checkpoint_lag_records;
  };

  static Result<std::unique_ptr<SourceMetrics>> create(Registry& registry, std::string pipeline);
  ~SourceMetrics();
  SourceMetrics(const SourceMetrics&) = delete;
  SourceMetrics& operator=(const SourceMetrics&) = delete;

  Topic& topic(std::string_view name);
  Shard& shard(std::string_view shard_id);
  // Drops a shard's series (lease lost or shard finished): its gauges would otherwise show stale values.
  void forget_shard(std::string_view shard_id);

  // Fills counters (records_in / bytes_in: read from shards; records_out / bytes_out: confirmed by Pulsar;
  // failures; throttles), in_flight, lag (max millis behind latest, summed checkpoint lag), shards (with
  // millis_behind_latest) and topics. The caller sets state, lease owners and backlog.
  void fill(PipelineReport& report) const;
  const std::string& pipeline() const { return pipeline_; }

 private:
  struct Families;
  SourceMetrics(std::unique_ptr<Families> families, std::string pipeline);

  std::unique_ptr<Families> families_;
  std::string pipeline_;

 public:
  Gauge& leases_held;
  Gauge& in_flight_messages;
  Counter& read_failures;  // the three reasons of kSourceFailures
  Counter& publish_failures;
  Counter& checkpoint_failures;

 private:
  CellIndex<Topic> topics_;
  CellIndex<Shard> shards_;
};

}  // namespace pk::metrics
