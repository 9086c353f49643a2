// Emulated write watchpoints and target-side breakpoint actions, over this test process's
// own memory (/proc/self/mem): what changes is found once, and our int3 bytes never count.
#include "stub/breakpoint_actions.hpp"
#include "stub/breakpoints.hpp"
#include "stub/memory.hpp"
#include "stub/watchpoints.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <unistd.h>

namespace {

using stub::EmulatedWatchpoints;

std::uint64_t address_of(const volatile void *p) { return reinterpret_cast<std::uintptr_t>(p); }

struct OwnMemory {
  stub::ProcessMemory memory;
  std::array<std::uint8_t, 1> int3{0xcc};
  stub::SoftwareBreakpoints breakpoints{memory, int3};
  OwnMemory() { REQUIRE(memory.open(getpid())); }
};

} // namespace

TEST_CASE("watchpoints: a write is found once, then the new value is the reference") {
  OwnMemory own;
  EmulatedWatchpoints watches(own.breakpoints);
  alignas(8) static volatile std::uint64_t watched = 5;
  REQUIRE(watches.insert(address_of(&watched), sizeof watched));
  CHECK(watches.any());
  CHECK_FALSE(watches.take_change());
  watched = 6;
  auto changed = watches.take_change();
  REQUIRE(changed);
  CHECK(*changed == address_of(&watched));
  CHECK_FALSE(watches.take_change());
}

TEST_CASE("watchpoints: the address is the first byte that changed") {
  OwnMemory own;
  EmulatedWatchpoints watches(own.breakpoints);
  static volatile std::uint8_t block[16] = {};
  REQUIRE(watches.insert(address_of(block), sizeof block));
  block[9] = 1;
  auto changed = watches.take_change();
  REQUIRE(changed);
  CHECK(*changed == address_of(&block[9]));
}

TEST_CASE("watchpoints: refresh forgets writes made while stopped") {
  OwnMemory own;
  EmulatedWatchpoints watches(own.breakpoints);
  static volatile int value = 1;
  REQUIRE(watches.insert(address_of(&value), sizeof value));
  value = 2; // as gdb's `set var` would
  watches.refresh();
  CHECK_FALSE(watches.take_change());
}

TEST_CASE("watchpoints: inserted twice needs two removals; bad ranges are refused") {
  OwnMemory own;
  EmulatedWatchpoints watches(own.breakpoints);
  static volatile int value = 1;
  REQUIRE(watches.insert(address_of(&value), sizeof value));
  REQUIRE(watches.insert(address_of(&value), sizeof value));
  watches.remove(address_of(&value), sizeof value);
  CHECK(watches.any());
  watches.remove(address_of(&value), sizeof value);
  CHECK_FALSE(watches.any());
  CHECK_FALSE(watches.insert(address_of(&value), 0));
}

TEST_CASE("watchpoints: unmapped memory is accepted and never a change") {
  OwnMemory own;
  EmulatedWatchpoints watches(own.breakpoints);
  REQUIRE(watches.insert(8, 4)); // `watch *ptr` while ptr is NULL, as hardware accepts it
  CHECK_FALSE(watches.take_change());
}

TEST_CASE("watchpoints: our breakpoint bytes inside a watched range are no write") {
  OwnMemory own;
  EmulatedWatchpoints watches(own.breakpoints);
  static std::uint8_t code[8] = {0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90};
  REQUIRE(watches.insert(address_of(code), sizeof code));
  REQUIRE(own.breakpoints.insert(address_of(&code[3])));
  CHECK(code[3] == 0xcc);
  CHECK_FALSE(watches.take_change());
  REQUIRE(own.breakpoints.remove(address_of(&code[3])));
}

namespace {

// Registers and memory for bytecode, without a process.
struct FakeMachine final : rsp::agent::Machine {
  std::uint64_t rdi = 0;
  std::string printed;
  std::optional<std::uint64_t> read_register(int regnum) override {
    return regnum == 5 ? std::optional(rdi) : std::nullopt;
  }
  bool read_memory(std::uint64_t, std::span<std::uint8_t>) override { return false; }
  void print(std::string_view text) override { printed += text; }
};

// reg 5 (rdi), const8 N, equal, end: "rdi == N".
std::vector<std::uint8_t> rdi_equals(std::uint8_t n) { return {0x26, 0, 5, 0x22, n, 0x13, 0x27}; }

} // namespace

TEST_CASE("breakpoint actions: a false condition runs on, a true one reports") {
  stub::BreakpointActionTable table;
  FakeMachine machine;
  table.set(0x1000, {{rdi_equals(7)}, {}});
  machine.rdi = 3;
  CHECK(table.on_hit(0x1000, machine) == stub::HitVerdict::RunOn);
  machine.rdi = 7;
  CHECK(table.on_hit(0x1000, machine) == stub::HitVerdict::Report);
  CHECK(table.on_hit(0x2000, machine) == stub::HitVerdict::Report); // no actions there
}

TEST_CASE("breakpoint actions: any condition that holds reports; bytecode that fails reports") {
  stub::BreakpointActionTable table;
  FakeMachine machine;
  machine.rdi = 9;
  table.set(0x1000, {{rdi_equals(1), rdi_equals(9)}, {}});
  CHECK(table.on_hit(0x1000, machine) == stub::HitVerdict::Report);
  table.set(0x1000, {{{0x26, 0, 99, 0x27}}, {}}); // reg 99: unreadable
  CHECK(table.on_hit(0x1000, machine) == stub::HitVerdict::Report);
}

TEST_CASE("breakpoint actions: commands run when the condition holds, and never stop") {
  stub::BreakpointActionTable table;
  FakeMachine machine;
  // const8 0 (function), const8 0 (channel), printf with no argument: "hit\n"
  std::vector<std::uint8_t> say_hit = {0x22, 0,   0x22, 0,   0x34, 0, 0,
                                       5,    'h', 'i',  't', '\n', 0, 0x27};
  table.set(0x1000, {{rdi_equals(2)}, {say_hit}});
  machine.rdi = 1;
  CHECK(table.on_hit(0x1000, machine) == stub::HitVerdict::RunOn);
  CHECK(machine.printed.empty());
  machine.rdi = 2;
  CHECK(table.on_hit(0x1000, machine) == stub::HitVerdict::RunOn);
  CHECK(machine.printed == "hit\n");
  table.set(0x1000, {}); // back to host evaluation: every hit reported
  CHECK_FALSE(table.any_at(0x1000));
}
