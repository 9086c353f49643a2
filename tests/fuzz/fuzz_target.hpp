#pragma once
// The unit tests' FakeTarget, made total for the fuzzer: every address reads, every path
// opens, every qXfer object exists and is long enough that offsets and lengths matter. All
// answers depend only on the request, so a crash replays exactly.
#include "../unit/rsp/fake_target.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace rsp::fuzz {

// A deterministic byte string of `size` bytes seeded by `seed`, with the bytes the binary
// escapes and the run-length encoder care about (#, $, }, *, runs) mixed in.
inline std::string pattern(std::string_view seed, std::size_t size) {
  std::uint32_t h = 2166136261u;
  for (char c : seed)
    h = (h ^ static_cast<std::uint8_t>(c)) * 16777619u;
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    h = h * 1103515245u + 12345u;
    std::uint8_t b = static_cast<std::uint8_t>(h >> 16);
    if (i % 97 < 12)
      b = 'a'; // a run for the run-length encoder
    else if (b % 11 == 0)
      b = static_cast<std::uint8_t>("#$}*"[b % 4]);
    out[i] = static_cast<char>(b);
  }
  return out;
}

struct FuzzTarget : test::FakeTarget {
  static constexpr std::size_t max_open_files = 16;
  static constexpr std::uint64_t max_file_size = 1 << 20;

  FuzzTarget() {
    thread_list.push_back({ThreadId{pid, 0x102}, "<&\"'>", 0});
    std::string g = pattern("g", 560);
    registers.assign(g.begin(), g.end());
    siginfo = pattern("siginfo", 128);
    tls_base = 0x7f0000001000;
    stopped = {last, last};
    stopped[1].thread = thread_list[1].id;
    std::string xml = "<?xml version=\"1.0\"?><target>" + std::string(3000, 'x') + "</target>";
    objects[{"features", "target.xml"}] = xml;
    objects[{"features", "64bit-core.xml"}] = pattern("core", 5000);
    objects[{"auxv", ""}] = pattern("auxv", 368);
    objects[{"exec-file", "100"}] = "/usr/bin/prog";
    objects[{"exec-file", ""}] = "/usr/bin/prog";
    objects[{"libraries-svr4", ""}] =
        "<library-list-svr4 version=\"1.0\">" + pattern("libs", 4000) + "</library-list-svr4>";
    objects[{"osdata", ""}] = pattern("osdata", 2000);
    objects[{"osdata", "processes"}] = pattern("processes", 9000);
    links["/proc/256/exe"] = "/usr/bin/prog";
  }

  // Any address reads, up to the end of its 4 KiB page (short reads); the top page fails.
  Result<std::size_t> read_memory(std::uint64_t addr, std::span<std::uint8_t> out) override {
    if (addr >= 0xfffffffffffff000)
      return fail_errno(EIO);
    std::size_t n = std::min<std::uint64_t>(out.size(), 0x1000 - (addr & 0xfff) + 0x1000);
    for (std::size_t i = 0; i < n; ++i)
      out[i] = static_cast<std::uint8_t>((addr + i) * 0x9d);
    return n;
  }
  Result<void> write_memory(std::uint64_t addr, std::span<const std::uint8_t> in) override {
    if (addr + in.size() < addr)
      return fail_errno(EFAULT);
    return {};
  }

  Result<std::vector<std::uint8_t>> read_register(ThreadId thread, int regnum) override {
    if (regnum < 0 || regnum >= 80)
      return fail_errno(EINVAL);
    auto bytes = pattern("p" + std::to_string(regnum), regnum < 24 ? 8 : 16);
    return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
  }

  // Every path but one containing "missing" opens; a bounded number of fds.
  Result<int> file_open(std::string_view path, int flags, int mode) override {
    if (path.find("missing") != std::string_view::npos)
      return fail_errno(ENOENT);
    if (open_fds.size() >= max_open_files)
      return fail_errno(EMFILE);
    int fd = 3;
    while (open_fds.count(fd))
      ++fd;
    open_fds[fd] = std::string(path);
    if (!files.count(open_fds[fd]))
      files[open_fds[fd]] = pattern(path, 10000 + path.size() * 97);
    return fd;
  }
  Result<std::size_t> file_pwrite(int fd, std::uint64_t offset,
                                  std::span<const std::uint8_t> data) override {
    if (offset > max_file_size || data.size() > max_file_size - offset)
      return fail_errno(EFBIG);
    return FakeTarget::file_pwrite(fd, offset, data);
  }
  Result<std::string> file_readlink(std::string_view path) override {
    if (auto link = FakeTarget::file_readlink(path))
      return link;
    return std::string(path) + ".link";
  }
};

} // namespace rsp::fuzz
