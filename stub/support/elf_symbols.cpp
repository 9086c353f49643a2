#include "stub/support/elf_symbols.hpp"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace stub {
namespace {

// Bounds against corrupt files: libc's .dynsym is ~100 KiB, a big .symtab some MiB.
constexpr std::uint64_t max_sections = 1 << 16, max_table = 256u << 20;

bool read_table(const ReadMemory &file, const Elf64_Shdr &sh, std::vector<char> &out) {
  if (sh.sh_size > max_table)
    return false;
  out.resize(sh.sh_size);
  return sh.sh_size == 0 || file(sh.sh_offset, out.data(), out.size());
}

// Adds the prefixed, defined symbols of one symbol table (its strings in section sh_link).
void add_symbols(const ReadMemory &file, const std::vector<Elf64_Shdr> &sections,
                 const Elf64_Shdr &table, std::string_view prefix, ElfSymbols &out) {
  if (table.sh_link >= sections.size() || table.sh_entsize != sizeof(Elf64_Sym))
    return;
  std::vector<char> syms, strings;
  if (!read_table(file, table, syms) || !read_table(file, sections[table.sh_link], strings))
    return;
  for (std::size_t at = 0; at + sizeof(Elf64_Sym) <= syms.size(); at += sizeof(Elf64_Sym)) {
    Elf64_Sym sym;
    std::memcpy(&sym, syms.data() + at, sizeof sym);
    if (sym.st_shndx == SHN_UNDEF || sym.st_name >= strings.size())
      continue;
    const char *name = strings.data() + sym.st_name;
    const std::string_view view(name, strnlen(name, strings.size() - sym.st_name));
    if (view.starts_with(prefix))
      out.symbols.emplace(view, sym.st_value);
  }
}

} // namespace

std::optional<ElfSymbols> read_elf_symbols(const ReadMemory &file, std::string_view prefix) {
  Elf64_Ehdr eh;
  if (!file(0, &eh, sizeof eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
    return std::nullopt;
  ElfSymbols out;
  out.entry = eh.e_entry;
  if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 || eh.e_shnum > max_sections)
    return out; // no section headers (stripped that far): no symbols
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  if (!file(eh.e_shoff, sections.data(), sections.size() * sizeof(Elf64_Shdr)))
    return out;
  for (const auto &sh : sections)
    if (sh.sh_type == SHT_DYNSYM || sh.sh_type == SHT_SYMTAB)
      add_symbols(file, sections, sh, prefix, out);
  return out;
}

ReadMemory host_file_reader(const std::string &path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return {};
  auto owned = std::shared_ptr<int>(new int(fd), [](int *p) {
    ::close(*p);
    delete p;
  });
  return [owned](std::uint64_t offset, void *out, std::size_t len) {
    auto *bytes = static_cast<char *>(out);
    while (len > 0) {
      const ssize_t n = ::pread(*owned, bytes, len, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      bytes += n;
      offset += static_cast<std::uint64_t>(n);
      len -= static_cast<std::size_t>(n);
    }
    return true;
  };
}

} // namespace stub
