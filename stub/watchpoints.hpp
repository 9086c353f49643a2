#pragma once
// Write watchpoints emulated in the stub, for machines whose debug registers do not fire
// (many VMs): the watched bytes are compared after every instruction a watched thread
// executes, and a change is reported as the `watch:ADDR` stop hardware would give.
#include "stub/breakpoints.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace stub {

class EmulatedWatchpoints {
public:
  // Memory is read through the breakpoints, so that our int3 bytes never look like writes.
  explicit EmulatedWatchpoints(SoftwareBreakpoints &memory) : memory_(memory) {}

  // gdb may insert the same range twice (two watchpoints on one variable): counted.
  Result<void> insert(std::uint64_t addr, std::uint64_t length);
  void remove(std::uint64_t addr, std::uint64_t length);
  bool any() const { return !watches_.empty(); }
  // Whether [addr, addr + length) touches a watched byte.
  bool overlaps(std::uint64_t addr, std::uint64_t length) const {
    for (const auto &w : watches_)
      if (addr < w.addr + w.length && w.addr < addr + length)
        return true;
    return false;
  }
  void clear() { watches_.clear(); }

  // Take what memory holds now as the values to compare against (gdb resumes: whatever
  // it or anyone wrote while we were stopped is not a hit).
  void refresh();
  // The first watched range whose bytes changed since the last look, its new bytes taken
  // as the reference; nullopt if none did.
  std::optional<std::uint64_t> take_change();

private:
  struct Watch {
    std::uint64_t addr;
    std::uint64_t length;
    int count;
    std::vector<std::uint8_t> bytes; // what the range held at the last look
    bool readable;                   // whether it could be read then
  };
  bool read(Watch &watch, std::vector<std::uint8_t> &out);

  SoftwareBreakpoints &memory_;
  std::vector<Watch> watches_;
};

} // namespace stub
