#include "rsp/hex.hpp"

#include <charconv>
#include <limits>

namespace rsp {

int hex_nibble(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

Result<std::int64_t> parse_hex_i64(std::string_view text) {
  auto value = parse_hex_u64(text);
  if (!value)
    return fail(value.error());
  if (*value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return fail(std::errc::result_out_of_range);
  return static_cast<std::int64_t>(*value);
}

std::string hex_encode(std::span<const std::uint8_t> bytes) {
  std::string out(bytes.size() * 2, '\0');
  char *o = out.data();
  for (std::uint8_t b : bytes) {
    *o++ = hex_digit_chars[b >> 4];
    *o++ = hex_digit_chars[b & 0xf];
  }
  return out;
}

std::string hex_encode(std::string_view text) {
  return hex_encode(std::span(reinterpret_cast<const std::uint8_t *>(text.data()), text.size()));
}

Result<std::vector<std::uint8_t>> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0)
    return fail(std::errc::invalid_argument);
  std::vector<std::uint8_t> out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_nibble(hex[i]);
    int lo = hex_nibble(hex[i + 1]);
    if (hi < 0 || lo < 0)
      return fail(std::errc::invalid_argument);
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

Result<std::string> hex_decode_string(std::string_view hex) {
  auto bytes = hex_decode(hex);
  if (!bytes)
    return fail(bytes.error());
  return std::string(bytes->begin(), bytes->end());
}

Result<std::uint64_t> parse_hex_u64(std::string_view text) {
  // from_chars accepts neither a sign nor "0x" for unsigned base 16; check the digits
  // ourselves anyway so that the whole string must be consumed.
  if (text.empty())
    return fail(std::errc::invalid_argument);
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (ec == std::errc::result_out_of_range)
    return fail(std::errc::result_out_of_range);
  if (ec != std::errc{} || ptr != text.data() + text.size())
    return fail(std::errc::invalid_argument);
  return value;
}

Result<int> parse_hex_int(std::string_view text) {
  auto value = parse_hex_u64(text);
  if (!value)
    return fail(value.error());
  if (*value > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
    return fail(std::errc::result_out_of_range);
  return static_cast<int>(*value);
}

std::string to_hex(std::uint64_t value) {
  char buf[17];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value, 16);
  (void)ec;
  return std::string(buf, ptr);
}

} // namespace rsp
