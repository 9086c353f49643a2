#pragma once
// Symbols of a 64-bit ELF file on the host, from .dynsym and .symtab (a static executable has
// only the latter). The file is read through a callback, so tests can feed bytes.
#include "stub/support/svr4_libraries.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace stub {

struct ElfSymbols {
  std::uint64_t entry = 0;                      // e_entry: with AT_ENTRY, the load bias
  std::map<std::string, std::uint64_t> symbols; // name -> st_value (link-time address)
};

// The defined symbols whose names start with `prefix`, from a file read through `file`
// (offset, out, len). nullopt if it is not a 64-bit little-endian ELF file.
std::optional<ElfSymbols> read_elf_symbols(const ReadMemory &file, std::string_view prefix);

// A reader over the host file at `path` (pread on a descriptor kept open by the returned
// function); an empty function when the file cannot be opened.
ReadMemory host_file_reader(const std::string &path);

} // namespace stub
