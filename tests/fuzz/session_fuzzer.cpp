// libFuzzer entry point: arbitrary bytes from "gdb" into a fresh rsp::Session over a
// FuzzTarget. Input layout (see README.md):
//   byte 0       session options (extended, packet size, disabled packets, no process...)
//   byte 1       low 3 bits: N, the number of chunk sizes that follow
//   N bytes      chunk sizes, used in turn (0: the rest at once), so packets arrive split
//   1 byte       seed of the stop events handed to on_stop
//   the rest     the byte stream gdb sends
// After every chunk the output is drained and checked; a resumed target stops at once.
#include "fuzz_target.hpp"

#include "rsp/framing.hpp"
#include "rsp/session.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace {

using namespace rsp;

struct Input {
  std::string_view bytes;
  std::uint8_t take(std::uint8_t fallback = 0) {
    if (bytes.empty())
      return fallback;
    auto b = static_cast<std::uint8_t>(bytes.front());
    bytes.remove_prefix(1);
    return b;
  }
};

SessionOptions options_from(std::uint8_t bits) {
  static constexpr std::size_t packet_sizes[] = {0x20000, 0x4000, 0x400, 0x40};
  SessionOptions o;
  o.extended = bits & 1;
  o.packet_size = packet_sizes[(bits >> 1) & 3];
  if (bits & 0x08)
    o.disabled_packets = {"vCont", "T"};
  if (bits & 0x10)
    o.disabled_packets.insert({"threads", "Tthread", "qC", "qfThreadInfo"});
  if (bits & 0x80) // exercise the log formatting too
    o.log = [](std::string_view line) {
      if (line.empty())
        std::abort();
    };
  return o;
}

// Every stop kind, reason and field, chosen by the seed and the stop's ordinal.
StopEvent stop_event(const fuzz::FuzzTarget &target, std::uint8_t seed, unsigned k) {
  static constexpr StopKind kinds[] = {
      StopKind::Signal, StopKind::Signal,     StopKind::Signal,       StopKind::Signal,
      StopKind::Exited, StopKind::Terminated, StopKind::ThreadExited, StopKind::NoResumed};
  auto b = static_cast<std::uint8_t>(seed + k * 37);
  StopEvent e;
  e.kind = kinds[b % 8];
  e.reason = static_cast<StopReason>((b >> 3) % 13);
  e.thread = target.thread_list[k % target.thread_list.size()].id;
  e.signal = b % 0x50;
  e.exit_code = b;
  e.address = std::uint64_t{b} << 12;
  e.child = ThreadId{0x300, 0x300};
  e.exec_path = "/bin/x#$}*";
  e.syscall = b;
  e.core = static_cast<int>(k % 3) - 1;
  e.registers = {{6, {1, 2, 3, 4, 5, 6, 7, 8}}, {16, std::vector<std::uint8_t>(8, b)}};
  return e;
}

// What the session writes must be well-formed for gdb: acks, and packets or notifications
// with no raw `$`/`#` in the body, the right checksum and a decodable run-length encoding.
void check_output(std::string_view out) {
  std::size_t i = 0;
  while (i < out.size()) {
    char c = out[i];
    if (c == '+' || c == '-') {
      ++i;
      continue;
    }
    if (c != '$' && c != '%')
      std::abort();
    auto hash = out.find('#', i + 1);
    if (hash == std::string_view::npos || hash + 2 >= out.size())
      std::abort();
    std::string_view body = out.substr(i + 1, hash - i - 1);
    if (body.find('$') != std::string_view::npos)
      std::abort();
    static constexpr char digits[] = "0123456789abcdef";
    std::uint8_t sum = checksum(body);
    if (out[hash + 1] != digits[sum >> 4] || out[hash + 2] != digits[sum & 0xf])
      std::abort();
    if (!rle_decode(body))
      std::abort();
    i = hash + 3;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  Input in{std::string_view(reinterpret_cast<const char *>(data), size)};
  std::uint8_t option_bits = in.take();
  std::vector<std::size_t> chunks(in.take() & 7);
  for (auto &c : chunks)
    c = in.take();
  std::uint8_t stop_seed = in.take();

  fuzz::FuzzTarget target;
  if (option_bits & 0x20)
    target.process = false;
  if (option_bits & 0x40) { // the other answer to every feature question
    auto &f = target.feats;
    f.auxv = f.exec_file = f.libraries_svr4 = f.vfile = f.siginfo = false;
    f.exec_events = f.osdata = false;
    f.hardware_breakpoints = f.watchpoints = f.range_stepping = true;
  }
  Session session(target, options_from(option_bits));

  unsigned stops = 0;
  std::size_t resumes_seen = 0;
  std::string_view stream = in.bytes;
  for (std::size_t n = 0; !stream.empty(); ++n) {
    std::size_t len = chunks.empty() ? 0 : chunks[n % chunks.size()];
    if (len == 0 || len > stream.size())
      len = stream.size();
    session.feed(stream.substr(0, len));
    stream.remove_prefix(len);
    check_output(session.take_output());
    // The target stops after every resume: in all-stop while Running, in non-stop as a
    // notification; now and then a stop nobody waits for.
    bool resumed = target.resumes.size() > resumes_seen;
    resumes_seen = target.resumes.size();
    if (session.state() == SessionState::Running || (session.non_stop() && resumed) ||
        (stop_seed & 0x80 && n % 5 == 4)) {
      session.on_stop(stop_event(target, stop_seed, stops++));
      check_output(session.take_output());
    }
  }
  return 0;
}
