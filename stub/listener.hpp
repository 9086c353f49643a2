#pragma once
// Where gdb connects: a TCP port or a Unix-domain socket. Binding happens before the
// program starts, so a port in use is an error before anything runs.
#include "stub/connection.hpp"

#include <asio.hpp>
#include <tl/expected.hpp>

#include <functional>
#include <memory>
#include <string>

namespace stub {

class Listener {
public:
  // peer: a description for the log ("host 127.0.0.1, port 40000").
  using AcceptHandler =
      std::function<void(std::error_code, std::unique_ptr<Connection>, std::string peer)>;
  virtual ~Listener() = default;
  virtual void async_accept(AcceptHandler handler) = 0;
  virtual std::string announcement() const = 0; // "Listening on port N"
  virtual void close() = 0;
};

tl::expected<std::unique_ptr<Listener>, std::string>
listen_tcp(asio::io_context &io, const std::string &host, unsigned short port);

// The socket file gets mode 0600; peers of another uid are refused (SO_PEERCRED).
tl::expected<std::unique_ptr<Listener>, std::string> listen_unix(asio::io_context &io,
                                                                 const std::string &path);

} // namespace stub
