// The admin endpoint over real HTTP: every route with GET and HEAD, 404 / 405, readiness flipping, /status equal
// to the board's document, /metrics accepted by promtool while pipelines write, the page self-contained, secrets
// in requests never logged.
#include "metrics/admin_server.h"

#include <atomic>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "common/log.h"
#include "http/http1_client.h"
#include "metrics/pipeline_metrics.h"
#include "net/runtime.h"
#include "promtool.h"
#include "support/async_test.h"
#include "support/raw_http.h"

namespace pk::metrics {
namespace {

using pk::testing::RawHttpConnection;
using pk::testing::RawResponse;

// Time stands still unless the test moves it, so /status can be compared byte for byte.
class FrozenClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'000));
  }
  std::chrono::steady_clock::time_point steady_now() const override { return {}; }
};

class AdminServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    runtime_.start();
    ASSERT_TRUE(register_process_metrics(registry_, "0.1.0", 1700000000).ok());
    auto sink = SinkMetrics::create(registry_, "orders-sink");
    ASSERT_TRUE(sink.ok());
    sink_ = std::move(*sink);
    reporter_ = board_.add_pipeline("orders-sink", PipelineKind::kSink);
    auto started = AdminServer::start(runtime_.executor(0), {.address = {.host = "127.0.0.1", .port = 0}},
                                      AdminSources::of(registry_, board_));
    ASSERT_TRUE(started.ok()) << started.error().to_string();
    admin_ = std::move(*started);
  }
  void TearDown() override {
    if (admin_) admin_->stop_blocking();
    runtime_.stop();
    runtime_.join();
  }
  uint16_t port() const { return admin_->address().port; }

  std::optional<RawResponse> get(std::string_view path, std::string_view method = "GET") {
    RawHttpConnection c(port());
    return c.request(std::string(method) + " " + std::string(path) + " HTTP/1.1\r\nHost: localhost\r\n\r\n",
                     method == "HEAD");
  }

  net::Runtime runtime_{1, 1};
  FrozenClock clock_;
  Registry registry_;
  StatusBoard board_{{.version = "0.1.0"}, clock_, &registry_};
  std::unique_ptr<SinkMetrics> sink_;
  std::shared_ptr<PipelineReporter> reporter_;
  std::unique_ptr<AdminServer> admin_;
};

TEST_F(AdminServerTest, HealthzIsOk) {
  auto r = get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok\n");
  EXPECT_EQ(r->header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r->header("Cache-Control"), "no-store");
}

TEST_F(AdminServerTest, ReadyzFollowsTheBoard) {
  auto r = get("/readyz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->header("Content-Type"), "application/json");
  EXPECT_EQ(r->body, R"({"ready":false,"reason":"pipeline 'orders-sink' is starting"})");
  reporter_->set_state(PipelineState::kRunning);
  r = get("/readyz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"ready":true,"reason":"1 pipeline running"})");
}

TEST_F(AdminServerTest, StatusIsTheBoardsDocument) {
  sink_->topic("persistent://public/default/orders").messages_received.inc(42);
  sink_->shard("shardId-000000000000").user_records_put.inc(40);
  PipelineReport report;
  sink_->fill(report);
  report.state = PipelineState::kRunning;
  reporter_->publish(report);
  reporter_->report_error("PutRecords: ProvisionedThroughputExceededException");
  auto r = get("/status");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Content-Type"), "application/json");
  EXPECT_EQ(r->body, to_json(board_.snapshot()));
  EXPECT_NE(r->body.find(R"("records_in":42,"records_out":40)"), std::string::npos) << r->body;
}

TEST_F(AdminServerTest, MetricsIsTheRegistryInTheTextFormat) {
  sink_->shard("shardId-000000000000").records_put.inc(7);
  sink_->put_records_duration.observe(0.03);
  auto r = get("/metrics?debug=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(r->body, registry_.render());
  EXPECT_NE(r->body.find(
                "pulsar_kinesis_sink_records_put_total{pipeline=\"orders-sink\",shard=\"shardId-000000000000\"} 7\n"),
            std::string::npos);
  EXPECT_NE(r->body.find("pulsar_kinesis_pipeline_up{pipeline=\"orders-sink\",kind=\"sink\"} 0\n"), std::string::npos);
  PK_EXPECT_PROMTOOL_ACCEPTS(r->body);
}

TEST_F(AdminServerTest, TheStatusPageIsSelfContained) {
  auto r = get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r->header("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(r->body, status_page_html());
  EXPECT_GT(r->body.size(), 5000u);
  EXPECT_TRUE(r->body.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(r->body.find("fetch(\"status\""), std::string::npos);
  // Nothing loaded from elsewhere: no src/href attributes, no CSS url() or @import, no absolute URLs.
  for (const char* pattern : {R"(\ssrc\s*=)", R"(\shref\s*=)", R"(url\()", R"(@import)", R"(https?://)"}) {
    EXPECT_FALSE(std::regex_search(r->body, std::regex(pattern))) << pattern;
  }
}

TEST_F(AdminServerTest, HeadAnswersEveryRouteWithoutABody) {
  for (const char* path : {"/", "/metrics", "/healthz", "/readyz", "/status"}) {
    SCOPED_TRACE(path);
    auto full = get(path);
    auto head = get(path, "HEAD");
    ASSERT_TRUE(full && head);
    EXPECT_EQ(head->status, full->status);
    EXPECT_EQ(head->header("Content-Length"), std::to_string(full->body.size()));
    EXPECT_EQ(head->header("Content-Type"), full->header("Content-Type"));
    EXPECT_EQ(head->body, "");
  }
}

TEST_F(AdminServerTest, UnknownPathsAre404AndOtherMethods405) {
  for (const char* path : {"/nope", "/metrics/", "/status/../metrics", "/..%2f..%2fetc%2fpasswd", "/index.html",
                           "//metrics", "/METRICS"}) {
    SCOPED_TRACE(path);
    auto r = get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(r->body, "not found; try /, /metrics, /healthz, /readyz or /status\n");
  }
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS"}) {
    SCOPED_TRACE(method);
    RawHttpConnection c(port());
    auto r = c.request(std::string(method) + " /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 405);
    EXPECT_EQ(r->header("Allow"), "GET, HEAD");
  }
}

TEST_F(AdminServerTest, OurClientKeepsOneConnectionForManyScrapes) {
  auto client = http::Http1Client::create(pk::testing::coroutine_loop().get_executor(),
                                          *http::Url::parse(admin_->url()), http::ClientOptions{});
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(admin_->url(), "http://127.0.0.1:" + std::to_string(port()) + "/");
  for (const char* path : {"/metrics", "/status", "/healthz", "/", "/metrics"}) {
    http::Request request{.method = "GET", .target = path, .headers = {}, .body = ""};
    auto response = pk::testing::run_coroutine<Result<http::Response>>([&] { return (*client)->send(request); });
    ASSERT_TRUE(response.ok()) << response.error().to_string();
    EXPECT_EQ(response->status, 200) << path;
  }
  EXPECT_EQ(admin_->stats().connections_accepted.load(), 1u);
}

TEST_F(AdminServerTest, ConcurrentScrapesWhilePipelinesWrite) {
  std::atomic<bool> done{false};
  std::thread writer([&] {
    SinkMetrics::Shard& shard = sink_->shard("shardId-000000000001");
    uint64_t n = 0;
    while (!done.load()) {
      shard.records_put.inc();
      shard.user_records_put.inc(3);
      sink_->put_records_duration.observe(0.001 * static_cast<double>(n % 100));
      if (++n % 1000 == 0) {
        PipelineReport report;
        report.counters.records_out = n;
        reporter_->publish(report);
      }
    }
  });
  constexpr int kScrapers = 6;
  constexpr int kScrapes = 20;
  std::atomic<int> good{0};
  std::vector<std::thread> scrapers;
  for (int t = 0; t < kScrapers; ++t) {
    scrapers.emplace_back([&, t] {
      RawHttpConnection c(port());
      for (int i = 0; i < kScrapes; ++i) {
        const char* path = (i + t) % 2 == 0 ? "/metrics" : "/status";
        auto r = c.request(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        const bool ok = r && r->status == 200 &&
                        (path[1] == 'm' ? r->body.starts_with("# HELP ") : r->body.starts_with("{\"version\""));
        if (ok) ++good;
      }
    });
  }
  for (auto& s : scrapers) s.join();
  done = true;
  writer.join();
  EXPECT_EQ(good.load(), kScrapers * kScrapes);
  auto last = get("/metrics");
  ASSERT_TRUE(last);
  PK_EXPECT_PROMTOOL_ACCEPTS(last->body);
}

TEST_F(AdminServerTest, ASecondEndpointOnTheSamePortFailsNamingTheAddress) {
  auto second = AdminServer::start(runtime_.executor(0), {.address = {.host = "127.0.0.1", .port = port()}},
                                   AdminSources::of(registry_, board_));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message,
            "cannot listen on 127.0.0.1:" + std::to_string(port()) + ": Address already in use (bind)");
}

TEST_F(AdminServerTest, RequestSecretsNeverReachTheLog) {
  ASSERT_TRUE(set_log_level("debug"));
  ::testing::internal::CaptureStderr();
  RawHttpConnection c(port());
  auto r = c.request(
      "GET /status?token=QUERYSECRET123 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer HEADERSECRET456\r\n"
      "Cookie: session=COOKIESECRET789\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  admin_->stop_blocking();  // the server's log lines are written by now
  logger("http")->flush();
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(set_log_level("info"));
  EXPECT_NE(log.find("GET /status?... -> 200"), std::string::npos) << log;
  for (const char* secret : {"QUERYSECRET123", "HEADERSECRET456", "COOKIESECRET789"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in:\n" << log;
  }
}

TEST(AdminResponse, WithoutSourcesStillAnswers) {
  const AdminSources none;
  http::Request request{.method = "GET", .target = "/readyz", .headers = {}, .body = ""};
  EXPECT_EQ(admin_response(none, request).status, 200);
  request.target = "/status";
  EXPECT_EQ(admin_response(none, request).body, R"({"version":"","started_at":0,"now":0,"pipelines":[]})");
  request.target = "/metrics";
  EXPECT_EQ(admin_response(none, request).body, "");
}

}  // namespace
}  // namespace pk::metrics
