#include "rsp/request.hpp"

#include "rsp/framing.hpp"
#include "rsp/hex.hpp"
#include "rsp/thread_id_codec.hpp"

#include <limits>
#include <utility>

namespace rsp {

namespace {

using namespace std::string_view_literals;

req::Malformed malformed(std::string what) { return req::Malformed{std::move(what)}; }

bool consume(std::string_view &text, std::string_view prefix) {
  if (!text.starts_with(prefix))
    return false;
  text.remove_prefix(prefix.size());
  return true;
}

// Splits at the first `sep`: returns the part before and leaves the rest (after `sep`) in
// `text`; without `sep`, returns everything and leaves `text` empty.
std::string_view take_until(std::string_view &text, char sep) {
  auto at = text.find(sep);
  std::string_view head = text.substr(0, at);
  text = at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
  return head;
}

Result<std::int64_t> parse_pid(std::string_view text) { return parse_hex_i64(text); }

// "addr,len" into two hex numbers.
bool parse_addr_len(std::string_view text, std::uint64_t &addr, std::uint64_t &len) {
  auto comma = text.find(',');
  if (comma == std::string_view::npos)
    return false;
  auto a = parse_hex_u64(text.substr(0, comma));
  auto l = parse_hex_u64(text.substr(comma + 1));
  if (!a || !l)
    return false;
  addr = *a;
  len = *l;
  return true;
}

Result<std::vector<int>> parse_signal_list(std::string_view text) {
  std::vector<int> out;
  while (!text.empty()) {
    std::string_view item = take_until(text, ';');
    if (item.empty())
      continue;
    auto sig = parse_hex_int(item);
    if (!sig)
      return fail(sig.error());
    out.push_back(*sig);
  }
  return out;
}

Result<bool> parse_flag(std::string_view text) {
  if (text == "0")
    return false;
  if (text == "1")
    return true;
  return fail(std::errc::invalid_argument);
}

Request parse_vcont(std::string_view text) {
  // text: what follows "vCont;"
  req::VCont out;
  if (text.empty())
    return malformed("vCont without actions");
  while (!text.empty()) {
    std::string_view item = take_until(text, ';');
    auto colon = item.find(':');
    std::string_view action = item.substr(0, colon);
    ResumeAction a;
    if (action.empty())
      return malformed("empty vCont action");
    char op = action.front();
    action.remove_prefix(1);
    switch (op) {
    case 'c':
    case 's':
    case 't':
      if (!action.empty())
        return malformed("trailing text in vCont action");
      a.kind = op == 'c' ? ResumeKind::Continue : op == 's' ? ResumeKind::Step : ResumeKind::Stop;
      break;
    case 'C':
    case 'S': {
      auto sig = parse_hex_int(action);
      if (!sig)
        return malformed("bad vCont signal");
      a.kind = op == 'C' ? ResumeKind::Continue : ResumeKind::Step;
      a.signal = *sig;
      break;
    }
    case 'r': {
      std::uint64_t begin = 0, end = 0;
      if (!parse_addr_len(action, begin, end))
        return malformed("bad vCont range");
      a.kind = ResumeKind::RangeStep;
      a.range_begin = begin;
      a.range_end = end;
      break;
    }
    default:
      return malformed("unknown vCont action");
    }
    if (colon != std::string_view::npos) {
      auto id = parse_thread_id(item.substr(colon + 1));
      if (!id)
        return malformed("bad vCont thread id");
      a.thread = *id;
    }
    out.actions.push_back(a);
  }
  return out;
}

// One agent expression, "X<len>,<hex>" (len in bytes, in hex), from the front of `text`.
Result<std::vector<std::uint8_t>> take_agent_expression(std::string_view &text) {
  if (!consume(text, "X") || text.find(',') == std::string_view::npos)
    return fail(std::errc::invalid_argument);
  auto length = parse_hex_u64(take_until(text, ','));
  if (!length || *length > text.size() / 2)
    return fail(std::errc::invalid_argument);
  auto bytes = hex_decode(text.substr(0, 2 * *length));
  text.remove_prefix(2 * *length);
  return bytes;
}

// What follows a Z packet's first ';': target-side conditions, then agent commands:
// "X<len>,<hex>...[;cmds:<persist>,X<len>,<hex>...]". gdb writes the expressions of one list
// back to back; a ';' between two of them is accepted too, as gdbserver does.
bool parse_breakpoint_options(std::string_view text, req::Breakpoint &out) {
  bool in_commands = false;
  for (;;) {
    if (consume(text, "cmds:")) {
      bool persist_ok = text.size() >= 2 && (text[0] == '0' || text[0] == '1') && text[1] == ',';
      if (in_commands || !persist_ok)
        return false;
      out.commands_persist = text[0] == '1';
      text.remove_prefix(2);
      in_commands = true;
    }
    auto expression = take_agent_expression(text);
    if (!expression)
      return false;
    (in_commands ? out.commands : out.conditions).push_back(std::move(*expression));
    if (text.empty())
      return true;
    consume(text, ";");
  }
}

} // namespace

Request parse_register_packet(std::string_view payload) {
  char op = payload.front();
  payload.remove_prefix(1);
  switch (op) {
  case 'g':
    if (!payload.empty())
      return malformed("g takes no argument");
    return req::ReadRegisters{};
  case 'G': {
    auto bytes = hex_decode(payload);
    if (!bytes)
      return malformed("G: bad hex");
    return req::WriteRegisters{std::move(*bytes)};
  }
  case 'p': {
    auto regnum = parse_hex_int(payload);
    if (!regnum)
      return malformed("p: bad register number");
    return req::ReadRegister{*regnum};
  }
  case 'P': {
    auto regnum = parse_hex_int(take_until(payload, '='));
    if (!regnum)
      return malformed("P: bad register number");
    auto bytes = hex_decode(payload);
    if (!bytes || bytes->empty())
      return malformed("P: bad hex value");
    return req::WriteRegister{*regnum, std::move(*bytes)};
  }
  default:
    return req::Unknown{};
  }
}

Request parse_memory_packet(std::string_view payload) {
  char op = payload.front();
  payload.remove_prefix(1);
  std::uint64_t addr = 0, len = 0;
  if (op == 'm') {
    if (!parse_addr_len(payload, addr, len))
      return malformed("m: bad addr,length");
    return req::ReadMemory{addr, len};
  }
  auto colon = payload.find(':');
  if (colon == std::string_view::npos || !parse_addr_len(payload.substr(0, colon), addr, len))
    return malformed("M/X: bad addr,length");
  std::string_view data = payload.substr(colon + 1);
  req::WriteMemory out{addr, {}};
  if (op == 'M') {
    auto bytes = hex_decode(data);
    if (!bytes)
      return malformed("M: bad hex");
    out.bytes = std::move(*bytes);
  } else {
    auto bytes = unescape_binary(data);
    if (!bytes)
      return malformed("X: bad escape");
    out.bytes.assign(bytes->begin(), bytes->end());
  }
  if (out.bytes.size() != len)
    return malformed("M/X: length does not match data");
  return out;
}

Request parse_resume_packet(std::string_view payload) {
  char op = payload.front();
  payload.remove_prefix(1);
  req::Resume out;
  out.kind = (op == 'c' || op == 'C') ? ResumeKind::Continue : ResumeKind::Step;
  std::string_view addr_text = payload;
  if (op == 'C' || op == 'S') {
    auto sig = parse_hex_int(take_until(payload, ';'));
    if (!sig)
      return malformed("C/S: bad signal");
    out.signal = *sig;
    addr_text = payload;
  }
  if (!addr_text.empty()) {
    auto addr = parse_hex_u64(addr_text);
    if (!addr)
      return malformed("c/s: bad address");
    out.addr = *addr;
  }
  return out;
}

Request parse_breakpoint_packet(std::string_view payload) {
  bool insert = payload.front() == 'Z';
  payload.remove_prefix(1);
  bool has_options = payload.find(';') != std::string_view::npos;
  std::string_view fields = take_until(payload, ';');
  auto type = parse_hex_int(take_until(fields, ','));
  auto addr = parse_hex_u64(take_until(fields, ','));
  auto kind = parse_hex_int(fields);
  if (!type || !addr || !kind)
    return malformed("Z/z: bad type,addr,kind");
  req::Breakpoint out;
  out.insert = insert;
  out.type = *type;
  out.addr = *addr;
  out.kind = *kind;
  if (has_options && !parse_breakpoint_options(payload, out))
    return malformed("Z/z: bad condition or command list");
  return out;
}

Request parse_query_packet(std::string_view payload) {
  std::string_view text = payload;
  if (consume(text, "qSupported")) {
    req::Supported out;
    if (text.empty())
      return out;
    if (!consume(text, ":"))
      return req::Unknown{};
    while (!text.empty()) {
      std::string_view item = take_until(text, ';');
      if (!item.empty())
        out.features.emplace_back(item);
    }
    return out;
  }
  if (payload == "qC")
    return req::CurrentThread{};
  if (consume(text, "qAttached")) {
    if (text.empty())
      return req::Attached{};
    if (!consume(text, ":"))
      return req::Unknown{};
    auto pid = parse_pid(text);
    if (!pid)
      return malformed("qAttached: bad pid");
    return req::Attached{*pid};
  }
  if (payload == "qfThreadInfo")
    return req::ThreadInfoFirst{};
  if (payload == "qsThreadInfo")
    return req::ThreadInfoNext{};
  if (consume(text, "qThreadExtraInfo,")) {
    auto id = parse_thread_id(text);
    if (!id)
      return malformed("qThreadExtraInfo: bad thread id");
    return req::ThreadExtraInfo{*id};
  }
  if (consume(text, "qXfer:")) {
    std::string_view object = take_until(text, ':');
    std::string_view op = take_until(text, ':');
    if (op == "write") {
      req::XferWrite out{std::string(object), std::string(take_until(text, ':')), 0, {}};
      auto offset_end = text.find(':');
      if (object.empty() || offset_end == std::string_view::npos)
        return malformed("qXfer write: bad syntax");
      auto offset = parse_hex_u64(text.substr(0, offset_end));
      if (!offset)
        return malformed("qXfer write: bad offset");
      out.offset = *offset;
      auto data = unescape_binary(text.substr(offset_end + 1));
      if (!data)
        return malformed("qXfer write: bad escape");
      out.data = std::move(*data);
      return out;
    }
    if (op != "read")
      return req::Unknown{};
    auto last_colon = text.rfind(':');
    if (object.empty() || last_colon == std::string_view::npos)
      return malformed("qXfer: bad syntax");
    req::XferRead out{std::string(object), std::string(text.substr(0, last_colon)), 0, 0};
    if (!parse_addr_len(text.substr(last_colon + 1), out.offset, out.length))
      return malformed("qXfer: bad offset,length");
    return out;
  }
  if (consume(text, "qRcmd,")) {
    auto command = hex_decode_string(text);
    if (!command)
      return malformed("qRcmd: bad hex");
    return req::Monitor{std::move(*command)};
  }
  if (payload.starts_with("qSymbol:"))
    return req::Symbol{};
  if (consume(text, "qGetTLSAddr:")) {
    auto id = parse_thread_id(take_until(text, ','));
    auto offset = parse_hex_u64(take_until(text, ','));
    auto lm = parse_hex_u64(text);
    if (!id || !offset || !lm)
      return malformed("qGetTLSAddr: bad thread, offset or lm");
    return req::TlsAddress{*id, *offset, *lm};
  }
  return req::Unknown{};
}

Request parse_set_packet(std::string_view payload) {
  std::string_view text = payload;
  if (payload == "QStartNoAckMode")
    return req::StartNoAckMode{};
  if (consume(text, "QPassSignals:")) {
    auto list = parse_signal_list(text);
    if (!list)
      return malformed("QPassSignals: bad signal");
    return req::PassSignals{std::move(*list)};
  }
  if (consume(text, "QProgramSignals:")) {
    auto list = parse_signal_list(text);
    if (!list)
      return malformed("QProgramSignals: bad signal");
    return req::ProgramSignals{std::move(*list)};
  }
  if (consume(text, "QNonStop:")) {
    auto on = parse_flag(text);
    if (!on)
      return malformed("QNonStop: expected 0 or 1");
    return req::NonStop{*on};
  }
  if (payload == "QEnvironmentReset")
    return req::EnvironmentReset{};
  if (consume(text, "QEnvironmentHexEncoded:")) {
    auto assignment = hex_decode_string(text);
    if (!assignment)
      return malformed("QEnvironmentHexEncoded: bad hex");
    auto equals = assignment->find('=');
    if (equals == std::string::npos || equals == 0)
      return malformed("QEnvironmentHexEncoded: expected NAME=VALUE");
    return req::EnvironmentSet{assignment->substr(0, equals), assignment->substr(equals + 1)};
  }
  if (consume(text, "QEnvironmentUnset:")) {
    auto name = hex_decode_string(text);
    if (!name || name->empty())
      return malformed("QEnvironmentUnset: bad name");
    return req::EnvironmentUnset{std::move(*name)};
  }
  if (consume(text, "QSetWorkingDir:")) {
    auto directory = hex_decode_string(text);
    if (!directory)
      return malformed("QSetWorkingDir: bad hex");
    return req::SetWorkingDir{std::move(*directory)};
  }
  if (consume(text, "QStartupWithShell:")) {
    auto on = parse_flag(text);
    if (!on)
      return malformed("QStartupWithShell: expected 0 or 1");
    return req::StartupWithShell{*on};
  }
  if (consume(text, "QDisableRandomization:")) {
    auto on = parse_flag(text);
    if (!on)
      return malformed("QDisableRandomization: expected 0 or 1");
    return req::DisableRandomization{*on};
  }
  if (consume(text, "QCatchSyscalls:")) {
    std::string_view flag = take_until(text, ';');
    auto on = parse_flag(flag);
    if (!on || (!*on && !text.empty()))
      return malformed("QCatchSyscalls: expected 0, or 1 and system call numbers");
    auto numbers = parse_signal_list(text); // the same hex list
    if (!numbers)
      return malformed("QCatchSyscalls: bad system call number");
    return req::CatchSyscalls{*on, std::move(*numbers)};
  }
  if (consume(text, "QThreadEvents:")) {
    auto on = parse_flag(text);
    if (!on)
      return malformed("QThreadEvents: expected 0 or 1");
    return req::ThreadEvents{*on};
  }
  return req::Unknown{};
}

Request parse_vfile_packet(std::string_view payload) {
  std::string_view text = payload;
  if (!consume(text, "vFile:"))
    return req::Unknown{};
  std::string_view op = take_until(text, ':');
  if (op == "setfs") {
    auto pid = parse_pid(text);
    if (!pid)
      return malformed("vFile:setfs: bad pid");
    return req::FileSetfs{*pid};
  }
  if (op == "open") {
    auto path = hex_decode_string(take_until(text, ','));
    auto flags = parse_hex_int(take_until(text, ','));
    auto mode = parse_hex_int(text);
    if (!path || !flags || !mode)
      return malformed("vFile:open: bad arguments");
    return req::FileOpen{std::move(*path), *flags, *mode};
  }
  if (op == "close" || op == "fstat") {
    auto fd = parse_hex_int(text);
    if (!fd)
      return malformed("vFile: bad fd");
    if (op == "close")
      return req::FileClose{*fd};
    return req::FileFstat{*fd};
  }
  if (op == "pread") {
    auto fd = parse_hex_int(take_until(text, ','));
    auto count = parse_hex_u64(take_until(text, ','));
    auto offset = parse_hex_u64(text);
    if (!fd || !count || !offset)
      return malformed("vFile:pread: bad arguments");
    return req::FilePread{*fd, *count, *offset};
  }
  if (op == "pwrite") {
    auto fd = parse_hex_int(take_until(text, ','));
    if (text.find(',') == std::string_view::npos)
      return malformed("vFile:pwrite: bad arguments");
    auto offset = parse_hex_u64(take_until(text, ','));
    auto data = unescape_binary(text);
    if (!fd || !offset || !data)
      return malformed("vFile:pwrite: bad arguments");
    return req::FilePwrite{*fd, *offset, std::vector<std::uint8_t>(data->begin(), data->end())};
  }
  if (op == "readlink" || op == "unlink") {
    auto path = hex_decode_string(text);
    if (!path)
      return malformed("vFile: bad path");
    if (op == "readlink")
      return req::FileReadlink{std::move(*path)};
    return req::FileUnlink{std::move(*path)};
  }
  return req::Unknown{};
}

Request parse_v_packet(std::string_view payload) {
  std::string_view text = payload;
  if (payload == "vCont?")
    return req::VContQuery{};
  if (payload == "vStopped")
    return req::StopAck{};
  if (consume(text, "vCont;"))
    return parse_vcont(text);
  if (payload == "vCont")
    return malformed("vCont without actions");
  if (consume(text, "vKill;")) {
    auto pid = parse_pid(text);
    if (!pid)
      return malformed("vKill: bad pid");
    return req::VKill{*pid};
  }
  if (payload.starts_with("vFile:"))
    return parse_vfile_packet(payload);
  if (consume(text, "vAttach;")) {
    auto pid = parse_pid(text);
    if (!pid || *pid <= 0)
      return malformed("vAttach: bad pid");
    return req::AttachProcess{*pid};
  }
  if (consume(text, "vRun;")) {
    req::Run run;
    for (;;) {
      auto field = take_until(text, ';');
      auto decoded = hex_decode_string(field);
      if (!decoded)
        return malformed("vRun: bad hex");
      run.argv.push_back(std::move(*decoded));
      if (text.empty())
        break;
    }
    return run;
  }
  return req::Unknown{};
}

Request parse_request(std::string_view payload) {
  if (payload.empty())
    return req::Unknown{};
  std::string_view rest = payload.substr(1);
  switch (payload.front()) {
  case '?':
    return rest.empty() ? Request{req::QueryHalt{}} : Request{req::Unknown{}};
  case '!':
    return rest.empty() ? Request{req::ExtendedMode{}} : Request{req::Unknown{}};
  case 'g':
  case 'G':
  case 'p':
  case 'P':
    return parse_register_packet(payload);
  case 'm':
  case 'M':
  case 'X':
    return parse_memory_packet(payload);
  case 'c':
  case 'C':
  case 's':
  case 'S':
    return parse_resume_packet(payload);
  case 'Z':
  case 'z':
    return parse_breakpoint_packet(payload);
  case 'H': {
    if (rest.empty())
      return malformed("H: missing operation");
    char op = rest.front();
    if (op != 'g' && op != 'c')
      return req::Unknown{};
    auto id = parse_thread_id(rest.substr(1));
    if (!id)
      return malformed("H: bad thread id");
    return req::SetThread{op, *id};
  }
  case 'T': {
    auto id = parse_thread_id(rest);
    if (!id)
      return malformed("T: bad thread id");
    return req::ThreadAlive{*id};
  }
  case 'k':
    return req::Kill{};
  case 'R':
    return req::Restart{};
  case 'D': {
    if (rest.empty())
      return req::Detach{};
    if (rest.front() != ';')
      return malformed("D: expected ;pid");
    auto pid = parse_pid(rest.substr(1));
    if (!pid)
      return malformed("D: bad pid");
    return req::Detach{*pid};
  }
  case 'q':
    return parse_query_packet(payload);
  case 'Q':
    return parse_set_packet(payload);
  case 'v':
    return parse_v_packet(payload);
  default:
    return req::Unknown{};
  }
}

} // namespace rsp
