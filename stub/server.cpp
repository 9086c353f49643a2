#include "stub/server.hpp"

#include "stub/log.hpp"
#include "stub/support/gdb_signals.hpp"

#include <csignal>
#include <cstring>
#include <fmt/core.h>

namespace stub {

Server::Server(asio::io_context &io, Inferior &inferior, const Options &options)
    : io_(io), inferior_(inferior), options_(options), children_(io, SIGCHLD),
      termination_(io, SIGINT, SIGTERM, SIGHUP) {
  watch_children();
  watch_termination();
}

std::optional<std::string> Server::open(const ListenAddress &address) {
  if (address.stdio) {
    fmt::print(stderr, "stdin/stdout redirected\nRemote debugging using stdio\n");
    asio::post(io_, [this] { start_session(make_stdio_connection(io_)); });
    return std::nullopt;
  }
  std::error_code ec;
  std::string host = address.host == "localhost" ? "127.0.0.1" : address.host;
  auto ip = asio::ip::make_address(host, ec);
  if (ec) {
    asio::ip::tcp::resolver resolver(io_);
    auto results = resolver.resolve(host, std::to_string(address.port), ec);
    if (ec || results.empty())
      return fmt::format("Can't resolve address {}: {}.", host, ec.message());
    ip = results.begin()->endpoint().address();
  }
  asio::ip::tcp::endpoint endpoint(ip, address.port);
  acceptor_.emplace(io_);
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec)
    acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor_->bind(endpoint, ec);
  if (!ec)
    acceptor_->listen(1, ec);
  if (ec)
    return fmt::format("Can't bind address: {}.", ec.message());
  if (!ip.is_loopback())
    fmt::print(stderr, "Warning: listening on {}, reachable from other hosts.\n", ip.to_string());
  fmt::print(stderr, "Listening on port {}\n", acceptor_->local_endpoint().port());
  std::fflush(stderr);
  accept();
  return std::nullopt;
}

void Server::accept() {
  acceptor_->async_accept([this](std::error_code ec, asio::ip::tcp::socket socket) {
    if (ec) {
      fmt::print(stderr, "accept: {}\n", ec.message());
      exit_status_ = 1;
      io_.stop();
      return;
    }
    std::error_code ignored;
    auto peer = socket.remote_endpoint(ignored);
    fmt::print(stderr, "Remote debugging from host {}, port {}\n", peer.address().to_string(),
               peer.port());
    // One connection at a time, as gdbserver: stop listening while a session is active.
    acceptor_->close(ignored);
    start_session(make_tcp_connection(std::move(socket)));
  });
}

void Server::start_session(std::unique_ptr<Connection> connection) {
  connection_ = std::move(connection);
  rsp::SessionOptions session_options;
  if (log::enabled(log::Channel::Rsp))
    session_options.log = [](std::string_view line) { STUB_LOG(Rsp, "{}", line); };
  session_ = std::make_unique<rsp::Session>(inferior_, session_options);
  read_more();
}

void Server::read_more() {
  connection_->async_read(buffer_, [this](std::error_code ec, std::size_t n) {
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
  // Destroy the connection after its handlers have run.
  asio::post(io_, [c = std::shared_ptr<Connection>(std::move(connection_))] {});
  session_.reset();
  if (inferior_.has_process() && !options_.once && acceptor_) {
    // gdbserver's semantics: without --once a disconnect keeps the program for the next gdb.
    fmt::print(stderr, "Remote side has terminated connection.  "
                       "stubborn will reopen the connection.\n");
    std::error_code ec;
    auto endpoint = acceptor_->local_endpoint(ec);
    acceptor_.emplace(io_);
    if (!ec) {
      acceptor_->open(endpoint.protocol(), ec);
      acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
      acceptor_->bind(endpoint, ec);
      acceptor_->listen(1, ec);
    }
    if (!ec) {
      fmt::print(stderr, "Listening on port {}\n", endpoint.port());
      accept();
      return;
    }
  }
  inferior_.release();
  io_.stop();
}

void Server::watch_children() {
  children_.async_wait([this](std::error_code ec, int) {
    if (ec)
      return;
    inferior_.drain_events();
    deliver_stops();
    flush();
    watch_children();
  });
}

void Server::watch_termination() {
  termination_.async_wait([this](std::error_code ec, int signal) {
    if (ec)
      return;
    fmt::print(stderr, "stubborn: got {}; {} the program and exiting.\n", strsignal(signal),
               inferior_.has_process() && inferior_.attached(0) ? "detaching from" : "killing");
    inferior_.release();
    exit_status_ = 1;
    io_.stop();
  });
}

int Server::run() {
  io_.run();
  return exit_status_;
}

} // namespace stub
