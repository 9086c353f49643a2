// Breakpoints whose conditions the program evaluates itself (stub/jump_pads.hpp): choosing
// a pad or an int3 for each breakpoint, mapping pad memory, and keeping gdb's view as if
// every breakpoint were an int3 — a pad's trap, a fault in its conditions and a step onto
// its jump all become the breakpoint's own stop, and no thread is ever shown inside a pad.
#include "arch/x86_64_insn.hpp"
#include "arch/x86_64_jump_pad.hpp"
#include "stub/log.hpp"
#include "stub/process.hpp"
#include "stub/remote_syscall.hpp"
#include "stub/wait_status.hpp"

#include <array>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/user.h>

namespace stub {
namespace {

constexpr std::uint64_t page_size = 4096;
constexpr std::uint64_t map_fixed_noreplace = 0x100000; // MAP_FIXED_NOREPLACE (Linux 4.17)
// A thread single-stepped out of a pad takes at most this many steps (the pad has no loops).
constexpr int max_walk_steps = 4096;

} // namespace

void Process::set_breakpoint_actions(std::uint64_t addr, rsp::BreakpointActions actions) {
  actions_.set(addr, std::move(actions));
  choose_breakpoint_form(addr);
}

Result<void> Process::insert_software_breakpoint(std::uint64_t addr) {
  claim_range_trap(addr); // one of our range breakpoints there becomes gdb's
  return breakpoints_.insert(addr);
}

Result<void> Process::remove_software_breakpoint(std::uint64_t addr) {
  actions_.erase(addr);
  pads_.deactivate(addr);
  return breakpoints_.remove(addr);
}

// A pad needs: conditions only (a dprintf's output is the stub's to print), all compilable;
// one relocatable instruction of at least a jump's length at the site; and every thread
// stopped, so none is inside the bytes we rewrite.
void Process::choose_breakpoint_form(std::uint64_t addr) {
  if (!breakpoints_.inserted_at(addr))
    return;
  const rsp::BreakpointActions *actions = actions_.find(addr);
  bool wanted = jump_pads_enabled_ && !watching() && actions && actions->commands.empty() &&
                !actions->conditions.empty() && !breakpoints_.lifted() &&
                threads_.count_moving() == 0 && !failed_pad_sites_.count(addr);
  if (wanted) {
    std::array<std::uint8_t, SoftwareBreakpoints::max_patch> code{};
    auto n = breakpoints_.read(addr, code);
    auto insn = n ? arch::x86_64::decode(std::span(code).first(*n)) : std::nullopt;
    if (insn && insn->length >= arch::x86_64::jump_size &&
        insn->flow == arch::x86_64::Flow::Sequential) {
      auto pad = pads_.pad_for(
          addr, std::span(code).first(insn->length), actions->conditions, memory_,
          [this](std::uint64_t hint, std::size_t length) { return map_pad_memory(hint, length); });
      auto jump = pad ? arch::x86_64::jump(addr, pad->start) : std::nullopt;
      if (jump && breakpoints_.repatch(addr, *jump)) {
        pads_.activate(*pad);
        return;
      }
    }
    failed_pad_sites_.insert(addr); // not again for this address: the int3 works
  }
  if (pads_.active_at(addr)) {
    (void)breakpoints_.repatch(addr, {});
    pads_.deactivate(addr);
  }
}

void Process::refresh_breakpoint_forms() {
  for (std::uint64_t addr : actions_.addresses())
    choose_breakpoint_form(addr);
}

// gdb writing over a site that jumps to a pad: the pad's copy of the instruction would be
// stale; the site goes back to an int3 first.
void Process::demote_pads_under(std::uint64_t addr, std::size_t length) {
  if (!pads_.any())
    return;
  std::vector<std::uint64_t> sites;
  for (const auto &[site, start] : pads_.active())
    if (site < addr + length && addr < site + SoftwareBreakpoints::max_patch)
      sites.push_back(site);
  for (auto site : sites) {
    (void)breakpoints_.repatch(site, {});
    pads_.deactivate(site);
  }
}

// mmap in the program, through a stopped thread. MAP_FIXED_NOREPLACE at hints around the
// code, so the pad is within a rel32 jump of it; an old kernel that ignores the flag may
// place it anywhere, and the caller checks the reach.
std::optional<std::uint64_t> Process::map_pad_memory(std::uint64_t hint, std::size_t length) {
  Thread *runner = nullptr;
  for (auto &[tid, t] : threads_) {
    if (t.state != ThreadState::Stopped || t.in_exit_stop)
      continue;
    if (t.in_signal_stop) {
      runner = &t;
      break;
    }
    if (!catch_.enabled && !runner) // never one that may be in a syscall-stop
      runner = &t;
  }
  if (!runner || !flush_registers(*runner))
    return std::nullopt;
  pid_t tid = runner->tid;
  std::uint64_t page = hint & ~(page_size - 1);
  for (std::uint64_t mib : {16, 64, 256, 1024}) {
    for (std::uint64_t at : {page - (mib << 20), page + (mib << 20)}) {
      auto outcome =
          run_remote_syscall(tracer_, memory_, tid, SYS_mmap,
                             {at, length, PROT_READ | PROT_EXEC,
                              MAP_PRIVATE | MAP_ANONYMOUS | map_fixed_noreplace, ~0ull, 0});
      Thread *t = threads_.find(tid);
      if (t) {
        t->regs.invalidate();
        for (int signal : outcome.held_signals)
          t->hold_signal(signal);
      }
      if (outcome.other_status) {
        deliver(tid, *outcome.other_status);
        return std::nullopt;
      }
      if (!outcome.result)
        return std::nullopt;
      auto result = *outcome.result;
      if (result > ~std::uint64_t{4095})
        continue; // -EEXIST: taken, try the next hint
      STUB_LOG(Event, "process {}: {} bytes for jump pads at {:#x}", pid_, length, result);
      return result;
    }
  }
  return std::nullopt;
}

// A SIGTRAP or fault that belongs to a pad: handled as the breakpoint's own stop.
bool Process::on_pad_stop(Thread &thread, int signal, const siginfo_t *info) {
  if (!pads_.any())
    return false;
  auto pc = read_pc(thread);
  if (!pc)
    return false;
  if (signal == SIGTRAP && info && (info->si_code == SI_KERNEL || info->si_code == TRAP_BRKPT)) {
    const PadInfo *pad = pads_.containing(*pc - 1);
    if (!pad || pad->trap != *pc - 1)
      return false;
    (void)write_pc(thread, pad->site); // the registers are the site's already
    report_pad_hit(thread, *pad);
    return true;
  }
  const PadInfo *pad = pads_.containing(*pc);
  if (!pad)
    return false;
  if (signal == SIGTRAP && info && info->si_code == TRAP_TRACE && *pc == pad->start) {
    // A step executed the site's jump: as if it reached the int3 there.
    (void)write_pc(thread, pad->site);
    if (thread.last_resume == rsp::ResumeKind::Step) { // gdb's stepi stops on the site
      record_report(thread, PendingStop{SIGTRAP, rsp::StopReason::None});
      return true;
    }
    if (!pads_.is_active(*pad)) {
      carry_on(thread);
      return true;
    }
    if (!settle_hit_in_stub(thread))
      record_report(thread, PendingStop{SIGTRAP, rsp::StopReason::SwBreak});
    return true;
  }
  bool fault = signal == SIGSEGV || signal == SIGBUS || signal == SIGFPE || signal == SIGILL;
  if (fault && *pc >= pad->conditions) {
    // A condition read memory it may not, or divided by zero: the hit is reported, with the
    // registers the pad saved (rbx holds the block).
    auto rbx = read_register_value(thread, 1);
    std::array<std::uint8_t, arch::x86_64::pad_block_size> block{};
    auto regs = fetch_registers(thread, false);
    auto n = rbx ? memory_.read(*rbx, block) : Result<std::size_t>(rsp::fail(std::errc::io_error));
    if (!regs || !n || *n != block.size())
      return false;
    arch::x86_64::registers_from_block(block, (*regs)->gpr);
    thread.regs.mark_dirty(arch::RegBlock::Gpr);
    STUB_LOG(Event, "thread {}: condition at {:#x} faulted (signal {}): reported", thread.tid,
             pad->site, signal);
    report_pad_hit(thread, *pad);
    return true;
  }
  if (fault && *pc == pad->copy)
    (void)write_pc(thread, pad->site); // the instruction's own fault, shown where it is
  return false;
}

void Process::report_pad_hit(Thread &thread, const PadInfo &pad) {
  if (pads_.is_active(pad) && breakpoints_.inserted_at(pad.site))
    record_report(thread, PendingStop{SIGTRAP, rsp::StopReason::SwBreak});
  else
    carry_on(thread); // gdb removed or changed the breakpoint since: the site runs as is
}

// The pad saves eflags with pushfq: stepped, it pushes the trap flag the step set, and its
// popfq would set it for good (a SIGTRAP once we let go). The pushed copy is cleared.
bool Process::stepping_pushf(Thread &thread) {
  auto pc = read_pc(thread);
  std::array<std::uint8_t, 1> insn{};
  auto n = pc ? memory_.read(*pc, insn) : Result<std::size_t>(rsp::fail(std::errc::io_error));
  return n && *n == 1 && insn[0] == 0x9c; // pushfq
}

void Process::clear_pushed_trap_flag(Thread &thread) {
  constexpr std::uint64_t trap_flag = 0x100;
  auto sp = read_register_value(thread, 7); // rsp
  std::array<std::uint8_t, 8> bytes{};
  auto n = sp ? memory_.read(*sp, bytes) : Result<std::size_t>(rsp::fail(std::errc::io_error));
  if (!n || *n != bytes.size())
    return;
  std::uint64_t flags = 0;
  std::memcpy(&flags, bytes.data(), sizeof flags);
  if (!(flags & trap_flag))
    return;
  STUB_LOG(Event, "thread {}: trap flag pushed by a stepped pushfq cleared", thread.tid);
  flags &= ~trap_flag;
  std::memcpy(bytes.data(), &flags, sizeof flags);
  (void)memory_.write(*sp, bytes);
}

// Stepping the pad's popfq leaves the trap flag to the program (the kernel takes it for the
// program's own): cleared, or the first instruction after we let go raises SIGTRAP.
void Process::clear_trap_flag(Thread &thread) {
  constexpr std::uint64_t trap_flag = 0x100;
  auto regs = fetch_registers(thread, false);
  if (!regs)
    return;
  auto &gpr = (*regs)->gpr;
  std::uint64_t flags = 0;
  std::memcpy(&flags, gpr + offsetof(user_regs_struct, eflags), sizeof flags);
  if (!(flags & trap_flag))
    return;
  flags &= ~trap_flag;
  std::memcpy(gpr + offsetof(user_regs_struct, eflags), &flags, sizeof flags);
  thread.regs.mark_dirty(arch::RegBlock::Gpr);
  STUB_LOG(Event, "thread {}: trap flag left by the walk out of a pad cleared", thread.tid);
}

// A thread interrupted inside a pad is stepped out of it before anyone sees it: past the
// copied instruction, or back to the site when it reached the trap (the hit, not counted
// yet, comes again when it runs). A trap already taken (SIGTRAP queued behind the
// interrupt) is the hit, reported once.
bool Process::leave_pad(Thread &thread) {
  if (!pads_.any())
    return false;
  auto pc = read_pc(thread);
  if (!pc)
    return false;
  if (const PadInfo *pad = pads_.containing(*pc - 1); pad && pad->trap == *pc - 1) {
    auto queued = tracer_.signal_queued(thread.tid, SIGTRAP, SI_KERNEL);
    (void)write_pc(thread, pad->site);
    if (queued && *queued) {
      thread.discard_queued_sigtrap = true;
      report_pad_hit(thread, *pad);
      return true;
    }
    return false;
  }
  const PadInfo *pad = pads_.containing(*pc);
  if (!pad)
    return false;
  std::uint64_t site = pad->site, trap = pad->trap;
  STUB_LOG(Event, "thread {}: walking out of the pad at {:#x} from {:#x}", thread.tid, pad->start,
           *pc);
  pid_t tid = thread.tid;
  for (int steps = 0; steps < max_walk_steps; ++steps) {
    Thread *t = threads_.find(tid);
    if (!t)
      return false;
    bool at_pushf = stepping_pushf(*t);
    if (!flush_registers(*t) || !tracer_.step(tid, 0))
      return false;
    t->regs.invalidate();
    auto w = tracer_.wait_thread(tid);
    if (!w || !*w)
      return false;
    if (at_pushf)
      clear_pushed_trap_flag(*t);
    auto event = decode_wait_status((*w)->status);
    auto *signal_stop = std::get_if<SignalStop>(&event);
    if (!signal_stop && !std::holds_alternative<EventStop>(event)) {
      deliver(tid, (*w)->status); // it died on the way
      return true;
    }
    if (signal_stop && signal_stop->signal != SIGTRAP)
      t->hold_signal(signal_stop->signal);
    auto now = read_pc(*t);
    if (!now)
      return false;
    if (*now == trap) {
      (void)write_pc(*t, site);
      clear_trap_flag(*t);
      return false;
    }
    if (!pads_.containing(*now)) {
      clear_trap_flag(*t);
      return false;
    }
  }
  STUB_LOG(Event, "thread {}: still inside a jump pad after {} steps", tid, max_walk_steps);
  return false;
}

} // namespace stub
