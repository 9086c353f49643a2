// The target description and the register table must agree exactly: gdb numbers registers
// by their order in the XML, the stub by the table.
#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "arch/x86_64_regs.hpp"

namespace {

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

} // namespace

TEST_CASE("target.xml names the architecture and OS ABI", "[arch][x86_64][xml]") {
  const auto target = arch::x86_64().feature_file("target.xml");
  REQUIRE(target);
  CHECK(target->find("<architecture>i386:x86-64</architecture>") != std::string_view::npos);
  CHECK(target->find("<osabi>GNU/Linux</osabi>") != std::string_view::npos);
  CHECK_FALSE(arch::x86_64().feature_file("nonexistent.xml"));
  CHECK_FALSE(arch::x86_64().feature_file(""));
}

TEST_CASE("XML registers agree with the register table", "[arch][x86_64][xml]") {
  const arch::ArchInfo &info = arch::x86_64();
  const auto regs = registers_from_xml(info);
  REQUIRE(regs.size() == info.registers.size());
  for (std::size_t i = 0; i < regs.size(); ++i) {
    INFO("register " << i << " " << regs[i].name);
    CHECK(regs[i].regnum == static_cast<int>(i));
    CHECK(regs[i].name == info.registers[i].name);
    CHECK(regs[i].bitsize == info.registers[i].bitsize);
  }
}

TEST_CASE("registers sit in the features gdb's amd64 code looks in", "[arch][x86_64][xml]") {
  const auto regs = registers_from_xml(arch::x86_64());
  REQUIRE(regs.size() == 60);
  for (int i = 0; i < 40; ++i)
    CHECK(regs[i].feature == "org.gnu.gdb.i386.core");
  for (int i = 40; i < 57; ++i)
    CHECK(regs[i].feature == "org.gnu.gdb.i386.sse");
  CHECK(regs[57].feature == "org.gnu.gdb.i386.linux");
  CHECK(regs[57].name == "orig_rax");
  CHECK(regs[58].feature == "org.gnu.gdb.i386.segments");
  CHECK(regs[58].name == "fs_base");
  CHECK(regs[59].name == "gs_base");
}

TEST_CASE("x86-64 table matches gdb's numbering", "[arch][x86_64]") {
  const arch::ArchInfo &info = arch::x86_64();
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
  const arch::ArchInfo &info = arch::x86_64();
  CHECK(info.name == "i386:x86-64");
  CHECK(info.pc_regnum == 16);
  CHECK(info.sp_regnum == 7);
  CHECK(info.fp_regnum == 6);
  CHECK(std::vector<int>(info.expedited.begin(), info.expedited.end()) ==
        std::vector<int>{6, 7, 16});
  REQUIRE(info.breakpoint.size() == 1);
  CHECK(info.breakpoint[0] == 0xCC);
  CHECK(info.decr_pc_after_break == 1);
  // 16*8 + 8 + 4 + 6*4 + 8*10 + 8*4 + 16*16 + 4 + 8 + 2*8, as gdbserver's `g` block.
  CHECK(info.g_size() == 560);
}
