#include "rsp/session.hpp"

#include "rsp/hex.hpp"
#include "rsp/thread_id_codec.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

namespace rsp {

namespace {

bool unsupported(const std::error_code &ec) { return ec == std::errc::function_not_supported; }

// Printable form of a payload for the log: non-printables as \xNN, long payloads cut.
std::string printable(std::string_view text) {
  constexpr std::size_t max_logged = 512;
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < max_logged; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\')
      out.push_back(static_cast<char>(c));
    else
      out += fmt::format("\\x{:02x}", c);
  }
  if (text.size() > max_logged)
    out += fmt::format("... ({} bytes)", text.size());
  return out;
}

} // namespace

Session::Session(Target &target, SessionOptions options)
    : target_(target), options_(std::move(options)), framer_(options_.packet_size) {
  target_.set_stop_replies(false, false); // a new gdb has offered nothing yet
  (void)target_.set_non_stop(false);      // and starts in all-stop mode
}

void Session::log(std::string_view direction, std::string_view text) const {
  if (options_.log)
    options_.log(fmt::format("{} {}", direction, text));
}

void Session::send(std::string_view payload) {
  if (options_.log) // the text costs more than the packet: build it only when logged
    log("->", fmt::format("${}", printable(payload)));
  framer_.send(payload);
}

std::string Session::take_output() { return framer_.take_output(); }

void Session::close() {
  wants_close_ = true;
  state_ = SessionState::Closed;
}

void Session::feed(std::string_view bytes) {
  if (state_ == SessionState::Closed) {
    log("--", fmt::format("closed: ignored {} bytes", bytes.size()));
    return;
  }
  framer_.append(bytes);
  while (state_ != SessionState::Closed) {
    auto event = framer_.next();
    if (!event)
      break;
    using Kind = FrameEvent::Kind;
    switch (event->kind) {
    case Kind::Interrupt:
      if (state_ == SessionState::Running || non_stop_) {
        log("<-", "^C");
        target_.interrupt();
      } else {
        // gdb thinks the target runs (it is between two of gdb's internal resumes, e.g. a
        // step over a breakpoint): keep the ^C for the next resume, as gdbserver does.
        log("<-", "^C while stopped: kept for the next resume");
        interrupt_pending_ = true;
      }
      break;
    case Kind::BadChecksum:
      log("<-", fmt::format("bad checksum, dropped{}: ${}", framer_.no_ack() ? "" : " (sent -)",
                            printable(event->payload)));
      break;
    case Kind::TooLong:
      log("<-", fmt::format("packet longer than {} bytes", options_.packet_size));
      send(reply::error(reply::protocol_error));
      break;
    case Kind::Packet:
      if (options_.log)
        log("<-", fmt::format("${}", printable(event->payload)));
      if (state_ == SessionState::Running) {
        // All-stop: gdb sends nothing but ^C while the target runs.
        send(reply::error(reply::protocol_error));
      } else {
        handle_packet(event->payload);
      }
      break;
    case Kind::Ack:
    case Kind::Nak:
      break;
    }
  }
}

void Session::handle_packet(std::string_view payload) {
  Request request = parse_request(payload);
  std::visit([this](const auto &r) { handle(r); }, request);
}

void Session::on_stop(const StopEvent &event) {
  if (non_stop_) {
    auto text = reply::stop(event, stop_options());
    if (!text) {
      log("--", "stop event not reportable to this gdb: dropped");
      return;
    }
    stop_queue_.push_back(*text);
    // One notification at a time: the rest go out as replies to gdb's vStopped.
    if (stop_queue_.size() == 1) {
      log("->", fmt::format("%Stop:{}", *text));
      framer_.notify("Stop", *text);
    }
    return;
  }
  if (state_ != SessionState::Running) {
    log("--", "stop while not running: ignored");
    return;
  }
  auto text = reply::stop(event, stop_options());
  if (!text) {
    log("--", "stop event not reportable to this gdb: ignored, still running");
    return;
  }
  state_ = SessionState::Idle;
  if (event.kind == StopKind::Signal) {
    stop_thread_ = event.thread;
    set_general_thread(event.thread);
  }
  send(*text);
}

// --- helpers ------------------------------------------------------------------------------

ThreadId Session::with_pid(ThreadId id) const {
  if (id.pid == ThreadId::any && id.tid > 0)
    id.pid = target_.current_pid();
  return id;
}

void Session::set_general_thread(ThreadId thread) {
  general_thread_ = thread;
  target_.select_thread(thread);
}

// Fork events need multiprocess ids: the child is a process of its own.
bool Session::fork_events() const {
  return gdb_.fork_events && gdb_.multiprocess && target_.features().fork_events;
}
bool Session::vfork_events() const {
  return gdb_.vfork_events && gdb_.multiprocess && target_.features().fork_events;
}

ThreadId Session::stop_thread() {
  if (!stop_thread_)
    stop_thread_ = target_.last_stop().thread;
  return *stop_thread_;
}

ThreadId Session::register_thread() {
  if (general_thread_.tid > 0)
    return with_pid(general_thread_);
  return stop_thread();
}

reply::StopOptions Session::stop_options() const {
  reply::StopOptions o;
  o.multiprocess = gdb_.multiprocess;
  o.swbreak = gdb_.swbreak;
  o.hwbreak = gdb_.hwbreak && target_.features().hardware_breakpoints;
  o.fork_events = fork_events();
  o.vfork_events = vfork_events();
  o.exec_events = gdb_.exec_events && target_.features().exec_events;
  o.thread_events = thread_events_;
  o.no_resumed = gdb_.no_resumed;
  o.plain_signal = disabled("T");
  o.no_thread = disabled("Tthread");
  return o;
}

void Session::resume(std::vector<ResumeAction> actions) {
  if (!target_.has_process()) {
    send(reply::error(reply::protocol_error));
    return;
  }
  for (auto &a : actions)
    a.thread = with_pid(a.thread);
  if (auto r = target_.resume(actions); !r) {
    send(reply::error(r.error()));
    return;
  }
  xfer_cache_ = {};
  if (non_stop_) { // the stops come as notifications; gdb may go on sending packets
    send(reply::ok());
    return;
  }
  state_ = SessionState::Running;
  if (std::exchange(interrupt_pending_, false))
    target_.interrupt();
}

// --- handlers -----------------------------------------------------------------------------

void Session::handle(const req::Unknown &) { send(reply::empty()); }

void Session::handle(const req::Malformed &m) {
  log("--", fmt::format("malformed: {}", m.what));
  send(reply::error(reply::protocol_error));
}

void Session::handle(const req::Supported &r) {
  gdb_ = {};
  for (const auto &f : r.features) {
    if (f == "multiprocess+")
      gdb_.multiprocess = true;
    else if (f == "swbreak+")
      gdb_.swbreak = true;
    else if (f == "hwbreak+")
      gdb_.hwbreak = true;
    else if (f == "fork-events+")
      gdb_.fork_events = true;
    else if (f == "vfork-events+")
      gdb_.vfork_events = true;
    else if (f == "exec-events+")
      gdb_.exec_events = true;
    else if (f == "vContSupported+")
      gdb_.vcont_supported = true;
    else if (f == "QThreadEvents+")
      gdb_.thread_events = true;
    else if (f == "no-resumed+")
      gdb_.no_resumed = true;
  }
  TargetFeatures tf = target_.features();
  std::string out = fmt::format("PacketSize={:x}", options_.packet_size);
  out += ";QPassSignals+;QProgramSignals+;QStartNoAckMode+;qXfer:features:read+";
  if (tf.auxv)
    out += ";qXfer:auxv:read+";
  if (tf.exec_file)
    out += ";qXfer:exec-file:read+";
  if (tf.libraries_svr4)
    out += ";qXfer:libraries-svr4:read+";
  if (tf.siginfo)
    out += ";qXfer:siginfo:read+;qXfer:siginfo:write+";
  if (tf.osdata)
    out += ";qXfer:osdata:read+";
  out += ";QStartupWithShell+;QEnvironmentHexEncoded+;QEnvironmentReset+;QEnvironmentUnset+;"
         "QSetWorkingDir+;QDisableRandomization+";
  out += ";qXfer:threads:read+;vContSupported+;swbreak+";
  if (gdb_.hwbreak && tf.hardware_breakpoints)
    out += ";hwbreak+";
  if (gdb_.multiprocess)
    out += ";multiprocess+";
  if (fork_events())
    out += ";fork-events+";
  if (vfork_events())
    out += ";vfork-events+";
  if (gdb_.exec_events && tf.exec_events)
    out += ";exec-events+";
  if (tf.catch_syscalls)
    out += ";QCatchSyscalls+";
  out += ";QThreadEvents+;QNonStop+";
  if (gdb_.no_resumed)
    out += ";no-resumed+";
  if (tf.breakpoint_actions)
    out += ";ConditionalBreakpoints+;BreakpointCommands+";
  target_.set_stop_replies(thread_events_, gdb_.no_resumed);
  target_.set_fork_events(fork_events(), vfork_events());
  send(out);
}

void Session::handle(const req::StartNoAckMode &) {
  send(reply::ok()); // still acked: gdb acks this OK, then both sides stop
  framer_.set_no_ack(true);
}

void Session::handle(const req::QueryHalt &) {
  if (non_stop_) {
    // Every stopped thread's stop, the first as the reply; gdb takes the rest with vStopped.
    stop_queue_.clear();
    for (const StopEvent &event : target_.stopped_threads())
      if (auto text = reply::stop(event, stop_options()))
        stop_queue_.push_back(*text);
    send(stop_queue_.empty() ? reply::ok() : stop_queue_.front());
    return;
  }
  StopEvent event = target_.last_stop();
  auto text = reply::stop(event, stop_options());
  if (!text) {
    StopEvent plain;
    plain.thread = event.thread;
    text = reply::stop(plain, stop_options());
  }
  if (event.kind == StopKind::Signal) {
    stop_thread_ = event.thread;
    set_general_thread(event.thread);
  }
  send(*text);
}

void Session::handle(const req::SetThread &r) {
  if (r.op == 'c') {
    cont_thread_ = r.thread;
    send(reply::ok());
    return;
  }
  if (r.thread.tid > 0 && (!target_.has_process() || !target_.thread_alive(with_pid(r.thread)))) {
    send(reply::error(reply::protocol_error));
    return;
  }
  set_general_thread(r.thread);
  send(reply::ok());
}

void Session::handle(const req::CurrentThread &) {
  if (disabled("qC"))
    return send(reply::empty());
  if (!target_.has_process()) {
    send(reply::error(reply::protocol_error));
    return;
  }
  send("QC" + format_thread_id(register_thread(), gdb_.multiprocess));
}

void Session::handle(const req::Attached &r) {
  if (!target_.has_process()) {
    send(reply::error(reply::protocol_error));
    return;
  }
  send(target_.attached(r.pid.value_or(target_.current_pid())) ? "1" : "0");
}

void Session::handle(const req::ThreadAlive &r) {
  bool alive = target_.has_process() && target_.thread_alive(with_pid(r.thread));
  send(alive ? reply::ok() : reply::error(reply::protocol_error));
}

void Session::handle(const req::ThreadInfoFirst &) {
  if (disabled("qfThreadInfo"))
    return send(reply::empty());
  auto threads = target_.threads();
  send(reply::thread_list(threads, gdb_.multiprocess));
}

void Session::handle(const req::ThreadInfoNext &) {
  send(disabled("qfThreadInfo") ? reply::empty() : std::string("l"));
}

void Session::handle(const req::ThreadExtraInfo &r) {
  ThreadId id = with_pid(r.thread);
  for (const auto &t : target_.threads()) {
    if (t.id == id) {
      send(hex_encode(t.name));
      return;
    }
  }
  send(reply::error(reply::protocol_error));
}

void Session::handle(const req::ReadRegisters &) {
  if (!target_.has_process())
    return send(reply::error(reply::protocol_error));
  auto regs = target_.read_registers(register_thread());
  send(regs ? hex_encode(*regs) : reply::error(regs.error()));
}

void Session::handle(const req::WriteRegisters &r) {
  if (!target_.has_process())
    return send(reply::error(reply::protocol_error));
  auto res = target_.write_registers(register_thread(), r.bytes);
  send(res ? reply::ok() : reply::error(res.error()));
}

void Session::handle(const req::ReadRegister &r) {
  if (!target_.has_process())
    return send(reply::error(reply::protocol_error));
  auto reg = target_.read_register(register_thread(), r.regnum);
  send(reg ? hex_encode(*reg) : reply::error(reg.error()));
}

void Session::handle(const req::WriteRegister &r) {
  if (!target_.has_process())
    return send(reply::error(reply::protocol_error));
  auto res = target_.write_register(register_thread(), r.regnum, r.bytes);
  send(res ? reply::ok() : reply::error(res.error()));
}

void Session::handle(const req::ReadMemory &r) {
  if (!target_.has_process())
    return send(reply::error(reply::protocol_error));
  if (r.length == 0)
    return send(reply::empty());
  // Keep the hex reply within our packet size, and at most 32 KiB read at once: the data,
  // its hex and the framed reply are all alive here, and 64 KiB reads made this the stub's
  // peak RSS for ~1 round trip saved per 32 KiB (gdb accepts short reads).
  constexpr std::size_t max_read = 32 * 1024;
  std::size_t length = std::min<std::uint64_t>(
      r.length, std::clamp<std::size_t>(options_.packet_size / 2, 1, max_read));
  std::vector<std::uint8_t> buffer(length);
  auto n = target_.read_memory(r.addr, buffer);
  if (!n)
    return send(reply::error(n.error()));
  if (*n == 0)
    return send(reply::error(reply::protocol_error));
  buffer.resize(std::min(*n, buffer.size()));
  send(hex_encode(buffer));
}

void Session::handle(const req::WriteMemory &r) {
  if (!target_.has_process())
    return send(reply::error(reply::protocol_error));
  if (r.bytes.empty())
    return send(reply::ok()); // the X probe
  auto res = target_.write_memory(r.addr, r.bytes);
  send(res ? reply::ok() : reply::error(res.error()));
}

void Session::handle(const req::Breakpoint &r) {
  if (r.type < 0 || r.type > 4)
    return send(reply::empty());
  if (!target_.has_process())
    return send(reply::error(reply::protocol_error));
  auto type = static_cast<BreakpointType>(r.type);
  auto res = r.insert ? target_.insert_breakpoint(type, r.addr, r.kind)
                      : target_.remove_breakpoint(type, r.addr, r.kind);
  bool takes_actions = type == BreakpointType::Software || type == BreakpointType::Hardware;
  if (res && r.insert && takes_actions && target_.features().breakpoint_actions)
    res = target_.set_breakpoint_actions(r.addr, {r.conditions, r.commands});
  if (res)
    return send(reply::ok());
  send(unsupported(res.error()) ? reply::empty() : reply::error(res.error()));
}

void Session::handle(const req::Resume &r) {
  if (r.addr) {
    // Resuming at another address would need the pc register; gdb never asks for it.
    log("--", "c/s with an address: not supported");
    return send(reply::error(reply::protocol_error));
  }
  // gdbserver's myresume: a concrete Hc thread resumes alone; otherwise the current thread
  // gets the step/signal and every other thread continues.
  bool cont_thread_valid = cont_thread_.tid > 0;
  std::vector<ResumeAction> actions;
  if (r.kind == ResumeKind::Step || r.signal != 0 || cont_thread_valid) {
    ResumeAction a;
    a.kind = r.kind;
    a.signal = r.signal;
    a.thread = cont_thread_valid ? with_pid(cont_thread_) : register_thread();
    actions.push_back(a);
  }
  if (!cont_thread_valid)
    actions.push_back(ResumeAction{}); // continue all
  resume(std::move(actions));
}

bool Session::disabled(std::string_view packet) const {
  const auto &d = options_.disabled_packets;
  bool by_threads =
      d.count("threads") && (packet == "Tthread" || packet == "qC" || packet == "qfThreadInfo");
  return by_threads || d.count(packet);
}

void Session::handle(const req::VContQuery &) {
  if (disabled("vCont"))
    return send(reply::empty());
  std::string out = "vCont;c;C;s;S;t";
  if (target_.features().range_stepping)
    out += ";r";
  send(out);
}

void Session::handle(const req::VCont &r) {
  if (disabled("vCont"))
    return send(reply::empty());
  resume(r.actions);
}

void Session::handle(const req::Kill &) {
  // gdb does not wait for a reply to `k`; gdbserver sends none.
  if (target_.has_process()) {
    if (auto res = target_.kill(target_.current_pid()); !res)
      log("--", fmt::format("k: kill failed: {}", res.error().message()));
  }
  if (!options_.extended)
    close();
}

void Session::handle(const req::VKill &r) {
  auto res = target_.kill(r.pid);
  if (!res)
    return send(reply::error(res.error()));
  send(reply::ok());
  if (!options_.extended && !target_.has_process())
    close();
}

void Session::handle(const req::Detach &r) {
  if (!target_.has_process())
    return send(reply::error(reply::protocol_error));
  auto res = target_.detach(r.pid.value_or(target_.current_pid()));
  if (!res)
    return send(reply::error(res.error()));
  send(reply::ok());
  // A fork child detached, its parent still ours: the session goes on (gdbserver too).
  if (!options_.extended && !target_.has_process())
    close();
}

// gdbserver accepts `!` whatever its command line: from now on D/k keep the session.
void Session::handle(const req::ExtendedMode &) {
  options_.extended = true;
  send(reply::ok());
}

// A process vRun/vAttach/R just created: its first thread is the current one.
void Session::adopt_new_process() {
  StopEvent event = target_.last_stop();
  stop_thread_ = event.thread;
  set_general_thread(event.thread);
  cont_thread_ = {ThreadId::any, ThreadId::any};
  xfer_cache_ = {};
}

// The stop reply of a process vRun/vAttach just created.
void Session::report_new_process() {
  adopt_new_process();
  StopEvent event = target_.last_stop();
  auto text = reply::stop(event, stop_options());
  send(text ? *text : reply::error(reply::protocol_error));
}

void Session::handle(const req::Run &r) {
  if (!options_.extended)
    return send(reply::empty());
  LaunchSpec spec = launch_;
  spec.argv = r.argv;
  if (auto res = target_.run(spec); !res) {
    log("--", fmt::format("vRun failed: {}", res.error().message()));
    return send(reply::error(res.error()));
  }
  last_run_ = spec;
  report_new_process();
}

void Session::handle(const req::AttachProcess &r) {
  if (auto res = target_.attach(r.pid); !res) {
    log("--", fmt::format("vAttach {} failed: {}", r.pid, res.error().message()));
    return send(reply::error(res.error()));
  }
  if (non_stop_) { // each thread's stop follows as a notification
    adopt_new_process();
    return send(reply::ok());
  }
  report_new_process();
}

// R: start the last program again; gdb expects no reply (it asks `?` next).
void Session::handle(const req::Restart &) {
  if (!options_.extended)
    return;
  LaunchSpec spec = last_run_.value_or(launch_);
  if (auto res = target_.run(spec); !res)
    log("--", fmt::format("R failed: {}", res.error().message()));
  else
    adopt_new_process();
}

void Session::handle(const req::EnvironmentSet &r) {
  launch_.environment.push_back({r.name, r.value});
  send(reply::ok());
}

void Session::handle(const req::EnvironmentUnset &r) {
  launch_.environment.push_back({r.name, std::nullopt});
  send(reply::ok());
}

void Session::handle(const req::EnvironmentReset &) {
  launch_.environment.clear();
  send(reply::ok());
}

void Session::handle(const req::StartupWithShell &r) {
  launch_.startup_with_shell = r.on;
  send(reply::ok());
}

void Session::handle(const req::SetWorkingDir &r) {
  launch_.working_directory = r.directory;
  send(reply::ok());
}

void Session::handle(const req::DisableRandomization &r) {
  launch_.disable_randomization = r.on;
  send(reply::ok());
}

void Session::send_xfer(const std::string &object, const std::string &annex, std::uint64_t offset,
                        std::uint64_t length, const std::function<Result<std::string>()> &fetch) {
  bool cached = xfer_cache_.valid && xfer_cache_.object == object && xfer_cache_.annex == annex;
  if (offset == 0 || !cached) {
    auto data = fetch();
    if (!data) {
      xfer_cache_ = {};
      return send(unsupported(data.error()) ? reply::empty() : reply::error(data.error()));
    }
    xfer_cache_ = XferCache{true, object, annex, std::move(*data)};
  }
  auto chunk = reply::xfer_chunk(xfer_cache_.data, offset,
                                 std::min<std::uint64_t>(length, options_.packet_size));
  send(chunk ? *chunk : reply::error(reply::protocol_error));
}

void Session::handle(const req::XferRead &r) {
  if (r.object == "threads") {
    if (!r.annex.empty())
      return send(reply::error(reply::protocol_error));
    return send_xfer(r.object, r.annex, r.offset, r.length, [this]() -> Result<std::string> {
      auto threads = target_.threads();
      return reply::threads_xml(threads, gdb_.multiprocess);
    });
  }
  if (r.object == "siginfo") {
    if (!target_.features().siginfo)
      return send(reply::empty());
    return send_xfer(r.object, r.annex, r.offset, r.length,
                     [this] { return target_.read_siginfo(register_thread()); });
  }
  TargetFeatures tf = target_.features();
  bool known = r.object == "features" || (r.object == "auxv" && tf.auxv) ||
               (r.object == "exec-file" && tf.exec_file) ||
               (r.object == "libraries-svr4" && tf.libraries_svr4) ||
               (r.object == "osdata" && tf.osdata);
  if (!known)
    return send(reply::empty());
  send_xfer(r.object, r.annex, r.offset, r.length,
            [&]() { return target_.read_object(r.object, r.annex); });
}

// Only siginfo is writable: patch the thread's current siginfo at the offset.
void Session::handle(const req::XferWrite &r) {
  if (r.object != "siginfo" || !target_.features().siginfo)
    return send(reply::empty());
  auto current = target_.read_siginfo(register_thread());
  if (!current)
    return send(reply::error(current.error()));
  if (r.offset > current->size() || r.data.size() > current->size() - r.offset)
    return send(reply::error(reply::protocol_error));
  current->replace(r.offset, r.data.size(), r.data);
  auto bytes = std::span(reinterpret_cast<const std::uint8_t *>(current->data()), current->size());
  if (auto w = target_.write_siginfo(register_thread(), bytes); !w)
    return send(reply::error(w.error()));
  xfer_cache_ = {};
  send(fmt::format("{:x}", r.data.size()));
}

// vFile: empty reply when the target has no host file access (gdb then reads locally).
void Session::handle(const req::FileSetfs &r) {
  if (!target_.features().vfile)
    return send(reply::empty());
  auto res = target_.file_setfs(r.pid);
  if (!res)
    return send(unsupported(res.error()) ? reply::empty() : reply::file_error(res.error()));
  send(reply::file_result(0));
}

void Session::handle(const req::FileOpen &r) {
  if (!target_.features().vfile)
    return send(reply::empty());
  auto fd = target_.file_open(r.path, r.flags, r.mode);
  send(fd ? reply::file_result(*fd) : reply::file_error(fd.error()));
}

void Session::handle(const req::FileClose &r) {
  if (!target_.features().vfile)
    return send(reply::empty());
  auto res = target_.file_close(r.fd);
  send(res ? reply::file_result(0) : reply::file_error(res.error()));
}

void Session::handle(const req::FilePread &r) {
  if (!target_.features().vfile)
    return send(reply::empty());
  std::size_t count = std::min<std::uint64_t>(r.count, options_.packet_size);
  auto data = target_.file_pread(r.fd, count, r.offset);
  send(data ? reply::file_data(*data) : reply::file_error(data.error()));
}

void Session::handle(const req::FilePwrite &r) {
  if (!target_.features().vfile)
    return send(reply::empty());
  auto n = target_.file_pwrite(r.fd, r.offset, r.data);
  send(n ? reply::file_result(static_cast<std::int64_t>(*n)) : reply::file_error(n.error()));
}

void Session::handle(const req::FileFstat &r) {
  if (!target_.features().vfile)
    return send(reply::empty());
  auto st = target_.file_fstat(r.fd);
  send(st ? reply::file_stat(*st) : reply::file_error(st.error()));
}

void Session::handle(const req::FileReadlink &r) {
  if (!target_.features().vfile)
    return send(reply::empty());
  auto link = target_.file_readlink(r.path);
  send(link ? reply::file_data(*link) : reply::file_error(link.error()));
}

void Session::handle(const req::FileUnlink &r) {
  if (!target_.features().vfile)
    return send(reply::empty());
  auto res = target_.file_unlink(r.path);
  send(res ? reply::file_result(0) : reply::file_error(res.error()));
}

void Session::handle(const req::PassSignals &r) {
  target_.set_pass_signals(r.signals);
  send(reply::ok());
}

void Session::handle(const req::ProgramSignals &r) {
  target_.set_program_signals(r.signals);
  send(reply::ok());
}

void Session::handle(const req::NonStop &r) {
  if (state_ == SessionState::Running)
    return send(reply::error(reply::protocol_error));
  if (auto res = target_.set_non_stop(r.on); !res)
    return send(reply::error(res.error()));
  non_stop_ = r.on;
  stop_queue_.clear();
  send(reply::ok());
}

void Session::handle(const req::StopAck &) {
  if (!non_stop_)
    return send(reply::empty());
  if (!stop_queue_.empty())
    stop_queue_.pop_front();
  send(stop_queue_.empty() ? reply::ok() : stop_queue_.front());
}

void Session::handle(const req::CatchSyscalls &r) {
  auto res = target_.set_catch_syscalls(r.on, r.numbers);
  if (!res)
    return send(unsupported(res.error()) ? reply::empty() : reply::error(res.error()));
  send(reply::ok());
}

void Session::handle(const req::ThreadEvents &r) {
  thread_events_ = r.on;
  target_.set_stop_replies(thread_events_, gdb_.no_resumed);
  send(reply::ok());
}

void Session::handle(const req::Monitor &r) {
  auto result = target_.monitor(r.command);
  if (!result)
    return send(unsupported(result.error()) ? reply::empty() : reply::error(result.error()));
  // Each O packet carries at most this many bytes of text (hex doubles it).
  std::size_t chunk = std::max<std::size_t>((options_.packet_size - 1) / 2, 1);
  std::string_view rest = result->output;
  while (!rest.empty()) {
    send(reply::console_output(rest.substr(0, chunk)));
    rest.remove_prefix(std::min(chunk, rest.size()));
  }
  send(result->ok ? reply::ok() : reply::error(reply::protocol_error));
}

void Session::handle(const req::Symbol &) { send(reply::ok()); }

// The address as bare hex, as gdbserver replies. gdb reads every error reply alike ("Remote
// target failed to process qGetTLSAddr request"), so any failure is E01.
void Session::handle(const req::TlsAddress &r) {
  if (!target_.has_process())
    return send(reply::error(reply::protocol_error));
  auto addr = target_.tls_address(with_pid(r.thread), r.offset, r.lm);
  send(addr ? fmt::format("{:x}", *addr) : reply::error(reply::protocol_error));
}

} // namespace rsp
