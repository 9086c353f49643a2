// The x86-64 length/flow decoder and relocator: hand-written encodings for each part of the
// opcode maps, then a table of instructions from libc with the lengths objdump gave them.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arch/x86_64_insn.hpp"

namespace {

using arch::x86_64::decode;
using arch::x86_64::Flow;
using arch::x86_64::relocate;

std::vector<std::uint8_t> bytes(std::string_view hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < hex.size();) {
    if (hex[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(
        static_cast<std::uint8_t>(std::stoul(std::string(hex.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

struct Case {
  const char *hex;
  int length;
  Flow flow = Flow::Sequential;
  std::int64_t displacement = 0;
  int rip_disp_offset = -1;
  int immediate_size = 0;
};

// Decodes exactly, ignores what follows, and refuses every truncation.
void check(const Case &c) {
  INFO(c.hex);
  auto code = bytes(c.hex);
  REQUIRE(static_cast<int>(code.size()) == c.length);
  auto insn = decode(code);
  REQUIRE(insn);
  CHECK(insn->length == c.length);
  CHECK(insn->flow == c.flow);
  CHECK(insn->displacement == c.displacement);
  CHECK(insn->rip_disp_offset == c.rip_disp_offset);
  CHECK(insn->immediate_size == c.immediate_size);
  auto longer = code;
  longer.insert(longer.end(), {0x0f, 0x0b, 0xcc, 0x90});
  auto again = decode(longer);
  REQUIRE(again);
  CHECK(again->length == c.length);
  for (std::size_t n = 0; n < code.size(); ++n) {
    INFO("first " << n << " bytes");
    CHECK_FALSE(decode(std::span(code).first(n)));
  }
}

void check_invalid(std::string_view hex) {
  INFO(hex);
  auto code = bytes(hex);
  code.insert(code.end(), 8, 0x00); // room for any operand: only the opcode may be refused
  CHECK_FALSE(decode(code));
}

std::optional<std::vector<std::uint8_t>> relocated(std::string_view hex, std::uint64_t from,
                                                   std::uint64_t to) {
  auto code = bytes(hex);
  return relocate(code, from, to);
}

} // namespace

TEST_CASE("one-byte opcodes and their immediates", "[arch][insn]") {
  check({"90", 1});
  check({"48 89 e5", 3});                                   // mov %rsp,%rbp
  check({"04 7f", 2, Flow::Sequential, 0, -1, 1});          // add $0x7f,%al
  check({"05 78 56 34 12", 5, Flow::Sequential, 0, -1, 4}); // add $..,%eax
  check({"6a 01", 2, Flow::Sequential, 0, -1, 1});          // push $1
  check({"68 78 56 34 12", 5, Flow::Sequential, 0, -1, 4}); // push $imm32
  check({"6b c0 0a", 3, Flow::Sequential, 0, -1, 1});       // imul $10,%eax,%eax
  check({"69 c0 78 56 34 12", 6, Flow::Sequential, 0, -1, 4});
  check({"83 c4 08", 3, Flow::Sequential, 0, -1, 1}); // add $8,%esp
  check({"81 c4 00 01 00 00", 6, Flow::Sequential, 0, -1, 4});
  check({"c1 e0 04", 3, Flow::Sequential, 0, -1, 1});    // shl $4,%eax
  check({"d3 e0", 2});                                   // shl %cl,%eax
  check({"b0 ff", 2, Flow::Sequential, 0, -1, 1});       // mov $0xff,%al
  check({"a8 01", 2, Flow::Sequential, 0, -1, 1});       // test $1,%al
  check({"e4 60", 2, Flow::Sequential, 0, -1, 1});       // in $0x60,%al
  check({"c6 00 01", 3, Flow::Sequential, 0, -1, 1});    // movb $1,(%rax)
  check({"c8 10 00 01", 4, Flow::Sequential, 0, -1, 3}); // enter $0x10,$1
  check({"c9", 1});                                      // leave
  check({"63 c7", 2});                                   // movsxd %edi,%eax
  check({"f3 a4", 2});                                   // rep movsb
  check({"9b", 1}); // fwait: its own instruction, though objdump joins it to the next
  CHECK(decode(bytes("9b df e0"))->length == 1); // ... so fstsw is fwait, then fnstsw
}

TEST_CASE("REX.W and 66 choose the size of iz and iv immediates", "[arch][insn]") {
  check({"b8 78 56 34 12", 5, Flow::Sequential, 0, -1, 4});
  check({"66 b8 34 12", 4, Flow::Sequential, 0, -1, 2});
  check({"48 b8 f0 de bc 9a 78 56 34 12", 10, Flow::Sequential, 0, -1, 8});    // movabs
  check({"49 bb f8 bf ff ff ff ff f7 ff", 10, Flow::Sequential, 0, -1, 8});    // movabs r11
  check({"66 48 b8 f0 de bc 9a 78 56 34 12", 11, Flow::Sequential, 0, -1, 8}); // W wins
  check({"48 c7 c0 78 56 34 12", 7, Flow::Sequential, 0, -1, 4});              // iz stays imm32
  check({"48 05 78 56 34 12", 6, Flow::Sequential, 0, -1, 4});
  check({"66 05 34 12", 4, Flow::Sequential, 0, -1, 2});
  check({"66 48 05 78 56 34 12", 7, Flow::Sequential, 0, -1, 4});
  check({"66 81 c0 34 12", 5, Flow::Sequential, 0, -1, 2});
  check({"66 83 c0 01", 4, Flow::Sequential, 0, -1, 1}); // ib is never widened
  check({"66 68 34 12", 4, Flow::Sequential, 0, -1, 2}); // pushw
  check({"66 c7 00 34 12", 5, Flow::Sequential, 0, -1, 2});
  check({"66 a9 34 12", 4, Flow::Sequential, 0, -1, 2});
}

TEST_CASE("legacy prefixes in any order, REX only right before the opcode", "[arch][insn]") {
  check({"64 48 8b 04 25 28 00 00 00", 9}); // mov %fs:0x28,%rax
  check({"65 48 8b 04 25 00 00 00 00", 9});
  check({"f0 48 0f b1 0f", 5});                               // lock cmpxchg %rcx,(%rdi)
  check({"f0 ff 0d 2b c0 1a 00", 7, Flow::Sequential, 0, 3}); // lock decl (%rip)
  check({"f3 48 ab", 3});                                     // rep stos %rax
  check({"f2 ae", 2});                                        // repnz scas
  check({"66 f3 90", 3});
  check({"26 2e 36 3e 90", 5});
  check({"67 8b 07", 3});                                   // addr32 mov (%edi),%eax
  check({"48 66 b8 34 12", 5, Flow::Sequential, 0, -1, 2}); // the REX before 66 is ignored
  check({"41 48 b8 00 00 00 00 00 00 00 00", 11, Flow::Sequential, 0, -1, 8}); // last REX
  check({"66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", 15});      // 14 prefixes: 15 bytes
  check_invalid("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90"); // 16 bytes: #GP
  check_invalid("66 66 66 66 66 66 66 66 66 66 66 66 66 66 48 b8"); // imm64 past 15
  CHECK_FALSE(decode({}));
  CHECK_FALSE(decode(bytes("66 f3 2e")));
}

TEST_CASE("ModRM, SIB and displacements", "[arch][insn]") {
  check({"8b 07", 2});                   // (%rdi)
  check({"8b 04 24", 3});                // (%rsp): SIB
  check({"8b 44 24 08", 4});             // disp8(%rsp)
  check({"8b 84 24 00 01 00 00", 7});    // disp32(%rsp)
  check({"8b 47 08", 3});                // disp8
  check({"8b 87 00 01 00 00", 6});       // disp32
  check({"8b 04 25 78 56 34 12", 7});    // SIB without base: disp32, not RIP-relative
  check({"42 8b 04 2d 00 00 00 00", 8}); // (,%r13,1): still no base
  check({"41 8b 45 00", 4});             // 0x0(%r13): mod=01
  check({"41 8b 04 24", 4});             // (%r12): SIB
  check({"8b 44 8d 10", 4});             // 0x10(%rbp,%rcx,4)
  check({"8b 05 d0 2e 00 00", 6, Flow::Sequential, 0, 2});       // RIP-relative
  check({"41 8b 05 d0 2e 00 00", 7, Flow::Sequential, 0, 3});    // REX.B does not change it
  check({"48 8d 3d 00 00 00 00", 7, Flow::Sequential, 0, 3});    // lea
  check({"83 3d 34 12 00 00 05", 7, Flow::Sequential, 0, 2, 1}); // cmpl $5,(%rip)
  check({"c7 05 d0 2e 00 00 01 00 00 00", 10, Flow::Sequential, 0, 2, 4});
  check({"48 c7 05 d0 2e 00 00 ff ff ff ff", 11, Flow::Sequential, 0, 3, 4});
  check({"66 81 3d 34 12 00 00 ff 00", 9, Flow::Sequential, 0, 3, 2});
  check({"67 8b 05 00 00 00 00", 7, Flow::Sequential, 0, 3}); // EIP-relative
  auto eip = decode(bytes("67 8b 05 00 00 00 00"));
  REQUIRE(eip);
  CHECK(eip->address_size_32);
}

TEST_CASE("groups whose immediate, flow or validity depend on ModRM.reg", "[arch][insn]") {
  check({"f6 c1 01", 3, Flow::Sequential, 0, -1, 1});          // test $1,%cl (/0)
  check({"f6 c9 01", 3, Flow::Sequential, 0, -1, 1});          // /1: test too
  check({"f6 d1", 2});                                         // not %cl
  check({"f6 f1", 2});                                         // div %cl
  check({"f7 c1 78 56 34 12", 6, Flow::Sequential, 0, -1, 4}); // test $..,%ecx
  check({"66 f7 c1 34 12", 5, Flow::Sequential, 0, -1, 2});
  check({"48 f7 c1 ff 00 00 00", 7, Flow::Sequential, 0, -1, 4});
  check({"f7 d8", 2});                                           // neg %eax
  check({"f7 f1", 2});                                           // div %ecx
  check({"f6 05 34 12 00 00 80", 7, Flow::Sequential, 0, 2, 1}); // testb $0x80,(%rip)
  check({"f7 05 34 12 00 00 00 00 01 00", 10, Flow::Sequential, 0, 2, 4});
  check({"fe c0", 2}); // inc %al
  check({"ff c0", 2}); // inc %eax
  check({"ff 30", 2}); // push (%rax)
  check({"8f c0", 2}); // pop %rax
  check({"c7 00 01 00 00 00", 6, Flow::Sequential, 0, -1, 4});
  check_invalid("fe d0");             // FE /2
  check_invalid("ff f8");             // FF /7
  check_invalid("ff d8");             // call far needs memory
  check_invalid("ff e8");             // jmp far too
  check_invalid("8f e8 78 c2 c1 08"); // XOP (AMD), not pop
  check_invalid("c6 c8 00");          // C6 /1
  check_invalid("c7 c8 00 00 00 00");
}

TEST_CASE("opcodes gone in 64-bit mode are refused", "[arch][insn]") {
  for (auto hex : {"06", "07", "0e", "16",       "17", "1e", "1f",    "27",    "2f", "37",
                   "3f", "60", "61", "82 c0 01", "9a", "ce", "d4 0a", "d5 0a", "d6", "ea"})
    check_invalid(hex);
}

TEST_CASE("the 0F, 0F 38 and 0F 3A maps", "[arch][insn]") {
  check({"0f a2", 2});                                           // cpuid
  check({"0f 31", 2});                                           // rdtsc
  check({"0f c8", 2});                                           // bswap %eax
  check({"0f af c1", 3});                                        // imul %ecx,%eax
  check({"0f b6 07", 3});                                        // movzbl (%rdi),%eax
  check({"0f 44 c1", 3});                                        // cmove
  check({"0f 94 c0", 3});                                        // sete %al
  check({"0f ba e0 05", 4, Flow::Sequential, 0, -1, 1});         // bt $5,%eax
  check({"0f a4 c1 03", 4, Flow::Sequential, 0, -1, 1});         // shld $3
  check({"0f a5 c1", 3});                                        // shld %cl
  check({"66 0f 70 c1 1b", 5, Flow::Sequential, 0, -1, 1});      // pshufd
  check({"66 0f 73 d8 08", 5, Flow::Sequential, 0, -1, 1});      // psrldq
  check({"0f c2 c1 00", 4, Flow::Sequential, 0, -1, 1});         // cmpeqps
  check({"66 0f c5 c1 03", 5, Flow::Sequential, 0, -1, 1});      // pextrw
  check({"0f c6 c1 00", 4, Flow::Sequential, 0, -1, 1});         // shufps
  check({"66 0f 6f 05 00 01 00 00", 8, Flow::Sequential, 0, 4}); // movdqa (%rip)
  check({"f3 0f 6f 07", 4});                                     // movdqu
  check({"0f ae f0", 3});                                        // mfence
  check({"0f ae 07", 3});                                        // fxsave (%rdi)
  check({"0f 01 d0", 3});                                        // xgetbv
  check({"0f 01 f9", 3});                                        // rdtscp
  check({"0f c7 f0", 3});                                        // rdrand %eax
  check({"0f 0d 08", 3});                                        // prefetchw (%rax)
  check({"0f 18 08", 3});                                        // prefetcht0 (%rax)
  check({"0f 77", 2});                                           // emms
  check({"66 0f 38 00 c1", 5});                                  // pshufb
  check({"0f 38 f0 07", 4});                                     // movbe (%rdi),%eax
  check({"f2 0f 38 f1 c1", 5});                                  // crc32
  check({"66 0f 38 00 05 10 00 00 00", 9, Flow::Sequential, 0, 5});
  check({"66 0f 3a 0f c1 08", 6, Flow::Sequential, 0, -1, 1});             // palignr
  check({"66 0f 3a 63 05 10 00 00 00 1a", 10, Flow::Sequential, 0, 5, 1}); // pcmpistri (%rip)
  check({"0f 3a cc c1 00", 5, Flow::Sequential, 0, -1, 1});                // sha1rnds4
  check({"0f 20 c0", 3});                                                  // mov %cr0,%rax
  check({"0f 20 05", 3});                                      // mod is ignored: no disp32
  check({"0f 23 c0", 3});                                      // mov %rax,%db0
  check({"66 0f 78 c0 04 08", 6, Flow::Sequential, 0, -1, 2}); // extrq $4,$8
  check({"f2 0f 78 c1 04 08", 6, Flow::Sequential, 0, -1, 2}); // insertq $4,$8
  check({"f2 0f 79 c1", 4});                                   // insertq
  check_invalid("0f 0f c1 b4");                                // 3DNow!
  for (auto hex : {"0f 04", "0f 0a", "0f 0c", "0f 24 c0", "0f 36", "0f 39", "0f 3b", "0f 7a",
                   "0f a6", "0f a7"})
    check_invalid(hex);
}

TEST_CASE("NOPs and endbr64", "[arch][insn]") {
  check({"f3 0f 1e fa", 4}); // endbr64
  check({"f3 0f 1e fb", 4}); // endbr32
  check({"66 90", 2});
  check({"0f 1f 00", 3});
  check({"0f 1f 40 00", 4});
  check({"0f 1f 44 00 00", 5});
  check({"66 0f 1f 44 00 00", 6});
  check({"0f 1f 80 00 00 00 00", 7});
  check({"0f 1f 84 00 00 00 00 00", 8});
  check({"66 0f 1f 84 00 00 00 00 00", 9});
  check({"66 2e 0f 1f 84 00 00 00 00 00", 10});
  check({"66 66 2e 0f 1f 84 00 00 00 00 00", 11});
  check({"0f 1f 05 00 00 00 00", 7, Flow::Sequential, 0, 3}); // nopl (%rip)
}

TEST_CASE("x87 opcodes all take ModRM", "[arch][insn]") {
  check({"d9 ee", 2});                                     // fldz
  check({"d9 c9", 2});                                     // fxch
  check({"db 6c 24 08", 4});                               // fldt 8(%rsp)
  check({"dd 05 00 10 00 00", 6, Flow::Sequential, 0, 2}); // fldl (%rip)
  check({"de c1", 2});                                     // faddp
  check({"df e0", 2});                                     // fnstsw %ax
  check({"d8 4c 24 04", 4});                               // fmuls 4(%rsp)
  check({"da 0c 24", 3});                                  // fimull (%rsp)
  check({"dc 0d 00 00 00 00", 6, Flow::Sequential, 0, 2});
}

TEST_CASE("moffs: 8 bytes, 4 with 67", "[arch][insn]") {
  check({"48 a1 88 77 66 55 44 33 22 11", 10, Flow::Sequential, 0, -1, 8});
  check({"a2 88 77 66 55 44 33 22 11", 9, Flow::Sequential, 0, -1, 8});
  check({"67 a1 44 33 22 11", 6, Flow::Sequential, 0, -1, 4});
  check({"66 a3 88 77 66 55 44 33 22 11", 10, Flow::Sequential, 0, -1, 8}); // 66: data, not address
}

TEST_CASE("VEX: two- and three-byte prefixes and their maps", "[arch][insn]") {
  check({"c5 f8 77", 3});                                                  // vzeroupper: no ModRM
  check({"c5 fc 77", 3});                                                  // vzeroall
  check({"c5 fd 6f 07", 4});                                               // vmovdqa (%rdi),%ymm0
  check({"c5 fd 70 c1 1b", 5, Flow::Sequential, 0, -1, 1});                // vpshufd
  check({"c5 f9 c5 c1 00", 5, Flow::Sequential, 0, -1, 1});                // vpextrw
  check({"c5 f4 c2 c2 00", 5, Flow::Sequential, 0, -1, 1});                // vcmpps
  check({"c5 fa 6f 05 00 01 00 00", 8, Flow::Sequential, 0, 4});           // vmovdqu (%rip)
  check({"c4 e2 7d 58 c0", 5});                                            // vpbroadcastd (0F38)
  check({"c4 41 7d fc c2", 5});                                            // vpaddb, map 0F via C4
  check({"c4 e3 7d 18 c1 01", 6, Flow::Sequential, 0, -1, 1});             // vinsertf128 (0F3A)
  check({"c4 e3 79 0f 05 00 01 00 00 08", 10, Flow::Sequential, 0, 5, 1}); // vpalignr (%rip)
  check({"c4 e2 f8 f2 c1", 5});                                            // andn (BMI1)
  check({"c4 e3 fb f0 c1 05", 6, Flow::Sequential, 0, -1, 1});             // rorx
  check({"65 c5 fd 6f 04 25 00 00 00 00", 10}); // segment before VEX: fine
  check_invalid("c4 e0 7d 58 c0");              // map 0
  check_invalid("c4 e4 7d 58 c0");              // map 4
  check_invalid("66 c5 f8 77");                 // 66, F2, F3, F0 or REX before VEX: #UD
  check_invalid("f3 c5 f8 77");
  check_invalid("f0 c5 f8 77");
  check_invalid("48 c5 f8 77");
}

TEST_CASE("EVEX: four-byte prefix, compressed disp8, imm8 for map 3", "[arch][insn]") {
  check({"62 f1 fe 48 6f 01", 6});       // vmovdqu64 (%rcx),%zmm0
  check({"62 f1 7c 48 10 44 24 01", 8}); // vmovups 0x40(%rsp): disp8*N
  check({"62 f1 fe 48 6f 05 00 01 00 00", 10, Flow::Sequential, 0, 6}); // (%rip)
  check({"62 d1 fd 48 6f b3 01 00 00 00", 10});                         // disp32
  check({"62 f2 7d 48 78 18", 6});                                      // vpbroadcastb (0F38)
  check({"62 f3 7d 48 3f c2 00", 7, Flow::Sequential, 0, -1, 1});       // vpcmpeqb (0F3A)
  check({"62 f1 7d 48 72 c8 05", 7, Flow::Sequential, 0, -1, 1});       // vprold $5 (0F 72)
  check({"62 f1 7c 48 c2 c1 00", 7, Flow::Sequential, 0, -1, 1});       // vcmpps (0F C2)
  check({"62 f3 65 28 25 e2 fe", 7, Flow::Sequential, 0, -1, 1});       // vpternlogd
  check({"62 f5 7c 48 58 c1", 6});                                      // vaddph (map 5)
  check({"62 f6 7d 48 98 c1", 6});                                      // vfmadd132ph (map 6)
  check_invalid("62 f0 7c 48 10 c1");                                   // map 0
  check_invalid("62 f4 7c 48 10 c1");                                   // map 4: APX
  check_invalid("62 f7 7c 48 10 c1");                                   // map 7
  check_invalid("62 f1 78 48 10 c1");                                   // P1 bit 2 clear
  check_invalid("66 62 f1 fe 48 6f 01");
  check_invalid("48 62 f1 fe 48 6f 01");
}

TEST_CASE("direct branches carry their sign-extended displacement", "[arch][insn]") {
  check({"e8 19 00 00 00", 5, Flow::Call, 0x19, -1, 4});
  check({"e8 fb ff ff ff", 5, Flow::Call, -5, -1, 4});
  check({"e9 e0 ff ff ff", 5, Flow::Jump, -32, -1, 4});
  check({"e9 00 00 00 80", 5, Flow::Jump, INT32_MIN, -1, 4});
  check({"eb fe", 2, Flow::Jump, -2, -1, 1});
  check({"eb 7f", 2, Flow::Jump, 127, -1, 1});
  check({"74 1e", 2, Flow::ConditionalJump, 0x1e, -1, 1});
  check({"7f 80", 2, Flow::ConditionalJump, -128, -1, 1});
  check({"0f 85 d6 00 00 00", 6, Flow::ConditionalJump, 0xd6, -1, 4});
  check({"0f 8f 73 ff ff ff", 6, Flow::ConditionalJump, -141, -1, 4});
  check({"e0 fe", 2, Flow::ConditionalJump, -2, -1, 1});                // loopne
  check({"e1 10", 2, Flow::ConditionalJump, 16, -1, 1});                // loope
  check({"e2 f0", 2, Flow::ConditionalJump, -16, -1, 1});               // loop
  check({"e3 a9", 2, Flow::ConditionalJump, -87, -1, 1});               // jrcxz
  check({"67 e3 05", 3, Flow::ConditionalJump, 5, -1, 1});              // jecxz
  check({"2e 74 05", 3, Flow::ConditionalJump, 5, -1, 1});              // hint: not taken
  check({"f2 e9 10 00 00 00", 6, Flow::Jump, 16, -1, 4});               // bnd jmp
  check({"f2 e8 10 00 00 00", 6, Flow::Call, 16, -1, 4});               // bnd call
  check({"66 66 48 e8 0b 3b ff ff", 8, Flow::Call, -0xc4f5, -1, 4});    // TLS call: W wins
  check({"c7 f8 00 01 00 00", 6, Flow::ConditionalJump, 0x100, -1, 4}); // xbegin
  // 66: rel16 and a truncated IP on AMD, ignored on Intel; so we cannot tell.
  check_invalid("66 e9 dd 00 00 00");
  check_invalid("66 e8 dd 00 00 00");
  check_invalid("66 eb 10");
  check_invalid("66 74 10");
  check_invalid("66 0f 84 10 00 00 00");
  check_invalid("66 c7 f8 10 00");
}

TEST_CASE("returns, indirect branches, system calls and traps", "[arch][insn]") {
  check({"c3", 1, Flow::Return});
  check({"f2 c3", 2, Flow::Return}); // bnd ret
  check({"f3 c3", 2, Flow::Return}); // repz ret
  check({"c2 08 00", 3, Flow::Return, 0, -1, 2});
  check({"cb", 1, Flow::Return});
  check({"ca 08 00", 3, Flow::Return, 0, -1, 2});
  check({"cf", 1, Flow::Return});                            // iret
  check({"48 cf", 2, Flow::Return});                         // iretq
  check({"ff e0", 2, Flow::IndirectJump});                   // jmp *%rax
  check({"41 ff e3", 3, Flow::IndirectJump});                // jmp *%r11
  check({"3e ff e0", 3, Flow::IndirectJump});                // notrack jmp *%rax
  check({"3e ff 24 c5 00 10 00 00", 8, Flow::IndirectJump}); // notrack jmp *tbl(,%rax,8)
  check({"ff 25 ec cf 1a 00", 6, Flow::IndirectJump, 0, 2}); // jmp *(%rip)
  check({"f2 ff 25 ec cf 1a 00", 7, Flow::IndirectJump, 0, 3});
  check({"ff 2c 24", 3, Flow::IndirectJump});                // ljmp *(%rsp)
  check({"ff d0", 2, Flow::IndirectCall});                   // call *%rax
  check({"41 ff d7", 3, Flow::IndirectCall});                // call *%r15
  check({"ff 15 00 10 00 00", 6, Flow::IndirectCall, 0, 2}); // call *(%rip)
  check({"ff 50 08", 3, Flow::IndirectCall});                // call *8(%rax)
  check({"ff 1c 24", 3, Flow::IndirectCall});                // lcall *(%rsp)
  check({"c6 f8 ff", 3, Flow::IndirectJump, 0, -1, 1});      // xabort: to xbegin's fallback
  check({"0f 05", 2, Flow::SystemCall});                     // syscall
  check({"0f 34", 2, Flow::SystemCall});                     // sysenter
  check({"cd 80", 2, Flow::SystemCall, 0, -1, 1});
  check({"cd 03", 2, Flow::SystemCall, 0, -1, 1});
  check({"f1", 1, Flow::SystemCall}); // int1
  check({"cc", 1, Flow::Trap});
  check({"f4", 1, Flow::Trap});       // hlt
  check({"0f 0b", 2, Flow::Trap});    // ud2
  check({"0f b9 c0", 3, Flow::Trap}); // ud1
  check({"0f ff c0", 3, Flow::Trap}); // ud0
  check({"0f 07", 2, Flow::Trap});    // sysret
  check({"0f 35", 2, Flow::Trap});    // sysexit
  check({"0f aa", 2, Flow::Trap});    // rsm
}

TEST_CASE("relocate adjusts a RIP-relative disp32 to address the same byte", "[arch][insn]") {
  // mov 0x2ed0(%rip),%rdx at 0x401000 reads 0x403ed7; from 0x402000 that is 0x1ed0 away.
  auto moved = relocated("48 8b 15 d0 2e 00 00", 0x401000, 0x402000);
  REQUIRE(moved);
  CHECK(*moved == bytes("48 8b 15 d0 1e 00 00"));
  moved = relocated("48 8b 15 d0 2e 00 00", 0x402000, 0x401000);
  REQUIRE(moved);
  CHECK(*moved == bytes("48 8b 15 d0 3e 00 00"));

  // cmpl $5,0x1234(%rip): the displacement counts from the end, past the imm8.
  moved = relocated("83 3d 34 12 00 00 05", 0x1000, 0x2000);
  REQUIRE(moved);
  CHECK(*moved == bytes("83 3d 34 02 00 00 05"));
  moved = relocated("c7 05 00 00 00 00 78 56 34 12", 0x10000, 0x8000); // movl $..,(%rip)
  REQUIRE(moved);
  CHECK(*moved == bytes("c7 05 00 80 00 00 78 56 34 12"));
  moved = relocated("62 f1 fe 48 6f 05 00 00 00 00", 0x5000, 0x4000); // EVEX
  REQUIRE(moved);
  CHECK(*moved == bytes("62 f1 fe 48 6f 05 00 10 00 00"));
  moved = relocated("c5 fa 6f 05 f0 ff ff ff", 0x5000, 0x6000); // negative disp
  REQUIRE(moved);
  CHECK(*moved == bytes("c5 fa 6f 05 f0 ef ff ff"));
}

TEST_CASE("relocate copies other sequential instructions, the first one only", "[arch][insn]") {
  auto moved = relocated("48 89 e5 c3", 0x1000, 0x7fff'0000'0000);
  REQUIRE(moved);
  CHECK(*moved == bytes("48 89 e5"));
  moved = relocated("8b 04 25 78 56 34 12", 0x1000, 0x7fff'0000'0000); // absolute disp32: as is
  REQUIRE(moved);
  CHECK(*moved == bytes("8b 04 25 78 56 34 12"));
}

TEST_CASE("relocate refuses branches, far displacements and EIP-relative", "[arch][insn]") {
  for (auto hex : {"e8 00 00 00 00", "e9 00 00 00 00", "eb 00", "74 00", "0f 84 00 00 00 00",
                   "e2 00", "c3", "ff e0", "ff 15 00 00 00 00", "ff 25 00 00 00 00", "0f 05", "cc",
                   "0f 0b", "cd 80", "c7 f8 00 00 00 00"}) {
    INFO(hex);
    CHECK_FALSE(relocated(hex, 0x1000, 0x2000));
  }
  CHECK_FALSE(relocated("0f 0f c1 b4", 0x1000, 0x2000)); // undecodable
  CHECK_FALSE(relocated("48 8b 15", 0x1000, 0x2000));    // cut short
  CHECK_FALSE(relocated("67 8b 05 00 00 00 00", 0x1000, 0x2000));

  // A disp32 reaches [-2^31, 2^31) from the end of the instruction.
  CHECK(relocated("8b 05 00 00 00 00", 0x8000'0000, 0x1) == bytes("8b 05 ff ff ff 7f"));
  CHECK_FALSE(relocated("8b 05 00 00 00 00", 0x8000'0001, 0x1));
  CHECK(relocated("8b 05 00 00 00 00", 0x1000, 0x8000'1000) == bytes("8b 05 00 00 00 80"));
  CHECK_FALSE(relocated("8b 05 00 00 00 00", 0x1000, 0x8000'1001));
  CHECK_FALSE(relocated("8b 05 00 00 00 00", 0x7f00'0000'0000, 0x5555'0000'0000));
  // The CPU adds modulo 2^64, and so does relocate.
  CHECK(relocated("8b 05 00 00 00 00", 0xffff'ffff'ffff'f000, 0x0) == bytes("8b 05 00 f0 ff ff"));
}

namespace {

// From `objdump -d -w /usr/lib/x86_64-linux-gnu/libc.so.6` (Debian 12, binutils 2.40): one
// instruction per mnemonic and prefix/opcode shape, plus RIP-relative ones with immediates.
// Flow is what the mnemonic says; displacement is the printed target minus the next address.
// Left out: fwait+fnstsw pairs, which objdump prints as one instruction (fstsw, fstcw).
struct Sample {
  const char *hex;
  const char *text;
  Flow flow;
  std::int64_t displacement;
};

const Sample libc_samples[] = {
    {"ff 35 ea cf 1a 00", "push 0x1acfea(%rip)", Flow::Sequential, 0},
    {"ff 25 ec cf 1a 00", "jmp *0x1acfec(%rip)", Flow::IndirectJump, 0},
    {"0f 1f 40 00", "nopl 0x0(%rax)", Flow::Sequential, 0},
    {"68 34 00 00 00", "push $0x34", Flow::Sequential, 0},
    {"e9 e0 ff ff ff", "jmp 26000", Flow::Jump, -32},
    {"66 90", "xchg %ax,%ax", Flow::Sequential, 0},
    {"50", "push %rax", Flow::Sequential, 0},
    {"e8 19 00 00 00", "call 2639f", Flow::Call, 25},
    {"48 8b 7c 24 10", "mov 0x10(%rsp),%rdi", Flow::Sequential, 0},
    {"55", "push %rbp", Flow::Sequential, 0},
    {"53", "push %rbx", Flow::Sequential, 0},
    {"48 8d 1d c8 ea 1a 00", "lea 0x1aeac8(%rip),%rbx", Flow::Sequential, 0},
    {"48 81 ec a8 00 00 00", "sub $0xa8,%rsp", Flow::Sequential, 0},
    {"64 48 8b 04 25 28 00 00 00", "mov %fs:0x28,%rax", Flow::Sequential, 0},
    {"48 89 84 24 98 00 00 00", "mov %rax,0x98(%rsp)", Flow::Sequential, 0},
    {"31 c0", "xor %eax,%eax", Flow::Sequential, 0},
    {"48 39 2d a6 ea 1a 00", "cmp %rbp,0x1aeaa6(%rip)", Flow::Sequential, 0},
    {"74 1e", "je 263f2", Flow::ConditionalJump, 30},
    {"ba 01 00 00 00", "mov $0x1,%edx", Flow::Sequential, 0},
    {"f0 0f b1 15 8f ea 1a 00", "lock cmpxchg %edx,0x1aea8f(%rip)", Flow::Sequential, 0},
    {"ff 05 7c ea 1a 00", "incl 0x1aea7c(%rip)", Flow::Sequential, 0},
    {"83 3d 81 ea 1a 00 00", "cmpl $0x0,0x1aea81(%rip)", Flow::Sequential, 0},
    {"75 29", "jne 2642a", Flow::ConditionalJump, 41},
    {"41 ba 08 00 00 00", "mov $0x8,%r10d", Flow::Sequential, 0},
    {"bf 01 00 00 00", "mov $0x1,%edi", Flow::Sequential, 0},
    {"c7 05 65 ea 1a 00 01 00 00 00", "movl $0x1,0x1aea65(%rip)", Flow::Sequential, 0},
    {"b8 0e 00 00 00", "mov $0xe,%eax", Flow::Sequential, 0},
    {"48 c7 04 24 20 00 00 00", "movq $0x20,(%rsp)", Flow::Sequential, 0},
    {"0f 05", "syscall", Flow::SystemCall, 0},
    {"8b 05 50 ea 1a 00", "mov 0x1aea50(%rip),%eax", Flow::Sequential, 0},
    {"89 0d 3d ea 1a 00", "mov %ecx,0x1aea3d(%rip)", Flow::Sequential, 0},
    {"ff c8", "dec %eax", Flow::Sequential, 0},
    {"87 05 14 ea 1a 00", "xchg %eax,0x1aea14(%rip)", Flow::Sequential, 0},
    {"7e 08", "jle 26468", Flow::ConditionalJump, 8},
    {"eb 05", "jmp 264b1", Flow::Jump, 5},
    {"b9 26 00 00 00", "mov $0x26,%ecx", Flow::Sequential, 0},
    {"f3 ab", "rep stos %eax,%es:(%rdi)", Flow::Sequential, 0},
    {"f4", "hlt", Flow::Trap, 0},
    {"f7 03 00 80 00 00", "testl $0x8000,(%rbx)", Flow::Sequential, 0},
    {"41 f7 07 00 80 00 00", "testl $0x8000,(%r15)", Flow::Sequential, 0},
    {"49 8b bf 88 00 00 00", "mov 0x88(%r15),%rdi", Flow::Sequential, 0},
    {"0f 0b", "ud2", Flow::Trap, 0},
    {"4c 89 e7", "mov %r12,%rdi", Flow::Sequential, 0},
    {"0f b6 04 25 00 00 00 00", "movzbl 0x0,%eax", Flow::Sequential, 0},
    {"48 85 db", "test %rbx,%rbx", Flow::Sequential, 0},
    {"45 31 e4", "xor %r12d,%r12d", Flow::Sequential, 0},
    {"f3 0f 6f 06", "movdqu (%rsi),%xmm0", Flow::Sequential, 0},
    {"0f 29 04 25 00 00 00 00", "movaps %xmm0,0x0", Flow::Sequential, 0},
    {"0f 11 04 25 0c 00 00 00", "movups %xmm0,0xc", Flow::Sequential, 0},
    {"49 8d bf 30 0a 00 00", "lea 0xa30(%r15),%rdi", Flow::Sequential, 0},
    {"48 83 ec 10", "sub $0x10,%rsp", Flow::Sequential, 0},
    {"80 3d 60 ae 1b 00 00", "cmpb $0x0,0x1bae60(%rip)", Flow::Sequential, 0},
    {"0f b7 38", "movzwl (%rax),%edi", Flow::Sequential, 0},
    {"66 39 78 58", "cmp %di,0x58(%rax)", Flow::Sequential, 0},
    {"48 83 c4 10", "add $0x10,%rsp", Flow::Sequential, 0},
    {"5b", "pop %rbx", Flow::Sequential, 0},
    {"66 2e 0f 1f 84 00 00 00 00 00", "cs nopw 0x0(%rax,%rax,1)", Flow::Sequential, 0},
    {"64 48 33 04 25 30 00 00 00", "xor %fs:0x30,%rax", Flow::Sequential, 0},
    {"48 c1 c0 11", "rol $0x11,%rax", Flow::Sequential, 0},
    {"c3", "ret", Flow::Return, 0},
    {"85 c0", "test %eax,%eax", Flow::Sequential, 0},
    {"64 48 89 04 25 00 03 00 00", "mov %rax,%fs:0x300", Flow::Sequential, 0},
    {"f0 ff 0d 2b c0 1a 00", "lock decl 0x1ac02b(%rip)", Flow::Sequential, 0},
    {"0f 94 c0", "sete %al", Flow::Sequential, 0},
    {"84 c0", "test %al,%al", Flow::Sequential, 0},
    {"41 57", "push %r15", Flow::Sequential, 0},
    {"49 89 cf", "mov %rcx,%r15", Flow::Sequential, 0},
    {"41 56", "push %r14", Flow::Sequential, 0},
    {"41 55", "push %r13", Flow::Sequential, 0},
    {"41 54", "push %r12", Flow::Sequential, 0},
    {"4d 85 c9", "test %r9,%r9", Flow::Sequential, 0},
    {"41 89 c4", "mov %eax,%r12d", Flow::Sequential, 0},
    {"41 83 e4 02", "and $0x2,%r12d", Flow::Sequential, 0},
    {"4c 8b 28", "mov (%rax),%r13", Flow::Sequential, 0},
    {"41 ff d7", "call *%r15", Flow::IndirectCall, 0},
    {"45 85 e4", "test %r12d,%r12d", Flow::Sequential, 0},
    {"4d 8b 37", "mov (%r15),%r14", Flow::Sequential, 0},
    {"49 03 0e", "add (%r14),%rcx", Flow::Sequential, 0},
    {"48 03 4f 08", "add 0x8(%rdi),%rcx", Flow::Sequential, 0},
    {"48 c1 ee 03", "shr $0x3,%rsi", Flow::Sequential, 0},
    {"41 0f 95 c4", "setne %r12b", Flow::Sequential, 0},
    {"48 0f 44 f8", "cmove %rax,%rdi", Flow::Sequential, 0},
    {"48 c1 c8 11", "ror $0x11,%rax", Flow::Sequential, 0},
    {"76 10", "jbe 27708", Flow::ConditionalJump, 16},
    {"0f 87 d6 00 00 00", "ja 2787a", Flow::ConditionalJump, 214},
    {"48 63 04 82", "movslq (%rdx,%rax,4),%rax", Flow::Sequential, 0},
    {"90", "nop", Flow::Sequential, 0},
    {"f7 d8", "neg %eax", Flow::Sequential, 0},
    {"19 c0", "sbb %eax,%eax", Flow::Sequential, 0},
    {"c6 40 02 00", "movb $0x0,0x2(%rax)", Flow::Sequential, 0},
    {"48 c1 e2 04", "shl $0x4,%rdx", Flow::Sequential, 0},
    {"0f 83 8d 00 00 00", "jae 27b7f", Flow::ConditionalJump, 141},
    {"42 69 74 28 54 e0 1f 00 00", "imul $0x1fe0,0x54(%rax,%r13,1),%esi", Flow::Sequential, 0},
    {"83 c8 08", "or $0x8,%eax", Flow::Sequential, 0},
    {"0f 82 73 ff ff ff", "jb 27af2", Flow::ConditionalJump, -141},
    {"48 83 38 00", "cmpq $0x0,(%rax)", Flow::Sequential, 0},
    {"f6 43 10 01", "testb $0x1,0x10(%rbx)", Flow::Sequential, 0},
    {"83 6b 10 01", "subl $0x1,0x10(%rbx)", Flow::Sequential, 0},
    {"48 0f 45 fe", "cmovne %rsi,%rdi", Flow::Sequential, 0},
    {"66 0f ef c0", "pxor %xmm0,%xmm0", Flow::Sequential, 0},
    {"7c 1b", "jl 28207", Flow::ConditionalJump, 27},
    {"7f e7", "jg 281ec", Flow::ConditionalJump, -25},
    {"79 e5", "jns 28220", Flow::ConditionalJump, -27},
    {"66 41 0f 6e 57 10", "movd 0x10(%r15),%xmm2", Flow::Sequential, 0},
    {"66 0f 62 c2", "punpckldq %xmm2,%xmm0", Flow::Sequential, 0},
    {"66 0f fe c1", "paddd %xmm1,%xmm0", Flow::Sequential, 0},
    {"66 0f 70 d8 e1", "pshufd $0xe1,%xmm0,%xmm3", Flow::Sequential, 0},
    {"0f 4e c1", "cmovle %ecx,%eax", Flow::Sequential, 0},
    {"0f 4f f1", "cmovg %ecx,%esi", Flow::Sequential, 0},
    {"4c 0f 4c c0", "cmovl %rax,%r8", Flow::Sequential, 0},
    {"0f 16 00", "movhps (%rax),%xmm0", Flow::Sequential, 0},
    {"48 83 3d 38 bd 1a 00 00", "cmpq $0x0,0x1abd38(%rip)", Flow::Sequential, 0},
    {"66 0f 6f 05 54 21 17 00", "movdqa 0x172154(%rip),%xmm0", Flow::Sequential, 0},
    {"4c 0f 49 f3", "cmovns %rbx,%r14", Flow::Sequential, 0},
    {"7d ec", "jge 293f4", Flow::ConditionalJump, -20},
    {"48 0f be 17", "movsbq (%rdi),%rdx", Flow::Sequential, 0},
    {"0f 88 9b 00 00 00", "js 29972", Flow::ConditionalJump, 155},
    {"66 81 7b 04 6c 65", "cmpw $0x656c,0x4(%rbx)", Flow::Sequential, 0},
    {"41 0f be 45 18", "movsbl 0x18(%r13),%eax", Flow::Sequential, 0},
    {"66 0f 6c c1", "punpcklqdq %xmm1,%xmm0", Flow::Sequential, 0},
    {"0f 48 c2", "cmovs %edx,%eax", Flow::Sequential, 0},
    {"83 26 f8", "andl $0xfffffff8,(%rsi)", Flow::Sequential, 0},
    {"48 c1 f9 02", "sar $0x2,%rcx", Flow::Sequential, 0},
    {"0f ca", "bswap %edx", Flow::Sequential, 0},
    {"41 83 44 24 14 01", "addl $0x1,0x14(%r12)", Flow::Sequential, 0},
    {"48 83 00 01", "addq $0x1,(%rax)", Flow::Sequential, 0},
    {"0f 97 c1", "seta %cl", Flow::Sequential, 0},
    {"f7 71 08", "divl 0x8(%rcx)", Flow::Sequential, 0},
    {"f7 f1", "div %ecx", Flow::Sequential, 0},
    {"0f 43 c6", "cmovae %esi,%eax", Flow::Sequential, 0},
    {"48 c7 05 1f 37 1a 00 00 00 00 00", "movq $0x0,0x1a371f(%rip)", Flow::Sequential, 0},
    {"48 98", "cltq", Flow::Sequential, 0},
    {"66 c7 47 08 00 00", "movw $0x0,0x8(%rdi)", Flow::Sequential, 0},
    {"49 bb f8 bf ff ff ff ff f7 ff", "movabs $0xfff7ffffffffbff8,%r11", Flow::Sequential, 0},
    {"4d 0f a3 c3", "bt %r8,%r11", Flow::Sequential, 0},
    {"f3 48 a5", "rep movsq %ds:(%rsi),%es:(%rdi)", Flow::Sequential, 0},
    {"66 0f c6 c1 02", "shufpd $0x2,%xmm1,%xmm0", Flow::Sequential, 0},
    {"66 0f d4 05 89 ca 16 00", "paddq 0x16ca89(%rip),%xmm0", Flow::Sequential, 0},
    {"f7 d0", "not %eax", Flow::Sequential, 0},
    {"0f 96 c0", "setbe %al", Flow::Sequential, 0},
    {"48 83 d0 00", "adc $0x0,%rax", Flow::Sequential, 0},
    {"41 0f 93 c4", "setae %r12b", Flow::Sequential, 0},
    {"41 0f 92 c4", "setb %r12b", Flow::Sequential, 0},
    {"0f 42 c6", "cmovb %esi,%eax", Flow::Sequential, 0},
    {"0f bf d2", "movswl %dx,%edx", Flow::Sequential, 0},
    {"ff c0", "inc %eax", Flow::Sequential, 0},
    {"db 6c 24 18", "fldt 0x18(%rsp)", Flow::Sequential, 0},
    {"d9 e5", "fxam", Flow::Sequential, 0},
    {"df e0", "fnstsw %ax", Flow::Sequential, 0},
    {"dd d8", "fstp %st(0)", Flow::Sequential, 0},
    {"d9 e1", "fabs", Flow::Sequential, 0},
    {"d9 e0", "fchs", Flow::Sequential, 0},
    {"db 3f", "fstpt (%rdi)", Flow::Sequential, 0},
    {"d9 c0", "fld %st(0)", Flow::Sequential, 0},
    {"de e1", "fsubp %st,%st(1)", Flow::Sequential, 0},
    {"d9 e8", "fld1", Flow::Sequential, 0},
    {"de c9", "fmulp %st,%st(1)", Flow::Sequential, 0},
    {"db 44 24 fc", "fildl -0x4(%rsp)", Flow::Sequential, 0},
    {"d9 fd", "fscale", Flow::Sequential, 0},
    {"98", "cwtl", Flow::Sequential, 0},
    {"d8 0d ba 68 16 00", "fmuls 0x1668ba(%rip)", Flow::Sequential, 0},
    {"d8 c0", "fadd %st(0),%st", Flow::Sequential, 0},
    {"df e9", "fucomip %st(1),%st", Flow::Sequential, 0},
    {"d9 ee", "fldz", Flow::Sequential, 0},
    {"d9 c9", "fxch %st(1)", Flow::Sequential, 0},
    {"db e9", "fucomi %st(1),%st", Flow::Sequential, 0},
    {"7a 0e", "jp 3afc0", Flow::ConditionalJump, 14},
    {"48 0f ba f1 3f", "btr $0x3f,%rcx", Flow::Sequential, 0},
    {"66 0f 28 d8", "movapd %xmm0,%xmm3", Flow::Sequential, 0},
    {"66 0f 54 d1", "andpd %xmm1,%xmm2", Flow::Sequential, 0},
    {"66 0f 55 c3", "andnpd %xmm3,%xmm0", Flow::Sequential, 0},
    {"66 0f 56 c2", "orpd %xmm2,%xmm0", Flow::Sequential, 0},
    {"f2 0f 11 0a", "movsd %xmm1,(%rdx)", Flow::Sequential, 0},
    {"f2 0f 59 c8", "mulsd %xmm0,%xmm1", Flow::Sequential, 0},
    {"f2 0f 5c d1", "subsd %xmm1,%xmm2", Flow::Sequential, 0},
    {"f2 0f 58 c8", "addsd %xmm0,%xmm1", Flow::Sequential, 0},
    {"66 0f 2e c1", "ucomisd %xmm1,%xmm0", Flow::Sequential, 0},
    {"0f 9a c1", "setp %cl", Flow::Sequential, 0},
    {"66 0f d7 c0", "pmovmskb %xmm0,%eax", Flow::Sequential, 0},
    {"f3 0f 10 15 b8 58 16 00", "movss 0x1658b8(%rip),%xmm2", Flow::Sequential, 0},
    {"0f 54 d1", "andps %xmm1,%xmm2", Flow::Sequential, 0},
    {"0f 55 c3", "andnps %xmm3,%xmm0", Flow::Sequential, 0},
    {"0f 56 c2", "orps %xmm2,%xmm0", Flow::Sequential, 0},
    {"f3 0f 5c c8", "subss %xmm0,%xmm1", Flow::Sequential, 0},
    {"f3 0f 59 05 30 63 16 00", "mulss 0x166330(%rip),%xmm0", Flow::Sequential, 0},
    {"f3 0f 58 c8", "addss %xmm0,%xmm1", Flow::Sequential, 0},
    {"0f 2e da", "ucomiss %xmm2,%xmm3", Flow::Sequential, 0},
    {"66 0f db 0d ac 55 16 00", "pand 0x1655ac(%rip),%xmm1", Flow::Sequential, 0},
    {"66 0f df c2", "pandn %xmm2,%xmm0", Flow::Sequential, 0},
    {"66 0f eb c1", "por %xmm1,%xmm0", Flow::Sequential, 0},
    {"0f 50 c0", "movmskps %xmm0,%eax", Flow::Sequential, 0},
    {"d9 7c 24 06", "fnstcw 0x6(%rsp)", Flow::Sequential, 0},
    {"d9 6c 24 06", "fldcw 0x6(%rsp)", Flow::Sequential, 0},
    {"41 0f bd c5", "bsr %r13d,%eax", Flow::Sequential, 0},
    {"f0 48 83 a8 88 04 00 00 01", "lock subq $0x1,0x488(%rax)", Flow::Sequential, 0},
    {"99", "cltd", Flow::Sequential, 0},
    {"f7 fe", "idiv %esi", Flow::Sequential, 0},
    {"48 f7 04 24 00 01 00 00", "testq $0x100,(%rsp)", Flow::Sequential, 0},
    {"d9 31", "fnstenv (%rcx)", Flow::Sequential, 0},
    {"d9 21", "fldenv (%rcx)", Flow::Sequential, 0},
    {"0f ae 9f c0 01 00 00", "stmxcsr 0x1c0(%rdi)", Flow::Sequential, 0},
    {"48 99", "cqto", Flow::Sequential, 0},
    {"41 0f 4d c3", "cmovge %r11d,%eax", Flow::Sequential, 0},
    {"48 0f 46 f0", "cmovbe %rax,%rsi", Flow::Sequential, 0},
    {"0f ae 92 c0 01 00 00", "ldmxcsr 0x1c0(%rdx)", Flow::Sequential, 0},
    {"66 0f 2f c8", "comisd %xmm0,%xmm1", Flow::Sequential, 0},
    {"66 0f 57 05 9d f0 15 00", "xorpd 0x15f09d(%rip),%xmm0", Flow::Sequential, 0},
    {"df f1", "fcomip %st(1),%st", Flow::Sequential, 0},
    {"f3 0f 5a c0", "cvtss2sd %xmm0,%xmm0", Flow::Sequential, 0},
    {"48 0f ba 6d 00 34", "btsq $0x34,0x0(%rbp)", Flow::Sequential, 0},
    {"48 f7 e2", "mul %rdx", Flow::Sequential, 0},
    {"41 0f 9c c1", "setl %r9b", Flow::Sequential, 0},
    {"48 81 4d 00 00 00 80 00", "orq $0x800000,0x0(%rbp)", Flow::Sequential, 0},
    {"0f 57 05 40 97 15 00", "xorps 0x159740(%rip),%xmm0", Flow::Sequential, 0},
    {"d8 c8", "fmul %st(0),%st", Flow::Sequential, 0},
    {"de c1", "faddp %st,%st(1)", Flow::Sequential, 0},
    {"d9 05 65 73 15 00", "flds 0x157365(%rip)", Flow::Sequential, 0},
    {"e3 a9", "jrcxz 4c680", Flow::ConditionalJump, -87},
    {"4c 0f a5 d0", "shld %cl,%r10,%rax", Flow::Sequential, 0},
    {"83 74 24 28 01", "xorl $0x1,0x28(%rsp)", Flow::Sequential, 0},
    {"c9", "leave", Flow::Sequential, 0},
    {"4c 0f ad d0", "shrd %cl,%r10,%rax", Flow::Sequential, 0},
    {"48 0f ba ea 34", "bts $0x34,%rdx", Flow::Sequential, 0},
    {"a4", "movsb %ds:(%rsi),%es:(%rdi)", Flow::Sequential, 0},
    {"83 08 20", "orl $0x20,(%rax)", Flow::Sequential, 0},
    {"41 0f 9f c0", "setg %r8b", Flow::Sequential, 0},
    {"66 44 0f 50 e0", "movmskpd %xmm0,%r12d", Flow::Sequential, 0},
    {"f3 48 0f bc c9", "tzcnt %rcx,%rcx", Flow::Sequential, 0},
    {"db f1", "fcomi %st(1),%st", Flow::Sequential, 0},
    {"d8 f1", "fdiv %st(1),%st", Flow::Sequential, 0},
    {"f2 41 0f 2a ce", "cvtsi2sd %r14d,%xmm1", Flow::Sequential, 0},
    {"f2 0f 5e c1", "divsd %xmm1,%xmm0", Flow::Sequential, 0},
    {"4c 0f 47 e0", "cmova %rax,%r12", Flow::Sequential, 0},
    {"0f 81 41 fe ff ff", "jno 59ca1", Flow::ConditionalJump, -447},
    {"48 f7 a5 98 f7 ff ff", "mulq -0x868(%rbp)", Flow::Sequential, 0},
    {"0f 80 39 15 00 00", "jo 5be4b", Flow::ConditionalJump, 5433},
    {"0f 9e c0", "setle %al", Flow::Sequential, 0},
    {"48 0f bf c0", "movswq %ax,%rax", Flow::Sequential, 0},
    {"41 80 67 0c fe", "andb $0xfe,0xc(%r15)", Flow::Sequential, 0},
    {"80 8c 24 ad 00 00 00 10", "orb $0x10,0xad(%rsp)", Flow::Sequential, 0},
    {"48 d1 a5 58 f9 ff ff", "shlq -0x6a8(%rbp)", Flow::Sequential, 0},
    {"66 81 62 0c 07 e2", "andw $0xe207,0xc(%rdx)", Flow::Sequential, 0},
    {"66 0f 60 c0", "punpcklbw %xmm0,%xmm0", Flow::Sequential, 0},
    {"66 0f 61 c0", "punpcklwd %xmm0,%xmm0", Flow::Sequential, 0},
    {"66 0f 6d ca", "punpckhqdq %xmm2,%xmm1", Flow::Sequential, 0},
    {"66 0f fb c8", "psubq %xmm0,%xmm1", Flow::Sequential, 0},
    {"0f 12 c8", "movhlps %xmm0,%xmm1", Flow::Sequential, 0},
    {"c7 f8 00 00 00 00", "xbegin 85bf4", Flow::ConditionalJump, 0},
    {"c6 f8 ff", "xabort $0xff", Flow::IndirectJump, 0},
    {"0f 01 d5", "xend", Flow::Sequential, 0},
    {"f0 0f ba af 08 03 00 00 05", "lock btsl $0x5,0x308(%rdi)", Flow::Sequential, 0},
    {"f0 0f c1 4f 10", "lock xadd %ecx,0x10(%rdi)", Flow::Sequential, 0},
    {"0f 31", "rdtsc", Flow::Sequential, 0},
    {"f3 90", "pause", Flow::Sequential, 0},
    {"f0 48 ff 0d 45 d6 13 00", "lock decq 0x13d645(%rip)", Flow::Sequential, 0},
    {"49 83 66 08 fe", "andq $0xfffffffffffffffe,0x8(%r14)", Flow::Sequential, 0},
    {"66 83 2c 58 01", "subw $0x1,(%rax,%rbx,2)", Flow::Sequential, 0},
    {"0f 90 c0", "seto %al", Flow::Sequential, 0},
    {"0f c6 44 24 30 88", "shufps $0x88,0x30(%rsp),%xmm0", Flow::Sequential, 0},
    {"0f bc c7", "bsf %edi,%eax", Flow::Sequential, 0},
    {"80 72 ff 2a", "xorb $0x2a,-0x1(%rdx)", Flow::Sequential, 0},
    {"66 0f 74 c1", "pcmpeqb %xmm1,%xmm0", Flow::Sequential, 0},
    {"66 0f de d8", "pmaxub %xmm0,%xmm3", Flow::Sequential, 0},
    {"fd", "std", Flow::Sequential, 0},
    {"fc", "cld", Flow::Sequential, 0},
    {"0f 18 4e 40", "prefetcht0 0x40(%rsi)", Flow::Sequential, 0},
    {"66 0f e7 07", "movntdq %xmm0,(%rdi)", Flow::Sequential, 0},
    {"0f ae f8", "sfence", Flow::Sequential, 0},
    {"66 0f da d5", "pminub %xmm5,%xmm2", Flow::Sequential, 0},
    {"66 0f 12 0f", "movlpd (%rdi),%xmm1", Flow::Sequential, 0},
    {"66 0f 16 4f 08", "movhpd 0x8(%rdi),%xmm1", Flow::Sequential, 0},
    {"66 44 0f fc c1", "paddb %xmm1,%xmm8", Flow::Sequential, 0},
    {"66 44 0f 64 c6", "pcmpgtb %xmm6,%xmm8", Flow::Sequential, 0},
    {"66 0f f8 c8", "psubb %xmm0,%xmm1", Flow::Sequential, 0},
    {"66 0f 73 fa 0f", "pslldq $0xf,%xmm2", Flow::Sequential, 0},
    {"66 0f 73 db 01", "psrldq $0x1,%xmm3", Flow::Sequential, 0},
    {"c4 e2 a0 f5 da", "bzhi %r11,%rdx,%rbx", Flow::Sequential, 0},
    {"c4 e1 fb 92 cb", "kmovq %rbx,%k1", Flow::Sequential, 0},
    {"62 f1 7f c9 6f 0f", "vmovdqu8 (%rdi),%zmm1{%k1}{z}", Flow::Sequential, 0},
    {"62 f2 76 49 26 e1", "vptestnmb %zmm1,%zmm1,%k4{%k1}", Flow::Sequential, 0},
    {"c4 e2 a0 f3 d2", "blsmsk %rdx,%r11", Flow::Sequential, 0},
    {"62 f2 7d 48 78 18", "vpbroadcastb (%rax),%zmm3", Flow::Sequential, 0},
    {"62 f3 7d 48 3f c2 00", "vpcmpeqb %zmm2,%zmm0,%k0", Flow::Sequential, 0},
    {"62 f3 5d 4a 3f c1 04", "vpcmpneqb %zmm1,%zmm4,%k0{%k2}", Flow::Sequential, 0},
    {"c4 e1 f8 98 c0", "kortestq %k0,%k0", Flow::Sequential, 0},
    {"c5 f8 77", "vzeroupper", Flow::Sequential, 0},
    {"c4 c2 a0 f3 cb", "blsr %r11,%r11", Flow::Sequential, 0},
    {"62 d1 fd 48 6f b3 01 00 00 00", "vmovdqa64 0x1(%r11),%zmm6", Flow::Sequential, 0},
    {"62 f1 fe 48 6f 01", "vmovdqu64 (%rcx),%zmm0", Flow::Sequential, 0},
    {"c4 e1 ec 46 d2", "kxnorq %k2,%k2,%k2", Flow::Sequential, 0},
    {"80 6b 07 01", "subb $0x1,0x7(%rbx)", Flow::Sequential, 0},
    {"66 0f 76 d0", "pcmpeqd %xmm0,%xmm2", Flow::Sequential, 0},
    {"df 6c 24 f0", "fildll -0x10(%rsp)", Flow::Sequential, 0},
    {"de e9", "fsubrp %st,%st(1)", Flow::Sequential, 0},
    {"dd 5c 24 f0", "fstpl -0x10(%rsp)", Flow::Sequential, 0},
    {"0f 9d c2", "setge %dl", Flow::Sequential, 0},
    {"66 81 4c 24 68 08 04", "orw $0x408,0x68(%rsp)", Flow::Sequential, 0},
    {"80 44 24 34 01", "addb $0x1,0x34(%rsp)", Flow::Sequential, 0},
    {"66 0f fa c3", "psubd %xmm3,%xmm0", Flow::Sequential, 0},
    {"d1 a3 98 00 00 00", "shll 0x98(%rbx)", Flow::Sequential, 0},
    {"83 54 24 38 00", "adcl $0x0,0x38(%rsp)", Flow::Sequential, 0},
    {"66 0f 6a c0", "punpckhdq %xmm0,%xmm0", Flow::Sequential, 0},
    {"dd 05 8a ed 09 00", "fldl 0x9ed8a(%rip)", Flow::Sequential, 0},
    {"de f9", "fdivrp %st,%st(1)", Flow::Sequential, 0},
    {"0f 01 ee", "rdpkru", Flow::Sequential, 0},
    {"0f 01 ef", "wrpkru", Flow::Sequential, 0},
    {"f3 49 0f 2a c5", "cvtsi2ss %r13,%xmm0", Flow::Sequential, 0},
    {"f3 0f 5e c1", "divss %xmm1,%xmm0", Flow::Sequential, 0},
    {"f3 0f 2c c0", "cvttss2si %xmm0,%eax", Flow::Sequential, 0},
    {"66 83 04 42 01", "addw $0x1,(%rdx,%rax,2)", Flow::Sequential, 0},
    {"48 f7 b5 f8 fe ff ff", "divq -0x108(%rbp)", Flow::Sequential, 0},
    {"66 81 3d 67 40 0b 00 00 02", "cmpw $0x200,0xb4067(%rip)", Flow::Sequential, 0},
    {"66 0f c5 f8 00", "pextrw $0x0,%xmm0,%edi", Flow::Sequential, 0},
    {"f2 0f 70 c8 e1", "pshuflw $0xe1,%xmm0,%xmm1", Flow::Sequential, 0},
    {"66 0f 71 d0 08", "psrlw $0x8,%xmm0", Flow::Sequential, 0},
    {"66 0f 71 f1 08", "psllw $0x8,%xmm1", Flow::Sequential, 0},
    {"f7 7f 10", "idivl 0x10(%rdi)", Flow::Sequential, 0},
    {"c5 f9 6e c6", "vmovd %esi,%xmm0", Flow::Sequential, 0},
    {"c5 fd d7 c1", "vpmovmskb %ymm1,%eax", Flow::Sequential, 0},
    {"c5 ed eb e9", "vpor %ymm1,%ymm2,%ymm5", Flow::Sequential, 0},
    {"c4 e2 42 f7 c0", "sarx %edi,%eax,%eax", Flow::Sequential, 0},
    {"c5 fe 6f 0e", "vmovdqu (%rsi),%ymm1", Flow::Sequential, 0},
    {"c5 ed db e9", "vpand %ymm1,%ymm2,%ymm5", Flow::Sequential, 0},
    {"0f 38 f0 07", "movbe (%rdi),%eax", Flow::Sequential, 0},
    {"c5 fd 7f 0f", "vmovdqa %ymm1,(%rdi)", Flow::Sequential, 0},
    {"c5 fd e7 07", "vmovntdq %ymm0,(%rdi)", Flow::Sequential, 0},
    {"f3 0f bd c9", "lzcnt %ecx,%ecx", Flow::Sequential, 0},
    {"c4 e2 39 f7 c9", "shlx %r8d,%ecx,%ecx", Flow::Sequential, 0},
    {"c4 e2 79 58 c0", "vpbroadcastd %xmm0,%xmm0", Flow::Sequential, 0},
    {"c5 f9 d6 07", "vmovq %xmm0,(%rdi)", Flow::Sequential, 0},
    {"c5 f9 ef c0", "vpxor %xmm0,%xmm0,%xmm0", Flow::Sequential, 0},
    {"c5 dd da d5", "vpminub %ymm5,%ymm4,%ymm2", Flow::Sequential, 0},
    {"c4 41 7d fc c2", "vpaddb %ymm10,%ymm0,%ymm8", Flow::Sequential, 0},
    {"c4 41 3d 64 c3", "vpcmpgtb %ymm11,%ymm8,%ymm8", Flow::Sequential, 0},
    {"c4 41 3d df c4", "vpandn %ymm12,%ymm8,%ymm8", Flow::Sequential, 0},
    {"c5 fc 28 20", "vmovaps (%rax),%ymm4", Flow::Sequential, 0},
    {"c4 e2 43 f7 c9", "shrx %edi,%ecx,%ecx", Flow::Sequential, 0},
    {"c5 fd 76 da", "vpcmpeqd %ymm2,%ymm0,%ymm3", Flow::Sequential, 0},
    {"c4 e2 4d 3b d2", "vpminud %ymm2,%ymm6,%ymm2", Flow::Sequential, 0},
    {"0f 01 d6", "xtest", Flow::Sequential, 0},
    {"c5 fc 77", "vzeroall", Flow::Sequential, 0},
    {"c5 fb 93 c0", "kmovd %k0,%eax", Flow::Sequential, 0},
    {"62 f3 65 28 25 e2 fe", "vpternlogd $0xfe,%ymm2,%ymm3,%ymm4", Flow::Sequential, 0},
    {"62 f3 6d 22 3e 0f 04", "vpcmpnequb (%rdi),%ymm18,%k1{%k2}", Flow::Sequential, 0},
    {"62 e1 f5 20 ef 0f", "vpxorq (%rdi),%ymm17,%ymm17", Flow::Sequential, 0},
    {"62 b2 5d 20 26 cc", "vptestmb %ymm20,%ymm20,%k1", Flow::Sequential, 0},
    {"c4 e1 f9 98 e2", "kortestd %k2,%k4", Flow::Sequential, 0},
    {"62 01 75 20 f8 dd", "vpsubb %ymm29,%ymm17,%ymm27", Flow::Sequential, 0},
    {"62 93 25 20 3e ee 01", "vpcmpltub %ymm30,%ymm27,%k5", Flow::Sequential, 0},
    {"c4 e1 f9 99 c0", "ktestd %k0,%k0", Flow::Sequential, 0},
    {"c4 e1 f5 45 c0", "kord %k0,%k1,%k0", Flow::Sequential, 0},
    {"c4 e1 f4 4b c0", "kunpckdq %k0,%k1,%k0", Flow::Sequential, 0},
    {"62 01 75 20 ef c8", "vpxord %ymm24,%ymm17,%ymm25", Flow::Sequential, 0},
    {"62 b2 66 20 27 c3", "vptestnmd %ymm19,%ymm19,%k0", Flow::Sequential, 0},
    {"62 b3 65 20 1f d1 04", "vpcmpneqd %ymm17,%ymm19,%k2", Flow::Sequential, 0},
    {"62 b2 75 20 27 d1", "vptestmd %ymm17,%ymm17,%k2", Flow::Sequential, 0},
    {"c5 f5 4b c0", "kunpckbw %k0,%k1,%k0", Flow::Sequential, 0},
    {"62 e1 7e 2a 6f 16", "vmovdqu32 (%rsi),%ymm18{%k2}", Flow::Sequential, 0},
    {"62 f1 7c 48 10 06", "vmovups (%rsi),%zmm0", Flow::Sequential, 0},
    {"0f 18 16", "prefetcht1 (%rsi)", Flow::Sequential, 0},
    {"c4 e2 71 00 c0", "vpshufb %xmm0,%xmm1,%xmm0", Flow::Sequential, 0},
    {"62 f2 7d 48 18 d0", "vbroadcastss %xmm0,%zmm2", Flow::Sequential, 0},
    {"66 0f 3a 0f da 0f", "palignr $0xf,%xmm2,%xmm3", Flow::Sequential, 0},
    {"0f 2b 4f 10", "movntps %xmm1,0x10(%rdi)", Flow::Sequential, 0},
    {"66 0f 3a 63 c1 1a", "pcmpistri $0x1a,%xmm1,%xmm0", Flow::Sequential, 0},
    {"66 0f 38 00 c2", "pshufb %xmm2,%xmm0", Flow::Sequential, 0},
    {"66 0f 38 3b 40 50", "pminud 0x50(%rax),%xmm0", Flow::Sequential, 0},
    {"f3 0f 1e fa", "endbr64", Flow::Sequential, 0},
    {"9b", "fwait", Flow::Sequential, 0},
};

} // namespace

TEST_CASE("instructions from libc decode to objdump's length", "[arch][insn][libc]") {
  for (const auto &s : libc_samples) {
    INFO(s.hex << "  " << s.text);
    auto code = bytes(s.hex);
    auto insn = decode(code);
    REQUIRE(insn);
    CHECK(insn->length == code.size());
    CHECK(insn->flow == s.flow);
    CHECK(insn->displacement == s.displacement);
    CHECK((insn->rip_disp_offset >= 0) ==
          (std::string_view(s.text).find("(%rip)") != std::string_view::npos));
    CHECK_FALSE(decode(std::span(code).first(code.size() - 1)));
  }
}

TEST_CASE("which instructions may write memory", "[arch][insn][stores]") {
  struct Case {
    const char *hex;
    const char *what;
    bool writes;
  };
  const Case cases[] = {
      // Stores through a memory operand.
      {"48 89 54 c5 b0", "mov %rdx,-0x50(%rbp,%rax,8)", true},
      {"48 89 05 50 2e 00 00", "mov %rax,0x2e50(%rip)", true},
      {"48 83 45 f8 01", "addq $0x1,-0x8(%rbp)", true},
      {"c7 45 fc 00 00 00 00", "movl $0x0,-0x4(%rbp)", true},
      {"f0 48 0f b1 17", "lock cmpxchg %rdx,(%rdi)", true},
      {"0f 29 45 b0", "movaps %xmm0,-0x50(%rbp)", true},
      {"8f 00", "pop (%rax)", true},
      {"a3 00 00 00 00 00 00 00 00", "movabs %eax,moffs", true},
      {"dd 1c 24", "fstpl (%rsp)", true},
      {"c5 fa 7f 07", "vmovdqu %xmm0,(%rdi): VEX, unsure", true},
      // Implicit stores.
      {"55", "push %rbp", true},
      {"6a 01", "push $1", true},
      {"9c", "pushf", true},
      {"e8 00 00 00 00", "call rel32", true},
      {"ff d0", "call *%rax", true},
      {"ff 75 f8", "push -0x8(%rbp)", true},
      {"f3 48 ab", "rep stos", true},
      {"c8 10 00 00", "enter", true},
      {"0f 05", "syscall", true},
      // Loads, register work, branches: no store.
      {"48 8b 45 f8", "mov -0x8(%rbp),%rax", false},
      {"48 8b 4c c5 b0", "mov -0x50(%rbp,%rax,8),%rcx", false},
      {"48 3b 45 f0", "cmp -0x10(%rbp),%rax", false},
      {"48 39 45 f0", "cmp %rax,-0x10(%rbp)", false},
      {"83 7d ac 01", "cmpl $0x1,-0x54(%rbp)", false},
      {"48 03 45 f8", "add -0x8(%rbp),%rax", false},
      {"48 8d 04 40", "lea (%rax,%rax,2),%rax", false},
      {"0f b6 07", "movzbl (%rdi),%eax", false},
      {"48 63 d0", "movslq %eax,%rdx", false},
      {"85 c0", "test %eax,%eax", false},
      {"f6 07 01", "testb $1,(%rdi)", false},
      {"48 01 c2", "add %rax,%rdx", false},
      {"66 0f ef c0", "pxor %xmm0,%xmm0", false},
      {"0f 28 45 b0", "movaps -0x50(%rbp),%xmm0", false},
      {"f3 0f 6f 07", "movdqu (%rdi),%xmm0", false},
      {"ff 25 00 00 00 00", "jmp *0(%rip)", false},
      {"c3", "ret", false},
      {"7c ba", "jl rel8", false},
      {"c9", "leave", false},
      {"5d", "pop %rbp", false},
      {"ac", "lods", false},
      {"a1 00 00 00 00 00 00 00 00", "movabs moffs,%eax", false},
  };
  for (const auto &c : cases) {
    INFO(c.what);
    auto code = bytes(c.hex);
    auto insn = decode(code);
    REQUIRE(insn);
    CHECK(insn->length == code.size());
    CHECK(insn->may_write_memory == c.writes);
  }
}

TEST_CASE("memory operands: base, index, scale, displacement, segment", "[arch][insn][stores]") {
  auto operand = [](std::string_view hex) {
    auto code = bytes(hex);
    auto insn = decode(code);
    REQUIRE(insn);
    return insn->memory;
  };
  auto m = operand("48 89 54 c5 b0"); // mov %rdx,-0x50(%rbp,%rax,8)
  REQUIRE(m);
  CHECK(m->base == 5);
  CHECK(m->index == 0);
  CHECK(m->scale == 8);
  CHECK(m->displacement == -0x50);
  m = operand("48 89 05 50 2e 00 00"); // mov %rax,0x2e50(%rip)
  REQUIRE(m);
  CHECK(m->rip_relative);
  CHECK(m->displacement == 0x2e50);
  m = operand("4d 89 04 24"); // mov %r8,(%r12): SIB, no index
  REQUIRE(m);
  CHECK(m->base == 12);
  CHECK(m->index == -1);
  CHECK(m->displacement == 0);
  m = operand("4a 89 04 25 00 10 00 00"); // mov %rax,0x1000(,%r12,1): no base
  REQUIRE(m);
  CHECK(m->base == -1);
  CHECK(m->index == 12);
  CHECK(m->displacement == 0x1000);
  m = operand("64 48 89 04 25 f8 ff ff ff"); // mov %rax,%fs:0xfffffffffffffff8
  REQUIRE(m);
  CHECK(m->segment == 0x64);
  CHECK(m->displacement == -8);
  CHECK_FALSE(operand("48 01 c2"));    // add %rax,%rdx: registers only
  CHECK_FALSE(operand("67 89 07"));    // mov %eax,(%edi): 32-bit addressing
  CHECK_FALSE(operand("c5 fa 7f 07")); // VEX
}
