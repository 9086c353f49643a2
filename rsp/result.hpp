#pragma once
// Result<T>: a value or a std::error_code. tl::expected (Debian's libexpected-dev) gives us
// the std::expected API on C++20 without writing our own.
#include <system_error>
#include <tl/expected.hpp>

namespace rsp {

template <class T> using Result = tl::expected<T, std::error_code>;

inline tl::unexpected<std::error_code> fail(std::errc e) {
  return tl::unexpected(std::make_error_code(e));
}
inline tl::unexpected<std::error_code> fail(std::error_code e) { return tl::unexpected(e); }
inline tl::unexpected<std::error_code> fail_errno(int err) {
  return tl::unexpected(std::error_code(err, std::generic_category()));
}

} // namespace rsp
