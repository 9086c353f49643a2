#include "arch/x86_64_debug_registers.hpp"

#include <algorithm>

namespace arch::x86_64 {
namespace {

constexpr std::uint64_t max_watch_len = 32; // what four 8-byte slots can cover

std::uint8_t rw_field(HardwarePoint type) {
  switch (type) {
  case HardwarePoint::Breakpoint:
    return 0b00;
  case HardwarePoint::Write:
    return 0b01;
  case HardwarePoint::Read: // x86 has no read-only watch (the stub refuses Z3): read-or-write
  case HardwarePoint::Access:
    return 0b11;
  }
  return 0b11;
}

std::uint64_t len_field(std::uint8_t len) {
  switch (len) {
  case 2:
    return 0b01;
  case 4:
    return 0b11;
  case 8:
    return 0b10;
  default:
    return 0b00;
  }
}

} // namespace

// Every point's naturally aligned pieces, identical pieces sharing a slot.
std::optional<std::array<DebugRegisters::Slot, DebugRegisters::slots>>
DebugRegisters::allocate(const std::vector<Point> &points) {
  std::array<Slot, slots> out{};
  std::size_t used = 0;
  for (const auto &p : points) {
    for (std::uint64_t at = p.addr, end = p.addr + p.len; at < end;) {
      std::uint8_t size = 8;
      while (size > 1 && (at % size != 0 || at + size > end))
        size = static_cast<std::uint8_t>(size / 2);
      Slot piece{true, rw_field(p.type), size, at};
      bool shared = std::any_of(
          out.begin(), out.begin() + static_cast<std::ptrdiff_t>(used), [&](const Slot &s) {
            return s.rw == piece.rw && s.len == piece.len && s.addr == piece.addr;
          });
      if (!shared) {
        if (used == slots)
          return std::nullopt;
        out[used++] = piece;
      }
      at += size;
    }
  }
  return out;
}

bool DebugRegisters::insert(HardwarePoint type, std::uint64_t addr, std::uint64_t len) {
  if (type == HardwarePoint::Breakpoint ? len != 1 : (len == 0 || len > max_watch_len))
    return false;
  if (addr + len < addr)
    return false;
  auto points = points_;
  points.push_back(Point{type, addr, len});
  auto allocated = allocate(points);
  if (!allocated)
    return false;
  points_ = std::move(points);
  slots_ = *allocated;
  ++generation_;
  return true;
}

bool DebugRegisters::remove(HardwarePoint type, std::uint64_t addr, std::uint64_t len) {
  auto it = std::find_if(points_.begin(), points_.end(), [&](const Point &p) {
    return p.type == type && p.addr == addr && p.len == len;
  });
  if (it == points_.end())
    return false;
  points_.erase(it);
  slots_ = *allocate(points_); // fewer points always fit
  ++generation_;
  return true;
}

void DebugRegisters::clear() {
  if (points_.empty())
    return;
  points_.clear();
  slots_ = {};
  ++generation_;
}

std::uint64_t DebugRegisters::dr7() const {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < slots; ++i) {
    const Slot &s = slots_[i];
    if (!s.used)
      continue;
    value |= std::uint64_t{1} << (2 * i); // L<i>: enabled for this thread
    value |= std::uint64_t{s.rw} << (16 + 4 * i);
    value |= len_field(s.len) << (18 + 4 * i);
  }
  return value;
}

std::optional<DebugRegisterHit> DebugRegisters::hit(std::uint64_t dr6) const {
  for (std::size_t i = 0; i < slots; ++i) {
    const Slot &s = slots_[i];
    if (!s.used || !(dr6 & (std::uint64_t{1} << i)))
      continue;
    // The point this slot serves (the first inserted, when identical pieces are shared).
    for (const auto &p : points_)
      if (rw_field(p.type) == s.rw && s.addr >= p.addr && s.addr < p.addr + p.len)
        return DebugRegisterHit{p.type, std::max(s.addr, p.addr)};
  }
  return std::nullopt;
}

bool DebugRegisters::any_watch() const {
  for (const auto &p : points_)
    if (p.type != HardwarePoint::Breakpoint)
      return true;
  return false;
}

} // namespace arch::x86_64
