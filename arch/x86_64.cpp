#include "arch/arch.hpp"

#include <array>

#include "arch/x86_64_regs.hpp"
#include "arch/x86_64_xml.hpp"

namespace arch {
namespace {

constexpr std::array<int, 3> expedited = {X86_64Reg::Rbp, X86_64Reg::Rsp, X86_64Reg::Rip};
constexpr std::array<std::uint8_t, 1> int3 = {0xCC};

} // namespace

ArchInfo x86_64_for(const XsaveLayout &layout) {
  ArchInfo a;
  a.name = "i386:x86-64";
  a.registers = x86_64_registers(layout);
  a.pc_regnum = X86_64Reg::Rip;
  a.sp_regnum = X86_64Reg::Rsp;
  a.fp_regnum = X86_64Reg::Rbp;
  a.thread_pointer_regnum = X86_64Reg::FsBase;
  a.expedited = expedited;
  a.breakpoint = int3;
  a.decr_pc_after_break = 1; // int3 traps with RIP after the 0xCC byte
  if (layout.xcr0 != 0) {
    // The kernel's area covers at most what the CPU supports; it says how much it filled.
    a.xsave_size = layout.max_size;
    for (const RegisterInfo &reg : a.registers)
      a.xsave_size = std::max(a.xsave_size, reg.offset + static_cast<std::size_t>(reg.bitsize) / 8);
    a.xsave_size = std::max(a.xsave_size, xsave_header_offset + xsave_header_size);
  }
  a.features = x86_64_features(layout);
  a.target_xml = x86_64_target_xml(a.features);
  a.read_fn = &x86_64_read_register;
  a.write_fn = &x86_64_write_register;
  return a;
}

const ArchInfo &x86_64_native() {
  static const ArchInfo info = x86_64_for(host_xsave_layout());
  return info;
}

} // namespace arch
