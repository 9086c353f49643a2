#include "rsp/reply.hpp"

#include "rsp/framing.hpp"
#include "rsp/hex.hpp"
#include "rsp/thread_id_codec.hpp"

#include <algorithm>
#include <cerrno>
#include <fmt/format.h>

namespace rsp::reply {

std::string ok() { return "OK"; }
std::string empty() { return {}; }
std::string error(int code) { return fmt::format("E{:02x}", code & 0xff); }

std::string error(std::error_code ec) {
  bool errno_like =
      ec.category() == std::generic_category() || ec.category() == std::system_category();
  if (errno_like && ec.value() > 0 && ec.value() <= 0xff)
    return error(ec.value());
  return error(protocol_error);
}

namespace {

std::string hex_bytes(const std::vector<std::uint8_t> &bytes) { return hex_encode(bytes); }

std::string reason_pairs(const StopEvent &e, const StopOptions &o) {
  switch (e.reason) {
  case StopReason::None:
    return {};
  case StopReason::SwBreak:
    return o.swbreak ? "swbreak:;" : "";
  case StopReason::HwBreak:
    return o.hwbreak ? "hwbreak:;" : "";
  case StopReason::Watch:
    return fmt::format("watch:{:x};", e.address);
  case StopReason::ReadWatch:
    return fmt::format("rwatch:{:x};", e.address);
  case StopReason::AccessWatch:
    return fmt::format("awatch:{:x};", e.address);
  case StopReason::Fork:
    return o.fork_events ? "fork:" + format_thread_id(e.child, o.multiprocess) + ";" : "";
  case StopReason::VFork:
    return o.vfork_events ? "vfork:" + format_thread_id(e.child, o.multiprocess) + ";" : "";
  case StopReason::VForkDone:
    return o.vfork_events ? "vforkdone:;" : "";
  case StopReason::Exec:
    return o.exec_events ? "exec:" + hex_encode(e.exec_path) + ";" : "";
  case StopReason::SyscallEntry:
    return fmt::format("syscall_entry:{:x};", e.syscall);
  case StopReason::SyscallReturn:
    return fmt::format("syscall_return:{:x};", e.syscall);
  case StopReason::ThreadCreated:
    return o.thread_events ? "create:;" : "";
  }
  return {};
}

} // namespace

std::optional<std::string> stop(const StopEvent &e, const StopOptions &o) {
  switch (e.kind) {
  case StopKind::Signal: {
    if (o.plain_signal)
      return fmt::format("S{:02x}", e.signal & 0xff);
    std::string out = fmt::format("T{:02x}", e.signal & 0xff);
    out += reason_pairs(e, o);
    for (const auto &reg : e.registers)
      out += fmt::format("{:02x}:{};", reg.regnum, hex_bytes(reg.bytes));
    if (!o.no_thread)
      out += "thread:" + format_thread_id(e.thread, o.multiprocess) + ";";
    if (e.core >= 0)
      out += fmt::format("core:{:x};", e.core);
    return out;
  }
  case StopKind::Exited: {
    std::string out = fmt::format("W{:02x}", e.exit_code & 0xff);
    if (o.multiprocess)
      out += fmt::format(";process:{:x}", e.thread.pid);
    return out;
  }
  case StopKind::Terminated: {
    std::string out = fmt::format("X{:02x}", e.signal & 0xff);
    if (o.multiprocess)
      out += fmt::format(";process:{:x}", e.thread.pid);
    return out;
  }
  case StopKind::ThreadExited:
    if (!o.thread_events)
      return std::nullopt;
    return fmt::format("w{:02x};{}", e.exit_code & 0xff,
                       format_thread_id(e.thread, o.multiprocess));
  case StopKind::NoResumed:
    if (!o.no_resumed)
      return std::nullopt;
    return "N";
  }
  return std::nullopt;
}

std::optional<std::string> xfer_chunk(std::string_view object, std::uint64_t offset,
                                      std::uint64_t length) {
  if (offset > object.size())
    return std::nullopt;
  std::string_view rest = object.substr(offset);
  std::string_view chunk = rest.substr(0, std::min<std::uint64_t>(length, rest.size()));
  bool last = chunk.size() == rest.size();
  return (last ? "l" : "m") + escape_binary(chunk);
}

std::string thread_list(std::span<const ThreadInfo> threads, bool multiprocess) {
  if (threads.empty())
    return "l";
  std::string out = "m";
  for (std::size_t i = 0; i < threads.size(); ++i) {
    if (i != 0)
      out.push_back(',');
    out += format_thread_id(threads[i].id, multiprocess);
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20)
        out += fmt::format("&#{};", static_cast<int>(c));
      else
        out.push_back(c);
    }
  }
  return out;
}

std::string threads_xml(std::span<const ThreadInfo> threads, bool multiprocess) {
  std::string out = "<?xml version=\"1.0\"?>\n<threads>\n";
  for (const auto &t : threads) {
    out += "<thread id=\"" + format_thread_id(t.id, multiprocess) + "\"";
    if (t.core >= 0)
      out += fmt::format(" core=\"{}\"", t.core);
    if (!t.name.empty())
      out += " name=\"" + xml_escape(t.name) + "\"";
    out += "/>\n";
  }
  out += "</threads>\n";
  return out;
}

std::string console_output(std::string_view text) { return "O" + hex_encode(text); }

std::string file_result(std::int64_t value) {
  if (value < 0)
    return "F-" + to_hex(static_cast<std::uint64_t>(-value));
  return "F" + to_hex(static_cast<std::uint64_t>(value));
}

int fileio_errno(std::error_code ec) {
  bool errno_like =
      ec.category() == std::generic_category() || ec.category() == std::system_category();
  if (!errno_like)
    return 9999;
  switch (ec.value()) {
  case EPERM:
    return 1;
  case ENOENT:
    return 2;
  case EINTR:
    return 4;
  case EBADF:
    return 9;
  case EACCES:
    return 13;
  case EFAULT:
    return 14;
  case EBUSY:
    return 16;
  case EEXIST:
    return 17;
  case ENODEV:
    return 19;
  case ENOTDIR:
    return 20;
  case EISDIR:
    return 21;
  case EINVAL:
    return 22;
  case ENFILE:
    return 23;
  case EMFILE:
    return 24;
  case EFBIG:
    return 27;
  case ENOSPC:
    return 28;
  case ESPIPE:
    return 29;
  case EROFS:
    return 30;
  case ENAMETOOLONG:
    return 91;
  default:
    return 9999;
  }
}

std::string file_error(std::error_code ec) {
  return "F-1," + to_hex(static_cast<std::uint64_t>(fileio_errno(ec)));
}

std::string file_data(std::string_view data) {
  return "F" + to_hex(data.size()) + ";" + escape_binary(data);
}

namespace {

void put_be(std::string &out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i)
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

} // namespace

std::string fio_stat_bytes(const FileStat &st) {
  std::string out;
  out.reserve(64);
  put_be(out, st.dev, 4);
  put_be(out, st.ino, 4);
  put_be(out, st.mode, 4);
  put_be(out, st.nlink, 4);
  put_be(out, st.uid, 4);
  put_be(out, st.gid, 4);
  put_be(out, st.rdev, 4);
  put_be(out, st.size, 8);
  put_be(out, st.blksize, 8);
  put_be(out, st.blocks, 8);
  put_be(out, st.atime, 4);
  put_be(out, st.mtime, 4);
  put_be(out, st.ctime, 4);
  return out;
}

std::string file_stat(const FileStat &st) { return file_data(fio_stat_bytes(st)); }

} // namespace rsp::reply
