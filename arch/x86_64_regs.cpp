#include "arch/x86_64_regs.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "arch/x87_tag.hpp"

namespace arch {
namespace {

// Byte offsets in struct user_regs_struct (<sys/user.h>), 8 bytes per slot.
enum GprSlot : std::size_t {
  R15Slot,
  R14Slot,
  R13Slot,
  R12Slot,
  RbpSlot,
  RbxSlot,
  R11Slot,
  R10Slot,
  R9Slot,
  R8Slot,
  RaxSlot,
  RcxSlot,
  RdxSlot,
  RsiSlot,
  RdiSlot,
  OrigRaxSlot,
  RipSlot,
  CsSlot,
  EflagsSlot,
  RspSlot,
  SsSlot,
  FsBaseSlot,
  GsBaseSlot,
  DsSlot,
  EsSlot,
  FsSlot,
  GsSlot
};
constexpr std::size_t gpr(GprSlot slot) { return slot * 8; }

// Byte offsets in the 64-bit FXSAVE image.
constexpr std::size_t fx_fcw = 0, fx_fsw = 2, fx_ftw = 4, fx_fop = 6;
constexpr std::size_t fx_fip = 8, fx_fdp = 16, fx_mxcsr = 24;
constexpr std::size_t fx_st0 = 32, fx_xmm0 = 160;

constexpr RegisterInfo g(std::string_view name, int bits, GprSlot slot) {
  return {name, bits, RegBlock::Gpr, gpr(slot)};
}
constexpr RegisterInfo f(std::string_view name, int bits, std::size_t offset) {
  return {name, bits, RegBlock::Fpx, offset};
}

// fiseg/foseg: with 64-bit FXSAVE, FIP/FDP are 64-bit; like gdb's amd64 code we show the low
// half as fioff/fooff and the high half as fiseg/foseg.
constexpr std::array<RegisterInfo, X86_64Reg::Count> table = {{
    g("rax", 64, RaxSlot),
    g("rbx", 64, RbxSlot),
    g("rcx", 64, RcxSlot),
    g("rdx", 64, RdxSlot),
    g("rsi", 64, RsiSlot),
    g("rdi", 64, RdiSlot),
    g("rbp", 64, RbpSlot),
    g("rsp", 64, RspSlot),
    g("r8", 64, R8Slot),
    g("r9", 64, R9Slot),
    g("r10", 64, R10Slot),
    g("r11", 64, R11Slot),
    g("r12", 64, R12Slot),
    g("r13", 64, R13Slot),
    g("r14", 64, R14Slot),
    g("r15", 64, R15Slot),
    g("rip", 64, RipSlot),
    g("eflags", 32, EflagsSlot),
    g("cs", 32, CsSlot),
    g("ss", 32, SsSlot),
    g("ds", 32, DsSlot),
    g("es", 32, EsSlot),
    g("fs", 32, FsSlot),
    g("gs", 32, GsSlot),
    f("st0", 80, fx_st0 + 0 * 16),
    f("st1", 80, fx_st0 + 1 * 16),
    f("st2", 80, fx_st0 + 2 * 16),
    f("st3", 80, fx_st0 + 3 * 16),
    f("st4", 80, fx_st0 + 4 * 16),
    f("st5", 80, fx_st0 + 5 * 16),
    f("st6", 80, fx_st0 + 6 * 16),
    f("st7", 80, fx_st0 + 7 * 16),
    f("fctrl", 32, fx_fcw),
    f("fstat", 32, fx_fsw),
    f("ftag", 32, fx_ftw),
    f("fiseg", 32, fx_fip + 4),
    f("fioff", 32, fx_fip),
    f("foseg", 32, fx_fdp + 4),
    f("fooff", 32, fx_fdp),
    f("fop", 32, fx_fop),
    f("xmm0", 128, fx_xmm0 + 0 * 16),
    f("xmm1", 128, fx_xmm0 + 1 * 16),
    f("xmm2", 128, fx_xmm0 + 2 * 16),
    f("xmm3", 128, fx_xmm0 + 3 * 16),
    f("xmm4", 128, fx_xmm0 + 4 * 16),
    f("xmm5", 128, fx_xmm0 + 5 * 16),
    f("xmm6", 128, fx_xmm0 + 6 * 16),
    f("xmm7", 128, fx_xmm0 + 7 * 16),
    f("xmm8", 128, fx_xmm0 + 8 * 16),
    f("xmm9", 128, fx_xmm0 + 9 * 16),
    f("xmm10", 128, fx_xmm0 + 10 * 16),
    f("xmm11", 128, fx_xmm0 + 11 * 16),
    f("xmm12", 128, fx_xmm0 + 12 * 16),
    f("xmm13", 128, fx_xmm0 + 13 * 16),
    f("xmm14", 128, fx_xmm0 + 14 * 16),
    f("xmm15", 128, fx_xmm0 + 15 * 16),
    f("mxcsr", 32, fx_mxcsr),
    g("orig_rax", 64, OrigRaxSlot),
    g("fs_base", 64, FsBaseSlot),
    g("gs_base", 64, GsBaseSlot),
}};

// x87 control fields that are 16 bits in FXSAVE but 32 in gdb.
bool is_fpx_u16(int regnum) {
  return regnum == X86_64Reg::Fctrl || regnum == X86_64Reg::Fstat || regnum == X86_64Reg::Fop;
}

std::uint16_t load_u16(const std::uint8_t *p) {
  std::uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::uint32_t load_u32(std::span<const std::uint8_t> in) {
  std::uint32_t v = 0;
  std::memcpy(&v, in.data(), std::min(in.size(), sizeof v));
  return v;
}

void store_u32(std::span<std::uint8_t> out, std::uint32_t v) {
  std::memcpy(out.data(), &v, std::min(out.size(), sizeof v));
}

bool valid(int regnum, std::size_t size) {
  return regnum >= 0 && regnum < X86_64Reg::Count &&
         size == static_cast<std::size_t>(table[regnum].bitsize) / 8;
}

} // namespace

std::span<const RegisterInfo> x86_64_registers() { return table; }

void x86_64_read_register(const RegisterBlocks &blocks, int regnum, std::span<std::uint8_t> out) {
  if (!valid(regnum, out.size())) {
    std::fill(out.begin(), out.end(), 0);
    return;
  }
  const RegisterInfo &reg = table[regnum];
  const std::uint8_t *fpx = blocks.fpx;
  if (regnum == X86_64Reg::Ftag) {
    const auto st_space = std::span<const std::uint8_t, 128>(fpx + fx_st0, 128);
    store_u32(out, x87_full_tag(fpx[fx_ftw], load_u16(fpx + fx_fsw), st_space));
  } else if (is_fpx_u16(regnum)) {
    std::uint32_t v = load_u16(fpx + reg.offset);
    if (regnum == X86_64Reg::Fop)
      v &= 0x7ff; // the opcode is 11 bits
    store_u32(out, v);
  } else {
    // Everything else is a plain copy; 32-bit views of 64-bit user_regs slots take the low half.
    const std::uint8_t *base = reg.block == RegBlock::Gpr ? blocks.gpr : blocks.fpx;
    std::memcpy(out.data(), base + reg.offset, out.size());
  }
}

RegBlock x86_64_write_register(RegisterBlocks &blocks, int regnum,
                               std::span<const std::uint8_t> in) {
  if (!valid(regnum, in.size()))
    return RegBlock::Gpr; // nothing changed; callers validate regnums first
  const RegisterInfo &reg = table[regnum];
  std::uint8_t *fpx = blocks.fpx;
  if (regnum == X86_64Reg::Ftag) {
    fpx[fx_ftw] = x87_abridged_tag(static_cast<std::uint16_t>(load_u32(in)));
  } else if (is_fpx_u16(regnum)) {
    std::uint32_t v = load_u32(in);
    if (regnum == X86_64Reg::Fop)
      v &= 0x7ff;
    const auto v16 = static_cast<std::uint16_t>(v);
    std::memcpy(fpx + reg.offset, &v16, sizeof v16);
  } else if (reg.block == RegBlock::Gpr) {
    // eflags and the selectors are 64-bit slots in user_regs; their upper halves are zero.
    std::uint64_t slot = 0;
    std::memcpy(&slot, in.data(), in.size());
    std::memcpy(blocks.gpr + reg.offset, &slot, sizeof slot);
  } else {
    std::memcpy(fpx + reg.offset, in.data(), in.size()); // st: the 6 pad bytes stay as they are
  }
  return reg.block;
}

} // namespace arch
