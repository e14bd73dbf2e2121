#pragma once
// The terminal the daemon was started from (stderr): log lines and, when it is a terminal, one status line kept at
// the bottom and redrawn in place (the live progress summary). A log line first clears the status line, is
// written, and the status line is drawn again below it, so the two never mix.
//
// Thread-safe (one mutex): log lines come from every loop, the status line from the daemon's main thread.

#include <mutex>
#include <string>
#include <string_view>

namespace pk::app {

class Console {
 public:
  explicit Console(int fd = 2);

  // Whether the descriptor is a terminal (isatty).
  bool is_terminal() const { return terminal_; }
  // Writes whole lines (each ending in '\n').
  void write(std::string_view lines);
  // Shows `line` as the status line (cut to the terminal's width); empty removes it. Ignored unless a terminal.
  void set_status(std::string_view line);

 private:
  void write_all(std::string_view bytes);
  size_t width() const;

  const int fd_;
  const bool terminal_;
  std::mutex mutex_;
  std::string status_;
};

}  // namespace pk::app
