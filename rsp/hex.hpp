#pragma once
// Hex text <-> bytes and hex numbers, as the remote protocol writes them (lowercase on output,
// either case on input, no "0x" prefix, no sign).
#include "rsp/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rsp {

// "a1b2" for {0xa1, 0xb2}.
std::string hex_encode(std::span<const std::uint8_t> bytes);
std::string hex_encode(std::string_view text);

// Rejects odd lengths and non-hex characters (errc::invalid_argument).
Result<std::vector<std::uint8_t>> hex_decode(std::string_view hex);
Result<std::string> hex_decode_string(std::string_view hex);

// A whole string as an unsigned hex number: non-empty, hex digits only, no overflow.
Result<std::uint64_t> parse_hex_u64(std::string_view text);
// The same, limited to int (for signals, register numbers, fds, flags).
Result<int> parse_hex_int(std::string_view text);

// The same, limited to int64 (pids and thread ids).
Result<std::int64_t> parse_hex_i64(std::string_view text);

// Lowercase hex without leading zeros ("0" for zero).
std::string to_hex(std::uint64_t value);

// One hex digit's value, -1 for anything else; and the digits we write.
int hex_nibble(char c);
inline constexpr char hex_digit_chars[] = "0123456789abcdef";

} // namespace rsp
