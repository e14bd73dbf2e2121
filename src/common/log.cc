#include "common/log.h"

#include <mutex>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace pk {

namespace {

struct LogSinks {
  std::mutex mutex;
  std::shared_ptr<spdlog::sinks::sink> installed;  // null: the default
  std::shared_ptr<spdlog::sinks::sink> fallback;
  std::vector<std::shared_ptr<spdlog::logger>> loggers;

  std::shared_ptr<spdlog::sinks::sink> current() {
    if (installed) return installed;
    if (!fallback) {
      fallback = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
      fallback->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ [%n] %v");
    }
    return fallback;
  }
};

LogSinks& log_sinks() {
  static LogSinks* sinks = new LogSinks();  // never destroyed: loggers may run during static destruction
  return *sinks;
}

}  // namespace

bool set_log_level(std::string_view level) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") return false;
  spdlog::set_level(parsed);
  return true;
}

std::shared_ptr<spdlog::logger> logger(const std::string& module) {
  LogSinks& sinks = log_sinks();
  std::lock_guard lock(sinks.mutex);
  if (auto existing = spdlog::get(module)) return existing;
  auto created = std::make_shared<spdlog::logger>(module, sinks.current());
  created->set_level(spdlog::get_level());
  spdlog::register_logger(created);
  sinks.loggers.push_back(created);
  return created;
}

void set_log_sink(std::shared_ptr<spdlog::sinks::sink> sink) {
  LogSinks& sinks = log_sinks();
  std::lock_guard lock(sinks.mutex);
  sinks.installed = std::move(sink);
  const auto current = sinks.current();
  for (const auto& l : sinks.loggers) l->sinks().assign(1, current);
}

std::string redact(std::string_view secret) {
  if (secret.size() < 16) return "****";
  return "****" + std::string(secret.substr(secret.size() - 4));
}

}  // namespace pk
