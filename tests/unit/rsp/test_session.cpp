#include "session_fixture.hpp"

#include <catch2/catch.hpp>
#include <cerrno>

using namespace rsp;
using namespace rsp::test;

// --- framing, acks and malformed input ------------------------------------------------------

TEST_CASE("acks until QStartNoAckMode none after", "[session][ack]") {
  FakeTarget target;
  Session session(target);
  session.feed(raw_frame("vMustReplyEmpty"));
  CHECK(session.take_output() == "+$#00");
  session.feed("+" + raw_frame("QStartNoAckMode"));
  CHECK(session.take_output() == "+$OK#9a");
  CHECK(session.no_ack());
  session.feed("+" + raw_frame("vMustReplyEmpty"));
  CHECK(session.take_output() == "$#00");
}

TEST_CASE("a - retransmits our last packet in ack mode only", "[session][ack]") {
  FakeTarget target;
  Session session(target);
  session.feed(raw_frame("qSymbol::"));
  CHECK(session.take_output() == "+$OK#9a");
  session.feed("-");
  CHECK(session.take_output() == "$OK#9a");
  session.feed("-");
  CHECK(session.take_output() == "$OK#9a");
  session.feed(raw_frame("QStartNoAckMode"));
  session.take_output();
  session.feed("-");
  CHECK(session.take_output().empty());
}

TEST_CASE("bad checksum gets a nak in ack mode and the session goes on", "[session][ack]") {
  FakeTarget target;
  Session session(target);
  session.feed("$qSymbol::#00");
  CHECK(session.take_output() == "-");
  CHECK(ask(session, "qSymbol::") == "OK");
}

TEST_CASE("bad checksum in no-ack mode is dropped and logged", "[session][ack]") {
  Connected c;
  c.session.feed("$qSymbol::#00");
  CHECK(c.session.take_output().empty());
  REQUIRE_FALSE(c.log_lines.empty());
  CHECK(c.log_lines.back().find("bad checksum") != std::string::npos);
  CHECK(c("qSymbol::") == "OK");
}

TEST_CASE("a packet split over feeds and several packets in one feed", "[session][framing]") {
  Connected c;
  std::string wire = raw_frame("qSymbol::");
  c.session.feed(wire.substr(0, 5));
  CHECK(c.session.take_output().empty());
  c.session.feed(wire.substr(5, 4));
  CHECK(c.session.take_output().empty());
  c.session.feed(wire.substr(9));
  CHECK(packets_in(c.session.take_output()) == std::vector<std::string>{"OK"});
  c.session.feed(raw_frame("qSymbol::") + "garbage" + raw_frame("vMustReplyEmpty") +
                 raw_frame("QNonStop:0"));
  CHECK(packets_in(c.session.take_output()) == std::vector<std::string>{"OK", "", "OK"});
}

TEST_CASE("a packet over PacketSize gets E01 and the session goes on", "[session][framing]") {
  FakeTarget target;
  SessionOptions options;
  options.packet_size = 64;
  Session session(target, options);
  session.feed(raw_frame("M1000,40:" + std::string(128, '0')));
  CHECK(packets_in(session.take_output(), true) == std::vector<std::string>{"+", "E01"});
  CHECK(ask(session, "qSymbol::") == "OK");
  CHECK(ask(session, "qSupported").find("PacketSize=40;") == 0);
}

TEST_CASE("unknown packets get the empty reply", "[session]") {
  Connected c;
  for (const char *p : {"vMustReplyEmpty", "qTStatus", "qTfV", "qTsV", "qOffsets", "qXYZ",
                        "QFrobnicate:1", "Hs0", "vRun;00", "jThreadsInfo"}) {
    INFO(p);
    CHECK(c(p).empty());
  }
  CHECK(c("qSymbol::") == "OK");
}

TEST_CASE("malformed packets get E01 and the session goes on", "[session]") {
  Connected c;
  for (const char *p : {"m1000",
                        "mxyz,4",
                        "M1000,2:zz",
                        "X1000,2:a",
                        "G012",
                        "pq",
                        "P1",
                        "Z0,1000",
                        "Hgq",
                        "Tq",
                        "C",
                        "vCont",
                        "vCont;q",
                        "qAttached:q",
                        "QPassSignals:q",
                        "QNonStop:x",
                        "qXfer:auxv:read::x,1",
                        "D;q",
                        "vFile:pread:3",
                        "qRcmd,q"}) {
    INFO(p);
    CHECK(c(p) == "E01");
  }
  CHECK(c("?") == "T05thread:p100.100;core:1;");
}

// --- qSupported -------------------------------------------------------------------------------

TEST_CASE("fork events are offered only with multiprocess ids and a target that follows forks",
          "[session][fork]") {
  FakeTarget target;
  Session session(target);
  std::string with_mp = "qSupported:multiprocess+;fork-events+;vfork-events+;exec-events+";
  CHECK(ask(session, with_mp).find("fork-events+") == std::string::npos);
  CHECK_FALSE(target.fork_replies);
  target.feats.fork_events = true;
  std::string r = ask(session, with_mp);
  CHECK(r.find(";fork-events+;vfork-events+;exec-events+") != std::string::npos);
  CHECK(target.fork_replies);
  CHECK(target.vfork_replies);
  r = ask(session, "qSupported:fork-events+;vfork-events+");
  CHECK(r.find("fork-events+") == std::string::npos);
  CHECK_FALSE(target.fork_replies);
}

TEST_CASE("QCatchSyscalls goes to the target, or is unsupported", "[session][syscall]") {
  FakeTarget target;
  Session session(target);
  CHECK(ask(session, "qSupported").find("QCatchSyscalls+") == std::string::npos);
  CHECK(ask(session, "QCatchSyscalls:1;1").empty());
  target.feats.catch_syscalls = true;
  CHECK(ask(session, "qSupported").find(";QCatchSyscalls+") != std::string::npos);
  CHECK(ask(session, "QCatchSyscalls:1;1;e7") == "OK");
  REQUIRE(target.catching);
  CHECK(target.catching->first);
  CHECK(target.catching->second == std::vector<int>{1, 0xe7});
  CHECK(ask(session, "QCatchSyscalls:0") == "OK");
  CHECK_FALSE(target.catching->first);
  CHECK(ask(session, "QCatchSyscalls:2") == "E01");
}

TEST_CASE("Hg tells the target which process memory and breakpoints are for", "[session][fork]") {
  Connected c;
  c.target.selected.clear();
  CHECK(c("Hgp100.101") == "OK");
  REQUIRE_FALSE(c.target.selected.empty());
  CHECK(c.target.selected.back() == ThreadId{0x100, 0x101});
}

TEST_CASE("qSupported advertises what gdb offered and the target can do", "[session]") {
  FakeTarget target;
  Session session(target);
  std::string gdb13 = "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;"
                      "vfork-events+;exec-events+;vContSupported+;QThreadEvents+;no-resumed+;"
                      "memory-tagging+;xmlRegisters=i386";
  CHECK(ask(session, gdb13) ==
        "PacketSize=20000;QPassSignals+;QProgramSignals+;QStartNoAckMode+;"
        "qXfer:features:read+;qXfer:auxv:read+;qXfer:exec-file:read+;"
        "qXfer:libraries-svr4:read+;qXfer:siginfo:read+;qXfer:siginfo:write+;"
        "qXfer:osdata:read+;QStartupWithShell+;QEnvironmentHexEncoded+;QEnvironmentReset+;"
        "QEnvironmentUnset+;QSetWorkingDir+;QDisableRandomization+;qXfer:threads:read+;"
        "vContSupported+;swbreak+;multiprocess+;exec-events+;QThreadEvents+;QNonStop+;"
        "no-resumed+");
  CHECK(session.gdb_features().multiprocess);
  CHECK(session.gdb_features().fork_events);

  target.feats.hardware_breakpoints = true;
  target.feats.auxv = false;
  target.feats.exec_file = false;
  target.feats.libraries_svr4 = false;
  target.feats.siginfo = false;
  target.feats.osdata = false;
  std::string r = ask(session, gdb13);
  CHECK(r.find(";hwbreak+") != std::string::npos);
  CHECK(r.find("auxv") == std::string::npos);
  CHECK(r.find("exec-file") == std::string::npos);
  CHECK(r.find("libraries-svr4") == std::string::npos);
  CHECK(r.find("siginfo") == std::string::npos);

  CHECK(ask(session, "qSupported:xmlRegisters=i386") ==
        "PacketSize=20000;QPassSignals+;QProgramSignals+;QStartNoAckMode+;"
        "qXfer:features:read+;QStartupWithShell+;QEnvironmentHexEncoded+;QEnvironmentReset+;"
        "QEnvironmentUnset+;QSetWorkingDir+;QDisableRandomization+;qXfer:threads:read+;"
        "vContSupported+;swbreak+;QThreadEvents+;QNonStop+");
  CHECK_FALSE(session.gdb_features().multiprocess);
}

// --- threads ----------------------------------------------------------------------------------

TEST_CASE("query halt reports the last stop with the thread id by multiprocess mode",
          "[session][threads]") {
  Connected mp;
  CHECK(mp("?") == "T05thread:p100.100;core:1;");
  Connected plain(false);
  CHECK(plain("?") == "T05thread:100;core:1;");
}

TEST_CASE("Hg selects the register thread and 0 and -1 mean the stop thread",
          "[session][threads]") {
  Connected c;
  CHECK(c("Hgp100.101") == "OK");
  c("g");
  CHECK(c.target.register_threads.back() == ThreadId{0x100, 0x101});
  CHECK(c("Hgp0.0") == "OK");
  c("g");
  CHECK(c.target.register_threads.back() == ThreadId{0x100, 0x100});
  CHECK(c("Hg-1") == "OK");
  c("p0");
  CHECK(c.target.register_threads.back() == ThreadId{0x100, 0x100});
  CHECK(c("Hgp100.999") == "E01");
  CHECK(c("Hc-1") == "OK");
  CHECK(c("Hcp100.999") == "OK"); // gdbserver does not check Hc
}

TEST_CASE("plain thread ids get the current pid", "[session][threads]") {
  Connected c(false);
  CHECK(c("Hg101") == "OK");
  c("g");
  CHECK(c.target.register_threads.back() == ThreadId{0x100, 0x101});
  CHECK(c("T101") == "OK");
  CHECK(c("qC") == "QC101");
}

TEST_CASE("qC qAttached T thread lists and extra info", "[session][threads]") {
  Connected c;
  CHECK(c("qC") == "QCp100.100");
  CHECK(c("qAttached") == "0");
  c.target.is_attached = true;
  CHECK(c("qAttached:100") == "1");
  CHECK(c("Tp100.101") == "OK");
  CHECK(c("Tp100.102") == "E01");
  CHECK(c("qfThreadInfo") == "mp100.100,p100.101");
  CHECK(c("qsThreadInfo") == "l");
  CHECK(c("qThreadExtraInfo,p100.101") == "776f726b3c65723e");
  CHECK(c("qThreadExtraInfo,p100.999") == "E01");
}

TEST_CASE("qXfer:threads lists threads as XML", "[session][threads]") {
  Connected c;
  std::string xml = "<?xml version=\"1.0\"?>\n<threads>\n"
                    "<thread id=\"p100.100\" core=\"1\" name=\"main\"/>\n"
                    "<thread id=\"p100.101\" core=\"2\" name=\"work&lt;er&gt;\"/>\n"
                    "</threads>\n";
  CHECK(c("qXfer:threads:read::0,1000") == "l" + xml);
  CHECK(c("qXfer:threads:read::0,10") == "m" + xml.substr(0, 16));
  c.target.thread_list.pop_back(); // served from the cache for later chunks
  CHECK(c("qXfer:threads:read::10,1000") == "l" + xml.substr(16));
  CHECK(c("qXfer:threads:read:x:0,10") == "E01");
}

// --- registers and memory ---------------------------------------------------------------------

TEST_CASE("g G p P registers", "[session][registers]") {
  Connected c;
  CHECK(c("g") == "01020304");
  CHECK(c("Gaabb") == "OK");
  CHECK(c.target.written_registers == std::vector<std::uint8_t>{0xaa, 0xbb});
  CHECK(c("p2") == "03");
  CHECK(c("p9") == "E16"); // EINVAL from the target
  CHECK(c("P1=ff") == "OK");
  REQUIRE(c.target.written_register.size() == 1);
  CHECK(c.target.written_register[0].first == 1);
  c.target.register_error = std::error_code(ESRCH, std::generic_category());
  CHECK(c("g") == "E03");
  CHECK(c("G00") == "E03");
  CHECK(c("p0") == "E03");
  CHECK(c("P0=00") == "E03");
}

TEST_CASE("m reads short reads and errors", "[session][memory]") {
  Connected c;
  CHECK(c("m1000,4") == "deadbeef");
  CHECK(c("m1006,10") == "2233"); // short read: what was read
  CHECK(c("m2000,4") == "E05");   // EIO
  CHECK(c("m1000,0").empty());
  SessionOptions small;
  small.packet_size = 8;
  Connected s(true, small);
  CHECK(s("m1000,8") == "deadbeef"); // clamped to fit PacketSize
}

TEST_CASE("m reads at most 32 KiB at once, whatever the PacketSize", "[session][memory]") {
  Connected c; // the default PacketSize (128 KiB) would fit 64 KiB
  c.target.memory.assign(0x20000, 0x5a);
  CHECK(c("m1000,10000").size() == 2 * 0x8000); // RLE-free: "5a" does not repeat a character
  CHECK(c("m9000,8000").size() == 2 * 0x8000);
}

TEST_CASE("M and X write memory and X handles escapes and the probe", "[session][memory]") {
  Connected c;
  CHECK(c("M1000,2:0102") == "OK");
  CHECK(c.target.memory[0] == 1);
  CHECK(c.target.memory[1] == 2);
  CHECK(c("X1000,0:") == "OK");
  CHECK(c("X1002,4:}]}\x03}\x04}\x0a") == "OK");
  CHECK(c.target.memory[2] == '}');
  CHECK(c.target.memory[3] == '#');
  CHECK(c.target.memory[4] == '$');
  CHECK(c.target.memory[5] == '*');
  CHECK(c("M2000,1:00") == "E05");
  c.target.write_error = std::error_code(EFAULT, std::generic_category());
  CHECK(c("X1000,1:a") == "E0e");
}

TEST_CASE("Z and z breakpoints", "[session][breakpoints]") {
  Connected c;
  CHECK(c("Z0,401000,1") == "OK");
  CHECK(c("z0,401000,1") == "OK");
  CHECK(c("Z1,401000,1;X2,abcd") == "OK");
  REQUIRE(c.target.breakpoint_calls.size() == 3);
  CHECK(c.target.breakpoint_calls[0].insert);
  CHECK(c.target.breakpoint_calls[0].type == BreakpointType::Software);
  CHECK(c.target.breakpoint_calls[0].addr == 0x401000);
  CHECK_FALSE(c.target.breakpoint_calls[1].insert);
  CHECK(c.target.breakpoint_calls[2].type == BreakpointType::Hardware);
  CHECK(c("Z5,401000,1").empty());
  c.target.breakpoint_error = std::make_error_code(std::errc::function_not_supported);
  CHECK(c("Z2,7ff0,8").empty());
  c.target.breakpoint_error = std::error_code(ENOSPC, std::generic_category());
  CHECK(c("Z2,7ff0,8") == "E1c");
  CHECK(c("Z0,401000") == "E01");
}

// --- resume and stop --------------------------------------------------------------------------

TEST_CASE("vCont? lists actions and r only with range stepping", "[session][resume]") {
  Connected c;
  CHECK(c("vCont?") == "vCont;c;C;s;S;t");
  c.target.feats.range_stepping = true;
  CHECK(c("vCont?") == "vCont;c;C;s;S;t;r");
}

TEST_CASE("vCont passes the actions in order and waits for the stop", "[session][resume]") {
  Connected c;
  CHECK(ask_all(c.session, "vCont;s:p100.101;c:p100.-1").empty());
  CHECK(c.session.state() == SessionState::Running);
  REQUIRE(c.target.resumes.size() == 1);
  auto &actions = c.target.resumes[0];
  REQUIRE(actions.size() == 2);
  CHECK(actions[0].kind == ResumeKind::Step);
  CHECK(actions[0].thread == ThreadId{0x100, 0x101});
  CHECK(actions[1].thread == ThreadId{0x100, ThreadId::all});

  StopEvent e = stop_at({0x100, 0x101});
  e.reason = StopReason::SwBreak;
  e.registers = {{6, {1, 2}}, {7, {3, 4}}, {0x10, {5, 6}}};
  e.core = 2;
  c.session.on_stop(e);
  CHECK(c.session.state() == SessionState::Idle);
  CHECK(packets_in(c.session.take_output()) ==
        std::vector<std::string>{"T05swbreak:;06:0102;07:0304;10:0506;thread:p100.101;core:2;"});
  // the stop thread becomes the register thread
  c("g");
  CHECK(c.target.register_threads.back() == ThreadId{0x100, 0x101});
  CHECK(c("qC") == "QCp100.101");
}

TEST_CASE("vCont with plain 0 and -1 thread ids", "[session][resume]") {
  Connected c(false);
  ask_all(c.session, "vCont;C0b:101;c:0;t:-1");
  REQUIRE(c.target.resumes.size() == 1);
  auto &a = c.target.resumes[0];
  REQUIRE(a.size() == 3);
  CHECK(a[0].signal == 0x0b);
  CHECK(a[0].thread == ThreadId{0x100, 0x101});
  CHECK(a[1].thread == ThreadId{ThreadId::any, ThreadId::any});
  CHECK(a[2].kind == ResumeKind::Stop);
  CHECK(a[2].thread == ThreadId{ThreadId::all, ThreadId::all});
}

TEST_CASE("vCont t alone is passed to the target", "[session][resume]") {
  Connected c;
  CHECK(ask_all(c.session, "vCont;t").empty());
  CHECK(c.session.state() == SessionState::Running);
  REQUIRE(c.target.resumes.size() == 1);
  CHECK(c.target.resumes[0][0].kind == ResumeKind::Stop);
}

TEST_CASE("a resume error replies E and stays Idle", "[session][resume]") {
  Connected c;
  c.target.resume_error = std::error_code(ESRCH, std::generic_category());
  CHECK(c("vCont;c") == "E03");
  CHECK(c.session.state() == SessionState::Idle);
  CHECK(c("c") == "E03");
  CHECK(c("qSymbol::") == "OK");
}

TEST_CASE("c C s S follow gdbserver myresume", "[session][resume]") {
  Connected c;
  c.run_and_stop(stop_at({0x100, 0x100}));
  c.session.take_output();
  c.target.resumes.clear();

  // no Hc thread: plain c continues everything
  CHECK(ask_all(c.session, "c").empty());
  c.session.on_stop(stop_at({0x100, 0x100}));
  c.session.take_output();
  REQUIRE(c.target.resumes.back().size() == 1);
  CHECK(c.target.resumes.back()[0].kind == ResumeKind::Continue);
  CHECK(c.target.resumes.back()[0].thread == ThreadId{ThreadId::all, ThreadId::all});

  // s: step the current thread, continue the others
  ask_all(c.session, "s");
  c.session.on_stop(stop_at({0x100, 0x100}));
  c.session.take_output();
  auto &s = c.target.resumes.back();
  REQUIRE(s.size() == 2);
  CHECK(s[0].kind == ResumeKind::Step);
  CHECK(s[0].thread == ThreadId{0x100, 0x100});
  CHECK(s[1].kind == ResumeKind::Continue);
  CHECK(s[1].thread == ThreadId{ThreadId::all, ThreadId::all});

  // C with a signal goes to the current thread
  ask_all(c.session, "C0b");
  c.session.on_stop(stop_at({0x100, 0x100}));
  c.session.take_output();
  CHECK(c.target.resumes.back()[0].signal == 0x0b);

  // a concrete Hc thread resumes alone
  CHECK(c("Hcp100.101") == "OK");
  ask_all(c.session, "S05");
  c.session.on_stop(stop_at({0x100, 0x101}));
  c.session.take_output();
  REQUIRE(c.target.resumes.back().size() == 1);
  CHECK(c.target.resumes.back()[0].kind == ResumeKind::Step);
  CHECK(c.target.resumes.back()[0].signal == 5);
  CHECK(c.target.resumes.back()[0].thread == ThreadId{0x100, 0x101});

  CHECK(c("c401000") == "E01"); // resuming at an address is not supported
}

TEST_CASE("while running packets get E01 and ctrl-C interrupts", "[session][resume]") {
  Connected c;
  ask_all(c.session, "vCont;c:p100.-1");
  REQUIRE(c.session.state() == SessionState::Running);
  CHECK(c("g") == "E01");
  CHECK(c("m1000,4") == "E01");
  CHECK(c.target.register_threads.empty());
  CHECK(c.session.state() == SessionState::Running);
  c.session.feed("\x03");
  CHECK(c.target.interrupts == 1);
  CHECK(c.session.take_output().empty());
  c.session.on_stop(stop_at({0x100, 0x100}, 2));
  CHECK(packets_in(c.session.take_output()) == std::vector<std::string>{"T02thread:p100.100;"});
  CHECK(c.session.state() == SessionState::Idle);
  c.session.feed("\x03"); // ignored while stopped
  CHECK(c.target.interrupts == 1);
  CHECK(c("g") == "01020304");
}

TEST_CASE("while running in ack mode the packet is acked then gets E01", "[session][resume]") {
  FakeTarget target;
  Session session(target);
  session.feed(raw_frame("vCont;c"));
  CHECK(session.take_output() == "+");
  session.feed(raw_frame("g"));
  CHECK(packets_in(session.take_output(), true) == std::vector<std::string>{"+", "E01"});
  CHECK(session.state() == SessionState::Running);
}

TEST_CASE("on_stop while idle is ignored", "[session][resume]") {
  Connected c;
  c.session.on_stop(stop_at({0x100, 0x100}));
  CHECK(c.session.take_output().empty());
  CHECK(c.session.state() == SessionState::Idle);
}

TEST_CASE("thread exit and no-resumed events follow negotiation", "[session][resume]") {
  Connected c;
  StopEvent w;
  w.kind = StopKind::ThreadExited;
  w.exit_code = 0;
  w.thread = ThreadId{0x100, 0x101};
  ask_all(c.session, "vCont;c");
  c.session.on_stop(w); // QThreadEvents not enabled: dropped
  CHECK(c.session.take_output().empty());
  CHECK(c.session.state() == SessionState::Running);
  c.session.on_stop(stop_at({0x100, 0x100}));
  c.session.take_output();

  CHECK(c.target.no_resumed_replies); // the target learns what this gdb takes
  CHECK_FALSE(c.target.thread_event_replies);
  CHECK(c("QThreadEvents:1") == "OK");
  CHECK(c.session.thread_events());
  CHECK(c.target.thread_event_replies);
  ask_all(c.session, "vCont;c");
  c.session.on_stop(w);
  CHECK(packets_in(c.session.take_output()) == std::vector<std::string>{"w00;p100.101"});
  CHECK(c.session.state() == SessionState::Idle);

  StopEvent n;
  n.kind = StopKind::NoResumed;
  ask_all(c.session, "vCont;c");
  c.session.on_stop(n);
  CHECK(packets_in(c.session.take_output()) == std::vector<std::string>{"N"});

  Connected old(true);
  old("qSupported:multiprocess+"); // a gdb without no-resumed+
  CHECK_FALSE(old.target.no_resumed_replies);
  ask_all(old.session, "vCont;c");
  old.session.on_stop(n);
  CHECK(old.session.take_output().empty());
  CHECK(old.session.state() == SessionState::Running);
}

TEST_CASE("exit gives W and query halt repeats it and inspection gets E01", "[session][resume]") {
  Connected c;
  StopEvent exit;
  exit.kind = StopKind::Exited;
  exit.exit_code = 3;
  exit.thread = ThreadId{0x100, 0x100};
  ask_all(c.session, "vCont;c");
  c.target.process = false;
  c.target.last = exit;
  c.session.on_stop(exit);
  CHECK(packets_in(c.session.take_output()) == std::vector<std::string>{"W03;process:100"});
  CHECK(c.session.state() == SessionState::Idle);
  CHECK_FALSE(c.session.wants_close());
  CHECK(c("?") == "W03;process:100");
  for (const char *p : {"g", "G00", "p0", "P0=00", "m1000,1", "M1000,1:00", "X1000,0:", "Z0,1000,1",
                        "c", "vCont;c", "Hgp100.100", "qC", "qAttached", "D"}) {
    INFO(p);
    CHECK(c(p) == "E01");
  }
  CHECK(c("qfThreadInfo") == "l");
  CHECK(c.target.resumes.size() == 1);
}

TEST_CASE("terminated by a signal X reply", "[session][resume]") {
  Connected c(false);
  StopEvent x;
  x.kind = StopKind::Terminated;
  x.signal = 11;
  x.thread = ThreadId{0x100, 0x100};
  c.run_and_stop(x);
  CHECK(packets_in(c.session.take_output()) == std::vector<std::string>{"X0b"});
}

// --- kill, detach -----------------------------------------------------------------------------

TEST_CASE("k kills without a reply and closes", "[session][close]") {
  Connected c;
  CHECK(ask_all(c.session, "k").empty());
  CHECK(c.target.kills == std::vector<std::int64_t>{0x100});
  CHECK(c.session.wants_close());
  CHECK(c.session.state() == SessionState::Closed);
  c.session.feed(raw_frame("g"));
  CHECK(c.session.take_output().empty());
}

TEST_CASE("vKill replies OK and closes and an error keeps the session", "[session][close]") {
  Connected c;
  c.target.kill_error = std::error_code(ESRCH, std::generic_category());
  CHECK(c("vKill;100") == "E03");
  CHECK_FALSE(c.session.wants_close());
  c.target.kill_error.reset();
  CHECK(c("vKill;100") == "OK");
  CHECK(c.session.wants_close());
}

TEST_CASE("extended mode accepts ! and kill keeps the connection", "[session][close]") {
  SessionOptions options;
  options.extended = true;
  Connected c(true, options);
  CHECK(c("!") == "OK");
  CHECK(c("vKill;100") == "OK");
  CHECK_FALSE(c.session.wants_close());
  c.target.process = true; // the fake ends its only process at each kill and detach
  CHECK(ask_all(c.session, "k").empty());
  CHECK_FALSE(c.session.wants_close());
  c.target.process = true;
  CHECK(c("D") == "OK");
  CHECK_FALSE(c.session.wants_close());
  Connected plain; // like gdbserver, ! switches any session to extended mode
  CHECK(plain("!") == "OK");
  CHECK(plain("D") == "OK");
  CHECK_FALSE(plain.session.wants_close());
}

TEST_CASE("detaching one of two processes keeps the session", "[session][close]") {
  Connected c;
  c.target.detach_keeps_process = true; // a fork child detached, its parent still ours
  CHECK(c("D;200") == "OK");
  CHECK(c.target.detaches == std::vector<std::int64_t>{0x200});
  CHECK_FALSE(c.session.wants_close());
  c.target.detach_keeps_process = false;
  CHECK(c("D;100") == "OK");
  CHECK(c.session.wants_close());
}

TEST_CASE("D and D with pid detach and close", "[session][close]") {
  Connected c;
  c.target.detach_error = std::error_code(EPERM, std::generic_category());
  CHECK(c("D") == "E01");
  CHECK_FALSE(c.session.wants_close());
  c.target.detach_error.reset();
  CHECK(c("D;100") == "OK");
  CHECK(c.target.detaches == std::vector<std::int64_t>{0x100, 0x100});
  CHECK(c.session.wants_close());
  CHECK(c.session.state() == SessionState::Closed);
}

// --- signals, modes, monitor ------------------------------------------------------------------

TEST_CASE("QPassSignals QProgramSignals QNonStop QThreadEvents qSymbol", "[session]") {
  Connected c;
  CHECK(c("QPassSignals:e;10;14;") == "OK");
  CHECK(c.target.pass_signals == std::vector<int>{0x0e, 0x10, 0x14});
  CHECK(c("QPassSignals:") == "OK");
  CHECK(c.target.pass_signals.empty());
  CHECK(c("QProgramSignals:0;1;3") == "OK");
  CHECK(c.target.program_signals == std::vector<int>{0, 1, 3});
  CHECK(c("QNonStop:0") == "OK");
  CHECK(c("QNonStop:1") == "OK"); // more in test_session_non_stop.cpp
  CHECK(c("QNonStop:0") == "OK");
  CHECK(c.target.no_resumed_replies); // the target learns what this gdb takes
  CHECK_FALSE(c.target.thread_event_replies);
  CHECK(c("QThreadEvents:1") == "OK");
  CHECK(c.session.thread_events());
  CHECK(c.target.thread_event_replies);
  CHECK(c("QThreadEvents:0") == "OK");
  CHECK_FALSE(c.session.thread_events());
  CHECK(c("qSymbol::") == "OK");
  CHECK(c("qSymbol:6d61696e:") == "OK");
}

TEST_CASE("qRcmd output as O packets then OK", "[session][monitor]") {
  Connected c;
  CHECK(ask_all(c.session, "qRcmd,68656c70") == std::vector<std::string>{"O68656c6c6f0a", "OK"});
  CHECK(c.target.monitor_commands == std::vector<std::string>{"help"});
  c.target.monitor_output = "";
  CHECK(ask_all(c.session, "qRcmd,68656c70") == std::vector<std::string>{"OK"});
  c.target.monitor_error = std::make_error_code(std::errc::function_not_supported);
  CHECK(c("qRcmd,68656c70").empty());
  c.target.monitor_error = std::error_code(EINVAL, std::generic_category());
  CHECK(c("qRcmd,68656c70") == "E16");

  SessionOptions small;
  small.packet_size = 9; // 4 text bytes per O packet
  Connected s(true, small);
  s.target.monitor_output = "abcdefghij";
  CHECK(ask_all(s.session, "qRcmd,78") ==
        std::vector<std::string>{"O61626364", "O65666768", "O696a", "OK"});
}

TEST_CASE("the log gets one line per packet in and out", "[session][log]") {
  Connected c;
  c("qSymbol::");
  REQUIRE(c.log_lines.size() == 2);
  CHECK(c.log_lines[0] == "<- $qSymbol::");
  CHECK(c.log_lines[1] == "-> $OK");
}

TEST_CASE("qXfer siginfo reads and writes the register thread's siginfo", "[session][qxfer]") {
  Connected c;
  c.target.siginfo = std::string("\x0b\x00\x00\x00\x01\x00\x00\x00", 8);
  CHECK(c("Hgp100.101") == "OK");
  CHECK(c("qXfer:siginfo:read::0,100") == std::string("l\x0b\x00\x00\x00\x01\x00\x00\x00", 9));
  REQUIRE_FALSE(c.target.siginfo_threads.empty());
  CHECK(c.target.siginfo_threads.back() == ThreadId{0x100, 0x101});
  CHECK(c("qXfer:siginfo:write::4:\x02") == "1");
  CHECK(c.target.siginfo[4] == '\x02');
  CHECK(c("qXfer:siginfo:write::8:\x02") == "E01");          // past the end
  CHECK(c("qXfer:siginfo:write::zz:\x02") == "E01");         // malformed offset
  CHECK(c("qXfer:siginfo:read::0,100").substr(0, 1) == "l"); // the session goes on
}

TEST_CASE("an exec stop carries the new image only when gdb asked for exec events",
          "[session][exec]") {
  for (bool offered : {true, false}) {
    FakeTarget target;
    Session session(target);
    ask(session, offered ? "qSupported:multiprocess+;swbreak+;exec-events+"
                         : "qSupported:multiprocess+;swbreak+");
    ask(session, "QStartNoAckMode");
    session.feed("+");
    CHECK(ask_all(session, "vCont;c").empty());
    StopEvent e;
    e.thread = {0x100, 0x100};
    e.signal = 5;
    e.reason = StopReason::Exec;
    e.exec_path = "/bin/true";
    session.on_stop(e);
    std::string out = session.take_output();
    INFO(out);
    CHECK((out.find("exec:2f62696e2f74727565;") != std::string::npos) == offered);
    CHECK(out.find("thread:p100.100;") != std::string::npos);
  }
}

TEST_CASE("qGetTLSAddr replies the address in hex, or E01", "[session][tls]") {
  Connected c;
  c.target.tls_base = 0x7ffff7dd0700;
  CHECK(c("qGetTLSAddr:p100.101,3c,7ffff7ffe2e0") == "7ffff7dd073c");
  REQUIRE(c.target.tls_queries.size() == 1);
  CHECK(c.target.tls_queries[0].thread == ThreadId{0x100, 0x101});
  CHECK(c.target.tls_queries[0].offset == 0x3c);
  CHECK(c.target.tls_queries[0].lm == 0x7ffff7ffe2e0);
  c("qGetTLSAddr:101,0,1"); // a bare tid gets the current process
  CHECK(c.target.tls_queries.back().thread.pid == c.target.current_pid());
  c.target.tls_base.reset();
  CHECK(c("qGetTLSAddr:p100.101,3c,7ffff7ffe2e0") == "E01");
  CHECK(c("qGetTLSAddr:p100.101,3c") == "E01");
}
