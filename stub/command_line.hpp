#pragma once
// gdbserver's command line: stubborn [OPTIONS] COMM PROG [ARGS...]
#include <optional>
#include <string>
#include <vector>

namespace stub {

struct Options {
  std::string comm;               // HOST:PORT, :PORT, - or stdio
  std::vector<std::string> program; // PROG and its arguments
  bool once = false;
  bool multi = false;
  bool disable_randomization = true;
  std::optional<std::string> debug_channels;
  bool show_help = false;
  bool show_version = false;
};

struct ParsedCommandLine {
  std::optional<Options> options; // nullopt: print `error` and the usage, exit 1
  std::string error;
};

ParsedCommandLine parse_command_line(const std::vector<std::string> &args);
const char *usage_text();
const char *version_text();

// Where to listen: "-"/"stdio" → stdio; ":PORT" → loopback; "HOST:PORT" → HOST.
struct ListenAddress {
  bool stdio = false;
  std::string host; // "127.0.0.1" for ":PORT"
  unsigned short port = 0;
};
std::optional<ListenAddress> parse_listen_address(const std::string &comm, std::string &error);

} // namespace stub
