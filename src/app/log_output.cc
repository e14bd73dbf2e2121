#include "app/log_output.h"

#include <cerrno>
#include <cstring>

#include "app/log_context.h"

namespace pk::app {

namespace {

thread_local std::shared_ptr<const PipelineLogContext> t_context;

std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

}  // namespace

void set_thread_log_context(std::shared_ptr<const PipelineLogContext> context) {
  t_context = std::move(context);
}

const PipelineLogContext* thread_log_context() {
  return t_context.get();
}

Result<std::shared_ptr<LogOutput>> LogOutput::create(const LogOutputOptions& options, Console* console) {
  auto output = std::make_shared<LogOutput>(options, console);
  if (!options.file.empty()) PK_TRY(output->open_file());
  return output;
}

LogOutput::~LogOutput() {
  if (file_ != nullptr) std::fclose(file_);
}

Status LogOutput::open_file() {
  std::FILE* opened = std::fopen(options_.file.c_str(), "a");
  if (opened == nullptr) {
    return make_error(ErrorCode::kIo, "cannot open log file " + options_.file + ": " + std::strerror(errno));
  }
  if (file_ != nullptr) std::fclose(file_);
  file_ = opened;
  return Status();
}

Status LogOutput::reopen() {
  std::lock_guard lock(mutex_);
  if (options_.file.empty()) return Status();
  return open_file();
}

void LogOutput::set_format(LogFormat format) {
  std::lock_guard lock(mutex_);
  options_.format = format;
}

void LogOutput::sink_it_(const spdlog::details::log_msg& msg) {
  const PipelineLogContext* context = thread_log_context();
  const std::string_view message(msg.payload.data(), msg.payload.size());
  const std::string_view logger(msg.logger_name.data(), msg.logger_name.size());
  const std::string_view pipeline = context != nullptr ? std::string_view(context->pipeline) : std::string_view();
  uint64_t suppressed = 0;
  if (msg.level >= spdlog::level::warn) {
    if (context != nullptr && context->reporter) context->reporter->report_error(message);
    key_.assign(logger);
    key_ += '\0';
    key_ += level_name(msg.level);
    key_ += '\0';
    key_ += pipeline;
    key_ += '\0';
    key_ += line_shape(message);
    auto admitted = repeats_.admit(key_, std::chrono::steady_clock::now());
    if (!admitted) return;
    suppressed = *admitted;
  }
  line_.clear();
  append_log_line(line_,
                  LogLine{.time = msg.time,
                          .level = level_name(msg.level),
                          .logger = logger,
                          .pipeline = pipeline,
                          .message = message,
                          .suppressed = suppressed},
                  options_.format);
  if (file_ != nullptr) {
    std::fwrite(line_.data(), 1, line_.size(), file_);
    std::fflush(file_);
  } else if (console_ != nullptr) {
    console_->write(line_);
  }
}

void LogOutput::flush_() {
  if (file_ != nullptr) std::fflush(file_);
}

}  // namespace pk::app
