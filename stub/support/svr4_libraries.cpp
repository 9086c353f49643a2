#include "stub/support/svr4_libraries.hpp"

#include "rsp/reply.hpp"

#include <elf.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace stub {
namespace {

// glibc's 64-bit layouts (<link.h>): struct r_debug(_extended) and struct link_map's public
// head.
constexpr std::uint64_t r_version_offset = 0, r_map_offset = 8, r_next_offset = 40;
constexpr std::uint64_t l_addr_offset = 0, l_name_offset = 8, l_ld_offset = 16, l_next_offset = 24,
                        l_prev_offset = 32;

// Bounds against corrupt or hostile memory (gdbserver's PATH_MAX for names).
constexpr std::size_t max_phdrs = 1024, max_dyn_entries = 1 << 16, max_libraries = 1 << 16,
                      max_namespaces = 256, max_name = 4096 - 1;

bool read_u64(const ReadMemory &read, std::uint64_t addr, std::uint64_t &out) {
  return read(addr, &out, sizeof out);
}

// Where the main executable's dynamic section is loaded.
std::optional<std::uint64_t> find_dynamic(const ReadMemory &read,
                                          std::span<const std::uint8_t> auxv) {
  const auto phdr_addr = auxv_value(auxv, AT_PHDR);
  const auto phnum = auxv_value(auxv, AT_PHNUM);
  if (!phdr_addr || !phnum || *phnum == 0 || *phnum > max_phdrs)
    return std::nullopt;
  std::vector<Elf64_Phdr> phdrs(*phnum);
  if (!read(*phdr_addr, phdrs.data(), phdrs.size() * sizeof(Elf64_Phdr)))
    return std::nullopt;

  // PT_PHDR's link-time address vs. where AT_PHDR says it is gives the load bias (PIE).
  const auto phdr = std::find_if(phdrs.begin(), phdrs.end(),
                                 [](const Elf64_Phdr &p) { return p.p_type == PT_PHDR; });
  const auto dynamic = std::find_if(phdrs.begin(), phdrs.end(),
                                    [](const Elf64_Phdr &p) { return p.p_type == PT_DYNAMIC; });
  if (phdr == phdrs.end() || dynamic == phdrs.end())
    return std::nullopt;
  return dynamic->p_vaddr + (*phdr_addr - phdr->p_vaddr);
}

void append_escaped(std::string &out, std::string_view text) {
  out += rsp::reply::xml_escape(text);
}

// Append one <library> per named entry of the chain starting at `lm`, whose predecessor must
// be `prev`. Stops at the end of the chain, an unreadable entry or a broken back link.
void append_link_map(std::string &doc, const ReadMemory &read, std::uint64_t lmid, std::uint64_t lm,
                     std::uint64_t prev) {
  for (std::size_t n = 0; lm != 0 && n < max_libraries; ++n) {
    std::uint64_t l_addr, l_name, l_ld, l_next, l_prev;
    if (!read_u64(read, lm + l_name_offset, l_name) ||
        !read_u64(read, lm + l_addr_offset, l_addr) || !read_u64(read, lm + l_ld_offset, l_ld) ||
        !read_u64(read, lm + l_prev_offset, l_prev) || !read_u64(read, lm + l_next_offset, l_next))
      return;
    if (l_prev != prev)
      return; // corrupted list (gdbserver warns and stops here too)
    const std::string name = l_name != 0 ? read_c_string(read, l_name) : std::string{};
    if (!name.empty()) {
      doc += "<library name=\"";
      append_escaped(doc, name);
      doc += fmt::format("\" lm=\"{:#x}\" l_addr=\"{:#x}\" l_ld=\"{:#x}\" lmid=\"{:#x}\"/>", lm,
                         l_addr, l_ld, lmid);
    }
    prev = lm;
    lm = l_next;
  }
}

struct Annex {
  std::uint64_t start = 0, prev = 0, lmid = 0;
};

// "name=hex;name=hex..." with unknown names ignored, as gdbserver parses it.
Annex parse_annex(std::string_view annex) {
  Annex out;
  while (!annex.empty()) {
    const auto semi = annex.find(';');
    const std::string_view item = annex.substr(0, semi);
    annex = semi == std::string_view::npos ? std::string_view{} : annex.substr(semi + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      continue;
    const std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
    std::uint64_t *field = key == "start"  ? &out.start
                           : key == "prev" ? &out.prev
                           : key == "lmid" ? &out.lmid
                                           : nullptr;
    if (field)
      std::from_chars(value.data(), value.data() + value.size(), *field, 16);
  }
  return out;
}

constexpr std::string_view header = "<library-list-svr4 version=\"1.0\"";
constexpr std::string_view footer = "</library-list-svr4>";

} // namespace

std::optional<std::uint64_t> auxv_value(std::span<const std::uint8_t> auxv, std::uint64_t type) {
  for (std::size_t at = 0; at + 16 <= auxv.size(); at += 16) {
    std::uint64_t key, value;
    std::memcpy(&key, auxv.data() + at, 8);
    std::memcpy(&value, auxv.data() + at + 8, 8);
    if (key == AT_NULL)
      break;
    if (key == type)
      return value;
  }
  return std::nullopt;
}

std::string read_c_string(const ReadMemory &read, std::uint64_t addr) {
  // Small reads that never cross a page, so an unmapped page after the name does no harm.
  constexpr std::uint64_t chunk = 64;
  std::string out;
  while (out.size() < max_name) {
    const std::size_t want = std::min<std::uint64_t>(chunk - addr % chunk, max_name - out.size());
    char buf[chunk];
    std::size_t got = want;
    if (!read(addr, buf, want)) {
      // The region may end mid-chunk: take what is readable byte by byte.
      got = 0;
      while (got < want && read(addr + got, buf + got, 1))
        ++got;
    }
    const auto nul = std::find(buf, buf + got, '\0');
    out.append(buf, nul);
    if (nul != buf + got || got < want)
      break;
    addr += got;
  }
  return out;
}

std::optional<std::uint64_t> find_r_debug(const ReadMemory &read,
                                          std::span<const std::uint8_t> auxv) {
  const auto dynamic = find_dynamic(read, auxv);
  if (!dynamic)
    return std::nullopt;
  for (std::size_t i = 0; i < max_dyn_entries; ++i) {
    Elf64_Dyn dyn;
    if (!read(*dynamic + i * sizeof dyn, &dyn, sizeof dyn) || dyn.d_tag == DT_NULL)
      break;
    if (dyn.d_tag == DT_DEBUG)
      return dyn.d_un.d_val;
  }
  return std::nullopt;
}

std::optional<std::string> svr4_library_list(const ReadMemory &read,
                                             std::span<const std::uint8_t> auxv,
                                             std::string_view annex) {
  std::string doc{header};
  const Annex args = parse_annex(annex);

  // gdb continuing one namespace from a known entry (after a dlopen): no main-lm then.
  if (args.start != 0) {
    doc += '>';
    append_link_map(doc, read, args.lmid, args.start, args.prev);
    return doc += footer;
  }

  const auto first = find_r_debug(read, auxv);
  if (!first)
    return std::nullopt;

  // Every namespace: r_debug version 2 (glibc 2.35+) chains them through r_next. The first
  // entry of the first namespace is the main program: reported as main-lm, not as a library.
  bool header_done = false;
  std::uint64_t r_debug = *first;
  for (std::size_t ns = 0; r_debug != 0 && ns < max_namespaces; ++ns) {
    std::int32_t version = 0;
    std::uint64_t lm = 0;
    if (!read(r_debug + r_version_offset, &version, sizeof version) || version < 1 ||
        !read_u64(read, r_debug + r_map_offset, lm))
      break;
    std::uint64_t prev = 0;
    if (ns == 0) {
      doc += lm != 0 ? fmt::format(" main-lm=\"{:#x}\">", lm) : std::string(">");
      header_done = true;
      prev = lm;
      if (lm != 0 && !read_u64(read, lm + l_next_offset, lm))
        break;
    }
    append_link_map(doc, read, r_debug, lm, prev);
    if (version < 2 || !read_u64(read, r_debug + r_next_offset, r_debug))
      break;
  }
  if (!header_done)
    doc += '>';
  return doc += footer;
}

} // namespace stub
