#pragma once
// x86-64 register tables (gdb numbering = order in our target XML) and the conversions between
// gdb's register bytes and the kernel's blocks (user_regs_struct and the XSAVE area).
#include <cstdint>
#include <span>
#include <vector>

#include "arch/arch.hpp"
#include "arch/x86_64_xsave.hpp"

namespace arch {

// gdb register numbers of our x86-64 descriptions. 0..59 are in every variant; the AVX and
// AVX-512 numbers hold when those features are present; pkru comes last, after whatever
// vector registers the variant has.
struct X86_64Reg {
  enum : int {
    Rax = 0,
    Rbx,
    Rcx,
    Rdx,
    Rsi,
    Rdi,
    Rbp,
    Rsp,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    Rip = 16,
    Eflags,
    Cs,
    Ss,
    Ds,
    Es,
    Fs,
    Gs,
    St0 = 24, // st0..st7 = 24..31
    Fctrl = 32,
    Fstat,
    Ftag,
    Fiseg,
    Fioff,
    Foseg,
    Fooff,
    Fop,
    Xmm0 = 40, // xmm0..xmm15 = 40..55
    Mxcsr = 56,
    OrigRax = 57,
    FsBase = 58,
    GsBase,
    Count = 60,  // registers without AVX
    Ymm0h = 60,  // ymm0h..ymm15h = 60..75 (org.gnu.gdb.i386.avx)
    Xmm16 = 76,  // xmm16..xmm31 = 76..91 (org.gnu.gdb.i386.avx512, then...)
    Ymm16h = 92, // ymm16h..ymm31h = 92..107
    K0 = 108,    // k0..k7 = 108..115
    Zmm0h = 116, // zmm0h..zmm31h = 116..147
  };
};

// The registers of the variant that `layout` enables, with their offsets in its XSAVE area.
std::vector<RegisterInfo> x86_64_registers(const XsaveLayout &layout);

void x86_64_read_register(const ArchInfo &arch, const RegisterBlocks &blocks, int regnum,
                          std::span<std::uint8_t> out);
RegBlock x86_64_write_register(const ArchInfo &arch, RegisterBlocks &blocks, int regnum,
                               std::span<const std::uint8_t> in);

// The x86-64 description for `layout` (what x86_64_native() returns for this machine's layout).
ArchInfo x86_64_for(const XsaveLayout &layout);

} // namespace arch
