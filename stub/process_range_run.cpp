// vCont;r without single steps: the range's instructions are decoded, a breakpoint of our
// own goes on every instruction that may leave the range (a branch out of it, a call, a
// return, an indirect jump) and just past its end, and the thread runs free. A loop on one
// line then costs no trap per instruction. The thread stops at one of our breakpoints: at
// the end, the range is done; on a leaving instruction, it is stepped past it (as past a
// false condition) and goes on if it is still inside. Other threads step past ours unseen.
// A range we cannot decode exactly, or one holding a system call, is single-stepped.
#include "arch/x86_64_insn.hpp"
#include "stub/log.hpp"
#include "stub/process.hpp"

#include <csignal>

namespace stub {
namespace {

// Ranges are one source line: anything longer is not worth decoding.
constexpr std::uint64_t max_range = 4096;

// The addresses where a thread may leave [begin, end): nullopt if the code is not exactly
// a sequence of instructions ending at `end`, or holds one we would rather step.
std::optional<std::vector<std::uint64_t>> exits_of(std::span<const std::uint8_t> code,
                                                   std::uint64_t begin, std::uint64_t end,
                                                   std::uint64_t pc) {
  using arch::x86_64::Flow;
  std::vector<std::uint64_t> exits;
  bool pc_at_start = false;
  std::uint64_t at = begin;
  while (at < end) {
    auto insn = arch::x86_64::decode(code.subspan(at - begin));
    if (!insn)
      return std::nullopt;
    pc_at_start = pc_at_start || at == pc;
    std::uint64_t next = at + insn->length;
    switch (insn->flow) {
    case Flow::Sequential:
      break;
    case Flow::Jump:
    case Flow::ConditionalJump: {
      std::uint64_t target = next + static_cast<std::uint64_t>(insn->displacement);
      if (target < begin || target >= end)
        exits.push_back(at);
      break;
    }
    case Flow::Call:
    case Flow::Return:
    case Flow::IndirectJump:
    case Flow::IndirectCall:
      exits.push_back(at);
      break;
    case Flow::SystemCall: // may block, or never come back (exec): stepped as before
    case Flow::Trap:
      return std::nullopt;
    }
    at = next;
  }
  if (at != end || !pc_at_start)
    return std::nullopt;
  exits.push_back(end);
  return exits;
}

} // namespace

bool Process::start_range_run(Thread &thread) {
  std::uint64_t begin = thread.range_begin, end = thread.range_end;
  if (end <= begin || end - begin > max_range || watches_.any() || breakpoints_.lifted())
    return false;
  auto pc = read_pc(thread);
  if (!pc || *pc < begin || *pc >= end)
    return false;
  auto &run = range_runs_[thread.tid];
  if (run.begin == begin && run.end == end)
    return true; // the traps are still in place
  end_range_run(thread.tid);
  std::vector<std::uint8_t> code(end - begin);
  if (auto n = breakpoints_.read(begin, code); !n || *n != code.size())
    return false;
  auto exits = exits_of(code, begin, end, *pc);
  if (!exits)
    return false;
  RangeRun fresh{begin, end, {}};
  for (std::uint64_t at : *exits) {
    if (breakpoints_.inserted_at(at) && !range_trap_owners_.count(at))
      continue; // gdb's own breakpoint stops the thread there anyway
    if (!range_trap_owners_.count(at) && !breakpoints_.insert(at))
      continue;
    range_trap_owners_[at].insert(thread.tid);
    fresh.traps.push_back(at);
  }
  range_runs_[thread.tid] = std::move(fresh);
  STUB_LOG(Event, "thread {}: range [{:#x}, {:#x}) runs free, {} breakpoint(s) of ours", thread.tid,
           begin, end, range_runs_[thread.tid].traps.size());
  return true;
}

void Process::end_range_run(pid_t tid) {
  auto it = range_runs_.find(tid);
  if (it == range_runs_.end())
    return;
  for (std::uint64_t at : it->second.traps) {
    auto owners = range_trap_owners_.find(at);
    if (owners == range_trap_owners_.end())
      continue; // gdb inserted a breakpoint there since: it is gdb's now
    owners->second.erase(tid);
    if (owners->second.empty()) {
      range_trap_owners_.erase(owners);
      (void)breakpoints_.remove(at);
    }
  }
  range_runs_.erase(it);
}

void Process::claim_range_trap(std::uint64_t addr) { range_trap_owners_.erase(addr); }

void Process::forget_range_runs() {
  range_runs_.clear();
  range_trap_owners_.clear();
}

// A thread trapped on one of our range breakpoints.
bool Process::on_range_trap(Thread &thread, const siginfo_t &info) {
  if (range_trap_owners_.empty() || (info.si_code != SI_KERNEL && info.si_code != TRAP_BRKPT))
    return false;
  auto pc = read_pc(thread);
  if (!pc || *pc == 0)
    return false;
  std::uint64_t at = *pc - static_cast<std::uint64_t>(arch_.decr_pc_after_break);
  auto owners = range_trap_owners_.find(at);
  if (owners == range_trap_owners_.end())
    return false;
  (void)write_pc(thread, at);
  bool mine =
      owners->second.count(thread.tid) != 0 && thread.last_resume == rsp::ResumeKind::RangeStep;
  if (mine && !in_range(thread)) { // just past the end: the range is done
    record_report(thread, PendingStop{SIGTRAP, rsp::StopReason::None});
    return true;
  }
  // Ours on a leaving instruction, or any thread on another's breakpoint: one step past.
  if (step_past_breakpoint(thread, at))
    return true;
  record_report(thread, PendingStop{SIGTRAP, rsp::StopReason::None});
  return true;
}

} // namespace stub
