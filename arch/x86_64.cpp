#include "arch/arch.hpp"

#include <array>

#include "arch/x86_64_regs.hpp"
#include "arch/x86_64_xml.hpp"

namespace arch {
namespace {

constexpr std::array<int, 3> expedited = {X86_64Reg::Rbp, X86_64Reg::Rsp, X86_64Reg::Rip};
constexpr std::array<std::uint8_t, 1> int3 = {0xCC};

} // namespace

const ArchInfo &x86_64() {
  static const ArchInfo info = [] {
    ArchInfo a;
    a.name = "i386:x86-64";
    a.registers = x86_64_registers();
    a.pc_regnum = X86_64Reg::Rip;
    a.sp_regnum = X86_64Reg::Rsp;
    a.fp_regnum = X86_64Reg::Rbp;
    a.expedited = expedited;
    a.breakpoint = int3;
    a.decr_pc_after_break = 1; // int3 traps with RIP after the 0xCC byte
    a.feature_file = &x86_64_feature_file;
    a.read_register = &x86_64_read_register;
    a.write_register = &x86_64_write_register;
    return a;
  }();
  return info;
}

} // namespace arch
