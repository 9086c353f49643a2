#pragma once
// The x87 tag word in its two shapes. FXSAVE keeps an "abridged" byte (bit i set = physical
// register i is in use); gdb shows and sets the classic 16-bit word (two bits per physical
// register: valid, zero, special or empty), which we must rebuild from the register contents.
#include <cstdint>
#include <span>

namespace arch {

enum class X87Tag : std::uint8_t { Valid = 0, Zero = 1, Special = 2, Empty = 3 };

// Classify one 80-bit extended-precision value (10 little-endian bytes) as the FPU would.
X87Tag x87_classify(std::span<const std::uint8_t, 10> value);

// The full tag word from FXSAVE data: `abridged` (FXSAVE byte 4), `fstat` (for TOP, which maps
// physical registers to stack slots) and `st_space` (ST(0)..ST(7), 16 bytes each, stack order).
std::uint16_t x87_full_tag(std::uint8_t abridged, std::uint16_t fstat,
                           std::span<const std::uint8_t, 128> st_space);

// The abridged byte for a full tag word: a register is in use unless its tag is Empty.
std::uint8_t x87_abridged_tag(std::uint16_t full);

} // namespace arch
