// Which instructions the stub may carry out itself as a plain store (emulated watchpoints),
// and the value each one stores: hand-written encodings, checked against objdump.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arch/x86_64_plain_store.hpp"

namespace {

using arch::x86_64::plain_store;
using arch::x86_64::stored_value;

std::vector<std::uint8_t> bytes(std::string_view hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < hex.size(); i += 3)
    out.push_back(
        static_cast<std::uint8_t>(std::stoul(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

} // namespace

TEST_CASE("register stores, their size, source and memory operand") {
  auto s = plain_store(bytes("48 89 54 c5 b0")); // mov %rdx,-0x50(%rbp,%rax,8)
  REQUIRE(s);
  CHECK(s->size == 8);
  CHECK(s->source_register == 2);
  CHECK_FALSE(s->high_byte);
  CHECK(s->instruction.length == 5);
  REQUIRE(s->instruction.memory);
  CHECK(s->instruction.memory->base == 5);
  CHECK(s->instruction.memory->index == 0);
  CHECK(s->instruction.memory->scale == 8);
  CHECK(s->instruction.memory->displacement == -0x50);

  s = plain_store(bytes("48 89 05 50 2e 00 00")); // mov %rax,0x2e50(%rip)
  REQUIRE(s);
  CHECK(s->size == 8);
  CHECK(s->source_register == 0);
  CHECK(s->instruction.memory->rip_relative);
  CHECK(s->instruction.length == 7);

  s = plain_store(bytes("89 45 fc")); // mov %eax,-0x4(%rbp)
  REQUIRE(s);
  CHECK(s->size == 4);
  s = plain_store(bytes("66 89 45 fc")); // mov %ax,-0x4(%rbp)
  REQUIRE(s);
  CHECK(s->size == 2);
  CHECK(s->instruction.length == 4);
  s = plain_store(bytes("4c 89 7d f8")); // mov %r15,-0x8(%rbp)
  REQUIRE(s);
  CHECK(s->source_register == 15);
  s = plain_store(bytes("64 48 89 04 25 28 00 00 00")); // mov %rax,%fs:0x28
  REQUIRE(s);
  CHECK(s->size == 8);
  CHECK(s->instruction.memory->segment == 0x64);
}

TEST_CASE("byte stores, ah..bh without REX, spl..dil and r8b.. with it") {
  auto s = plain_store(bytes("88 65 ff")); // mov %ah,-0x1(%rbp)
  REQUIRE(s);
  CHECK(s->size == 1);
  CHECK(s->source_register == 0);
  CHECK(s->high_byte);
  CHECK(stored_value(*s, 0x1234) == 0x12);
  s = plain_store(bytes("40 88 65 ff")); // mov %spl,-0x1(%rbp)
  REQUIRE(s);
  CHECK(s->source_register == 4);
  CHECK_FALSE(s->high_byte);
  CHECK(stored_value(*s, 0x1234) == 0x34);
  s = plain_store(bytes("44 88 45 ff")); // mov %r8b,-0x1(%rbp)
  REQUIRE(s);
  CHECK(s->source_register == 8);
}

TEST_CASE("immediate stores, sign-extended to the store's size") {
  auto s = plain_store(bytes("c6 45 ff 80")); // movb $0x80,-0x1(%rbp)
  REQUIRE(s);
  CHECK(s->size == 1);
  CHECK(s->source_register == -1);
  CHECK(stored_value(*s, 0) == 0x80);
  s = plain_store(bytes("48 c7 45 f8 ff ff ff ff")); // movq $-1,-0x8(%rbp)
  REQUIRE(s);
  CHECK(s->size == 8);
  CHECK(stored_value(*s, 0) == 0xffffffffffffffffULL);
  s = plain_store(bytes("66 c7 45 fe 34 12")); // movw $0x1234,-0x2(%rbp)
  REQUIRE(s);
  CHECK(s->size == 2);
  CHECK(stored_value(*s, 0) == 0x1234);
  s = plain_store(bytes("c7 45 fc 78 56 34 12")); // movl $0x12345678,-0x4(%rbp)
  REQUIRE(s);
  CHECK(s->size == 4);
  CHECK(stored_value(*s, 0) == 0x12345678);
  s = plain_store(bytes("c7 05 f0 0f 00 00 01 00 00 00")); // movl $0x1,0xff0(%rip)
  REQUIRE(s);
  CHECK(s->instruction.length == 10);
  CHECK(stored_value(*s, 0) == 1);
}

TEST_CASE("register values are cut to the store's size") {
  auto s = plain_store(bytes("89 45 fc"));
  REQUIRE(s);
  CHECK(stored_value(*s, 0xaabbccdd11223344ULL) == 0x11223344);
  s = plain_store(bytes("48 89 45 f8"));
  REQUIRE(s);
  CHECK(stored_value(*s, 0xaabbccdd11223344ULL) == 0xaabbccdd11223344ULL);
}

TEST_CASE("anything else is not a plain store") {
  CHECK_FALSE(plain_store(bytes("89 c0")));             // mov %eax,%eax: no memory
  CHECK_FALSE(plain_store(bytes("8b 45 fc")));          // a load
  CHECK_FALSE(plain_store(bytes("48 83 45 f8 01")));    // addq $1: reads and writes flags
  CHECK_FALSE(plain_store(bytes("48 01 45 f8")));       // add %rax,-0x8(%rbp)
  CHECK_FALSE(plain_store(bytes("c6 f8 00")));          // xabort
  CHECK_FALSE(plain_store(bytes("c7 f8 00 00 00 00"))); // xbegin
  CHECK_FALSE(plain_store(bytes("c6 4d ff 01")));       // C6 /1 is not mov
  CHECK_FALSE(plain_store(bytes("f3 48 89 45 f8")));    // a prefix we do not take
  CHECK_FALSE(plain_store(bytes("67 89 45 fc")));       // 32-bit addressing
  CHECK_FALSE(plain_store(bytes("48 89 45")));          // cut short
  CHECK_FALSE(plain_store(bytes("aa")));                // stos: implicit
  CHECK_FALSE(plain_store(bytes("50")));                // push
}
