#include "stub/support/file_stat.hpp"

#include "stub/support/file_flags.hpp"

namespace stub {
namespace {

// Big-endian store of the low `width` bytes of `value` (wider host values are truncated,
// as gdbserver does).
std::size_t put_be(std::array<std::uint8_t, gdb_stat_size> &out, std::size_t at,
                   std::uint64_t value, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i)
    out[at + i] = static_cast<std::uint8_t>(value >> (8 * (width - 1 - i)));
  return at + width;
}

} // namespace

std::array<std::uint8_t, gdb_stat_size> host_stat_to_gdb(const struct stat &st) {
  std::array<std::uint8_t, gdb_stat_size> out{};
  std::size_t at = 0;
  at = put_be(out, at, st.st_dev, 4);
  at = put_be(out, at, st.st_ino, 4);
  at = put_be(out, at, host_mode_to_gdb(st.st_mode), 4);
  at = put_be(out, at, st.st_nlink, 4);
  at = put_be(out, at, st.st_uid, 4);
  at = put_be(out, at, st.st_gid, 4);
  at = put_be(out, at, st.st_rdev, 4);
  at = put_be(out, at, static_cast<std::uint64_t>(st.st_size), 8);
  at = put_be(out, at, static_cast<std::uint64_t>(st.st_blksize), 8);
  at = put_be(out, at, static_cast<std::uint64_t>(st.st_blocks), 8);
  at = put_be(out, at, static_cast<std::uint64_t>(st.st_atime), 4);
  at = put_be(out, at, static_cast<std::uint64_t>(st.st_mtime), 4);
  put_be(out, at, static_cast<std::uint64_t>(st.st_ctime), 4);
  return out;
}

} // namespace stub
