// stubborn: a GDB remote debug stub for Linux, with gdbserver's command line.
#include "arch/arch.hpp"
#include "stub/command_line.hpp"
#include "stub/inferior.hpp"
#include "stub/launcher.hpp"
#include "stub/linux_tracer.hpp"
#include "stub/log.hpp"
#include "stub/server.hpp"

#include <asio.hpp>
#include <csignal>
#include <cstdlib>
#include <fmt/core.h>

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN); // a vanished gdb is an error code, not a death
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = stub::parse_command_line(args);
  if (!parsed.options) {
    if (!parsed.error.empty())
      fmt::print(stderr, "{}\n", parsed.error);
    fmt::print(stderr, "{}", stub::usage_text());
    return 1;
  }
  const stub::Options &options = *parsed.options;
  if (options.show_help) {
    fmt::print("{}", stub::usage_text());
    return 0;
  }
  if (options.show_version) {
    fmt::print("{}", stub::version_text());
    return 0;
  }
  const char *env_debug = std::getenv("STUBBORN_DEBUG");
  if (options.debug_channels || env_debug) {
    if (!stub::log::enable(options.debug_channels ? *options.debug_channels : env_debug)) {
      fmt::print(stderr, "Unknown debug channel in '{}'; channels: rsp, ptrace, event, all\n",
                 options.debug_channels ? *options.debug_channels : env_debug);
      return 1;
    }
  }
  std::string address_error;
  auto address = stub::parse_listen_address(options.comm, address_error);
  if (!address) {
    fmt::print(stderr, "{}\nExiting\n", address_error);
    return 1;
  }

  asio::io_context io;
  stub::LinuxTracer tracer;
  // The stub runs where the inferior runs: this machine's XCR0 picks the registers gdb sees.
  const arch::ArchInfo &arch_info = arch::x86_64();
  STUB_LOG(Event, "x86-64 target: {} registers, XSAVE block {} bytes", arch_info.registers.size(),
           arch_info.xsave_size);
  stub::Inferior inferior(tracer, arch_info);
  stub::Server server(io, inferior, options); // SIGCHLD is watched before anything starts

  stub::LaunchOptions launch_options;
  launch_options.argv = options.program;
  launch_options.disable_randomization = options.disable_randomization;
  launch_options.stdio_connection = address->stdio;
  auto launched = stub::launch(tracer, launch_options);
  if (!launched) {
    fmt::print(stderr, "{}\nExiting\n", launched.error());
    return 1;
  }
  fmt::print(stderr, "Process {} created; pid = {}\n", options.program.front(), launched->pid);
  inferior.adopt(launched->pid, false, SIGTRAP);

  if (auto error = server.open(*address)) {
    fmt::print(stderr, "{}\nExiting\n", *error);
    inferior.release();
    return 1;
  }
  return server.run();
}
