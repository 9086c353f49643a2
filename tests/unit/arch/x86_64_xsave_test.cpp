// The XSAVE block: component offsets from the layout, and XSTATE_BV's init state (a
// component whose bit is clear reads as its init values; writing one of its registers puts
// the component in the block and sets the bit).
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "arch/arch.hpp"
#include "arch/x86_64_regs.hpp"
#include "arch/x86_64_xsave.hpp"

namespace {

using arch::RegBlock;
using arch::X86_64Reg;

constexpr std::uint64_t all = 0x2e7; // x87 SSE AVX opmask ZMM_Hi256 Hi16_ZMM PKRU
constexpr std::uint64_t x87 = 1 << 0, sse = 1 << 1, avx = 1 << 2, opmask = 1 << 5,
                        zmm_hi256 = 1 << 6, hi16_zmm = 1 << 7, pkru = 1 << 9;

template <typename T> T load(const std::uint8_t *p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename T> std::vector<std::uint8_t> bytes(T v) {
  std::vector<std::uint8_t> out(sizeof v);
  std::memcpy(out.data(), &v, sizeof v);
  return out;
}
std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<std::uint8_t>(seed + 5 * i + 3);
  return out;
}

struct Fixture {
  explicit Fixture(const arch::XsaveLayout &layout, std::uint64_t bv, std::uint8_t fill = 0)
      : info(arch::x86_64_for(layout)) {
    b.xsave.assign(info.xsave_size, fill);
    std::memset(b.xsave.data() + 512, 0, 64);
    set_bv(bv);
  }
  arch::ArchInfo info;
  arch::RegisterBlocks b;

  std::uint64_t bv() const { return load<std::uint64_t>(b.xsave.data() + 512); }
  void set_bv(std::uint64_t v) { std::memcpy(b.xsave.data() + 512, &v, sizeof v); }
  int regnum(std::string_view name) const {
    for (std::size_t i = 0; i < info.registers.size(); ++i)
      if (info.registers[i].name == name)
        return static_cast<int>(i);
    FAIL("no register " << name);
    return -1;
  }
  std::size_t offset(std::string_view name) const {
    return info.registers[static_cast<std::size_t>(regnum(name))].offset;
  }
  std::vector<std::uint8_t> read(std::string_view name) const {
    const int r = regnum(name);
    std::vector<std::uint8_t> out(static_cast<std::size_t>(info.registers[r].bitsize / 8), 0xee);
    info.read_register(b, r, out);
    return out;
  }
  RegBlock write(std::string_view name, const std::vector<std::uint8_t> &in) {
    return info.write_register(b, regnum(name), in);
  }
};

std::vector<std::uint8_t> zeros(std::size_t n) { return std::vector<std::uint8_t>(n, 0); }

} // namespace

TEST_CASE("Intel's standard-format offsets", "[arch][x86_64][xsave]") {
  const auto l = arch::XsaveLayout::intel(all);
  CHECK(l.offset[2] == 576);
  CHECK(l.offset[5] == 1088);
  CHECK(l.offset[6] == 1152);
  CHECK(l.offset[7] == 1664);
  CHECK(l.offset[9] == 2688);
  CHECK(l.max_size == 2696);
  CHECK(arch::XsaveLayout::intel(0x7).max_size == 832);
  CHECK(arch::XsaveLayout::intel(0x3).max_size == 576);
  CHECK(l.has_avx());
  CHECK(l.has_avx512());
  CHECK(l.has_pkru());
  CHECK_FALSE(arch::XsaveLayout::intel(0x67).has_avx512());
  CHECK_FALSE(arch::XsaveLayout::intel(0x0).has_avx());
}

TEST_CASE("this machine's layout is sane", "[arch][x86_64][xsave]") {
  const auto l = arch::host_xsave_layout();
  if (l.xcr0 == 0) {
    CHECK(arch::x86_64_native().xsave_size == 0);
    return;
  }
  CHECK((l.xcr0 & 3) == 3); // x87 and SSE are always on with XSAVE
  CHECK(l.max_size >= 576);
  for (int i = 2; i < arch::XsaveComponentCount; ++i)
    if (l.enabled(i) && i != 3 && i != 4 && i != 8) {
      INFO("component " << i);
      CHECK(l.offset[static_cast<std::size_t>(i)] >= 576);
      CHECK(l.offset[static_cast<std::size_t>(i)] < l.max_size);
    }
  CHECK(arch::x86_64_native().xsave_size >= l.max_size);
}

TEST_CASE("extended registers sit where the layout puts their components",
          "[arch][x86_64][xsave]") {
  Fixture intel(arch::XsaveLayout::intel(all), all);
  CHECK(intel.offset("ymm0h") == 576);
  CHECK(intel.offset("ymm15h") == 576 + 15 * 16);
  CHECK(intel.offset("k0") == 1088);
  CHECK(intel.offset("k7") == 1088 + 7 * 8);
  CHECK(intel.offset("zmm0h") == 1152);
  CHECK(intel.offset("zmm15h") == 1152 + 15 * 32);
  CHECK(intel.offset("xmm16") == 1664);
  CHECK(intel.offset("ymm16h") == 1664 + 16);
  CHECK(intel.offset("zmm16h") == 1664 + 32);
  CHECK(intel.offset("xmm31") == 1664 + 15 * 64);
  CHECK(intel.offset("zmm31h") == 1664 + 15 * 64 + 32);
  CHECK(intel.offset("pkru") == 2688);

  // AMD's Zen 4 has no MPX components and packs the rest closer: CPUID, not a constant.
  arch::XsaveLayout zen4;
  zen4.xcr0 = 0xe7;
  zen4.max_size = 2432;
  zen4.offset[2] = 576;
  zen4.offset[5] = 832;
  zen4.offset[6] = 896;
  zen4.offset[7] = 1408;
  Fixture amd(zen4, 0xe7);
  CHECK(amd.info.xsave_size == 2432);
  CHECK(amd.offset("k1") == 840);
  CHECK(amd.offset("zmm2h") == 896 + 64);
  CHECK(amd.offset("xmm17") == 1408 + 64);
  CHECK(amd.offset("zmm31h") == 1408 + 15 * 64 + 32);
  const auto k1 = bytes<std::uint64_t>(0x1234);
  CHECK(amd.write("k1", k1) == RegBlock::Xsave);
  CHECK(load<std::uint64_t>(amd.b.xsave.data() + 840) == 0x1234);
  CHECK(amd.read("k1") == k1);
}

TEST_CASE("ymm, zmm, k and pkru registers round-trip", "[arch][x86_64][xsave]") {
  Fixture f(arch::XsaveLayout::intel(all), all);
  const char *names[] = {"ymm0h", "ymm7h", "ymm15h", "xmm16",  "xmm31",  "ymm16h", "ymm31h",
                         "k0",    "k7",    "zmm0h",  "zmm15h", "zmm16h", "zmm31h", "pkru"};
  std::uint8_t seed = 1;
  for (const char *name : names) {
    INFO(name);
    const int r = f.regnum(name);
    const auto &reg = f.info.registers[static_cast<std::size_t>(r)];
    const auto value = pattern(static_cast<std::size_t>(reg.bitsize / 8), seed++);
    CHECK(f.write(name, value) == RegBlock::Xsave);
    CHECK(f.read(name) == value);
    CHECK(std::memcmp(f.b.xsave.data() + reg.offset, value.data(), value.size()) == 0);
  }
  CHECK(f.bv() == all);
  // Pieces of one zmm register: xmm16 | ymm16h | zmm16h are one 64-byte slot.
  Fixture g(arch::XsaveLayout::intel(all), all);
  g.write("xmm20", pattern(16, 1));
  g.write("ymm20h", pattern(16, 2));
  g.write("zmm20h", pattern(32, 3));
  const std::uint8_t *slot = g.b.xsave.data() + 1664 + 4 * 64;
  CHECK(std::memcmp(slot, pattern(16, 1).data(), 16) == 0);
  CHECK(std::memcmp(slot + 16, pattern(16, 2).data(), 16) == 0);
  CHECK(std::memcmp(slot + 32, pattern(32, 3).data(), 32) == 0);
}

TEST_CASE("a component whose XSTATE_BV bit is clear reads as its init state",
          "[arch][x86_64][xsave]") {
  // Stale bytes everywhere; only the header says what is live.
  Fixture f(arch::XsaveLayout::intel(all), 0, 0xa5);
  CHECK(f.read("ymm3h") == zeros(16));
  CHECK(f.read("k2") == zeros(8));
  CHECK(f.read("zmm4h") == zeros(32));
  CHECK(f.read("xmm20") == zeros(16));
  CHECK(f.read("ymm20h") == zeros(16));
  CHECK(f.read("zmm20h") == zeros(32));
  CHECK(f.read("pkru") == zeros(4));
  CHECK(f.read("xmm5") == zeros(16));
  CHECK(f.read("st3") == zeros(10));
  CHECK(f.read("fctrl") == bytes<std::uint32_t>(0x037f));
  CHECK(f.read("fstat") == zeros(4));
  CHECK(f.read("ftag") == bytes<std::uint32_t>(0xffff));
  CHECK(f.read("fioff") == zeros(4));
  CHECK(f.read("mxcsr") == bytes<std::uint32_t>(0x1f80));

  // Each bit governs its own component only.
  f.set_bv(opmask);
  CHECK(f.read("k2") == std::vector<std::uint8_t>(8, 0xa5));
  CHECK(f.read("zmm4h") == zeros(32));
  // MXCSR is saved with either the SSE or the AVX state.
  f.set_bv(avx);
  CHECK(f.read("mxcsr") == bytes<std::uint32_t>(0xa5a5a5a5));
  CHECK(f.read("xmm5") == zeros(16));
  CHECK(f.read("ymm5h") == std::vector<std::uint8_t>(16, 0xa5));
}

TEST_CASE("writing a register of an init-state component sets its bit and zeroes the rest",
          "[arch][x86_64][xsave]") {
  Fixture f(arch::XsaveLayout::intel(all), x87 | sse, 0xa5);
  const auto k3 = bytes<std::uint64_t>(0x0123456789abcdef);
  CHECK(f.write("k3", k3) == RegBlock::Xsave);
  CHECK(f.bv() == (x87 | sse | opmask));
  CHECK(f.read("k3") == k3);
  for (const char *other : {"k0", "k1", "k2", "k4", "k7"}) {
    INFO(other);
    CHECK(f.read(other) == zeros(8));
  }
  for (std::size_t i = 0; i < 64; ++i) // the whole component is in the block now
    if (i < 24 || i >= 32)
      CHECK(f.b.xsave[1088 + i] == 0);

  f.write("zmm9h", pattern(32, 7));
  CHECK(f.bv() == (x87 | sse | opmask | zmm_hi256));
  CHECK(f.read("zmm8h") == zeros(32));
  CHECK(f.read("zmm9h") == pattern(32, 7));

  f.write("ymm30h", pattern(16, 9));
  CHECK(f.bv() == (x87 | sse | opmask | zmm_hi256 | hi16_zmm));
  CHECK(f.read("xmm30") == zeros(16));
  CHECK(f.read("zmm30h") == zeros(32));
  CHECK(f.read("ymm30h") == pattern(16, 9));
  CHECK(f.read("zmm31h") == zeros(32));

  f.write("ymm1h", pattern(16, 4));
  CHECK(f.bv() == (x87 | sse | avx | opmask | zmm_hi256 | hi16_zmm));
  CHECK(f.read("ymm0h") == zeros(16));

  f.write("pkru", bytes<std::uint32_t>(0x55555554));
  CHECK(f.bv() == all);
  CHECK(load<std::uint32_t>(f.b.xsave.data() + 2688) == 0x55555554);
}

TEST_CASE("legacy components leave init state with their init values", "[arch][x86_64][xsave]") {
  SECTION("x87") {
    Fixture f(arch::XsaveLayout::intel(all), 0, 0xa5);
    f.write("st2", pattern(10, 1));
    CHECK(f.bv() == x87);
    CHECK(load<std::uint16_t>(f.b.xsave.data() + 0) == 0x037f);
    CHECK(f.b.xsave[4] == 0); // abridged tag: all empty
    CHECK(f.read("fctrl") == bytes<std::uint32_t>(0x037f));
    CHECK(f.read("fstat") == zeros(4));
    CHECK(f.read("fop") == zeros(4));
    CHECK(f.read("st1") == zeros(10));
    CHECK(f.read("st2") == pattern(10, 1));
    CHECK(f.read("mxcsr") == bytes<std::uint32_t>(0x1f80)); // SSE/AVX still in init state
  }
  SECTION("SSE with AVX in init state: mxcsr takes its init value too") {
    Fixture f(arch::XsaveLayout::intel(all), 0, 0xa5);
    f.write("xmm4", pattern(16, 1));
    CHECK(f.bv() == sse);
    CHECK(f.read("xmm3") == zeros(16));
    CHECK(f.read("mxcsr") == bytes<std::uint32_t>(0x1f80));
    CHECK(load<std::uint32_t>(f.b.xsave.data() + 24) == 0x1f80);
  }
  SECTION("SSE with AVX in use: mxcsr is live and kept") {
    Fixture f(arch::XsaveLayout::intel(all), avx, 0xa5);
    f.write("xmm4", pattern(16, 1));
    CHECK(f.bv() == (sse | avx));
    CHECK(f.read("mxcsr") == bytes<std::uint32_t>(0xa5a5a5a5));
  }
  SECTION("mxcsr alone marks SSE in use, so that the kernel takes it") {
    Fixture f(arch::XsaveLayout::intel(all), 0, 0xa5);
    f.write("mxcsr", bytes<std::uint32_t>(0x9fc0));
    CHECK(f.bv() == sse);
    CHECK(f.read("mxcsr") == bytes<std::uint32_t>(0x9fc0));
    CHECK(f.read("xmm0") == zeros(16));
    CHECK(f.b.xsave[160] == 0);
  }
}

TEST_CASE("without XSAVE the block is the FXSAVE area", "[arch][x86_64][xsave]") {
  const arch::ArchInfo info = arch::x86_64_for(arch::XsaveLayout::intel(0));
  CHECK(info.xsave_size == 0);
  REQUIRE(info.registers.size() == 60);
  arch::RegisterBlocks b;
  b.xsave.assign(512, 0);
  const auto xmm7 = pattern(16, 3);
  CHECK(info.write_register(b, X86_64Reg::Xmm0 + 7, xmm7) == RegBlock::Xsave);
  std::vector<std::uint8_t> out(16);
  info.read_register(b, X86_64Reg::Xmm0 + 7, out);
  CHECK(out == xmm7);
  std::vector<std::uint8_t> fctrl(4);
  info.read_register(b, X86_64Reg::Fctrl, fctrl); // no header: the bytes are what they are
  CHECK(fctrl == zeros(4));
  CHECK(b.xsave.size() == 512);
}

TEST_CASE("registers beyond what the kernel gave read as zeros and are not written",
          "[arch][x86_64][xsave]") {
  Fixture f(arch::XsaveLayout::intel(all), all);
  f.b.xsave.resize(832); // legacy + header + AVX only
  CHECK(f.read("k1") == zeros(8));
  CHECK(f.read("pkru") == zeros(4));
  CHECK(f.write("k1", bytes<std::uint64_t>(5)) == RegBlock::Xsave);
  CHECK(f.b.xsave.size() == 832);
  CHECK(f.read("k1") == zeros(8));
  f.write("ymm2h", pattern(16, 2));
  CHECK(f.read("ymm2h") == pattern(16, 2));
  // No block at all (not fetched): init values, nothing written.
  arch::RegisterBlocks empty;
  std::vector<std::uint8_t> out(4, 0xee);
  f.info.read_register(empty, f.regnum("fctrl"), out);
  CHECK(out == bytes<std::uint32_t>(0x037f));
  f.info.write_register(empty, f.regnum("xmm1"), pattern(16, 1));
  CHECK(empty.xsave.empty());
}
