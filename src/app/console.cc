#include "app/console.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

namespace pk::app {

namespace {
constexpr std::string_view kClearLine = "\r\033[K";
}  // namespace

Console::Console(int fd) : fd_(fd), terminal_(::isatty(fd) == 1) {}

void Console::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report it
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

size_t Console::width() const {
  winsize size{};
  if (::ioctl(fd_, TIOCGWINSZ, &size) == 0 && size.ws_col > 1) return size.ws_col - 1;
  return 79;
}

void Console::write(std::string_view lines) {
  std::lock_guard lock(mutex_);
  if (status_.empty()) {
    write_all(lines);
    return;
  }
  std::string out;
  out.reserve(lines.size() + status_.size() + 8);
  out += kClearLine;
  out += lines;
  out += status_;
  write_all(out);
}

void Console::set_status(std::string_view line) {
  if (!terminal_) return;
  std::lock_guard lock(mutex_);
  if (line.empty() && status_.empty()) return;
  status_ = std::string(line.substr(0, std::min(line.size(), width())));
  std::string out(kClearLine);
  out += status_;
  write_all(out);
}

}  // namespace pk::app
