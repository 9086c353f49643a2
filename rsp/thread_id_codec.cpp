#include "rsp/thread_id_codec.hpp"

#include "rsp/hex.hpp"

#include <limits>

namespace rsp {

namespace {

Result<std::int64_t> parse_component(std::string_view text) {
  if (text == "-1")
    return ThreadId::all;
  return parse_hex_i64(text);
}

std::string format_component(std::int64_t value) {
  if (value < 0)
    return "-1";
  return to_hex(static_cast<std::uint64_t>(value));
}

} // namespace

Result<ThreadId> parse_thread_id(std::string_view text) {
  if (!text.empty() && text.front() == 'p') {
    text.remove_prefix(1);
    auto dot = text.find('.');
    auto pid = parse_component(text.substr(0, dot));
    if (!pid)
      return fail(pid.error());
    if (dot == std::string_view::npos)
      return ThreadId{*pid, ThreadId::all};
    auto tid = parse_component(text.substr(dot + 1));
    if (!tid)
      return fail(tid.error());
    return ThreadId{*pid, *tid};
  }
  auto tid = parse_component(text);
  if (!tid)
    return fail(tid.error());
  if (*tid == ThreadId::all)
    return ThreadId{ThreadId::all, ThreadId::all};
  if (*tid == ThreadId::any)
    return ThreadId{ThreadId::any, ThreadId::any};
  return ThreadId{ThreadId::any, *tid};
}

std::string format_thread_id(ThreadId id, bool multiprocess) {
  if (!multiprocess)
    return format_component(id.tid);
  return "p" + format_component(id.pid) + "." + format_component(id.tid);
}

} // namespace rsp
