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
inline constexpr MetricSpec kSinkMessagesReceived =
    counter_spec("pulsar_kinesis_sink_messages_received_total", "messages", kLabelsPipelineTopic,
                 "Pulsar messages the sink received, per topic.");
inline constexpr MetricSpec kSinkMessagesAcknowledged =
    counter_spec("pulsar_kinesis_sink_messages_acknowledged_total", "messages", kLabelsPipeline,
                 "Pulsar messages acknowledged after Kinesis accepted their records.");
inline constexpr MetricSpec kSinkRecordsPut =
    counter_spec("pulsar_kinesis_sink_records_put_total", "records", kLabelsPipelineShard,
                 "Kinesis records PutRecords accepted, per shard (a KPL aggregate counts once).");
inline constexpr MetricSpec kSinkUserRecordsPut =
    counter_spec("pulsar_kinesis_sink_user_records_put_total", "records", kLabelsPipelineShard,
                 "User records (one per Pulsar message) in the Kinesis records accepted, per shard.");
inline constexpr MetricSpec kSinkBytesPut =
    counter_spec("pulsar_kinesis_sink_bytes_put_total", "bytes", kLabelsPipelineShard,
                 "Bytes (data and partition keys) of the Kinesis records accepted, per shard.");
inline constexpr MetricSpec kSinkAggregation =
    histogram_spec("pulsar_kinesis_sink_user_records_per_record", "records", kLabelsPipeline, kAggregationBuckets,
                   "User records in each Kinesis record accepted: the aggregation ratio (1 without aggregation).");
inline constexpr MetricSpec kSinkEntryRetries =
    counter_spec("pulsar_kinesis_sink_entry_retries_total", "entries", kLabelsPipeline,
                 "PutRecords entries sent again after the entry or its whole request failed.");
inline constexpr MetricSpec kSinkThrottles =
    counter_spec("pulsar_kinesis_sink_throttles_total", "entries", kLabelsPipelineShard,
                 "PutRecords entries refused with ProvisionedThroughputExceededException, per shard.");
inline constexpr MetricSpec kSinkFailures =
    counter_spec("pulsar_kinesis_sink_failures_total", "messages", kLabelsPipelineReason,
                 "Messages not delivered to Kinesis, each counted once by what became of it: rejected (can never be "
                 "put; nacked), undeliverable (not accepted before recordTtl; nacked), dead_lettered (either, and sent "
                 "to the dead-letter topic instead).");
inline constexpr MetricSpec kSinkPutRecordsDuration =
    histogram_spec("pulsar_kinesis_sink_put_records_duration_seconds", "seconds", kLabelsPipeline,
                   kLatencySecondsBuckets, "Duration of PutRecords requests, from sending to the whole answer.");
inline constexpr MetricSpec kSinkInFlightMessages =
    gauge_spec("pulsar_kinesis_sink_in_flight_messages", "messages", kLabelsPipeline,
               "Messages received and not yet acknowledged, nacked or dead-lettered.");
inline constexpr MetricSpec kSinkInFlightBytes = gauge_spec(
    "pulsar_kinesis_sink_in_flight_bytes", "bytes", kLabelsPipeline, "Payload bytes of the messages in flight.");

// The `reason` label values of kSinkFailures.
inline constexpr std::string_view kReasonRejected = "rejected";
inline constexpr std::string_view kReasonUndeliverable = "undeliverable";
inline constexpr std::string_view kReasonDeadLettered = "dead_lettered";

// ---- Source (Kinesis stream -> Pulsar topic)
inline constexpr MetricSpec kSourceRecordsReceived =
    counter_spec("pulsar_kinesis_source_records_received_total", "records", kLabelsPipelineShard,
                 "User records read from the shard (after de-aggregation), per shard.");
inline constexpr MetricSpec kSourceBytesReceived =
    counter_spec("pulsar_kinesis_source_bytes_received_total", "bytes", kLabelsPipelineShard,
                 "Data bytes of the user records read, per shard.");
inline constexpr MetricSpec kSourceMessagesPublished =
    counter_spec("pulsar_kinesis_source_messages_published_total", "messages", kLabelsPipelineTopic,
                 "Messages Pulsar confirmed, per destination topic.");
inline constexpr MetricSpec kSourceBytesPublished =
    counter_spec("pulsar_kinesis_source_bytes_published_total", "bytes", kLabelsPipelineTopic,
                 "Payload bytes of the messages Pulsar confirmed, per destination topic.");
inline constexpr MetricSpec kSourceBehindLatest =
    gauge_spec("pulsar_kinesis_source_behind_latest_seconds", "seconds", kLabelsPipelineShard,
               "How far the shard's reader is behind the tip of the shard (Kinesis' MillisBehindLatest of the last "
               "GetRecords answer or SubscribeToShard event), per shard.");
inline constexpr MetricSpec kSourceCheckpointLag =
    gauge_spec("pulsar_kinesis_source_checkpoint_lag_records", "records", kLabelsPipelineShard,
               "User records read from the shard and not yet covered by a checkpoint, per shard.");
inline constexpr MetricSpec kSourceLeasesHeld =
    gauge_spec("pulsar_kinesis_source_leases_held", "leases", kLabelsPipeline, "Shard leases this process holds.");
inline constexpr MetricSpec kSourceThrottles =
    counter_spec("pulsar_kinesis_source_throttles_total", "requests", kLabelsPipelineShard,
                 "Reads refused with ProvisionedThroughputExceededException or LimitExceededException, per shard.");
inline constexpr MetricSpec kSourceResubscriptions = counter_spec(
    "pulsar_kinesis_source_resubscriptions_total", "subscriptions", kLabelsPipelineShard,
    "SubscribeToShard subscriptions started again after one ended or failed (enhanced fan-out), per shard.");
inline constexpr MetricSpec kSourceCorruptAggregates =
    counter_spec("pulsar_kinesis_source_corrupt_aggregates_total", "records", kLabelsPipelineShard,
                 "KPL aggregated records that could not be de-aggregated (digest mismatch or malformed), per shard.");
inline constexpr MetricSpec kSourceFailures =
    counter_spec("pulsar_kinesis_source_failures_total", "failures", kLabelsPipelineReason,
                 "Failed operations by what failed: read (GetRecords / SubscribeToShard), publish (Pulsar refused a "
                 "message), checkpoint (the lease table write).");
inline constexpr MetricSpec kSourceInFlightMessages =
    gauge_spec("pulsar_kinesis_source_in_flight_messages", "messages", kLabelsPipeline,
               "Messages sent to Pulsar and not yet confirmed.");

// The `reason` label values of kSourceFailures.
inline constexpr std::string_view kReasonRead = "read";
inline constexpr std::string_view kReasonPublish = "publish";
inline constexpr std::string_view kReasonCheckpoint = "checkpoint";

// ---- The process
inline constexpr MetricSpec kBuildInfo =
    gauge_spec("pulsar_kinesis_build_info", "", kLabelsVersion, "Always 1; the version label says which build runs.");
inline constexpr MetricSpec kStartTime = gauge_spec("pulsar_kinesis_start_time_seconds", "seconds", {},
                                                    "When the process started, in seconds since the Unix epoch.");
inline constexpr MetricSpec kPipelineUp =
    gauge_spec("pulsar_kinesis_pipeline_up", "", kLabelsPipelineKind,
               "1 while the pipeline runs, 0 while it starts, drains or has stopped.");

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

// What SinkMetrics and SourceMetrics share: the pipeline's name, its kind's families, and the cells of its topics
// and shards, made on first use. `Families` (SinkFamilies / SourceFamilies, defined in pipeline_metrics.cc)
// registers the kind's families and makes, retires and removes the cells of one topic or shard.
template <typename Families, typename TopicCells, typename ShardCells>
class PipelineMetrics {
 public:
  using Topic = TopicCells;
  using Shard = ShardCells;

  PipelineMetrics(const PipelineMetrics&) = delete;
  PipelineMetrics& operator=(const PipelineMetrics&) = delete;

  // The cells of a topic / shard, made on first use (a lookup here; keep the reference on hot paths).
  Topic& topic(std::string_view name);
  Shard& shard(std::string_view shard_id);
  // Drops a shard's series (a closed shard after a reshard, a lost lease or a finished shard: its gauges would
  // otherwise show stale values); earlier Shard references must not be used. Its counts stay in fill()'s totals.
  void forget_shard(std::string_view shard_id);
  const std::string& pipeline() const { return pipeline_; }

 protected:
  PipelineMetrics(std::unique_ptr<Families> families, std::string pipeline);
  ~PipelineMetrics();  // removes the series of the topics and shards

  std::unique_ptr<Families> families_;
  std::string pipeline_;
  CellIndex<Topic> topics_;
  CellIndex<Shard> shards_;
};

struct SinkFamilies;
struct SinkTopicCells {
  Counter& messages_received;
};
struct SinkShardCells {
  Counter& records_put;
  Counter& user_records_put;
  Counter& bytes_put;
  Counter& throttles;
};
extern template class PipelineMetrics<SinkFamilies, SinkTopicCells, SinkShardCells>;

class SinkMetrics : public PipelineMetrics<SinkFamilies, SinkTopicCells, SinkShardCells> {
 public:
  static Result<std::unique_ptr<SinkMetrics>> create(Registry& registry, std::string pipeline);
  ~SinkMetrics();

  // Fills the report's counters (records_in: messages received; records_out: user records put; bytes_out: bytes
  // put; failures: all reasons; retries; throttles), in-flight values, shards and topics from the cells. The
  // caller sets state and lag.
  void fill(PipelineReport& report) const;

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
  SinkMetrics(std::unique_ptr<SinkFamilies> families, std::string pipeline);
};

struct SourceFamilies;
struct SourceTopicCells {
  Counter& messages_published;
  Counter& bytes_published;
};
struct SourceShardCells {
  Counter& records_received;
  Counter& bytes_received;
  Counter& throttles;
  Counter& resubscriptions;
  Counter& corrupt_aggregates;
  Gauge& behind_latest_seconds;
  Gauge& checkpoint_lag_records;
};
extern template class PipelineMetrics<SourceFamilies, SourceTopicCells, SourceShardCells>;

class SourceMetrics : public PipelineMetrics<SourceFamilies, SourceTopicCells, SourceShardCells> {
 public:
  static Result<std::unique_ptr<SourceMetrics>> create(Registry& registry, std::string pipeline);
  ~SourceMetrics();

  // Fills counters (records_in / bytes_in: read from shards; records_out / bytes_out: confirmed by Pulsar;
  // failures; throttles), in_flight, lag (max millis behind latest, summed checkpoint lag), shards (with
  // millis_behind_latest) and topics. The caller sets state, lease owners and backlog.
  void fill(PipelineReport& report) const;

  // The pipeline-wide cells.
  Gauge& leases_held;
  Gauge& in_flight_messages;
  Counter& read_failures;  // the three reasons of kSourceFailures
  Counter& publish_failures;
  Counter& checkpoint_failures;

 private:
  SourceMetrics(std::unique_ptr<SourceFamilies> families, std::string pipeline);
};

}  // namespace pk::metrics
