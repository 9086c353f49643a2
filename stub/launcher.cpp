#include "stub/launcher.hpp"
#include "stub/terminal.hpp"

#include "stub/log.hpp"
#include "stub/process.hpp"
#include "stub/wait_status.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/core.h>
#include <map>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <unistd.h>

extern char **environ;

namespace stub {
namespace {

std::vector<std::string> child_environment(const std::vector<rsp::EnvironmentChange> &changes) {
  std::map<std::string, std::string> env;
  std::vector<std::string> order;
  for (char **e = environ; *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string::npos)
      continue;
    auto [it, inserted] = env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    if (inserted)
      order.push_back(it->first);
  }
  for (const auto &c : changes) {
    if (!c.value) {
      env.erase(c.name);
      continue;
    }
    if (env.insert_or_assign(c.name, *c.value).second)
      order.push_back(c.name);
  }
  std::vector<std::string> out;
  for (const auto &name : order)
    if (auto it = env.find(name); it != env.end())
      out.push_back(name + "=" + it->second);
  return out;
}

std::vector<std::string> exec_argv(const LaunchOptions &options) {
  std::vector<std::string> argv = options.wrapper;
  argv.insert(argv.end(), options.argv.begin(), options.argv.end());
  if (!options.startup_with_shell)
    return argv;
  const char *shell = std::getenv("SHELL");
  std::string sh = shell && *shell ? shell : "/bin/sh";
  return {sh, "-c", shell_command(argv)};
}

std::vector<char *> c_strings(std::vector<std::string> &strings) {
  std::vector<char *> out;
  for (auto &s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Runs in the forked child: only async-signal-safe calls from here on.
[[noreturn]] void exec_child(const LaunchOptions &options, std::vector<std::string> &argv,
                             std::vector<std::string> &env, int go_fd, int error_fd) {
  // Wait until the parent has seized us, so the exec is the first thing it sees.
  char byte;
  while (::read(go_fd, &byte, 1) < 0 && errno == EINTR) {
  }
  if (!options.stdio_connection)
    child_takes_terminal();
  sigset_t none; // the stub blocks SIGCHLD for its signalfd; the program must not inherit that
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (options.disable_randomization)
    personality(ADDR_NO_RANDOMIZE);
  if (options.stdio_connection) {
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0)
      dup2(null_fd, STDIN_FILENO);
    dup2(STDERR_FILENO, STDOUT_FILENO);
  }
  if (!options.working_directory.empty() && chdir(options.working_directory.c_str()) != 0) {
    int err = errno;
    (void)!::write(error_fd, &err, sizeof err);
    _exit(127);
  }
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(env);
  execvpe(c_argv[0], c_argv.data(), c_env.data());
  int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  _exit(127);
}

} // namespace

std::string shell_command(const std::vector<std::string> &argv) {
  std::string command = "exec";
  for (const auto &arg : argv) {
    command += " '";
    for (char c : arg) {
      if (c == '\'')
        command += "'\\''";
      else
        command += c;
    }
    command += "'";
  }
  return command;
}

tl::expected<Launched, std::string> launch(Tracer &tracer, const LaunchOptions &options) {
  if (options.argv.empty() || options.argv.front().empty())
    return tl::unexpected(std::string("No program to run"));
  std::vector<std::string> argv = exec_argv(options);
  std::vector<std::string> env = child_environment(options.environment);
  // Each of shell, wrapper and program execs once; the last exec is the program's.
  int execs_expected = 1 + (options.startup_with_shell ? 1 : 0) + (options.wrapper.empty() ? 0 : 1);

  int go[2], error[2];
  if (pipe2(go, O_CLOEXEC) != 0 || pipe2(error, O_CLOEXEC) != 0)
    return tl::unexpected(fmt::format("pipe: {}", std::strerror(errno)));
  pid_t pid = fork();
  if (pid < 0)
    return tl::unexpected(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    ::close(go[1]);
    ::close(error[0]);
    exec_child(options, argv, env, go[0], error[1]);
  }
  ::close(go[0]);
  ::close(error[1]);

  // EXITKILL: a program we started must not outlive us.
  auto seized = tracer.seize(pid, Process::base_options | PTRACE_O_EXITKILL);
  ::close(go[1]); // let the child exec (or die with us if the seize failed)
  if (!seized) {
    ::close(error[0]);
    ::kill(pid, SIGKILL);
    return tl::unexpected(
        fmt::format("Cannot trace {}: {}", options.argv[0], seized.error().message()));
  }

  // Only our child exists yet; the funnel's waits see nothing else.
  int execs = 0;
  for (;;) {
    auto w = tracer.wait_any(true);
    if (!w || !*w) {
      ::close(error[0]);
      return tl::unexpected(std::string("lost the child while starting it"));
    }
    auto [tid, status] = **w;
    WaitEvent event = decode_wait_status(status);
    STUB_LOG(Event, "launch {}: {}", tid, describe(event));
    if (auto *e = std::get_if<EventStop>(&event); e && e->event == PTRACE_EVENT_EXEC) {
      if (++execs < execs_expected) {
        (void)tracer.cont(tid, 0);
        continue;
      }
      // Finish the execve so the first stop shows its return value (rax 0), as gdb sees
      // a program start under gdbserver.
      (void)tracer.to_syscall(tid, 0);
      continue;
    }
    if (std::holds_alternative<SyscallStop>(event))
      break;
    if (thread_ended(event)) {
      int err = 0;
      bool exec_failed = ::read(error[0], &err, sizeof err) == sizeof err;
      ::close(error[0]);
      if (exec_failed)
        return tl::unexpected(fmt::format("Cannot exec {}: {}.", argv.front(), std::strerror(err)));
      if (auto *x = std::get_if<Exited>(&event))
        return tl::unexpected(fmt::format("During startup program exited with code {}.", x->code));
      return tl::unexpected(fmt::format("During startup program terminated with signal {}.",
                                        strsignal(std::get<Signaled>(event).signal)));
    }
    // Anything else before the program's exec (a signal to the shell): let it go on.
    (void)tracer.cont(tid, 0);
  }
  ::close(error[0]);
  return Launched{pid};
}

} // namespace stub
