#include "arch/x87_tag.hpp"

namespace arch {

X87Tag x87_classify(std::span<const std::uint8_t, 10> value) {
  const unsigned exponent = (value[8] | (value[9] << 8)) & 0x7fff;
  const bool integer_bit = (value[7] & 0x80) != 0;
  bool fraction_zero = (value[7] & 0x7f) == 0;
  for (int i = 0; i < 7; ++i)
    fraction_zero = fraction_zero && value[i] == 0;

  if (exponent == 0x7fff) // infinities and NaNs
    return X87Tag::Special;
  if (exponent == 0) // true zero, or denormal / pseudo-denormal
    return fraction_zero && !integer_bit ? X87Tag::Zero : X87Tag::Special;
  // A normal exponent without the explicit integer bit is an "unnormal".
  return integer_bit ? X87Tag::Valid : X87Tag::Special;
}

std::uint16_t x87_full_tag(std::uint8_t abridged, std::uint16_t fstat,
                           std::span<const std::uint8_t, 128> st_space) {
  const unsigned top = (fstat >> 11) & 7;
  std::uint16_t full = 0;
  for (unsigned phys = 0; phys < 8; ++phys) {
    X87Tag tag = X87Tag::Empty;
    if (abridged & (1u << phys)) {
      // Physical register `phys` is ST((phys - TOP) mod 8); FXSAVE stores stack order.
      const unsigned slot = (phys + 8 - top) % 8;
      tag = x87_classify(st_space.subspan(slot * 16).first<10>());
    }
    full |= static_cast<std::uint16_t>(static_cast<unsigned>(tag) << (2 * phys));
  }
  return full;
}

std::uint8_t x87_abridged_tag(std::uint16_t full) {
  std::uint8_t abridged = 0;
  for (unsigned phys = 0; phys < 8; ++phys)
    if (((full >> (2 * phys)) & 3) != static_cast<unsigned>(X87Tag::Empty))
      abridged |= static_cast<std::uint8_t>(1u << phys);
  return abridged;
}

} // namespace arch
