#include "arch/x86_64_debug_registers.hpp"

#include <catch2/catch.hpp>

using arch::x86_64::DebugRegisters;
using arch::x86_64::HardwarePoint;

namespace {

// DR7's fields for one slot, as the SDM lays them out.
std::uint64_t enabled(int slot) { return std::uint64_t{1} << (2 * slot); }
std::uint64_t rw(int slot, std::uint64_t bits) { return bits << (16 + 4 * slot); }
std::uint64_t len(int slot, std::uint64_t bits) { return bits << (18 + 4 * slot); }

} // namespace

TEST_CASE("debug registers: one aligned write watchpoint of each length", "[arch][dr]") {
  const std::pair<std::uint64_t, std::uint64_t> lengths[] = {
      {1, 0b00}, {2, 0b01}, {4, 0b11}, {8, 0b10}};
  for (auto [bytes, field] : lengths) {
    DebugRegisters dr;
    REQUIRE(dr.insert(HardwarePoint::Write, 0x1000, bytes));
    CHECK(dr.address(0) == 0x1000);
    CHECK(dr.dr7() == (enabled(0) | rw(0, 0b01) | len(0, field)));
  }
}

TEST_CASE("debug registers: kinds map to R/W fields; read is read-or-write", "[arch][dr]") {
  DebugRegisters dr;
  REQUIRE(dr.insert(HardwarePoint::Breakpoint, 0x401000, 1));
  REQUIRE(dr.insert(HardwarePoint::Write, 0x2000, 8));
  REQUIRE(dr.insert(HardwarePoint::Read, 0x3000, 4));
  REQUIRE(dr.insert(HardwarePoint::Access, 0x4000, 2));
  CHECK(dr.dr7() == (enabled(0) | enabled(1) | enabled(2) | enabled(3) | rw(1, 0b01) |
                     len(1, 0b10) | rw(2, 0b11) | len(2, 0b11) | rw(3, 0b11) | len(3, 0b01)));
  CHECK(dr.address(0) == 0x401000);
}

TEST_CASE("debug registers: unaligned and long ranges split into aligned pieces", "[arch][dr]") {
  DebugRegisters dr;
  REQUIRE(dr.insert(HardwarePoint::Write, 0x1003, 6)); // 1003 (1), 1004 (4), 1008 (1)
  CHECK(dr.address(0) == 0x1003);
  CHECK(dr.address(1) == 0x1004);
  CHECK(dr.address(2) == 0x1008);
  CHECK(dr.dr7() == (enabled(0) | enabled(1) | enabled(2) | rw(0, 0b01) | rw(1, 0b01) |
                     len(1, 0b11) | rw(2, 0b01)));
  CHECK_FALSE(dr.insert(HardwarePoint::Write, 0x2000, 16)); // two more slots: no room
  REQUIRE(dr.insert(HardwarePoint::Write, 0x2000, 8));
  CHECK_FALSE(dr.insert(HardwarePoint::Breakpoint, 0x5000, 1));
  DebugRegisters wide;
  CHECK(wide.insert(HardwarePoint::Write, 0x3000, 32)); // four 8-byte slots
  CHECK_FALSE(wide.insert(HardwarePoint::Write, 0x4000, 1));
}

TEST_CASE("debug registers: a refused insert changes nothing", "[arch][dr]") {
  DebugRegisters dr;
  REQUIRE(dr.insert(HardwarePoint::Write, 0x1000, 8));
  auto dr7 = dr.dr7();
  auto generation = dr.generation();
  CHECK_FALSE(dr.insert(HardwarePoint::Write, 0x2001, 31)); // needs more than three slots
  CHECK_FALSE(dr.insert(HardwarePoint::Breakpoint, 0x2000, 2));
  CHECK_FALSE(dr.insert(HardwarePoint::Write, 0x2000, 0));
  CHECK_FALSE(dr.insert(HardwarePoint::Write, ~std::uint64_t{0}, 2)); // wraps
  CHECK(dr.dr7() == dr7);
  CHECK(dr.generation() == generation);
}

TEST_CASE("debug registers: the same point twice shares a slot and needs two removals",
          "[arch][dr]") {
  DebugRegisters dr;
  REQUIRE(dr.insert(HardwarePoint::Write, 0x1000, 4));
  REQUIRE(dr.insert(HardwarePoint::Write, 0x1000, 4));
  CHECK(dr.dr7() == (enabled(0) | rw(0, 0b01) | len(0, 0b11)));
  REQUIRE(dr.remove(HardwarePoint::Write, 0x1000, 4));
  CHECK(dr.any());
  CHECK(dr.dr7() != 0);
  REQUIRE(dr.remove(HardwarePoint::Write, 0x1000, 4));
  CHECK_FALSE(dr.any());
  CHECK(dr.dr7() == 0);
  CHECK_FALSE(dr.remove(HardwarePoint::Write, 0x1000, 4));
}

TEST_CASE("debug registers: removal frees slots and compacts", "[arch][dr]") {
  DebugRegisters dr;
  REQUIRE(dr.insert(HardwarePoint::Write, 0x1000, 8));
  REQUIRE(dr.insert(HardwarePoint::Access, 0x2000, 8));
  auto before = dr.generation();
  REQUIRE(dr.remove(HardwarePoint::Write, 0x1000, 8));
  CHECK(dr.generation() != before);
  CHECK(dr.address(0) == 0x2000);
  CHECK(dr.dr7() == (enabled(0) | rw(0, 0b11) | len(0, 0b10)));
  CHECK_FALSE(dr.remove(HardwarePoint::Read, 0x2000, 8)); // not what was inserted
}

TEST_CASE("debug registers: DR6 names the point that triggered", "[arch][dr]") {
  DebugRegisters dr;
  REQUIRE(dr.insert(HardwarePoint::Breakpoint, 0x401000, 1));
  REQUIRE(dr.insert(HardwarePoint::Write, 0x1003, 6)); // slots 1-3
  CHECK_FALSE(dr.hit(0));
  CHECK_FALSE(dr.hit(0x4000)); // BS (a single step) alone
  auto bp = dr.hit(0x1);
  REQUIRE(bp);
  CHECK(bp->type == HardwarePoint::Breakpoint);
  CHECK(bp->address == 0x401000);
  auto middle = dr.hit(0x4 | 0x4000);
  REQUIRE(middle);
  CHECK(middle->type == HardwarePoint::Write);
  CHECK(middle->address == 0x1004);
  dr.clear();
  CHECK_FALSE(dr.hit(0xf));
}
