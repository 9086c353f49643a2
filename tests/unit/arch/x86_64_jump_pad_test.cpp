// Jump pads run for real, in this process: a tiny function whose first instruction is a
// RIP-relative load gets a jump to a pad with a compiled condition on its argument. A false
// condition runs the relocated load and returns; a true one traps at the pad's int3 with
// every register as it was at the site; a faulting condition leaves the saved registers
// where rbx says. SIGTRAP and SIGSEGV handlers play the stub's part.
#include "arch/x86_64_agent_compiler.hpp"
#include "arch/x86_64_jump_pad.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <csignal>
#include <cstring>
#include <sys/mman.h>
#include <ucontext.h>

namespace {

using namespace arch::x86_64;

constexpr std::size_t region_size = 64 * 1024;
constexpr std::size_t value_offset = 0x800, pad_offset = 0x1000;
constexpr std::uint64_t loaded = 0x1122334455667788;

struct Seen {
  std::uint64_t rip = 0, rdi = 0, rbx = 0, block_rip = 0, block_rdi = 0;
  int signal = 0;
};
Seen seen;
std::uint64_t resume_at = 0;

void on_signal(int signal, siginfo_t *, void *context) {
  auto *uc = static_cast<ucontext_t *>(context);
  auto &g = uc->uc_mcontext.gregs;
  seen.signal = signal;
  seen.rip = static_cast<std::uint64_t>(g[REG_RIP]);
  seen.rdi = static_cast<std::uint64_t>(g[REG_RDI]);
  seen.rbx = static_cast<std::uint64_t>(g[REG_RBX]);
  if (signal == SIGSEGV) {
    // What the stub does: the registers of the site, from the block.
    std::array<std::uint8_t, pad_block_size> block{};
    std::memcpy(block.data(), reinterpret_cast<const void *>(seen.rbx), block.size());
    std::array<std::uint64_t, 27> user{}; // user_regs_struct image
    registers_from_block(block, std::span(reinterpret_cast<std::uint8_t *>(user.data()), 216));
    seen.block_rip = user[16];
    seen.block_rdi = user[14];
    g[REG_R15] = static_cast<greg_t>(user[0]);
    g[REG_R14] = static_cast<greg_t>(user[1]);
    g[REG_R13] = static_cast<greg_t>(user[2]);
    g[REG_R12] = static_cast<greg_t>(user[3]);
    g[REG_RBP] = static_cast<greg_t>(user[4]);
    g[REG_RBX] = static_cast<greg_t>(user[5]);
    g[REG_R11] = static_cast<greg_t>(user[6]);
    g[REG_R10] = static_cast<greg_t>(user[7]);
    g[REG_R9] = static_cast<greg_t>(user[8]);
    g[REG_R8] = static_cast<greg_t>(user[9]);
    g[REG_RAX] = static_cast<greg_t>(user[10]);
    g[REG_RCX] = static_cast<greg_t>(user[11]);
    g[REG_RDX] = static_cast<greg_t>(user[12]);
    g[REG_RSI] = static_cast<greg_t>(user[13]);
    g[REG_RDI] = static_cast<greg_t>(user[14]);
    g[REG_RSP] = static_cast<greg_t>(user[19]);
    g[REG_EFL] = static_cast<greg_t>(user[18]);
  }
  g[REG_RIP] = static_cast<greg_t>(resume_at); // on at the copied instruction
}

struct Region {
  std::uint8_t *base;
  Region() {
    void *p = mmap(nullptr, region_size, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    base = static_cast<std::uint8_t *>(p);
  }
  ~Region() { munmap(base, region_size); }
  std::uint64_t at(std::size_t offset) const {
    return reinterpret_cast<std::uintptr_t>(base) + offset;
  }
};

struct Handlers {
  struct sigaction old_trap {
  }, old_segv{};
  Handlers() {
    struct sigaction sa {};
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTRAP, &sa, &old_trap);
    sigaction(SIGSEGV, &sa, &old_segv);
  }
  ~Handlers() {
    sigaction(SIGTRAP, &old_trap, nullptr);
    sigaction(SIGSEGV, &old_segv, nullptr);
  }
};

using Function = std::uint64_t (*)(std::uint64_t);

// f(arg): mov value(%rip),%rax; ret — with a pad for the load under `condition`.
JumpPad install(Region &region, const std::vector<std::uint8_t> &condition) {
  std::uint64_t value = loaded;
  std::memcpy(region.base + value_offset, &value, sizeof value);
  const std::uint8_t load[] = {0x48, 0x8b, 0x05, 0xf9, 0x07, 0x00, 0x00}; // rip+7+0x7f9 = 0x800
  std::memcpy(region.base, load, sizeof load);
  region.base[sizeof load] = 0xc3;
  auto compiled = compile_agent_condition(condition, pad_register_offsets());
  REQUIRE(compiled);
  std::vector<std::vector<std::uint8_t>> conditions{*compiled};
  auto pad = build_jump_pad(region.at(pad_offset), region.at(0), std::span(load), conditions);
  REQUIRE(pad);
  std::memcpy(region.base + pad_offset, pad->code.data(), pad->code.size());
  auto jmp = jump(region.at(0), region.at(pad_offset));
  REQUIRE(jmp);
  std::memcpy(region.base, jmp->data(), jmp->size());
  resume_at = region.at(pad_offset + pad->copy);
  return *pad;
}

// reg 5 (rdi); const8 7; equal; end
const std::vector<std::uint8_t> rdi_is_7{0x26, 0x00, 0x05, 0x22, 0x07, 0x13, 0x27};
// const8 8; ref64; end — reads address 8
const std::vector<std::uint8_t> reads_address_8{0x22, 0x08, 0x1a, 0x27};

} // namespace

TEST_CASE("jump pad: a false condition runs the relocated instruction and returns", "[pad]") {
  Region region;
  Handlers handlers;
  install(region, rdi_is_7);
  seen = {};
  auto f = reinterpret_cast<Function>(region.base);
  for (std::uint64_t arg = 0; arg < 100; ++arg)
    if (arg != 7)
      CHECK(f(arg) == loaded);
  CHECK(seen.signal == 0);
}

TEST_CASE("jump pad: a true condition traps at the pad's int3, registers as at the site", "[pad]") {
  Region region;
  Handlers handlers;
  auto pad = install(region, rdi_is_7);
  seen = {};
  auto f = reinterpret_cast<Function>(region.base);
  CHECK(f(7) == loaded); // the handler resumed it at the copy
  CHECK(seen.signal == SIGTRAP);
  CHECK(seen.rip == region.at(pad_offset + pad.trap + 1));
  CHECK(seen.rdi == 7);
}

TEST_CASE("jump pad: a faulting condition leaves the site's registers at rbx", "[pad]") {
  Region region;
  Handlers handlers;
  auto pad = install(region, reads_address_8);
  seen = {};
  auto f = reinterpret_cast<Function>(region.base);
  CHECK(f(42) == loaded);
  CHECK(seen.signal == SIGSEGV);
  CHECK(seen.rip >= region.at(pad_offset + pad.conditions));
  CHECK(seen.rip < region.at(pad_offset + pad.code.size()));
  CHECK(seen.block_rip == region.at(0));
  CHECK(seen.block_rdi == 42);
}

TEST_CASE("jump pad: out of reach, and instructions that cannot move, get no pad", "[pad]") {
  std::vector<std::vector<std::uint8_t>> conditions{{0x31 /*any code*/}};
  const std::uint8_t load[] = {0x48, 0x8b, 0x05, 0x00, 0x00, 0x00, 0x00};
  CHECK_FALSE(build_jump_pad(0x7f0000000000, 0x1000, std::span(load), conditions));
  const std::uint8_t call[] = {0xe8, 0x00, 0x00, 0x00, 0x00};
  CHECK_FALSE(build_jump_pad(0x2000, 0x1000, std::span(call), conditions));
  const std::uint8_t short_insn[] = {0x48, 0x89, 0xe5}; // mov %rsp,%rbp: 3 bytes
  CHECK_FALSE(build_jump_pad(0x2000, 0x1000, std::span(short_insn), conditions));
  CHECK_FALSE(jump(0x1000, 0x7f0000000000));
  auto j = jump(0x1000, 0x2000);
  REQUIRE(j);
  CHECK(*j == std::array<std::uint8_t, 5>{0xe9, 0xfb, 0x0f, 0x00, 0x00});
}
