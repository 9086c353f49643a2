#pragma once
// Memory for the support code's tests: a sparse fake address space, this process's own
// memory, and this process's auxv.
#include "stub/support/svr4_libraries.hpp"

#include <catch2/catch.hpp>
#include <sys/uio.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace stub::testing {

// A sparse fake address space: reads succeed only inside one mapped region.
class FakeMemory {
public:
  void map(std::uint64_t addr, std::size_t size) { regions_[addr].resize(size); }

  template <typename T> void put(std::uint64_t addr, const T &value) {
    std::memcpy(at(addr, sizeof value), &value, sizeof value);
  }
  void put_string(std::uint64_t addr, const std::string &s) {
    std::memcpy(at(addr, s.size() + 1), s.c_str(), s.size() + 1);
  }

  bool read(std::uint64_t addr, void *out, std::size_t len) const {
    auto it = regions_.upper_bound(addr);
    if (it == regions_.begin())
      return false;
    --it;
    if (addr + len > it->first + it->second.size())
      return false;
    std::memcpy(out, it->second.data() + (addr - it->first), len);
    return true;
  }

  stub::ReadMemory reader() const {
    return [this](std::uint64_t addr, void *out, std::size_t len) { return read(addr, out, len); };
  }

private:
  std::uint8_t *at(std::uint64_t addr, std::size_t len) {
    auto it = regions_.upper_bound(addr);
    REQUIRE(it != regions_.begin());
    --it;
    REQUIRE(addr + len <= it->first + it->second.size());
    return it->second.data() + (addr - it->first);
  }
  std::map<std::uint64_t, std::vector<std::uint8_t>> regions_;
};

// This process's memory through process_vm_readv: unmapped addresses fail, not fault.
inline bool read_own_memory(std::uint64_t addr, void *out, std::size_t len) {
  iovec local{out, len};
  iovec remote{reinterpret_cast<void *>(addr), len};
  return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == static_cast<ssize_t>(len);
}

inline std::vector<std::uint8_t> own_auxv() {
  std::ifstream in("/proc/self/auxv", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace stub::testing
