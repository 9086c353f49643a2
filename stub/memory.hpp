#pragma once
// Inferior memory through one kept-open /proc/PID/mem: one pread/pwrite per request,
// no word-at-a-time PEEKDATA.
#include "rsp/result.hpp"

#include <cstdint>
#include <span>
#include <sys/types.h>

namespace stub {

using rsp::Result;

class ProcessMemory {
public:
  ProcessMemory() = default;
  ~ProcessMemory();
  ProcessMemory(const ProcessMemory &) = delete;
  ProcessMemory &operator=(const ProcessMemory &) = delete;

  // (Re)open for `pid`; needed again after an exec, which replaces the address space.
  Result<void> open(pid_t pid);
  void close();
  // Reads as much as is mapped from `addr` on; an error only when nothing could be read.
  Result<std::size_t> read(std::uint64_t addr, std::span<std::uint8_t> out);
  Result<void> write(std::uint64_t addr, std::span<const std::uint8_t> in);
  // A write as the program's own store would be: only where its pages are writable
  // (process_vm_writev; /proc/PID/mem writes read-only pages too), within one page.
  Result<void> write_as_program(std::uint64_t addr, std::span<const std::uint8_t> in);

private:
  int fd_ = -1;
  pid_t pid_ = 0;
};

} // namespace stub
