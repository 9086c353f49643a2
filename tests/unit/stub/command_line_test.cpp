#include "stub/command_line.hpp"

#include <catch2/catch.hpp>

using stub::parse_command_line;
using stub::parse_listen_address;

TEST_CASE("gdbserver's basic forms parse", "[command_line]") {
  auto p = parse_command_line({"--once", "127.0.0.1:1234", "/bin/prog", "a", "b"});
  REQUIRE(p.options);
  CHECK(p.options->once);
  CHECK(p.options->comm == "127.0.0.1:1234");
  CHECK(p.options->program == std::vector<std::string>{"/bin/prog", "a", "b"});

  auto stdio = parse_command_line({"-", "prog"});
  REQUIRE(stdio.options);
  CHECK(stdio.options->comm == "-");
}

TEST_CASE("program arguments that look like options belong to the program", "[command_line]") {
  auto p = parse_command_line({":0", "prog", "--once", "--debug"});
  REQUIRE(p.options);
  CHECK_FALSE(p.options->once);
  CHECK(p.options->program == std::vector<std::string>{"prog", "--once", "--debug"});
}

TEST_CASE("bad command lines are refused", "[command_line]") {
  CHECK_FALSE(parse_command_line({}).options);
  CHECK_FALSE(parse_command_line({":1234"}).options);
  auto unknown = parse_command_line({"--frobnicate", ":1", "prog"});
  CHECK_FALSE(unknown.options);
  CHECK(unknown.error.find("--frobnicate") != std::string::npos);
}

TEST_CASE("help, version and debug", "[command_line]") {
  CHECK(parse_command_line({"--help"}).options->show_help);
  CHECK(parse_command_line({"--version"}).options->show_version);
  auto d = parse_command_line({"--debug=rsp,event", ":1", "prog"});
  REQUIRE(d.options);
  CHECK(*d.options->debug_channels == "rsp,event");
}

TEST_CASE("listen addresses", "[command_line]") {
  std::string error;
  auto loopback = parse_listen_address(":2345", error);
  REQUIRE(loopback);
  CHECK(loopback->host == "127.0.0.1"); // :PORT never listens beyond this machine
  CHECK(loopback->port == 2345);
  auto any = parse_listen_address("0.0.0.0:0", error);
  REQUIRE(any);
  CHECK(any->host == "0.0.0.0");
  auto v6 = parse_listen_address("[::1]:7", error);
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(parse_listen_address("stdio", error)->stdio());
  CHECK_FALSE(parse_listen_address("host:notaport", error));
  CHECK_FALSE(parse_listen_address("host:99999", error));
  CHECK_FALSE(parse_listen_address("nocolon", error));
  auto unix_socket = parse_listen_address("unix:/tmp/s.sock", error);
  REQUIRE(unix_socket);
  CHECK(unix_socket->kind == stub::ListenAddress::Kind::Unix);
  CHECK(unix_socket->path == "/tmp/s.sock");
  auto bare_v6 = parse_listen_address("::1:9", error);
  REQUIRE(bare_v6);
  CHECK(bare_v6->host == "::1");
  CHECK_FALSE(parse_listen_address("tcp6:[::1]:0", error));
  CHECK(error == "Missing open bracket in hostname 'tcp6:[::1]:0'");
}

TEST_CASE("attach, multi, wrapper and the gdbserver options", "[command_line]") {
  auto attach = parse_command_line({"--once", "--attach", "localhost:0", "1234"});
  REQUIRE(attach.options);
  CHECK(attach.options->attach_pid == 1234);
  CHECK_FALSE(parse_command_line({"--attach", ":0"}).options);
  auto after_comm = parse_command_line({"--once", "localhost:0", "--attach", "77"});
  REQUIRE(after_comm.options); // gdbserver still accepts --attach after COMM
  CHECK(after_comm.options->attach_pid == 77);
  CHECK_FALSE(parse_command_line({"--attach", ":0", "12x"}).options);

  auto multi = parse_command_line({"--once", "--multi", "localhost:0"});
  REQUIRE(multi.options);
  CHECK(multi.options->multi);
  CHECK(multi.options->program.empty());

  auto wrapped = parse_command_line({"--wrapper", "env", "TEST=1", "--", ":0", "prog"});
  REQUIRE(wrapped.options);
  CHECK(wrapped.options->wrapper == std::vector<std::string>{"env", "TEST=1"});
  CHECK(wrapped.options->program == std::vector<std::string>{"prog"});
  CHECK_FALSE(parse_command_line({"--wrapper", "env", ":0", "prog"}).options); // no --

  auto disabled = parse_command_line({"--disable-packet=T,qfThreadInfo", ":0", "prog"});
  REQUIRE(disabled.options);
  CHECK(disabled.options->disabled_packets.count("T"));
  CHECK(disabled.options->disabled_packets.count("qfThreadInfo"));
  CHECK_FALSE(parse_command_line({"--disable-packet=frob", ":0", "prog"}).options);

  auto shell = parse_command_line({"--no-startup-with-shell", ":0", "prog"});
  CHECK_FALSE(shell.options->startup_with_shell);
  CHECK(parse_command_line({"--selftest"}).options->selftest);
  CHECK(*parse_command_line({"--remote-debug", ":0", "p"}).options->debug_channels == "rsp");
}
