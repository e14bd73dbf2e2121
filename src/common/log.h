#pragma once
// Logging: one spdlog logger per module name, all writing to the same output: stderr with a plain pattern until the
// program installs its own sink (the daemon's: text or JSON lines, a log file, rate limits; app/log_output.h).
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

// Makes every module logger (those made so far and those made later) write to `sink` only; null goes back to the
// default stderr output. Call while no other thread logs (at start-up, at exit).
void set_log_sink(std::shared_ptr<spdlog::sinks::sink> sink);

// "****" plus the last 4 characters for long values, "****" for short ones: enough to tell two keys apart,
// never enough to use one.
std::string redact(std::string_view secret);

}  // namespace pk
