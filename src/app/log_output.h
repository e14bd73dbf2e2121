#pragma once
// Where the daemon's log goes: one spdlog sink that every module logger writes to (common/log.h set_log_sink). It
// formats each line itself (text or JSON lines, log_line.h) with the pipeline of the thread that logs
// (log_context.h), leaves out repeats of the same warning or error within the rate-limit window (log_rate_limit.h),
// and writes to the console (stderr, shared with the progress line) or to a file that reopen() opens again (SIGHUP,
// after logrotate moved it).
//
//   auto output = LogOutput::create({.format = LogFormat::kJson, .file = "/var/log/pk.log"}, &console);
//   pk::set_log_sink(*output);
//   ...on SIGHUP: (*output)->reopen();
//
// Thread-safe (spdlog's sink mutex). Warnings and errors logged on a pipeline's loop also go to that pipeline's
// recent errors (before the rate limit: the board folds repeats itself).

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/sinks/base_sink.h>

#include "app/console.h"
#include "app/log_line.h"
#include "app/log_rate_limit.h"
#include "common/result.h"

namespace pk::app {

struct LogOutputOptions {
  LogFormat format = LogFormat::kText;
  std::string file;  // empty: the console
  std::chrono::milliseconds repeat_window{std::chrono::seconds(10)};
};

class LogOutput final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Opens the file (appending); the error names it. `console` must outlive the output (used without a file).
  static Result<std::shared_ptr<LogOutput>> create(const LogOutputOptions& options, Console* console);
  ~LogOutput() override;

  // Closes the file and opens it again under its name (a new file when it was moved). No-op without a file.
  Status reopen();
  void set_format(LogFormat format);
  const std::string& file() const { return options_.file; }

  LogOutput(LogOutputOptions options, Console* console) : options_(std::move(options)), console_(console) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  Status open_file();

  LogOutputOptions options_;
  Console* console_;
  std::FILE* file_ = nullptr;
  LogRateLimit repeats_{options_.repeat_window};
  std::string line_;  // reused
  std::string key_;   // reused
};

}  // namespace pk::app
