#pragma once
// The single-threaded event loop: gdb's connection and SIGCHLD on one io_context.
// vCont returns at once; the stop reply goes out when the inferior reports a stop.
#include "rsp/session.hpp"
#include "stub/command_line.hpp"
#include "stub/connection.hpp"
#include "stub/inferior.hpp"

#include <asio.hpp>

#include <array>
#include <memory>
#include <optional>

namespace stub {

class Server {
public:
  Server(asio::io_context &io, Inferior &inferior, const Options &options);

  // Listen (printing "Listening on port N") or take stdio. Returns an error message when
  // the address is bad or cannot be bound.
  std::optional<std::string> open(const ListenAddress &address);
  // Run until the session is over; returns the process exit status for the stub.
  int run();

private:
  void accept();
  void start_session(std::unique_ptr<Connection> connection);
  void read_more();
  void on_bytes(std::size_t count);
  void deliver_stops();
  void flush();
  void end_session();
  void watch_children();
  void watch_termination();
  void announce_exit(const rsp::StopEvent &event);

  asio::io_context &io_;
  Inferior &inferior_;
  Options options_;
  asio::signal_set children_;
  asio::signal_set termination_;
  std::optional<asio::ip::tcp::acceptor> acceptor_;
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<rsp::Session> session_;
  std::array<char, 64 * 1024> buffer_{};
  int exit_status_ = 0;
};

} // namespace stub
