#pragma once
// Typed requests: one small struct per packet, one parse function per packet family.
// parse_request never fails: malformed packets become Malformed (answered `E01`), packets we
// do not know become Unknown (answered with an empty reply).
#include "rsp/target.hpp"
#include "rsp/thread_id.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rsp {

namespace req {

struct Unknown {};
struct Malformed {
  std::string what;
};

struct Supported { // qSupported[:feature;feature...]
  std::vector<std::string> features;
};
struct StartNoAckMode {}; // QStartNoAckMode
struct QueryHalt {};      // ?
struct SetThread {        // Hg / Hc
  char op = 'g';
  ThreadId thread;
};
struct CurrentThread {}; // qC
struct Attached {        // qAttached[:pid]
  std::optional<std::int64_t> pid;
};
struct ThreadAlive { // T<id>
  ThreadId thread;
};
struct ThreadInfoFirst {}; // qfThreadInfo
struct ThreadInfoNext {};  // qsThreadInfo
struct ThreadExtraInfo {   // qThreadExtraInfo,<id>
  ThreadId thread;
};

struct ReadRegisters {}; // g
struct WriteRegisters {  // G hex
  std::vector<std::uint8_t> bytes;
};
struct ReadRegister { // p n
  int regnum = 0;
};
struct WriteRegister { // P n=hex
  int regnum = 0;
  std::vector<std::uint8_t> bytes;
};

struct ReadMemory { // m addr,len
  std::uint64_t addr = 0;
  std::uint64_t length = 0;
};
struct WriteMemory { // M addr,len:hex and X addr,len:binary (empty for the X probe)
  std::uint64_t addr = 0;
  std::vector<std::uint8_t> bytes;
};

struct Breakpoint { // Z/z type,addr,kind[;X len,hex...][;cmds:persist,X len,hex...]
  bool insert = true;
  int type = 0; // may be out of BreakpointType's range: answered empty
  std::uint64_t addr = 0;
  int kind = 0;
  // Agent-expression bytecode (rsp/agent_expr.hpp), in the order gdb sent it.
  std::vector<std::vector<std::uint8_t>> conditions; // ;X len,hex — target-side conditions
  std::vector<std::vector<std::uint8_t>> commands;   // ;cmds:persist,X len,hex... — dprintf
  bool commands_persist = false; // commands stay when gdb disconnects (disconnected-dprintf)
};

struct Resume { // c [addr], C sig[;addr], s [addr], S sig[;addr]
  ResumeKind kind = ResumeKind::Continue;
  int signal = 0;
  std::optional<std::uint64_t> addr;
};
struct VContQuery {}; // vCont?
struct StopAck {};    // vStopped: gdb took the oldest stop notification (non-stop)
struct VCont {        // vCont;action[:id]...
  std::vector<ResumeAction> actions;
};

struct Kill {}; // k
struct VKill {  // vKill;pid
  std::int64_t pid = 0;
};
struct Detach { // D, D;pid
  std::optional<std::int64_t> pid;
};
struct ExtendedMode {}; // !
struct Run {            // vRun;hexprog[;hexarg]...
  std::vector<std::string> argv;
};
struct AttachProcess { // vAttach;pid
  std::int64_t pid = 0;
};
struct Restart {};      // R XX
struct EnvironmentSet { // QEnvironmentHexEncoded:hex(NAME=VALUE)
  std::string name, value;
};
struct EnvironmentUnset { // QEnvironmentUnset:hex(NAME)
  std::string name;
};
struct EnvironmentReset {}; // QEnvironmentReset
struct StartupWithShell {   // QStartupWithShell:0/1
  bool on = true;
};
struct SetWorkingDir { // QSetWorkingDir:[hexdir]
  std::string directory;
};
struct DisableRandomization { // QDisableRandomization:0/1
  bool on = true;
};

struct XferRead { // qXfer:object:read:annex:offset,length
  std::string object;
  std::string annex;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct XferWrite { // qXfer:object:write:annex:offset:data (binary)
  std::string object;
  std::string annex;
  std::uint64_t offset = 0;
  std::string data;
};

struct FileSetfs { // vFile:setfs:pid
  std::int64_t pid = 0;
};
struct FileOpen { // vFile:open:hexpath,flags,mode
  std::string path;
  int flags = 0;
  int mode = 0;
};
struct FileClose { // vFile:close:fd
  int fd = 0;
};
struct FilePread { // vFile:pread:fd,count,offset
  int fd = 0;
  std::uint64_t count = 0;
  std::uint64_t offset = 0;
};
struct FilePwrite { // vFile:pwrite:fd,offset,binary
  int fd = 0;
  std::uint64_t offset = 0;
  std::vector<std::uint8_t> data;
};
struct FileFstat { // vFile:fstat:fd
  int fd = 0;
};
struct FileReadlink { // vFile:readlink:hexpath
  std::string path;
};
struct FileUnlink { // vFile:unlink:hexpath
  std::string path;
};

struct PassSignals { // QPassSignals:s;s;...
  std::vector<int> signals;
};
struct ProgramSignals { // QProgramSignals:s;s;...
  std::vector<int> signals;
};
struct NonStop { // QNonStop:0/1
  bool on = false;
};
struct ThreadEvents { // QThreadEvents:0/1
  bool on = false;
};
struct CatchSyscalls { // QCatchSyscalls:0, QCatchSyscalls:1[;sysno;sysno...] (hex)
  bool on = false;
  std::vector<int> numbers; // empty: every system call
};
struct Monitor { // qRcmd,hex
  std::string command;
};
struct Symbol {};   // qSymbol...
struct TlsAddress { // qGetTLSAddr:THREAD,OFFSET,LM
  ThreadId thread;
  std::uint64_t offset = 0;
  std::uint64_t lm = 0; // the link_map of the object owning the variable
};

} // namespace req

using Request =
    std::variant<req::Unknown, req::Malformed, req::Supported, req::StartNoAckMode, req::QueryHalt,
                 req::SetThread, req::CurrentThread, req::Attached, req::ThreadAlive,
                 req::ThreadInfoFirst, req::ThreadInfoNext, req::ThreadExtraInfo,
                 req::ReadRegisters, req::WriteRegisters, req::ReadRegister, req::WriteRegister,
                 req::ReadMemory, req::WriteMemory, req::Breakpoint, req::Resume, req::VContQuery,
                 req::VCont, req::Kill, req::VKill, req::Detach, req::ExtendedMode, req::XferRead,
                 req::XferWrite, req::Run, req::AttachProcess, req::Restart, req::EnvironmentSet,
                 req::EnvironmentUnset, req::EnvironmentReset, req::StartupWithShell,
                 req::SetWorkingDir, req::DisableRandomization, req::FileSetfs, req::FileOpen,
                 req::FileClose, req::FilePread, req::FilePwrite, req::FileFstat, req::FileReadlink,
                 req::FileUnlink, req::PassSignals, req::ProgramSignals, req::NonStop, req::StopAck,
                 req::ThreadEvents, req::CatchSyscalls, req::Monitor, req::Symbol, req::TlsAddress>;

// `payload` is a packet's payload as received (binary parts still escaped).
Request parse_request(std::string_view payload);

// The families, exposed for tests; each takes the whole payload.
Request parse_query_packet(std::string_view payload);      // q...
Request parse_set_packet(std::string_view payload);        // Q...
Request parse_v_packet(std::string_view payload);          // v...
Request parse_vfile_packet(std::string_view payload);      // vFile:...
Request parse_memory_packet(std::string_view payload);     // m, M, X
Request parse_register_packet(std::string_view payload);   // g, G, p, P
Request parse_resume_packet(std::string_view payload);     // c, C, s, S
Request parse_breakpoint_packet(std::string_view payload); // Z, z

} // namespace rsp
