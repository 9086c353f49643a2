#include "stub/listener.hpp"

#include <cstring>
#include <fcntl.h>
#include <fmt/core.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stub {
namespace {

// Programs we start must not inherit our sockets (they would hold the port, and could
// talk to gdb themselves).
void close_on_exec(int fd) { ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC); }

class TcpListener final : public Listener {
public:
  explicit TcpListener(asio::io_context &io) : acceptor_(io) {}
  std::error_code bind(const asio::ip::tcp::endpoint &endpoint) {
    std::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec)
      close_on_exec(acceptor_.native_handle());
    if (!ec)
      acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
      acceptor_.bind(endpoint, ec);
    if (!ec)
      acceptor_.listen(4, ec);
    return ec;
  }
  void async_accept(AcceptHandler handler) override {
    acceptor_.async_accept(
        [handler = std::move(handler)](std::error_code ec, asio::ip::tcp::socket socket) {
          if (ec)
            return handler(ec, nullptr, {});
          close_on_exec(socket.native_handle());
          std::error_code ignored;
          auto peer = socket.remote_endpoint(ignored);
          handler(ec, make_tcp_connection(std::move(socket)),
                  fmt::format("host {}, port {}", peer.address().to_string(), peer.port()));
        });
  }
  std::string announcement() const override {
    std::error_code ec;
    return fmt::format("Listening on port {}", acceptor_.local_endpoint(ec).port());
  }
  void close() override {
    std::error_code ignored;
    acceptor_.close(ignored);
  }

private:
  asio::ip::tcp::acceptor acceptor_;
};

class UnixListener final : public Listener {
public:
  UnixListener(asio::io_context &io, std::string path) : acceptor_(io), path_(std::move(path)) {}
  ~UnixListener() override { close(); }
  std::error_code bind() {
    std::error_code ec;
    asio::local::stream_protocol::endpoint endpoint(path_);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec)
      close_on_exec(acceptor_.native_handle());
    // Created with no access for others at all, then listened on.
    mode_t old_mask = umask(0177);
    if (!ec)
      acceptor_.bind(endpoint, ec);
    umask(old_mask);
    if (!ec)
      bound_ = true;
    if (!ec)
      acceptor_.listen(4, ec);
    return ec;
  }
  void async_accept(AcceptHandler handler) override {
    acceptor_.async_accept([this, handler = std::move(handler)](
                               std::error_code ec, asio::local::stream_protocol::socket socket) {
      if (ec)
        return handler(ec, nullptr, {});
      close_on_exec(socket.native_handle());
      ucred peer{};
      socklen_t len = sizeof peer;
      if (getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 ||
          peer.uid != geteuid()) {
        fmt::print(stderr, "Refusing a connection on {} from uid {}: only uid {} may debug.\n",
                   path_, peer.uid, geteuid());
        std::error_code ignored;
        socket.close(ignored);
        async_accept(handler);
        return;
      }
      handler(ec, make_unix_connection(std::move(socket)),
              fmt::format("Unix socket {}, pid {}", path_, peer.pid));
    });
  }
  std::string announcement() const override {
    return fmt::format("Listening on Unix socket {}", path_);
  }
  void close() override {
    std::error_code ignored;
    acceptor_.close(ignored);
    if (bound_)
      ::unlink(path_.c_str());
    bound_ = false;
  }

private:
  asio::local::stream_protocol::acceptor acceptor_;
  std::string path_;
  bool bound_ = false;
};

} // namespace

tl::expected<std::unique_ptr<Listener>, std::string>
listen_tcp(asio::io_context &io, const std::string &host, unsigned short port) {
  std::error_code ec;
  std::string name = host == "localhost" ? "127.0.0.1" : host;
  auto ip = asio::ip::make_address(name, ec);
  if (ec) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    std::string service = std::to_string(port);
    if (int rc = ::getaddrinfo(name.c_str(), service.c_str(), &hints, &found); rc != 0)
      return tl::unexpected(
          fmt::format("{}:{}: cannot resolve name: {}", host, port, ::gai_strerror(rc)));
    asio::ip::tcp::endpoint resolved;
    std::memcpy(resolved.data(), found->ai_addr, found->ai_addrlen);
    ::freeaddrinfo(found);
    ip = resolved.address();
  }
  auto listener = std::make_unique<TcpListener>(io);
  if (auto bind_error = listener->bind({ip, port}))
    return tl::unexpected(fmt::format("Can't bind address: {}.", bind_error.message()));
  if (!ip.is_loopback())
    fmt::print(stderr,
               "Warning: listening on {}: anyone who can reach this address can control the "
               "program and read files as this user.\n",
               ip.to_string());
  return listener;
}

tl::expected<std::unique_ptr<Listener>, std::string> listen_unix(asio::io_context &io,
                                                                 const std::string &path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
    // A socket file left behind by a stub that died: reuse the name if nobody answers.
    asio::local::stream_protocol::socket probe(io);
    std::error_code ec;
    probe.connect(asio::local::stream_protocol::endpoint(path), ec);
    if (!ec)
      return tl::unexpected(fmt::format("Can't bind address: {} is in use.", path));
    ::unlink(path.c_str());
  }
  auto listener = std::make_unique<UnixListener>(io, path);
  if (auto bind_error = listener->bind())
    return tl::unexpected(fmt::format("Can't bind address: {}.", bind_error.message()));
  return listener;
}

} // namespace stub
