#include "kcl/checkpointer.h"

#include <cassert>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"

namespace pk::kcl {

namespace asio = boost::asio;

Checkpointer::Checkpointer(asio::any_io_executor executor, kinesis::ShardId shard, CheckpointWriter& writer,
                           CheckpointTracker tracker, CheckpointerOptions options, const Clock& clock)
    : executor_(executor),
      shard_(std::move(shard)),
      writer_(writer),
      tracker_(std::move(tracker)),
      options_(options),
      clock_(clock),
      written_(tracker_.checkpointable()),
      written_count_(tracker_.checkpointable_count()),
      last_write_(clock.steady_now()),
      writing_(std::make_shared<AsyncMutex>(executor)),
      confirmed_(executor),
      wake_(executor),
      tasks_(executor) {}

Checkpointer::~Checkpointer() {
  assert(tasks_.size() == 0 && "Checkpointer destroyed before stop() completed");
}

Status Checkpointer::confirm(CheckpointTracker::Ticket ticket) {
  Status s = tracker_.confirm(ticket);
  if (s.ok() && tracker_.all_confirmed()) confirmed_.notify();
  return s;
}

void Checkpointer::start() {
  tasks_.spawn(loop());
}

asio::awaitable<void> Checkpointer::stop() {
  stopping_ = true;
  wake_.cancel();
  co_await tasks_.join();
}

asio::awaitable<void> Checkpointer::loop() {
  while (!stopping_) {
    const auto wait = last_write_ + options_.interval - clock_.steady_now();
    wake_.expires_after(wait.count() > 0 ? wait : std::chrono::steady_clock::duration(options_.interval));
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (stopping_ || lost_) break;
    if (!checkpoint_due(tracker_.checkpointable(), written_, last_write_, clock_.steady_now(), options_.interval)) {
      continue;
    }
    auto flushing = flush();
    auto flushed = co_await std::move(flushing);
    if (!flushed.ok()) logger("kcl")->warn("checkpoint of shard {}: {}", shard_.str(), flushed.error().to_string());
  }
}

asio::awaitable<Result<bool>> Checkpointer::write(ExtendedSequenceNumber position, std::optional<uint64_t> count,
                                                  uint64_t position_count) {
  auto locking = writing_->lock();
  AsyncMutex::Guard guard = co_await std::move(locking);
  if (lost_) co_return false;
  if (position == written_) co_return true;
  auto writing = writer_.write_checkpoint(shard_, position, count);
  auto written = co_await std::move(writing);
  if (!written.ok()) co_return std::move(written).error().with_context(fmt::format("checkpoint of {}", shard_.str()));
  if (!written->applied()) {
    lost_ = true;
    logger("kcl")->warn("checkpoint of shard {} at {} not written: the lease is no longer ours", shard_.str(),
                        position.to_string());
    co_return false;
  }
  written_ = std::move(position);
  written_count_ = position_count;
  last_write_ = clock_.steady_now();
  co_return true;
}

asio::awaitable<Result<bool>> Checkpointer::flush() {
  std::optional<uint64_t> count;
  if (options_.record_count) count = tracker_.checkpointable_count();
  auto writing = write(tracker_.checkpointable(), count, tracker_.checkpointable_count());
  co_return co_await std::move(writing);
}

asio::awaitable<Result<bool>> Checkpointer::finish_shard(std::chrono::milliseconds wait_limit) {
  using namespace asio::experimental::awaitable_operators;
  const SteadyTime give_up = clock_.steady_now() + wait_limit;
  while (!tracker_.all_confirmed()) {
    const auto left = give_up - clock_.steady_now();
    if (left.count() <= 0) {
      co_return make_error(ErrorCode::kTimeout,
                           fmt::format("shard {} ended but {} records were not confirmed within {} ms: SHARD_END not "
                                       "written",
                                       shard_.str(), tracker_.in_flight(), wait_limit.count()));
    }
    asio::steady_timer limit(executor_, left);
    co_await (confirmed_.wait() || limit.async_wait(asio::as_tuple(asio::use_awaitable)));
  }
  std::optional<uint64_t> count;
  if (options_.record_count) count = tracker_.checkpointable_count();
  auto writing = write(ExtendedSequenceNumber::shard_end(), count, tracker_.checkpointable_count());
  co_return co_await std::move(writing);
}

asio::awaitable<Result<bool>> Checkpointer::write_after_loss(const LeaseTable& table, Lease last_known) {
  lost_ = true;
  const ExtendedSequenceNumber candidate = tracker_.checkpointable();
  const uint64_t candidate_count = tracker_.checkpointable_count();
  if (candidate == written_) co_return true;
  std::optional<uint64_t> count;
  if (options_.record_count) count = tracker_.checkpointable_count();
  auto writing = table.checkpoint(std::move(last_known), candidate, count);
  auto written = co_await std::move(writing);
  if (!written.ok()) co_return std::move(written).error();
  if (!written->applied()) co_return false;
  written_ = candidate;
  written_count_ = candidate_count;
  logger("kcl")->info("shard {}: checkpoint {} written after the lease was lost (nobody had taken it)", shard_.str(),
                      candidate.to_string());
  co_return true;
}

}  // namespace pk::kcl
