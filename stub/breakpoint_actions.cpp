#include "stub/breakpoint_actions.hpp"

#include "stub/log.hpp"

namespace stub {

void BreakpointActionTable::set(std::uint64_t addr, rsp::BreakpointActions actions) {
  if (actions.conditions.empty() && actions.commands.empty()) {
    table_.erase(addr);
    return;
  }
  table_[addr] = std::move(actions);
}

HitVerdict BreakpointActionTable::on_hit(std::uint64_t addr, rsp::agent::Machine &machine) const {
  auto it = table_.find(addr);
  if (it == table_.end())
    return HitVerdict::Report;
  const rsp::BreakpointActions &actions = it->second;
  bool holds = actions.conditions.empty();
  for (const auto &condition : actions.conditions) {
    auto value = rsp::agent::evaluate(condition, machine);
    if (!value) {
      STUB_LOG(Event, "breakpoint {:#x}: condition not evaluated ({}): reported", addr,
               rsp::agent::describe(value.error()));
      return HitVerdict::Report;
    }
    if (*value != 0) {
      holds = true;
      break;
    }
  }
  if (!holds)
    return HitVerdict::RunOn;
  if (actions.commands.empty())
    return HitVerdict::Report;
  for (const auto &command : actions.commands) {
    if (auto done = rsp::agent::evaluate(command, machine); !done) {
      STUB_LOG(Event, "breakpoint {:#x}: command failed ({}): reported", addr,
               rsp::agent::describe(done.error()));
      return HitVerdict::Report;
    }
  }
  return HitVerdict::RunOn;
}

} // namespace stub
