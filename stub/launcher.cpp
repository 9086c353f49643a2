#include "stub/launcher.hpp"

#include "stub/log.hpp"
#include "stub/process.hpp"
#include "stub/wait_status.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fmt/core.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <unistd.h>

namespace stub {
namespace {

[[noreturn]] void exec_child(const LaunchOptions &options, int go_fd, int error_fd) {
  // Wait until the parent has seized us, so the exec is the first thing it sees.
  char byte;
  while (::read(go_fd, &byte, 1) < 0 && errno == EINTR) {
  }
  if (options.disable_randomization)
    personality(ADDR_NO_RANDOMIZE);
  if (options.stdio_connection) {
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0)
      dup2(null_fd, STDIN_FILENO);
    dup2(STDERR_FILENO, STDOUT_FILENO);
  }
  std::vector<char *> argv;
  for (const auto &a : options.argv)
    argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  _exit(127);
}

} // namespace

tl::expected<Launched, std::string> launch(Tracer &tracer, const LaunchOptions &options) {
  if (options.argv.empty())
    return tl::unexpected(std::string("No program to run"));
  int go[2], error[2];
  if (pipe2(go, O_CLOEXEC) != 0 || pipe2(error, O_CLOEXEC) != 0)
    return tl::unexpected(fmt::format("pipe: {}", std::strerror(errno)));

  pid_t pid = fork();
  if (pid < 0)
    return tl::unexpected(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    ::close(go[1]);
    ::close(error[0]);
    exec_child(options, go[0], error[1]);
  }
  ::close(go[0]);
  ::close(error[1]);

  // EXITKILL: a program we started must not outlive us.
  auto seized = tracer.seize(pid, Process::base_options | PTRACE_O_EXITKILL);
  ::close(go[1]); // let the child exec (or die with us if the seize failed)
  if (!seized) {
    ::close(error[0]);
    ::kill(pid, SIGKILL);
    return tl::unexpected(fmt::format("Cannot trace {}: {}", options.argv[0],
                                      seized.error().message()));
  }

  // Only our child exists yet; the funnel's waits see nothing else.
  for (;;) {
    auto w = tracer.wait_any(true);
    if (!w || !*w) {
      ::close(error[0]);
      return tl::unexpected(std::string("lost the child while starting it"));
    }
    auto [tid, status] = **w;
    WaitEvent event = decode_wait_status(status);
    STUB_LOG(Event, "launch {}: {}", tid, describe(event));
    if (auto *e = std::get_if<EventStop>(&event); e && e->event == PTRACE_EVENT_EXEC)
      break;
    if (std::holds_alternative<Exited>(event) || std::holds_alternative<Signaled>(event)) {
      int err = 0;
      std::string why = "the program exited during start-up";
      if (::read(error[0], &err, sizeof err) == sizeof err)
        why = std::strerror(err);
      ::close(error[0]);
      return tl::unexpected(fmt::format("Cannot exec {}: {}.", options.argv[0], why));
    }
    // Anything else before the exec (a signal sent to the child): let it go on.
    (void)tracer.cont(tid, 0);
  }
  ::close(error[0]);
  return Launched{pid};
}

} // namespace stub
