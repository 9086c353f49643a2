#include "stub/server.hpp"

#include "stub/log.hpp"
#include "stub/support/gdb_signals.hpp"

#include <csignal>
#include <cstring>
#include <fmt/core.h>

namespace stub {

Server::Server(asio::io_context &io, Inferior &inferior, const Options &options)
    : io_(io), inferior_(inferior), options_(options), children_(io),
      termination_(io, SIGINT, SIGTERM, SIGHUP) {
  watch_children();
  watch_termination();
}

std::optional<std::string> Server::bind(const ListenAddress &address) {
  if (address.stdio()) {
    stdio_ = true;
    return std::nullopt;
  }
  auto listener = address.kind == ListenAddress::Kind::Unix
                      ? listen_unix(io_, address.path)
                      : listen_tcp(io_, address.host, address.port);
  if (!listener)
    return listener.error();
  listener_ = std::move(*listener);
  return std::nullopt;
}

void Server::start() {
  if (stdio_) {
    fmt::print(stderr, "Remote debugging using stdio\n");
    asio::post(io_, [this] { start_session(make_stdio_connection(io_)); });
    return;
  }
  fmt::print(stderr, "{}\n", listener_->announcement());
  std::fflush(stderr);
  accept_next();
}

// The listener keeps accepting while a session runs, to turn a second gdb away clearly
// instead of leaving it hanging in the backlog.
void Server::accept_next() {
  listener_->async_accept([this](std::error_code ec, std::unique_ptr<Connection> connection,
                                 std::string peer) {
    if (ec) {
      if (ec != asio::error::operation_aborted) {
        fmt::print(stderr, "accept: {}\n", ec.message());
        shut_down(1);
      }
      return;
    }
    if (session_) {
      fmt::print(stderr, "Refusing a connection from {}: a gdb session is already active.\n", peer);
      connection->close();
    } else {
      fmt::print(stderr, "Remote debugging from {}\n", peer);
      start_session(std::move(connection));
    }
    accept_next();
  });
}

void Server::start_session(std::unique_ptr<Connection> connection) {
  connection_ = std::move(connection);
  rsp::SessionOptions session_options;
  session_options.extended = options_.multi;
  session_options.disabled_packets = options_.disabled_packets;
  if (log::enabled(log::Channel::Rsp))
    session_options.log = [](std::string_view line) { STUB_LOG(Rsp, "{}", line); };
  session_ = std::make_unique<rsp::Session>(inferior_, session_options);
  read_more();
}

void Server::read_more() {
  connection_->async_read(buffer_, [this](std::error_code ec, std::size_t n) {
    if (!session_)
      return; // the session ended meanwhile
    if (ec) {
      STUB_LOG(Rsp, "connection closed: {}", ec.message());
      end_session();
      return;
    }
    on_bytes(n);
  });
}

void Server::on_bytes(std::size_t count) {
  session_->feed(std::string_view(buffer_.data(), count));
  deliver_stops();
  flush();
  if (!connection_)
    return;
  if (inferior_.exit_requested()) { // monitor exit: the reply is out; now go
    if (connection_)
      connection_->close();
    session_.reset();
    shut_down(0);
    return;
  }
  if (session_->wants_close()) {
    end_session();
    return;
  }
  read_more();
}

void Server::deliver_stops() {
  while (auto stop = inferior_.take_stop()) {
    if (stop->kind == rsp::StopKind::Exited || stop->kind == rsp::StopKind::Terminated)
      announce_exit(*stop);
    if (session_)
      session_->on_stop(*stop);
  }
}

void Server::announce_exit(const rsp::StopEvent &event) {
  if (event.kind == rsp::StopKind::Exited)
    fmt::print(stderr, "\nChild exited with status {}\n", event.exit_code);
  else
    fmt::print(stderr, "\nChild terminated with signal = {:#x} ({})\n",
               gdb_to_host_signal(event.signal), strsignal(gdb_to_host_signal(event.signal)));
}

void Server::flush() {
  if (!session_ || !connection_)
    return;
  std::string out = session_->take_output();
  if (out.empty())
    return;
  if (auto ec = connection_->write(out)) {
    STUB_LOG(Rsp, "write failed: {}", ec.message());
    end_session();
  }
}

void Server::end_session() {
  if (connection_)
    connection_->close();
  // Destroy the connection after its pending handlers have run.
  asio::post(io_, [c = std::shared_ptr<Connection>(std::move(connection_))] {});
  session_.reset();
  // gdbserver's rules: --once ends with the first connection; otherwise the stub stays
  // while there is a program to debug (or always, with --multi).
  bool keep_serving = !options_.once && !stdio_ && (options_.multi || inferior_.has_process());
  if (keep_serving) {
    fmt::print(stderr,
               "Remote side has terminated connection.  "
               "stubborn will reopen the connection.\n{}\n",
               listener_->announcement());
    return;
  }
  shut_down(exit_status_);
}

void Server::shut_down(int status) {
  exit_status_ = status;
  inferior_.release(); // kill what we launched, detach from what we attached to
  if (listener_)
    listener_->close();
  io_.stop();
}

void Server::watch_children() {
  children_.watch([this] {
    inferior_.drain_events();
    deliver_stops();
    flush();
  });
}

void Server::watch_termination() {
  termination_.async_wait([this](std::error_code ec, int signal) {
    if (ec)
      return;
    bool attached = inferior_.has_process() && inferior_.attached(0);
    fmt::print(stderr, "stubborn: got {}; {} and exiting.\n", strsignal(signal),
               !inferior_.has_process() ? "nothing to clean up"
               : attached               ? "detaching from the program"
                                        : "killing the program");
    shut_down(1);
  });
}

int Server::run() {
  io_.run();
  return exit_status_;
}

} // namespace stub
