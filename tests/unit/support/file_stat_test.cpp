#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "stub/support/file_stat.hpp"

namespace {

std::uint64_t be(const std::array<std::uint8_t, 64> &b, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i)
    v = (v << 8) | b[at + i];
  return v;
}

} // namespace

TEST_CASE("struct stat in gdb's big-endian layout", "[support][fileio]") {
  struct stat st {};
  st.st_dev = 0x0803;
  st.st_ino = 0x1'2345'6789; // wider than 32 bits: truncated like gdbserver
  st.st_mode = S_IFREG | 0755;
  st.st_nlink = 2;
  st.st_uid = 1000;
  st.st_gid = 100;
  st.st_rdev = 0;
  st.st_size = 0x1'0000'0010;
  st.st_blksize = 4096;
  st.st_blocks = 8;
  st.st_atime = 1700000000;
  st.st_mtime = 1700000001;
  st.st_ctime = 1700000002;

  const auto b = stub::host_stat_to_gdb(st);
  CHECK(be(b, 0, 4) == 0x0803);
  CHECK(be(b, 4, 4) == 0x23456789);
  CHECK(be(b, 8, 4) == 0100755);
  CHECK(be(b, 12, 4) == 2);
  CHECK(be(b, 16, 4) == 1000);
  CHECK(be(b, 20, 4) == 100);
  CHECK(be(b, 24, 4) == 0);
  CHECK(be(b, 28, 8) == 0x100000010);
  CHECK(be(b, 36, 8) == 4096);
  CHECK(be(b, 44, 8) == 8);
  CHECK(be(b, 52, 4) == 1700000000);
  CHECK(be(b, 56, 4) == 1700000001);
  CHECK(be(b, 60, 4) == 1700000002);
}
