#pragma once
// The packet layer: `$payload#cs`, acks, retransmission, binary escapes, run-length encoding.
// No I/O: bytes go in with append(), events and output bytes come out.
#include "rsp/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rsp {

// Modulo-256 sum of the bytes between `$` and `#`, as sent on the wire.
std::uint8_t checksum(std::string_view wire_payload);

// Binary data in X, vFile:pwrite, qXfer and vFile replies: `#`, `$`, `}` and `*` are sent as
// `}` followed by the byte XOR 0x20.
std::string escape_binary(std::string_view data);
// Errors (errc::invalid_argument) on a trailing lone `}`.
Result<std::string> unescape_binary(std::string_view data);

// Run-length encoding for what we send: a run of N+1 equal bytes (N >= 3) becomes the byte,
// `*`, and the count character N+29. Counts whose character would be `#`, `$`, `+` or `-`
// are shortened, and the count character never goes past `~`.
std::string rle_encode(std::string_view payload);
// The inverse (what gdb does on receipt); for tests and clients. Errors on a `*` with no
// preceding byte or no count.
Result<std::string> rle_decode(std::string_view wire_payload);

// `$` + rle_encode(payload) + `#` + two hex checksum digits.
std::string frame_packet(std::string_view payload);

struct FrameEvent {
  enum class Kind {
    Packet,      // payload: the bytes between `$` and `#`, still escaped (see unescape_binary)
    Interrupt,   // a raw 0x03 outside a packet (gdb's ^C)
    BadChecksum, // payload: what was received
    TooLong,     // a packet whose payload exceeded the maximum; payload is empty
    Ack,         // `+`
    Nak,         // `-`
  };
  Kind kind = Kind::Packet;
  std::string payload;
};

// Incremental decoder of the bytes gdb sends. Bytes outside packets other than `$`, `+`,
// `-` and 0x03 are skipped. A `$` inside a packet restarts the packet (the partial one is
// dropped: gdb never sends a raw `$` inside a payload).
class PacketReader {
public:
  explicit PacketReader(std::size_t max_payload) : max_payload_(max_payload) {}

  void append(std::string_view bytes) { pending_.append(bytes); }
  // The next complete event, or nullopt when more bytes are needed.
  std::optional<FrameEvent> next();
  // Garbage bytes skipped between packets so far.
  std::size_t skipped() const { return skipped_; }

private:
  enum class State { Outside, Payload, Checksum1, Checksum2 };

  std::size_t max_payload_;
  std::string pending_;
  std::size_t pos_ = 0;
  State state_ = State::Outside;
  std::string payload_;
  std::uint8_t sum_ = 0;
  bool too_long_ = false;
  int sent_sum_ = 0;
  bool sent_sum_ok_ = true;
  std::size_t skipped_ = 0;
};

// PacketReader plus the ack discipline on both directions:
// - ack mode: a good packet is answered `+` (before any reply), a bad checksum `-`;
//   a `-` from gdb retransmits our last packet; `+` is swallowed.
// - no-ack mode: no `+`/`-` is sent; bad packets are dropped (reported as BadChecksum);
//   `+`/`-` from gdb are ignored.
class Framer {
public:
  explicit Framer(std::size_t max_payload) : reader_(max_payload) {}

  void append(std::string_view bytes) { reader_.append(bytes); }
  // Next event for the session: Packet, TooLong, Interrupt or BadChecksum. Acks and naks
  // are handled here and not returned.
  std::optional<FrameEvent> next();

  // Frame and queue one packet; it is remembered for retransmission.
  void send(std::string_view payload);
  // Frame and queue a notification (%NAME:payload#cs): never acked, never retransmitted.
  void notify(std::string_view name, std::string_view payload);
  void set_no_ack(bool no_ack) { no_ack_ = no_ack; }
  bool no_ack() const { return no_ack_; }
  std::string take_output();
  std::size_t skipped() const { return reader_.skipped(); }

private:
  PacketReader reader_;
  bool no_ack_ = false;
  std::string output_;
  std::string last_packet_;
};

} // namespace rsp
