#include "stub/selftest.hpp"

#include "rsp/framing.hpp"
#include "rsp/hex.hpp"
#include "rsp/thread_id_codec.hpp"
#include "stub/command_line.hpp"
#include "stub/support/gdb_signals.hpp"

#include <fmt/core.h>
#include <functional>
#include <string>
#include <vector>

namespace stub {
namespace {

struct Check {
  const char *name;
  std::function<bool()> run;
};

bool framing_round_trip() {
  std::string payload = "T05thread:p1.2;" + std::string(40, '0') + "}#$*" + std::string(7, 'a');
  rsp::PacketReader reader(4096);
  reader.append(rsp::frame_packet(rsp::escape_binary(payload)));
  auto event = reader.next();
  if (!event || event->kind != rsp::FrameEvent::Kind::Packet)
    return false;
  auto decoded = rsp::rle_decode(event->payload);
  auto unescaped = decoded ? rsp::unescape_binary(*decoded) : decoded;
  return unescaped && *unescaped == payload;
}

bool rle_never_emits_frame_characters() {
  for (std::size_t run = 1; run < 200; ++run) {
    std::string encoded = rsp::rle_encode(std::string(run, 'x'));
    for (std::size_t i = 0; i < encoded.size(); ++i)
      if (encoded[i] == '#' || encoded[i] == '$')
        return false;
    auto back = rsp::rle_decode(encoded);
    if (!back || *back != std::string(run, 'x'))
      return false;
  }
  return true;
}

bool hex_round_trip() {
  std::vector<std::uint8_t> bytes;
  for (int i = 0; i < 256; ++i)
    bytes.push_back(static_cast<std::uint8_t>(i));
  auto back = rsp::hex_decode(rsp::hex_encode(bytes));
  return back && *back == bytes && !rsp::hex_decode("0g");
}

bool thread_ids() {
  auto id = rsp::parse_thread_id("p1f.-1");
  return id && id->pid == 0x1f && id->tid == -1 &&
         rsp::format_thread_id({0x1f, 0x20}, true) == "p1f.20" &&
         rsp::format_thread_id({0x1f, 0x20}, false) == "20";
}

bool signals_round_trip() {
  for (int host = 1; host < 65; ++host) {
    if (host == 32 || host == 33 || host == 16) // glibc-internal / SIGSTKFLT: no gdb name
      continue;
    int gdb = host_to_gdb_signal(host);
    if (gdb == 0 || gdb_to_host_signal(gdb) != host)
      return false;
  }
  return true;
}

bool target_xml_names_every_register(const arch::ArchInfo &arch) {
  std::string all;
  auto target = arch.feature_file("target.xml");
  if (!target)
    return false;
  all += *target;
  // Every included feature file must exist; every register must be named in one of them.
  for (std::size_t at = 0; (at = target->find("href=\"", at)) != std::string_view::npos;) {
    at += 6;
    auto end = target->find('"', at);
    auto file = arch.feature_file(target->substr(at, end - at));
    if (!file)
      return false;
    all += *file;
  }
  for (const auto &reg : arch.registers)
    if (all.find(fmt::format("name=\"{}\"", reg.name)) == std::string::npos)
      return false;
  return !arch.registers.empty() && arch.g_size() > 0;
}

bool command_line_forms() {
  auto once = parse_command_line({"--once", "localhost:0", "/bin/true"});
  auto attach = parse_command_line({"--attach", ":0", "123"});
  auto multi = parse_command_line({"--multi", ":0"});
  std::string error;
  return once.options && once.options->once && attach.options &&
         attach.options->attach_pid == 123 && multi.options && multi.options->multi &&
         !parse_command_line({":0"}).options && parse_listen_address("[::1]:5", error) &&
         !parse_listen_address("host:port", error);
}

} // namespace

SelftestResult run_selftests(const arch::ArchInfo &arch) {
  std::vector<Check> checks = {
      {"framing round trip", framing_round_trip},
      {"RLE never emits # or $", rle_never_emits_frame_characters},
      {"hex round trip", hex_round_trip},
      {"thread ids", thread_ids},
      {"signal numbers round trip", signals_round_trip},
      {"target XML names every register", [&] { return target_xml_names_every_register(arch); }},
      {"command line forms", command_line_forms},
  };
  SelftestResult result;
  for (const auto &check : checks) {
    ++result.ran;
    bool ok = false;
    try {
      ok = check.run();
    } catch (...) {
      ok = false;
    }
    if (!ok) {
      ++result.failed;
      fmt::print(stderr, "Self test failed: {}\n", check.name);
    }
  }
  return result;
}

} // namespace stub
