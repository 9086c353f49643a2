#include "rsp/framing.hpp"

#include "wire.hpp"

#include <catch2/catch.hpp>

using namespace rsp;
using Kind = FrameEvent::Kind;

namespace {

std::vector<FrameEvent> drain(PacketReader &reader) {
  std::vector<FrameEvent> events;
  while (auto e = reader.next())
    events.push_back(*e);
  return events;
}

} // namespace

TEST_CASE("checksum and framing", "[framing]") {
  CHECK(checksum("OK") == 0x9a);
  CHECK(frame_packet("OK") == "$OK#9a");
  CHECK(frame_packet("") == "$#00");
}

TEST_CASE("reader yields a packet acks and interrupts", "[framing]") {
  PacketReader reader(100);
  reader.append("+$g#67-\x03");
  auto events = drain(reader);
  REQUIRE(events.size() == 4);
  CHECK(events[0].kind == Kind::Ack);
  CHECK(events[1].kind == Kind::Packet);
  CHECK(events[1].payload == "g");
  CHECK(events[2].kind == Kind::Nak);
  CHECK(events[3].kind == Kind::Interrupt);
}

TEST_CASE("reader handles a packet split across feeds", "[framing]") {
  PacketReader reader(100);
  std::string wire = test::raw_frame("qSupported:multiprocess+");
  for (std::size_t cut = 1; cut < wire.size(); ++cut) {
    reader.append(wire.substr(0, cut));
    CHECK_FALSE(reader.next());
    reader.append(wire.substr(cut));
    auto e = reader.next();
    REQUIRE(e);
    CHECK(e->kind == Kind::Packet);
    CHECK(e->payload == "qSupported:multiprocess+");
  }
}

TEST_CASE("reader reports a bad checksum and non-hex checksum digits", "[framing]") {
  PacketReader reader(100);
  reader.append("$g#00$g#zz$g#67");
  auto events = drain(reader);
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind == Kind::BadChecksum);
  CHECK(events[1].kind == Kind::BadChecksum);
  CHECK(events[2].kind == Kind::Packet);
}

TEST_CASE("reader skips garbage between packets and restarts on a stray $", "[framing]") {
  PacketReader reader(100);
  reader.append("xyz\r\n$abc$g#67");
  auto events = drain(reader);
  REQUIRE(events.size() == 1);
  CHECK(events[0].payload == "g");
  CHECK(reader.skipped() == 5 + 4);
}

TEST_CASE("a raw 0x03 inside a packet is payload not an interrupt", "[framing]") {
  PacketReader reader(100);
  std::string payload = "X1000,1:\x03";
  reader.append(test::raw_frame(payload));
  auto events = drain(reader);
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == Kind::Packet);
  CHECK(events[0].payload == payload);
}

TEST_CASE("packets over the maximum are reported TooLong and reading goes on", "[framing]") {
  PacketReader reader(4);
  reader.append(test::raw_frame("abcd") + test::raw_frame("abcde") + test::raw_frame("g"));
  auto events = drain(reader);
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind == Kind::Packet);
  CHECK(events[1].kind == Kind::TooLong);
  CHECK(events[2].kind == Kind::Packet);
  CHECK(events[2].payload == "g");
}

TEST_CASE("binary escapes round-trip every byte", "[framing]") {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all.push_back(static_cast<char>(i));
  std::string escaped = escape_binary(all);
  CHECK(escaped.find('#') == std::string::npos);
  CHECK(escaped.find('$') == std::string::npos);
  CHECK(escaped.find('*') == std::string::npos);
  CHECK(escaped.size() == 256 + 4);
  CHECK(unescape_binary(escaped).value() == all);
  CHECK(escape_binary("a#b$c}d*") == "a}\x03"
                                     "b}\x04"
                                     "c}]d}\x0a");
  CHECK_FALSE(unescape_binary("abc}"));
}

TEST_CASE("RLE never uses hash dollar plus or minus as a count and round-trips", "[framing]") {
  for (std::size_t n = 1; n <= 300; ++n) {
    for (char c : {'0', 'x', '*' /* never raw in practice, but must not break */}) {
      std::string payload = "a" + std::string(n, c) + "b";
      std::string encoded = rle_encode(payload);
      INFO("run of " << n << " '" << c << "'");
      for (std::size_t i = 0; i + 1 < encoded.size(); ++i) {
        if (encoded[i] == '*' && c != '*') {
          char count = encoded[i + 1];
          CHECK(count != '#');
          CHECK(count != '$');
          CHECK(count != '+');
          CHECK(count != '-');
          CHECK(count >= ' ');
          CHECK(count <= '~');
        }
      }
      if (c != '*')
        CHECK(rle_decode(encoded).value() == payload);
      CHECK(encoded.find('#') == std::string::npos);
      CHECK(encoded.find('$') == std::string::npos);
    }
  }
  CHECK(rle_encode("000") == "000");
  CHECK(rle_encode("0000") == "0* ");
  CHECK(rle_encode(std::string(7, '0')) == "0*\"0");  // 6 repeats would be '#'
  CHECK(rle_encode(std::string(8, '0')) == "0*\"00"); // 7 repeats would be '$'
  CHECK(rle_encode(std::string(16, '0')) == "0*,");   // 15 repeats
  CHECK(rle_encode(std::string(15, '0')) == "0**0");  // 14 would be '+': 13 ('*') + 1
  CHECK(rle_encode(std::string(17, '0')) == "0*,0");  // 16 would be '-'
  CHECK(rle_encode(std::string(98, '0')) == "0*~");   // the longest run one count covers
  CHECK(rle_encode(std::string(99, '0')) == "0*~0");
}

TEST_CASE("rle_decode rejects a leading star or a missing count", "[framing]") {
  CHECK_FALSE(rle_decode("*a"));
  CHECK_FALSE(rle_decode("a*"));
}

TEST_CASE("framer acks good packets and naks bad ones and retransmits on nak", "[framing]") {
  Framer framer(100);
  framer.append(test::raw_frame("g"));
  auto e = framer.next();
  REQUIRE(e);
  CHECK(e->kind == Kind::Packet);
  CHECK(framer.take_output() == "+");
  framer.send("OK");
  CHECK(framer.take_output() == "$OK#9a");
  framer.append("-");
  CHECK_FALSE(framer.next());
  CHECK(framer.take_output() == "$OK#9a");
  framer.append("$g#00");
  e = framer.next();
  REQUIRE(e);
  CHECK(e->kind == Kind::BadChecksum);
  CHECK(framer.take_output() == "-");
}

TEST_CASE("framer in no-ack mode sends no acks and ignores -", "[framing]") {
  Framer framer(100);
  framer.set_no_ack(true);
  framer.send("OK");
  framer.take_output();
  framer.append(test::raw_frame("g") + "$g#00-+");
  auto e = framer.next();
  REQUIRE(e);
  CHECK(e->kind == Kind::Packet);
  e = framer.next();
  REQUIRE(e);
  CHECK(e->kind == Kind::BadChecksum);
  CHECK_FALSE(framer.next());
  CHECK(framer.take_output().empty());
}
