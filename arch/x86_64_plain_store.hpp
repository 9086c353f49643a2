#pragma once
// The plain `mov` to memory (88, 89, C6 /0, C7 /0): the stores a debugger can carry out
// itself instead of single-stepping the program through them (emulated watchpoints).
// They change no flags and no register, and store one value of 1, 2, 4 or 8 bytes.
#include "arch/x86_64_insn.hpp"

#include <cstdint>
#include <optional>
#include <span>

namespace arch::x86_64 {

struct PlainStore {
  std::uint8_t size = 0; // bytes stored: 1, 2, 4 or 8
  // The value's source: a register in the hardware's numbering (0 rax .. 15 r15), with
  // high_byte for ah/ch/dh/bh (register 0-3, bits 8-15), or an immediate (register -1),
  // already sign-extended to the store's size.
  int source_register = -1;
  bool high_byte = false;
  std::int64_t immediate = 0;
  Instruction instruction; // length and memory operand
};

// The instruction at the start of `code` if it is a plain mov store with a memory operand
// decode() describes; nullopt for anything else (other prefixes than 66, REX, fs/gs
// included).
std::optional<PlainStore> plain_store(std::span<const std::uint8_t> code);
// The same, given decode()'s result for `code` (the caller has it already).
std::optional<PlainStore> plain_store(std::span<const std::uint8_t> code,
                                      const Instruction &decoded);

// The bytes stored, little-endian, from the value of the source register (or the
// immediate), given that register's full 64-bit value.
std::uint64_t stored_value(const PlainStore &store, std::uint64_t source_value);

} // namespace arch::x86_64
