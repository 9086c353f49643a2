#pragma once
// An evaluator for gdb's agent-expression bytecode (gdb manual, "Agent Expressions"): the
// target-side breakpoint conditions and dprintf commands gdb sends in Z packets.
//
// What a stub cannot do is refused, never guessed: floating point, trace state variables and
// anything unknown end the evaluation with a Failure. Trace collection opcodes (trace,
// trace_quick, trace16, tracev, tracenz) are accepted as no-ops with their stack effect, since
// a stub without a trace buffer has nothing to record. Memory is read little-endian (x86-64).
// Every evaluation is bounded: stack depth, executed opcodes, jump targets, code length.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <tl/expected.hpp>

namespace rsp::agent {

// What evaluating needs from the target.
class Machine {
public:
  virtual ~Machine() = default;
  // Register `regnum` in gdb's numbering (the target description's order); nullopt: unreadable.
  virtual std::optional<std::uint64_t> read_register(int regnum) = 0;
  // Read exactly out.size() bytes at addr; false if any byte cannot be read.
  virtual bool read_memory(std::uint64_t addr, std::span<std::uint8_t> out) = 0;
  // Text produced by the printf opcode (dprintf with dprintf-style agent).
  virtual void print(std::string_view text) = 0;
};

enum class Failure {
  BadBytecode,    // truncated operand, no `end`, a malformed printf string
  UnknownOpcode,  // not an opcode of the manual
  StackUnderflow, // an opcode needed more values than the stack holds
  StackOverflow,  // more than max_stack_depth values
  MemoryError,    // Machine::read_memory failed
  RegisterError,  // Machine::read_register failed
  DivisionByZero, // div_* or rem_* by zero
  BadJump,        // goto/if_goto outside the code or into an instruction's operands
  TooManySteps,   // more than max_steps opcodes executed (a loop that never ends)
  Unsupported,    // valid bytecode a stub does not do (floats, trace state variables...)
};

inline constexpr std::size_t max_stack_depth = 1024;
inline constexpr std::size_t max_steps = 100'000;

std::string_view describe(Failure f);

// Runs `code` to its `end` opcode; the value is the top of the stack then (0 if the stack is
// empty).
tl::expected<std::uint64_t, Failure> evaluate(std::span<const std::uint8_t> code, Machine &machine);

} // namespace rsp::agent
