// extended-remote: vRun, vAttach, R, the launch configuration packets, --disable-packet.
#include "rsp/hex.hpp"
#include "session_fixture.hpp"

#include <catch2/catch.hpp>

using namespace rsp;
using namespace rsp::test;

TEST_CASE("vRun starts a program with what the Q packets configured", "[session][extended]") {
  Connected c;
  CHECK(c("vRun;2f62696e2f74727565").empty()); // not extended yet: unsupported
  CHECK(c("!") == "OK");
  CHECK(c("QEnvironmentHexEncoded:") == "E01"); // no NAME=VALUE
  CHECK(c("QEnvironmentHexEncoded:" + hex_encode("A=1")) == "OK");
  CHECK(c("QEnvironmentUnset:" + hex_encode("HOME")) == "OK");
  CHECK(c("QSetWorkingDir:" + hex_encode("/tmp")) == "OK");
  CHECK(c("QStartupWithShell:0") == "OK");
  CHECK(c("QDisableRandomization:1") == "OK");
  CHECK(c("QStartupWithShell:2") == "E01");
  std::string reply = c("vRun;" + hex_encode("/bin/true") + ";" + hex_encode("a b") + ";");
  CHECK(reply.rfind("T05", 0) == 0);
  CHECK(reply.find("thread:p200.200;") != std::string::npos);
  REQUIRE(c.target.runs.size() == 1);
  const LaunchSpec &spec = c.target.runs[0];
  CHECK(spec.argv == std::vector<std::string>{"/bin/true", "a b"});
  REQUIRE(spec.environment.size() == 2);
  CHECK(spec.environment[0].name == "A");
  CHECK(*spec.environment[0].value == "1");
  CHECK_FALSE(spec.environment[1].value);
  CHECK(spec.working_directory == "/tmp");
  CHECK(spec.startup_with_shell == false);
  CHECK(spec.disable_randomization == true);

  CHECK(c("QEnvironmentReset") == "OK");
  CHECK(c("vRun;zz").substr(0, 1) == "E"); // bad hex
  c.target.run_error = std::make_error_code(std::errc::no_such_file_or_directory);
  CHECK(c("vRun;" + hex_encode("/nope")) == "E02");
  c.target.run_error.reset();
  c.session.feed(frame_packet("R00")); // restart: no reply, the last program again
  CHECK(c.session.take_output().empty());
  REQUIRE(c.target.runs.size() == 3);
  CHECK(c.target.runs[2].argv == std::vector<std::string>{"/bin/true", "a b"});
  CHECK(c.target.runs[2].environment.size() == 2); // as configured for that run
}

TEST_CASE("vAttach reports the attach stop and D keeps an extended session",
          "[session][extended]") {
  SessionOptions options;
  options.extended = true;
  Connected c(true, options);
  CHECK(c("vAttach;zz") == "E01");
  std::string reply = c("vAttach;4d2");
  CHECK(reply.rfind("T00", 0) == 0);
  CHECK(reply.find("thread:p4d2.4d2;") != std::string::npos);
  CHECK(c.target.attaches == std::vector<std::int64_t>{0x4d2});
  CHECK(c("D;4d2") == "OK");
  CHECK_FALSE(c.session.wants_close());
  c.target.run_error = std::make_error_code(std::errc::operation_not_permitted);
  CHECK(c("vAttach;1") == "E01");
  CHECK(c("vMustReplyEmpty").empty()); // the session goes on
}

TEST_CASE("qXfer osdata is offered and read", "[session][extended]") {
  Connected c;
  c.target.objects[{"osdata", "processes"}] = "<osdata type=\"processes\"></osdata>";
  CHECK(c("qXfer:osdata:read:processes:0,1000") == "l<osdata type=\"processes\"></osdata>");
  c.target.feats.osdata = false;
  CHECK(c("qXfer:osdata:read:processes:0,1000").empty());
}

TEST_CASE("disabled packets are unsupported and change stop replies", "[session][disable]") {
  SessionOptions options;
  options.disabled_packets = {"T", "vCont", "qfThreadInfo"};
  Connected c(true, options);
  CHECK(c("vCont?").empty());
  CHECK(c("vCont;c").empty());
  CHECK(c("qfThreadInfo").empty());
  CHECK(c("qsThreadInfo").empty());
  CHECK(c("qC").substr(0, 2) == "QC");
  c.target.last.thread = {0x100, 0x100};
  c.target.last.signal = 5;
  CHECK(c("?") == "S05");

  SessionOptions threads;
  threads.disabled_packets = {"threads"};
  Connected t(true, threads);
  CHECK(t("qC").empty());
  CHECK(t("qfThreadInfo").empty());
  t.target.last.thread = {0x100, 0x100};
  t.target.last.signal = 5;
  std::string stop = t("?");
  CHECK(stop.rfind("T05", 0) == 0);
  CHECK(stop.find("thread:") == std::string::npos);
}

TEST_CASE("R makes the new process's thread the current one", "[session][extended]") {
  Connected c;
  CHECK(c("!") == "OK");
  c.target.last.thread = {0x100, 0x100};
  CHECK(c("qC") == "QCp100.100");
  c.session.feed(frame_packet("R00"));
  CHECK(c.session.take_output().empty());
  CHECK(c("qC") == "QCp200.200"); // FakeTarget::run's new process
}

TEST_CASE("a failed monitor command shows its output then an error", "[session][monitor]") {
  Connected c;
  c.target.monitor_output = "Unknown monitor command.\n";
  c.target.monitor_ok = false;
  auto replies = ask_all(c.session, "qRcmd," + hex_encode("frob"));
  REQUIRE(replies.size() == 2);
  CHECK(replies[0] == "O" + hex_encode("Unknown monitor command.\n"));
  CHECK(replies[1] == "E01");
  CHECK(c("qGetTLSAddr:p100.100,0,0") == "E01");
}
