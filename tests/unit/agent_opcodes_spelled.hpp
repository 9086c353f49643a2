#pragma once
// Test-side spelling of gdb's agent-expression opcodes (the manual's numbers, written out
// apart from rsp/agent_opcodes.hpp so tests do not take the table they check on trust).
#include <cstdint>

// Spelled as in the manual, so that test bytecode reads like a listing.
namespace op {
constexpr std::uint8_t float_ = 0x01, add = 0x02, sub = 0x03, mul = 0x04, div_signed = 0x05,
                       div_unsigned = 0x06, rem_signed = 0x07, rem_unsigned = 0x08, lsh = 0x09,
                       rsh_signed = 0x0a, rsh_unsigned = 0x0b, trace = 0x0c, trace_quick = 0x0d,
                       log_not = 0x0e, bit_and = 0x0f, bit_or = 0x10, bit_xor = 0x11,
                       bit_not = 0x12, equal = 0x13, less_signed = 0x14, less_unsigned = 0x15,
                       ext = 0x16, ref8 = 0x17, ref16 = 0x18, ref32 = 0x19, ref64 = 0x1a,
                       ref_float = 0x1b, ref_double = 0x1c, ref_long_double = 0x1d, l_to_d = 0x1e,
                       d_to_l = 0x1f, if_goto = 0x20, goto_ = 0x21, const8 = 0x22, const16 = 0x23,
                       const32 = 0x24, const64 = 0x25, reg = 0x26, end = 0x27, dup = 0x28,
                       pop = 0x29, zero_ext = 0x2a, swap = 0x2b, getv = 0x2c, setv = 0x2d,
                       tracev = 0x2e, tracenz = 0x2f, trace16 = 0x30, pick = 0x32, rot = 0x33,
                       printf = 0x34;
} // namespace op
