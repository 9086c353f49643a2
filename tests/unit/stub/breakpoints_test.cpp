// Software breakpoint sites over this test process's own memory (/proc/self/mem): an int3
// or a longer patch (a jump to a pad) is hidden from reads, kept under writes, and the
// program's bytes come back exactly when it goes.
#include "stub/breakpoints.hpp"
#include "stub/memory.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstring>
#include <unistd.h>

namespace {

std::uint64_t address_of(const volatile void *p) { return reinterpret_cast<std::uintptr_t>(p); }

struct OwnMemory {
  stub::ProcessMemory memory;
  std::array<std::uint8_t, 1> int3{0xcc};
  stub::SoftwareBreakpoints breakpoints{memory, int3};
  OwnMemory() { REQUIRE(memory.open(getpid())); }
};

using Bytes = std::array<std::uint8_t, 16>;

Bytes raw(const volatile std::uint8_t *p) {
  Bytes b{};
  for (std::size_t i = 0; i < b.size(); ++i)
    b[i] = p[i];
  return b;
}

Bytes through(stub::SoftwareBreakpoints &breakpoints, std::uint64_t addr) {
  Bytes b{};
  auto n = breakpoints.read(addr, b);
  REQUIRE(n);
  REQUIRE(*n == b.size());
  return b;
}

constexpr Bytes program{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

} // namespace

TEST_CASE("breakpoints: an int3 becomes a longer patch and back; reads never see either") {
  OwnMemory own;
  static volatile std::uint8_t code[16];
  for (std::size_t i = 0; i < 16; ++i)
    code[i] = program[i];
  std::uint64_t site = address_of(code) + 2;
  REQUIRE(own.breakpoints.insert(site));
  CHECK(code[2] == 0xcc);
  CHECK(own.breakpoints.traps_at(site));
  const std::array<std::uint8_t, 5> jump{0xe9, 0xaa, 0xbb, 0xcc, 0xdd};
  REQUIRE(own.breakpoints.repatch(site, jump));
  CHECK_FALSE(own.breakpoints.traps_at(site));
  CHECK(code[2] == 0xe9);
  CHECK(code[6] == 0xdd);
  CHECK(code[7] == 8);
  CHECK(through(own.breakpoints, address_of(code)) == program);

  // A write across the patch changes the program's bytes, not the patch.
  const std::array<std::uint8_t, 3> update{0x70, 0x71, 0x72};
  REQUIRE(own.breakpoints.write(site + 3, update));
  CHECK(code[5] == 0xcc);
  CHECK(code[7] == 0x72);
  Bytes expected = program;
  expected[5] = 0x70;
  expected[6] = 0x71;
  expected[7] = 0x72;
  CHECK(through(own.breakpoints, address_of(code)) == expected);

  // Back to an int3: the rest of the patch is the program's bytes again.
  REQUIRE(own.breakpoints.repatch(site, {}));
  CHECK(code[2] == 0xcc);
  CHECK(raw(code)[3] == expected[3]);
  CHECK(code[6] == 0x71);
  REQUIRE(own.breakpoints.remove(site));
  CHECK(raw(code) == expected);
}

TEST_CASE("breakpoints: a patch may not cover another site; lift and restore keep patches") {
  OwnMemory own;
  static volatile std::uint8_t code[16];
  for (std::size_t i = 0; i < 16; ++i)
    code[i] = program[i];
  std::uint64_t base = address_of(code);
  REQUIRE(own.breakpoints.insert(base));
  REQUIRE(own.breakpoints.insert(base + 3));
  const std::array<std::uint8_t, 5> jump{0xe9, 1, 2, 3, 4};
  CHECK_FALSE(own.breakpoints.repatch(base, jump));
  CHECK(code[0] == 0xcc);
  REQUIRE(own.breakpoints.remove(base + 3));
  REQUIRE(own.breakpoints.repatch(base, jump));
  own.breakpoints.lift();
  CHECK(raw(code) == program);
  own.breakpoints.restore();
  CHECK(code[0] == 0xe9);
  CHECK(code[4] == 4);
  REQUIRE(own.breakpoints.lift_one(base));
  CHECK(raw(code) == program);
  REQUIRE(own.breakpoints.restore_one(base));
  CHECK(code[4] == 4);
  own.breakpoints.remove_all();
  CHECK(raw(code) == program);
}

TEST_CASE("breakpoints: a fork child's copy gets the originals back where it holds a patch") {
  OwnMemory own;
  static volatile std::uint8_t code[16];
  for (std::size_t i = 0; i < 16; ++i)
    code[i] = program[i];
  std::uint64_t base = address_of(code);
  REQUIRE(own.breakpoints.insert(base + 1));
  const std::array<std::uint8_t, 5> jump{0xe9, 9, 9, 9, 9};
  REQUIRE(own.breakpoints.repatch(base + 1, jump));
  // The "child" is this process's memory itself: it holds the patch.
  own.breakpoints.restore_originals_in(own.memory);
  CHECK(raw(code) == program);
}
