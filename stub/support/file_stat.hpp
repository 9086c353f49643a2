#pragma once
// struct stat -> gdb's `struct stat` wire image for vFile:fstat / vFile:stat replies: 64 bytes,
// big-endian, fields st_dev ino mode nlink uid gid rdev (4 bytes each), st_size blksize
// blocks (8 bytes each), st_atime mtime ctime (4 bytes each).
#include <array>
#include <cstdint>
#include <sys/stat.h>

namespace stub {

inline constexpr std::size_t gdb_stat_size = 64;

std::array<std::uint8_t, gdb_stat_size> host_stat_to_gdb(const struct stat &st);

} // namespace stub
