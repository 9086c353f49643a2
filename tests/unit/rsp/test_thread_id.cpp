#include "rsp/thread_id_codec.hpp"

#include <catch2/catch.hpp>

using namespace rsp;

TEST_CASE("thread ids parse in every form gdb sends", "[thread_id]") {
  CHECK(parse_thread_id("p1a.2b").value() == ThreadId{0x1a, 0x2b});
  CHECK(parse_thread_id("p1a.-1").value() == ThreadId{0x1a, ThreadId::all});
  CHECK(parse_thread_id("p1a").value() == ThreadId{0x1a, ThreadId::all});
  CHECK(parse_thread_id("p-1.-1").value() == ThreadId{ThreadId::all, ThreadId::all});
  CHECK(parse_thread_id("p0.0").value() == ThreadId{ThreadId::any, ThreadId::any});
  CHECK(parse_thread_id("-1").value() == ThreadId{ThreadId::all, ThreadId::all});
  CHECK(parse_thread_id("0").value() == ThreadId{ThreadId::any, ThreadId::any});
  CHECK(parse_thread_id("2b").value() == ThreadId{ThreadId::any, 0x2b});
}

TEST_CASE("malformed thread ids are rejected", "[thread_id]") {
  for (const char *bad : {"", "p", "p.1", "p1.", "-2", "x1", "p1.2.3", "1-", "p1.g"}) {
    INFO(bad);
    CHECK_FALSE(parse_thread_id(bad));
  }
}

TEST_CASE("thread ids format by multiprocess mode", "[thread_id]") {
  CHECK(format_thread_id({0x100, 0x101}, true) == "p100.101");
  CHECK(format_thread_id({0x100, 0x101}, false) == "101");
  CHECK(format_thread_id({0x100, ThreadId::all}, true) == "p100.-1");
  CHECK(format_thread_id({ThreadId::all, ThreadId::all}, false) == "-1");
}
