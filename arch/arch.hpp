#pragma once
// Per-architecture facts: register table, target description, breakpoint instruction.
// No ptrace here: registers are read from and written to the raw kernel blocks that the
// stub fetched (user_regs_struct and the FXSAVE area on x86-64).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace arch {

// Where a register's value lives among the kernel blocks.
enum class RegBlock {
  Gpr, // struct user_regs_struct (PTRACE_GETREGS)
  Fpx, // the 512-byte FXSAVE area, struct user_fpregs_struct (PTRACE_GETFPREGS)
};

struct RegisterInfo {
  std::string_view name;
  int bitsize = 0;        // gdb's size in bits
  RegBlock block = RegBlock::Gpr;
  std::size_t offset = 0; // byte offset within the block
};

// The raw kernel register blocks of one thread, as fetched by the stub.
struct RegisterBlocks {
  static constexpr std::size_t gpr_size = 27 * 8; // sizeof(user_regs_struct) on x86-64
  static constexpr std::size_t fpx_size = 512;    // sizeof(user_fpregs_struct)
  alignas(16) std::uint8_t gpr[gpr_size] = {};
  alignas(16) std::uint8_t fpx[fpx_size] = {};
};

struct ArchInfo {
  std::string_view name; // "i386:x86-64"
  std::span<const RegisterInfo> registers; // index = gdb regnum = order in the XML
  int pc_regnum = 0;
  int sp_regnum = 0;
  int fp_regnum = 0;
  std::span<const int> expedited; // regnums sent in every T stop reply
  std::span<const std::uint8_t> breakpoint; // software breakpoint instruction
  int decr_pc_after_break = 0; // the kernel leaves PC this far past the breakpoint

  // qXfer:features:read annex ("target.xml" and the files it includes).
  std::optional<std::string_view> (*feature_file)(std::string_view annex) = nullptr;
  // Total size of gdb's `g` block (sum of register sizes).
  std::size_t g_size() const;
  // gdb's bytes of register `regnum` from the kernel blocks (out.size() == bitsize/8).
  void (*read_register)(const RegisterBlocks &blocks, int regnum,
                        std::span<std::uint8_t> out) = nullptr;
  // Store gdb's bytes of register `regnum` into the kernel blocks; returns the block
  // it changed, so the stub writes back only what changed.
  RegBlock (*write_register)(RegisterBlocks &blocks, int regnum,
                             std::span<const std::uint8_t> in) = nullptr;
};

const ArchInfo &x86_64();

} // namespace arch
