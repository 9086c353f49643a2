#pragma once
// Channel logs on stderr (stdout may belong to the inferior). Channels: rsp, ptrace, event.
// Enabled by --debug[=CHANNELS] or the STUBBORN_DEBUG environment variable.
#include <fmt/core.h>

#include <string_view>

namespace stub::log {

enum class Channel { Rsp = 1, Ptrace = 2, Event = 4 };

bool enabled(Channel c);
// "all", "" (= all) or a comma-separated list of channel names. Returns false on an
// unknown name.
bool enable(std::string_view channels);
void set_enabled(Channel c, bool on);
void write(Channel c, std::string_view text);
// Send the logs to `path` instead of stderr; false when it cannot be opened.
bool set_file(const char *path);

template <class... Args> void print(Channel c, fmt::format_string<Args...> format, Args &&...args) {
  if (enabled(c))
    write(c, fmt::format(format, std::forward<Args>(args)...));
}

} // namespace stub::log

#define STUB_LOG(channel, ...) ::stub::log::print(::stub::log::Channel::channel, __VA_ARGS__)
