// Non-stop mode: vCont answers OK at once, stops come as %Stop notifications one at a
// time, gdb takes the rest with vStopped, and `?` lists every stopped thread.
#include "session_fixture.hpp"

using namespace rsp;
using namespace rsp::test;

TEST_CASE("QNonStop switches the mode through the target", "[session][non-stop]") {
  Connected c;
  CHECK(c("QNonStop:1") == "OK");
  CHECK(c.target.non_stop);
  CHECK(c.session.non_stop());
  CHECK(c("QNonStop:0") == "OK");
  CHECK_FALSE(c.target.non_stop);

  c.target.non_stop_error = std::errc::operation_not_supported;
  CHECK(c("QNonStop:1")[0] == 'E');
  CHECK_FALSE(c.session.non_stop());
}

TEST_CASE("non-stop: vCont replies OK and packets go on while threads run", "[session][non-stop]") {
  Connected c;
  REQUIRE(c("QNonStop:1") == "OK");
  CHECK(c("vCont;c:p100.101") == "OK");
  CHECK(c.session.state() == SessionState::Idle);
  CHECK(c("qfThreadInfo")[0] == 'm'); // not E01: nothing waits for a stop reply
}

TEST_CASE("non-stop: one notification at a time, the rest through vStopped",
          "[session][non-stop]") {
  Connected c;
  REQUIRE(c("QNonStop:1") == "OK");
  REQUIRE(c("vCont;c") == "OK");
  c.session.on_stop(stop_at({0x100, 0x101}));
  c.session.on_stop(stop_at({0x100, 0x102}, 0));
  auto out = packets_in(c.session.take_output());
  REQUIRE(out.size() == 1);
  CHECK(out[0].rfind("%Stop:T05", 0) == 0);
  CHECK(out[0].find("thread:p100.101;") != std::string::npos);

  std::string next = c("vStopped"); // the first is taken; the second comes as the reply
  CHECK(next.rfind("T00", 0) == 0);
  CHECK(next.find("thread:p100.102;") != std::string::npos);
  CHECK(c("vStopped") == "OK");

  // The queue is empty again: the next stop is a notification of its own.
  StopEvent exited;
  exited.kind = StopKind::Exited;
  exited.thread = {0x100, 0x100};
  c.session.on_stop(exited);
  CHECK(packets_in(c.session.take_output()) == std::vector<std::string>{"%Stop:W00;process:100"});
  CHECK(c("vStopped") == "OK");
}

TEST_CASE("non-stop: ? lists every stopped thread, OK when none", "[session][non-stop]") {
  Connected c;
  REQUIRE(c("QNonStop:1") == "OK");
  CHECK(c("?") == "OK");
  c.target.stopped = {stop_at({0x100, 0x100}), stop_at({0x100, 0x103}, 0)};
  std::string first = c("?");
  CHECK(first.rfind("T05", 0) == 0);
  CHECK(first.find("thread:p100.100;") != std::string::npos);
  std::string second = c("vStopped");
  CHECK(second.find("thread:p100.103;") != std::string::npos);
  CHECK(c("vStopped") == "OK");
}

TEST_CASE("vStopped outside non-stop mode is not supported", "[session][non-stop]") {
  Connected c;
  CHECK(c("vStopped").empty());
}

TEST_CASE("a notification is framed with % and never acked or retransmitted",
          "[framing][non-stop]") {
  Framer f(4096);
  f.notify("Stop", "T05thread:p1.1;");
  std::string out = f.take_output();
  CHECK(out ==
        "%Stop:T05thread:p1.1;#" +
            raw_frame("Stop:T05thread:p1.1;").substr(raw_frame("Stop:T05thread:p1.1;").size() - 2));
  f.append("-"); // a nak retransmits the last packet, never a notification
  CHECK_FALSE(f.next());
  CHECK(f.take_output().empty());
}

TEST_CASE("non-stop: vAttach replies OK; the stops follow as notifications",
          "[session][non-stop]") {
  Connected c;
  REQUIRE(c("!") == "OK");
  REQUIRE(c("QNonStop:1") == "OK");
  CHECK(c("vAttach;1234") == "OK");
}
