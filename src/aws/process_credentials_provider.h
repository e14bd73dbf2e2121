#pragma once
// credential_process: runs a command (through /bin/sh -c) whose standard output is
// {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}. The command runs off the event
// loop (the blocking pool, or the process's helper pool) and is killed after a timeout. Its stderr is passed through;
// its stdout is never logged. Thread-safe (no mutable state).

#include <chrono>
#include <string>

#include <boost/asio/thread_pool.hpp>

#include "aws/credentials.h"

namespace pk::aws {

struct ProcessOutput {
  int exit_code = 0;
  std::string out;
};

// Runs `command` with /bin/sh -c, capturing at most `max_output` bytes of stdout. kTimeout (and the process
// killed) after `timeout`; kIo when it cannot be started. Blocking.
Result<ProcessOutput> run_process(const std::string& command, std::chrono::milliseconds timeout,
                                  size_t max_output = 1 << 20);

class ProcessCredentialsProvider final : public CredentialsProvider {
 public:
  // `profile` only names the provider in messages.
  ProcessCredentialsProvider(std::string command, std::string profile, boost::asio::thread_pool* blocking,
                             std::chrono::milliseconds timeout = std::chrono::seconds(60))
      : command_(std::move(command)), profile_(std::move(profile)), blocking_(blocking), timeout_(timeout) {}

  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string name() const override { return "credential_process of profile " + profile_; }

 private:
  std::string command_;
  std::string profile_;
  boost::asio::thread_pool* blocking_;
  std::chrono::milliseconds timeout_;
};

}  // namespace pk::aws
