#pragma once
// x86-64 register table (gdb numbering = order in our target XML) and the conversions between
// gdb's register bytes and the kernel's blocks (user_regs_struct and the 64-bit FXSAVE area).
#include <cstdint>
#include <span>

#include "arch/arch.hpp"

namespace arch {

// gdb register numbers of our x86-64 description.
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
    Count = 60
  };
};

std::span<const RegisterInfo> x86_64_registers();

void x86_64_read_register(const RegisterBlocks &blocks, int regnum, std::span<std::uint8_t> out);
RegBlock x86_64_write_register(RegisterBlocks &blocks, int regnum,
                               std::span<const std::uint8_t> in);

} // namespace arch
