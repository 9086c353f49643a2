#pragma once
// Software breakpoints: the instruction bytes we replaced, so reads never show our
// breakpoint and writes over one keep it in place. A site normally holds the breakpoint
// instruction (int3); a breakpoint with a condition the program can evaluate itself holds a
// jump to its pad instead (stub/jump_pads.hpp), covering one whole instruction.
#include "stub/memory.hpp"

#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace stub {

class SoftwareBreakpoints {
public:
  // The longest patch a site may hold (an x86-64 instruction's length).
  static constexpr std::size_t max_patch = 15;

  SoftwareBreakpoints(ProcessMemory &memory, std::span<const std::uint8_t> instruction)
      : memory_(memory), instruction_(instruction.begin(), instruction.end()) {}

  Result<void> insert(std::uint64_t addr);
  // The same, with the program's bytes there already known (one read less).
  Result<void> insert(std::uint64_t addr, std::span<const std::uint8_t> known_original);
  Result<void> remove(std::uint64_t addr);
  bool inserted_at(std::uint64_t addr) const { return sites_.count(addr) != 0; }
  // Whether the site at `addr` holds the plain breakpoint instruction (it traps there).
  bool traps_at(std::uint64_t addr) const;
  // Replace what the site at `addr` holds (empty: the breakpoint instruction again). The
  // patch may be longer than the breakpoint instruction; no other site may lie under it.
  Result<void> repatch(std::uint64_t addr, std::span<const std::uint8_t> patch);
  // The program's own bytes at [addr, addr + out.size()), our patches hidden.
  Result<void> read_original(std::uint64_t addr, std::span<std::uint8_t> out) {
    auto n = read(addr, out);
    if (!n)
      return rsp::fail(n.error());
    return *n == out.size() ? Result<void>{} : rsp::fail(std::errc::io_error);
  }
  // Put every original byte back (detach).
  void remove_all();
  // The address space is gone (exec): nothing to restore.
  void forget_all() {
    sites_.clear();
    ever_.clear();
    lifted_ = false;
  }
  // A fork child's copy of memory gets the original bytes back before it runs free: at
  // every address that ever held one of our breakpoints and holds its patch in the
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
  struct Site {
    std::vector<std::uint8_t> original; // as long as the patch
    std::vector<std::uint8_t> patch;    // what memory holds while inserted
  };
  using Sites = std::map<std::uint64_t, Site>;
  // The first site that may cover bytes at or after `addr`.
  Sites::iterator first_covering(std::uint64_t addr) {
    return sites_.lower_bound(addr >= max_patch ? addr - max_patch + 1 : 0);
  }

  ProcessMemory &memory_;
  std::vector<std::uint8_t> instruction_;
  Sites sites_;
  Sites ever_; // every site since exec, with the last patch it held
  bool lifted_ = false;
};

} // namespace stub
