#pragma once
// x86-64 (64-bit mode) instruction length and control-flow decoding, and moving one
// instruction to another address. Enough to step over a range without single steps and to
// copy an instruction into a jump pad; not a disassembler (operands are not decoded).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace arch::x86_64 {

// Where execution can go after the instruction.
enum class Flow {
  Sequential,      // only to the next instruction
  Jump,            // jmp rel8/rel32: addr + length + displacement
  ConditionalJump, // jcc, jrcxz, loop*, xbegin: the target or the next instruction
  Call,            // call rel32
  Return,          // ret, ret imm16, retf, iret
  IndirectJump,    // jmp r/m, jmp far m, xabort: a target not in the instruction
  IndirectCall,    // call r/m, call far m
  SystemCall,      // syscall, sysenter, int n, int1: may block or never come back (exec)
  Trap,            // int3, ud0/ud1/ud2, hlt, sysret/sysexit, rsm: cannot continue normally
};

// A ModRM memory operand: segment:[base + index * scale + displacement], registers in the
// hardware's numbering (0 rax, 1 rcx, 2 rdx, 3 rbx, 4 rsp, 5 rbp, 6 rsi, 7 rdi, 8-15 r8-r15).
struct MemoryOperand {
  int base = -1;  // none: -1
  int index = -1; // none: -1
  std::uint8_t scale = 1;
  std::int64_t displacement = 0;
  bool rip_relative = false; // from the end of the instruction; base and index unused
  std::uint8_t segment = 0;  // 0x64 (fs) or 0x65 (gs) prefix; 0 for the flat ones
};

struct Instruction {
  std::uint8_t length = 0;
  Flow flow = Flow::Sequential;
  // Jump, ConditionalJump, Call: the rel8/rel32 value, sign-extended.
  std::int64_t displacement = 0;
  // Byte offset of the disp32 of a RIP-relative memory operand (ModRM mod=00 r/m=101), or -1.
  std::int8_t rip_disp_offset = -1;
  // Bytes after ModRM/SIB/displacement (the immediate, or a branch's rel field). A
  // RIP-relative operand addresses from the end of the instruction, immediate included.
  std::int8_t immediate_size = 0;
  // The 67 prefix is present: a RIP-relative address is then truncated to 32 bits.
  bool address_size_32 = false;
  // false only when the instruction surely writes no memory: no memory operand and no
  // implicit store (push, call, enter, string stores), or one of the common loads (mov,
  // movzx, cmp, test, arithmetic into a register, SSE loads...). Unsure is true.
  bool may_write_memory = true;
  // Writes memory without a memory operand (push, call, enter, string stores...).
  bool implicit_store = false;
  // The ModRM memory operand of a legacy-encoded instruction with 64-bit addressing, which
  // reaches at most 64 bytes; nullopt otherwise (none, VEX/EVEX, a 67 prefix, x87, and the
  // state saves of 0F 01, 0F AE, 0F C7).
  std::optional<MemoryOperand> memory;
};

// The first instruction in `code`. nullopt: not a valid or known instruction in 64-bit mode,
// a relative branch with 66 and no REX.W (rel16 on AMD, rel32 on Intel), or `code` is too
// short to hold it all.
std::optional<Instruction> decode(std::span<const std::uint8_t> code);

// The first instruction in `code` as its bytes must be to run at `to` instead of `from`: a
// RIP-relative disp32 is changed so that it addresses the same byte. nullopt for anything
// but a Sequential instruction, a displacement out of int32 range after the change, a
// 32-bit (67) RIP-relative address, or undecodable code.
std::optional<std::vector<std::uint8_t>> relocate(std::span<const std::uint8_t> code,
                                                  std::uint64_t from, std::uint64_t to);

} // namespace arch::x86_64
