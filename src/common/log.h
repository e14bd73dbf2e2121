#pragma once
// Logging: one spdlog logger per module name, all writing to stderr with the same pattern.
// Never log secrets: wrap anything that may hold one in redact().

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace pk {

// Sets the global level from a name (trace, debug, info, warn, error, off); returns false for a bad name.
bool set_log_level(std::string_view level);

// The logger for a module ("pulsar", "kinesis", ...), created on first use.
std::shared_ptr<spdlog::logger> logger(const std::string& module);

// "****" plus the last 4 characters for long values, "****" for short ones: enough to tell two keys apart,
// never enough to use one.
std::string redact(std::string_view secret);

}  // namespace pk
