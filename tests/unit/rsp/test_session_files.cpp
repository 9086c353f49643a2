#include "session_fixture.hpp"

#include "rsp/hex.hpp"
#include "rsp/reply.hpp"

#include <catch2/catch.hpp>
#include <cerrno>

using namespace rsp;
using namespace rsp::test;

// --- qXfer objects ----------------------------------------------------------------------------

TEST_CASE("qXfer:features reads in chunks from one cached read", "[session][qxfer]") {
  Connected c;
  std::string xml = "<target><architecture>i386:x86-64</architecture></target>";
  c.target.objects[{"features", "target.xml"}] = xml;
  CHECK(c("qXfer:features:read:target.xml:0,10") == "m" + xml.substr(0, 16));
  CHECK(c("qXfer:features:read:target.xml:10,10") == "m" + xml.substr(16, 16));
  CHECK(c("qXfer:features:read:target.xml:20,1000") == "l" + xml.substr(32));
  CHECK(c.target.object_reads == 1);
  CHECK(c("qXfer:features:read:target.xml:0,1000") == "l" + xml); // offset 0 re-reads
  CHECK(c.target.object_reads == 2);
  CHECK(c("qXfer:features:read:target.xml:1000,10") == "E01"); // past the end
  CHECK(c("qXfer:features:read:target.xml:" + to_hex(xml.size()) + ",10") == "l");
}

TEST_CASE("qXfer cache is per object and annex", "[session][qxfer]") {
  Connected c;
  c.target.objects[{"features", "a.xml"}] = "AAAA";
  c.target.objects[{"features", "b.xml"}] = "BBBB";
  CHECK(c("qXfer:features:read:a.xml:0,2") == "mAA");
  CHECK(c("qXfer:features:read:b.xml:2,2") == "lBB"); // not cached yet: read
  CHECK(c("qXfer:features:read:a.xml:2,2") == "lAA");
  CHECK(c.target.object_reads == 3);
}

TEST_CASE("qXfer auxv exec-file and libraries-svr4 are binary-escaped", "[session][qxfer]") {
  Connected c;
  c.target.objects[{"auxv", ""}] = std::string("\x21\x00#$}*", 6);
  c.target.objects[{"exec-file", "100"}] = "/bin/true";
  c.target.objects[{"libraries-svr4", ""}] = "<library-list-svr4 version=\"1.0\"/>";
  CHECK(c("qXfer:auxv:read::0,1000") == std::string("l\x21\x00}\x03}\x04}]}\x0a", 11));
  CHECK(c("qXfer:exec-file:read:100:0,1000") == "l/bin/true");
  CHECK(c("qXfer:libraries-svr4:read::0,1000") == "l<library-list-svr4 version=\"1.0\"/>");
}

TEST_CASE("qXfer unknown objects and disabled features and target errors", "[session][qxfer]") {
  Connected c;
  CHECK(c("qXfer:frobnicate:read::0,100").empty());
  c.target.feats.siginfo = false;
  CHECK(c("qXfer:siginfo:read::0,100").empty());
  CHECK(c("qXfer:features:write:target.xml:0:abc").empty());
  c.target.feats.auxv = false;
  CHECK(c("qXfer:auxv:read::0,100").empty());
  CHECK(c("qXfer:features:read:nope.xml:0,100") == "E02"); // ENOENT
  c.target.object_error = std::make_error_code(std::errc::function_not_supported);
  CHECK(c("qXfer:exec-file:read:100:0,100").empty());
  c.target.object_error = std::error_code(EIO, std::generic_category());
  CHECK(c("qXfer:exec-file:read:100:0,100") == "E05");
  CHECK(c("qXfer:exec-file:read:100:10,100") == "E05"); // a failed read is not cached
}

TEST_CASE("qXfer cache is dropped when the target resumes", "[session][qxfer]") {
  Connected c;
  c.target.objects[{"libraries-svr4", ""}] = "0123456789";
  CHECK(c("qXfer:libraries-svr4:read::0,4") == "m0123");
  c.run_and_stop(stop_at({0x100, 0x100}));
  c.session.take_output();
  c.target.objects[{"libraries-svr4", ""}] = "abcdefghij";
  CHECK(c("qXfer:libraries-svr4:read::4,4") == "mefgh");
}

// --- vFile --------------------------------------------------------------------------------------

TEST_CASE("vFile setfs open pread fstat close", "[session][vfile]") {
  Connected c;
  std::string content = std::string("\x7f"
                                    "ELF",
                                    4) +
                        std::string(20, '\0') + "#$}*";
  c.target.files["/bin/x"] = content;
  CHECK(c("vFile:setfs:0") == "F0");
  CHECK(c.target.setfs_calls == std::vector<std::int64_t>{0});
  CHECK(c("vFile:open:" + hex_encode(std::string_view("/bin/x")) + ",0,1c0") == "F3");
  CHECK(c.target.open_flags.back() == std::pair<int, int>{0, 0700});
  CHECK(c("vFile:pread:3,4,0") == "F4;\x7f"
                                  "ELF");
  CHECK(c("vFile:pread:3,1000,4") == "F18;" + std::string(20, '\0') + "}\x03}\x04}]}\x0a");
  CHECK(c("vFile:pread:3,10,1000") == "F0;");
  std::string st = c("vFile:fstat:3");
  REQUIRE(st.substr(0, 4) == "F40;");
  auto raw = unescape_binary(st.substr(4));
  REQUIRE(raw);
  REQUIRE(raw->size() == 64);
  CHECK(raw->substr(28, 8) == std::string("\0\0\0\0\0\0\0\x1c", 8)); // size 28
  CHECK(c("vFile:close:3") == "F0");
  CHECK(c("vFile:close:3") == "F-1,9");
  CHECK(c("vFile:pread:3,4,0") == "F-1,9");
  CHECK(c("vFile:fstat:3") == "F-1,9");
}

TEST_CASE("vFile errors map to gdb fileio errno", "[session][vfile]") {
  Connected c;
  CHECK(c("vFile:open:" + hex_encode(std::string_view("/missing")) + ",0,0") == "F-1,2");
  c.target.setfs_error = std::error_code(EACCES, std::generic_category());
  CHECK(c("vFile:setfs:100") == "F-1,d");
  c.target.setfs_error = std::error_code(ELOOP, std::generic_category());
  CHECK(c("vFile:setfs:100") == "F-1,270f");
  c.target.setfs_error = std::make_error_code(std::errc::function_not_supported);
  CHECK(c("vFile:setfs:100").empty());
}

TEST_CASE("vFile pwrite with escapes and readlink and unlink", "[session][vfile]") {
  Connected c;
  c.target.files["/tmp/f"] = "";
  c.target.links["/proc/100/exe"] = "/usr/bin/t#";
  CHECK(c("vFile:open:" + hex_encode(std::string_view("/tmp/f")) + ",601,1a4") == "F3");
  CHECK(c("vFile:pwrite:3,0,a,}]}\x03") == "F4");
  CHECK(c.target.files["/tmp/f"] == "a,}#");
  CHECK(c("vFile:pwrite:9,0,a") == "F-1,9");
  CHECK(c("vFile:readlink:" + hex_encode(std::string_view("/proc/100/exe"))) ==
        "Fb;/usr/bin/t}\x03");
  CHECK(c("vFile:readlink:" + hex_encode(std::string_view("/x"))) == "F-1,16");
  CHECK(c("vFile:unlink:" + hex_encode(std::string_view("/tmp/f"))) == "F0");
  CHECK(c("vFile:unlink:" + hex_encode(std::string_view("/tmp/f"))) == "F-1,2");
  CHECK(c("vFile:frob:1").empty());
}

TEST_CASE("vFile without target support replies empty", "[session][vfile]") {
  Connected c;
  c.target.feats.vfile = false;
  c.target.files["/bin/x"] = "x";
  for (std::string p :
       {"vFile:setfs:0", "vFile:open:2f,0,0", "vFile:pread:3,1,0", "vFile:pwrite:3,0,a",
        "vFile:close:3", "vFile:fstat:3", "vFile:readlink:2f", "vFile:unlink:2f"}) {
    INFO(p);
    CHECK(c(p).empty());
  }
}
