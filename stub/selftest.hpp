#pragma once
// --selftest: checks built into the binary, over the code that ships (not the test
// doubles), printed as gdbserver prints its own: "Ran N unit tests, 0 failed".
#include "arch/arch.hpp"

namespace stub {

struct SelftestResult {
  int ran = 0;
  int failed = 0;
};

SelftestResult run_selftests(const arch::ArchInfo &arch);

} // namespace stub
