// stubborn: a GDB remote debug stub for Linux, with gdbserver's command line.
#include "arch/arch.hpp"
#include "stub/command_line.hpp"
#include "stub/inferior.hpp"
#include "stub/launcher.hpp"
#include "stub/linux_tracer.hpp"
#include "stub/log.hpp"
#include "stub/selftest.hpp"
#include "stub/server.hpp"

#include <asio.hpp>
#include <csignal>
#include <cstdlib>
#include <fmt/core.h>

namespace {

int usage_error(const std::string &error) {
  if (!error.empty())
    fmt::print(stderr, "{}\n", error);
  fmt::print(stderr, "{}", stub::usage_text());
  return 1;
}

bool setup_logging(const stub::Options &options) {
  const char *env_debug = std::getenv("STUBBORN_DEBUG");
  if (options.debug_channels || env_debug) {
    std::string channels = options.debug_channels ? *options.debug_channels : env_debug;
    if (!stub::log::enable(channels)) {
      fmt::print(stderr, "Unknown debug channel in '{}'; channels: rsp, ptrace, event, all\n",
                 channels);
      return false;
    }
  }
  if (options.debug_file && !stub::log::set_file(options.debug_file->c_str())) {
    fmt::print(stderr, "Cannot open debug file {}\n", *options.debug_file);
    return false;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN); // a vanished gdb is an error code, not a death
  auto parsed = stub::parse_command_line({argv + 1, argv + argc});
  if (!parsed.options)
    return usage_error(parsed.error);
  const stub::Options &options = *parsed.options;
  if (options.show_help) {
    fmt::print("{}", stub::usage_text());
    return 0;
  }
  if (options.show_version) {
    fmt::print("{}", stub::version_text());
    return 0;
  }
  const arch::ArchInfo &arch_info = arch::x86_64_native();
  if (options.selftest) {
    auto result = stub::run_selftests(arch_info);
    fmt::print("Ran {} unit tests, {} failed\n", result.ran, result.failed);
    return result.failed == 0 ? 0 : 1;
  }
  if (!setup_logging(options))
    return 1;
  std::string address_error;
  auto address = stub::parse_listen_address(options.comm, address_error);
  if (!address) {
    fmt::print(stderr, "{}\nExiting\n", address_error);
    return 1;
  }
  STUB_LOG(Event, "x86-64 target: {} registers, XSAVE block {} bytes", arch_info.registers.size(),
           arch_info.xsave_size);

  asio::io_context io;
  stub::LinuxTracer tracer;
  stub::Inferior inferior(tracer, arch_info);
  stub::LaunchOptions defaults;
  defaults.argv = options.program;
  defaults.wrapper = options.wrapper;
  defaults.startup_with_shell = options.startup_with_shell;
  defaults.disable_randomization = options.disable_randomization;
  defaults.stdio_connection = address->stdio();
  inferior.set_launch_defaults(defaults);

  // SIGCHLD is watched, and the address bound, before anything starts.
  stub::Server server(io, inferior, options);
  if (auto error = server.bind(*address)) {
    fmt::print(stderr, "{}\nExiting\n", *error);
    return 1;
  }
  if (address->stdio())
    fmt::print(stderr, "stdin/stdout redirected\n"); // before start-up errors, as gdbserver
  if (options.attach_pid) {
    auto attached = inferior.take_over(*options.attach_pid);
    if (!attached) {
      fmt::print(stderr, "{}\nExiting\n", attached.error());
      return 1;
    }
    fmt::print(stderr, "Attached; pid = {}\n", *attached);
  } else if (!options.program.empty()) {
    auto started = inferior.start({});
    if (!started) {
      fmt::print(stderr, "{}\nExiting\n", started.error());
      return 1;
    }
    fmt::print(stderr, "Process {} created; pid = {}\n", options.program.front(), *started);
  }
  server.start();
  return server.run();
}
