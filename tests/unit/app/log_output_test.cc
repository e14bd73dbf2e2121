// The daemon's log output: file and console targets, reopening after logrotate, the repeat limit, the pipeline of
// the logging thread, and warnings reaching the pipeline's recent errors.
#include "app/log_output.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include "app/log_context.h"

namespace pk::app {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t count(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class LogOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pk-log-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    set_thread_log_context(nullptr);
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

TEST_F(LogOutputTest, WritesLinesToTheFileAndReopensItAfterItWasMoved) {
  const auto file = dir_ / "pk.log";
  auto output = LogOutput::create({.format = LogFormat::kText, .file = file.string()}, nullptr);
  ASSERT_TRUE(output.ok()) << output.error().message;
  spdlog::logger test_log("app", *output);
  test_log.set_level(spdlog::level::trace);
  test_log.info("first {}", 1);
  std::filesystem::rename(file, dir_ / "pk.log.1");  // what logrotate does
  test_log.info("second");                           // still into the moved file
  ASSERT_TRUE((*output)->reopen().ok());
  test_log.info("third");
  const std::string rotated = slurp(dir_ / "pk.log.1");
  const std::string fresh = slurp(file);
  EXPECT_EQ(count(rotated, "[app] first 1\n"), 1u) << rotated;
  EXPECT_EQ(count(rotated, "[app] second\n"), 1u) << rotated;
  EXPECT_EQ(count(fresh, "[app] third\n"), 1u) << fresh;
  EXPECT_EQ(count(fresh, "\n"), 1u) << fresh;
}

TEST_F(LogOutputTest, AnUnwritableFileIsAnErrorNamingIt) {
  auto output = LogOutput::create({.file = (dir_ / "missing-dir" / "pk.log").string()}, nullptr);
  ASSERT_FALSE(output.ok());
  EXPECT_NE(output.error().message.find("missing-dir/pk.log"), std::string::npos) << output.error().message;
}

TEST_F(LogOutputTest, RepeatedWarningsAreWrittenOncePerWindowInfoAlways) {
  const auto file = dir_ / "pk.log";
  auto output = LogOutput::create({.format = LogFormat::kText, .file = file.string()}, nullptr);
  ASSERT_TRUE(output.ok());
  spdlog::logger test_log("kinesis", *output);
  for (int i = 0; i < 5; ++i) test_log.warn("connection refused");
  for (int i = 0; i < 5; ++i) test_log.warn("message {} not delivered", i);
  for (int i = 0; i < 3; ++i) test_log.info("progress");
  test_log.error("connection refused");  // another level: its own line
  const std::string text = slurp(file);
  EXPECT_EQ(count(text, "WARN  [kinesis] connection refused\n"), 1u) << text;
  EXPECT_EQ(count(text, "not delivered"), 1u) << text;  // the same line about other messages
  EXPECT_EQ(count(text, "ERROR [kinesis] connection refused\n"), 1u) << text;
  EXPECT_EQ(count(text, "progress\n"), 3u) << text;
}

TEST_F(LogOutputTest, ShowsTheSuppressedCountAfterTheWindow) {
  const auto file = dir_ / "pk.log";
  auto output = LogOutput::create({.file = file.string(), .repeat_window = std::chrono::milliseconds(200)}, nullptr);
  ASSERT_TRUE(output.ok());
  spdlog::logger test_log("kinesis", *output);
  for (int i = 0; i < 4; ++i) test_log.warn("throttled");
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  test_log.warn("throttled");
  const std::string text = slurp(file);
  EXPECT_EQ(count(text, "throttled\n"), 1u) << text;
  EXPECT_EQ(count(text, "throttled (+3 similar lines suppressed)\n"), 1u) << text;
}

TEST_F(LogOutputTest, LinesOfAPipelinesThreadCarryItAndItsWarningsReachTheBoard) {
  metrics::StatusBoard board({.version = "test"});
  auto reporter = board.add_pipeline("public/default/orders", metrics::PipelineKind::kSink);
  set_thread_log_context(
      std::make_shared<const PipelineLogContext>(PipelineLogContext{"public/default/orders", reporter}));
  const auto file = dir_ / "pk.log";
  auto output = LogOutput::create({.format = LogFormat::kJson, .file = file.string()}, nullptr);
  ASSERT_TRUE(output.ok());
  spdlog::logger test_log("pulsar", *output);
  test_log.info("reconnected to the broker of persistent://public/default/in");
  test_log.warn("lookup failed");
  test_log.warn("lookup failed");
  const std::string text = slurp(file);
  EXPECT_EQ(count(text, "\"pipeline\":\"public/default/orders\""), 2u) << text;
  EXPECT_EQ(count(text, "\"topic\":\"persistent://public/default/in\""), 1u) << text;
  const auto status = reporter->status();
  ASSERT_EQ(status.recent_errors.size(), 1u);
  EXPECT_EQ(status.recent_errors[0].message, "lookup failed");
  EXPECT_EQ(status.recent_errors[0].count, 2u);  // the board counts every one, the log shows one
  // Another thread is not that pipeline's.
  std::thread([&] { test_log.info("from elsewhere"); }).join();
  EXPECT_EQ(count(slurp(file), "\"pipeline\""), 2u);
}

TEST_F(LogOutputTest, TheConsoleTargetWritesWholeLinesAndNoStatusOffATerminal) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    Console console(fds[1]);
    EXPECT_FALSE(console.is_terminal());
    auto output = LogOutput::create({}, &console);
    ASSERT_TRUE(output.ok());
    spdlog::logger test_log("app", *output);
    console.set_status("ignored: not a terminal");
    test_log.info("hello");
  }
  ::close(fds[1]);
  char buffer[512];
  const ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
  ::close(fds[0]);
  ASSERT_GT(n, 0);
  const std::string text(buffer, static_cast<size_t>(n));
  EXPECT_TRUE(text.ends_with(" INFO  [app] hello\n")) << text;
  EXPECT_EQ(text.find("ignored"), std::string::npos);
}

}  // namespace
}  // namespace pk::app
