#pragma once
// The x86-64 debug registers as gdb's Z1-Z4 points fill them: DR0-DR3 hold addresses, DR7
// enables each and says what it watches (execute, write, read-or-write) and how many bytes
// (1, 2, 4 or 8, naturally aligned). A longer or unaligned range takes several slots; four
// slots are all there is. Pure bookkeeping: the stub writes the values to every thread.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace arch::x86_64 {

// gdb's Z packet types that use debug registers.
enum class HardwarePoint { Breakpoint = 1, Write = 2, Read = 3, Access = 4 };

struct DebugRegisterHit {
  HardwarePoint type;
  std::uint64_t address; // the triggering slot's start: inside the point gdb inserted
};

class DebugRegisters {
public:
  static constexpr int slots = 4;
  static constexpr std::uint64_t dr6_hit_bits = 0xf; // B0-B3

  // false, and nothing changes: no room, or a length the hardware cannot watch (breakpoints
  // are one byte; a watched range is 1 to 32 bytes).
  bool insert(HardwarePoint type, std::uint64_t addr, std::uint64_t len);
  // false: no such point was inserted.
  bool remove(HardwarePoint type, std::uint64_t addr, std::uint64_t len);
  void clear();

  bool any() const { return !points_.empty(); }
  bool any_watch() const; // a data point (write, read, access), not only breakpoints
  // Changes with every insert and remove: a thread whose copy is older needs the new values.
  std::uint64_t generation() const { return generation_; }
  std::uint64_t address(int slot) const { return slots_[static_cast<std::size_t>(slot)].addr; }
  std::uint64_t dr7() const;
  // What a DR6 value (read after a SIGTRAP) reports; nullopt when no slot of ours triggered.
  std::optional<DebugRegisterHit> hit(std::uint64_t dr6) const;

private:
  struct Point {
    HardwarePoint type;
    std::uint64_t addr, len;
  };
  struct Slot {
    bool used = false;
    std::uint8_t rw = 0;  // DR7 R/W field: 00 execute, 01 write, 11 read or write
    std::uint8_t len = 0; // bytes: 1, 2, 4, 8
    std::uint64_t addr = 0;
  };
  static std::optional<std::array<Slot, slots>> allocate(const std::vector<Point> &points);

  std::vector<Point> points_; // as gdb inserted them; one entry per insert
  std::array<Slot, slots> slots_{};
  std::uint64_t generation_ = 0;
};

} // namespace arch::x86_64
