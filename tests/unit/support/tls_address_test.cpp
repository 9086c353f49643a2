#include <catch2/catch.hpp>

#include <elf.h>
#include <link.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "fake_memory.hpp"
#include "stub/support/elf_symbols.hpp"
#include "stub/support/tls_address.hpp"

namespace {

using stub::testing::FakeMemory;
using stub::testing::read_own_memory;

// glibc 2.36's x86-64 values, as libc.so.6's descriptors give them.
stub::TlsLayout x86_64_layout() {
  stub::TlsLayout l;
  l.l_tls_modid = {64, 1, 1152};
  l.pthread_dtvp = {64, 1, 8};
  l.dtv_dtv = {128, 134217727, 0};
  l.dtv_t_counter = {64, 1, 0};
  l.dtv_t_pointer_val = {64, 1, 0};
  return l;
}

// One thread: tcb at `tp`, its dtv with 3 slots, module 2's block at `block`.
struct FakeThread {
  static constexpr std::uint64_t lm = 0x10000, tp = 0x20000, dtv_alloc = 0x30000, block = 0x40000;
  FakeMemory mem;
  FakeThread(std::uint64_t modid, std::uint64_t slot_value) {
    mem.map(lm, 0x1000);
    mem.put(lm + 1152, modid);
    mem.map(tp, 0x100);
    mem.put(tp + 8, dtv_alloc + 16); // the tcb points at dtv[0]; dtv[-1] is the count
    mem.map(dtv_alloc, 16 * 5);
    mem.put(dtv_alloc, std::uint64_t{3});
    mem.put(dtv_alloc + 16 + 2 * 16, slot_value);
  }
  std::optional<std::uint64_t> address(std::uint64_t offset) const {
    return stub::tls_address(mem.reader(), x86_64_layout(), tp, offset, lm);
  }
};

} // namespace

TEST_CASE("tls: link_map modid -> dtv slot -> block + offset", "[support][tls]") {
  FakeThread t(2, FakeThread::block);
  CHECK(t.address(0x3c) == FakeThread::block + 0x3c);
  CHECK(t.address(0) == FakeThread::block);
}

TEST_CASE("tls: lm 0 is a static executable's own block, module 1", "[support][tls]") {
  FakeThread t(2, FakeThread::block);
  t.mem.put(FakeThread::dtv_alloc + 16 + 16, std::uint64_t{0x50000});
  CHECK(stub::tls_address(t.mem.reader(), x86_64_layout(), FakeThread::tp, 8, 0) == 0x50008);
}

TEST_CASE("tls: an unallocated block, no TLS or a module beyond the dtv fail", "[support][tls]") {
  CHECK_FALSE(FakeThread(2, ~std::uint64_t{0}).address(4)); // TLS_DTV_UNALLOCATED
  CHECK_FALSE(FakeThread(2, 0).address(4));
  CHECK_FALSE(FakeThread(0, FakeThread::block).address(4)); // l_tls_modid 0: no TLS
  CHECK_FALSE(FakeThread(4, FakeThread::block).address(4)); // dtv has 3 slots
  FakeThread t(2, FakeThread::block);
  CHECK_FALSE(stub::tls_address(t.mem.reader(), x86_64_layout(), 0x90000, 4, FakeThread::lm));
}

namespace {

// A minimal ELF file: a null section, .dynsym (with one undefined and two defined symbols)
// and its .dynstr.
std::vector<std::uint8_t> tiny_elf() {
  const std::string strings = std::string("\0_thread_db_x\0other\0_thread_db_undef\0", 37);
  Elf64_Sym syms[4] = {};
  syms[1].st_name = 1;
  syms[1].st_value = 0x1234;
  syms[1].st_shndx = 5;
  syms[2].st_name = 14;
  syms[2].st_value = 0x99;
  syms[2].st_shndx = 5;
  syms[3].st_name = 20; // undefined: skipped
  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_entry = 0x1040;
  eh.e_shentsize = sizeof(Elf64_Shdr);
  eh.e_shnum = 3;
  const std::size_t syms_at = sizeof eh, strs_at = syms_at + sizeof syms,
                    sh_at = strs_at + strings.size();
  eh.e_shoff = sh_at;
  Elf64_Shdr sh[3] = {};
  sh[1].sh_type = SHT_DYNSYM;
  sh[1].sh_offset = syms_at;
  sh[1].sh_size = sizeof syms;
  sh[1].sh_entsize = sizeof(Elf64_Sym);
  sh[1].sh_link = 2;
  sh[2].sh_type = SHT_STRTAB;
  sh[2].sh_offset = strs_at;
  sh[2].sh_size = strings.size();
  std::vector<std::uint8_t> out(sh_at + sizeof sh);
  std::memcpy(out.data(), &eh, sizeof eh);
  std::memcpy(out.data() + syms_at, syms, sizeof syms);
  std::memcpy(out.data() + strs_at, strings.data(), strings.size());
  std::memcpy(out.data() + sh_at, sh, sizeof sh);
  return out;
}

stub::ReadMemory bytes_reader(const std::vector<std::uint8_t> &bytes) {
  return [&bytes](std::uint64_t at, void *out, std::size_t len) {
    if (at > bytes.size() || len > bytes.size() - at)
      return false;
    std::memcpy(out, bytes.data() + at, len);
    return true;
  };
}

} // namespace

TEST_CASE("elf symbols: defined, prefixed symbols and the entry point", "[support][tls]") {
  const auto file = tiny_elf();
  const auto elf = stub::read_elf_symbols(bytes_reader(file), "_thread_db_");
  REQUIRE(elf);
  CHECK(elf->entry == 0x1040);
  CHECK(elf->symbols == std::map<std::string, std::uint64_t>{{"_thread_db_x", 0x1234}});
  const std::vector<std::uint8_t> junk(100, 'x');
  CHECK_FALSE(stub::read_elf_symbols(bytes_reader(junk), ""));
  CHECK_FALSE(stub::host_file_reader("/nonexistent/file"));
}

namespace {

__thread int own_tls_var = 5;

} // namespace

// Against this very process: glibc's real descriptors, found from libc's .dynsym, must lead
// to the block that holds our own __thread variable.
TEST_CASE("tls: this process's own thread-local variable", "[support][tls]") {
  const std::vector<std::uint8_t> auxv = stub::testing::own_auxv();
  const auto layout =
      stub::find_tls_layout(read_own_memory, auxv, "/proc/self/exe",
                            [](const std::string &p) { return stub::host_file_reader(p); });
  REQUIRE(layout);
  CHECK(layout->dtv_dtv.bits == 128);
  const auto tp = reinterpret_cast<std::uint64_t>(__builtin_thread_pointer());
  const auto lm = reinterpret_cast<std::uint64_t>(_r_debug.r_map); // the program's own
  const auto base = stub::tls_address(read_own_memory, *layout, tp, 0, lm);
  REQUIRE(base);
  const auto var = reinterpret_cast<std::uint64_t>(&own_tls_var);
  CHECK(stub::tls_address(read_own_memory, *layout, tp, var - *base, lm) == var);
  own_tls_var = 6;
  int seen = 0;
  REQUIRE(read_own_memory(var, &seen, sizeof seen));
  CHECK(seen == 6);
  // The module's block starts at or before the variable, within a page for this small test.
  CHECK(*base <= var);
  CHECK(var - *base < 4096);
}
