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

// Byte offsets in the 64-bit FXSAVE image (the XSAVE area's legacy region).
constexpr std::size_t fx_fcw = 0, fx_fsw = 2, fx_ftw = 4, fx_fop = 6;
constexpr std::size_t fx_fip = 8, fx_fdp = 16, fx_mxcsr = 24;
constexpr std::size_t fx_st0 = 32, fx_xmm0 = 160;

// Init-state values (what a component whose XSTATE_BV bit is clear holds).
constexpr std::uint32_t fcw_init = 0x037f, ftag_init = 0xffff, mxcsr_init = 0x1f80;

constexpr RegisterInfo g(std::string_view name, int bits, GprSlot slot) {
  return {name, bits, RegBlock::Gpr, gpr(slot), -1};
}
constexpr RegisterInfo x87(std::string_view name, int bits, std::size_t offset) {
  return {name, bits, RegBlock::Xsave, offset, XsaveX87};
}
constexpr RegisterInfo sse(std::string_view name, int bits, std::size_t offset) {
  return {name, bits, RegBlock::Xsave, offset, XsaveSse};
}
// Extended registers: offset within their component, which the layout places.
constexpr RegisterInfo ext(std::string_view name, int bits, int component, std::size_t offset) {
  return {name, bits, RegBlock::Xsave, offset, component};
}

// fiseg/foseg: with 64-bit FXSAVE, FIP/FDP are 64-bit; like gdb's amd64 code we show the low
// half as fioff/fooff and the high half as fiseg/foseg.
constexpr std::array<RegisterInfo, X86_64Reg::Count> base_table = {{
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
    x87("st0", 80, fx_st0 + 0 * 16),
    x87("st1", 80, fx_st0 + 1 * 16),
    x87("st2", 80, fx_st0 + 2 * 16),
    x87("st3", 80, fx_st0 + 3 * 16),
    x87("st4", 80, fx_st0 + 4 * 16),
    x87("st5", 80, fx_st0 + 5 * 16),
    x87("st6", 80, fx_st0 + 6 * 16),
    x87("st7", 80, fx_st0 + 7 * 16),
    x87("fctrl", 32, fx_fcw),
    x87("fstat", 32, fx_fsw),
    x87("ftag", 32, fx_ftw),
    x87("fiseg", 32, fx_fip + 4),
    x87("fioff", 32, fx_fip),
    x87("foseg", 32, fx_fdp + 4),
    x87("fooff", 32, fx_fdp),
    x87("fop", 32, fx_fop),
    sse("xmm0", 128, fx_xmm0 + 0 * 16),
    sse("xmm1", 128, fx_xmm0 + 1 * 16),
    sse("xmm2", 128, fx_xmm0 + 2 * 16),
    sse("xmm3", 128, fx_xmm0 + 3 * 16),
    sse("xmm4", 128, fx_xmm0 + 4 * 16),
    sse("xmm5", 128, fx_xmm0 + 5 * 16),
    sse("xmm6", 128, fx_xmm0 + 6 * 16),
    sse("xmm7", 128, fx_xmm0 + 7 * 16),
    sse("xmm8", 128, fx_xmm0 + 8 * 16),
    sse("xmm9", 128, fx_xmm0 + 9 * 16),
    sse("xmm10", 128, fx_xmm0 + 10 * 16),
    sse("xmm11", 128, fx_xmm0 + 11 * 16),
    sse("xmm12", 128, fx_xmm0 + 12 * 16),
    sse("xmm13", 128, fx_xmm0 + 13 * 16),
    sse("xmm14", 128, fx_xmm0 + 14 * 16),
    sse("xmm15", 128, fx_xmm0 + 15 * 16),
    sse("mxcsr", 32, fx_mxcsr), // also in use when only AVX is (see in_use)
    g("orig_rax", 64, OrigRaxSlot),
    g("fs_base", 64, FsBaseSlot),
    g("gs_base", 64, GsBaseSlot),
}};

constexpr std::string_view ymmh_names[32] = {
    "ymm0h",  "ymm1h",  "ymm2h",  "ymm3h",  "ymm4h",  "ymm5h",  "ymm6h",  "ymm7h",
    "ymm8h",  "ymm9h",  "ymm10h", "ymm11h", "ymm12h", "ymm13h", "ymm14h", "ymm15h",
    "ymm16h", "ymm17h", "ymm18h", "ymm19h", "ymm20h", "ymm21h", "ymm22h", "ymm23h",
    "ymm24h", "ymm25h", "ymm26h", "ymm27h", "ymm28h", "ymm29h", "ymm30h", "ymm31h"};
constexpr std::string_view xmm_hi_names[16] = {"xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21",
                                               "xmm22", "xmm23", "xmm24", "xmm25", "xmm26", "xmm27",
                                               "xmm28", "xmm29", "xmm30", "xmm31"};
constexpr std::string_view k_names[8] = {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"};
constexpr std::string_view zmmh_names[32] = {
    "zmm0h",  "zmm1h",  "zmm2h",  "zmm3h",  "zmm4h",  "zmm5h",  "zmm6h",  "zmm7h",
    "zmm8h",  "zmm9h",  "zmm10h", "zmm11h", "zmm12h", "zmm13h", "zmm14h", "zmm15h",
    "zmm16h", "zmm17h", "zmm18h", "zmm19h", "zmm20h", "zmm21h", "zmm22h", "zmm23h",
    "zmm24h", "zmm25h", "zmm26h", "zmm27h", "zmm28h", "zmm29h", "zmm30h", "zmm31h"};

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

bool valid(const ArchInfo &arch, int regnum, std::size_t size) {
  return regnum >= 0 && static_cast<std::size_t>(regnum) < arch.registers.size() &&
         size ==
             static_cast<std::size_t>(arch.registers[static_cast<std::size_t>(regnum)].bitsize) / 8;
}

// Whether the XSAVE block has a header (it is an XSAVE image, not just FXSAVE's 512 bytes).
bool has_header(const RegisterBlocks &blocks) {
  return blocks.xsave.size() >= xsave_header_offset + xsave_header_size;
}

std::uint64_t xstate_bv(const RegisterBlocks &blocks) {
  std::uint64_t bv = 0;
  std::memcpy(&bv, blocks.xsave.data() + xsave_header_offset, sizeof bv);
  return bv;
}

// Whether the block holds the register's bytes, rather than its component being in its init
// state (XSTATE_BV bit clear) or absent.
bool in_use(const RegisterBlocks &blocks, const RegisterInfo &reg, int regnum) {
  if (!has_header(blocks))
    return reg.xfeature <= XsaveSse && blocks.xsave.size() >= xsave_legacy_size;
  const std::uint64_t bv = xstate_bv(blocks);
  if (regnum == X86_64Reg::Mxcsr) // XSAVE saves MXCSR with either SSE or AVX state
    return bv & ((1u << XsaveSse) | (1u << XsaveAvx));
  return (bv >> reg.xfeature) & 1;
}

// Whether the XSAVE block is big enough to hold the register (the legacy fields need the
// whole legacy region, for ftag).
bool fits(const RegisterBlocks &blocks, const RegisterInfo &reg) {
  if (reg.xfeature <= XsaveSse)
    return blocks.xsave.size() >= xsave_legacy_size;
  return reg.offset + static_cast<std::size_t>(reg.bitsize) / 8 <= blocks.xsave.size();
}

void init_value(int regnum, std::span<std::uint8_t> out) {
  std::fill(out.begin(), out.end(), 0);
  if (regnum == X86_64Reg::Fctrl)
    store_u32(out, fcw_init);
  else if (regnum == X86_64Reg::Ftag)
    store_u32(out, ftag_init);
  else if (regnum == X86_64Reg::Mxcsr)
    store_u32(out, mxcsr_init);
}

// gdb's bytes -> block, for an XSAVE-block register known to fit.
void store_xsave(RegisterBlocks &blocks, int regnum, const RegisterInfo &reg,
                 std::span<const std::uint8_t> in) {
  std::uint8_t *fpx = blocks.xsave.data();
  if (regnum == X86_64Reg::Ftag) {
    fpx[fx_ftw] = x87_abridged_tag(static_cast<std::uint16_t>(load_u32(in)));
  } else if (is_fpx_u16(regnum)) {
    std::uint32_t v = load_u32(in);
    if (regnum == X86_64Reg::Fop)
      v &= 0x7ff;
    const auto v16 = static_cast<std::uint16_t>(v);
    std::memcpy(fpx + reg.offset, &v16, sizeof v16);
  } else {
    std::memcpy(fpx + reg.offset, in.data(), in.size()); // st: the 6 pad bytes stay as they are
  }
}

// Put `component` in the block in its init state and mark it in use, before one of its
// registers is written: the kernel ignores a component whose XSTATE_BV bit is clear.
void take_out_of_init(const ArchInfo &arch, RegisterBlocks &blocks, int component) {
  std::uint64_t bv = xstate_bv(blocks);
  std::array<std::uint8_t, 64> init{};
  for (std::size_t r = 0; r < arch.registers.size(); ++r) {
    const RegisterInfo &reg = arch.registers[r];
    if (reg.block != RegBlock::Xsave || reg.xfeature != component || !fits(blocks, reg))
      continue;
    const int regnum = static_cast<int>(r);
    if (regnum == X86_64Reg::Mxcsr && (bv & (1u << XsaveAvx)))
      continue; // in use with the AVX state
    const auto value =
        std::span<std::uint8_t>(init).first(static_cast<std::size_t>(reg.bitsize) / 8);
    init_value(regnum, value);
    store_xsave(blocks, regnum, reg, value);
  }
  bv |= std::uint64_t{1} << component;
  std::memcpy(blocks.xsave.data() + xsave_header_offset, &bv, sizeof bv);
}

} // namespace

std::vector<RegisterInfo> x86_64_registers(const XsaveLayout &layout) {
  std::vector<RegisterInfo> regs(base_table.begin(), base_table.end());
  auto add = [&](std::string_view name, int bits, int component, std::size_t offset) {
    regs.push_back(
        ext(name, bits, component, layout.offset[static_cast<std::size_t>(component)] + offset));
  };
  if (layout.has_avx())
    for (std::size_t i = 0; i < 16; ++i)
      add(ymmh_names[i], 128, XsaveAvx, 16 * i);
  if (layout.has_avx512()) {
    for (std::size_t i = 0; i < 16; ++i) // each of zmm16..31 is 64 bytes in Hi16_ZMM
      add(xmm_hi_names[i], 128, XsaveHi16Zmm, 64 * i);
    for (std::size_t i = 0; i < 16; ++i)
      add(ymmh_names[16 + i], 128, XsaveHi16Zmm, 64 * i + 16);
    for (std::size_t i = 0; i < 8; ++i)
      add(k_names[i], 64, XsaveOpmask, 8 * i);
    for (std::size_t i = 0; i < 16; ++i)
      add(zmmh_names[i], 256, XsaveZmmHi256, 32 * i);
    for (std::size_t i = 0; i < 16; ++i)
      add(zmmh_names[16 + i], 256, XsaveHi16Zmm, 64 * i + 32);
  }
  if (layout.has_pkru())
    add("pkru", 32, XsavePkru, 0);
  return regs;
}

void x86_64_read_register(const ArchInfo &arch, const RegisterBlocks &blocks, int regnum,
                          std::span<std::uint8_t> out) {
  if (!valid(arch, regnum, out.size())) {
    std::fill(out.begin(), out.end(), 0);
    return;
  }
  const RegisterInfo &reg = arch.registers[static_cast<std::size_t>(regnum)];
  if (reg.block == RegBlock::Gpr) {
    // 32-bit views of 64-bit user_regs slots take the low half.
    std::memcpy(out.data(), blocks.gpr + reg.offset, out.size());
    return;
  }
  if (!fits(blocks, reg) || !in_use(blocks, reg, regnum)) {
    init_value(regnum, out);
    return;
  }
  const std::uint8_t *fpx = blocks.xsave.data();
  if (regnum == X86_64Reg::Ftag) {
    const auto st_space = std::span<const std::uint8_t, 128>(fpx + fx_st0, 128);
    store_u32(out, x87_full_tag(fpx[fx_ftw], load_u16(fpx + fx_fsw), st_space));
  } else if (is_fpx_u16(regnum)) {
    std::uint32_t v = load_u16(fpx + reg.offset);
    if (regnum == X86_64Reg::Fop)
      v &= 0x7ff; // the opcode is 11 bits
    store_u32(out, v);
  } else {
    std::memcpy(out.data(), fpx + reg.offset, out.size());
  }
}

RegBlock x86_64_write_register(const ArchInfo &arch, RegisterBlocks &blocks, int regnum,
                               std::span<const std::uint8_t> in) {
  if (!valid(arch, regnum, in.size()))
    return RegBlock::Gpr; // nothing changed; callers validate regnums first
  const RegisterInfo &reg = arch.registers[static_cast<std::size_t>(regnum)];
  if (reg.block == RegBlock::Gpr) {
    // eflags and the selectors are 64-bit slots in user_regs; their upper halves are zero.
    std::uint64_t slot = 0;
    std::memcpy(&slot, in.data(), in.size());
    std::memcpy(blocks.gpr + reg.offset, &slot, sizeof slot);
    return RegBlock::Gpr;
  }
  if (!fits(blocks, reg))
    return RegBlock::Xsave; // the kernel gave no room for it: nothing to write back
  if (has_header(blocks) && !in_use(blocks, reg, regnum))
    take_out_of_init(arch, blocks, reg.xfeature);
  store_xsave(blocks, regnum, reg, in);
  return RegBlock::Xsave;
}

} // namespace arch
