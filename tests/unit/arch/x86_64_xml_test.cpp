// The target description and the register table must agree exactly: gdb numbers registers
// by their order in the XML, the stub by the table.
#include <catch2/catch.hpp>

#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "arch/x86_64_regs.hpp"
#include "arch/x86_64_xsave.hpp"

namespace {

using arch::X86_64Reg;

struct XmlReg {
  std::string feature;
  std::string name;
  int bitsize = 0;
  int regnum = 0;
};

std::string attr(const std::string &tag, const std::string &name) {
  const std::regex re("\\s" + name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(tag, m, re) ? m[1].str() : std::string{};
}

std::vector<std::string> tags(std::string_view doc, const std::string &element) {
  const std::string text{doc};
  const std::regex re("<" + element + "\\s[^>]*>");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    out.push_back(it->str());
  return out;
}

// Follow target.xml's includes in order and number registers the way gdb does.
std::vector<XmlReg> registers_from_xml(const arch::ArchInfo &info) {
  std::vector<XmlReg> regs;
  const auto target = info.feature_file("target.xml");
  REQUIRE(target);
  int next = 0;
  for (const std::string &include : tags(*target, "xi:include")) {
    const auto feature = info.feature_file(attr(include, "href"));
    REQUIRE(feature);
    const auto features = tags(*feature, "feature");
    REQUIRE(features.size() == 1);
    for (const std::string &reg : tags(*feature, "reg")) {
      const std::string regnum = attr(reg, "regnum");
      if (!regnum.empty())
        next = std::stoi(regnum);
      regs.push_back(
          {attr(features[0], "name"), attr(reg, "name"), std::stoi(attr(reg, "bitsize")), next++});
    }
  }
  return regs;
}

struct Variant {
  const char *what;
  std::uint64_t xcr0;
  std::size_t registers;
  std::size_t g_size;
};

// XCR0 values of real machines: no XSAVE, SSE only, AVX (Sandy Bridge), AVX + PKRU (Zen 3),
// AVX-512 (Skylake-X, this CI's Zen 4 VM), AVX-512 + PKRU (Ice Lake).
const Variant variants[] = {
    {"fxsave", 0x0, 60, 560},      {"sse", 0x3, 60, 560},       {"avx", 0x7, 76, 816},
    {"avx+pkeys", 0x207, 77, 820}, {"avx512", 0xe7, 148, 2416}, {"avx512+pkeys", 0x2e7, 149, 2420},
};

arch::ArchInfo variant(std::uint64_t xcr0) {
  return arch::x86_64_for(arch::XsaveLayout::intel(xcr0));
}

std::vector<std::string> includes(const arch::ArchInfo &info) {
  std::vector<std::string> out;
  for (const std::string &include : tags(*info.feature_file("target.xml"), "xi:include"))
    out.push_back(attr(include, "href"));
  return out;
}

} // namespace

TEST_CASE("target.xml names the architecture and OS ABI", "[arch][x86_64][xml]") {
  for (const Variant &v : variants) {
    INFO(v.what);
    const arch::ArchInfo info = variant(v.xcr0);
    const auto target = info.feature_file("target.xml");
    REQUIRE(target);
    CHECK(target->find("<architecture>i386:x86-64</architecture>") != std::string_view::npos);
    CHECK(target->find("<osabi>GNU/Linux</osabi>") != std::string_view::npos);
    CHECK_FALSE(info.feature_file("nonexistent.xml"));
    CHECK_FALSE(info.feature_file(""));
  }
  CHECK(arch::x86_64_native().feature_file("target.xml"));
}

TEST_CASE("XML registers agree with the register table in every variant", "[arch][x86_64][xml]") {
  std::vector<const arch::ArchInfo *> all = {&arch::x86_64_native()}; // this machine's, too
  std::vector<arch::ArchInfo> built;
  for (const Variant &v : variants)
    built.push_back(variant(v.xcr0));
  for (const auto &b : built)
    all.push_back(&b);
  for (const arch::ArchInfo *info : all) {
    const auto regs = registers_from_xml(*info);
    INFO(info->feature_file("target.xml").value_or(""));
    REQUIRE(regs.size() == info->registers.size());
    for (std::size_t i = 0; i < regs.size(); ++i) {
      INFO("register " << i << " " << regs[i].name);
      CHECK(regs[i].regnum == static_cast<int>(i));
      CHECK(regs[i].name == info->registers[i].name);
      CHECK(regs[i].bitsize == info->registers[i].bitsize);
    }
  }
}

TEST_CASE("each variant includes the features its XCR0 enables", "[arch][x86_64][xml]") {
  using V = std::vector<std::string>;
  const V base = {"64bit-core.xml", "64bit-sse.xml", "64bit-linux.xml", "64bit-segments.xml"};
  auto with = [&](V extra) {
    V out = base;
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  };
  CHECK(includes(variant(0x0)) == base);
  CHECK(includes(variant(0x3)) == base);
  CHECK(includes(variant(0x7)) == with({"64bit-avx.xml"}));
  CHECK(includes(variant(0x207)) == with({"64bit-avx.xml", "64bit-pkeys.xml"}));
  CHECK(includes(variant(0xe7)) == with({"64bit-avx.xml", "64bit-avx512.xml"}));
  CHECK(includes(variant(0x2e7)) == with({"64bit-avx.xml", "64bit-avx512.xml", "64bit-pkeys.xml"}));
  // Half of AVX-512 enabled is no AVX-512 for gdb; files not included are not served.
  CHECK(includes(variant(0x67)) == with({"64bit-avx.xml"}));
  CHECK_FALSE(variant(0x7).feature_file("64bit-avx512.xml"));
  CHECK(variant(0xe7).feature_file("64bit-avx512.xml"));
  for (const Variant &v : variants) {
    INFO(v.what);
    CHECK(variant(v.xcr0).registers.size() == v.registers);
    CHECK(variant(v.xcr0).g_size() == v.g_size);
  }
}

TEST_CASE("registers sit in the features gdb's amd64 code looks in", "[arch][x86_64][xml]") {
  const auto regs = registers_from_xml(variant(0x2e7));
  REQUIRE(regs.size() == 149);
  for (int i = 0; i < 40; ++i)
    CHECK(regs[i].feature == "org.gnu.gdb.i386.core");
  for (int i = 40; i < 57; ++i)
    CHECK(regs[i].feature == "org.gnu.gdb.i386.sse");
  CHECK(regs[57].feature == "org.gnu.gdb.i386.linux");
  CHECK(regs[57].name == "orig_rax");
  CHECK(regs[58].feature == "org.gnu.gdb.i386.segments");
  CHECK(regs[58].name == "fs_base");
  CHECK(regs[59].name == "gs_base");
  for (int i = 0; i < 16; ++i) {
    CHECK(regs[X86_64Reg::Ymm0h + i].feature == "org.gnu.gdb.i386.avx");
    CHECK(regs[X86_64Reg::Ymm0h + i].name == "ymm" + std::to_string(i) + "h");
    CHECK(regs[X86_64Reg::Ymm0h + i].bitsize == 128);
    CHECK(regs[X86_64Reg::Xmm16 + i].name == "xmm" + std::to_string(16 + i));
    CHECK(regs[X86_64Reg::Ymm16h + i].name == "ymm" + std::to_string(16 + i) + "h");
  }
  for (int i = X86_64Reg::Xmm16; i < X86_64Reg::Zmm0h + 32; ++i)
    CHECK(regs[i].feature == "org.gnu.gdb.i386.avx512");
  for (int i = 0; i < 8; ++i) {
    CHECK(regs[X86_64Reg::K0 + i].name == "k" + std::to_string(i));
    CHECK(regs[X86_64Reg::K0 + i].bitsize == 64);
  }
  for (int i = 0; i < 32; ++i) {
    CHECK(regs[X86_64Reg::Zmm0h + i].name == "zmm" + std::to_string(i) + "h");
    CHECK(regs[X86_64Reg::Zmm0h + i].bitsize == 256);
  }
  CHECK(regs[148].feature == "org.gnu.gdb.i386.pkeys");
  CHECK(regs[148].name == "pkru");
  CHECK(regs[148].bitsize == 32);
  const auto avx_pkeys = registers_from_xml(variant(0x207));
  REQUIRE(avx_pkeys.size() == 77);
  CHECK(avx_pkeys[76].name == "pkru");
}

TEST_CASE("avx512 feature defines the types its registers use", "[arch][x86_64][xml]") {
  const auto avx512 = variant(0xe7).feature_file("64bit-avx512.xml");
  REQUIRE(avx512);
  CHECK(avx512->find("<union id=\"vec128\">") != std::string_view::npos);
  CHECK(avx512->find("<vector id=\"v2ui128\" type=\"uint128\" count=\"2\"/>") !=
        std::string_view::npos);
}

TEST_CASE("x86-64 table matches gdb's numbering", "[arch][x86_64]") {
  const arch::ArchInfo &info = arch::x86_64_native();
  const char *names[] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
                         "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
  for (int i = 0; i < 16; ++i) {
    CHECK(info.registers[i].name == names[i]);
    CHECK(info.registers[i].bitsize == 64);
  }
  CHECK(info.registers[16].name == "rip");
  CHECK(info.registers[17].name == "eflags");
  CHECK(info.registers[17].bitsize == 32);
  CHECK(info.registers[24].name == "st0");
  CHECK(info.registers[24].bitsize == 80);
  CHECK(info.registers[39].name == "fop");
  CHECK(info.registers[55].name == "xmm15");
  CHECK(info.registers[56].name == "mxcsr");
}

TEST_CASE("x86-64 arch facts", "[arch][x86_64]") {
  const arch::ArchInfo &info = arch::x86_64_native();
  CHECK(info.name == "i386:x86-64");
  CHECK(info.pc_regnum == 16);
  CHECK(info.sp_regnum == 7);
  CHECK(info.fp_regnum == 6);
  CHECK(std::vector<int>(info.expedited.begin(), info.expedited.end()) ==
        std::vector<int>{6, 7, 16});
  REQUIRE(info.breakpoint.size() == 1);
  CHECK(info.breakpoint[0] == 0xCC);
  CHECK(info.decr_pc_after_break == 1);
  // 16*8 + 8 + 4 + 6*4 + 8*10 + 8*4 + 16*16 + 4 + 8 + 2*8, as gdbserver's `g` block without AVX;
  // with AVX-512, + 16*16 (ymmh) + 16*16 + 16*16 (xmm16.., ymm16h..) + 8*8 (k) + 32*32 (zmmh).
  CHECK(variant(0x3).g_size() == 560);
  CHECK(variant(0xe7).g_size() == 2416);
}
