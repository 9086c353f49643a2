#pragma once
// Machine code appended byte by byte, with short and near jumps bound once their target is
// known: what the agent compiler and the jump-pad builder write with.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace arch::x86_64 {

class Emitter {
public:
  void bytes(std::initializer_list<std::uint8_t> b) {
    for (auto x : b) // not insert(): GCC 12 -O3 warns falsely (stringop-overflow)
      code.push_back(x);
  }
  void u32(std::uint32_t v) { little_endian(v, 4); }
  void u64(std::uint64_t v) { little_endian(v, 8); }

  // A short jump (opcode 0xeb or 0x7X) to a later bind8(); returns its rel8 field.
  std::size_t jump8(std::uint8_t opcode) {
    bytes({opcode, 0});
    return code.size() - 1;
  }
  void bind8(std::size_t field) {
    code[field] = static_cast<std::uint8_t>(code.size() - (field + 1)); // callers keep it < 128
  }

  // A rel32 field whose target is filled in later; returns its offset.
  std::size_t rel32_placeholder() {
    u32(0);
    return code.size() - 4;
  }
  bool patch_rel32(std::size_t field, std::size_t target) {
    auto rel = static_cast<std::int64_t>(target) - static_cast<std::int64_t>(field + 4);
    return put_rel32(field, rel);
  }
  bool put_rel32(std::size_t field, std::int64_t rel) {
    if (rel < INT32_MIN || rel > INT32_MAX)
      return false;
    auto v = static_cast<std::uint32_t>(static_cast<std::int32_t>(rel));
    for (std::size_t i = 0; i < 4; ++i)
      code[field + i] = static_cast<std::uint8_t>(v >> (8 * i));
    return true;
  }

  std::vector<std::uint8_t> code;

private:
  void little_endian(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i)
      code.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
};

} // namespace arch::x86_64
