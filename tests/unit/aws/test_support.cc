#include "test_support.h"

#include <fstream>
#include <random>

namespace pk::aws::testing {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("pk-aws-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content, bool executable) const {
  const auto p = path_ / name;
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << content;
  }
  if (executable) {
    std::filesystem::permissions(p, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
  }
  return p.string();
}

}  // namespace pk::aws::testing
