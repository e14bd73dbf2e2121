#include "kcl/worker_id.h"

#include <unistd.h>

#include <array>
#include <random>

#include <fmt/format.h>

namespace pk::kcl {

WorkerId format_worker_id(std::string_view host, int64_t pid, uint32_t random) {
  return WorkerId(fmt::format("{}:{}:{:08x}", host.empty() ? "localhost" : host, pid, random));
}

WorkerId make_worker_id(uint32_t random) {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return format_worker_id(host.data(), static_cast<int64_t>(::getpid()), random);
}

WorkerId make_worker_id() {
  std::random_device rd;
  return make_worker_id(static_cast<uint32_t>(rd()));
}

}  // namespace pk::kcl
