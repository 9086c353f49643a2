#pragma once
// Jump pads for breakpoints whose conditions the program evaluates itself: the breakpoint's
// instruction is replaced by a `jmp` to a pad that saves every register in a block on the
// stack (below the red zone), calls the compiled conditions (x86_64_agent_compiler.hpp) and
// then either traps (`int3`: a condition holds, the stub reports the hit) or runs its own
// copy of the instruction and jumps back. A false condition costs no trap at all.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace arch::x86_64 {

inline constexpr std::size_t jump_size = 5;                            // jmp rel32
inline constexpr std::size_t pad_block_size = 18 * 8;                  // the saved registers
inline constexpr std::size_t pad_stack_use = 128 + pad_block_size + 8; // red zone, block, call

// Offset of gdb register N (0 rax ... 7 rsp, 8-15 r8-r15, 16 rip, 17 eflags) in the block.
std::span<const int> pad_register_offsets();

struct JumpPad {
  std::vector<std::uint8_t> code; // to be written at the pad's address
  std::size_t trap = 0;           // offset of the int3 reached when a condition holds
  std::size_t copy = 0;           // offset of the relocated instruction (registers as at the site)
  std::size_t conditions = 0;     // offset of the compiled conditions (rbx = block there)
};

// The pad for the breakpoint at `site`, whose instruction is `instruction` (exactly one,
// at least jump_size bytes), to be placed at `pad_addr`; `conditions` are compiled
// functions (any one returning non-zero reports the hit). nullopt if the instruction cannot
// run from the pad or an address is out of a rel32's reach.
std::optional<JumpPad> build_jump_pad(std::uint64_t pad_addr, std::uint64_t site,
                                      std::span<const std::uint8_t> instruction,
                                      std::span<const std::vector<std::uint8_t>> conditions);

// `jmp rel32` at `from` to `to`; nullopt when out of reach.
std::optional<std::array<std::uint8_t, jump_size>> jump(std::uint64_t from, std::uint64_t to);

// The general registers as they were at the site, from a block the pad saved: written into
// a user_regs_struct image (other fields of `gpr` are left as they are).
void registers_from_block(std::span<const std::uint8_t> block, std::span<std::uint8_t> gpr);

} // namespace arch::x86_64
