#include "metrics/status_board.h"

#include <algorithm>

#include "common/log.h"
#include "metrics/pipeline_metrics.h"

namespace pk::metrics {
namespace {

template <typename T>
double per_second(T now, T then, double seconds) {
  if (seconds <= 0 || now < then) return 0;
  return static_cast<double>(now - then) / seconds;
}

// The entry of `key` in a list sorted by key; null when absent.
template <typename Keyed>
const Keyed* find_keyed(const std::vector<Keyed>& list, std::string_view key) {
  auto it = std::lower_bound(list.begin(), list.end(), key,
                             [](const Keyed& k, std::string_view wanted) { return k.key < wanted; });
  return it != list.end() && it->key == key ? &*it : nullptr;
}

}  // namespace

int64_t epoch_millis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// ---- PipelineReporter

PipelineReporter::PipelineReporter(std::string name, PipelineKind kind, const StatusBoardOptions& options,
                                   const Clock& clock)
    : name_(std::move(name)), kind_(kind), options_(options), clock_(clock) {
  status_.name = name_;
  status_.kind = kind_;
  status_.state = PipelineState::kStarting;
  status_.started_at = epoch_millis(clock_.now());
}

void PipelineReporter::publish(const PipelineReport& report) {
  publish(report, clock_.steady_now(), clock_.now());
}

PipelineReporter::Sample PipelineReporter::sample_of(const PipelineReport& report,
                                                     std::chrono::steady_clock::time_point at) {
  Sample s{.at = at, .counters = report.counters, .shards = {}, .topics = {}};
  s.shards.reserve(report.shards.size());
  for (const ShardReport& shard : report.shards) s.shards.push_back({shard.id, shard.records, shard.bytes});
  s.topics.reserve(report.topics.size());
  for (const TopicReport& topic : report.topics) s.topics.push_back({topic.name, topic.records, 0});
  auto by_key = [](const Keyed& a, const Keyed& b) { return a.key < b.key; };
  std::sort(s.shards.begin(), s.shards.end(), by_key);
  std::sort(s.topics.begin(), s.topics.end(), by_key);
  return s;
}

std::pair<double, double> PipelineReporter::keyed_rates(const Keyed& now, std::vector<Keyed> Sample::*list) const {
  const Sample& newest = history_.back();
  for (size_t i = 0; i + 1 < history_.size(); ++i) {
    const Sample& base = history_[i];
    const Keyed* then = find_keyed(base.*list, now.key);
    if (then == nullptr) continue;
    const double seconds = std::chrono::duration<double>(newest.at - base.at).count();
    return {per_second(now.records, then->records, seconds), per_second(now.bytes, then->bytes, seconds)};
  }
  return {0, 0};
}

void PipelineReporter::publish(const PipelineReport& report, std::chrono::steady_clock::time_point at,
                               std::chrono::system_clock::time_point wall) {
  Sample sample = sample_of(report, at);
  std::lock_guard lock(mutex_);
  history_.push_back(std::move(sample));
  // Keep as base the newest report that is at least rate_window old (or the oldest there is).
  while (history_.size() > 1 &&
         (history_[1].at <= at - options_.rate_window || history_.size() > options_.max_history)) {
    history_.pop_front();
  }
  const Sample& base = history_.front();
  const Sample& newest = history_.back();
  const double seconds = std::chrono::duration<double>(newest.at - base.at).count();

  status_.state = report.state;
  status_.updated_at = epoch_millis(wall);
  status_.counters = report.counters;
  const PipelineCounters& now = newest.counters;
  const PipelineCounters& then = base.counters;
  status_.rates = PipelineRates{.records_in_per_s = per_second(now.records_in, then.records_in, seconds),
                                .records_out_per_s = per_second(now.records_out, then.records_out, seconds),
                                .bytes_in_per_s = per_second(now.bytes_in, then.bytes_in, seconds),
                                .bytes_out_per_s = per_second(now.bytes_out, then.bytes_out, seconds),
                                .failures_per_s = per_second(now.failures, then.failures, seconds)};
  status_.in_flight_messages = report.in_flight_messages;
  status_.in_flight_bytes = report.in_flight_bytes;
  status_.lag = report.lag;

  status_.shards.clear();
  for (const ShardReport& shard : report.shards) {
    const Keyed* keyed = find_keyed(newest.shards, shard.id);
    const auto [records_per_s, bytes_per_s] = keyed_rates(*keyed, &Sample::shards);
    status_.shards.push_back(ShardStatus{.id = shard.id,
                                         .records_per_s = records_per_s,
                                         .bytes_per_s = bytes_per_s,
                                         .records = shard.records,
                                         .bytes = shard.bytes,
                                         .millis_behind_latest = shard.millis_behind_latest,
                                         .lease_owner = shard.lease_owner,
                                         .throttles = shard.throttles});
  }
  std::sort(status_.shards.begin(), status_.shards.end(),
            [](const ShardStatus& a, const ShardStatus& b) { return a.id < b.id; });
  status_.topics.clear();
  for (const TopicReport& topic : report.topics) {
    const Keyed* keyed = find_keyed(newest.topics, topic.name);
    status_.topics.push_back(TopicStatus{
        .name = topic.name, .records_per_s = keyed_rates(*keyed, &Sample::topics).first, .records = topic.records});
  }
  std::sort(status_.topics.begin(), status_.topics.end(),
            [](const TopicStatus& a, const TopicStatus& b) { return a.name < b.name; });
}

void PipelineReporter::set_state(PipelineState state) {
  std::lock_guard lock(mutex_);
  status_.state = state;
}

void PipelineReporter::report_error(std::string_view message) {
  std::string text(message.substr(0, options_.max_error_length));
  if (message.size() > options_.max_error_length) text += "...";
  const int64_t now = epoch_millis(clock_.now());
  std::lock_guard lock(mutex_);
  auto& errors = status_.recent_errors;
  if (!errors.empty() && errors.front().message == text) {
    errors.front().time = now;
    ++errors.front().count;
    return;
  }
  errors.insert(errors.begin(), ErrorStatus{.time = now, .message = std::move(text), .count = 1});
  if (errors.size() > options_.max_errors) errors.resize(options_.max_errors);
}

PipelineStatus PipelineReporter::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

PipelineState PipelineReporter::state() const {
  std::lock_guard lock(mutex_);
  return status_.state;
}

// ---- StatusBoard

StatusBoard::StatusBoard(StatusBoardOptions options, const Clock& clock, Registry* registry)
    : options_(std::move(options)), clock_(clock), started_at_(clock.now()) {
  if (registry != nullptr) {
    auto family = registry->gauge(kPipelineUp);
    if (family.ok()) {
      up_family_ = *family;
    } else {
      logger("metrics")->error("pipeline_up not registered: {}", family.error().to_string());
    }
  }
}

StatusBoard::~StatusBoard() = default;

std::shared_ptr<PipelineReporter> StatusBoard::add_pipeline(std::string name, PipelineKind kind) {
  std::lock_guard lock(mutex_);
  for (const Entry& e : entries_) {
    if (e.reporter->name() == name) return e.reporter;
  }
  auto reporter = std::make_shared<PipelineReporter>(std::move(name), kind, options_, clock_);
  Entry entry{.reporter = reporter, .up = {}};
  if (up_family_ != nullptr) {
    // The callback holds the reporter weakly: a scrape after remove_pipeline() cannot reach a dead pipeline.
    std::weak_ptr<PipelineReporter> weak = reporter;
    entry.up = up_family_->with_callback({reporter->name(), to_string(kind)}, [weak] {
      auto alive = weak.lock();
      return alive && alive->state() == PipelineState::kRunning ? 1.0 : 0.0;
    });
  }
  entries_.push_back(std::move(entry));
  return reporter;
}

void StatusBoard::remove_pipeline(std::string_view name) {
  Entry removed;
  {
    std::lock_guard lock(mutex_);
    auto it =
        std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.reporter->name() == name; });
    if (it == entries_.end()) return;
    removed = std::move(*it);
    entries_.erase(it);
  }
  // `removed` unregisters its gauge here, outside the board's lock (a scrape may hold the family's lock).
}

ProcessStatus StatusBoard::snapshot() const {
  ProcessStatus s{.version = options_.version,
                  .started_at = epoch_millis(started_at_),
                  .now = epoch_millis(clock_.now()),
                  .pipelines = {}};
  std::lock_guard lock(mutex_);
  s.pipelines.reserve(entries_.size());
  for (const Entry& e : entries_) s.pipelines.push_back(e.reporter->status());
  return s;
}

Readiness StatusBoard::readiness() const {
  std::lock_guard lock(mutex_);
  if (entries_.empty()) return Readiness{.ready = false, .reason = "no pipeline has been added yet"};
  std::string not_running;
  for (const Entry& e : entries_) {
    const PipelineState state = e.reporter->state();
    if (state == PipelineState::kRunning) continue;
    if (!not_running.empty()) not_running += ", ";
    not_running += "pipeline '" + e.reporter->name() + "' is " + std::string(to_string(state));
  }
  if (!not_running.empty()) return Readiness{.ready = false, .reason = not_running};
  const size_t n = entries_.size();
  return Readiness{.ready = true, .reason = std::to_string(n) + (n == 1 ? " pipeline" : " pipelines") + " running"};
}

}  // namespace pk::metrics
