// Register bytes <-> kernel blocks, checked against <sys/user.h> and hand-built blocks.
#include <catch2/catch.hpp>

#include <sys/user.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "arch/arch.hpp"
#include "arch/x86_64_regs.hpp"
#include "arch/x86_64_xsave.hpp"

namespace {

using arch::RegBlock;
using arch::X86_64Reg;

// Every feature, Intel's layout: the same table whatever machine runs the tests.
const arch::ArchInfo &info() {
  static const arch::ArchInfo all = arch::x86_64_for(arch::XsaveLayout::intel(0x2e7));
  return all;
}

// An XSAVE block whose components are all in use (XSTATE_BV = every bit of XCR0).
arch::RegisterBlocks blocks(std::uint64_t xstate_bv = 0x2e7) {
  arch::RegisterBlocks b;
  b.xsave.assign(info().xsave_size, 0);
  std::memcpy(b.xsave.data() + 512, &xstate_bv, sizeof xstate_bv);
  return b;
}

std::size_t reg_size(int regnum) { return info().registers[regnum].bitsize / 8; }

std::vector<std::uint8_t> read(const arch::RegisterBlocks &blocks, int regnum) {
  std::vector<std::uint8_t> out(reg_size(regnum), 0xEE);
  info().read_register(blocks, regnum, out);
  return out;
}

RegBlock write(arch::RegisterBlocks &blocks, int regnum, const std::vector<std::uint8_t> &in) {
  return info().write_register(blocks, regnum, in);
}

template <typename T> T load(const std::uint8_t *p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <typename T> void put(std::uint8_t *p, T v) { std::memcpy(p, &v, sizeof v); }

template <typename T> std::vector<std::uint8_t> bytes(T v) {
  std::vector<std::uint8_t> out(sizeof v);
  std::memcpy(out.data(), &v, sizeof v);
  return out;
}

std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<std::uint8_t>(seed + 7 * i + 1);
  return out;
}

int regnum_of(std::string_view name) {
  for (std::size_t i = 0; i < info().registers.size(); ++i)
    if (info().registers[i].name == name)
      return static_cast<int>(i);
  FAIL("no register " << name);
  return -1;
}

} // namespace

TEST_CASE("block sizes match the kernel structs", "[arch][x86_64][regs]") {
  CHECK(arch::RegisterBlocks::gpr_size == sizeof(user_regs_struct));
  CHECK(arch::RegisterBlocks::fxsave_size == sizeof(user_fpregs_struct));
}

TEST_CASE("general register offsets match user_regs_struct", "[arch][x86_64][regs]") {
  struct Expect {
    const char *name;
    std::size_t offset;
  };
  const Expect expect[] = {
      {"rax", offsetof(user_regs_struct, rax)},
      {"rbx", offsetof(user_regs_struct, rbx)},
      {"rcx", offsetof(user_regs_struct, rcx)},
      {"rdx", offsetof(user_regs_struct, rdx)},
      {"rsi", offsetof(user_regs_struct, rsi)},
      {"rdi", offsetof(user_regs_struct, rdi)},
      {"rbp", offsetof(user_regs_struct, rbp)},
      {"rsp", offsetof(user_regs_struct, rsp)},
      {"r8", offsetof(user_regs_struct, r8)},
      {"r9", offsetof(user_regs_struct, r9)},
      {"r10", offsetof(user_regs_struct, r10)},
      {"r11", offsetof(user_regs_struct, r11)},
      {"r12", offsetof(user_regs_struct, r12)},
      {"r13", offsetof(user_regs_struct, r13)},
      {"r14", offsetof(user_regs_struct, r14)},
      {"r15", offsetof(user_regs_struct, r15)},
      {"rip", offsetof(user_regs_struct, rip)},
      {"eflags", offsetof(user_regs_struct, eflags)},
      {"cs", offsetof(user_regs_struct, cs)},
      {"ss", offsetof(user_regs_struct, ss)},
      {"ds", offsetof(user_regs_struct, ds)},
      {"es", offsetof(user_regs_struct, es)},
      {"fs", offsetof(user_regs_struct, fs)},
      {"gs", offsetof(user_regs_struct, gs)},
      {"orig_rax", offsetof(user_regs_struct, orig_rax)},
      {"fs_base", offsetof(user_regs_struct, fs_base)},
      {"gs_base", offsetof(user_regs_struct, gs_base)},
  };
  for (const Expect &e : expect) {
    INFO(e.name);
    const auto &reg = info().registers[regnum_of(e.name)];
    CHECK(reg.block == RegBlock::Gpr);
    CHECK(reg.offset == e.offset);
  }
  // The brief's hand-computed offsets, as a second opinion.
  CHECK(info().registers[X86_64Reg::Rax].offset == 80);
  CHECK(info().registers[X86_64Reg::Rip].offset == 128);
  CHECK(info().registers[X86_64Reg::Eflags].offset == 144);
  CHECK(info().registers[X86_64Reg::OrigRax].offset == 120);
  CHECK(info().registers[X86_64Reg::FsBase].offset == 168);
}

TEST_CASE("legacy XSAVE register offsets match user_fpregs_struct", "[arch][x86_64][regs]") {
  for (int i = 0; i < 8; ++i) {
    const auto &reg = info().registers[X86_64Reg::St0 + i];
    CHECK(reg.block == RegBlock::Xsave);
    CHECK(reg.offset == offsetof(user_fpregs_struct, st_space) + 16 * i);
  }
  for (int i = 0; i < 16; ++i) {
    const auto &reg = info().registers[X86_64Reg::Xmm0 + i];
    CHECK(reg.block == RegBlock::Xsave);
    CHECK(reg.offset == offsetof(user_fpregs_struct, xmm_space) + 16 * i);
  }
  CHECK(info().registers[X86_64Reg::Xmm0 + 3].offset == 160 + 48);
  CHECK(info().registers[X86_64Reg::Mxcsr].offset == offsetof(user_fpregs_struct, mxcsr));
  CHECK(info().registers[X86_64Reg::Fctrl].offset == offsetof(user_fpregs_struct, cwd));
  CHECK(info().registers[X86_64Reg::Fstat].offset == offsetof(user_fpregs_struct, swd));
  CHECK(info().registers[X86_64Reg::Ftag].offset == offsetof(user_fpregs_struct, ftw));
  CHECK(info().registers[X86_64Reg::Fop].offset == offsetof(user_fpregs_struct, fop));
  CHECK(info().registers[X86_64Reg::Fioff].offset == offsetof(user_fpregs_struct, rip));
  CHECK(info().registers[X86_64Reg::Fiseg].offset == offsetof(user_fpregs_struct, rip) + 4);
  CHECK(info().registers[X86_64Reg::Fooff].offset == offsetof(user_fpregs_struct, rdp));
  CHECK(info().registers[X86_64Reg::Foseg].offset == offsetof(user_fpregs_struct, rdp) + 4);
}

TEST_CASE("reads take values from hand-built blocks", "[arch][x86_64][regs]") {
  arch::RegisterBlocks b = blocks();
  user_regs_struct u{};
  u.rax = 0x1122334455667788;
  u.rip = 0x0000555555554abc;
  u.eflags = 0x246;
  u.cs = 0x33;
  u.ss = 0x2b;
  u.fs_base = 0x7ffff7d8a740;
  u.orig_rax = static_cast<unsigned long long>(-1);
  std::memcpy(b.gpr, &u, sizeof u);

  CHECK(read(b, X86_64Reg::Rax) == bytes<std::uint64_t>(0x1122334455667788));
  CHECK(read(b, X86_64Reg::Rip) == bytes<std::uint64_t>(0x0000555555554abc));
  CHECK(read(b, X86_64Reg::Eflags) == bytes<std::uint32_t>(0x246));
  CHECK(read(b, X86_64Reg::Cs) == bytes<std::uint32_t>(0x33));
  CHECK(read(b, X86_64Reg::Ss) == bytes<std::uint32_t>(0x2b));
  CHECK(read(b, X86_64Reg::FsBase) == bytes<std::uint64_t>(0x7ffff7d8a740));
  CHECK(read(b, X86_64Reg::OrigRax) == bytes<std::uint64_t>(~0ull));

  user_fpregs_struct f{};
  f.cwd = 0x037f;
  f.swd = 0x3800; // TOP = 7
  f.fop = 0xffff; // only 11 bits are the opcode
  f.rip = 0x00007fff12345678;
  f.rdp = 0x00005555aabbccdd;
  f.mxcsr = 0x1f80;
  const auto xmm3 = pattern(16, 0x30);
  std::memcpy(reinterpret_cast<std::uint8_t *>(f.xmm_space) + 48, xmm3.data(), 16);
  const auto st0 = pattern(10, 0x50);
  std::memcpy(f.st_space, st0.data(), 10);
  std::memcpy(b.xsave.data(), &f, sizeof f);

  CHECK(read(b, X86_64Reg::Fctrl) == bytes<std::uint32_t>(0x037f));
  CHECK(read(b, X86_64Reg::Fstat) == bytes<std::uint32_t>(0x3800));
  CHECK(read(b, X86_64Reg::Fop) == bytes<std::uint32_t>(0x7ff));
  CHECK(read(b, X86_64Reg::Fioff) == bytes<std::uint32_t>(0x12345678));
  CHECK(read(b, X86_64Reg::Fiseg) == bytes<std::uint32_t>(0x7fff));
  CHECK(read(b, X86_64Reg::Fooff) == bytes<std::uint32_t>(0xaabbccdd));
  CHECK(read(b, X86_64Reg::Foseg) == bytes<std::uint32_t>(0x5555));
  CHECK(read(b, X86_64Reg::Mxcsr) == bytes<std::uint32_t>(0x1f80));
  CHECK(read(b, X86_64Reg::Xmm0 + 3) == xmm3);
  CHECK(read(b, X86_64Reg::St0) == st0);
  CHECK(read(b, X86_64Reg::Ftag) == bytes<std::uint32_t>(0xffff)); // all empty
}

TEST_CASE("every register round-trips through the blocks", "[arch][x86_64][regs]") {
  for (int regnum = 0; regnum < static_cast<int>(info().registers.size()); ++regnum) {
    const auto &reg = info().registers[regnum];
    INFO("register " << regnum << " " << reg.name);
    arch::RegisterBlocks b = blocks();
    std::vector<std::uint8_t> value = pattern(reg_size(regnum), static_cast<std::uint8_t>(regnum));
    if (regnum == X86_64Reg::Fctrl || regnum == X86_64Reg::Fstat)
      value = bytes<std::uint32_t>(0xbeef); // 16-bit fields
    if (regnum == X86_64Reg::Fop)
      value = bytes<std::uint32_t>(0x5a5); // 11 bits
    if (regnum == X86_64Reg::Ftag)
      value = bytes<std::uint32_t>(0xfff0); // st0/st1 physical tags; only "empty" survives...
    const RegBlock changed = write(b, regnum, value);
    CHECK(changed == reg.block);
    if (regnum == X86_64Reg::Ftag) {
      // ...so a zeroed st area reads back as Zero (01) for the two in-use registers.
      CHECK(b.xsave[4] == 0x03);
      CHECK(read(b, regnum) == bytes<std::uint32_t>(0xfff5));
      continue;
    }
    CHECK(read(b, regnum) == value);

    // The bytes landed where the table says, and nowhere else (the XSAVE header, already
    // marking every component in use, is left as it was).
    const std::uint8_t *base = reg.block == RegBlock::Gpr ? b.gpr : b.xsave.data();
    const std::size_t block_size = reg.block == RegBlock::Gpr ? sizeof b.gpr : b.xsave.size();
    std::size_t width = value.size();
    if (regnum == X86_64Reg::Fctrl || regnum == X86_64Reg::Fstat || regnum == X86_64Reg::Fop)
      width = 2;
    CHECK(std::memcmp(base + reg.offset, value.data(), width) == 0);
    std::size_t nonzero_elsewhere = 0;
    for (std::size_t i = 0; i < block_size; ++i)
      if ((i < reg.offset || i >= reg.offset + width) && base[i] != 0 &&
          (reg.block == RegBlock::Gpr || i < 512 || i >= 576))
        ++nonzero_elsewhere;
    CHECK(nonzero_elsewhere == 0);
    if (reg.block == RegBlock::Xsave)
      CHECK(load<std::uint64_t>(b.xsave.data() + 512) == 0x2e7);
  }
}

TEST_CASE("32-bit writes into 64-bit user_regs slots zero the upper half", "[arch][x86_64][regs]") {
  arch::RegisterBlocks b;
  std::memset(b.gpr, 0xff, sizeof b.gpr);
  write(b, X86_64Reg::Eflags, bytes<std::uint32_t>(0x202));
  CHECK(load<std::uint64_t>(b.gpr + 144) == 0x202);
  write(b, X86_64Reg::Gs, bytes<std::uint32_t>(0));
  CHECK(load<std::uint64_t>(b.gpr + offsetof(user_regs_struct, gs)) == 0);
}

TEST_CASE("x87 control writes keep neighbouring FXSAVE fields", "[arch][x86_64][regs]") {
  arch::RegisterBlocks b = blocks();
  std::memset(b.xsave.data(), 0xa5, 512);
  write(b, X86_64Reg::Fctrl, bytes<std::uint32_t>(0xffff037f));
  CHECK(load<std::uint16_t>(b.xsave.data() + 0) == 0x037f);
  CHECK(load<std::uint16_t>(b.xsave.data() + 2) == 0xa5a5);
  write(b, X86_64Reg::Fop, bytes<std::uint32_t>(0xffffffff));
  CHECK(load<std::uint16_t>(b.xsave.data() + 6) == 0x07ff);
  write(b, X86_64Reg::Fiseg, bytes<std::uint32_t>(0x7fff));
  CHECK(load<std::uint64_t>(b.xsave.data() + 8) == 0x00007fffa5a5a5a5);
  write(b, X86_64Reg::Ftag, bytes<std::uint32_t>(0xffff));
  CHECK(b.xsave[4] == 0x00);
  CHECK(b.xsave[5] == 0xa5); // reserved byte untouched
  write(b, X86_64Reg::St0 + 2, pattern(10, 9));
  CHECK(b.xsave[32 + 2 * 16 + 10] == 0xa5); // padding after the 80-bit value untouched
}

TEST_CASE("ftag read uses TOP to find each physical register's value", "[arch][x86_64][regs]") {
  arch::RegisterBlocks b = blocks();
  // TOP = 6: ST(0) is physical 6, ST(1) physical 7. Both in use.
  put<std::uint16_t>(b.xsave.data() + 2, 6 << 11);
  b.xsave[4] = (1 << 6) | (1 << 7);
  // ST(0) = 1.0 (valid), ST(1) = +0.0 (zero).
  const std::uint8_t one[10] = {0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f};
  std::memcpy(b.xsave.data() + 32, one, 10);
  CHECK(read(b, X86_64Reg::Ftag) == bytes<std::uint32_t>(0x4fff)); // phys7=01 phys6=00

  write(b, X86_64Reg::Ftag, bytes<std::uint32_t>(0x4fff));
  CHECK(b.xsave[4] == 0xc0);
}

TEST_CASE("g block size and bad arguments", "[arch][x86_64][regs]") {
  arch::RegisterBlocks b;
  std::memset(b.gpr, 0x11, sizeof b.gpr);
  std::vector<std::uint8_t> wrong(3, 0x77);
  info().read_register(b, X86_64Reg::Rax, wrong); // wrong size: zero-filled, no overrun
  CHECK(wrong == std::vector<std::uint8_t>(3, 0));
  std::vector<std::uint8_t> out(8, 0x77);
  info().read_register(b, 999, out);
  CHECK(out == std::vector<std::uint8_t>(8, 0));
  info().write_register(b, -1, out);
  info().write_register(b, X86_64Reg::Rax, wrong);
  CHECK(load<std::uint64_t>(b.gpr + 80) == 0x1111111111111111);
}
