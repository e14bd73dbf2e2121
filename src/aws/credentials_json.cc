#include "aws/credentials_json.h"

#include <ctime>

#include <fmt/format.h>

#include "aws/json_reader.h"

namespace pk::aws {
namespace {

Error bad(std::string_view source, std::string what) {
  return make_error(ErrorCode::kMalformedInput, fmt::format("{}: {}", source, what));
}

Result<std::string> required(const json::FlatObject& obj, const char* name, std::string_view source) {
  PK_ASSIGN_OR_RETURN(std::string v, obj.string(name));
  if (v.empty()) {
    return make_error(ErrorCode::kUnauthenticated, fmt::format("{}: \"{}\" is missing or empty", source, name));
  }
  return v;
}

// The member names of a key pair and its token, which each source spells its own way.
struct KeyFields {
  const char* access_key_id;
  const char* secret_access_key;
  const char* session_token;
};

// The access key id and secret (both required) and the optional session token.
Result<Credentials> read_keys(const json::FlatObject& obj, KeyFields names, std::string_view source) {
  Credentials c;
  PK_ASSIGN_OR_RETURN(c.access_key_id, required(obj, names.access_key_id, source));
  PK_ASSIGN_OR_RETURN(c.secret_access_key, required(obj, names.secret_access_key, source));
  PK_ASSIGN_OR_RETURN(c.session_token, obj.string(names.session_token));
  return c;
}

Status read_expiration(const json::FlatObject& obj, std::string_view source, Credentials& out) {
  PK_ASSIGN_OR_RETURN(std::string exp, obj.string("Expiration"));
  if (exp.empty()) return ok_status();
  auto t = parse_iso8601(exp);
  if (!t.ok()) return bad(source, fmt::format("\"Expiration\" '{}' is not an ISO 8601 time", exp));
  out.expiration = *t;
  return ok_status();
}

bool digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int num(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

Result<std::chrono::system_clock::time_point> parse_iso8601(std::string_view s) {
  const auto fail = [&] {
    return make_error(ErrorCode::kMalformedInput, fmt::format("'{}' is not an ISO 8601 UTC time", s));
  };
  // YYYY-MM-DDTHH:MM:SS
  if (s.size() < 19 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2) ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2) ||
      s[16] != ':' || !digits(s, 17, 2)) {
    return fail();
  }
  std::tm tm{};
  tm.tm_year = num(s, 0, 4) - 1900;
  tm.tm_mon = num(s, 5, 2) - 1;
  tm.tm_mday = num(s, 8, 2);
  tm.tm_hour = num(s, 11, 2);
  tm.tm_min = num(s, 14, 2);
  tm.tm_sec = num(s, 17, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    return fail();
  }
  size_t pos = 19;
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int scale = 100;
    const size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      millis += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return fail();
  }
  int offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    if (!digits(s, pos, 2)) return fail();
    int hh = num(s, pos, 2);
    pos += 2;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (!digits(s, pos, 2)) return fail();
    int mm = num(s, pos, 2);
    pos += 2;
    offset_minutes = sign * (hh * 60 + mm);
  } else if (pos != s.size()) {
    return fail();
  }
  if (pos != s.size()) return fail();
  const time_t secs = timegm(&tm);
  return std::chrono::system_clock::from_time_t(secs) + std::chrono::milliseconds(millis) -
         std::chrono::minutes(offset_minutes);
}

Result<Credentials> parse_static_plugin_param(std::string_view json) {
  constexpr std::string_view kSource = "awsCredentialPluginParam";
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return make_error(ErrorCode::kInvalidArgument,
                      "awsCredentialPluginParam is empty: give {\"accessKey\": ..., \"secretKey\": ...} or set "
                      "awsCredentialPluginName");
  }
  // Every problem with the parameter is a configuration error.
  auto as_config_error = [](const Error& e) { return make_error(ErrorCode::kInvalidArgument, e.message); };
  auto doc = json::FlatObject::parse(json, kSource);
  if (!doc.ok()) return as_config_error(doc.error());
  auto c = read_keys(*doc, {"accessKey", "secretKey", "sessionToken"}, kSource);
  if (!c.ok()) return as_config_error(c.error());
  return c;
}

Result<Credentials> parse_process_credentials(std::string_view json) {
  constexpr std::string_view kSource = "credential_process output";
  PK_ASSIGN_OR_RETURN(auto doc, json::FlatObject::parse(json, kSource));
  auto version = doc.integer("Version");
  if (!version.ok() || !*version || **version != 1) return bad(kSource, "\"Version\" must be 1");
  PK_ASSIGN_OR_RETURN(Credentials c, read_keys(doc, {"AccessKeyId", "SecretAccessKey", "SessionToken"}, kSource));
  PK_TRY(read_expiration(doc, kSource, c));
  return c;
}

Result<Credentials> parse_metadata_credentials(std::string_view json, std::string_view source) {
  PK_ASSIGN_OR_RETURN(auto doc, json::FlatObject::parse(json, source));
  PK_ASSIGN_OR_RETURN(std::string code, doc.string("Code"));
  if (!code.empty() && code != "Success") {
    PK_ASSIGN_OR_RETURN(std::string message, doc.string("Message"));
    return make_error(ErrorCode::kUnauthenticated, fmt::format("{}: Code {}: {}", source, code, message));
  }
  PK_ASSIGN_OR_RETURN(Credentials c, read_keys(doc, {"AccessKeyId", "SecretAccessKey", "Token"}, source));
  PK_TRY(read_expiration(doc, source, c));
  return c;
}

}  // namespace pk::aws
