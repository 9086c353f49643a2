#include "stub/command_line.hpp"

#include <charconv>

namespace stub {

const char *usage_text() {
  return "Usage:\tstubborn [OPTIONS] COMM PROG [ARGS ...]\n"
         "\tstubborn [OPTIONS] --attach COMM PID\n"
         "\tstubborn [OPTIONS] --multi COMM\n"
         "\n"
         "COMM is HOST:PORT to listen for a TCP connection (:PORT listens on loopback\n"
         "only; name another address, e.g. 0.0.0.0:PORT, to accept other hosts),\n"
         "unix:PATH for a Unix-domain socket (mode 0600, same user only), or '-' or\n"
         "'stdio' to use stdin/stdout of stubborn.\n"
         "PROG is the executable program.  ARGS are arguments passed to inferior.\n"
         "PID is the process ID to attach to, when --attach is specified.\n"
         "\n"
         "Operating modes:\n"
         "\n"
         "  --attach              Attach to running process PID.\n"
         "  --multi               Start server without a specific program, and\n"
         "                        only quit when explicitly commanded.\n"
         "  --once                Exit after the first connection has closed.\n"
         "  --help                Print this message and then exit.\n"
         "  --version             Display version information and exit.\n"
         "\n"
         "Other options:\n"
         "\n"
         "  --wrapper WRAPPER --  Run WRAPPER to start new programs.\n"
         "  --disable-randomization\n"
         "                        Run PROG with address space randomization disabled.\n"
         "                        (default)\n"
         "  --no-disable-randomization\n"
         "                        Don't disable address space randomization when\n"
         "                        starting PROG.\n"
         "  --startup-with-shell\n"
         "                        Start PROG using a shell.  (default)\n"
         "  --no-startup-with-shell\n"
         "                        Exec PROG directly instead of using a shell.\n"
         "\n"
         "Debug options:\n"
         "\n"
         "  --debug[=CHANNELS]    Log to stderr. CHANNELS is a comma-separated list of\n"
         "                        rsp, ptrace, event, all (default: all). The variable\n"
         "                        STUBBORN_DEBUG in the environment does the same.\n"
         "  --debug-file=FILE     Write the logs to FILE instead of stderr.\n"
         "  --remote-debug        Same as --debug=rsp.\n"
         "  --disable-packet=OPT1[,OPT2,...]\n"
         "                        Disable support for RSP packets or features.\n"
         "                          Options:\n"
         "                            vCont, T, Tthread, qC, qfThreadInfo and\n"
         "                            threads (disable all threading packets).\n"
         "  --selftest            Run stubborn's built-in self checks and exit.\n";
}

const char *version_text() {
  return "stubborn 0.1.0, a GDB remote debug stub for Linux\n"
         "Licensed under the Apache License, Version 2.0.\n";
}

namespace {

bool known_packet(const std::string &name) {
  return name == "vCont" || name == "T" || name == "Tthread" || name == "qC" ||
         name == "qfThreadInfo" || name == "threads";
}

} // namespace

ParsedCommandLine parse_command_line(const std::vector<std::string> &args) {
  Options options;
  bool attach = false;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--once")
      options.once = true;
    else if (a == "--multi")
      options.multi = true;
    else if (a == "--attach")
      attach = true;
    else if (a == "--help")
      options.show_help = true;
    else if (a == "--version")
      options.show_version = true;
    else if (a == "--selftest")
      options.selftest = true;
    else if (a == "--disable-randomization")
      options.disable_randomization = true;
    else if (a == "--no-disable-randomization")
      options.disable_randomization = false;
    else if (a == "--startup-with-shell")
      options.startup_with_shell = true;
    else if (a == "--no-startup-with-shell")
      options.startup_with_shell = false;
    else if (a == "--debug")
      options.debug_channels = "all";
    else if (a.rfind("--debug=", 0) == 0)
      options.debug_channels = a.substr(8);
    else if (a.rfind("--debug-file=", 0) == 0)
      options.debug_file = a.substr(13);
    else if (a == "--remote-debug")
      options.debug_channels = options.debug_channels ? *options.debug_channels + ",rsp" : "rsp";
    else if (a == "--event-loop-debug")
      continue; // gdbserver's; nothing to add to our event channel
    else if (a.rfind("--disable-packet=", 0) == 0) {
      std::string list = a.substr(17);
      std::size_t start = 0;
      while (start <= list.size()) {
        auto comma = list.find(',', start);
        std::string name = list.substr(start, comma - start);
        if (!known_packet(name))
          return {std::nullopt, "Don't know how to disable \"" + name + "\".\n"};
        options.disabled_packets.insert(name);
        if (comma == std::string::npos)
          break;
        start = comma + 1;
      }
    } else if (a == "--wrapper") {
      for (++i; i < args.size() && args[i] != "--"; ++i)
        options.wrapper.push_back(args[i]);
      if (i >= args.size() || options.wrapper.empty())
        return {std::nullopt, "Missing wrapper argument"};
    } else if (a.size() > 2 && a.rfind("--", 0) == 0)
      return {std::nullopt, "Unknown argument: " + a};
    else
      break;
  }
  if (options.show_help || options.show_version || options.selftest)
    return {options, {}};
  if (i >= args.size())
    return {std::nullopt, ""};
  options.comm = args[i++];
  std::vector<std::string> rest(args.begin() + static_cast<long>(i), args.end());
  if (!rest.empty() && rest.front() == "--attach") { // the old place, still accepted
    attach = true;
    rest.erase(rest.begin());
  }
  if (attach) {
    if (rest.size() != 1)
      return {std::nullopt, ""};
    long pid = 0;
    auto [p, ec] = std::from_chars(rest[0].data(), rest[0].data() + rest[0].size(), pid);
    if (ec != std::errc() || p != rest[0].data() + rest[0].size() || pid <= 0)
      return {std::nullopt, "Bad process ID: " + rest[0]};
    options.attach_pid = static_cast<pid_t>(pid);
    return {options, {}};
  }
  options.program = std::move(rest);
  if (options.program.empty() && !options.multi)
    return {std::nullopt, ""};
  return {options, {}};
}

std::optional<ListenAddress> parse_listen_address(const std::string &comm, std::string &error) {
  ListenAddress address;
  if (comm == "-" || comm == "stdio") {
    address.kind = ListenAddress::Kind::Stdio;
    return address;
  }
  if (comm.rfind("unix:", 0) == 0) {
    address.kind = ListenAddress::Kind::Unix;
    address.path = comm.substr(5);
    if (address.path.empty()) {
      error = "unix: needs a socket path";
      return std::nullopt;
    }
    return address;
  }
  auto colon = comm.rfind(':');
  if (colon == std::string::npos) {
    error = comm + ": no port given (HOST:PORT, :PORT, unix:PATH, - or stdio)";
    return std::nullopt;
  }
  std::string host = comm.substr(0, colon);
  std::string port = comm.substr(colon + 1);
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || p != port.data() + port.size() || value > 65535) {
    error = comm + ": cannot resolve name: Servname not supported for ai_socktype";
    return std::nullopt;
  }
  if (host.find('[') != std::string::npos || host.find(']') != std::string::npos) {
    if (host.size() < 2 || host.front() != '[' || host.back() != ']') {
      error = "Missing open bracket in hostname '" + comm + "'";
      return std::nullopt;
    }
    host = host.substr(1, host.size() - 2);
  }
  address.host = host.empty() ? "127.0.0.1" : host;
  address.port = static_cast<unsigned short>(value);
  return address;
}

} // namespace stub
