#include "sink/kinesis_producer.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"

namespace pk::sink {

namespace asio = boost::asio;

namespace {
TimePoint steady_now() {
  return std::chrono::steady_clock::now();
}
}  // namespace

KinesisProducer::KinesisProducer(asio::any_io_executor executor, kinesis::StreamRef stream, ProducerSettings settings,
                                 PutRecordsFn put, ListShardsFn list_shards, DeliveryListener& listener)
    : executor_(executor),
      stream_(std::move(stream)),
      settings_(settings),
      put_(std::move(put)),
      list_shards_(std::move(list_shards)),
      listener_(listener),
      concurrency_(settings.max_in_flight_requests, settings.overload_cooldown),
      wake_timer_(executor),
      refresh_timer_(executor),
      idle_timer_(executor),
      tasks_(executor) {}

KinesisProducer::~KinesisProducer() = default;

asio::awaitable<Status> KinesisProducer::start() {
  auto listing = list_shards_();
  auto shards = co_await std::move(listing);
  if (!shards.ok()) co_return shards.error().with_context("listing the shards of the stream");
  core_ = std::make_unique<ProducerCore>(settings_, ShardMap::from_shards(*shards, ++map_version_), listener_,
                                         steady_now());
  last_refresh_ = steady_now();
  tasks_.spawn(send_loop());
  tasks_.spawn(refresh_loop());
  co_return Status();
}

void KinesisProducer::add(const UserRecord& record, TimePoint now) {
  core_->add(record, now);
  // Wake the send loop only when it would otherwise sleep past what this record needs.
  if (core_->request_ready() || sleeping_until_ > now + settings_.max_buffered_time) wake();
}

void KinesisProducer::hurry() {
  if (!core_ || hurry_) return;
  hurry_ = true;
  wake();
}

asio::awaitable<void> KinesisProducer::wait(asio::steady_timer& timer, TimePoint until) {
  timer.expires_at(until);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> KinesisProducer::send_loop() {
  while (!stopping_) {
    const TimePoint now = steady_now();
    if (core_->take_refresh_wanted()) {
      refresh_soon_ = true;
      refresh_timer_.cancel();
    }
    const size_t in_flight = core_->in_flight_requests();
    const size_t limit = concurrency_.limit();
    const size_t slots = in_flight < limit ? limit - in_flight : 0;
    auto requests = core_->take_requests(now, slots, flushing_ || hurry_);
    if (slots > 0) hurry_ = false;
    for (auto& request : requests) tasks_.spawn(send(std::move(request)));
    if (flushing_ && core_->idle()) idle_timer_.cancel();
    // Sleep until the core expects something to do, or until woken by a new record or an answer.
    auto next = core_->next_wakeup(now);
    sleeping_until_ = next && core_->in_flight_requests() < concurrency_.limit() ? *next : TimePoint::max();
    co_await wait(wake_timer_, sleeping_until_);
    sleeping_until_ = TimePoint{};
  }
}

asio::awaitable<void> KinesisProducer::send(ProducerCore::Request request) {
  std::vector<kinesis::PutRecordsEntry> views;
  views.reserve(request.entries.size());
  for (const Entry& e : request.entries) views.push_back({e.data, e.partition_key, e.explicit_hash_key});
  auto body = kinesis::build_put_records_body(stream_, views);
  if (!body.ok()) {
    // Cannot happen for entries the core accepted (keys are checked on add); fail them rather than loop.
    core_->on_response(std::move(request), Result<kinesis::PutRecordsResponse>(body.error()), steady_now());
    wake();
    co_return;
  }
  auto putting = put_(std::move(*body), request.entries.size());
  auto answer = co_await std::move(putting);
  const TimePoint now = steady_now();
  const size_t before = concurrency_.limit();
  if (concurrency_.on_answer(!answer.ok() && ConcurrencyLimit::means_overload(answer.error().code), now)) {
    logger("sink")->warn("{}: Kinesis is overloaded ({}): at most {} PutRecords request(s) at once (was {})",
                         stream_.display(), answer.error().to_string(), concurrency_.limit(), before);
  }
  core_->on_response(std::move(request), answer, now);
  wake();
}

asio::awaitable<Status> KinesisProducer::refresh_shard_map() {
  last_refresh_ = steady_now();
  auto listing = list_shards_();
  auto shards = co_await std::move(listing);
  if (!shards.ok()) {
    logger("sink")->warn("keeping the current shard map of {}: {}", stream_.display(), shards.error().to_string());
    co_return shards.error();
  }
  auto map = ShardMap::from_shards(*shards, map_version_ + 1);
  if (!map->same_shards(core_->shard_map())) {
    ++map_version_;
    logger("sink")->info("shard map of {} changed: {} open shards", stream_.display(), map->size());
    core_->on_shard_map(std::move(map), steady_now());
    wake();
  }
  co_return Status();
}

asio::awaitable<void> KinesisProducer::refresh_loop() {
  while (!stopping_) {
    TimePoint next = last_refresh_ + settings_.shard_map_refresh_interval;
    if (refresh_soon_) next = std::min(next, last_refresh_ + settings_.shard_map_min_refresh_interval);
    if (steady_now() < next) {
      co_await wait(refresh_timer_, next);
      continue;  // woken early (a refresh was asked for, or stopping): re-evaluate
    }
    refresh_soon_ = false;
    co_await refresh_shard_map();
  }
}

asio::awaitable<void> KinesisProducer::flush() {
  if (!core_) co_return;
  flushing_ = true;
  wake();
  while (!core_->idle()) co_await wait(idle_timer_, TimePoint::max());
  flushing_ = false;
}

void KinesisProducer::abandon(const Error& error) {
  if (!core_) return;
  core_->abandon(error);
  wake();
  idle_timer_.cancel();
}

asio::awaitable<void> KinesisProducer::close() {
  if (!core_) co_return;
  co_await flush();
  stopping_ = true;
  wake();
  refresh_timer_.cancel();
  co_await tasks_.join();
}

}  // namespace pk::sink
