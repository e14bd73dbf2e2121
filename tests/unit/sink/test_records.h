#pragma once
// Helpers for the sink's unit tests: shard maps of N equal ranges, user records on a chosen shard, and a
// listener that records every outcome.

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sink/producer_core.h"
#include "sink/shard_map.h"

namespace pk::sink::testing {

// A fixed start time for tests that pass time in explicitly.
inline const TimePoint kT0 = TimePoint{} + std::chrono::seconds(1000);

// N open shards "shardId-00000000000i" splitting the hash space in equal ranges.
inline std::vector<kinesis::Shard> equal_shards(size_t n) {
  std::vector<kinesis::Shard> shards;
  const kinesis::uint128 step = kinesis::HashKey::max().value() / n;
  for (size_t i = 0; i < n; ++i) {
    kinesis::Shard s;
    s.shard_id = kinesis::ShardId(fmt::format("shardId-{:012}", i));
    s.hash_key_range.starting = kinesis::HashKey(step * i);
    s.hash_key_range.ending = i + 1 == n ? kinesis::HashKey::max() : kinesis::HashKey(step * (i + 1) - 1);
    shards.push_back(s);
  }
  return shards;
}

inline ShardMapPtr equal_map(size_t n, uint64_t version = 1) {
  return ShardMap::from_shards(equal_shards(n), version);
}

// A partition key whose MD5 falls in shard `shard` of an equal_map(n), the `k`-th such key.
inline std::string key_on_shard(size_t shard, size_t n, size_t k = 0) {
  auto map = equal_map(n);
  size_t found = 0;
  for (size_t i = 0;; ++i) {
    std::string key = fmt::format("key-{}", i);
    if (map->find(kinesis::HashKey::of_partition_key(key)) == shard && found++ == k) return key;
  }
}

// A user record that owns its key and bytes; converts to the producer's view (valid while this lives, e.g. for
// the whole `core.add(record(...), now)` expression).
struct OwnedRecord {
  uint64_t ticket = 0;
  std::string key;
  std::string data;

  operator UserRecord() const {  // NOLINT: implicit by design
    UserRecord r;
    r.ticket = ticket;
    r.partition_key = key;
    r.data = data;
    r.hash = kinesis::HashKey::of_partition_key(key);
    return r;
  }
};

inline OwnedRecord record(uint64_t ticket, std::string key, std::string data = "payload") {
  return OwnedRecord{ticket, std::move(key), std::move(data)};
}

struct Outcome {
  std::vector<uint64_t> tickets;
  bool delivered = false;
  Error error;
  FailureKind kind = FailureKind::kUndeliverable;
};

class RecordingListener : public DeliveryListener {
 public:
  void on_delivered(const TicketList& tickets) override { outcomes.push_back({list(tickets), true, {}, {}}); }
  void on_failed(const TicketList& tickets, const Error& error, FailureKind kind) override {
    outcomes.push_back({list(tickets), false, error, kind});
  }
  std::vector<uint64_t> delivered() const {
    std::vector<uint64_t> out;
    for (const auto& o : outcomes)
      if (o.delivered) out.insert(out.end(), o.tickets.begin(), o.tickets.end());
    return out;
  }
  std::vector<uint64_t> failed() const {
    std::vector<uint64_t> out;
    for (const auto& o : outcomes)
      if (!o.delivered) out.insert(out.end(), o.tickets.begin(), o.tickets.end());
    return out;
  }
  std::vector<Outcome> outcomes;

 private:
  static std::vector<uint64_t> list(const TicketList& t) {
    std::vector<uint64_t> out;
    for (size_t i = 0; i < t.size(); ++i) out.push_back(t[i]);
    return out;
  }
};

// An answer accepting every entry of `request` on the shard of its lane (as `map` predicts), except the indexes in
// `refused`, which get `error_code`.
inline kinesis::PutRecordsResponse answer(const ProducerCore::Request& request, const ShardMap& map,
                                          std::map<size_t, std::string> refused = {}) {
  kinesis::PutRecordsResponse r;
  for (size_t i = 0; i < request.entries.size(); ++i) {
    kinesis::PutRecordsResultEntry e;
    if (auto it = refused.find(i); it != refused.end()) {
      e.error_code = it->second;
      e.error_message = "scripted";
      ++r.failed_record_count;
    } else {
      auto shard = map.find(kinesis::HashKey::of_partition_key(request.entries[i].partition_key));
      e.shard_id = map.shard(*shard).id;
      e.sequence_number = kinesis::SequenceNumber::from_digits(fmt::format("{}", 1000 + i)).value();
    }
    r.records.push_back(e);
  }
  return r;
}

}  // namespace pk::sink::testing
