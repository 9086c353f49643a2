#pragma once
// Compiles gdb agent-expression bytecode (a target-side breakpoint condition) to x86-64
// machine code that runs inside the debugged program, from a jump pad
// (x86_64_jump_pad.hpp), so that a false condition costs no trap. The code computes exactly
// what rsp::agent::evaluate computes; what it cannot prove safe to compile, it refuses.
//
// The generated function keeps the bytecode stack on the machine stack (at most
// max_compiled_stack_depth values, since it runs on the program's own, maybe small, stack),
// uses only rax, rcx, rdx and flags besides, reads rdi, and leaves every SysV callee-saved
// register (rbx, rbp, r12-r15, rsp) as it found it. It calls nothing. A ref of a bad address
// faults (SIGSEGV) and a division by zero traps (SIGFPE) in the program, for the stub to
// catch; INT64_MIN / -1 wraps as in the interpreter, without trapping.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace arch::x86_64 {

inline constexpr std::size_t max_compiled_stack_depth = 16;

// register_offsets[n]: byte offset, from the block pointer, of the 64-bit value of gdb
// register n (amd64 numbering: 0 rax, 1 rbx, 2 rcx, 3 rdx, 4 rsi, 5 rdi, 6 rbp, 7 rsp,
// 8-15 r8-r15, 16 rip, 17 eflags); a register beyond the span or with an offset < 0 is not
// available.
// Returns position-independent code for a SysV function
// `std::uint64_t f(const std::uint64_t *block)`, or nullopt when the bytecode is not
// compilable: an opcode other than integer arithmetic, comparisons, ext/zero_ext, ref8-64,
// const, reg, goto/if_goto, end and the stack opcodes; a backward jump; a jump outside the
// code or into operands; truncated operands; an unavailable register; a stack depth that
// differs between paths, underflows or exceeds max_compiled_stack_depth; a path without `end`.
std::optional<std::vector<std::uint8_t>>
compile_agent_condition(std::span<const std::uint8_t> bytecode,
                        std::span<const int> register_offsets);

} // namespace arch::x86_64
