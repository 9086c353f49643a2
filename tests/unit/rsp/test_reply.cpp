#include "rsp/reply.hpp"

#include <catch2/catch.hpp>
#include <cerrno>

using namespace rsp;

namespace {

StopEvent signal_stop(int sig, StopReason reason = StopReason::None) {
  StopEvent e;
  e.kind = StopKind::Signal;
  e.signal = sig;
  e.reason = reason;
  e.thread = ThreadId{0x100, 0x101};
  return e;
}

} // namespace

TEST_CASE("error replies", "[reply]") {
  CHECK(reply::ok() == "OK");
  CHECK(reply::error(1) == "E01");
  CHECK(reply::error(std::error_code(EFAULT, std::generic_category())) == "E0e");
  CHECK(reply::error(std::error_code(ESRCH, std::system_category())) == "E03");
  CHECK(reply::error(std::error_code(300, std::generic_category())) == "E01");
  CHECK(reply::error(std::make_error_code(std::io_errc::stream)) == "E01");
}

TEST_CASE("T stop replies carry reason registers thread and core", "[reply]") {
  reply::StopOptions mp;
  mp.multiprocess = true;
  mp.swbreak = true;
  StopEvent e = signal_stop(5, StopReason::SwBreak);
  e.registers = {{6, {0x10, 0x20}}, {0x10, {0xff}}};
  e.core = 3;
  CHECK(reply::stop(e, mp).value() == "T05swbreak:;06:1020;10:ff;thread:p100.101;core:3;");
  e.core = -1;
  e.registers.clear();
  reply::StopOptions plain;
  CHECK(reply::stop(e, plain).value() == "T05thread:101;"); // no swbreak+ from gdb
  CHECK(reply::stop(signal_stop(5, StopReason::HwBreak), plain).value() == "T05thread:101;");
  plain.hwbreak = true;
  CHECK(reply::stop(signal_stop(5, StopReason::HwBreak), plain).value() ==
        "T05hwbreak:;thread:101;");
  StopEvent w = signal_stop(5, StopReason::Watch);
  w.address = 0x7ffe10;
  CHECK(reply::stop(w, plain).value() == "T05watch:7ffe10;thread:101;");
  w.reason = StopReason::ReadWatch;
  CHECK(reply::stop(w, plain).value() == "T05rwatch:7ffe10;thread:101;");
  w.reason = StopReason::AccessWatch;
  CHECK(reply::stop(w, plain).value() == "T05awatch:7ffe10;thread:101;");
  StopEvent s = signal_stop(5, StopReason::SyscallEntry);
  s.syscall = 0x3c;
  CHECK(reply::stop(s, plain).value() == "T05syscall_entry:3c;thread:101;");
  s.reason = StopReason::SyscallReturn;
  CHECK(reply::stop(s, plain).value() == "T05syscall_return:3c;thread:101;");
  CHECK(reply::stop(signal_stop(0x1b), plain).value() == "T1bthread:101;");
}

TEST_CASE("fork exec and create reasons only when negotiated", "[reply]") {
  reply::StopOptions o;
  o.multiprocess = true;
  StopEvent f = signal_stop(5, StopReason::Fork);
  f.child = ThreadId{0x200, 0x200};
  CHECK(reply::stop(f, o).value() == "T05thread:p100.101;");
  o.fork_events = true;
  CHECK(reply::stop(f, o).value() == "T05fork:p200.200;thread:p100.101;");
  StopEvent x = signal_stop(5, StopReason::Exec);
  x.exec_path = "/bin/true";
  o.exec_events = true;
  CHECK(reply::stop(x, o).value() == "T05exec:2f62696e2f74727565;thread:p100.101;");
  StopEvent c = signal_stop(5, StopReason::ThreadCreated);
  CHECK(reply::stop(c, o).value() == "T05thread:p100.101;");
  o.thread_events = true;
  CHECK(reply::stop(c, o).value() == "T05create:;thread:p100.101;");
}

TEST_CASE("W X w and N replies", "[reply]") {
  reply::StopOptions plain, mp;
  mp.multiprocess = true;
  StopEvent e;
  e.kind = StopKind::Exited;
  e.exit_code = 3;
  e.thread = ThreadId{0x100, 0x100};
  CHECK(reply::stop(e, plain).value() == "W03");
  CHECK(reply::stop(e, mp).value() == "W03;process:100");
  e.kind = StopKind::Terminated;
  e.signal = 9;
  CHECK(reply::stop(e, plain).value() == "X09");
  CHECK(reply::stop(e, mp).value() == "X09;process:100");
  e.kind = StopKind::ThreadExited;
  e.thread = ThreadId{0x100, 0x102};
  CHECK_FALSE(reply::stop(e, mp));
  mp.thread_events = true;
  CHECK(reply::stop(e, mp).value() == "w03;p100.102");
  e.kind = StopKind::NoResumed;
  CHECK_FALSE(reply::stop(e, mp));
  mp.no_resumed = true;
  CHECK(reply::stop(e, mp).value() == "N");
}

TEST_CASE("qXfer chunks", "[reply]") {
  CHECK(reply::xfer_chunk("abcdef", 0, 4).value() == "mabcd");
  CHECK(reply::xfer_chunk("abcdef", 4, 4).value() == "lef");
  CHECK(reply::xfer_chunk("abcdef", 2, 4).value() == "lcdef");
  CHECK(reply::xfer_chunk("abcdef", 6, 4).value() == "l");
  CHECK_FALSE(reply::xfer_chunk("abcdef", 7, 4));
  CHECK(reply::xfer_chunk("#$", 0, 10).value() == "l}\x03}\x04");
}

TEST_CASE("thread lists and the threads document", "[reply]") {
  std::vector<ThreadInfo> threads{{{0x100, 0x100}, "main", 0}, {{0x100, 0x101}, "a<&>\"'", -1}};
  CHECK(reply::thread_list(threads, true) == "mp100.100,p100.101");
  CHECK(reply::thread_list(threads, false) == "m100,101");
  CHECK(reply::thread_list({}, false) == "l");
  CHECK(reply::threads_xml(threads, true) ==
        "<?xml version=\"1.0\"?>\n<threads>\n"
        "<thread id=\"p100.100\" core=\"0\" name=\"main\"/>\n"
        "<thread id=\"p100.101\" name=\"a&lt;&amp;&gt;&quot;&apos;\"/>\n"
        "</threads>\n");
}

TEST_CASE("console output and file replies", "[reply]") {
  CHECK(reply::console_output("hi\n") == "O68690a");
  CHECK(reply::file_result(0) == "F0");
  CHECK(reply::file_result(0x1f) == "F1f");
  CHECK(reply::file_result(-1) == "F-1");
  CHECK(reply::file_data("a$") == "F2;a}\x04");
  CHECK(reply::file_error(std::error_code(ENOENT, std::generic_category())) == "F-1,2");
  CHECK(reply::file_error(std::error_code(ENAMETOOLONG, std::generic_category())) == "F-1,5b");
  CHECK(reply::file_error(std::error_code(ELOOP, std::generic_category())) == "F-1,270f");
  CHECK(reply::fileio_errno(std::error_code(EROFS, std::system_category())) == 30);
  CHECK(reply::fileio_errno(std::make_error_code(std::io_errc::stream)) == 9999);
}

TEST_CASE("fio stat is 64 big-endian bytes", "[reply]") {
  FileStat st;
  st.dev = 0x01020304;
  st.mode = 0100755;
  st.size = 0x1122334455667788ULL;
  st.ctime = 0xa0b0c0d0;
  std::string bytes = reply::fio_stat_bytes(st);
  REQUIRE(bytes.size() == 64);
  CHECK(bytes.substr(0, 4) == std::string("\x01\x02\x03\x04", 4));
  CHECK(bytes.substr(8, 4) == std::string("\x00\x00\x81\xed", 4));
  CHECK(bytes.substr(28, 8) == std::string("\x11\x22\x33\x44\x55\x66\x77\x88", 8));
  CHECK(bytes.substr(60, 4) == std::string("\xa0\xb0\xc0\xd0", 4));
  CHECK(reply::file_stat(st).substr(0, 4) == "F40;");
}
