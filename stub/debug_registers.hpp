#pragma once
// Whether this machine's debug registers fire: many VMs accept DR0-DR7 through ptrace and
// never raise the trap. Checked once, in a throwaway child.
namespace stub {

// true: a write watchpoint set through the debug registers trapped; false: it did not (or
// the check could not run).
bool debug_registers_fire();

} // namespace stub
