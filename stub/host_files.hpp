#pragma once
// vFile: the stub's own file system, so gdb given no local binary can read it through us.
#include "rsp/result.hpp"
#include "rsp/target.hpp"

#include <map>
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
  // gdb asks every vFile:pread for a whole packet (its read-ahead), most often to use a few
  // bytes of it. Each fd's reply size starts small and doubles while gdb reads on where
  // the last reply ended: small scattered reads stay cheap for both sides, long
  // sequential ones (a section, `remote get`) soon take whole packets. A short read is
  // pread's right; gdb asks again for the rest.
  struct ReadWindow {
    std::uint64_t next_offset = 0;
    std::size_t size = 0;
  };
  static constexpr std::size_t first_read_window = 4 * 1024;
  static std::size_t next_read_size(ReadWindow &window, std::size_t count, std::uint64_t offset);

  std::string resolve(std::string_view path) const;
  std::map<int, ReadWindow> open_fds_; // only fds gdb opened may be used or closed
  std::int64_t fs_pid_ = 0;
};

} // namespace stub
