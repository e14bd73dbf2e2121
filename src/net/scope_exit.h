#pragma once
// Runs a function when the scope ends, however it ends: a return, an error, or a coroutine frame destroyed while
// suspended (its owner cancelled or dropped it). The guard for "take me off the waiting list when this frame
// dies", "give back what I was handed if I never used it", "clear the busy flag even if the fetch was cancelled".
//
//   list.push_back(&waiter);
//   ScopeExit unlist([&] { std::erase(list, &waiter); });
//   co_await waiter.wake();   // the frame may be destroyed here: the guard still runs
//
// dismiss() keeps it from running (the success path took over). Not copyable or movable: it lives where it is.

#include <utility>

namespace pk::net {

template <typename F>
class [[nodiscard]] ScopeExit {
 public:
  explicit ScopeExit(F f) : f_(std::move(f)) {}
  ~ScopeExit() {
    if (armed_) f_();
  }
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;

  void dismiss() { armed_ = false; }

 private:
  F f_;
  bool armed_ = true;
};

}  // namespace pk::net
