#include "stub/memory.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/uio.h>
#include <unistd.h>

namespace stub {

ProcessMemory::~ProcessMemory() { close(); }

Result<void> ProcessMemory::open(pid_t pid) {
  close();
  std::string path = "/proc/" + std::to_string(pid) + "/mem";
  fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0)
    return rsp::fail_errno(errno);
  pid_ = pid;
  return {};
}

void ProcessMemory::close() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

Result<std::size_t> ProcessMemory::read(std::uint64_t addr, std::span<std::uint8_t> out) {
  if (fd_ < 0)
    return rsp::fail(std::errc::no_such_process);
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        pread64(fd_, out.data() + done, out.size() - done, static_cast<off64_t>(addr + done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (done == 0)
        return rsp::fail_errno(n < 0 ? errno : EIO);
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return done;
}

Result<void> ProcessMemory::write(std::uint64_t addr, std::span<const std::uint8_t> in) {
  if (fd_ < 0)
    return rsp::fail(std::errc::no_such_process);
  std::size_t done = 0;
  while (done < in.size()) {
    ssize_t n =
        pwrite64(fd_, in.data() + done, in.size() - done, static_cast<off64_t>(addr + done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return rsp::fail_errno(n < 0 ? errno : EIO);
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Result<void> ProcessMemory::write_as_program(std::uint64_t addr, std::span<const std::uint8_t> in) {
  if (fd_ < 0)
    return rsp::fail(std::errc::no_such_process);
  // A write across a page boundary could be half done where the real store writes nothing:
  // refused (the caller lets the program store instead).
  constexpr std::uint64_t page = 4096;
  if (in.empty() || addr % page + in.size() > page)
    return rsp::fail(std::errc::invalid_argument);
  iovec local{const_cast<std::uint8_t *>(in.data()), in.size()};
  iovec remote{reinterpret_cast<void *>(addr), in.size()};
  ssize_t n = process_vm_writev(pid_, &local, 1, &remote, 1, 0);
  if (n < 0)
    return rsp::fail_errno(errno);
  if (static_cast<std::size_t>(n) != in.size())
    return rsp::fail(std::errc::bad_address);
  return {};
}

} // namespace stub
