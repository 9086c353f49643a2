#pragma once
// Thread-local variable addresses without libthread_db (x86-64 glibc). glibc describes its
// private layouts for libthread_db in `_thread_db_*` symbols (libc.so.6's .dynsym, or a static
// executable's .symtab): each field descriptor is uint32_t[3] = {size in bits, element count,
// byte offset}. With them: link_map -> TLS module id; thread pointer (fs_base) -> dtv;
// dtv[modid] -> the module's block for that thread.
#include "stub/support/svr4_libraries.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

namespace stub {

struct TlsField {
  std::uint32_t bits = 0, count = 0, offset = 0;
};

struct TlsLayout {
  TlsField l_tls_modid;       // in struct link_map
  TlsField pthread_dtvp;      // in struct pthread (at the thread pointer): the dtv pointer
  TlsField dtv_dtv;           // the dtv as an array of dtv_t: bits = sizeof(dtv_t) * 8
  TlsField dtv_t_counter;     // dtv[-1].counter: the number of slots
  TlsField dtv_t_pointer_val; // dtv[modid].pointer.val: the block, or -1 if unallocated
};

// A reader over the host file at a path; an empty function when it cannot be opened.
using OpenFile = std::function<ReadMemory(const std::string &path)>;

// Finds glibc's descriptors in the process: in libc (from the link_map chain the auxv leads
// to), else in `main_program` (a static executable). nullopt when no object has them.
std::optional<TlsLayout> find_tls_layout(const ReadMemory &memory,
                                         std::span<const std::uint8_t> auxv,
                                         const std::string &main_program, const OpenFile &open);

// The address of `offset` in the TLS block of the object whose link_map is at `lm`, for the
// thread whose thread pointer is `thread_pointer` (lm 0: the static executable's own block,
// module 1). nullopt when the object has no TLS or the thread has not allocated its block
// yet (as libthread_db fails then too).
std::optional<std::uint64_t> tls_address(const ReadMemory &memory, const TlsLayout &layout,
                                         std::uint64_t thread_pointer, std::uint64_t offset,
                                         std::uint64_t lm);

} // namespace stub
