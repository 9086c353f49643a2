#pragma once
// Per-architecture facts: register table, target description, breakpoint instruction.
// No ptrace here: registers are read from and written to the raw kernel blocks that the
// stub fetched (user_regs_struct and the XSAVE area on x86-64).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arch {

// Where a register's value lives among the kernel blocks.
enum class RegBlock {
  Gpr,   // struct user_regs_struct (PTRACE_GETREGS)
  Xsave, // the XSAVE area in standard format (PTRACE_GETREGSET NT_X86_XSTATE); its first 512
         // bytes are the FXSAVE area, which is all there is without XSAVE (PTRACE_GETFPREGS)
};

struct RegisterInfo {
  std::string_view name;
  int bitsize = 0; // gdb's size in bits
  RegBlock block = RegBlock::Gpr;
  std::size_t offset = 0; // byte offset within the block
  int xfeature = -1;      // XSAVE state component holding it (XSTATE_BV bit), -1: none
};

// The raw kernel register blocks of one thread, as fetched by the stub.
struct RegisterBlocks {
  static constexpr std::size_t gpr_size = 27 * 8; // sizeof(user_regs_struct) on x86-64
  static constexpr std::size_t fxsave_size = 512; // sizeof(user_fpregs_struct)
  alignas(16) std::uint8_t gpr[gpr_size] = {};
  // As many bytes as the kernel gave: 512 (FXSAVE only) or its whole XSAVE area. Reads past
  // the end give init-state zeros; writes past the end are dropped.
  std::vector<std::uint8_t> xsave;
};

struct ArchInfo {
  std::string_view name;               // "i386:x86-64"
  std::vector<RegisterInfo> registers; // index = gdb regnum = order in the XML
  int pc_regnum = 0;
  int sp_regnum = 0;
  int fp_regnum = 0;
  int thread_pointer_regnum = 0;            // where TLS is found from (fs_base on x86-64)
  std::span<const int> expedited;           // regnums sent in every T stop reply
  std::span<const std::uint8_t> breakpoint; // software breakpoint instruction
  int decr_pc_after_break = 0;              // the kernel leaves PC this far past the breakpoint
  // Bytes to offer the kernel for the XSAVE block (it says how many it filled); 0 when the
  // CPU or OS has no XSAVE and the block is the 512-byte FXSAVE area.
  std::size_t xsave_size = 0;

  // qXfer:features:read annex ("target.xml" and the files it includes).
  std::optional<std::string_view> feature_file(std::string_view annex) const;
  // Total size of gdb's `g` block (sum of register sizes).
  std::size_t g_size() const;
  // gdb's bytes of register `regnum` from the kernel blocks (out.size() == bitsize/8).
  void read_register(const RegisterBlocks &blocks, int regnum, std::span<std::uint8_t> out) const {
    read_fn(*this, blocks, regnum, out);
  }
  // Store gdb's bytes of register `regnum` into the kernel blocks; returns the block it
  // changed, so the stub writes back only what changed.
  RegBlock write_register(RegisterBlocks &blocks, int regnum,
                          std::span<const std::uint8_t> in) const {
    return write_fn(*this, blocks, regnum, in);
  }

  // Filled in by each architecture.
  std::string target_xml;
  std::vector<std::pair<std::string_view, std::string_view>> features; // included files
  void (*read_fn)(const ArchInfo &arch, const RegisterBlocks &blocks, int regnum,
                  std::span<std::uint8_t> out) = nullptr;
  RegBlock (*write_fn)(const ArchInfo &arch, RegisterBlocks &blocks, int regnum,
                       std::span<const std::uint8_t> in) = nullptr;
};

// x86-64 as this machine runs it: the registers the OS enabled (XCR0) and the CPU's XSAVE
// layout (CPUID leaf 0xD). Computed once.
const ArchInfo &x86_64_native();

} // namespace arch
