#pragma once
// vFile: the stub's own file system, so gdb given no local binary can read it through us.
#include "rsp/result.hpp"
#include "rsp/target.hpp"

#include <set>
#include <span>
#include <string>
#include <string_view>

namespace stub {

using rsp::Result;

class HostFiles {
public:
  ~HostFiles();
  Result<void> setfs(std::int64_t pid);
  Result<int> open(std::string_view path, int gdb_flags, int mode);
  Result<void> close(int fd);
  Result<std::string> pread(int fd, std::size_t count, std::uint64_t offset);
  Result<std::size_t> pwrite(int fd, std::uint64_t offset, std::span<const std::uint8_t> data);
  Result<rsp::FileStat> fstat(int fd);
  Result<std::string> readlink(std::string_view path);
  Result<void> unlink(std::string_view path);

private:
  std::string resolve(std::string_view path) const;
  std::set<int> open_fds_; // only fds gdb opened may be used or closed
  std::int64_t fs_pid_ = 0;
};

} // namespace stub
