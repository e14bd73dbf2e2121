#include "metrics/registry.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "common/log.h"
#include "metrics/text_format.h"

namespace pk::metrics {
namespace {

template <typename A, typename B>
bool labels_less(const A& a, const B& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](std::string_view x, std::string_view y) { return x < y; });
}

std::vector<std::string> to_strings(LabelValues values) {
  return std::vector<std::string>(values.begin(), values.end());
}

// " <value>\n" after a sample's name and labels.
template <typename V>
void finish_sample(std::string& out, V value) {
  out += ' ';
  append_value(out, value);
  out += '\n';
}

}  // namespace

std::string_view to_string(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

bool LabelsLess::operator()(const std::vector<std::string>& a, LabelValues b) const {
  return labels_less(a, b);
}

bool LabelsLess::operator()(LabelValues a, const std::vector<std::string>& b) const {
  return labels_less(a, b);
}

Status validate_spec(const MetricSpec& spec) {
  auto bad = [&](std::string what) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("metric '{}': {}", spec.name, what));
  };
  if (!is_valid_metric_name(spec.name)) return bad("not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  if (spec.help.empty()) return bad("no help text");
  for (size_t i = 0; i < spec.labels.size(); ++i) {
    const std::string_view label = spec.labels[i];
    if (!is_valid_label_name(label)) {
      return bad(fmt::format("label '{}' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __)", label));
    }
    if (std::find(spec.labels.begin(), spec.labels.begin() + static_cast<ptrdiff_t>(i), label) !=
        spec.labels.begin() + static_cast<ptrdiff_t>(i)) {
      return bad(fmt::format("label '{}' given twice", label));
    }
    if (spec.type == MetricType::kHistogram && label == "le") return bad("a histogram cannot have a label 'le'");
  }
  if (spec.type == MetricType::kHistogram) {
    if (spec.buckets.empty()) return bad("a histogram needs buckets");
    for (size_t i = 0; i < spec.buckets.size(); ++i) {
      if (!std::isfinite(spec.buckets[i])) return bad("histogram bucket bounds must be finite (+Inf is implicit)");
      if (i > 0 && !(spec.buckets[i - 1] < spec.buckets[i])) {
        return bad(fmt::format("histogram buckets must increase ({} then {})", spec.buckets[i - 1], spec.buckets[i]));
      }
    }
  } else if (!spec.buckets.empty()) {
    return bad("only a histogram has buckets");
  }
  return ok_status();
}

// ---- Family

Family::Family(const MetricSpec& spec)
    : name_(spec.name),
      type_(spec.type),
      help_(spec.help),
      label_names_(spec.labels.begin(), spec.labels.end()),
      buckets_(spec.buckets.begin(), spec.buckets.end()) {}

bool Family::matches(const MetricSpec& spec) const {
  return spec.name == name_ && spec.type == type_ && spec.help == help_ &&
         std::equal(spec.labels.begin(), spec.labels.end(), label_names_.begin(), label_names_.end()) &&
         std::equal(spec.buckets.begin(), spec.buckets.end(), buckets_.begin(), buckets_.end());
}

void Family::check_arity(size_t count) const {
  if (count == label_names_.size()) return;
  logger("metrics")->critical("metric {} takes {} label values, got {}: a bug in the caller", name_,
                              label_names_.size(), count);
  std::abort();
}

void Family::render(std::string& out) const {
  std::lock_guard lock(mutex_);
  const size_t start = out.size();
  out += "# HELP ";
  out += name_;
  out += ' ';
  append_escaped_help(out, help_);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += to_string(type_);
  out += '\n';
  if (!render_samples(out)) out.resize(start);
}

void Family::render_sample_name(std::string& out, std::string_view suffix, const std::vector<std::string>& values,
                                std::string_view extra_label, std::string_view extra_value) const {
  out += name_;
  out += suffix;
  if (values.empty() && extra_label.empty()) return;
  out += '{';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += label_names_[i];
    out += "=\"";
    append_escaped_label_value(out, values[i]);
    out += '"';
  }
  if (!extra_label.empty()) {
    if (!values.empty()) out += ',';
    out += extra_label;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

// ---- SeriesFamily

template <typename Cell>
Cell& SeriesFamily<Cell>::with(LabelValues values) {
  check_arity(values.size());
  std::lock_guard lock(mutex_);
  auto it = series_.find(values);
  if (it == series_.end()) {
    std::unique_ptr<Cell> cell;
    if constexpr (std::is_same_v<Cell, Histogram>) {
      cell = std::make_unique<Histogram>(buckets());
    } else {
      cell = std::make_unique<Cell>();
    }
    it = series_.emplace(to_strings(values), std::move(cell)).first;
  }
  return *it->second;
}

template <typename Cell>
bool SeriesFamily<Cell>::remove(LabelValues values) {
  check_arity(values.size());
  std::lock_guard lock(mutex_);
  auto it = series_.find(values);
  if (it == series_.end()) return false;
  series_.erase(it);
  return true;
}

template class SeriesFamily<Counter>;
template class SeriesFamily<Gauge>;
template class SeriesFamily<Histogram>;

bool CounterFamily::render_samples(std::string& out) const {
  for (const auto& [labels, counter] : series_) {
    render_sample_name(out, "", labels);
    finish_sample(out, counter->value());
  }
  return !series_.empty();
}

// ---- GaugeFamily

GaugeCallback GaugeFamily::with_callback(LabelValues values, std::function<double()> read) {
  check_arity(values.size());
  std::lock_guard lock(mutex_);
  auto labels = to_strings(values);
  callbacks_.insert_or_assign(labels, std::move(read));
  return GaugeCallback(this, std::move(labels));
}

void GaugeFamily::remove_callback(const std::vector<std::string>& labels) {
  std::lock_guard lock(mutex_);
  callbacks_.erase(labels);
}

bool GaugeFamily::render_samples(std::string& out) const {
  // Stored gauges and callbacks merged in label order; a stored gauge hides a callback of the same labels.
  auto stored = series_.begin();
  auto called = callbacks_.begin();
  bool any = false;
  while (stored != series_.end() || called != callbacks_.end()) {
    const std::vector<std::string>* labels = nullptr;
    double value = 0;
    if (called == callbacks_.end() || (stored != series_.end() && !(called->first < stored->first))) {
      if (called != callbacks_.end() && called->first == stored->first) ++called;  // hidden by the stored gauge
      labels = &stored->first;
      value = stored->second->value();
      ++stored;
    } else {
      labels = &called->first;
      value = called->second();
      ++called;
    }
    render_sample_name(out, "", *labels);
    finish_sample(out, value);
    any = true;
  }
  return any;
}

GaugeCallback::GaugeCallback(GaugeCallback&& other) noexcept
    : family_(std::exchange(other.family_, nullptr)), labels_(std::move(other.labels_)) {}

GaugeCallback& GaugeCallback::operator=(GaugeCallback&& other) noexcept {
  if (this != &other) {
    reset();
    family_ = std::exchange(other.family_, nullptr);
    labels_ = std::move(other.labels_);
  }
  return *this;
}

GaugeCallback::~GaugeCallback() {
  reset();
}

void GaugeCallback::reset() {
  if (family_ != nullptr) family_->remove_callback(labels_);
  family_ = nullptr;
}

// ---- HistogramFamily

bool HistogramFamily::render_samples(std::string& out) const {
  const std::vector<double>& bounds = buckets();
  std::string le;
  for (const auto& [labels, histogram] : series_) {
    const Histogram::Snapshot s = histogram->snapshot();
    for (size_t i = 0; i <= bounds.size(); ++i) {
      le.clear();
      if (i < bounds.size()) {
        append_value(le, bounds[i]);
      } else {
        le = "+Inf";
      }
      render_sample_name(out, "_bucket", labels, "le", le);
      finish_sample(out, s.cumulative[i]);
    }
    render_sample_name(out, "_sum", labels);
    finish_sample(out, s.sum);
    render_sample_name(out, "_count", labels);
    finish_sample(out, s.count);
  }
  return !series_.empty();
}

// ---- Registry

template <typename F>
Result<F*> Registry::add(const MetricSpec& spec, MetricType type) {
  if (spec.type != type) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("metric '{}' is a {}, registered as a {}", spec.name,
                                                               to_string(spec.type), to_string(type)));
  }
  PK_TRY(validate_spec(spec));
  std::lock_guard lock(mutex_);
  auto it = families_.find(spec.name);
  if (it != families_.end()) {
    if (!it->second->matches(spec)) {
      return make_error(
          ErrorCode::kInvalidArgument,
          fmt::format("metric '{}' is already registered with another type, help, labels or buckets", spec.name));
    }
    return static_cast<F*>(it->second.get());
  }
  auto family = std::make_unique<F>(spec);
  F* raw = family.get();
  families_.emplace(std::string(spec.name), std::move(family));
  return raw;
}

Result<CounterFamily*> Registry::counter(const MetricSpec& spec) {
  return add<CounterFamily>(spec, MetricType::kCounter);
}

Result<GaugeFamily*> Registry::gauge(const MetricSpec& spec) {
  return add<GaugeFamily>(spec, MetricType::kGauge);
}

Result<HistogramFamily*> Registry::histogram(const MetricSpec& spec) {
  return add<HistogramFamily>(spec, MetricType::kHistogram);
}

void Registry::render(std::string& out) const {
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) family->render(out);
}

std::string Registry::render() const {
  std::string out;
  render(out);
  return out;
}

}  // namespace pk::metrics
