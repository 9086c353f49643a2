#include "stub/watchpoints.hpp"

#include "stub/log.hpp"

#include <algorithm>
#include <utility>

namespace stub {

namespace {
// gdb splits nothing for a remote target: a watched struct comes as one range.
constexpr std::uint64_t max_watch_length = 4096;
} // namespace

bool EmulatedWatchpoints::read(Watch &watch, std::vector<std::uint8_t> &out) {
  out.resize(watch.length);
  auto n = memory_.read(watch.addr, out);
  return n && *n == out.size();
}

Result<void> EmulatedWatchpoints::insert(std::uint64_t addr, std::uint64_t length) {
  if (length == 0 || length > max_watch_length)
    return rsp::fail(std::errc::invalid_argument);
  for (auto &w : watches_)
    if (w.addr == addr && w.length == length) {
      ++w.count;
      return {};
    }
  Watch watch{addr, length, 1, {}, false};
  // Unmapped memory (gdb watches `*ptr` while ptr is still NULL) is accepted, as debug
  // registers would be: nothing can be written there until it is mapped.
  watch.readable = read(watch, watch.bytes);
  watches_.push_back(std::move(watch));
  STUB_LOG(Event, "write watchpoint (emulated) at {:#x}, {} bytes", addr, length);
  return {};
}

void EmulatedWatchpoints::remove(std::uint64_t addr, std::uint64_t length) {
  auto it = std::find_if(watches_.begin(), watches_.end(),
                         [&](const Watch &w) { return w.addr == addr && w.length == length; });
  if (it != watches_.end() && --it->count == 0)
    watches_.erase(it);
}

void EmulatedWatchpoints::refresh() {
  for (auto &w : watches_)
    w.readable = read(w, w.bytes);
}

std::optional<std::uint64_t> EmulatedWatchpoints::take_change() {
  std::vector<std::uint8_t> now;
  for (auto &w : watches_) {
    bool was_readable = std::exchange(w.readable, read(w, now));
    if (!w.readable || !was_readable) {
      w.bytes = now; // mapped or unmapped since the last look: nothing to compare yet
      continue;
    }
    if (now == w.bytes)
      continue;
    auto first = std::mismatch(now.begin(), now.end(), w.bytes.begin()).first;
    w.bytes = now;
    return w.addr + static_cast<std::uint64_t>(first - now.begin());
  }
  return std::nullopt;
}

} // namespace stub
