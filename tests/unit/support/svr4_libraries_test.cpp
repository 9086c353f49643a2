#include <catch2/catch.hpp>

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fake_memory.hpp"
#include "stub/support/svr4_libraries.hpp"

namespace {

using stub::testing::FakeMemory;

std::vector<std::uint8_t>
make_auxv(std::initializer_list<std::pair<std::uint64_t, std::uint64_t>> kv) {
  std::vector<std::uint8_t> out;
  auto push = [&](std::uint64_t v) {
    const auto *p = reinterpret_cast<const std::uint8_t *>(&v);
    out.insert(out.end(), p, p + 8);
  };
  for (const auto &[k, v] : kv) {
    push(k);
    push(v);
  }
  push(AT_NULL);
  push(0);
  return out;
}

struct LinkMap {
  std::uint64_t l_addr, l_name, l_ld, l_next, l_prev;
};

struct RDebug {
  std::int32_t r_version;
  std::uint64_t r_map, r_brk;
  std::int32_t r_state;
  std::uint64_t r_ldbase, r_next;
};
static_assert(sizeof(RDebug) == 48);

// A PIE main program, ld.so's r_debug and a three-entry link_map chain, with the addresses
// gdbserver showed for a real /bin program.
struct Process {
  static constexpr std::uint64_t bias = 0x555555554000;
  static constexpr std::uint64_t phdr = bias + 0x40;
  static constexpr std::uint64_t dynamic = bias + 0x3000;
  static constexpr std::uint64_t r_debug = 0x7ffff7ffe118;
  static constexpr std::uint64_t lm_main = 0x7ffff7ffe2e0;
  static constexpr std::uint64_t lm_libc = 0x7ffff7fc0200;
  static constexpr std::uint64_t lm_ld = 0x7ffff7ffdad0;
  static constexpr std::uint64_t strings = 0x7ffff7a00000;

  FakeMemory mem;
  std::vector<std::uint8_t> auxv =
      make_auxv({{AT_PAGESZ, 4096}, {AT_PHDR, phdr}, {AT_PHENT, 56}, {AT_PHNUM, 3}});

  Process() {
    mem.map(bias, 0x4000);
    Elf64_Phdr ph[3] = {};
    ph[0].p_type = PT_PHDR;
    ph[0].p_vaddr = 0x40;
    ph[1].p_type = PT_LOAD;
    ph[1].p_vaddr = 0;
    ph[2].p_type = PT_DYNAMIC;
    ph[2].p_vaddr = 0x3000;
    mem.put(phdr, ph);
    set_dynamic(r_debug);

    mem.map(0x7ffff7ffd000, 0x2000); // ld.so's data: r_debug and link_maps
    mem.map(0x7ffff7fc0000, 0x1000); // libc's link_map
    mem.put(r_debug, RDebug{1, lm_main, 0x7ffff7fe3f00, 0, 0x7ffff7fca000, 0});
    mem.put(lm_main, LinkMap{bias, strings, dynamic, lm_libc, 0});
    mem.put(lm_libc, LinkMap{0x7ffff7dd3000, strings + 0x10, 0x7ffff7fa5b60, lm_ld, lm_main});
    mem.put(lm_ld, LinkMap{0x7ffff7fca000, strings + 0x100, 0x7ffff7ffce40, 0, lm_libc});

    mem.map(strings, 0x1000);
    mem.put_string(strings, "");
    mem.put_string(strings + 0x10, "/lib/x86_64-linux-gnu/libc.so.6");
    mem.put_string(strings + 0x100, "/lib64/ld-linux-x86-64.so.2");
  }

  void set_dynamic(std::uint64_t debug_value) {
    Elf64_Dyn dyn[3] = {};
    dyn[0].d_tag = DT_NEEDED;
    dyn[0].d_un.d_val = 1;
    dyn[1].d_tag = DT_DEBUG;
    dyn[1].d_un.d_val = debug_value;
    dyn[2].d_tag = DT_NULL;
    mem.put(dynamic, dyn);
  }

  std::optional<std::string> list(std::string_view annex = {}) const {
    return stub::svr4_library_list(mem.reader(), auxv, annex);
  }
};

const std::string libc_entry =
    R"(<library name="/lib/x86_64-linux-gnu/libc.so.6" lm="0x7ffff7fc0200" )"
    R"(l_addr="0x7ffff7dd3000" l_ld="0x7ffff7fa5b60" lmid="0x7ffff7ffe118"/>)";
const std::string ld_entry =
    R"(<library name="/lib64/ld-linux-x86-64.so.2" lm="0x7ffff7ffdad0" )"
    R"(l_addr="0x7ffff7fca000" l_ld="0x7ffff7ffce40" lmid="0x7ffff7ffe118"/>)";
const std::string main_header = R"(<library-list-svr4 version="1.0" main-lm="0x7ffff7ffe2e0">)";
const std::string footer = "</library-list-svr4>";
const std::string empty_list = R"(<library-list-svr4 version="1.0"></library-list-svr4>)";

} // namespace

TEST_CASE("svr4: r_debug from auxv, phdrs and the dynamic section", "[support][svr4]") {
  Process p;
  CHECK(stub::find_r_debug(p.mem.reader(), p.auxv) == Process::r_debug);
}

TEST_CASE("svr4: the list as gdbserver formats it", "[support][svr4]") {
  Process p;
  CHECK(p.list() == main_header + libc_entry + ld_entry + footer);
}

TEST_CASE("svr4: a named main program entry is still main-lm", "[support][svr4]") {
  Process p;
  p.mem.put_string(Process::strings, "/usr/bin/prog");
  CHECK(p.list() == main_header + libc_entry + ld_entry + footer);
}

TEST_CASE("svr4: DT_DEBUG not yet set gives an empty list", "[support][svr4]") {
  Process p;
  p.set_dynamic(0);
  CHECK(stub::find_r_debug(p.mem.reader(), p.auxv) == 0u);
  CHECK(p.list() == empty_list);
}

TEST_CASE("svr4: r_map not yet set gives an empty list", "[support][svr4]") {
  Process p;
  p.mem.put(Process::r_debug, RDebug{1, 0, 0, 0, 0, 0});
  CHECK(p.list() == empty_list);
}

TEST_CASE("svr4: no DT_DEBUG, PT_PHDR, PT_DYNAMIC or auxv entry is an error", "[support][svr4]") {
  SECTION("no DT_DEBUG") {
    Process p;
    Elf64_Dyn dyn[2] = {};
    dyn[0].d_tag = DT_NEEDED;
    dyn[1].d_tag = DT_NULL;
    p.mem.put(Process::dynamic, dyn);
    CHECK_FALSE(p.list());
  }
  SECTION("no PT_PHDR") {
    Process p;
    p.mem.put(Process::phdr, std::uint32_t{PT_NULL});
    CHECK_FALSE(p.list());
  }
  SECTION("no PT_DYNAMIC (static executable)") {
    Process p;
    p.mem.put(Process::phdr + 2 * sizeof(Elf64_Phdr), std::uint32_t{PT_NOTE});
    CHECK_FALSE(p.list());
  }
  SECTION("no AT_PHDR") {
    Process p;
    p.auxv = make_auxv({{AT_PHNUM, 3}});
    CHECK_FALSE(p.list());
  }
  SECTION("empty auxv") {
    Process p;
    p.auxv.clear();
    CHECK_FALSE(p.list());
  }
  SECTION("unreadable phdrs") {
    Process p;
    p.auxv = make_auxv({{AT_PHDR, 0x1000}, {AT_PHNUM, 3}});
    CHECK_FALSE(p.list());
  }
}

TEST_CASE("svr4: a bad r_debug version gives an empty list", "[support][svr4]") {
  Process p;
  p.mem.put(Process::r_debug, RDebug{0, Process::lm_main, 0, 0, 0, 0});
  CHECK(p.list() == empty_list);
}

TEST_CASE("svr4: start/prev/lmid annex continues one namespace", "[support][svr4]") {
  Process p;
  CHECK(p.list("start=7ffff7ffdad0;prev=7ffff7fc0200;lmid=7ffff7ffe118;") ==
        R"(<library-list-svr4 version="1.0">)" + ld_entry + footer);
  // Unknown keys are ignored; a wrong prev ends the list at once.
  CHECK(p.list("foo=1;start=7ffff7ffdad0;prev=1;lmid=7ffff7ffe118") ==
        R"(<library-list-svr4 version="1.0">)" + footer);
  // prev/lmid without start: the whole list.
  CHECK(p.list("prev=7ffff7fc0200") == main_header + libc_entry + ld_entry + footer);
}

TEST_CASE("svr4: a broken back link ends the list", "[support][svr4]") {
  Process p;
  p.mem.put(Process::lm_ld + 32, std::uint64_t{0x1234});
  CHECK(p.list() == main_header + libc_entry + footer);
}

TEST_CASE("svr4: entries without a name are skipped", "[support][svr4]") {
  Process p;
  p.mem.put(Process::lm_libc + 8, std::uint64_t{0}); // l_name = NULL
  CHECK(p.list() == main_header + ld_entry + footer);
  p.mem.put(Process::lm_libc + 8, Process::strings); // l_name = ""
  CHECK(p.list() == main_header + ld_entry + footer);
}

TEST_CASE("svr4: names are XML-escaped and may end at a region's end", "[support][svr4]") {
  Process p;
  const std::string name = "/tmp/a&b<c>\"d'.so";
  const std::uint64_t end = 0x7ffff7b00000;
  p.mem.map(end - 0x100, 0x100);
  const std::uint64_t at = end - name.size() - 1; // the NUL is the region's last byte
  p.mem.put_string(at, name);
  p.mem.put(Process::lm_libc + 8, at);
  const auto doc = p.list();
  REQUIRE(doc);
  CHECK(doc->find(R"(name="/tmp/a&amp;b&lt;c&gt;&quot;d&apos;.so")") != std::string::npos);
}

TEST_CASE("svr4: r_debug version 2 chains namespaces", "[support][svr4]") {
  Process p;
  constexpr std::uint64_t second = 0x7ffff7ffe400, lm_second = 0x7ffff7ffe600;
  p.mem.put(Process::r_debug, RDebug{2, Process::lm_main, 0, 0, 0, second});
  p.mem.put(second, RDebug{2, lm_second, 0, 0, 0, 0});
  // The first entry of a later namespace is a library, not a main program.
  p.mem.put(lm_second, LinkMap{0x7ffff0000000, Process::strings + 0x10, 0x7ffff0001000, 0, 0});
  CHECK(p.list() == main_header + libc_entry + ld_entry +
                        R"(<library name="/lib/x86_64-linux-gnu/libc.so.6" lm="0x7ffff7ffe600" )"
                        R"(l_addr="0x7ffff0000000" l_ld="0x7ffff0001000" lmid="0x7ffff7ffe400"/>)" +
                        footer);
}

TEST_CASE("svr4: a cyclic r_next chain terminates", "[support][svr4]") {
  Process p;
  p.mem.put(Process::r_debug, RDebug{2, Process::lm_main, 0, 0, 0, Process::r_debug});
  const auto doc = p.list();
  REQUIRE(doc);
  CHECK(doc->starts_with(main_header + libc_entry + ld_entry));
  CHECK(doc->ends_with(footer));
}

TEST_CASE("svr4: our own process lists libc", "[support][svr4]") {
  const std::vector<std::uint8_t> auxv = stub::testing::own_auxv();
  REQUIRE(!auxv.empty());
  const stub::ReadMemory read = stub::testing::read_own_memory;

  const auto r_debug = stub::find_r_debug(read, auxv);
  REQUIRE(r_debug);
  CHECK(*r_debug != 0);
  const auto doc = stub::svr4_library_list(read, auxv);
  REQUIRE(doc);
  INFO(*doc);
  CHECK(doc->find("libc.so.6\"") != std::string::npos);
  std::ostringstream main_lm;
  // dlopen(NULL)'s link_map is the main program's. (Not _r_debug.r_map: the executable's
  // reference to _r_debug may be a copy relocation that ld.so never updates.)
  void *self = dlopen(nullptr, RTLD_NOW);
  REQUIRE(self);
  link_map *main_map = nullptr;
  REQUIRE(dlinfo(self, RTLD_DI_LINKMAP, &main_map) == 0);
  main_lm << " main-lm=\"0x" << std::hex << reinterpret_cast<std::uintptr_t>(main_map) << "\">";
  dlclose(self);
  CHECK(doc->find(main_lm.str()) != std::string::npos);
}
