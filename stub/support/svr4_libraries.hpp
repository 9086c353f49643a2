#pragma once
// The qXfer:libraries-svr4:read document: the dynamic linker's link_map chain, found from the
// auxv (AT_PHDR/AT_PHNUM -> PT_PHDR for the load bias -> PT_DYNAMIC -> DT_DEBUG -> r_debug),
// in gdbserver's format. 64-bit ELF only. All reads go through a callback, so this works on
// any memory (a traced process, our own, or a fake in tests).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace stub {

// Read exactly `len` bytes at `addr` into `out`; false if any of them is unreadable.
using ReadMemory = std::function<bool(std::uint64_t addr, void *out, std::size_t len)>;

// The value of auxv entry `type` (AT_ENTRY, AT_PHDR...), if present.
std::optional<std::uint64_t> auxv_value(std::span<const std::uint8_t> auxv, std::uint64_t type);

// A NUL-terminated string at `addr` (a link_map's l_name), at most PATH_MAX - 1 bytes; what
// is readable of it when it runs into unmapped memory.
std::string read_c_string(const ReadMemory &read, std::uint64_t addr);

// The address of `struct r_debug`, from DT_DEBUG. 0 while ld.so has not filled it in yet;
// nullopt if there is no PT_PHDR, PT_DYNAMIC or DT_DEBUG (e.g. a static executable).
std::optional<std::uint64_t> find_r_debug(const ReadMemory &read,
                                          std::span<const std::uint8_t> auxv);

// The whole document for `annex` (as sent by gdb: empty, or "start=…;prev=…;lmid=…" hex
// values to continue one namespace's list from a given link_map, as gdbserver supports).
// nullopt when find_r_debug finds no DT_DEBUG: gdbserver replies E01 then, and so should we.
// r_debug == 0 gives the empty list `<library-list-svr4 version="1.0"></library-list-svr4>`.
std::optional<std::string> svr4_library_list(const ReadMemory &read,
                                             std::span<const std::uint8_t> auxv,
                                             std::string_view annex = {});

} // namespace stub
