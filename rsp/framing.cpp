#include "rsp/framing.hpp"

#include "rsp/hex.hpp"

#include <algorithm>
#include <utility>

namespace rsp {

namespace {

bool needs_escape(char c) { return c == '#' || c == '$' || c == '}' || c == '*'; }

// Count characters gdb would misread or that we keep off the wire.
bool bad_count_char(int c) { return c == '#' || c == '$' || c == '+' || c == '-'; }

constexpr int rle_bias = 29;
constexpr int rle_min_repeats = 3;              // "x*" + count only pays from 4 equal bytes on
constexpr int rle_max_repeats = '~' - rle_bias; // 97

} // namespace

std::uint8_t checksum(std::string_view wire_payload) {
  std::uint8_t sum = 0;
  for (char c : wire_payload)
    sum = static_cast<std::uint8_t>(sum + static_cast<std::uint8_t>(c));
  return sum;
}

std::string escape_binary(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (char c : data) {
    if (needs_escape(c)) {
      out.push_back('}');
      out.push_back(static_cast<char>(c ^ 0x20));
    } else {
      out.push_back(c);
    }
  }
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
  out.reserve(payload.size());
  std::size_t i = 0;
  while (i < payload.size()) {
    char c = payload[i];
    std::size_t run = 1;
    while (i + run < payload.size() && payload[i + run] == c)
      ++run;
    // Emit this run as chunks of at most 1 + rle_max_repeats bytes.
    std::size_t left = run;
    while (left > 0) {
      int repeats = static_cast<int>(std::min<std::size_t>(left - 1, rle_max_repeats));
      while (repeats >= rle_min_repeats && bad_count_char(repeats + rle_bias))
        --repeats;
      if (repeats >= rle_min_repeats) {
        out.push_back(c);
        out.push_back('*');
        out.push_back(static_cast<char>(repeats + rle_bias));
        left -= static_cast<std::size_t>(repeats) + 1;
      } else {
        out.push_back(c);
        left -= 1;
      }
    }
    i += run;
  }
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
  std::string body = rle_encode(payload);
  std::uint8_t sum = checksum(body);
  std::string out;
  out.reserve(body.size() + 4);
  out.push_back('$');
  out += body;
  out.push_back('#');
  out.push_back(hex_digit_chars[sum >> 4]);
  out.push_back(hex_digit_chars[sum & 0xf]);
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
  last_packet_ = frame_packet(payload);
  output_ += last_packet_;
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
