#include "rsp/request.hpp"

#include <catch2/catch.hpp>

using namespace rsp;

namespace {

template <class T> T as(std::string_view payload) {
  Request r = parse_request(payload);
  INFO("payload: " << payload << " index " << r.index());
  REQUIRE(std::holds_alternative<T>(r));
  return std::get<T>(r);
}

bool malformed(std::string_view payload) {
  return std::holds_alternative<req::Malformed>(parse_request(payload));
}
bool unknown(std::string_view payload) {
  return std::holds_alternative<req::Unknown>(parse_request(payload));
}

} // namespace

TEST_CASE("unknown packets parse as Unknown", "[request]") {
  for (const char *p :
       {"", "vMustReplyEmpty", "qTStatus", "qTfV", "qOffsets", "qCRC:1,2", "QStartupWithShellX",
        "Hs0", "?x", "qXfer:features:nop:x:0,1", "vFile:frobnicate:1", "QFoo", "y"}) {
    INFO(p);
    CHECK(unknown(p));
  }
}

TEST_CASE("register packets", "[request]") {
  as<req::ReadRegisters>("g");
  CHECK(malformed("gx"));
  CHECK(as<req::WriteRegisters>("G0102").bytes == std::vector<std::uint8_t>{1, 2});
  CHECK(malformed("G012"));
  CHECK(malformed("G0z"));
  CHECK(as<req::ReadRegister>("p1a").regnum == 0x1a);
  CHECK(malformed("p"));
  CHECK(malformed("pq"));
  auto w = as<req::WriteRegister>("P10=ff00");
  CHECK(w.regnum == 0x10);
  CHECK(w.bytes == std::vector<std::uint8_t>{0xff, 0});
  CHECK(malformed("P10"));
  CHECK(malformed("P10="));
  CHECK(malformed("Px=00"));
}

TEST_CASE("memory packets", "[request]") {
  auto m = as<req::ReadMemory>("m1000,20");
  CHECK(m.addr == 0x1000);
  CHECK(m.length == 0x20);
  CHECK(malformed("m1000"));
  CHECK(malformed("m1000,"));
  CHECK(malformed("mzz,1"));
  auto mw = as<req::WriteMemory>("M1000,2:abcd");
  CHECK(mw.addr == 0x1000);
  CHECK(mw.bytes == std::vector<std::uint8_t>{0xab, 0xcd});
  CHECK(malformed("M1000,3:abcd"));
  CHECK(malformed("M1000,2:abcz"));
  CHECK(malformed("M1000,2"));
  auto x = as<req::WriteMemory>("X1000,3:a}]}\x03");
  CHECK(x.bytes == std::vector<std::uint8_t>{'a', '}', '#'});
  CHECK(as<req::WriteMemory>("X1000,0:").bytes.empty());
  CHECK(malformed("X1000,1:}"));
  CHECK(malformed("X1000,2:a"));
}

TEST_CASE("resume packets", "[request]") {
  auto c = as<req::Resume>("c");
  CHECK(c.kind == ResumeKind::Continue);
  CHECK_FALSE(c.addr);
  CHECK(as<req::Resume>("c400000").addr == 0x400000);
  auto cs = as<req::Resume>("C0b;1234");
  CHECK(cs.signal == 0x0b);
  CHECK(cs.addr == 0x1234);
  CHECK(as<req::Resume>("S05").kind == ResumeKind::Step);
  CHECK(as<req::Resume>("s").kind == ResumeKind::Step);
  CHECK(malformed("C"));
  CHECK(malformed("Cxx"));
  CHECK(malformed("cq"));
}

TEST_CASE("vCont packets", "[request]") {
  as<req::VContQuery>("vCont?");
  auto v = as<req::VCont>("vCont;s:p100.101;c:p100.-1");
  REQUIRE(v.actions.size() == 2);
  CHECK(v.actions[0].kind == ResumeKind::Step);
  CHECK(v.actions[0].thread == ThreadId{0x100, 0x101});
  CHECK(v.actions[1].kind == ResumeKind::Continue);
  CHECK(v.actions[1].thread == ThreadId{0x100, ThreadId::all});

  auto w = as<req::VCont>("vCont;C0b:101;S05:0;t;r1000,2000:-1");
  REQUIRE(w.actions.size() == 4);
  CHECK(w.actions[0].signal == 0x0b);
  CHECK(w.actions[0].thread == ThreadId{ThreadId::any, 0x101});
  CHECK(w.actions[1].kind == ResumeKind::Step);
  CHECK(w.actions[1].thread == ThreadId{ThreadId::any, ThreadId::any});
  CHECK(w.actions[2].kind == ResumeKind::Stop);
  CHECK(w.actions[2].thread == ThreadId{ThreadId::all, ThreadId::all});
  CHECK(w.actions[3].kind == ResumeKind::RangeStep);
  CHECK(w.actions[3].range_begin == 0x1000);
  CHECK(w.actions[3].range_end == 0x2000);

  for (const char *bad : {"vCont", "vCont;", "vCont;x", "vCont;c:", "vCont;c:zz", "vCont;C",
                          "vCont;Cq", "vCont;cc", "vCont;r1000", "vCont;;c"}) {
    INFO(bad);
    CHECK(malformed(bad));
  }
}

TEST_CASE("breakpoint packets", "[request]") {
  auto z = as<req::Breakpoint>("Z0,401000,1");
  CHECK(z.insert);
  CHECK(z.type == 0);
  CHECK(z.addr == 0x401000);
  CHECK(z.kind == 1);
  auto c = as<req::Breakpoint>("z2,7ffe0,8;X1,0f");
  CHECK_FALSE(c.insert);
  CHECK(c.type == 2);
  CHECK(c.kind == 8);
  CHECK(malformed("Z0,401000"));
  CHECK(malformed("Z0"));
  CHECK(malformed("Zq,1,1"));
}

TEST_CASE("thread packets", "[request]") {
  auto h = as<req::SetThread>("Hgp100.101");
  CHECK(h.op == 'g');
  CHECK(h.thread == ThreadId{0x100, 0x101});
  CHECK(as<req::SetThread>("Hc-1").thread == ThreadId{ThreadId::all, ThreadId::all});
  CHECK(malformed("Hg"));
  CHECK(malformed("H"));
  CHECK(malformed("Hgq"));
  CHECK(as<req::ThreadAlive>("T101").thread.tid == 0x101);
  CHECK(malformed("T"));
  as<req::CurrentThread>("qC");
  CHECK(as<req::ThreadExtraInfo>("qThreadExtraInfo,p1.2").thread == ThreadId{1, 2});
  CHECK(malformed("qThreadExtraInfo,"));
  as<req::ThreadInfoFirst>("qfThreadInfo");
  as<req::ThreadInfoNext>("qsThreadInfo");
  CHECK_FALSE(as<req::Attached>("qAttached").pid);
  CHECK(as<req::Attached>("qAttached:1f").pid == 0x1f);
  CHECK(malformed("qAttached:"));
}

TEST_CASE("general query and set packets", "[request]") {
  auto s = as<req::Supported>("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
  CHECK(s.features == std::vector<std::string>{"multiprocess+", "swbreak+", "xmlRegisters=i386"});
  CHECK(as<req::Supported>("qSupported").features.empty());
  as<req::StartNoAckMode>("QStartNoAckMode");
  CHECK(as<req::PassSignals>("QPassSignals:e;10;14;").signals == std::vector<int>{14, 16, 20});
  CHECK(as<req::PassSignals>("QPassSignals:").signals.empty());
  CHECK(as<req::ProgramSignals>("QProgramSignals:0;1").signals == std::vector<int>{0, 1});
  CHECK(malformed("QPassSignals:zz"));
  CHECK(as<req::NonStop>("QNonStop:1").on);
  CHECK(malformed("QNonStop:2"));
  CHECK_FALSE(as<req::ThreadEvents>("QThreadEvents:0").on);
  CHECK(malformed("QThreadEvents:"));
  CHECK_FALSE(as<req::CatchSyscalls>("QCatchSyscalls:0").on);
  auto caught = as<req::CatchSyscalls>("QCatchSyscalls:1;1;e7");
  CHECK(caught.on);
  CHECK(caught.numbers == std::vector<int>{1, 0xe7});
  CHECK(as<req::CatchSyscalls>("QCatchSyscalls:1").numbers.empty());
  CHECK(malformed("QCatchSyscalls:0;1"));
  CHECK(malformed("QCatchSyscalls:1;zz"));
  CHECK(malformed("QCatchSyscalls:"));
  CHECK(as<req::Monitor>("qRcmd,68656c70").command == "help");
  CHECK(malformed("qRcmd,6"));
  as<req::Symbol>("qSymbol::");
  as<req::QueryHalt>("?");
  as<req::ExtendedMode>("!");
  as<req::Kill>("k");
  CHECK(as<req::VKill>("vKill;100").pid == 0x100);
  CHECK(malformed("vKill;"));
  CHECK_FALSE(as<req::Detach>("D").pid);
  CHECK(as<req::Detach>("D;100").pid == 0x100);
  CHECK(malformed("D;"));
  CHECK(malformed("Dx"));
}

TEST_CASE("qXfer read packets", "[request]") {
  auto x = as<req::XferRead>("qXfer:features:read:target.xml:0,fff");
  CHECK(x.object == "features");
  CHECK(x.annex == "target.xml");
  CHECK(x.offset == 0);
  CHECK(x.length == 0xfff);
  auto a = as<req::XferRead>("qXfer:auxv:read::10,20");
  CHECK(a.annex.empty());
  CHECK(a.offset == 0x10);
  CHECK(malformed("qXfer:auxv:read::10"));
  CHECK(malformed("qXfer:auxv:read::q,1"));
  CHECK(malformed("qXfer:auxv:read"));
}

TEST_CASE("vFile packets", "[request]") {
  CHECK(as<req::FileSetfs>("vFile:setfs:0").pid == 0);
  auto o = as<req::FileOpen>("vFile:open:2f62696e2f6c73,0,1ed");
  CHECK(o.path == "/bin/ls");
  CHECK(o.flags == 0);
  CHECK(o.mode == 0755);
  CHECK(as<req::FileClose>("vFile:close:3").fd == 3);
  auto p = as<req::FilePread>("vFile:pread:3,1000,20");
  CHECK(p.fd == 3);
  CHECK(p.count == 0x1000);
  CHECK(p.offset == 0x20);
  auto w = as<req::FilePwrite>("vFile:pwrite:3,10,a,b}]");
  CHECK(w.offset == 0x10);
  CHECK(w.data == std::vector<std::uint8_t>{'a', ',', 'b', '}'});
  CHECK(as<req::FileFstat>("vFile:fstat:4").fd == 4);
  CHECK(as<req::FileReadlink>("vFile:readlink:2f78").path == "/x");
  CHECK(as<req::FileUnlink>("vFile:unlink:2f78").path == "/x");
  for (const char *bad :
       {"vFile:setfs:", "vFile:open:2f,0", "vFile:open:2,0,0", "vFile:close:x", "vFile:pread:3,10",
        "vFile:pwrite:3", "vFile:pwrite:3,1}", "vFile:readlink:2", "vFile:fstat:"}) {
    INFO(bad);
    CHECK(malformed(bad));
  }
}

TEST_CASE("qXfer writes parse with a binary payload", "[request]") {
  auto w = std::get<req::XferWrite>(parse_request("qXfer:siginfo:write::10:a}]b"));
  CHECK(w.object == "siginfo");
  CHECK(w.annex.empty());
  CHECK(w.offset == 0x10);
  CHECK(w.data == "a}b");
  CHECK(std::holds_alternative<req::Malformed>(parse_request("qXfer:siginfo:write::10")));
  CHECK(std::holds_alternative<req::Malformed>(parse_request("qXfer:siginfo:write::g:a")));
}

TEST_CASE("qGetTLSAddr parses thread, offset and link_map", "[request]") {
  auto t = as<req::TlsAddress>("qGetTLSAddr:p1f.20,1c,7ffff7ffe2e0");
  CHECK(t.thread == ThreadId{0x1f, 0x20});
  CHECK(t.offset == 0x1c);
  CHECK(t.lm == 0x7ffff7ffe2e0);
  auto plain = as<req::TlsAddress>("qGetTLSAddr:20,0,0");
  CHECK(plain.thread == ThreadId{ThreadId::any, 0x20});
  CHECK(plain.lm == 0);
  for (const char *p : {"qGetTLSAddr:", "qGetTLSAddr:20,0", "qGetTLSAddr:20,,0",
                        "qGetTLSAddr:x,0,0", "qGetTLSAddr:20,0,zz"}) {
    INFO(p);
    CHECK(malformed(p));
  }
}

TEST_CASE("Z packets carry target-side conditions", "[request][agent]") {
  using Bytes = std::vector<std::uint8_t>;
  // gdb 13, `break hit if i == 19999` with `set breakpoint condition-evaluation target`
  auto one = as<req::Breakpoint>("Z0,555555555144,1;X13,26000622100222ec160802191620234e1f1327");
  CHECK(one.insert);
  CHECK(one.addr == 0x555555555144);
  CHECK(one.kind == 1);
  REQUIRE(one.conditions.size() == 1);
  CHECK(one.conditions[0] == Bytes{0x26, 0x00, 0x06, 0x22, 0x10, 0x02, 0x22, 0xec, 0x16, 0x08, 0x02,
                                   0x19, 0x16, 0x20, 0x23, 0x4e, 0x1f, 0x13, 0x27});
  CHECK(one.commands.empty());
  CHECK_FALSE(one.commands_persist);

  // gdb writes several conditions back to back; a ';' between them is accepted too
  for (const char *p : {"Z0,1000,1;X2,2227X3,220527", "Z0,1000,1;X2,2227;X3,220527"}) {
    INFO(p);
    auto two = as<req::Breakpoint>(p);
    REQUIRE(two.conditions.size() == 2);
    CHECK(two.conditions[0] == Bytes{0x22, 0x27});
    CHECK(two.conditions[1] == Bytes{0x22, 0x05, 0x27});
  }
  CHECK(as<req::Breakpoint>("Z1,1000,1;X1,27").conditions.size() == 1);
  CHECK(as<req::Breakpoint>("Z0,1000,1").conditions.empty());
}

TEST_CASE("Z packets carry agent commands", "[request][agent]") {
  using Bytes = std::vector<std::uint8_t>;
  // gdb 13, `dprintf hit,"i=%d\tx\n", i` with `set dprintf-style agent`
  auto dprintf =
      as<req::Breakpoint>("Z0,555555555144,1;cmds:1,X21,"
                          "26000622100222ec160802191620220022003401000a693d25645c74785c6e0027");
  CHECK(dprintf.conditions.empty());
  REQUIRE(dprintf.commands.size() == 1);
  CHECK(dprintf.commands[0].size() == 0x21);
  CHECK(dprintf.commands[0].back() == 0x27);
  CHECK(dprintf.commands_persist);

  auto both = as<req::Breakpoint>("Z0,1000,1;X2,2227;cmds:0,X1,27X2,2227");
  REQUIRE(both.conditions.size() == 1);
  CHECK(both.conditions[0] == Bytes{0x22, 0x27});
  REQUIRE(both.commands.size() == 2);
  CHECK(both.commands[0] == Bytes{0x27});
  CHECK(both.commands[1] == Bytes{0x22, 0x27});
  CHECK_FALSE(both.commands_persist);
}

TEST_CASE("Z packets with bad conditions or commands are malformed", "[request][agent]") {
  for (const char *bad : {
           "Z0,1000,1;",                          // nothing after ';'
           "Z0,1000,1;X2,22",                     // shorter than its length
           "Z0,1000,1;X2,222700",                 // longer than its length
           "Z0,1000,1;X2,zz27",                   // not hex
           "Z0,1000,1;X2",                        // no ','
           "Z0,1000,1;X,2227",                    // no length
           "Z0,1000,1;Xq,27",                     // length not hex
           "Z0,1000,1;Xffffffffffffffff,27",      // absurd length
           "Z0,1000,1;Y1,27",                     // unknown option
           "Z0,1000,1;X1,27;",                    // trailing ';'
           "Z0,1000,1;X1,27;;X1,27",              // empty option
           "Z0,1000,1;cmds:2,X1,27",              // persist not 0 or 1
           "Z0,1000,1;cmds:1X1,27",               // no ',' after persist
           "Z0,1000,1;cmds:1,",                   // no command
           "Z0,1000,1;cmds:1,X1,27;cmds:1,X1,27", // two command lists
       }) {
    INFO(bad);
    CHECK(malformed(bad));
  }
}
