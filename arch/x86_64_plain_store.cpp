#include "arch/x86_64_plain_store.hpp"

namespace arch::x86_64 {

std::optional<PlainStore> plain_store(std::span<const std::uint8_t> code) {
  auto insn = decode(code);
  return insn ? plain_store(code, *insn) : std::nullopt;
}

std::optional<PlainStore> plain_store(std::span<const std::uint8_t> code, const Instruction &insn) {
  if (!insn.memory || insn.flow != Flow::Sequential || insn.implicit_store)
    return std::nullopt;
  std::size_t at = 0;
  bool operand_16 = false;
  std::uint8_t rex = 0;
  for (; at < code.size(); ++at) {
    std::uint8_t b = code[at];
    if (b == 0x66)
      operand_16 = true;
    else if (b == 0x64 || b == 0x65)
      continue; // fs/gs: part of the memory operand decode() gives
    else
      break;
  }
  if (at < code.size() && (code[at] & 0xF0) == 0x40)
    rex = code[at++];
  if (at + 1 >= code.size())
    return std::nullopt;
  std::uint8_t opcode = code[at];
  std::uint8_t modrm = code[at + 1];
  int reg = ((modrm >> 3) & 7) | ((rex & 0x04) ? 8 : 0);
  bool wide = (rex & 0x08) != 0;
  std::uint8_t full = wide ? 8 : operand_16 ? 2 : 4;
  PlainStore store;
  store.instruction = insn;
  switch (opcode) {
  case 0x88:
    store.size = 1;
    store.source_register = reg;
    if (!rex && reg >= 4) { // ah, ch, dh, bh
      store.source_register = reg - 4;
      store.high_byte = true;
    }
    break;
  case 0x89:
    store.size = full;
    store.source_register = reg;
    break;
  case 0xC6:
  case 0xC7: {
    if ((modrm & 0x38) != 0) // only /0 is mov
      return std::nullopt;
    store.size = opcode == 0xC6 ? 1 : full;
    std::size_t imm_size = insn.immediate_size;
    std::size_t imm_at = insn.length - imm_size;
    if (imm_size == 0 || imm_size > 4 || imm_at + imm_size > code.size())
      return std::nullopt;
    std::uint64_t raw = 0;
    for (std::size_t i = 0; i < imm_size; ++i)
      raw |= static_cast<std::uint64_t>(code[imm_at + i]) << (8 * i);
    std::uint64_t sign = std::uint64_t{1} << (8 * imm_size - 1);
    store.immediate = static_cast<std::int64_t>((raw ^ sign) - sign); // sign-extended
    break;
  }
  default:
    return std::nullopt;
  }
  return store;
}

std::uint64_t stored_value(const PlainStore &store, std::uint64_t source_value) {
  std::uint64_t value = store.source_register < 0 ? static_cast<std::uint64_t>(store.immediate)
                        : store.high_byte         ? source_value >> 8
                                                  : source_value;
  return store.size == 8 ? value : value & ((std::uint64_t{1} << (8 * store.size)) - 1);
}

} // namespace arch::x86_64
