#pragma once
// gdbserver's command line:
//   stubborn [OPTIONS] COMM PROG [ARGS...]
//   stubborn [OPTIONS] --attach COMM PID
//   stubborn [OPTIONS] --multi COMM [PROG [ARGS...]]
#include <optional>
#include <set>
#include <string>
#include <sys/types.h>
#include <vector>

namespace stub {

struct Options {
  std::string comm;                 // HOST:PORT, :PORT, [V6]:PORT, unix:PATH, - or stdio
  std::vector<std::string> program; // PROG and its arguments
  std::optional<pid_t> attach_pid;
  std::vector<std::string> wrapper;
  bool once = false;
  bool multi = false;
  bool startup_with_shell = true;
  bool disable_randomization = true;
  std::optional<std::string> debug_channels;
  std::optional<std::string> debug_file;
  std::set<std::string, std::less<>> disabled_packets;
  bool show_help = false;
  bool show_version = false;
  bool selftest = false;
};

struct ParsedCommandLine {
  std::optional<Options> options; // nullopt: print `error` (if any) and the usage, exit 1
  std::string error;
};

ParsedCommandLine parse_command_line(const std::vector<std::string> &args);
const char *usage_text();
const char *version_text();

// Where to listen.
struct ListenAddress {
  enum class Kind { Tcp, Unix, Stdio } kind = Kind::Tcp;
  std::string host; // Tcp: "127.0.0.1" for ":PORT"
  unsigned short port = 0;
  std::string path; // Unix
  bool stdio() const { return kind == Kind::Stdio; }
};
// nullopt with `error` set in gdbserver's words for an address it cannot use.
std::optional<ListenAddress> parse_listen_address(const std::string &comm, std::string &error);

} // namespace stub
