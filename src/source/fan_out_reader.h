#pragma once
// The enhanced fan-out reader: SubscribeToShard over HTTP/2, renewed when the service ends it (every 5 minutes) or
// after an error, from AFTER the last continuation sequence number (empty events advance it too), at most once a
// second (the service's limit per consumer and shard; ResourceInUseException, a subscription still open elsewhere,
// waits backoff). Back-pressure is the subscription's: events are read only when the consumer asks for the next
// batch, and HTTP/2 flow control holds the service back meanwhile.
//
// Shard end comes as an event without continuation (with the child shards). Some emulators never send it
// (kinesis-mock), so a shard that stays quiet for probe_interval is probed once with GetRecords from the last
// position: an answer without NextShardIterator and without records is the end.
//
// The Kinesis calls are injected (production: kinesis::ShardSubscription and the client's GetRecords). Owned by its
// shard consumer; used on one loop.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "kinesis/subscribe_event_codec.h"
#include "source/polling_reader.h"
#include "source/shard_reader.h"

namespace pk::source {

// One subscription's events (kinesis::ShardSubscription behind an interface, so tests can script events).
class EventStream {
 public:
  virtual ~EventStream() = default;
  // The next event; nullopt when the service ended the subscription.
  virtual boost::asio::awaitable<Result<std::optional<kinesis::SubscribeToShardEvent>>> next() = 0;
  virtual void cancel() = 0;
};

struct FanOutApi {
  std::function<boost::asio::awaitable<Result<std::unique_ptr<EventStream>>>(kinesis::StartingPosition position)>
      subscribe;
  PollingApi polling;  // for the shard-end probe
};

struct FanOutSettings {
  std::chrono::milliseconds min_subscribe_interval{1000};
  std::chrono::milliseconds backoff{3000};          // backoffTime
  std::chrono::milliseconds probe_interval{10000};  // quiet this long: probe for the shard end
};

class FanOutReader final : public ShardReader {
 public:
  FanOutReader(boost::asio::any_io_executor executor, FanOutApi api, FanOutSettings settings,
               kinesis::StartingPosition start);

  boost::asio::awaitable<Result<ShardBatch>> next() override;
  void cancel() override;
  const ReaderCounters& counters() const override { return counters_; }

 private:
  boost::asio::awaitable<bool> sleep_until(std::chrono::steady_clock::time_point until);
  kinesis::StartingPosition resume_position() const;
  // GetRecords from the resume position: whether the shard has ended there (with its children).
  boost::asio::awaitable<Result<std::optional<ShardBatch>>> probe_shard_end();

  FanOutApi api_;
  FanOutSettings settings_;
  kinesis::StartingPosition start_;
  std::optional<kinesis::SequenceNumber> continuation_;  // resume AFTER it
  std::unique_ptr<EventStream> stream_;
  std::chrono::steady_clock::time_point next_subscribe_{};
  std::chrono::steady_clock::time_point quiet_since_{};
  boost::asio::steady_timer timer_;
  bool cancelled_ = false;
  bool ended_ = false;
  ReaderCounters counters_;
};

}  // namespace pk::source
