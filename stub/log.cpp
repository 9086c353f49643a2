#include "stub/log.hpp"

#include <cstdio>
#include <ctime>
#include <string>

namespace stub::log {
namespace {
// The one piece of process-wide state: which channels are on. Set once at start-up.
unsigned enabled_mask = 0;
std::FILE *output = nullptr; // stderr unless --debug-file

std::string_view name_of(Channel c) {
  switch (c) {
  case Channel::Rsp:
    return "rsp";
  case Channel::Ptrace:
    return "ptrace";
  case Channel::Event:
    return "event";
  }
  return "?";
}
} // namespace

bool enabled(Channel c) { return (enabled_mask & static_cast<unsigned>(c)) != 0; }

bool enable(std::string_view channels) {
  if (channels.empty() || channels == "all" || channels == "1") {
    enabled_mask = 7;
    return true;
  }
  while (!channels.empty()) {
    auto comma = channels.find(',');
    auto name = channels.substr(0, comma);
    if (name == "rsp" || name == "remote")
      enabled_mask |= static_cast<unsigned>(Channel::Rsp);
    else if (name == "ptrace")
      enabled_mask |= static_cast<unsigned>(Channel::Ptrace);
    else if (name == "event" || name == "threads")
      enabled_mask |= static_cast<unsigned>(Channel::Event);
    else if (name == "all")
      enabled_mask = 7;
    else
      return false;
    channels = comma == std::string_view::npos ? std::string_view{} : channels.substr(comma + 1);
  }
  return true;
}

void set_enabled(Channel c, bool on) {
  if (on)
    enabled_mask |= static_cast<unsigned>(c);
  else
    enabled_mask &= ~static_cast<unsigned>(c);
}

bool set_file(const char *path) {
  std::FILE *file = std::fopen(path, "a");
  if (!file)
    return false;
  std::setvbuf(file, nullptr, _IOLBF, 0);
  output = file;
  return true;
}

void write(Channel c, std::string_view text) {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  std::fprintf(output ? output : stderr, "[%ld.%06ld %s] %.*s\n", static_cast<long>(ts.tv_sec),
               ts.tv_nsec / 1000, name_of(c).data(), static_cast<int>(text.size()), text.data());
}

} // namespace stub::log
