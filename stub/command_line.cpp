#include "stub/command_line.hpp"

#include <charconv>

namespace stub {

const char *usage_text() {
  return "Usage:\tstubborn [OPTIONS] COMM PROG [ARGS ...]\n"
         "\tstubborn [OPTIONS] --attach COMM PID\n"
         "\tstubborn [OPTIONS] --multi COMM\n"
         "\n"
         "COMM is HOST:PORT to listen for a TCP connection (:PORT listens on loopback\n"
         "only), or '-' or 'stdio' to use stdin/stdout of stubborn.\n"
         "PROG is the executable program.  ARGS are arguments passed to inferior.\n"
         "\n"
         "Operating modes:\n"
         "  --once                Exit after the first connection has closed.\n"
         "  --help                Print this message and then exit.\n"
         "  --version             Display version information and exit.\n"
         "\n"
         "Other options:\n"
         "  --disable-randomization\n"
         "                        Run PROG with address space randomization disabled.\n"
         "                        (default)\n"
         "  --no-disable-randomization\n"
         "                        Don't disable address space randomization.\n"
         "  --debug[=CHANNELS]    Log to stderr; CHANNELS is a comma-separated list of\n"
         "                        rsp, ptrace, event (default: all). The environment\n"
         "                        variable STUBBORN_DEBUG does the same.\n";
}

const char *version_text() {
  return "stubborn 0.1.0, a GDB remote debug stub for Linux\n"
         "Licensed under the Apache License, Version 2.0.\n";
}

ParsedCommandLine parse_command_line(const std::vector<std::string> &args) {
  Options options;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--once")
      options.once = true;
    else if (a == "--multi")
      options.multi = true;
    else if (a == "--help")
      options.show_help = true;
    else if (a == "--version")
      options.show_version = true;
    else if (a == "--disable-randomization")
      options.disable_randomization = true;
    else if (a == "--no-disable-randomization")
      options.disable_randomization = false;
    else if (a == "--debug")
      options.debug_channels = "all";
    else if (a.rfind("--debug=", 0) == 0)
      options.debug_channels = a.substr(8);
    else if (a.size() > 2 && a.rfind("--", 0) == 0)
      return {std::nullopt, "Unknown argument: " + a};
    else
      break;
  }
  if (options.show_help || options.show_version)
    return {options, {}};
  if (i >= args.size())
    return {std::nullopt, ""};
  options.comm = args[i++];
  options.program.assign(args.begin() + static_cast<long>(i), args.end());
  if (options.program.empty() && !options.multi)
    return {std::nullopt, ""};
  if (options.multi && !options.program.empty())
    return {std::nullopt, "--multi with a program is not supported yet"};
  if (options.multi)
    return {std::nullopt, "--multi is not supported yet"};
  return {options, {}};
}

std::optional<ListenAddress> parse_listen_address(const std::string &comm, std::string &error) {
  ListenAddress address;
  if (comm == "-" || comm == "stdio") {
    address.stdio = true;
    return address;
  }
  auto colon = comm.rfind(':');
  if (colon == std::string::npos) {
    error = "Only HOST:PORT, :PORT, '-' and 'stdio' are supported: " + comm;
    return std::nullopt;
  }
  std::string host = comm.substr(0, colon);
  std::string port = comm.substr(colon + 1);
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || p != port.data() + port.size() || value > 65535) {
    error = "Bad port argument: " + comm;
    return std::nullopt;
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  address.host = host.empty() ? "127.0.0.1" : host;
  address.port = static_cast<unsigned short>(value);
  return address;
}

} // namespace stub
