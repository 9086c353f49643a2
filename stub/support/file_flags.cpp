#include "stub/support/file_flags.hpp"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <utility>

namespace stub {
namespace {

using namespace gdb_fileio;

constexpr std::array<std::pair<int, int>, 6> open_bits = {{
    {o_wronly, O_WRONLY},
    {o_rdwr, O_RDWR},
    {o_append, O_APPEND},
    {o_creat, O_CREAT},
    {o_trunc, O_TRUNC},
    {o_excl, O_EXCL},
}};

constexpr std::uint32_t permission_bits = 0777; // same values in gdb's protocol and on Linux

// gdb's include/gdb/fileio.h numbers (its manual lists all but EIO and ENOSYS).
constexpr std::array<std::pair<int, int>, 21> errnos = {{
    {EPERM, 1},   {ENOENT, 2},  {EINTR, 4},         {EIO, 5},     {EBADF, 9},    {EACCES, 13},
    {EFAULT, 14}, {EBUSY, 16},  {EEXIST, 17},       {ENODEV, 19}, {ENOTDIR, 20}, {EISDIR, 21},
    {EINVAL, 22}, {ENFILE, 23}, {EMFILE, 24},       {EFBIG, 27},  {ENOSPC, 28},  {ESPIPE, 29},
    {EROFS, 30},  {ENOSYS, 88}, {ENAMETOOLONG, 91},
}};

} // namespace

std::optional<int> gdb_open_flags_to_host(int gdb_flags) {
  int supported = o_rdonly;
  int host = O_RDONLY;
  for (const auto &[g, h] : open_bits) {
    supported |= g;
    if (gdb_flags & g)
      host |= h;
  }
  if (gdb_flags & ~supported)
    return std::nullopt;
  return host;
}

std::optional<mode_t> gdb_mode_to_host(std::uint32_t gdb_mode) {
  if (gdb_mode & ~(s_ifreg | s_ifdir | permission_bits))
    return std::nullopt;
  mode_t host = gdb_mode & permission_bits;
  if (gdb_mode & s_ifreg)
    host |= S_IFREG;
  if (gdb_mode & s_ifdir)
    host |= S_IFDIR;
  return host;
}

std::uint32_t host_mode_to_gdb(mode_t host_mode) {
  std::uint32_t gdb = host_mode & permission_bits;
  if (S_ISREG(host_mode))
    gdb |= s_ifreg;
  else if (S_ISDIR(host_mode))
    gdb |= s_ifdir;
  else if (S_ISCHR(host_mode))
    gdb |= s_ifchr;
  return gdb;
}

int host_errno_to_gdb(int host_errno) {
  for (const auto &[h, g] : errnos)
    if (h == host_errno)
      return g;
  return eunknown;
}

} // namespace stub
