#pragma once
// Reading one shard, in order, from a starting position: the interface the shard consumer pulls batches through,
// with two implementations — polling (GetRecords, polling_reader.h) and enhanced fan-out (SubscribeToShard over
// HTTP/2, fan_out_reader.h).
//
// A reader deals with what the service throws at it by itself: throttling and transient errors are retried after
// backoffTime, an expired iterator is renewed from the last record delivered, an ended subscription is renewed from
// its continuation. It returns an error only when it cannot go on (the stream is gone, access is denied); the
// consumer then gives the lease up. Owned by its shard consumer; used on the consumer's loop, one next() at a time.

#include <cstdint>
#include <optional>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "kinesis/model.h"

namespace pk::source {

// One step of a shard: records in stream order (possibly none: time passed), and whether the shard ended.
struct ShardBatch {
  kinesis::RecordBatch records;
  int64_t millis_behind_latest = 0;
  bool shard_end = false;                     // the shard is closed and everything in it was delivered
  std::vector<kinesis::ChildShard> children;  // at shard end, when the service names them
};

struct ReaderCounters {
  uint64_t calls = 0;             // GetRecords calls / subscription events
  uint64_t throttled = 0;         // throttling answers (retried)
  uint64_t errors = 0;            // other errors retried
  uint64_t renewals = 0;          // iterators renewed after expiry / subscriptions renewed
  uint64_t shard_end_probes = 0;  // (fan-out) GetRecords probes for the end of a quiet shard
};

class ShardReader {
 public:
  virtual ~ShardReader() = default;
  virtual boost::asio::awaitable<Result<ShardBatch>> next() = 0;
  // Stops the reader: a pending or later next() fails with kCancelled. Call on the reader's loop.
  virtual void cancel() = 0;
  virtual const ReaderCounters& counters() const = 0;
};

}  // namespace pk::source
