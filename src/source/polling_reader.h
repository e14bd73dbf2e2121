#pragma once
// The polling reader: GetShardIterator once, then GetRecords in a loop, at most one call per min_call_interval
// (Kinesis allows 5 calls per second per shard, shared by every reader of the shard), sleeping idle_interval when
// it has caught up (an empty answer with MillisBehindLatest 0). An expired iterator is renewed AFTER the last
// record delivered (or at the original position when none was); throttling and transient errors wait backoff and
// retry; the shard end is an answer without NextShardIterator. Each call's Limit keeps its answer near
// bytes_per_call: a shard that is behind otherwise answers up to 10 MiB of data (13 MiB of JSON, then the decoded
// records) per call and per shard, where a shard gives at most 2 MiB/s anyway (so 5 calls of about 2 MiB lose
// nothing). The Limit follows the mean size of the records read last, never above max_records.
//
// The two Kinesis calls are injected (the client in production, scripted answers in tests). Owned by its shard
// consumer; used on one loop.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "kinesis/get_records_codec.h"
#include "source/shard_reader.h"

namespace pk::source {

struct PollingApi {
  // GetShardIterator for this reader's stream and shard.
  std::function<boost::asio::awaitable<Result<std::string>>(kinesis::StartingPosition position)> get_shard_iterator;
  std::function<boost::asio::awaitable<Result<kinesis::GetRecordsResponse>>(std::string iterator, int limit)>
      get_records;
};

struct PollingSettings {
  int max_records = 10000;          // Limit of each GetRecords call, at most
  size_t bytes_per_call = 2 << 20;  // the data a call should answer, about
  // Before any record size is known: KPL aggregates of the default 50 KB make this about 2 MiB (capped by
  // max_records); the next calls follow the sizes read.
  int first_limit = 40;
  std::chrono::milliseconds min_call_interval{200};  // 5 calls per second per shard
  std::chrono::milliseconds idle_interval{1000};     // wait when caught up
  std::chrono::milliseconds backoff{3000};           // backoffTime: after throttling or an error
};

class PollingReader final : public ShardReader {
 public:
  PollingReader(boost::asio::any_io_executor executor, PollingApi api, PollingSettings settings,
                kinesis::StartingPosition start);

  boost::asio::awaitable<Result<ShardBatch>> next() override;
  void cancel() override;
  const ReaderCounters& counters() const override { return counters_; }

 private:
  boost::asio::awaitable<bool> sleep_until(std::chrono::steady_clock::time_point until);
  void fit_limit(const kinesis::RecordBatch& records);
  int bounded_limit(size_t wanted) const;  // wanted, within 1 .. max_records

  PollingApi api_;
  PollingSettings settings_;
  kinesis::StartingPosition start_;
  std::optional<kinesis::SequenceNumber> last_delivered_;
  std::optional<std::string> iterator_;
  std::chrono::steady_clock::time_point next_call_{};
  int limit_;  // the next call's Limit
  boost::asio::steady_timer timer_;
  bool cancelled_ = false;
  bool ended_ = false;
  ReaderCounters counters_;
};

}  // namespace pk::source
