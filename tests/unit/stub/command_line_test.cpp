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
  CHECK(parse_listen_address("stdio", error)->stdio);
  CHECK_FALSE(parse_listen_address("host:notaport", error));
  CHECK_FALSE(parse_listen_address("host:99999", error));
  CHECK_FALSE(parse_listen_address("nocolon", error));
}
