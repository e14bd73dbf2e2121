#include "pulsar/client/auth.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/text.h"

namespace pk::pulsar {
namespace {

class NoAuth final : public Authentication {
 public:
  std::string_view method() const override { return {}; }
  Result<std::string> auth_data() const override { return std::string(); }
};

class TokenAuth final : public Authentication {
 public:
  enum class Source { kInline, kFile, kEnv };
  TokenAuth(Source source, std::string value) : source_(source), value_(std::move(value)) {}

  std::string_view method() const override { return "token"; }

  Result<std::string> auth_data() const override {
    switch (source_) {
      case Source::kInline:
        return value_;
      case Source::kFile: {
        std::ifstream in(value_, std::ios::binary);
        if (!in) {
          return make_error(ErrorCode::kUnauthenticated, fmt::format("cannot read the token file '{}'", value_));
        }
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        const auto token = trim_whitespace(text);
        if (token.empty()) {
          return make_error(ErrorCode::kUnauthenticated, fmt::format("the token file '{}' is empty", value_));
        }
        return std::string(token);
      }
      case Source::kEnv: {
        const char* v = std::getenv(value_.c_str());
        const auto token = trim_whitespace(v == nullptr ? std::string_view{} : std::string_view{v});
        if (token.empty()) {
          return make_error(ErrorCode::kUnauthenticated,
                            fmt::format("the environment variable '{}' holds no token", value_));
        }
        return std::string(token);
      }
    }
    return make_error(ErrorCode::kInternal, "unknown token source");
  }

 private:
  Source source_;
  std::string value_;  // the token, the file path or the variable name
};

}  // namespace

AuthenticationPtr make_no_auth() {
  return std::make_shared<NoAuth>();
}

Result<AuthenticationPtr> make_token_auth(std::string_view params) {
  params = trim_whitespace(params);
  std::shared_ptr<TokenAuth> auth;
  if (params.starts_with("token:")) {
    const auto token = trim_whitespace(params.substr(6));
    if (token.empty()) return make_error(ErrorCode::kInvalidArgument, "token auth: 'token:' is followed by nothing");
    auth = std::make_shared<TokenAuth>(TokenAuth::Source::kInline, std::string(token));
  } else if (params.starts_with("file:")) {
    std::string_view path = params.substr(5);
    if (path.starts_with("//")) path.remove_prefix(2);  // file:///abs -> /abs
    if (path.empty()) return make_error(ErrorCode::kInvalidArgument, "token auth: 'file:' names no file");
    auth = std::make_shared<TokenAuth>(TokenAuth::Source::kFile, std::string(path));
  } else if (params.starts_with("env:")) {
    const auto name = params.substr(4);
    if (name.empty()) return make_error(ErrorCode::kInvalidArgument, "token auth: 'env:' names no variable");
    auth = std::make_shared<TokenAuth>(TokenAuth::Source::kEnv, std::string(name));
  } else if (params.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "token auth: no token given (use token:, file: or env:)");
  } else {
    for (char c : params) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        return make_error(ErrorCode::kInvalidArgument,
                          "token auth: the parameter is neither token:, file:, env: nor a bare token");
      }
    }
    auth = std::make_shared<TokenAuth>(TokenAuth::Source::kInline, std::string(params));
  }
  // Catch a missing file or variable at start-up rather than at the first connection.
  auto probe = auth->auth_data();
  if (!probe.ok()) return make_error(ErrorCode::kInvalidArgument, "token auth: " + probe.error().message);
  return AuthenticationPtr(std::move(auth));
}

Result<AuthenticationPtr> make_authentication(std::string_view plugin, std::string_view params) {
  plugin = trim_whitespace(plugin);
  if (plugin.empty()) return make_no_auth();
  if (plugin == "token" || plugin == "org.apache.pulsar.client.impl.auth.AuthenticationToken") {
    return make_token_auth(params);
  }
  return make_error(ErrorCode::kUnsupported, fmt::format("authentication plugin '{}' is not supported (supported: "
                                                         "org.apache.pulsar.client.impl.auth.AuthenticationToken)",
                                                         plugin));
}

}  // namespace pk::pulsar
