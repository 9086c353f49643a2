#include <catch2/catch.hpp>

#include <array>
#include <cstring>

#include "arch/x87_tag.hpp"

namespace {

using arch::X87Tag;

using Ext = std::array<std::uint8_t, 10>;

// Build an 80-bit value from sign+exponent (16 bits) and the 64-bit significand.
Ext ext(std::uint16_t sign_exp, std::uint64_t significand) {
  Ext v{};
  std::memcpy(v.data(), &significand, 8);
  std::memcpy(v.data() + 8, &sign_exp, 2);
  return v;
}

X87Tag classify(const Ext &v) { return arch::x87_classify(std::span<const std::uint8_t, 10>(v)); }

constexpr std::uint64_t int_bit = 1ull << 63;

} // namespace

TEST_CASE("x87 values classify like the FPU tags them", "[arch][x87]") {
  CHECK(classify(ext(0x3fff, int_bit)) == X87Tag::Valid);              // 1.0
  CHECK(classify(ext(0xbfff, int_bit | 1)) == X87Tag::Valid);          // negative normal
  CHECK(classify(ext(0x0000, 0)) == X87Tag::Zero);                     // +0
  CHECK(classify(ext(0x8000, 0)) == X87Tag::Zero);                     // -0
  CHECK(classify(ext(0x0000, 1)) == X87Tag::Special);                  // denormal
  CHECK(classify(ext(0x0000, int_bit)) == X87Tag::Special);            // pseudo-denormal
  CHECK(classify(ext(0x7fff, int_bit)) == X87Tag::Special);            // +inf
  CHECK(classify(ext(0xffff, int_bit | 1)) == X87Tag::Special);        // NaN
  CHECK(classify(ext(0x3fff, 0x4000000000000000)) == X87Tag::Special); // unnormal
}

TEST_CASE("full tag word from the abridged byte", "[arch][x87]") {
  std::array<std::uint8_t, 128> st{};
  const auto st_span = std::span<const std::uint8_t, 128>(st);

  SECTION("all empty") { CHECK(arch::x87_full_tag(0x00, 0x0000, st_span) == 0xffff); }

  SECTION("TOP=0: physical i is ST(i)") {
    const Ext one = ext(0x3fff, int_bit);
    const Ext inf = ext(0x7fff, int_bit);
    std::memcpy(st.data() + 0 * 16, one.data(), 10); // ST(0) valid
    // ST(1) stays all-zero bytes: zero
    std::memcpy(st.data() + 2 * 16, inf.data(), 10);            // ST(2) special
    CHECK(arch::x87_full_tag(0x07, 0x0000, st_span) == 0xffe4); // 11..11 10 01 00
  }

  SECTION("TOP=5 rotates physical to stack order") {
    const Ext one = ext(0x3fff, int_bit);
    std::memcpy(st.data() + 0 * 16, one.data(), 10); // ST(0) = physical 5
    // physical 6 = ST(1): zero bytes -> Zero
    const std::uint16_t fstat = 5 << 11;
    CHECK(arch::x87_full_tag(0x60, fstat, st_span) == 0xd3ff); // phys7 11, phys6 01, phys5 00
  }

  SECTION("TOP=7 wraps: physical 0 is ST(1)") {
    const Ext nan = ext(0x7fff, int_bit | 1);
    std::memcpy(st.data() + 1 * 16, nan.data(), 10);
    CHECK(arch::x87_full_tag(0x01, 7 << 11, st_span) == 0xfffe); // phys0 = 10
  }

  SECTION("fldpi; fld1; fldz as gdbserver shows it") {
    // Three pushes from an empty stack: TOP = 5, physical 5..7 in use, ST(0) = 0.
    const Ext zero = ext(0, 0), one = ext(0x3fff, int_bit), pi = ext(0x4000, 0xc90fdaa22168c235);
    std::memcpy(st.data() + 0 * 16, zero.data(), 10);
    std::memcpy(st.data() + 1 * 16, one.data(), 10);
    std::memcpy(st.data() + 2 * 16, pi.data(), 10);
    CHECK(arch::x87_full_tag(0xe0, 0x2800, st_span) == 0x07ff);
  }

  SECTION("other fstat bits do not disturb TOP") {
    CHECK(arch::x87_full_tag(0x80, 0xc7ff, st_span) == 0x7fff); // TOP=0; phys7=ST(7) zero
  }
}

TEST_CASE("abridged tag from the full word", "[arch][x87]") {
  CHECK(arch::x87_abridged_tag(0xffff) == 0x00);
  CHECK(arch::x87_abridged_tag(0x0000) == 0xff);
  CHECK(arch::x87_abridged_tag(0xffe4) == 0x07);
  CHECK(arch::x87_abridged_tag(0x3fff) == 0x80);
  CHECK(arch::x87_abridged_tag(0xaaaa) == 0xff); // all special: in use
  CHECK(arch::x87_abridged_tag(0xbfff) == 0x80);
}

TEST_CASE("abridged -> full -> abridged is the identity", "[arch][x87]") {
  std::array<std::uint8_t, 128> st{};
  for (int i = 0; i < 8; ++i) {
    const Ext v = ext(static_cast<std::uint16_t>(0x3fff + i), int_bit);
    std::memcpy(st.data() + 16 * i, v.data(), 10);
  }
  for (unsigned top = 0; top < 8; ++top)
    for (unsigned abridged = 0; abridged < 256; ++abridged) {
      const auto full = arch::x87_full_tag(static_cast<std::uint8_t>(abridged),
                                           static_cast<std::uint16_t>(top << 11),
                                           std::span<const std::uint8_t, 128>(st));
      REQUIRE(arch::x87_abridged_tag(full) == abridged);
    }
}
