#pragma once
// The jump pads of one process (arch/x86_64_jump_pad.hpp): where they are in the program's
// memory, which breakpoint each serves, and which one a breakpoint's jump points at now.
//
// Pads are never freed or rewritten while the address space lives: a thread may still be
// inside one that its breakpoint no longer uses. Identical pads (a breakpoint gdb removes
// and inserts again with the same conditions) are reused.
#include "stub/memory.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace stub {

struct PadInfo {
  std::uint64_t site = 0;                // the breakpoint's address
  std::uint64_t start = 0;               // the pad's first instruction (the site's jump lands here)
  std::uint64_t trap = 0;                // its int3: a condition held
  std::uint64_t copy = 0;                // its copy of the site's instruction
  std::uint64_t conditions = 0, end = 0; // the compiled conditions: rbx holds the block there
  std::size_t instruction_size = 0;      // of the site's instruction
};

class JumpPads {
public:
  // Maps `length` bytes of executable memory in the program near `hint`; nullopt if it can't.
  using MapMemory = std::function<std::optional<std::uint64_t>(std::uint64_t hint, std::size_t)>;

  // The pad for `site` with these conditions: an existing identical one, or a new one built
  // and written to the program. nullopt if the instruction or conditions don't allow one.
  std::optional<PadInfo> pad_for(std::uint64_t site, std::span<const std::uint8_t> instruction,
                                 const std::vector<std::vector<std::uint8_t>> &bytecode,
                                 ProcessMemory &memory, const MapMemory &map);

  // The site's jump points at `pad` now / no longer points at any pad.
  void activate(const PadInfo &pad) { active_[pad.site] = pad.start; }
  void deactivate(std::uint64_t site) { active_.erase(site); }
  bool active_at(std::uint64_t site) const { return active_.count(site) != 0; }
  // Whether `pad` is the one its site's jump points at.
  bool is_active(const PadInfo &pad) const {
    auto it = active_.find(pad.site);
    return it != active_.end() && it->second == pad.start;
  }
  const std::map<std::uint64_t, std::uint64_t> &active() const { return active_; }

  // The pad holding `pc`, if any.
  const PadInfo *containing(std::uint64_t pc) const;
  bool any() const { return !pads_.empty(); }
  // The address space is gone (exec).
  void forget_all() {
    pads_.clear();
    reuse_.clear();
    active_.clear();
    areas_.clear();
  }

private:
  struct Area {
    std::uint64_t base = 0, size = 0, used = 0;
  };
  std::optional<std::uint64_t> allocate(std::size_t size, std::uint64_t near, const MapMemory &map);

  std::map<std::uint64_t, PadInfo> pads_;         // by start
  std::map<std::string, std::uint64_t> reuse_;    // site+instruction+bytecode -> start
  std::map<std::uint64_t, std::uint64_t> active_; // site -> start of its pad
  std::vector<Area> areas_;
};

} // namespace stub
