#pragma once
// The single-threaded event loop: gdb's connection and SIGCHLD on one io_context.
// vCont returns at once; the stop reply goes out when the inferior reports a stop.
#include "rsp/session.hpp"
#include "stub/child_events.hpp"
#include "stub/command_line.hpp"
#include "stub/connection.hpp"
#include "stub/inferior.hpp"
#include "stub/listener.hpp"

#include <asio.hpp>

#include <array>
#include <memory>
#include <optional>

namespace stub {

class Server {
public:
  Server(asio::io_context &io, Inferior &inferior, const Options &options);

  // Bind the address (nothing is announced yet). Returns gdbserver's error message.
  std::optional<std::string> bind(const ListenAddress &address);
  // Print "Listening on ..." and start serving.
  void start();
  // Run until the stub is done; returns its exit status.
  int run();

private:
  void accept_next();
  void start_session(std::unique_ptr<Connection> connection);
  void read_more();
  void on_bytes(std::size_t count);
  void deliver_stops();
  void flush();
  void end_session();
  void shut_down(int status);
  void watch_children();
  void watch_termination();
  void announce_exit(const rsp::StopEvent &event);

  asio::io_context &io_;
  Inferior &inferior_;
  Options options_;
  bool stdio_ = false;
  ChildEvents children_;
  asio::signal_set termination_;
  std::unique_ptr<Listener> listener_;
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<rsp::Session> session_;
  std::array<char, 64 * 1024> buffer_; // not zeroed: untouched pages cost no memory
  int exit_status_ = 0;
};

} // namespace stub
