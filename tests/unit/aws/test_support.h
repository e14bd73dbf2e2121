#pragma once
// Helpers for the aws unit tests: set environment variables for one test (restored afterwards), write files into a
// temporary folder, fetch a provider's credentials. Coroutines run with support/async_test.h.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "aws/credentials.h"
#include "common/result.h"
#include "support/async_test.h"

namespace pk::aws::testing {

// The loop the tests run coroutines on (tests/support/async_test.h): it lives until the process exits.
inline boost::asio::io_context& test_loop() {
  return pk::testing::coroutine_loop();
}

// Runs `make()`'s awaitable on test_loop() until it finishes and returns its result (fails the test on a hang).
template <typename T, typename Make>
T run(Make make, std::chrono::seconds limit = std::chrono::seconds(20)) {
  return pk::testing::run_coroutine<T>(std::move(make), limit);
}

// Sets (or, with nullopt, unsets) variables for the life of the object; restores the previous values.
class ScopedEnv {
 public:
  ScopedEnv() = default;
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        unsetenv(it->first.c_str());
      }
    }
  }
  ScopedEnv& set(const std::string& name, const std::optional<std::string>& value) {
    const char* old = std::getenv(name.c_str());
    saved_.emplace_back(name, old != nullptr ? std::optional<std::string>(old) : std::nullopt);
    if (value) {
      setenv(name.c_str(), value->c_str(), 1);
    } else {
      unsetenv(name.c_str());
    }
    return *this;
  }
  ScopedEnv& unset(const std::string& name) { return set(name, std::nullopt); }

  // Unsets every variable the credential providers read, so the host's own AWS setup cannot leak into a test.
  ScopedEnv& clear_aws() {
    for (const char* v :
         {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_CONFIG_FILE",
          "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
          "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_DISABLED",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT"}) {
      unset(v);
    }
    return *this;
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// A fresh temporary folder, removed with its content at the end.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/name and returns the full path.
  std::string write(const std::string& name, const std::string& content, bool executable = false) const;

 private:
  std::filesystem::path path_;
};

// The provider's credentials, fetched on pk::testing::coroutine_loop().
inline Result<Credentials> fetch_credentials(CredentialsProvider& provider) {
  return pk::testing::run_coroutine<Result<Credentials>>([&] { return provider.get(); });
}

}  // namespace pk::aws::testing
