#include <catch2/catch.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>

#include "stub/support/file_flags.hpp"

using namespace stub;

TEST_CASE("open flags map to the host's", "[support][fileio]") {
  CHECK(gdb_open_flags_to_host(0x0) == O_RDONLY);
  CHECK(gdb_open_flags_to_host(0x1) == O_WRONLY);
  CHECK(gdb_open_flags_to_host(0x2) == O_RDWR);
  CHECK(gdb_open_flags_to_host(0x8 | 0x1) == (O_APPEND | O_WRONLY));
  CHECK(gdb_open_flags_to_host(0x200 | 0x400 | 0x1) == (O_CREAT | O_TRUNC | O_WRONLY));
  CHECK(gdb_open_flags_to_host(0x200 | 0x800 | 0x2) == (O_CREAT | O_EXCL | O_RDWR));
  CHECK(gdb_open_flags_to_host(0xa0b) == (O_CREAT | O_EXCL | O_APPEND | O_WRONLY | O_RDWR));
}

TEST_CASE("unknown open flags are rejected", "[support][fileio]") {
  CHECK_FALSE(gdb_open_flags_to_host(0x4));
  CHECK_FALSE(gdb_open_flags_to_host(0x1000));
  CHECK_FALSE(gdb_open_flags_to_host(O_CREAT)); // host value 0100 is not a gdb bit
  CHECK_FALSE(gdb_open_flags_to_host(-1));
}

TEST_CASE("modes map to the host's", "[support][fileio]") {
  CHECK(gdb_mode_to_host(0644) == mode_t{0644});
  CHECK(gdb_mode_to_host(0777) == mode_t{0777});
  CHECK(gdb_mode_to_host(0100600) == mode_t{S_IFREG | 0600});
  CHECK(gdb_mode_to_host(040755) == mode_t{S_IFDIR | 0755});
  CHECK_FALSE(gdb_mode_to_host(04755));  // set-uid is not in the protocol
  CHECK_FALSE(gdb_mode_to_host(020644)); // nor is creating a character device
  CHECK_FALSE(gdb_mode_to_host(0x10000000));
}

TEST_CASE("host st_mode as gdb's", "[support][fileio]") {
  CHECK(host_mode_to_gdb(S_IFREG | 0644) == 0100644);
  CHECK(host_mode_to_gdb(S_IFDIR | 0755) == 040755);
  CHECK(host_mode_to_gdb(S_IFCHR | 0666) == 020666);
  CHECK(host_mode_to_gdb(S_IFLNK | 0777) == 0777); // no gdb type for links
  CHECK(host_mode_to_gdb(S_IFIFO | 0600) == 0600); // nor for FIFOs
  CHECK(host_mode_to_gdb(S_IFSOCK | 0700) == 0700);
  CHECK(host_mode_to_gdb(S_IFREG | S_ISUID | 04755) == 0100755);
}

TEST_CASE("errno values for F replies", "[support][fileio]") {
  CHECK(host_errno_to_gdb(EPERM) == 1);
  CHECK(host_errno_to_gdb(ENOENT) == 2);
  CHECK(host_errno_to_gdb(EINTR) == 4);
  CHECK(host_errno_to_gdb(EIO) == 5);
  CHECK(host_errno_to_gdb(EBADF) == 9);
  CHECK(host_errno_to_gdb(EACCES) == 13);
  CHECK(host_errno_to_gdb(EFAULT) == 14);
  CHECK(host_errno_to_gdb(EBUSY) == 16);
  CHECK(host_errno_to_gdb(EEXIST) == 17);
  CHECK(host_errno_to_gdb(ENODEV) == 19);
  CHECK(host_errno_to_gdb(ENOTDIR) == 20);
  CHECK(host_errno_to_gdb(EISDIR) == 21);
  CHECK(host_errno_to_gdb(EINVAL) == 22);
  CHECK(host_errno_to_gdb(ENFILE) == 23);
  CHECK(host_errno_to_gdb(EMFILE) == 24);
  CHECK(host_errno_to_gdb(EFBIG) == 27);
  CHECK(host_errno_to_gdb(ENOSPC) == 28);
  CHECK(host_errno_to_gdb(ESPIPE) == 29);
  CHECK(host_errno_to_gdb(EROFS) == 30);
  CHECK(host_errno_to_gdb(ENOSYS) == 88);
  CHECK(host_errno_to_gdb(ENAMETOOLONG) == 91);
  CHECK(host_errno_to_gdb(ELOOP) == 9999);
  CHECK(host_errno_to_gdb(0) == 9999);
}
