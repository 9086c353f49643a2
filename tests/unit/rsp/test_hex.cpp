#include "rsp/hex.hpp"

#include <catch2/catch.hpp>

using namespace rsp;

TEST_CASE("hex encode and decode round-trip", "[hex]") {
  std::vector<std::uint8_t> bytes{0x00, 0x7f, 0x80, 0xff, 0xa5};
  CHECK(hex_encode(bytes) == "007f80ffa5");
  auto back = hex_decode("007F80ffA5");
  REQUIRE(back);
  CHECK(*back == bytes);
  CHECK(hex_encode(std::string_view("hi")) == "6869");
  CHECK(hex_decode_string("6869").value() == "hi");
  CHECK(hex_decode("").value().empty());
}

TEST_CASE("hex decode rejects odd length and non-hex", "[hex]") {
  CHECK_FALSE(hex_decode("abc"));
  CHECK_FALSE(hex_decode("zz"));
  CHECK_FALSE(hex_decode("0g"));
  CHECK_FALSE(hex_decode(" 1"));
}

TEST_CASE("hex numbers parse whole strings only", "[hex]") {
  CHECK(parse_hex_u64("0").value() == 0);
  CHECK(parse_hex_u64("deadBEEF").value() == 0xdeadbeef);
  CHECK(parse_hex_u64("ffffffffffffffff").value() == 0xffffffffffffffffULL);
  CHECK_FALSE(parse_hex_u64(""));
  CHECK_FALSE(parse_hex_u64("-1"));
  CHECK_FALSE(parse_hex_u64("+1"));
  CHECK_FALSE(parse_hex_u64("0x10"));
  CHECK_FALSE(parse_hex_u64("12 "));
  CHECK_FALSE(parse_hex_u64("1g"));
  CHECK(parse_hex_u64("10000000000000000").error() ==
        std::make_error_code(std::errc::result_out_of_range));
  CHECK(parse_hex_int("7fffffff").value() == 0x7fffffff);
  CHECK_FALSE(parse_hex_int("80000000"));
  CHECK(to_hex(0) == "0");
  CHECK(to_hex(0xabc) == "abc");
}
