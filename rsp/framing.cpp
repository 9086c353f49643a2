#include "rsp/framing.hpp"

#include "rsp/hex.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace rsp {

namespace {

constexpr bool needs_escape(char c) { return c == '#' || c == '$' || c == '}' || c == '*'; }

// Count characters gdb would misread or that we keep off the wire.
constexpr bool bad_count_char(int c) { return c == '#' || c == '$' || c == '+' || c == '-'; }

constexpr int rle_bias = 29;
constexpr int rle_min_repeats = 3;              // "x*" + count only pays from 4 equal bytes on
constexpr int rle_max_repeats = '~' - rle_bias; // 97

// Writes a run of `run` bytes `c` at `out` as chunks of at most 1 + rle_max_repeats bytes;
// returns the end of what it wrote (never more than `run` bytes).
char *put_run(char *out, char c, std::size_t run) {
  while (run > 0) {
    int repeats = static_cast<int>(std::min<std::size_t>(run - 1, rle_max_repeats));
    while (repeats >= rle_min_repeats && bad_count_char(repeats + rle_bias))
      --repeats;
    if (repeats >= rle_min_repeats) {
      *out++ = c;
      *out++ = '*';
      *out++ = static_cast<char>(repeats + rle_bias);
      run -= static_cast<std::size_t>(repeats) + 1;
    } else {
      *out++ = c;
      run -= 1;
    }
  }
  return out;
}

// Appends rle_encode(payload) to out. Encoding never lengthens, so the output is written in
// place into room made once; bytes outside runs are copied in bulk.
void append_rle(std::string &out, std::string_view payload) {
  if (payload.empty())
    return;
  std::size_t start = out.size();
  out.resize(start + payload.size());
  char *o = out.data() + start;
  const char *p = payload.data();
  const char *end = p + payload.size();
  const char *literal = p; // first byte not yet written
  while (p < end) {
    char c = *p;
    const char *q = p + 1;
    while (q < end && *q == c)
      ++q;
    if (q - p > rle_min_repeats) {
      std::memcpy(o, literal, static_cast<std::size_t>(p - literal));
      o += p - literal;
      o = put_run(o, c, static_cast<std::size_t>(q - p));
      literal = q;
    }
    p = q;
  }
  std::memcpy(o, literal, static_cast<std::size_t>(end - literal));
  o += end - literal;
  out.resize(static_cast<std::size_t>(o - out.data()));
}

// Appends `$` + rle_encode(payload) + `#` + checksum to out.
void append_frame(std::string &out, std::string_view payload) {
  out.reserve(out.size() + payload.size() + 4);
  out.push_back('$');
  std::size_t body = out.size();
  append_rle(out, payload);
  std::uint8_t sum = checksum(std::string_view(out).substr(body));
  out.push_back('#');
  out.push_back(hex_digit_chars[sum >> 4]);
  out.push_back(hex_digit_chars[sum & 0xf]);
}

} // namespace

std::uint8_t checksum(std::string_view wire_payload) {
  // Summed as unsigned words so that the compiler vectorises the loop.
  unsigned sum = 0;
  for (char c : wire_payload)
    sum += static_cast<std::uint8_t>(c);
  return static_cast<std::uint8_t>(sum);
}

std::string escape_binary(std::string_view data) {
  std::string out;
  out.reserve(data.size() + data.size() / 32 + 8);
  std::size_t copied = 0; // bytes of data already in out
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (needs_escape(data[i])) {
      out.append(data.data() + copied, i - copied);
      out.push_back('}');
      out.push_back(static_cast<char>(data[i] ^ 0x20));
      copied = i + 1;
    }
  }
  out.append(data.data() + copied, data.size() - copied);
  return out;
}

Result<std::string> unescape_binary(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '}') {
      if (i + 1 == data.size())
        return fail(std::errc::invalid_argument);
      out.push_back(static_cast<char>(data[++i] ^ 0x20));
    } else {
      out.push_back(data[i]);
    }
  }
  return out;
}

std::string rle_encode(std::string_view payload) {
  std::string out;
  append_rle(out, payload);
  return out;
}

Result<std::string> rle_decode(std::string_view wire_payload) {
  std::string out;
  out.reserve(wire_payload.size());
  for (std::size_t i = 0; i < wire_payload.size(); ++i) {
    char c = wire_payload[i];
    if (c != '*') {
      out.push_back(c);
      continue;
    }
    if (out.empty() || i + 1 == wire_payload.size())
      return fail(std::errc::invalid_argument);
    int repeats = static_cast<unsigned char>(wire_payload[++i]) - rle_bias;
    if (repeats < 0)
      return fail(std::errc::invalid_argument);
    out.append(static_cast<std::size_t>(repeats), out.back());
  }
  return out;
}

std::string frame_packet(std::string_view payload) {
  std::string out;
  append_frame(out, payload);
  return out;
}

std::optional<FrameEvent> PacketReader::next() {
  using Kind = FrameEvent::Kind;
  std::optional<FrameEvent> result;
  while (!result && pos_ < pending_.size()) {
    char c = pending_[pos_++];
    switch (state_) {
    case State::Outside:
      if (c == '$') {
        state_ = State::Payload;
        payload_.clear();
        sum_ = 0;
        too_long_ = false;
      } else if (c == '+') {
        result = FrameEvent{Kind::Ack, {}};
      } else if (c == '-') {
        result = FrameEvent{Kind::Nak, {}};
      } else if (c == '\x03') {
        result = FrameEvent{Kind::Interrupt, {}};
      } else {
        ++skipped_;
      }
      break;
    case State::Payload:
      if (c == '#') {
        state_ = State::Checksum1;
      } else if (c == '$') {
        // A new packet starts: the partial one was truncated on the way.
        skipped_ += payload_.size() + 1;
        payload_.clear();
        sum_ = 0;
        too_long_ = false;
      } else {
        sum_ = static_cast<std::uint8_t>(sum_ + static_cast<std::uint8_t>(c));
        if (!too_long_ && payload_.size() >= max_payload_) {
          too_long_ = true;
          payload_.clear();
          payload_.shrink_to_fit();
        }
        if (!too_long_)
          payload_.push_back(c);
      }
      break;
    case State::Checksum1:
      sent_sum_ok_ = hex_nibble(c) >= 0;
      sent_sum_ = sent_sum_ok_ ? hex_nibble(c) << 4 : 0;
      state_ = State::Checksum2;
      break;
    case State::Checksum2: {
      int lo = hex_nibble(c);
      bool ok = sent_sum_ok_ && lo >= 0 && (sent_sum_ | lo) == sum_;
      state_ = State::Outside;
      if (!ok)
        result = FrameEvent{Kind::BadChecksum, std::exchange(payload_, {})};
      else if (too_long_)
        result = FrameEvent{Kind::TooLong, {}};
      else
        result = FrameEvent{Kind::Packet, std::exchange(payload_, {})};
      break;
    }
    }
  }
  // Drop consumed bytes now and then so the buffer does not grow without bound.
  if (pos_ == pending_.size()) {
    pending_.clear();
    pos_ = 0;
  } else if (pos_ > 4096) {
    pending_.erase(0, pos_);
    pos_ = 0;
  }
  return result;
}

std::optional<FrameEvent> Framer::next() {
  using Kind = FrameEvent::Kind;
  while (auto event = reader_.next()) {
    switch (event->kind) {
    case Kind::Ack:
      break;
    case Kind::Nak:
      if (!no_ack_ && !last_packet_.empty())
        output_ += last_packet_;
      break;
    case Kind::Packet:
    case Kind::TooLong:
      if (!no_ack_)
        output_.push_back('+');
      return event;
    case Kind::BadChecksum:
      if (!no_ack_)
        output_.push_back('-');
      return event;
    case Kind::Interrupt:
      return event;
    }
  }
  return std::nullopt;
}

void Framer::send(std::string_view payload) {
  std::size_t start = output_.size();
  append_frame(output_, payload);
  // Only ack mode retransmits; without acks a copy of every (large) reply is wasted.
  if (no_ack_)
    last_packet_.clear();
  else
    last_packet_.assign(output_, start);
}

void Framer::notify(std::string_view name, std::string_view payload) {
  // Stop replies are plain text: no escapes needed, and no run-length encoding, which
  // gdb's notification reader need not expect.
  std::string body(name);
  body += ':';
  body += payload;
  std::uint8_t sum = checksum(body);
  output_ += '%';
  output_ += body;
  output_ += '#';
  output_.push_back(hex_digit_chars[sum >> 4]);
  output_.push_back(hex_digit_chars[sum & 0xf]);
}

std::string Framer::take_output() { return std::exchange(output_, {}); }

} // namespace rsp
