#pragma once
// Whether this machine's debug registers fire: many VMs accept DR0-DR7 through ptrace and
// never raise the trap. Checked once, in a throwaway child.
namespace stub {

// true: a write watchpoint set through the debug registers trapped; false: it did not (or
// the check could not run).
bool debug_registers_fire();

// Whether Z1-Z4 go into the debug registers: where they fire, unless the environment says
// otherwise (STUBBORN_DEBUG_REGISTERS=off: emulate write watchpoints anyway; =on: use them
// even where the self-check saw no trap, to see what the kernel accepts).
bool use_debug_registers();

} // namespace stub
