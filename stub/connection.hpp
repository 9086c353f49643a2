#pragma once
// The byte pipe to gdb: a TCP socket or our own stdin/stdout. Only the server sees Asio.
#include <asio.hpp>

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <system_error>

namespace stub {

class Connection {
public:
  using ReadHandler = std::function<void(std::error_code, std::size_t)>;
  virtual ~Connection() = default;
  virtual void async_read(std::span<char> buffer, ReadHandler handler) = 0;
  virtual std::error_code write(std::string_view bytes) = 0;
  virtual void close() = 0;
};

std::unique_ptr<Connection> make_tcp_connection(asio::ip::tcp::socket socket);
std::unique_ptr<Connection> make_unix_connection(asio::local::stream_protocol::socket socket);
std::unique_ptr<Connection> make_stdio_connection(asio::io_context &io);

} // namespace stub
