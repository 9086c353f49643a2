#pragma once
// gdb's File-I/O protocol constants (vFile:open flags and modes, F-reply errno values) and
// their Linux counterparts. The protocol numbers are fixed by gdb's manual, "Constants".
#include <cstdint>
#include <optional>
#include <sys/types.h>

namespace stub {

namespace gdb_fileio {
inline constexpr int o_rdonly = 0x0, o_wronly = 0x1, o_rdwr = 0x2, o_append = 0x8, o_creat = 0x200,
                     o_trunc = 0x400, o_excl = 0x800;
inline constexpr std::uint32_t s_ifreg = 0100000, s_ifdir = 040000, s_ifchr = 020000;
inline constexpr int eunknown = 9999;
} // namespace gdb_fileio

// vFile:open flags -> open(2) flags; nullopt if a bit gdb does not define is set (gdbserver
// then replies EINVAL).
std::optional<int> gdb_open_flags_to_host(int gdb_flags);

// vFile:open mode -> host mode; nullopt for bits outside S_IFREG, S_IFDIR and 0777.
std::optional<mode_t> gdb_mode_to_host(std::uint32_t gdb_mode);

// A host st_mode as gdb's: regular file, directory and character device types plus the
// 0777 permission bits; other file types and set-id/sticky bits are dropped.
std::uint32_t host_mode_to_gdb(mode_t host_mode);

// A host errno for an F-reply (`F-1,errno`); one gdb has no number for is EUNKNOWN (9999).
int host_errno_to_gdb(int host_errno);

} // namespace stub
