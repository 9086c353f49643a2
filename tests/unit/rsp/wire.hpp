#pragma once
// Test helpers for the bytes between gdb and a Session.
#include "rsp/framing.hpp"
#include "rsp/session.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace rsp::test {

// `$payload#cs` exactly as gdb frames it (no run-length encoding).
inline std::string raw_frame(std::string_view payload) {
  char cs[3];
  std::snprintf(cs, sizeof cs, "%02x", checksum(payload));
  return "$" + std::string(payload) + "#" + cs;
}

// The packets in what a Session wrote, checksums verified, run-length encoding expanded;
// acks are returned as "+" / "-" entries when `with_acks`, notifications as "%Name:...".
inline std::vector<std::string> packets_in(std::string_view out, bool with_acks = false) {
  std::vector<std::string> packets;
  std::size_t i = 0;
  while (i < out.size()) {
    char c = out[i];
    if (c == '+' || c == '-') {
      if (with_acks)
        packets.emplace_back(1, c);
      ++i;
      continue;
    }
    REQUIRE((c == '$' || c == '%'));
    auto hash = out.find('#', i);
    REQUIRE(hash != std::string_view::npos);
    REQUIRE(hash + 2 < out.size());
    std::string_view body = out.substr(i + 1, hash - i - 1);
    REQUIRE(body.find('$') == std::string_view::npos);
    char cs[3];
    std::snprintf(cs, sizeof cs, "%02x", checksum(body));
    REQUIRE(out.substr(hash + 1, 2) == std::string_view(cs, 2));
    auto decoded = rle_decode(body);
    REQUIRE(decoded);
    packets.push_back(c == '%' ? "%" + *decoded : *decoded);
    i = hash + 3;
  }
  return packets;
}

// Sends one packet and returns the single reply payload.
inline std::string ask(Session &session, std::string_view payload) {
  session.feed(raw_frame(payload));
  auto packets = packets_in(session.take_output());
  INFO("request: " << payload);
  REQUIRE(packets.size() == 1);
  return packets.front();
}

// Sends one packet and returns every reply payload (O packets, then the final one).
inline std::vector<std::string> ask_all(Session &session, std::string_view payload) {
  session.feed(raw_frame(payload));
  return packets_in(session.take_output());
}

} // namespace rsp::test
