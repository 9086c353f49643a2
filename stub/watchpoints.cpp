#include "stub/watchpoints.hpp"

#include "stub/log.hpp"

#include <algorithm>

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
  Watch watch{addr, length, 1, {}};
  if (!read(watch, watch.bytes))
    return rsp::fail(std::errc::bad_address); // gdb says it cannot watch that memory
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
    (void)read(w, w.bytes);
}

std::optional<std::uint64_t> EmulatedWatchpoints::take_change() {
  std::vector<std::uint8_t> now;
  for (auto &w : watches_) {
    if (!read(w, now) || now == w.bytes)
      continue; // unreadable (unmapped since): nothing to compare
    auto first = std::mismatch(now.begin(), now.end(), w.bytes.begin()).first;
    w.bytes = now;
    return w.addr + static_cast<std::uint64_t>(first - now.begin());
  }
  return std::nullopt;
}

} // namespace stub
