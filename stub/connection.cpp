#include "stub/connection.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace stub {
namespace {

template <class Socket> class SocketConnection final : public Connection {
public:
  explicit SocketConnection(Socket socket) : socket_(std::move(socket)) {}
  void async_read(std::span<char> buffer, ReadHandler handler) override {
    socket_.async_read_some(asio::buffer(buffer.data(), buffer.size()), std::move(handler));
  }
  std::error_code write(std::string_view bytes) override {
    std::error_code ec;
    asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
    return ec;
  }
  void close() override {
    std::error_code ignored;
    socket_.shutdown(Socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

private:
  Socket socket_;
};

class StdioConnection final : public Connection {
public:
  explicit StdioConnection(asio::io_context &io)
      : in_(io, ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)),
        out_(io, ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) {}
  void async_read(std::span<char> buffer, ReadHandler handler) override {
    in_.async_read_some(asio::buffer(buffer.data(), buffer.size()), std::move(handler));
  }
  std::error_code write(std::string_view bytes) override {
    std::error_code ec;
    asio::write(out_, asio::buffer(bytes.data(), bytes.size()), ec);
    return ec;
  }
  void close() override {
    std::error_code ignored;
    in_.close(ignored);
    out_.close(ignored);
  }

private:
  asio::posix::stream_descriptor in_;
  asio::posix::stream_descriptor out_;
};

} // namespace

std::unique_ptr<Connection> make_tcp_connection(asio::ip::tcp::socket socket) {
  std::error_code ignored;
  socket.set_option(asio::ip::tcp::no_delay(true), ignored); // small, latency-bound replies
  return std::make_unique<SocketConnection<asio::ip::tcp::socket>>(std::move(socket));
}

std::unique_ptr<Connection> make_unix_connection(asio::local::stream_protocol::socket socket) {
  return std::make_unique<SocketConnection<asio::local::stream_protocol::socket>>(
      std::move(socket));
}

std::unique_ptr<Connection> make_stdio_connection(asio::io_context &io) {
  return std::make_unique<StdioConnection>(io);
}

} // namespace stub
