// Emulated write watchpoints without a trap per instruction: from the thread's PC, the code
// it can reach by direct jumps is decoded, and a breakpoint of ours goes on every
// instruction that may store (or goes where we cannot follow: calls, returns, indirect
// jumps, system calls, what we cannot decode, and any jump back into code already looked
// at: a loop without a store must still yield). Up to there nothing can change memory, so
// the thread runs free; at one of those breakpoints a plain mov is done by the stub, any
// other store is single-stepped as before, and the watched bytes compared. Kept in range_runs_
// (begin == end == 0), so the machinery that knows our range breakpoints (interrupts, fork
// children, gdb's own breakpoints) knows these. Only while every other thread is stopped: then
// nobody else can meet them. The stop points found from a PC, and the code decoded there, are
// remembered until gdb writes memory or the program execs (code that rewrites itself while watched
// is not followed).
#include "arch/x86_64_insn.hpp"
#include "arch/x86_64_plain_store.hpp"
#include "stub/log.hpp"
#include "stub/process.hpp"

#include <algorithm>
#include <array>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <deque>
#include <set>
#include <sys/user.h>

namespace stub {
namespace {

constexpr std::size_t max_decoded = 512;       // instructions looked at per run
constexpr std::uint64_t max_reach = 64 * 1024; // from the PC, either way
constexpr std::size_t max_cached = 4096;       // PCs whose stop points are remembered

} // namespace

const Process::DecodedCode *Process::code_at(std::uint64_t addr) {
  if (auto known = decoded_code_.find(addr); known != decoded_code_.end())
    return known->second.size ? &known->second : nullptr;
  if (decoded_code_.size() >= max_cached * 4)
    decoded_code_.clear();
  DecodedCode code;
  if (auto n = breakpoints_.read(addr, code.bytes); n && *n > 0) {
    code.size = *n;
    code.instruction = arch::x86_64::decode(std::span(code.bytes).first(*n));
  }
  auto &kept = decoded_code_[addr] = code;
  return kept.size ? &kept : nullptr;
}

void Process::forget_decoded_code() {
  watch_stops_.clear();
  decoded_code_.clear();
}

// The stop points reachable from `pc` (our own int3s hidden); empty: the instruction at
// the PC is one itself, step it.
std::vector<std::uint64_t> Process::watch_stop_points(std::uint64_t pc) {
  if (auto known = watch_stops_.find(pc); known != watch_stops_.end())
    return known->second;
  if (watch_stops_.size() >= max_cached)
    watch_stops_.clear();
  auto stops = find_watch_stop_points(pc);
  watch_stops_[pc] = stops;
  return stops;
}

std::vector<std::uint64_t> Process::find_watch_stop_points(std::uint64_t pc) {
  std::vector<std::uint64_t> stops;
  std::set<std::uint64_t> seen;
  std::deque<std::uint64_t> todo{pc};
  std::size_t decoded = 0;
  auto far = [pc](std::uint64_t at) { return at - pc + max_reach > 2 * max_reach; };
  while (!todo.empty()) {
    std::uint64_t at = todo.front();
    todo.pop_front();
    if (!seen.insert(at).second)
      continue;
    const DecodedCode *code = code_at(at);
    auto insn = code ? code->instruction : std::nullopt;
    bool stop = !insn || insn->may_write_memory || ++decoded > max_decoded || far(at);
    if (!stop) {
      using arch::x86_64::Flow;
      std::uint64_t next = at + insn->length;
      std::uint64_t target = next + static_cast<std::uint64_t>(insn->displacement);
      std::vector<std::uint64_t> successors;
      switch (insn->flow) {
      case Flow::Sequential:
        successors = {next};
        break;
      case Flow::Jump:
        successors = {target};
        break;
      case Flow::ConditionalJump:
        successors = {target, next};
        break;
      default: // calls, returns, indirect jumps, system calls, traps: stepped
        stop = true;
      }
      // Back to code already looked at: maybe a loop without a store (a spin on a flag
      // another thread sets). It must come back to us each time round, or it could spin
      // forever while the others wait for their turn.
      if (std::any_of(successors.begin(), successors.end(),
                      [&seen](std::uint64_t s) { return seen.count(s) != 0; }))
        stop = true;
      if (!stop)
        todo.insert(todo.end(), successors.begin(), successors.end());
    }
    if (stop) {
      if (at == pc)
        return {};
      stops.push_back(at);
    }
  }
  return stops;
}

namespace {

// user_regs_struct offsets of the registers in the hardware's numbering.
constexpr std::size_t register_offsets[16] = {
    offsetof(user_regs_struct, rax), offsetof(user_regs_struct, rcx),
    offsetof(user_regs_struct, rdx), offsetof(user_regs_struct, rbx),
    offsetof(user_regs_struct, rsp), offsetof(user_regs_struct, rbp),
    offsetof(user_regs_struct, rsi), offsetof(user_regs_struct, rdi),
    offsetof(user_regs_struct, r8),  offsetof(user_regs_struct, r9),
    offsetof(user_regs_struct, r10), offsetof(user_regs_struct, r11),
    offsetof(user_regs_struct, r12), offsetof(user_regs_struct, r13),
    offsetof(user_regs_struct, r14), offsetof(user_regs_struct, r15)};

std::uint64_t gpr_at(const std::uint8_t *gpr, std::size_t offset) {
  std::uint64_t value = 0;
  std::memcpy(&value, gpr + offset, sizeof value);
  return value;
}

// Where the memory operand of the instruction at `pc` points, from the registers.
std::uint64_t effective_address(const std::uint8_t *gpr, const arch::x86_64::Instruction &insn,
                                std::uint64_t pc) {
  const auto &m = *insn.memory;
  std::uint64_t ea = static_cast<std::uint64_t>(m.displacement);
  if (m.rip_relative)
    ea += pc + insn.length;
  if (m.base >= 0)
    ea += gpr_at(gpr, register_offsets[m.base]);
  if (m.index >= 0)
    ea += gpr_at(gpr, register_offsets[m.index]) * m.scale;
  if (m.segment == 0x64)
    ea += gpr_at(gpr, offsetof(user_regs_struct, fs_base));
  else if (m.segment == 0x65)
    ea += gpr_at(gpr, offsetof(user_regs_struct, gs_base));
  return ea;
}

} // namespace

// The instruction at the PC stores only through its memory operand, and where that points
// now (at most 64 bytes) no watched byte lies: it cannot hit, and needs no step. Returns its
// length then, else 0.
std::uint64_t Process::store_misses_watches(Thread &thread, std::uint64_t pc) {
  constexpr std::uint64_t widest_store = 64;
  const DecodedCode *code = code_at(pc);
  const auto *insn = code && code->instruction ? &*code->instruction : nullptr;
  if (!insn || !insn->memory || insn->implicit_store ||
      insn->flow != arch::x86_64::Flow::Sequential)
    return 0;
  auto regs = fetch_registers(thread, false);
  if (!regs)
    return 0;
  std::uint64_t ea = effective_address((*regs)->gpr, *insn, pc);
  if (ea + widest_store < ea) // wraps: not worth the thought
    return 0;
  return watches_.overlaps(ea, widest_store) ? 0 : insn->length;
}

bool Process::start_watch_run(Thread &thread) {
  if (breakpoints_.lifted())
    return false;
  // Alone or not at all: a thread already running (in a system call, or stepped by gdb)
  // could meet our breakpoints, and stepping it past one would let this one run past it.
  if (!threads_.all_stopped_but(thread.tid))
    return false;
  auto pc = read_pc(thread);
  if (!pc)
    return false;
  auto stops = watch_stop_points(*pc);
  if (stops.empty()) {
    // At a possible store: free from here on if this one misses the watched bytes and
    // nothing leads back to it before another stop point (its int3 would fire at once).
    auto length = store_misses_watches(thread, *pc);
    if (length == 0)
      return false;
    stops = watch_stop_points(*pc + length);
    if (stops.empty() || std::find(stops.begin(), stops.end(), *pc) != stops.end())
      return false;
  }
  RangeRun run{0, 0, {}};
  for (std::uint64_t at : stops) {
    if (breakpoints_.inserted_at(at) && !range_trap_owners_.count(at))
      continue; // gdb's own breakpoint stops the thread there anyway
    // The program's bytes there, already read for the decoding.
    const DecodedCode *code = code_at(at);
    auto original =
        code ? std::span(code->bytes).first(code->size) : std::span<const std::uint8_t>{};
    if (!range_trap_owners_.count(at) && !breakpoints_.insert(at, original))
      return false; // unwritable code: step it (traps planted so far go with end_range_run)
    range_trap_owners_[at].insert(thread.tid);
    run.traps.push_back(at);
  }
  range_runs_[thread.tid] = std::move(run);
  STUB_LOG(Event, "thread {}: runs watched from {:#x} to {} possible store(s)", thread.tid, *pc,
           stops.size());
  return true;
}

// The watched thread reached one of its stop points. A plain mov there is done by the stub
// (the thread past it, the watched bytes compared: a hit is reported as after a step), else
// the thread goes back on the instruction and steps it at its next turn.
bool Process::on_watch_run_trap(Thread &thread, const siginfo_t &info) {
  if (info.si_code != SI_KERNEL && info.si_code != TRAP_BRKPT)
    return false;
  auto run = range_runs_.find(thread.tid);
  if (run == range_runs_.end() || run->second.begin != 0 || run->second.end != 0)
    return false;
  auto pc = read_pc(thread);
  if (!pc || *pc == 0)
    return false;
  std::uint64_t at = *pc - static_cast<std::uint64_t>(arch_.decr_pc_after_break);
  const auto &traps = run->second.traps;
  if (std::find(traps.begin(), traps.end(), at) == traps.end())
    return false;
  end_range_run(thread.tid);
  if (store_for_program(thread, at))
    return watch_after_step(thread, true);
  (void)write_pc(thread, at);
  return watch_after_step(thread, true, false); // nothing was stored
}

// The instruction at `at` (where the thread stands) is a plain mov to memory: the stub
// stores the value itself, where the program could (its pages writable), and moves the PC
// past it. That saves the single step's trap; a mov changes no flags and no register. Only
// while every other thread is stopped, so nobody sees the store half done.
bool Process::store_for_program(Thread &thread, std::uint64_t at) {
  const DecodedCode *code = code_at(at);
  if (!code || !code->instruction)
    return false;
  auto store =
      arch::x86_64::plain_store(std::span(code->bytes).first(code->size), *code->instruction);
  if (!store || !threads_.all_stopped_but(thread.tid))
    return false;
  auto regs = fetch_registers(thread, false);
  if (!regs)
    return false;
  const std::uint8_t *gpr = (*regs)->gpr;
  std::uint64_t source =
      store->source_register >= 0 ? gpr_at(gpr, register_offsets[store->source_register]) : 0;
  std::uint64_t value = arch::x86_64::stored_value(*store, source);
  std::array<std::uint8_t, 8> bytes{};
  std::memcpy(bytes.data(), &value, sizeof value); // x86-64 is little-endian
  std::uint64_t ea = effective_address(gpr, store->instruction, at);
  if (!memory_.write_as_program(ea, std::span(bytes).first(store->size)))
    return false; // not writable (the real store faults), or across pages: step it
  return static_cast<bool>(write_pc(thread, at + store->instruction.length));
}

} // namespace stub
