#include "source/fan_out_reader.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "aws/aws_error.h"

namespace pk::source {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

FanOutReader::FanOutReader(asio::any_io_executor executor, FanOutApi api, FanOutSettings settings,
                           kinesis::StartingPosition start)
    : api_(std::move(api)), settings_(settings), start_(std::move(start)), timer_(executor) {}

void FanOutReader::cancel() {
  cancelled_ = true;
  timer_.cancel();
  if (stream_) stream_->cancel();
}

asio::awaitable<bool> FanOutReader::sleep_until(Clock::time_point until) {
  if (cancelled_) co_return false;
  if (until <= Clock::now()) co_return true;
  timer_.expires_at(until);
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return !cancelled_;
}

kinesis::StartingPosition FanOutReader::resume_position() const {
  return continuation_ ? kinesis::StartingPosition::after(*continuation_) : start_;
}

asio::awaitable<Result<std::optional<ShardBatch>>> FanOutReader::probe_shard_end() {
  ++counters_.shard_end_probes;
  auto getting = api_.polling.get_shard_iterator(resume_position());
  auto iterator = co_await std::move(getting);
  if (!iterator.ok()) co_return iterator.error();
  auto reading = api_.polling.get_records(*iterator, 1);
  auto answer = co_await std::move(reading);
  if (!answer.ok()) co_return answer.error();
  if (!answer->at_shard_end() || !answer->records.empty()) co_return std::optional<ShardBatch>();
  ShardBatch end;
  end.shard_end = true;
  end.children = std::move(answer->child_shards);
  co_return std::optional<ShardBatch>(std::move(end));
}

asio::awaitable<Result<ShardBatch>> FanOutReader::next() {
  const Error cancelled = make_error(ErrorCode::kCancelled, "shard reader stopped");
  if (ended_) co_return make_error(ErrorCode::kInvalidArgument, "the shard has ended: nothing more to read");
  for (;;) {
    if (cancelled_) co_return cancelled;
    if (!stream_) {
      if (!co_await sleep_until(next_subscribe_)) co_return cancelled;
      next_subscribe_ = Clock::now() + settings_.min_subscribe_interval;
      auto subscribing = api_.subscribe(resume_position());
      auto opened = co_await std::move(subscribing);
      if (cancelled_) co_return cancelled;
      if (!opened.ok()) {
        const auto what = aws::classify_error(opened.error());
        if (what == aws::RetryClass::kFatal) co_return opened.error().with_context("SubscribeToShard");
        ++(what == aws::RetryClass::kThrottling ? counters_.throttled : counters_.errors);
        next_subscribe_ = Clock::now() + settings_.backoff;
        continue;
      }
      stream_ = std::move(*opened);
      if (quiet_since_ == Clock::time_point{}) quiet_since_ = Clock::now();
    }
    auto pulling = stream_->next();
    auto event = co_await std::move(pulling);
    if (cancelled_) co_return cancelled;
    if (!event.ok() || !event->has_value()) {
      // An error, or the service ended the subscription (every 5 minutes): resubscribe from the continuation.
      if (!event.ok()) ++counters_.errors;
      ++counters_.renewals;
      stream_.reset();
      continue;
    }
    ++counters_.calls;
    kinesis::SubscribeToShardEvent& e = **event;
    ShardBatch batch;
    batch.millis_behind_latest = e.millis_behind_latest;
    if (e.at_shard_end()) {
      batch.shard_end = true;
      batch.children = std::move(e.child_shards);
      batch.records = std::move(e.records);
      ended_ = true;
      stream_.reset();
      co_return batch;
    }
    continuation_ = e.continuation_sequence_number;
    if (!e.records.empty()) {
      quiet_since_ = Clock::now();
    } else if (Clock::now() - quiet_since_ >= settings_.probe_interval) {
      quiet_since_ = Clock::now();
      auto probing = probe_shard_end();
      auto probe = co_await std::move(probing);
      if (probe.ok() && probe->has_value()) {
        ended_ = true;
        stream_.reset();
        co_return std::move(**probe);
      }
    }
    batch.records = std::move(e.records);
    co_return batch;
  }
}

}  // namespace pk::source
