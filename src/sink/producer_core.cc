#include "sink/producer_core.h"

#include <algorithm>

#include <fmt/format.h>

namespace pk::sink {

namespace {
constexpr std::string_view kThrottled = "ProvisionedThroughputExceededException";
}  // namespace

ProducerCore::ProducerCore(ProducerSettings settings, ShardMapPtr map, DeliveryListener& listener, TimePoint now,
                           uint64_t seed)
    : settings_(settings), map_(std::make_shared<ShardMap>()), listener_(listener), rng_(seed) {
  settings_.collection_max_count =
      std::clamp<size_t>(settings_.collection_max_count, 1, kinesis::kMaxPutRecordsEntries);
  settings_.collection_max_size =
      std::clamp<size_t>(settings_.collection_max_size, 1, kinesis::kMaxPutRecordsRequestBytes);
  settings_.max_in_flight_requests = std::max<size_t>(settings_.max_in_flight_requests, 1);
  on_shard_map(std::move(map), now);
}

// ---- shard lanes ------------------------------------------------------------------------------------------------

void ProducerCore::on_shard_map(ShardMapPtr map, TimePoint now) {
  std::vector<size_t> lane_of_shard(map->size());
  std::vector<bool> still_open(lanes_.size(), false);
  for (size_t i = 0; i < map->size(); ++i) {
    const auto& id = map->shard(i).id;
    auto existing =
        std::find_if(lanes_.begin(), lanes_.end(), [&](const Lane& lane) { return !lane.retired && lane.shard == id; });
    if (existing != lanes_.end()) {
      lane_of_shard[i] = static_cast<size_t>(existing - lanes_.begin());
    } else {
      lanes_.emplace_back(id, ShardRateLimiter(settings_.rate_limit_percent, now));
      still_open.push_back(false);
      lane_of_shard[i] = lanes_.size() - 1;
    }
    still_open[lane_of_shard[i]] = true;
  }
  // Lanes of shards that closed drain what they hold (their open aggregate goes as it is); new records go to the
  // lanes of the new map.
  for (size_t i = 0; i < lanes_.size(); ++i) {
    if (!still_open[i] && !lanes_[i].shard.empty() && !lanes_[i].retired) {
      lanes_[i].retired = true;
      seal(lanes_[i], i);
    }
  }
  lane_of_shard_ = std::move(lane_of_shard);
  map_ = std::move(map);
  // Aggregates that landed on a shard the old map did not know can be sorted out now.
  auto misplaced = std::move(misplaced_);
  misplaced_.clear();
  for (auto& m : misplaced) settle_misplaced(std::move(m), now);
}

size_t ProducerCore::lane_for(kinesis::HashKey hash) {
  if (auto shard = map_->find(hash)) return lane_of_shard_[*shard];
  if (!unassigned_lane_) {
    lanes_.emplace_back(kinesis::ShardId(), ShardRateLimiter(0, TimePoint{}));
    unassigned_lane_ = lanes_.size() - 1;
  }
  refresh_wanted_ = true;
  return *unassigned_lane_;
}

bool ProducerCore::retired_lanes_busy() const {
  return std::any_of(lanes_.begin(), lanes_.end(),
                     [](const Lane& lane) { return lane.retired && (!lane.empty() || lane.in_flight > 0); });
}

std::vector<std::pair<kinesis::ShardId, double>> ProducerCore::shard_rate_factors() const {
  std::vector<std::pair<kinesis::ShardId, double>> out;
  for (size_t i : lane_of_shard_) out.emplace_back(lanes_[i].shard, lanes_[i].limiter.factor());
  return out;
}

std::vector<LaneStats> ProducerCore::lane_stats() const {
  std::vector<LaneStats> out;
  out.reserve(lanes_.size());
  for (const Lane& lane : lanes_) {
    out.push_back(lane.stats);
    out.back().shard = lane.shard;
    out.back().retired = lane.retired;
  }
  return out;
}

void ProducerCore::abandon(const Error& error) {
  abandoned_ = error;
  for (size_t i = 0; i < lanes_.size(); ++i) {
    Lane& lane = lanes_[i];
    seal(lane, i);
    for (auto* queue : {&lane.retry, &lane.fresh}) {
      while (!queue->empty()) {
        Entry entry = std::move(queue->front());
        queue->pop_front();
        --ready_entries_;
        ready_bytes_ -= entry.wire_size();
        fail(entry, error, FailureKind::kUndeliverable);
      }
    }
  }
  auto misplaced = std::move(misplaced_);
  misplaced_.clear();
  for (const Misplaced& m : misplaced) fail(m.entry, error, FailureKind::kUndeliverable);
}

// ---- intake ------------------------------------------------------------------------------------------------------

void ProducerCore::add(const UserRecord& record, TimePoint now) {
  ++counters_.user_records_in;
  ++buffered_user_records_;
  route(record, now);
}

void ProducerCore::route(UserRecord record, TimePoint now) {
  if (record.arrival == TimePoint{}) record.arrival = now;
  if (record.expires == TimePoint{}) record.expires = record.arrival + settings_.record_ttl;

  Entry entry;
  entry.tickets.push_back(record.ticket);
  if (abandoned_) {
    fail(entry, *abandoned_, FailureKind::kUndeliverable);
    return;
  }
  if (record.wire_size() > settings_.max_record_size) {
    fail(entry,
         make_error(ErrorCode::kInvalidArgument,
                    fmt::format("record of {} bytes (data + partition key) is over the Kinesis limit of {} bytes",
                                record.wire_size(), settings_.max_record_size)),
         FailureKind::kRejected);
    return;
  }
  if (auto key = kinesis::validate_partition_key(record.partition_key); !key.ok()) {
    fail(entry, key.error(), FailureKind::kRejected);
    return;
  }
  const size_t lane_index = lane_for(record.hash);
  Lane& lane = lanes_[lane_index];
  if (settings_.aggregation && !lane.shard.empty() && aggregate(lane, lane_index, record)) return;
  entry.lane = lane_index;
  entry.deadline = record.arrival + settings_.max_buffered_time;
  entry.expires = record.expires;
  entry.data.assign(record.data);
  entry.partition_key.assign(record.partition_key);
  entry.explicit_hash_key = record.explicit_hash_key;
  enqueue(std::move(entry));
}

// ---- aggregation -------------------------------------------------------------------------------------------------

bool ProducerCore::aggregate(Lane& lane, size_t lane_index, const UserRecord& record) {
  OpenAggregate& open = *lane.open;
  std::optional<std::string> hash_text;
  if (record.explicit_hash_key) hash_text = record.explicit_hash_key->to_string();
  const std::optional<std::string_view> explicit_hash_key =
      hash_text ? std::optional<std::string_view>(*hash_text) : std::nullopt;
  const size_t limit = std::min(settings_.aggregation_max_size, settings_.max_record_size);

  bool added = false;
  if (!open.aggregator.empty() && open.aggregator.count() < settings_.aggregation_max_count) {
    added = open.aggregator.add_if_fits(record.partition_key, explicit_hash_key, record.data, limit);
  }
  if (!added) {
    seal(lane, lane_index);  // full (or empty): the record starts the next aggregate
    if (!open.aggregator.add_if_fits(record.partition_key, explicit_hash_key, record.data, limit)) {
      return false;  // bigger than an aggregate may be: it goes on its own, after what was sealed (order)
    }
    open.first_hash = record.hash;
    open.deadline = record.arrival + settings_.max_buffered_time;
  }
  open.tickets.push_back(record.ticket);
  open.expires = std::min(open.expires, record.expires);
  if (open.aggregator.count() >= settings_.aggregation_max_count) seal(lane, lane_index);
  return true;
}

void ProducerCore::seal(Lane& lane, size_t lane_index) {
  OpenAggregate& open = *lane.open;
  if (open.aggregator.empty()) return;
  Entry entry;
  entry.lane = lane_index;
  entry.deadline = open.deadline;
  entry.expires = open.expires;
  entry.tickets = std::move(open.tickets);
  open.tickets = TicketList();
  open.expires = TimePoint::max();
  if (open.aggregator.count() == 1) {
    // One record: sent as it is (as the KPL does), keyed as the user keyed it.
    entry.data = std::string(open.aggregator.first_data());
    entry.partition_key = std::string(open.aggregator.first_partition_key());
    if (auto text = open.aggregator.first_explicit_hash_key()) {
      entry.explicit_hash_key = kinesis::HashKey::parse(*text).value();
    }
    open.aggregator.clear();
  } else {
    entry.partition_key = std::string(open.aggregator.first_partition_key());
    entry.explicit_hash_key = open.first_hash;  // lands on the predicted shard
    entry.aggregated = true;
    open.aggregator.finish(entry.data);
  }
  enqueue(std::move(entry));
}

void ProducerCore::seal_due(TimePoint now, bool flush) {
  if (!settings_.aggregation) return;
  for (size_t i = 0; i < lanes_.size(); ++i) {
    Lane& lane = lanes_[i];
    if (!lane.open->aggregator.empty() && (flush || lane.open->deadline <= now)) seal(lane, i);
  }
}

void ProducerCore::settle_misplaced(Misplaced misplaced, TimePoint now) {
  // Consumers that deaggregate with the shard's hash range (the KCL does) drop the sub-records whose own hash is
  // outside the shard the aggregate was read from. So only those inside count as delivered; the others are sent
  // again, on their own shards. Without a range for the shard (it closed meanwhile), all are sent again.
  Entry& entry = misplaced.entry;
  const auto landed = map_->index_of(misplaced.landed);
  const auto outcome = kpl::deaggregate_into(entry.data, sub_records_);
  if (outcome != kpl::DeaggregateOutcome::kAggregate || sub_records_.size() != entry.tickets.size()) {
    // Cannot happen (we wrote it): deliver nothing, resend nothing, fail loudly rather than lose track.
    fail(entry, make_error(ErrorCode::kInternal, "an aggregate the producer wrote did not read back"),
         FailureKind::kUndeliverable);
    return;
  }
  TicketList delivered;
  std::vector<UserRecord> again;
  for (size_t i = 0; i < sub_records_.size(); ++i) {
    const kpl::SubRecord& sub = sub_records_[i];
    std::optional<kinesis::HashKey> explicit_hash_key;
    if (sub.explicit_hash_key) explicit_hash_key = kinesis::HashKey::parse(*sub.explicit_hash_key).value();
    const kinesis::HashKey hash =
        explicit_hash_key ? *explicit_hash_key : kinesis::HashKey::of_partition_key(sub.partition_key);
    if (landed && map_->shard(*landed).range.contains(hash)) {
      delivered.push_back(entry.tickets[i]);
      continue;
    }
    UserRecord record;  // views into entry.data, which lives until the records are routed below
    record.ticket = entry.tickets[i];
    record.partition_key = sub.partition_key;
    record.explicit_hash_key = explicit_hash_key;
    record.hash = hash;
    record.data = sub.data;
    record.arrival = now;
    record.expires = entry.expires;
    again.push_back(std::move(record));
  }
  ++counters_.entries_put;
  counters_.bytes_put += entry.wire_size();
  counters_.resent_after_wrong_shard += again.size();
  LaneStats& stats = lanes_[entry.lane].stats;
  ++stats.entries_put;
  stats.user_records_put += delivered.size();
  stats.bytes_put += entry.wire_size();
  if (delivered.size() > 0) report_delivered(delivered);
  for (const auto& record : again) route(record, now);
}

void ProducerCore::enqueue(Entry entry) {
  if (abandoned_) {
    fail(entry, *abandoned_, FailureKind::kUndeliverable);
    return;
  }
  ++ready_entries_;
  ready_bytes_ += entry.wire_size();
  Lane& lane = lanes_[entry.lane];
  if (entry.attempts > 0) {
    lane.retry.push_back(std::move(entry));
  } else {
    lane.fresh.push_back(std::move(entry));
  }
}

// ---- collection --------------------------------------------------------------------------------------------------

bool ProducerCore::anything_due(TimePoint now) const {
  if (ready_entries_ >= settings_.collection_max_count || ready_bytes_ >= settings_.collection_max_size) return true;
  for (const Lane& lane : lanes_) {
    if (lane.retired && !lane.fresh.empty()) return true;  // a closed shard's lane drains at once
    if (!lane.open->aggregator.empty() && lane.open->deadline <= now) return true;
    if (!lane.fresh.empty() && lane.fresh.front().deadline <= now) return true;
    for (const Entry& e : lane.retry) {
      if (e.not_before <= now) return true;
    }
  }
  return false;
}

void ProducerCore::expire_overdue(TimePoint now) {
  for (Lane& lane : lanes_) {
    for (auto* queue : {&lane.retry, &lane.fresh}) {
      for (auto it = queue->begin(); it != queue->end();) {
        if (it->expires > now) {
          ++it;
          continue;
        }
        Entry entry = std::move(*it);
        it = queue->erase(it);
        --ready_entries_;
        ready_bytes_ -= entry.wire_size();
        const std::string why = entry.attempts == 0
                                    ? std::string("it was never sent (rate limit or back-pressure)")
                                    : fmt::format("{} failed attempts, the last: {}", entry.attempts, entry.last_error);
        fail(entry,
             make_error(ErrorCode::kTimeout,
                        fmt::format("Kinesis did not accept the record within recordTtl ({} ms): {}",
                                    settings_.record_ttl.count(), why)),
             FailureKind::kUndeliverable);
      }
    }
  }
}

std::vector<ProducerCore::Request> ProducerCore::take_requests(TimePoint now, size_t slots, bool flush) {
  std::vector<Request> out;
  seal_due(now, flush);
  expire_overdue(now);
  if (slots == 0 || ready_entries_ == 0) return out;
  if (!flush && !anything_due(now)) return out;

  const bool ordered = settings_.retain_ordering;
  // With ordering, a key may move to a new shard only after its old shard's records are all answered.
  const bool hold_open_lanes = ordered && retired_lanes_busy();
  while (slots > 0 && ready_entries_ > 0) {
    Request request;
    bool full = false;
    const size_t lane_count = lanes_.size();
    for (size_t step = 0; step < lane_count && !full; ++step) {
      const size_t index = (round_robin_ + step) % lane_count;
      Lane& lane = lanes_[index];
      if (lane.empty()) continue;
      if (ordered && (lane.in_flight > 0 || (hold_open_lanes && !lane.retired))) continue;
      // Retries first (they are older), then fresh entries in order; with ordering only the lane's head may go.
      for (auto* queue : {&lane.retry, &lane.fresh}) {
        for (auto it = queue->begin(); it != queue->end() && !full;) {
          if (it->not_before > now) {
            if (ordered) break;
            ++it;
            continue;
          }
          const size_t size = it->wire_size();
          if (request.entries.size() >= settings_.collection_max_count ||
              (!request.entries.empty() && request.bytes + size > settings_.collection_max_size)) {
            full = true;
            break;
          }
          if (!lane.limiter.try_take(size, now)) break;
          request.bytes += size;
          --ready_entries_;
          ready_bytes_ -= size;
          ++lane.in_flight;
          request.entries.push_back(std::move(*it));
          it = queue->erase(it);
          if (ordered) break;
        }
        if (ordered && (lane.in_flight > 0 || !lane.retry.empty())) break;  // the head went or must go first
      }
    }
    round_robin_ = (round_robin_ + 1) % std::max<size_t>(lanes_.size(), 1);
    if (request.entries.empty()) break;
    ++in_flight_requests_;
    ++counters_.requests;
    out.push_back(std::move(request));
    --slots;
    if (!flush && !anything_due(now)) break;
  }
  return out;
}

std::optional<TimePoint> ProducerCore::next_wakeup(TimePoint now) {
  std::optional<TimePoint> next;
  auto consider = [&](TimePoint t) {
    if (!next || t < *next) next = t;
  };
  for (Lane& lane : lanes_) {
    if (!lane.open->aggregator.empty()) consider(std::min(lane.open->deadline, lane.open->expires));
    for (const Entry& e : lane.retry) {
      consider(std::max(e.not_before, lane.limiter.ready_at(e.wire_size(), now)));
      consider(e.expires);
    }
    if (!lane.fresh.empty()) {
      const Entry& head = lane.fresh.front();
      consider(std::max(head.deadline, lane.limiter.ready_at(head.wire_size(), now)));
      consider(head.expires);
    }
  }
  return next;
}

// ---- answers -----------------------------------------------------------------------------------------------------

std::chrono::milliseconds ProducerCore::backoff(int attempts) {
  // Exponential (initial * 2^(attempts-1), capped), with "equal jitter": half fixed, half random, so retries of
  // many records spread out but never come sooner than half the schedule.
  const int64_t initial = std::max<int64_t>(settings_.retry_initial_delay.count(), 1);
  const int64_t cap = std::max<int64_t>(settings_.retry_max_delay.count(), initial);
  const int shift = std::min(attempts - 1, 30);
  const int64_t ceiling = std::min<int64_t>(cap, initial << shift);
  std::uniform_int_distribution<int64_t> jitter(0, ceiling / 2);
  return std::chrono::milliseconds(ceiling - ceiling / 2 + jitter(rng_));
}

void ProducerCore::deliver(const Entry& entry) {
  ++counters_.entries_put;
  counters_.bytes_put += entry.wire_size();
  LaneStats& stats = lanes_[entry.lane].stats;
  ++stats.entries_put;
  stats.user_records_put += entry.tickets.size();
  stats.bytes_put += entry.wire_size();
  report_delivered(entry.tickets);
}

void ProducerCore::report_delivered(const TicketList& tickets) {
  counters_.user_records_delivered += tickets.size();
  buffered_user_records_ -= tickets.size();
  listener_.on_delivered(tickets);
}

void ProducerCore::fail(const Entry& entry, const Error& error, FailureKind kind) {
  counters_.user_records_failed += entry.tickets.size();
  buffered_user_records_ -= entry.tickets.size();
  listener_.on_failed(entry.tickets, error, kind);
}

void ProducerCore::retry_or_fail(Entry entry, std::string why, ErrorCode code, bool retryable, TimePoint now) {
  ++entry.attempts;
  entry.last_error = std::move(why);
  if (abandoned_) {
    fail(entry, *abandoned_, FailureKind::kUndeliverable);
    return;
  }
  if (!retryable) {
    fail(entry, make_error(code, fmt::format("Kinesis refused the record: {} (not retryable)", entry.last_error)),
         FailureKind::kUndeliverable);
    return;
  }
  entry.not_before = now + backoff(entry.attempts);
  if (entry.not_before >= entry.expires) {
    fail(entry,
         make_error(ErrorCode::kTimeout,
                    fmt::format("Kinesis did not accept the record within recordTtl ({} ms): {} failed attempts, "
                                "the last: {}",
                                settings_.record_ttl.count(), entry.attempts, entry.last_error)),
         FailureKind::kUndeliverable);
    return;
  }
  ++counters_.entry_retries;
  enqueue(std::move(entry));
}

void ProducerCore::on_response(Request request, const Result<kinesis::PutRecordsResponse>& answer, TimePoint now) {
  --in_flight_requests_;
  for (const Entry& e : request.entries) --lanes_[e.lane].in_flight;

  if (!answer.ok()) {
    // The whole request failed; the client already retried throttling and transient errors a few times. Even an
    // error that looks permanent (expired credentials, a stream being re-created, a policy being fixed) is retried
    // until recordTtl: failing means a nack and a redelivery of the same message anyway, only later and noisier.
    const Error& error = answer.error();
    for (Entry& e : request.entries) retry_or_fail(std::move(e), error.message, error.code, true, now);
    return;
  }
  const auto& results = answer->records;
  for (size_t i = 0; i < request.entries.size(); ++i) {
    Entry& e = request.entries[i];
    const auto& result = results[i];
    Lane& lane = lanes_[e.lane];
    if (result.ok()) {
      if (lane.shard.empty() || result.shard_id != lane.shard) {
        // Kinesis put it elsewhere than predicted: the map is stale (or the key had no shard in it). A plain
        // record is where Kinesis routes its key: done. An aggregate needs its sub-records checked.
        ++counters_.wrong_shard_entries;
        refresh_wanted_ = true;
        if (e.aggregated) {
          Misplaced misplaced{std::move(e), result.shard_id};
          if (map_->index_of(misplaced.landed)) {
            settle_misplaced(std::move(misplaced), now);
          } else if (abandoned_) {
            fail(misplaced.entry, *abandoned_, FailureKind::kUndeliverable);  // no new shard map will come
          } else {
            misplaced_.push_back(std::move(misplaced));
          }
          continue;
        }
      }
      deliver(e);
      continue;
    }
    const bool throttled = result.error_code == kThrottled;
    if (throttled) {
      ++counters_.throttled_entries;
      ++lane.stats.throttled_entries;
      lane.limiter.on_throttled(now);
    }
    std::string why = fmt::format("{}: {}", result.error_code, result.error_message);
    retry_or_fail(std::move(e), std::move(why), throttled ? ErrorCode::kThrottled : ErrorCode::kUnavailable,
                  !(throttled && settings_.fail_if_throttled), now);
  }
}

bool ProducerCore::take_refresh_wanted() {
  return std::exchange(refresh_wanted_, false);
}

}  // namespace pk::sink
