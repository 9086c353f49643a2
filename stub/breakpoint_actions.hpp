#pragma once
// Target-side breakpoint conditions and commands (gdb's ConditionalBreakpoints and
// BreakpointCommands): per breakpoint address, the agent bytecode to run when a thread
// hits it, so that a false condition or a dprintf costs no round trip to gdb.
#include "rsp/agent_expr.hpp"
#include "rsp/target.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace stub {

enum class HitVerdict {
  Report, // gdb hears of the hit
  RunOn,  // the stub handled it: the thread goes on as if nothing happened
};

class BreakpointActionTable {
public:
  // Empty actions: every hit is reported (gdb went back to host evaluation).
  void set(std::uint64_t addr, rsp::BreakpointActions actions);
  void erase(std::uint64_t addr) { table_.erase(addr); }
  void clear() { table_.clear(); }
  bool any_at(std::uint64_t addr) const { return table_.count(addr) != 0; }
  std::vector<std::uint64_t> addresses() const {
    std::vector<std::uint64_t> out;
    for (const auto &entry : table_)
      out.push_back(entry.first);
    return out;
  }
  const rsp::BreakpointActions *find(std::uint64_t addr) const {
    auto it = table_.find(addr);
    return it == table_.end() ? nullptr : &it->second;
  }

  // A hit at `addr`: reported when one condition holds (or none is set), unless commands
  // ran — a dprintf never stops. Bytecode that cannot be evaluated reports the hit, so
  // gdb decides (it evaluates the condition again itself).
  HitVerdict on_hit(std::uint64_t addr, rsp::agent::Machine &machine) const;

private:
  std::map<std::uint64_t, rsp::BreakpointActions> table_;
};

} // namespace stub
