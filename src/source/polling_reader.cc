#include "source/polling_reader.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "aws/aws_error.h"
#include "common/log.h"

namespace pk::source {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

PollingReader::PollingReader(asio::any_io_executor executor, PollingApi api, PollingSettings settings,
                             kinesis::StartingPosition start)
    : api_(std::move(api)),
      settings_(settings),
      start_(std::move(start)),
      limit_(bounded_limit(static_cast<size_t>(std::max(0, settings.first_limit)))),
      timer_(executor) {}

void PollingReader::cancel() {
  cancelled_ = true;
  timer_.cancel();
}

asio::awaitable<bool> PollingReader::sleep_until(Clock::time_point until) {
  if (cancelled_) co_return false;
  if (until <= Clock::now()) co_return true;
  timer_.expires_at(until);
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return !cancelled_;
}

void PollingReader::fit_limit(const kinesis::RecordBatch& records) {
  size_t bytes = 0;
  for (const kinesis::RecordView& r : records) bytes += r.data.size() + r.partition_key.size();
  const size_t mean = std::max<size_t>(1, bytes / records.size());
  limit_ = bounded_limit(settings_.bytes_per_call / mean);
}

int PollingReader::bounded_limit(size_t wanted) const {
  return static_cast<int>(std::clamp<size_t>(wanted, 1, static_cast<size_t>(std::max(1, settings_.max_records))));
}

asio::awaitable<Result<ShardBatch>> PollingReader::next() {
  const Error cancelled = make_error(ErrorCode::kCancelled, "shard reader stopped");
  if (ended_) co_return make_error(ErrorCode::kInvalidArgument, "the shard has ended: nothing more to read");
  for (;;) {
    if (cancelled_) co_return cancelled;
    if (!iterator_) {
      const kinesis::StartingPosition position =
          last_delivered_ ? kinesis::StartingPosition::after(*last_delivered_) : start_;
      auto getting = api_.get_shard_iterator(position);
      auto iterator = co_await std::move(getting);
      if (!iterator.ok()) {
        const auto what = aws::classify_error(iterator.error());
        if (what == aws::RetryClass::kFatal) co_return iterator.error().with_context("GetShardIterator");
        ++(what == aws::RetryClass::kThrottling ? counters_.throttled : counters_.errors);
        if (!co_await sleep_until(Clock::now() + settings_.backoff)) co_return cancelled;
        continue;
      }
      iterator_ = std::move(*iterator);
    }
    if (!co_await sleep_until(next_call_)) co_return cancelled;
    next_call_ = Clock::now() + settings_.min_call_interval;
    auto reading = api_.get_records(*iterator_, limit_);
    auto answer = co_await std::move(reading);
    ++counters_.calls;
    if (cancelled_) co_return cancelled;
    if (!answer.ok()) {
      const auto what = aws::classify_error(answer.error());
      if (what == aws::RetryClass::kExpiredIterator) {
        ++counters_.renewals;
        iterator_.reset();
        continue;
      }
      if (what == aws::RetryClass::kFatal) co_return answer.error().with_context("GetRecords");
      ++(what == aws::RetryClass::kThrottling ? counters_.throttled : counters_.errors);
      if (!co_await sleep_until(Clock::now() + settings_.backoff)) co_return cancelled;
      continue;
    }
    ShardBatch batch;
    batch.millis_behind_latest = answer->millis_behind_latest;
    if (!answer->records.empty()) {
      last_delivered_ = answer->records.back().sequence();
      fit_limit(answer->records);
    }
    if (answer->at_shard_end()) {
      batch.shard_end = true;
      batch.children = std::move(answer->child_shards);
      ended_ = true;
    } else {
      iterator_ = std::move(answer->next_shard_iterator);
      if (answer->records.empty() && answer->millis_behind_latest == 0) {
        next_call_ = Clock::now() + settings_.idle_interval;  // caught up: no need to ask again at once
      }
    }
    batch.records = std::move(answer->records);
    co_return batch;
  }
}

}  // namespace pk::source
