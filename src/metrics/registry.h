#pragma once
// The process's metric families and their series, rendered in the Prometheus text exposition format 0.0.4.
//
//   Registry registry;                                              // one per process (the daemon owns it)
//   PK_ASSIGN_OR_RETURN(CounterFamily * put, registry.counter(kSinkRecordsPut));
//   Counter& shard0 = put->with({"orders-sink", "shardId-000000000000"});   // once: lookup + lock
//   shard0.inc(500);                                                // hot path: one relaxed atomic add
//   std::string text = registry.render();                           // a scrape
//
// Registering a family is idempotent: the same spec again returns the same family (two pipelines of one kind
// share their families and differ by label values); a different spec under a taken name is an error. Series
// are created on first with() and live until remove() or the registry's end; references to cells stay valid
// that long. Families and series render sorted by name and label values, so output is deterministic.
//
// Thread-safe: registration, with(), remove() and render() lock (per registry / per family); updates through
// cell references never lock. Callback gauges run during render(), on the scraping thread, under their family's
// lock: they must be thread-safe and must not call into the registry.

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "metrics/cells.h"
#include "metrics/metric_spec.h"

namespace pk::metrics {

using LabelValues = std::span<const std::string_view>;

// Orders label-value lists; compares stored lists with looked-up views without building strings.
struct LabelsLess {
  using is_transparent = void;
  bool operator()(const std::vector<std::string>& a, const std::vector<std::string>& b) const { return a < b; }
  bool operator()(const std::vector<std::string>& a, LabelValues b) const;
  bool operator()(LabelValues a, const std::vector<std::string>& b) const;
};

// What every family has: its spec (strings owned here) and the rendering of its HELP / TYPE lines.
class Family {
 public:
  explicit Family(const MetricSpec& spec);
  virtual ~Family() = default;
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  const std::string& name() const { return name_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& buckets() const { return buckets_; }
  // Whether `spec` describes this family (the same name, type, help, labels and buckets).
  bool matches(const MetricSpec& spec) const;

  // Appends the family's lines (HELP, TYPE, samples); nothing when it has no series.
  void render(std::string& out) const;

 protected:
  // Aborts with a message when a caller passes the wrong number of label values (a bug in the caller).
  void check_arity(size_t count) const;
  // Appends `name{labels}` (the family name plus `suffix`, and an extra label such as le="0.5").
  void render_sample_name(std::string& out, std::string_view suffix, const std::vector<std::string>& values,
                          std::string_view extra_label = {}, std::string_view extra_value = {}) const;
  // Appends the samples; returns false when there were none. Called with mutex_ held.
  virtual bool render_samples(std::string& out) const = 0;

  mutable std::mutex mutex_;

 private:
  std::string name_;
  MetricType type_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::vector<double> buckets_;
};

// The series of one family: one cell per list of label values.
template <typename Cell>
class SeriesFamily : public Family {
 public:
  using Family::Family;
  // The series with these label values (one per label name, in order), created at 0 on first use.
  Cell& with(LabelValues values);
  Cell& with(std::initializer_list<std::string_view> values) { return with(LabelValues(values)); }
  // Drops the series; references to it must no longer be used. False when there was none.
  bool remove(LabelValues values);
  bool remove(std::initializer_list<std::string_view> values) { return remove(LabelValues(values)); }

 protected:
  std::map<std::vector<std::string>, std::unique_ptr<Cell>, LabelsLess> series_;
};

class CounterFamily final : public SeriesFamily<Counter> {
 public:
  using SeriesFamily::SeriesFamily;

 private:
  bool render_samples(std::string& out) const override;
};

class GaugeFamily;

// A gauge whose value a function gives at scrape time. Removes its series when destroyed (and waits for a scrape
// that is calling it). Movable; owned by whoever registered it; the registry must outlive it.
class GaugeCallback {
 public:
  GaugeCallback() = default;
  GaugeCallback(GaugeFamily* family, std::vector<std::string> labels) : family_(family), labels_(std::move(labels)) {}
  GaugeCallback(GaugeCallback&& other) noexcept;
  GaugeCallback& operator=(GaugeCallback&& other) noexcept;
  ~GaugeCallback();
  void reset();

 private:
  GaugeFamily* family_ = nullptr;
  std::vector<std::string> labels_;
};

class GaugeFamily final : public SeriesFamily<Gauge> {
 public:
  using SeriesFamily::SeriesFamily;
  // A series whose value `read()` returns at each scrape (thread-safe, quick, no registry calls). Replaces a
  // callback of the same labels; a stored gauge of the same labels wins over it.
  [[nodiscard]] GaugeCallback with_callback(LabelValues values, std::function<double()> read);
  [[nodiscard]] GaugeCallback with_callback(std::initializer_list<std::string_view> values,
                                            std::function<double()> read) {
    return with_callback(LabelValues(values), std::move(read));
  }

 private:
  friend class GaugeCallback;
  void remove_callback(const std::vector<std::string>& labels);
  bool render_samples(std::string& out) const override;
  std::map<std::vector<std::string>, std::function<double()>, LabelsLess> callbacks_;
};

class HistogramFamily final : public SeriesFamily<Histogram> {
 public:
  using SeriesFamily::SeriesFamily;

 private:
  bool render_samples(std::string& out) const override;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Register (or find) a family. Errors (kInvalidArgument) name the metric: a bad metric or label name, a spec
  // of another type than asked, a name taken by a different spec, histogram buckets not increasing.
  Result<CounterFamily*> counter(const MetricSpec& spec);
  Result<GaugeFamily*> gauge(const MetricSpec& spec);
  Result<HistogramFamily*> histogram(const MetricSpec& spec);

  // The text exposition format 0.0.4 (Content-Type: kContentType).
  std::string render() const;
  void render(std::string& out) const;

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  template <typename F>
  Result<F*> add(const MetricSpec& spec, MetricType type);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
};

// Checks a spec on its own: name and label syntax, histogram buckets. Used by Registry and by the table tests.
Status validate_spec(const MetricSpec& spec);

}  // namespace pk::metrics
