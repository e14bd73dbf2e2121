#pragma once
// The Pulsar client's logger ("pulsar"), looked up once.

#include <memory>

#include <spdlog/logger.h>

#include "common/log.h"

namespace pk::pulsar {

inline const std::shared_ptr<spdlog::logger>& client_log() {
  static const auto l = pk::logger("pulsar");
  return l;
}

}  // namespace pk::pulsar
