// The registry: exact exposition text, idempotent registration, errors naming the metric, histograms, callback
// gauges, removal, concurrent updates and scrapes (run under TSan by scripts/test), and promtool's verdict.
#include "metrics/registry.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "promtool.h"

namespace pk::metrics {
namespace {

constexpr std::string_view kPipelineShard[] = {"pipeline", "shard"};
constexpr std::string_view kPipeline[] = {"pipeline"};
constexpr double kBuckets[] = {0.1, 0.5, 1};

constexpr MetricSpec kPut{.name = "pk_test_records_put_total",
                          .type = MetricType::kCounter,
                          .unit = "records",
                          .help = "Records put.",
                          .labels = kPipelineShard};
constexpr MetricSpec kInFlight{.name = "pk_test_in_flight_messages",
                               .type = MetricType::kGauge,
                               .unit = "messages",
                               .help = "Messages in flight.",
                               .labels = kPipeline};
constexpr MetricSpec kLatency{.name = "pk_test_put_duration_seconds",
                              .type = MetricType::kHistogram,
                              .unit = "seconds",
                              .help = "PutRecords latency.",
                              .labels = kPipeline,
                              .buckets = kBuckets};
constexpr MetricSpec kUp{.name = "pk_test_up", .type = MetricType::kGauge, .unit = "", .help = "Always 1."};

TEST(Registry, RendersCountersSortedWithHelpAndType) {
  Registry registry;
  auto family = registry.counter(kPut);
  ASSERT_TRUE(family.ok()) << family.error().to_string();
  (*family)->with({"sink-b", "shardId-1"}).inc(7);
  (*family)->with({"sink-a", "shardId-2"}).inc();
  (*family)->with({"sink-a", "shardId-10"}).inc(3);
  EXPECT_EQ(registry.render(),
            "# HELP pk_test_records_put_total Records put.\n"
            "# TYPE pk_test_records_put_total counter\n"
            "pk_test_records_put_total{pipeline=\"sink-a\",shard=\"shardId-10\"} 3\n"
            "pk_test_records_put_total{pipeline=\"sink-a\",shard=\"shardId-2\"} 1\n"
            "pk_test_records_put_total{pipeline=\"sink-b\",shard=\"shardId-1\"} 7\n");
}

TEST(Registry, FamiliesWithoutSeriesRenderNothingAndFamiliesSortByName) {
  Registry registry;
  ASSERT_TRUE(registry.counter(kPut).ok());
  EXPECT_EQ(registry.render(), "");
  auto up = registry.gauge(kUp);
  ASSERT_TRUE(up.ok());
  (*up)->with({}).set(1);
  auto in_flight = registry.gauge(kInFlight);
  ASSERT_TRUE(in_flight.ok());
  (*in_flight)->with({"p"}).set(2.5);
  EXPECT_EQ(registry.render(),
            "# HELP pk_test_in_flight_messages Messages in flight.\n"
            "# TYPE pk_test_in_flight_messages gauge\n"
            "pk_test_in_flight_messages{pipeline=\"p\"} 2.5\n"
            "# HELP pk_test_up Always 1.\n"
            "# TYPE pk_test_up gauge\n"
            "pk_test_up 1\n");
}

TEST(Registry, EscapesHelpAndLabelValues) {
  static constexpr std::string_view kLabels[] = {"topic"};
  constexpr MetricSpec kOdd{.name = "pk_test_odd_total",
                            .type = MetricType::kCounter,
                            .help = "Help with a \\ backslash\nand a second line.",
                            .labels = kLabels};
  Registry registry;
  auto family = registry.counter(kOdd);
  ASSERT_TRUE(family.ok());
  (*family)->with({"a\"quoted\"\\path\nnext"}).inc(2);
  const std::string text = registry.render();
  EXPECT_EQ(text,
            "# HELP pk_test_odd_total Help with a \\\\ backslash\\nand a second line.\n"
            "# TYPE pk_test_odd_total counter\n"
            "pk_test_odd_total{topic=\"a\\\"quoted\\\"\\\\path\\nnext\"} 2\n");
  PK_EXPECT_PROMTOOL_ACCEPTS(text);
}

TEST(Registry, HistogramBucketsAreCumulativeWithSumAndCount) {
  Registry registry;
  auto family = registry.histogram(kLatency);
  ASSERT_TRUE(family.ok()) << family.error().to_string();
  Histogram& h = (*family)->with({"p"});
  h.observe(0.05);                            // <= 0.1
  h.observe(0.1);                             // <= 0.1 (bounds are inclusive)
  h.observe(0.3);                             // <= 0.5
  h.observe(std::chrono::milliseconds(750));  // <= 1
  h.observe(4.0);                             // +Inf only
  EXPECT_EQ(registry.render(),
            "# HELP pk_test_put_duration_seconds PutRecords latency.\n"
            "# TYPE pk_test_put_duration_seconds histogram\n"
            "pk_test_put_duration_seconds_bucket{pipeline=\"p\",le=\"0.1\"} 2\n"
            "pk_test_put_duration_seconds_bucket{pipeline=\"p\",le=\"0.5\"} 3\n"
            "pk_test_put_duration_seconds_bucket{pipeline=\"p\",le=\"1\"} 4\n"
            "pk_test_put_duration_seconds_bucket{pipeline=\"p\",le=\"+Inf\"} 5\n"
            "pk_test_put_duration_seconds_sum{pipeline=\"p\"} 5.2\n"
            "pk_test_put_duration_seconds_count{pipeline=\"p\"} 5\n");
  const Histogram::Snapshot s = h.snapshot();
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.sum, 5.2);
}

TEST(Registry, HistogramWithoutLabels) {
  constexpr MetricSpec kPlain{
      .name = "pk_test_plain_seconds", .type = MetricType::kHistogram, .help = "Plain.", .buckets = kBuckets};
  Registry registry;
  auto family = registry.histogram(kPlain);
  ASSERT_TRUE(family.ok());
  (*family)->with({}).observe(0.2);
  const std::string text = registry.render();
  EXPECT_EQ(text,
            "# HELP pk_test_plain_seconds Plain.\n"
            "# TYPE pk_test_plain_seconds histogram\n"
            "pk_test_plain_seconds_bucket{le=\"0.1\"} 0\n"
            "pk_test_plain_seconds_bucket{le=\"0.5\"} 1\n"
            "pk_test_plain_seconds_bucket{le=\"1\"} 1\n"
            "pk_test_plain_seconds_bucket{le=\"+Inf\"} 1\n"
            "pk_test_plain_seconds_sum 0.2\n"
            "pk_test_plain_seconds_count 1\n");
  PK_EXPECT_PROMTOOL_ACCEPTS(text);
}

TEST(Registry, RegistrationIsIdempotentAndHandlesAreShared) {
  Registry registry;
  auto first = registry.counter(kPut);
  auto second = registry.counter(kPut);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  Counter& a = (*first)->with({"p", "s"});
  Counter& b = (*second)->with({"p", "s"});
  EXPECT_EQ(&a, &b);
  a.inc(2);
  b.inc(3);
  EXPECT_EQ(a.value(), 5u);
}

TEST(Registry, ConflictingSpecsAreErrorsNamingTheMetric) {
  Registry registry;
  ASSERT_TRUE(registry.counter(kPut).ok());
  MetricSpec other_help = kPut;
  other_help.help = "Something else.";
  auto conflict = registry.counter(other_help);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(conflict.error().message,
            "metric 'pk_test_records_put_total' is already registered with another type, help, labels or buckets");

  auto wrong_kind = registry.gauge(kPut);
  ASSERT_FALSE(wrong_kind.ok());
  EXPECT_EQ(wrong_kind.error().message, "metric 'pk_test_records_put_total' is a counter, registered as a gauge");
}

TEST(Registry, InvalidSpecsAreRefused) {
  static constexpr std::string_view kBadLabel[] = {"shard-id"};
  static constexpr std::string_view kReserved[] = {"__name__"};
  static constexpr std::string_view kTwice[] = {"shard", "shard"};
  static constexpr std::string_view kLe[] = {"le"};
  static constexpr double kDecreasing[] = {1, 0.5};
  Registry registry;
  auto message = [&](const MetricSpec& spec) {
    Status s = validate_spec(spec);
    return s.ok() ? std::string("ok") : s.error().message;
  };
  EXPECT_EQ(message({.name = "bad-name", .help = "h"}),
            "metric 'bad-name': not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  EXPECT_EQ(message({.name = "pk_x_total", .help = ""}), "metric 'pk_x_total': no help text");
  EXPECT_EQ(message({.name = "pk_x_total", .help = "h", .labels = kBadLabel}),
            "metric 'pk_x_total': label 'shard-id' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __)");
  EXPECT_EQ(message({.name = "pk_x_total", .help = "h", .labels = kReserved}),
            "metric 'pk_x_total': label '__name__' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading "
            "__)");
  EXPECT_EQ(message({.name = "pk_x_total", .help = "h", .labels = kTwice}),
            "metric 'pk_x_total': label 'shard' given twice");
  EXPECT_EQ(message({.name = "pk_x", .type = MetricType::kHistogram, .help = "h", .labels = kLe, .buckets = kBuckets}),
            "metric 'pk_x': a histogram cannot have a label 'le'");
  EXPECT_EQ(message({.name = "pk_x", .type = MetricType::kHistogram, .help = "h"}),
            "metric 'pk_x': a histogram needs buckets");
  EXPECT_EQ(message({.name = "pk_x", .type = MetricType::kHistogram, .help = "h", .buckets = kDecreasing}),
            "metric 'pk_x': histogram buckets must increase (1 then 0.5)");
  EXPECT_EQ(message({.name = "pk_x", .type = MetricType::kGauge, .help = "h", .buckets = kBuckets}),
            "metric 'pk_x': only a histogram has buckets");
  auto refused = registry.counter({.name = "bad-name", .help = "h"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(registry.render(), "");
}

TEST(Registry, WrongNumberOfLabelValuesIsABugThatAborts) {
  Registry registry;
  auto family = registry.counter(kPut);
  ASSERT_TRUE(family.ok());
  EXPECT_DEATH((*family)->with({"only-one"}), "takes 2 label values, got 1");
}

TEST(Registry, RemovedSeriesDisappear) {
  Registry registry;
  auto family = registry.counter(kPut);
  ASSERT_TRUE(family.ok());
  (*family)->with({"p", "s1"}).inc();
  (*family)->with({"p", "s2"}).inc(2);
  EXPECT_TRUE((*family)->remove({"p", "s1"}));
  EXPECT_FALSE((*family)->remove({"p", "s1"}));
  EXPECT_EQ(registry.render(),
            "# HELP pk_test_records_put_total Records put.\n"
            "# TYPE pk_test_records_put_total counter\n"
            "pk_test_records_put_total{pipeline=\"p\",shard=\"s2\"} 2\n");
  // A series made again starts from zero.
  EXPECT_EQ((*family)->with({"p", "s1"}).value(), 0u);
}

TEST(Registry, CallbackGaugesAreReadAtScrapeTimeAndRemovedWithTheirHandle) {
  Registry registry;
  auto family = registry.gauge(kInFlight);
  ASSERT_TRUE(family.ok());
  std::atomic<int> value{4};
  GaugeCallback b = (*family)->with_callback({"b"}, [&] { return static_cast<double>(value.load()); });
  (*family)->with({"a"}).set(1);
  (*family)->with({"c"}).set(3);
  EXPECT_EQ(registry.render(),
            "# HELP pk_test_in_flight_messages Messages in flight.\n"
            "# TYPE pk_test_in_flight_messages gauge\n"
            "pk_test_in_flight_messages{pipeline=\"a\"} 1\n"
            "pk_test_in_flight_messages{pipeline=\"b\"} 4\n"
            "pk_test_in_flight_messages{pipeline=\"c\"} 3\n");
  value = 9;
  EXPECT_NE(registry.render().find("{pipeline=\"b\"} 9\n"), std::string::npos);

  GaugeCallback moved = std::move(b);  // the registration moves with the handle
  EXPECT_NE(registry.render().find("{pipeline=\"b\"} 9\n"), std::string::npos);
  moved.reset();
  EXPECT_EQ(registry.render().find("pipeline=\"b\""), std::string::npos);
}

TEST(Registry, AStoredGaugeHidesACallbackOfTheSameLabels) {
  Registry registry;
  auto family = registry.gauge(kInFlight);
  ASSERT_TRUE(family.ok());
  GaugeCallback cb = (*family)->with_callback({"a"}, [] { return 100.0; });
  (*family)->with({"a"}).set(5);
  EXPECT_EQ(registry.render(),
            "# HELP pk_test_in_flight_messages Messages in flight.\n"
            "# TYPE pk_test_in_flight_messages gauge\n"
            "pk_test_in_flight_messages{pipeline=\"a\"} 5\n");
}

TEST(Registry, GaugeArithmetic) {
  Gauge g;
  g.inc();
  g.inc();
  g.add(2.5);
  g.dec();
  EXPECT_DOUBLE_EQ(g.value(), 3.5);
  g.set(-1);
  EXPECT_DOUBLE_EQ(g.value(), -1);
}

// Writers on several threads through handles, while other threads register new series and scrape. The totals
// must be exact; TSan (scripts/test) checks the rest.
TEST(Registry, ConcurrentUpdatesRegistrationsAndScrapes) {
  Registry registry;
  auto put = registry.counter(kPut);
  auto latency = registry.histogram(kLatency);
  auto in_flight = registry.gauge(kInFlight);
  ASSERT_TRUE(put.ok() && latency.ok() && in_flight.ok());
  constexpr int kThreads = 4;
  constexpr int kIterations = 20000;
  std::atomic<bool> writers_done{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string pipeline = "p" + std::to_string(t);
      Counter& shared = (*put)->with({"shared", "s"});
      Counter& own = (*put)->with({pipeline, "s"});
      Histogram& h = (*latency)->with({"shared"});
      Gauge& g = (*in_flight)->with({"shared"});
      for (int i = 0; i < kIterations; ++i) {
        shared.inc();
        own.inc(2);
        h.observe(0.25);
        g.add(1);
        if (i % 1000 == 0) (*put)->with({pipeline, "shard-" + std::to_string(i)}).inc();  // new series meanwhile
      }
    });
  }
  std::thread scraper([&] {
    size_t scrapes = 0;
    while (!writers_done.load()) {
      const std::string text = registry.render();
      EXPECT_EQ(text.rfind("# HELP ", 0), 0u);
      ++scrapes;
    }
    EXPECT_GT(scrapes, 0u);
  });
  for (auto& t : threads) t.join();
  writers_done = true;
  scraper.join();

  EXPECT_EQ((*put)->with({"shared", "s"}).value(), uint64_t{kThreads} * kIterations);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ((*put)->with({"p" + std::to_string(t), "s"}).value(), uint64_t{2} * kIterations);
  }
  const Histogram::Snapshot s = (*latency)->with({"shared"}).snapshot();
  EXPECT_EQ(s.count, uint64_t{kThreads} * kIterations);
  EXPECT_EQ(s.cumulative[0], 0u);
  EXPECT_EQ(s.cumulative[1], uint64_t{kThreads} * kIterations);
  EXPECT_DOUBLE_EQ(s.sum, 0.25 * kThreads * kIterations);
  EXPECT_DOUBLE_EQ((*in_flight)->with({"shared"}).value(), double{kThreads} * kIterations);
}

TEST(Registry, PromtoolAcceptsEveryKind) {
  Registry registry;
  auto put = registry.counter(kPut);
  auto in_flight = registry.gauge(kInFlight);
  auto latency = registry.histogram(kLatency);
  auto up = registry.gauge(kUp);
  ASSERT_TRUE(put.ok() && in_flight.ok() && latency.ok() && up.ok());
  (*put)->with({"persistent://public/default/a", "shardId-000000000001"}).inc(12);
  (*in_flight)->with({"p"}).set(0.5);
  GaugeCallback cb = (*in_flight)->with_callback({"q"}, [] { return 7.0; });
  (*latency)->with({"p"}).observe(0.02);
  (*up)->with({}).set(1);
  PK_EXPECT_PROMTOOL_ACCEPTS(registry.render());
}

}  // namespace
}  // namespace pk::metrics
