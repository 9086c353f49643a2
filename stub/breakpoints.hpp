#pragma once
// Software breakpoints: the instruction bytes we replaced, so reads never show our
// breakpoint and writes over one keep it in place.
#include "stub/memory.hpp"

#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace stub {

class SoftwareBreakpoints {
public:
  SoftwareBreakpoints(ProcessMemory &memory, std::span<const std::uint8_t> instruction)
      : memory_(memory), instruction_(instruction.begin(), instruction.end()) {}

  Result<void> insert(std::uint64_t addr);
  Result<void> remove(std::uint64_t addr);
  bool inserted_at(std::uint64_t addr) const { return sites_.count(addr) != 0; }
  // Put every original byte back (detach).
  void remove_all();
  // The address space is gone (exec): nothing to restore.
  void forget_all() {
    sites_.clear();
    ever_.clear();
    lifted_ = false;
  }
  // A fork child's copy of memory gets the original bytes back before it runs free: at
  // every address that ever held one of our breakpoints and holds its instruction in the
  // child (gdb may have removed it from the parent since the fork).
  void restore_originals_in(ProcessMemory &child) const;
  // A fork child followed by gdb: its memory is a copy of the parent's, breakpoints and all.
  void inherit(const SoftwareBreakpoints &parent) {
    if (!parent.lifted_) // else the child's copy holds the original instructions
      sites_ = parent.sites_;
    ever_ = parent.ever_;
  }
  // While a vfork child borrows the address space: originals back in memory, the sites
  // kept (and still changeable) until restore().
  void lift();
  void restore();
  bool lifted() const { return lifted_; }
  // One breakpoint out of memory while a thread steps past it, and back (the site stays).
  Result<void> lift_one(std::uint64_t addr);
  Result<void> restore_one(std::uint64_t addr);

  // Memory access that hides our breakpoints.
  Result<std::size_t> read(std::uint64_t addr, std::span<std::uint8_t> out);
  Result<void> write(std::uint64_t addr, std::span<const std::uint8_t> in);

private:
  ProcessMemory &memory_;
  std::vector<std::uint8_t> instruction_;
  std::map<std::uint64_t, std::vector<std::uint8_t>> sites_; // address -> original bytes
  std::map<std::uint64_t, std::vector<std::uint8_t>> ever_;  // every site since exec
  bool lifted_ = false;
};

} // namespace stub
