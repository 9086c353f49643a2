#pragma once
// One gdb connection's protocol state machine. No I/O: the server feeds received bytes,
// hands over target stops, and writes whatever take_output() returns.
#include "rsp/framing.hpp"
#include "rsp/reply.hpp"
#include "rsp/request.hpp"
#include "rsp/stop_event.hpp"
#include "rsp/target.hpp"

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace rsp {

enum class SessionState {
  Idle,    // target stopped; gdb may send any packet
  Running, // all-stop: a resume was accepted; waiting for on_stop; only ^C is meaningful.
           // (Non-stop mode never leaves Idle: stops are queued as notifications.)
  Closed,  // detach/kill done: the server flushes take_output() and closes the connection
};

struct SessionOptions {
  bool extended = false;                     // target extended-remote (--multi); later issue
  std::size_t packet_size = 0x20000;         // advertised PacketSize; bigger packets are rejected
  std::function<void(std::string_view)> log; // optional: one line per packet in/out
  // gdbserver's --disable-packet: "vCont", "T" (S stop replies), "Tthread" (no thread: in
  // T), "qC", "qfThreadInfo", "threads" (Tthread, qC and qfThreadInfo).
  std::set<std::string, std::less<>> disabled_packets;
};

// What gdb offered in qSupported.
struct GdbFeatures {
  bool multiprocess = false;
  bool swbreak = false;
  bool hwbreak = false;
  bool fork_events = false;
  bool vfork_events = false;
  bool exec_events = false;
  bool vcont_supported = false;
  bool thread_events = false; // QThreadEvents+ offered (enabled separately by QThreadEvents:1)
  bool no_resumed = false;
};

class Session {
public:
  explicit Session(Target &target, SessionOptions options = {});

  // Bytes received from gdb; may hold partial packets, several packets, acks, ^C.
  void feed(std::string_view bytes);
  // The target stopped after a resume (or exited): emits the stop reply if Running.
  void on_stop(const StopEvent &event);
  // Bytes to write to gdb now (framed, acks included); empties the buffer.
  std::string take_output();
  SessionState state() const { return state_; }
  // True once a D / k / vKill was handled (not in extended mode): flush, then close.
  bool wants_close() const { return wants_close_; }

  // Negotiated state, for the server and the target's policy decisions.
  const GdbFeatures &gdb_features() const { return gdb_; }
  bool thread_events() const { return thread_events_; } // QThreadEvents:1 in force
  bool non_stop() const { return non_stop_; }           // QNonStop:1 in force
  bool no_ack() const { return framer_.no_ack(); }

private:
  void handle_packet(std::string_view payload);
  void send(std::string_view payload);
  void log(std::string_view direction, std::string_view text) const;
  void close();

  ThreadId with_pid(ThreadId id) const;
  ThreadId stop_thread();
  void set_general_thread(ThreadId thread);
  bool fork_events() const;
  bool vfork_events() const;
  ThreadId register_thread();
  reply::StopOptions stop_options() const;
  void resume(std::vector<ResumeAction> actions);
  void send_xfer(const std::string &object, const std::string &annex, std::uint64_t offset,
                 std::uint64_t length, const std::function<Result<std::string>()> &fetch);

  void handle(const req::Unknown &);
  void handle(const req::Malformed &);
  void handle(const req::Supported &);
  void handle(const req::StartNoAckMode &);
  void handle(const req::QueryHalt &);
  void handle(const req::SetThread &);
  void handle(const req::CurrentThread &);
  void handle(const req::Attached &);
  void handle(const req::ThreadAlive &);
  void handle(const req::ThreadInfoFirst &);
  void handle(const req::ThreadInfoNext &);
  void handle(const req::ThreadExtraInfo &);
  void handle(const req::ReadRegisters &);
  void handle(const req::WriteRegisters &);
  void handle(const req::ReadRegister &);
  void handle(const req::WriteRegister &);
  void handle(const req::ReadMemory &);
  void handle(const req::WriteMemory &);
  void handle(const req::Breakpoint &);
  void handle(const req::Resume &);
  void handle(const req::VContQuery &);
  void handle(const req::VCont &);
  void handle(const req::Kill &);
  void handle(const req::VKill &);
  void handle(const req::Detach &);
  void handle(const req::ExtendedMode &);
  void handle(const req::XferRead &);
  void handle(const req::XferWrite &);
  void handle(const req::Run &);
  void handle(const req::AttachProcess &);
  void handle(const req::Restart &);
  void handle(const req::EnvironmentSet &);
  void handle(const req::EnvironmentUnset &);
  void handle(const req::EnvironmentReset &);
  void handle(const req::StartupWithShell &);
  void handle(const req::SetWorkingDir &);
  void handle(const req::DisableRandomization &);
  void report_new_process();
  bool disabled(std::string_view packet) const;
  void handle(const req::FileSetfs &);
  void handle(const req::FileOpen &);
  void handle(const req::FileClose &);
  void handle(const req::FilePread &);
  void handle(const req::FilePwrite &);
  void handle(const req::FileFstat &);
  void handle(const req::FileReadlink &);
  void handle(const req::FileUnlink &);
  void handle(const req::PassSignals &);
  void handle(const req::ProgramSignals &);
  void handle(const req::NonStop &);
  void handle(const req::StopAck &);
  void handle(const req::ThreadEvents &);
  void handle(const req::CatchSyscalls &);
  void handle(const req::Monitor &);
  void handle(const req::Symbol &);
  void handle(const req::TlsAddress &);
  void adopt_new_process();

  Target &target_;
  SessionOptions options_;
  Framer framer_;
  SessionState state_ = SessionState::Idle;
  bool wants_close_ = false;
  bool interrupt_pending_ = false; // a ^C that came while stopped
  GdbFeatures gdb_;
  bool thread_events_ = false;
  bool non_stop_ = false;
  // Non-stop: encoded stop replies not yet taken by gdb. The front one has gone out (as
  // a %Stop notification or a reply) and leaves at gdb's next vStopped.
  std::deque<std::string> stop_queue_;
  ThreadId general_thread_{ThreadId::any, ThreadId::any}; // Hg
  ThreadId cont_thread_{ThreadId::any, ThreadId::any};    // Hc
  std::optional<ThreadId> stop_thread_;
  LaunchSpec launch_;                  // what the Q packets configured for the next vRun
  std::optional<LaunchSpec> last_run_; // for R (restart)

  struct XferCache {
    bool valid = false;
    std::string object;
    std::string annex;
    std::string data;
  };
  XferCache xfer_cache_;
};

} // namespace rsp
