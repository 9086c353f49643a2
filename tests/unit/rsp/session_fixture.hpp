#pragma once
#include "fake_target.hpp"
#include "wire.hpp"

#include "rsp/session.hpp"

#include <string>
#include <vector>

namespace rsp::test {

// A session after gdb 13's opening: qSupported (multiprocess+ unless told otherwise) and
// QStartNoAckMode.
struct Connected {
  FakeTarget target;
  std::vector<std::string> log_lines;
  Session session;

  explicit Connected(bool multiprocess = true, SessionOptions options = {})
      : session(target, with_log(std::move(options))) {
    std::string features = "qSupported:swbreak+;hwbreak+;QThreadEvents+;no-resumed+;"
                           "vContSupported+;fork-events+;xmlRegisters=i386";
    if (multiprocess)
      features += ";multiprocess+";
    ask(session, features);
    ask(session, "QStartNoAckMode");
    session.feed("+"); // gdb acks the OK before going quiet
    REQUIRE(session.take_output().empty());
    log_lines.clear();
  }

  std::string operator()(std::string_view payload) { return ask(session, payload); }

  // vCont;c then a stop: back to Idle.
  void run_and_stop(const StopEvent &event) {
    CHECK(ask_all(session, "vCont;c").empty());
    REQUIRE(session.state() == SessionState::Running);
    session.on_stop(event);
  }

private:
  SessionOptions with_log(SessionOptions options) {
    options.log = [this](std::string_view line) { log_lines.emplace_back(line); };
    return options;
  }
};

inline StopEvent stop_at(ThreadId thread, int signal = 5) {
  StopEvent e;
  e.kind = StopKind::Signal;
  e.signal = signal;
  e.thread = thread;
  return e;
}

} // namespace rsp::test
