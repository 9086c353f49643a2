#pragma once
// Reply payload encoders (framing is separate: see framing.hpp).
#include "rsp/stop_event.hpp"
#include "rsp/target.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

namespace rsp::reply {

// E01: the code for every protocol-level error (malformed packet, packet too long, packet
// not valid in this state, no process).
inline constexpr int protocol_error = 0x01;

std::string ok();
std::string empty();
// `E` + two hex digits.
std::string error(int code);
// Target errors: errno values 1..255 (generic or system category) as `Enn`, anything else E01.
std::string error(std::error_code ec);

// What gdb negotiated that shapes stop replies.
struct StopOptions {
  bool multiprocess = false;
  bool swbreak = false;
  bool hwbreak = false;
  bool fork_events = false;
  bool vfork_events = false;
  bool exec_events = false;
  bool thread_events = false; // QThreadEvents:1 (w replies, create:)
  bool no_resumed = false;
  bool plain_signal = false; // --disable-packet=T: S replies, no reasons or registers
  bool no_thread = false;    // --disable-packet=Tthread: no thread: field
};

// T/W/X/w/N. nullopt when the event is not reported to gdb under `options`
// (ThreadExited without thread events, NoResumed without no-resumed+).
std::optional<std::string> stop(const StopEvent &event, const StopOptions &options);

// qXfer chunk of a whole object: `m` + data when more follows, else `l` + data; binary
// data escaped. nullopt when offset is past the end.
std::optional<std::string> xfer_chunk(std::string_view object, std::uint64_t offset,
                                      std::uint64_t length);

// `m<id>,<id>...` (or `l` for no threads).
std::string thread_list(std::span<const ThreadInfo> threads, bool multiprocess);
// The qXfer:threads document.
std::string threads_xml(std::span<const ThreadInfo> threads, bool multiprocess);
std::string xml_escape(std::string_view text);

// `O` + hex of text (console output).
std::string console_output(std::string_view text);

// File-I/O replies (vFile).
std::string file_result(std::int64_t value);    // F<hex>, F-<hex> when negative
std::string file_error(std::error_code ec);     // F-1,<gdb errno hex>
std::string file_data(std::string_view data);   // F<len>;<escaped data>
std::string file_stat(const FileStat &st);      // F40;<escaped 64-byte big-endian fio stat>
int fileio_errno(std::error_code ec);           // host errno -> gdb fileio errno (9999 unknown)
std::string fio_stat_bytes(const FileStat &st); // the 64 raw bytes

} // namespace rsp::reply
