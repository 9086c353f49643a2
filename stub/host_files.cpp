#include "stub/host_files.hpp"

#include "stub/support/file_flags.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stub {

HostFiles::~HostFiles() {
  for (const auto &[fd, window] : open_fds_)
    ::close(fd);
}

Result<void> HostFiles::setfs(std::int64_t pid) {
  fs_pid_ = pid;
  return {};
}

// Paths are seen as the process `fs_pid_` sees them (its root), or as ours for pid 0.
std::string HostFiles::resolve(std::string_view path) const {
  if (fs_pid_ == 0 || path.empty() || path.front() != '/')
    return std::string(path);
  return fmt::format("/proc/{}/root{}", fs_pid_, path);
}

Result<int> HostFiles::open(std::string_view path, int gdb_flags, int mode) {
  auto flags = gdb_open_flags_to_host(gdb_flags);
  auto host_mode = gdb_mode_to_host(static_cast<std::uint32_t>(mode));
  if (!flags || !host_mode)
    return rsp::fail_errno(EINVAL);
  std::string host_path = resolve(path);
  int fd = ::open(host_path.c_str(), *flags | O_CLOEXEC, *host_mode);
  if (fd < 0)
    return rsp::fail_errno(errno);
  open_fds_[fd] = ReadWindow{};
  return fd;
}

Result<void> HostFiles::close(int fd) {
  if (!open_fds_.erase(fd))
    return rsp::fail_errno(EBADF);
  ::close(fd);
  return {};
}

std::size_t HostFiles::next_read_size(ReadWindow &window, std::size_t count, std::uint64_t offset) {
  bool sequential = window.size > 0 && offset == window.next_offset;
  window.size = sequential ? std::min(window.size * 2, count) : std::min(first_read_window, count);
  return window.size;
}

Result<std::string> HostFiles::pread(int fd, std::size_t count, std::uint64_t offset) {
  auto it = open_fds_.find(fd);
  if (it == open_fds_.end())
    return rsp::fail_errno(EBADF);
  ReadWindow &window = it->second;
  std::string data(next_read_size(window, count, offset), '\0');
  ssize_t n;
  do {
    n = ::pread(fd, data.data(), data.size(), static_cast<off_t>(offset));
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return rsp::fail_errno(errno);
  data.resize(static_cast<std::size_t>(n));
  window.next_offset = offset + static_cast<std::uint64_t>(n);
  return data;
}

Result<std::size_t> HostFiles::pwrite(int fd, std::uint64_t offset,
                                      std::span<const std::uint8_t> data) {
  if (!open_fds_.count(fd))
    return rsp::fail_errno(EBADF);
  ssize_t n;
  do {
    n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return rsp::fail_errno(errno);
  return static_cast<std::size_t>(n);
}

Result<rsp::FileStat> HostFiles::fstat(int fd) {
  if (!open_fds_.count(fd))
    return rsp::fail_errno(EBADF);
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return rsp::fail_errno(errno);
  rsp::FileStat out;
  out.dev = static_cast<std::uint32_t>(st.st_dev);
  out.ino = static_cast<std::uint32_t>(st.st_ino);
  out.mode = host_mode_to_gdb(st.st_mode);
  out.nlink = static_cast<std::uint32_t>(st.st_nlink);
  out.uid = st.st_uid;
  out.gid = st.st_gid;
  out.rdev = static_cast<std::uint32_t>(st.st_rdev);
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.blksize = static_cast<std::uint64_t>(st.st_blksize);
  out.blocks = static_cast<std::uint64_t>(st.st_blocks);
  out.atime = static_cast<std::uint32_t>(st.st_atime);
  out.mtime = static_cast<std::uint32_t>(st.st_mtime);
  out.ctime = static_cast<std::uint32_t>(st.st_ctime);
  return out;
}

Result<std::string> HostFiles::readlink(std::string_view path) {
  std::string host_path = resolve(path);
  char buf[4096];
  ssize_t n = ::readlink(host_path.c_str(), buf, sizeof buf);
  if (n < 0)
    return rsp::fail_errno(errno);
  return std::string(buf, static_cast<std::size_t>(n));
}

Result<void> HostFiles::unlink(std::string_view path) {
  std::string host_path = resolve(path);
  if (::unlink(host_path.c_str()) != 0)
    return rsp::fail_errno(errno);
  return {};
}

} // namespace stub
