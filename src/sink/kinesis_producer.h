#pragma once
// The Kinesis producer: ProducerCore's decisions driven on one event loop. It keeps the shard map fresh
// (ListShards at start, every shard_map_refresh_interval, and soon after an answer shows it is stale), sends the
// requests the core collects (at most max_in_flight_requests at once, fewer while Kinesis is overloaded: see
// ConcurrencyLimit) and feeds the answers back.
//
//   KinesisProducer producer(executor, stream, settings, put, list_shards, listener);
//   co_await producer.start();           // first shard map; fails when the stream cannot be listed
//   producer.add(std::move(record));     // never waits: the pipeline's in-flight window bounds what is buffered
//   co_await producer.flush();           // everything added so far is delivered or failed
//   co_await producer.close();           // flush, then stop the loops; awaited before destruction
//
// The two I/O functions are injected: the Kinesis client in production, scripted answers in tests. Owned by the
// pipeline; every call on the producer's executor. Every outcome reaches the listener on that executor.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/result.h"
#include "kinesis/model.h"
#include "kinesis/put_records_codec.h"
#include "net/task_group.h"
#include "sink/concurrency_limit.h"
#include "sink/producer_core.h"
#include "sink/producer_settings.h"

namespace pk::sink {

using PutRecordsFn =
    std::function<boost::asio::awaitable<Result<kinesis::PutRecordsResponse>>(std::string body, size_t entries)>;
using ListShardsFn = std::function<boost::asio::awaitable<Result<std::vector<kinesis::Shard>>>()>;

class KinesisProducer {
 public:
  KinesisProducer(boost::asio::any_io_executor executor, kinesis::StreamRef stream, ProducerSettings settings,
                  PutRecordsFn put, ListShardsFn list_shards, DeliveryListener& listener);
  ~KinesisProducer();
  KinesisProducer(const KinesisProducer&) = delete;
  KinesisProducer& operator=(const KinesisProducer&) = delete;

  // Lists the shards and starts the loops.
  boost::asio::awaitable<Status> start();
  // `now`: the caller's clock reading (one per batch of records is enough).
  void add(const UserRecord& record, TimePoint now);
  // Sends what is buffered without waiting for recordMaxBufferedTime (once): the pipeline asks when its in-flight
  // window is full, since nothing more will come to fill the aggregates until something is acknowledged.
  void hurry();
  // Sends everything buffered without waiting for deadlines, and returns once it is all delivered or failed.
  boost::asio::awaitable<void> flush();
  // flush(), then stops the loops and waits for them.
  boost::asio::awaitable<void> close();
  // Fails every record now and from now on (ProducerCore::abandon): the stream is gone, nothing can be delivered.
  void abandon(const Error& error);

  const ProducerCore& core() const { return *core_; }
  // PutRecords requests that may be in flight at once now.
  size_t concurrency_limit() const { return concurrency_.limit(); }
  size_t buffered_user_records() const { return core_ ? core_->buffered_user_records() : 0; }

 private:
  boost::asio::awaitable<void> send_loop();
  boost::asio::awaitable<void> refresh_loop();
  boost::asio::awaitable<void> send(ProducerCore::Request request);
  boost::asio::awaitable<Status> refresh_shard_map();
  void wake() { wake_timer_.cancel(); }
  boost::asio::awaitable<void> wait(boost::asio::steady_timer& timer, TimePoint until);

  boost::asio::any_io_executor executor_;
  kinesis::StreamRef stream_;
  ProducerSettings settings_;
  PutRecordsFn put_;
  ListShardsFn list_shards_;
  DeliveryListener& listener_;
  std::unique_ptr<ProducerCore> core_;
  ConcurrencyLimit concurrency_;
  uint64_t map_version_ = 0;

  boost::asio::steady_timer wake_timer_;     // the send loop sleeps on it; wake() cancels it
  boost::asio::steady_timer refresh_timer_;  // the refresh loop sleeps on it
  boost::asio::steady_timer idle_timer_;     // flush()/close() sleep on it until the core is idle
  TimePoint sleeping_until_ = TimePoint::max();
  bool flushing_ = false;
  bool hurry_ = false;
  bool refresh_soon_ = false;
  bool stopping_ = false;
  TimePoint last_refresh_{};
  net::TaskGroup tasks_;  // the two loops and the sends; close() joins them
};

}  // namespace pk::sink
