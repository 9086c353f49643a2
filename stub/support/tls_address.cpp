#include "stub/support/tls_address.hpp"

#include "stub/support/elf_symbols.hpp"

#include <elf.h>

#include <algorithm>
#include <vector>

namespace stub {
namespace {

constexpr std::uint64_t r_map_offset = 8;
constexpr std::uint64_t l_addr_offset = 0, l_name_offset = 8, l_next_offset = 24;
constexpr std::size_t max_objects = 1 << 12;
constexpr std::uint64_t dtv_unallocated = ~std::uint64_t{0}; // TLS_DTV_UNALLOCATED

bool read_u64(const ReadMemory &read, std::uint64_t addr, std::uint64_t &out) {
  return read(addr, &out, sizeof out);
}

// A field of 8, 16, 32 or 64 bits, zero-extended.
std::optional<std::uint64_t> read_field(const ReadMemory &read, std::uint64_t addr,
                                        const TlsField &field) {
  if (field.bits == 0 || field.bits > 64 || field.bits % 8 != 0)
    return std::nullopt;
  std::uint64_t value = 0; // little-endian: the low bytes come first
  if (!read(addr, &value, field.bits / 8))
    return std::nullopt;
  return value;
}

struct Object {
  std::string path;
  std::optional<std::uint64_t> bias; // nullopt: from AT_ENTRY vs. the file's e_entry
};

bool is_libc(const std::string &path) {
  const auto base = path.substr(path.rfind('/') + 1);
  return base.starts_with("libc.so") || base.starts_with("libc-");
}

// The shared objects in the link_map chain after its first entry (the main program).
std::vector<Object> shared_objects(const ReadMemory &memory, std::span<const std::uint8_t> auxv) {
  std::vector<Object> out;
  const auto r_debug = find_r_debug(memory, auxv);
  std::uint64_t lm = 0;
  if (!r_debug || *r_debug == 0 || !read_u64(memory, *r_debug + r_map_offset, lm) || lm == 0 ||
      !read_u64(memory, lm + l_next_offset, lm))
    return out; // a static executable, or ld.so has not set the chain up yet
  for (std::size_t n = 0; lm != 0 && n < max_objects; ++n) {
    std::uint64_t l_addr, l_name;
    if (!read_u64(memory, lm + l_addr_offset, l_addr) ||
        !read_u64(memory, lm + l_name_offset, l_name))
      break;
    if (std::string name = l_name ? read_c_string(memory, l_name) : std::string{}; !name.empty())
      out.push_back({std::move(name), l_addr});
    if (!read_u64(memory, lm + l_next_offset, lm))
      break;
  }
  return out;
}

// Where to look: libc first (the usual home), then the program (static), then the rest.
std::vector<Object> candidates(const ReadMemory &memory, std::span<const std::uint8_t> auxv,
                               const std::string &main_program) {
  std::vector<Object> out = shared_objects(memory, auxv);
  const auto libc_end = std::stable_partition(out.begin(), out.end(),
                                              [](const Object &o) { return is_libc(o.path); });
  out.insert(libc_end, {main_program, std::nullopt});
  return out;
}

std::optional<TlsLayout> layout_of(const ReadMemory &memory, std::span<const std::uint8_t> auxv,
                                   const Object &object, const OpenFile &open) {
  const ReadMemory file = open(object.path);
  if (!file)
    return std::nullopt;
  const auto elf = read_elf_symbols(file, "_thread_db_");
  if (!elf || !elf->symbols.contains("_thread_db_pthread_dtvp"))
    return std::nullopt;
  std::uint64_t bias = 0;
  if (object.bias)
    bias = *object.bias;
  else if (auto entry = auxv_value(auxv, AT_ENTRY))
    bias = *entry - elf->entry;
  // The descriptors are read-only data: read them where they are loaded.
  auto field = [&](const char *name, TlsField &out) {
    const auto it = elf->symbols.find(name);
    std::uint32_t raw[3];
    if (it == elf->symbols.end() || !memory(bias + it->second, raw, sizeof raw))
      return false;
    out = {raw[0], raw[1], raw[2]};
    return true;
  };
  TlsLayout layout;
  if (!field("_thread_db_link_map_l_tls_modid", layout.l_tls_modid) ||
      !field("_thread_db_pthread_dtvp", layout.pthread_dtvp) ||
      !field("_thread_db_dtv_dtv", layout.dtv_dtv) ||
      !field("_thread_db_dtv_t_counter", layout.dtv_t_counter) ||
      !field("_thread_db_dtv_t_pointer_val", layout.dtv_t_pointer_val))
    return std::nullopt;
  return layout;
}

} // namespace

std::optional<TlsLayout> find_tls_layout(const ReadMemory &memory,
                                         std::span<const std::uint8_t> auxv,
                                         const std::string &main_program, const OpenFile &open) {
  for (const auto &object : candidates(memory, auxv, main_program))
    if (auto layout = layout_of(memory, auxv, object, open))
      return layout;
  return std::nullopt;
}

std::optional<std::uint64_t> tls_address(const ReadMemory &memory, const TlsLayout &layout,
                                         std::uint64_t thread_pointer, std::uint64_t offset,
                                         std::uint64_t lm) {
  // gdb sends lm 0 for a static executable (no link_map for it): its block is module 1,
  // as gdbserver asks libthread_db then.
  const auto modid = lm == 0
                         ? std::optional<std::uint64_t>{1}
                         : read_field(memory, lm + layout.l_tls_modid.offset, layout.l_tls_modid);
  if (!modid || *modid == 0)
    return std::nullopt; // unreadable link_map, or an object without TLS
  const auto dtv =
      read_field(memory, thread_pointer + layout.pthread_dtvp.offset, layout.pthread_dtvp);
  const std::uint64_t slot = layout.dtv_dtv.bits / 8;
  if (!dtv || *dtv == 0 || slot == 0)
    return std::nullopt;
  // dtv[-1] holds the slot count: a module loaded after this thread's dtv was last grown is
  // beyond it (libthread_db calls that "deferred").
  const std::uint64_t first = *dtv + layout.dtv_dtv.offset;
  const auto count =
      read_field(memory, first - slot + layout.dtv_t_counter.offset, layout.dtv_t_counter);
  if (!count || *modid > *count)
    return std::nullopt;
  const auto block = read_field(memory, first + *modid * slot + layout.dtv_t_pointer_val.offset,
                                layout.dtv_t_pointer_val);
  if (!block || *block == 0 || *block == dtv_unallocated)
    return std::nullopt;
  return *block + offset;
}

} // namespace stub
