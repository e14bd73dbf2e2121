#pragma once
// Reading the small JSON objects of this module (error bodies, credential documents, plugin parameters) with
// simdjson: string members where absent and null are the same, integers that may come as strings. Pure code; the
// parsed object owns its parser. Errors say what is wrong with which member, never a value.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::aws {

class JsonObject {
 public:
  // kMalformedInput naming `what` when `text` is not a JSON object.
  static Result<JsonObject> parse(std::string_view text, std::string_view what);

  JsonObject(JsonObject&&) noexcept;
  JsonObject& operator=(JsonObject&&) noexcept;
  ~JsonObject();

  bool has(std::string_view key) const;  // present and not null
  // The string member: empty if absent or null; an error if it is another type.
  Result<std::string> string(std::string_view key) const;
  // An integer member, also accepted as a string of digits; nullopt if absent or null.
  Result<std::optional<int64_t>> integer(std::string_view key) const;

 private:
  struct Impl;
  explicit JsonObject(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pk::aws
