#pragma once
// What the source pipeline needs to know, in plain values (the app maps the config file to this; tests build it).

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "kcl/lease_coordinator.h"
#include "kcl/lease_table.h"
#include "kcl/shard_sync_plan.h"
#include "kinesis/model.h"
#include "pulsar/client/options.h"
#include "source/fan_out_reader.h"
#include "source/polling_reader.h"
#include "source/record_converter.h"

namespace pk::source {

struct SourceSettings {
  std::string name;  // tenant/namespace/name: logs and metrics
  kinesis::StreamRef stream;
  std::string application_name = "pulsar-kinesis";  // lease table, EFO consumer name, effectively-once producer names
  std::string topic;                                // the Pulsar topic records go to
  pulsar::ProducerOptions producer;                 // batching, compression, pending limits (topic filled in)
  kcl::InitialPosition initial_position = kcl::InitialPosition::kLatest;
  kinesis::Timestamp start_at{};  // AT_TIMESTAMP
  bool fan_out = true;            // useEnhancedFanOut
  PollingSettings polling;
  FanOutSettings fan_out_settings;
  ConverterSettings converter;
  std::chrono::milliseconds checkpoint_interval{60000};
  size_t receive_queue_size = 1000;  // (sub-)records sent to Pulsar and not yet confirmed, over all shards
  bool effectively_once = false;
  kcl::CoordinatorOptions coordinator;                    // worker id, lease timing
  kcl::LeaseTableOptions lease_table;                     // numRetries / backoffTime for lease-table writes
  std::chrono::milliseconds parent_poll_interval{10000};  // a child waits for its parents' end, checking this often
  std::chrono::milliseconds backoff{3000};                // backoffTime: between retries of lease-table work
};

}  // namespace pk::source
