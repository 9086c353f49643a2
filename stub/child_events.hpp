#pragma once
// SIGCHLD as a readable descriptor on the io_context (signalfd): no signal handler, no
// self-pipe, one read per batch of child events.
#include <asio.hpp>

#include <functional>

namespace stub {

class ChildEvents {
public:
  // Blocks SIGCHLD for this process (programs we start unblock it before exec).
  explicit ChildEvents(asio::io_context &io);
  // Calls `on_ready` whenever children may have new wait statuses, until the io_context stops.
  void watch(std::function<void()> on_ready);

private:
  void arm();
  asio::posix::stream_descriptor descriptor_;
  std::function<void()> on_ready_;
};

} // namespace stub
