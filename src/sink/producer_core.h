#pragma once
// The Kinesis producer's decisions, without I/O: the KPL's stages as one state machine over explicit time.
//
//   add(record) --> shard prediction (ShardMap: MD5 of the key -> shard) --> lane of that shard
//                   lane: [open aggregate] -> entries waiting (fresh FIFO, retry FIFO) + rate limiter
//   take_requests(now) --> collection: entries from every lane into PutRecords requests
//                          (<= collection_max_count entries, <= collection_max_size bytes; with retain_ordering at
//                          most one entry per lane per request and one request in flight per lane)
//   on_response(request, answer) --> per entry: delivered (tickets reported), or retried with backoff and jitter
//                                    until recordTtl, or failed (tickets reported with the reason)
//
// A request is sent when it is full, when an entry in it is due (its oldest record waited recordMaxBufferedTime),
// when a retry's backoff is over, or on flush; next_wakeup() says when to ask again. The driver
// (kinesis_producer.h) sends what take_requests returns and feeds the answers back; every outcome is reported to
// the DeliveryListener exactly once per ticket.
//
// Owned by the driver; single-threaded (the producer's loop).

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/result.h"
#include "kinesis/put_records_codec.h"
#include "kpl/aggregator.h"
#include "kpl/deaggregator.h"
#include "sink/producer_settings.h"
#include "sink/rate_limiter.h"
#include "sink/records.h"
#include "sink/shard_map.h"

namespace pk::sink {

// Why records failed: the pipeline dead-letters rejected records and negatively acknowledges undeliverable ones.
enum class FailureKind {
  kRejected,       // the record itself can never be put (too big, invalid key): retrying cannot help
  kUndeliverable,  // Kinesis did not take it before recordTtl, or answered with an error that will not go away
};

class DeliveryListener {
 public:
  virtual ~DeliveryListener() = default;
  // Kinesis accepted the records of these tickets (an entry: one call per accepted entry).
  virtual void on_delivered(const TicketList& tickets) = 0;
  virtual void on_failed(const TicketList& tickets, const Error& error, FailureKind kind) = 0;
};

struct ProducerCounters {
  uint64_t user_records_in = 0;
  uint64_t user_records_delivered = 0;
  uint64_t user_records_failed = 0;
  uint64_t entries_put = 0;  // Kinesis records accepted (aggregates count once)
  uint64_t bytes_put = 0;    // data + partition keys of accepted entries
  uint64_t requests = 0;
  uint64_t entry_retries = 0;
  uint64_t throttled_entries = 0;
  uint64_t wrong_shard_entries = 0;
  uint64_t resent_after_wrong_shard = 0;  // user records of misplaced aggregates sent again
};

// What one lane (the records predicted for one shard) delivered: the per-shard metrics. Lanes are never removed, so
// these only grow.
struct LaneStats {
  kinesis::ShardId shard;    // empty: the lane of records the shard map had no shard for
  bool retired = false;      // its shard closed (after a reshard); it takes no new records
  uint64_t entries_put = 0;  // Kinesis records accepted (an aggregate counts once)
  uint64_t user_records_put = 0;
  uint64_t bytes_put = 0;  // data + partition keys
  uint64_t throttled_entries = 0;
};

class ProducerCore {
 public:
  struct Request {
    std::vector<Entry> entries;
    size_t bytes = 0;  // data + partition keys
  };

  ProducerCore(ProducerSettings settings, ShardMapPtr map, DeliveryListener& listener, TimePoint now,
               uint64_t seed = std::random_device{}());

  // Takes a user record. A record that can never be put (over the record size limit) fails at once.
  void add(const UserRecord& record, TimePoint now);
  // The requests to send now, at most `slots` of them. `flush` sends everything that may go, full or not.
  std::vector<Request> take_requests(TimePoint now, size_t slots, bool flush);
  // The answer to a request take_requests returned.
  void on_response(Request request, const Result<kinesis::PutRecordsResponse>& answer, TimePoint now);
  // A new snapshot of the shards (a newer version than the current one).
  void on_shard_map(ShardMapPtr map, TimePoint now);

  // When take_requests may have something new to send (or entries to expire); nullopt when nothing waits.
  std::optional<TimePoint> next_wakeup(TimePoint now);
  // An answer showed the shard map is stale (a record landed on another shard than predicted). Reading clears it.
  bool take_refresh_wanted();

  size_t buffered_user_records() const { return buffered_user_records_; }
  size_t in_flight_requests() const { return in_flight_requests_; }
  // Whether a full request waits (the driver then sends without waiting for a deadline).
  bool request_ready() const {
    return ready_entries_ >= settings_.collection_max_count || ready_bytes_ >= settings_.collection_max_size;
  }
  bool idle() const { return buffered_user_records_ == 0 && in_flight_requests_ == 0 && misplaced_.empty(); }
  const ProducerCounters& counters() const { return counters_; }
  const ShardMap& shard_map() const { return *map_; }
  // The rate limiter's effective factor of each current shard (1 = configured rate), for metrics.
  std::vector<std::pair<kinesis::ShardId, double>> shard_rate_factors() const;
  // What each lane delivered so far, in lane order (a lane keeps its index).
  std::vector<LaneStats> lane_stats() const;

  // Gives up on everything for good (the stream is gone, say): every record waiting now fails at once with
  // `error` (kUndeliverable), and so does every record added, retried or misplaced later. Requests in flight still
  // deliver what Kinesis accepts.
  void abandon(const Error& error);
  bool abandoned() const { return abandoned_.has_value(); }

 private:
  // The aggregate a lane is filling: user records of its shard packed into one KPL aggregated record.
  struct OpenAggregate {
    kpl::Aggregator aggregator;
    TicketList tickets;
    kinesis::HashKey first_hash;  // the aggregate is routed by its first record's hash (its explicit hash key)
    TimePoint deadline{};         // the first record's arrival + recordMaxBufferedTime
    TimePoint expires = TimePoint::max();
  };

  struct Lane {
    Lane(kinesis::ShardId id, ShardRateLimiter rate_limiter)
        : shard(std::move(id)), limiter(rate_limiter), open(std::make_unique<OpenAggregate>()) {}

    kinesis::ShardId shard;  // empty: records the current map has no shard for (sent unpredicted)
    ShardRateLimiter limiter;
    std::unique_ptr<OpenAggregate> open;  // empty unless aggregating
    std::deque<Entry> fresh;              // never tried, in arrival order
    std::deque<Entry> retry;              // failed before, in failure order
    size_t in_flight = 0;                 // entries of this lane in requests not answered yet
    bool retired = false;                 // its shard is no longer open: drains, takes nothing new
    LaneStats stats;                      // what it delivered (shard and retired are filled in by lane_stats())

    bool empty() const { return fresh.empty() && retry.empty() && open->aggregator.empty(); }
  };

  // An aggregate that Kinesis put on another shard than its lane's, waiting for a shard map that knows that shard.
  struct Misplaced {
    Entry entry;
    kinesis::ShardId landed;
  };

  size_t lane_for(kinesis::HashKey hash);
  void enqueue(Entry entry);
  void route(UserRecord record, TimePoint now);  // a copy of the small view struct
  // Adds the record to the lane's open aggregate (sealing it first when full); false when the record is too big
  // to be aggregated at all.
  bool aggregate(Lane& lane, size_t lane_index, const UserRecord& record);
  void seal(Lane& lane, size_t lane_index);
  void seal_due(TimePoint now, bool flush);
  void settle_misplaced(Misplaced misplaced, TimePoint now);
  void retry_or_fail(Entry entry, std::string why, ErrorCode code, bool retryable, TimePoint now);
  void fail(const Entry& entry, const Error& error, FailureKind kind);
  void deliver(const Entry& entry);
  void report_delivered(const TicketList& tickets);
  void expire_overdue(TimePoint now);
  bool anything_due(TimePoint now) const;
  bool retired_lanes_busy() const;
  std::chrono::milliseconds backoff(int attempts);

  ProducerSettings settings_;
  ShardMapPtr map_;
  DeliveryListener& listener_;
  std::vector<Lane> lanes_;                // never shrinks: entries name their lane by index
  std::vector<size_t> lane_of_shard_;      // current map's shard index -> lane
  std::optional<size_t> unassigned_lane_;  // for hashes the map has no shard for
  size_t round_robin_ = 0;
  size_t ready_entries_ = 0;  // entries waiting in lanes
  size_t ready_bytes_ = 0;
  size_t buffered_user_records_ = 0;  // added, not yet reported
  size_t in_flight_requests_ = 0;
  bool refresh_wanted_ = false;
  std::vector<Misplaced> misplaced_;         // settled on the next shard map
  std::vector<kpl::SubRecord> sub_records_;  // reused by settle_misplaced
  std::string seal_buffer_;
  std::mt19937_64 rng_;
  ProducerCounters counters_;
  std::optional<Error> abandoned_;  // abandon(): fail instead of retrying
};

}  // namespace pk::sink
