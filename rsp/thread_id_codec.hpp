#pragma once
// Thread ids on the wire: `pP.T`, `pP` (= `pP.-1`), `p-1.-1`, `-1`, `0`, plain `T` (hex).
#include "rsp/result.hpp"
#include "rsp/thread_id.hpp"

#include <string>
#include <string_view>

namespace rsp {

// The whole text must be a thread id. A plain `T` leaves pid as ThreadId::any (the caller
// knows the current process); `-1` is {all, all}, `0` is {any, any}.
Result<ThreadId> parse_thread_id(std::string_view text);

// `pP.T` when multiprocess, else `T`; -1 is written as `-1`.
std::string format_thread_id(ThreadId id, bool multiprocess);

} // namespace rsp
