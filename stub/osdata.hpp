#pragma once
// qXfer:osdata: what `info os` shows. Only "processes" for now, as gdb's IDE users need
// it to pick a process to attach to.
#include "rsp/result.hpp"

#include <string>
#include <string_view>

namespace stub {

rsp::Result<std::string> osdata(std::string_view annex);

} // namespace stub
