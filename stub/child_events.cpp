#include "stub/child_events.hpp"

#include <csignal>
#include <stdexcept>
#include <sys/signalfd.h>
#include <unistd.h>

namespace stub {
namespace {

int open_sigchld_fd() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error("signalfd(SIGCHLD) failed");
  return fd;
}

} // namespace

ChildEvents::ChildEvents(asio::io_context &io) : descriptor_(io, open_sigchld_fd()) {}

void ChildEvents::watch(std::function<void()> on_ready) {
  on_ready_ = std::move(on_ready);
  arm();
}

void ChildEvents::arm() {
  descriptor_.async_wait(asio::posix::stream_descriptor::wait_read, [this](std::error_code ec) {
    if (ec)
      return;
    // Clear the readiness first: a SIGCHLD arriving after this read makes it ready again,
    // so no event is left unseen by the drain below. SIGCHLD does not queue: one read
    // takes all there is.
    signalfd_siginfo infos[4];
    (void)!::read(descriptor_.native_handle(), infos, sizeof infos);
    on_ready_();
    arm();
  });
}

} // namespace stub
