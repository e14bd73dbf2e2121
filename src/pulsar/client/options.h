#pragma once
// Settings of the client, its producers and its consumers, with the official clients' defaults
// (docs/pulsar-protocol-notes.md, "Client tunables"). Plain values; validated when used.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/tls.h"
#include "pulsar/client/auth.h"
#include "pulsar/client/batch_container.h"

namespace pk::pulsar {

struct ClientOptions {
  std::string service_url;  // pulsar://h:6650[,h2:6650] or pulsar+ssl://h:6651
  AuthenticationPtr auth;   // null = anonymous
  // For pulsar+ssl: CA file (empty = system store), optional client certificate + key, verify_peer (includes
  // host-name verification; turn off only on explicit user request).
  net::TlsOptions tls;
  std::chrono::milliseconds operation_timeout = std::chrono::seconds(30);
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);
  std::chrono::milliseconds keep_alive = std::chrono::seconds(30);
  std::chrono::milliseconds initial_backoff = std::chrono::milliseconds(100);  // reconnect backoff
  std::chrono::milliseconds max_backoff = std::chrono::seconds(60);
  uint64_t memory_limit_bytes = 64ull * 1024 * 1024;  // payload bytes all producers may hold; 0 = no limit
};

enum class Compression { kNone = 0, kLz4 = 1, kZlib = 2, kZstd = 3, kSnappy = 4 };

enum class ProducerAccessMode { kShared = 0, kExclusive = 1, kWaitForExclusive = 2, kExclusiveWithFencing = 3 };

// How a producer on a partitioned topic picks a partition for a message.
enum class RoutingMode {
  kRoundRobin,       // messages with a key: Murmur3 hash of the key (as the Java client); without: rotate partitions
  kSinglePartition,  // with a key: hash; without: one partition chosen at random at start
};

struct ProducerOptions {
  std::string topic;
  // Empty: the broker assigns a unique name. Set a stable name (with sequence ids) for broker deduplication.
  std::string producer_name;
  // The first message gets initial_sequence_id + 1. Unset: the broker's last_sequence_id for this producer
  // name + 1 (or 0).
  std::optional<int64_t> initial_sequence_id;
  bool batching = true;
  BatchLimits batch{1000, 128 * 1024, std::chrono::milliseconds(10)};
  bool batch_by_key = false;  // batches never mix keys (needed by Key_Shared consumers)
  Compression compression = Compression::kNone;
  uint32_t max_pending_messages = 1000;  // per partition; 0 = no limit (the memory limit still applies)
  std::chrono::milliseconds send_timeout = std::chrono::seconds(30);  // 0 = retry forever
  ProducerAccessMode access_mode = ProducerAccessMode::kShared;
  RoutingMode routing = RoutingMode::kRoundRobin;
  std::vector<std::pair<std::string, std::string>> properties;  // producer metadata shown in topic stats
};

enum class SubscriptionType { kExclusive = 0, kShared = 1, kFailover = 2, kKeyShared = 3 };
enum class InitialPosition { kLatest = 0, kEarliest = 1 };

struct ConsumerOptions {
  // One of: topics (one or more; partitioned topics expand to their partitions) or topics_pattern (a regex over
  // full topic names within one namespace, e.g. "persistent://public/default/orders-.*").
  std::vector<std::string> topics;
  std::string topics_pattern;
  std::chrono::milliseconds pattern_refresh =
      std::chrono::seconds(60);  // how often a pattern consumer looks for new topics
  std::string subscription;
  SubscriptionType type = SubscriptionType::kExclusive;
  InitialPosition initial_position = InitialPosition::kLatest;
  std::string consumer_name;  // empty = generated
  uint32_t receiver_queue_size = 1000;
  std::chrono::milliseconds ack_group_time = std::chrono::milliseconds(100);  // 0 = send every ack at once
  size_t ack_group_max = 1000;
  std::chrono::milliseconds negative_ack_delay = std::chrono::seconds(60);
  // Ack single messages of a batch on the broker (needs acknowledgmentAtBatchIndexLevelEnabled on the broker).
  // Off: a batch entry is acked once all its messages are.
  bool batch_index_ack = false;
  bool durable = true;
  bool read_compacted = false;
  int32_t priority_level = 0;
  std::vector<std::pair<std::string, std::string>> properties;  // consumer metadata
};

}  // namespace pk::pulsar
