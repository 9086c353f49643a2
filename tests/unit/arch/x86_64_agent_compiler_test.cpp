// The agent-expression compiler, run for real: compiled code is copied to an executable page
// and called with a register block; the interpreter (rsp::agent::evaluate) runs the same
// bytecode over the same registers and this process's memory, and both must agree. Every
// call goes through a thunk that plants sentinels in the callee-saved registers and checks
// them, and rsp, afterwards.
#include "arch/x86_64_agent_compiler.hpp"
#include "rsp/agent_expr.hpp"
#include "tests/unit/agent_opcodes_spelled.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstring>
#include <random>
#include <string>
#include <sys/mman.h>
#include <vector>

// agent_jit_checked_call(code, block, seen): sets rbx, rbp, r12-r15 to sentinels, calls
// code(block), stores those registers in seen[0..5], rsp before and after the call in
// seen[6] and seen[7], restores the caller's registers and returns what code returned.
extern "C" std::uint64_t agent_jit_checked_call(const void *code, const std::uint64_t *block,
                                                std::uint64_t *seen);
asm(R"(
  .pushsection .text
  .p2align 4
  .type agent_jit_checked_call, @function
agent_jit_checked_call:
  push %rbx
  push %rbp
  push %r12
  push %r13
  push %r14
  push %r15
  push %rdx
  mov %rsp, 48(%rdx)
  mov %rdi, %rax
  mov %rsi, %rdi
  movabs $0x1b1b1b1b1b1b1b1b, %rbx
  movabs $0x2b2b2b2b2b2b2b2b, %rbp
  movabs $0x3c3c3c3c3c3c3c3c, %r12
  movabs $0x4d4d4d4d4d4d4d4d, %r13
  movabs $0x5e5e5e5e5e5e5e5e, %r14
  movabs $0x6f6f6f6f6f6f6f6f, %r15
  call *%rax
  mov (%rsp), %rdx
  mov %rbx, 0(%rdx)
  mov %rbp, 8(%rdx)
  mov %r12, 16(%rdx)
  mov %r13, 24(%rdx)
  mov %r14, 32(%rdx)
  mov %r15, 40(%rdx)
  mov %rsp, 56(%rdx)
  pop %rdx
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %rbp
  pop %rbx
  ret
  .size agent_jit_checked_call, .-agent_jit_checked_call
  .popsection
)");

namespace {

using arch::x86_64::compile_agent_condition;
using Code = std::vector<std::uint8_t>;

constexpr std::uint8_t binary_ops[] = {
    op::add,          op::sub,          op::mul,          op::div_signed,
    op::div_unsigned, op::rem_signed,   op::rem_unsigned, op::lsh,
    op::rsh_signed,   op::rsh_unsigned, op::bit_and,      op::bit_or,
    op::bit_xor,      op::equal,        op::less_signed,  op::less_unsigned};

bool is_division(std::uint8_t opcode) {
  return opcode >= op::div_signed && opcode <= op::rem_unsigned;
}

constexpr std::size_t register_count = 18; // gdb's amd64 general registers, rip and eflags
using Registers = std::array<std::uint64_t, register_count>;

// The block the compiled code reads: registers in reverse order behind a spare slot, so a
// compiler that ignored the offsets would read the wrong values.
constexpr std::size_t block_slots = register_count + 1;
const std::array<int, register_count> register_offsets = [] {
  std::array<int, register_count> o{};
  for (std::size_t n = 0; n < register_count; ++n)
    o[n] = static_cast<int>(8 * (block_slots - 1 - n));
  return o;
}();

std::string hex(const Code &code) {
  std::string out;
  for (std::uint8_t b : code) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}

// The interpreter's view of the same registers and of this process's memory.
class ProcessMachine : public rsp::agent::Machine {
public:
  explicit ProcessMachine(const Registers &registers) : registers_(registers) {}
  std::optional<std::uint64_t> read_register(int regnum) override {
    if (regnum < 0 || static_cast<std::size_t>(regnum) >= register_count)
      return std::nullopt;
    return registers_[static_cast<std::size_t>(regnum)];
  }
  bool read_memory(std::uint64_t addr, std::span<std::uint8_t> out) override {
    std::memcpy(out.data(), reinterpret_cast<const void *>(addr), out.size());
    return true;
  }
  void print(std::string_view) override {}

private:
  Registers registers_;
};

// One page range, writable while code is copied in and executable while it runs.
class JitPages {
public:
  static constexpr std::size_t size = 64 * 1024;
  JitPages() {
    void *p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    base_ = static_cast<std::uint8_t *>(p);
  }
  ~JitPages() { munmap(base_, size); }
  const void *load(const Code &code, std::size_t offset) {
    REQUIRE(offset + code.size() <= size);
    REQUIRE(mprotect(base_, size, PROT_READ | PROT_WRITE) == 0);
    std::memset(base_, 0xcc, size); // int3 wherever the code would stray
    std::memcpy(base_ + offset, code.data(), code.size());
    REQUIRE(mprotect(base_, size, PROT_READ | PROT_EXEC) == 0);
    return base_ + offset;
  }

private:
  std::uint8_t *base_ = nullptr;
};

JitPages &pages() {
  static JitPages instance;
  return instance;
}

// Runs compiled code on `registers` and checks it kept the callee-saved registers and rsp.
std::uint64_t run(const Code &compiled, const Registers &registers, std::size_t offset = 0) {
  std::array<std::uint64_t, block_slots> block{};
  block.fill(0xdeadbeefdeadbeef);
  for (std::size_t n = 0; n < register_count; ++n)
    block[static_cast<std::size_t>(register_offsets[n]) / 8] = registers[n];
  std::array<std::uint64_t, 8> seen{};
  std::uint64_t result =
      agent_jit_checked_call(pages().load(compiled, offset), block.data(), seen.data());
  CHECK(seen[0] == 0x1b1b1b1b1b1b1b1b);
  CHECK(seen[1] == 0x2b2b2b2b2b2b2b2b);
  CHECK(seen[2] == 0x3c3c3c3c3c3c3c3c);
  CHECK(seen[3] == 0x4d4d4d4d4d4d4d4d);
  CHECK(seen[4] == 0x5e5e5e5e5e5e5e5e);
  CHECK(seen[5] == 0x6f6f6f6f6f6f6f6f);
  CHECK(seen[6] == seen[7]);
  return result;
}

std::optional<Code> compile(const Code &code) {
  return compile_agent_condition(code, register_offsets);
}

std::optional<std::uint64_t> interpret(const Code &code, const Registers &registers,
                                       std::optional<rsp::agent::Failure> *failure = nullptr) {
  ProcessMachine machine(registers);
  auto result = rsp::agent::evaluate(code, machine);
  if (failure)
    *failure = result ? std::nullopt : std::optional(result.error());
  return result ? std::optional(*result) : std::nullopt;
}

// Compiles `code`, runs it and the interpreter, and returns the agreed value.
std::uint64_t both(const Code &code, const Registers &registers = {}) {
  INFO("bytecode " << hex(code));
  auto expected = interpret(code, registers);
  REQUIRE(expected);
  auto compiled = compile(code);
  REQUIRE(compiled);
  INFO("machine code " << hex(*compiled));
  std::uint64_t actual = run(*compiled, registers);
  CHECK(actual == *expected);
  return actual;
}

void append(Code &code, std::initializer_list<std::uint8_t> bytes) {
  code.insert(code.end(), bytes);
}

Code operator+(Code a, const Code &b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// const64 v, big-endian.
void append_push(Code &code, std::uint64_t v) {
  code.push_back(op::const64);
  for (int shift = 56; shift >= 0; shift -= 8)
    code.push_back(static_cast<std::uint8_t>(v >> shift));
}

Code push(std::uint64_t v) {
  Code code;
  append_push(code, v);
  return code;
}

Code binary(std::uint64_t a, std::uint64_t b, std::uint8_t opcode) {
  Code code = push(a);
  append_push(code, b);
  append(code, {opcode, op::end});
  return code;
}

std::uint64_t u(std::int64_t v) { return static_cast<std::uint64_t>(v); }

constexpr std::uint64_t int64_min = std::uint64_t{1} << 63;

// Values at the edges of every width, sign and shift count.
const std::vector<std::uint64_t> interesting = {0,
                                                1,
                                                2,
                                                3,
                                                7,
                                                31,
                                                32,
                                                33,
                                                63,
                                                64,
                                                65,
                                                200,
                                                0x7f,
                                                0x80,
                                                0xff,
                                                0x100,
                                                0x7fff,
                                                0x8000,
                                                0xffff,
                                                0x7fffffff,
                                                0x80000000,
                                                0xffffffff,
                                                0x100000000,
                                                int64_min - 1,
                                                int64_min,
                                                u(-1),
                                                u(-2),
                                                u(-7),
                                                u(-64),
                                                0x0123456789abcdef,
                                                0xfedcba9876543210};

Registers numbered_registers() {
  Registers r{};
  for (std::size_t n = 0; n < register_count; ++n)
    r[n] = 0x1111111111111111 * (n % 15 + 1) + n;
  return r;
}

} // namespace

TEST_CASE("agent jit: constants are big-endian and not sign-extended", "[agent-jit]") {
  CHECK(both({op::const8, 0xfe, op::end}) == 0xfe);
  CHECK(both({op::const16, 0x12, 0x34, op::end}) == 0x1234);
  CHECK(both({op::const16, 0xff, 0xfe, op::end}) == 0xfffe);
  CHECK(both({op::const32, 0x89, 0xab, 0xcd, 0xef, op::end}) == 0x89abcdef);
  CHECK(both({op::const32, 0x7f, 0xff, 0xff, 0xff, op::end}) == 0x7fffffff);
  for (std::uint64_t v : interesting)
    CHECK(both(push(v) + Code{op::end}) == v);
}

TEST_CASE("agent jit: end gives the top of the stack, or 0 when it is empty", "[agent-jit]") {
  CHECK(both({op::end}) == 0);
  CHECK(both({op::const8, 5, op::pop, op::end}) == 0);
  CHECK(both({op::const8, 1, op::const8, 2, op::const8, 3, op::end}) == 3);
}

TEST_CASE("agent jit: every binary opcode on edge values", "[agent-jit]") {
  for (std::uint8_t opcode : binary_ops)
    for (std::uint64_t a : interesting)
      for (std::uint64_t b : interesting)
        if (!(is_division(opcode) && b == 0))
          both(binary(a, b, opcode));
}

TEST_CASE("agent jit: division, shifts and comparisons match the interpreter's edges",
          "[agent-jit]") {
  CHECK(both(binary(u(-7), 2, op::div_signed)) == u(-3));
  CHECK(both(binary(u(-7), 2, op::rem_signed)) == u(-1));
  CHECK(both(binary(7, u(-2), op::rem_signed)) == 1);
  CHECK(both(binary(u(-7), 2, op::div_unsigned)) == u(-7) / 2);
  CHECK(both(binary(int64_min, u(-1), op::div_signed)) == int64_min); // wraps, no SIGFPE
  CHECK(both(binary(int64_min, u(-1), op::rem_signed)) == 0);
  CHECK(both(binary(5, u(-1), op::div_signed)) == u(-5));
  CHECK(both(binary(1, 64, op::lsh)) == 0);
  CHECK(both(binary(1, 63, op::lsh)) == int64_min);
  CHECK(both(binary(u(-1), 64, op::rsh_unsigned)) == 0);
  CHECK(both(binary(u(-1), u(-1), op::rsh_unsigned)) == 0);
  CHECK(both(binary(int64_min, 200, op::rsh_signed)) == u(-1));
  CHECK(both(binary(0x4000000000000000, 200, op::rsh_signed)) == 0);
  CHECK(both(binary(u(-1), 0, op::less_signed)) == 1);
  CHECK(both(binary(u(-1), 0, op::less_unsigned)) == 0);
  CHECK(both(binary(3, 3, op::equal)) == 1);
}

TEST_CASE("agent jit: unary opcodes, ext and zero_ext at every width", "[agent-jit]") {
  for (std::uint64_t v : interesting) {
    both(push(v) + Code{op::log_not, op::end});
    both(push(v) + Code{op::bit_not, op::end});
    for (std::uint8_t bits : {0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 200, 255}) {
      both(push(v) + Code{op::ext, bits, op::end});
      both(push(v) + Code{op::zero_ext, bits, op::end});
    }
  }
  CHECK(both({op::const8, 0x80, op::ext, 8, op::end}) == u(-128));
  CHECK(both({op::const8, 0xff, op::ext, 0, op::end}) == 0);
  CHECK(both({op::const8, 0xff, op::zero_ext, 0, op::end}) == 0);
  CHECK(both({op::const16, 0x12, 0x34, op::zero_ext, 8, op::end}) == 0x34);
}

TEST_CASE("agent jit: ref8 to ref64 read little-endian memory, zero-extended", "[agent-jit]") {
  alignas(8) std::array<std::uint8_t, 24> buffer{};
  for (std::size_t i = 0; i < buffer.size(); ++i)
    buffer[i] = static_cast<std::uint8_t>(0x81 + 0x13 * i);
  auto base = reinterpret_cast<std::uintptr_t>(buffer.data());
  for (std::size_t offset = 0; offset <= 16; ++offset)
    for (std::uint8_t ref : {op::ref8, op::ref16, op::ref32, op::ref64})
      both(push(base + offset) + Code{ref, op::end});
  std::uint64_t word = 0x8877665544332211;
  std::memcpy(buffer.data(), &word, sizeof word);
  CHECK(both(push(base) + Code{op::ref8, op::end}) == 0x11);
  CHECK(both(push(base) + Code{op::ref16, op::end}) == 0x2211);
  CHECK(both(push(base) + Code{op::ref32, op::end}) == 0x44332211);
  CHECK(both(push(base + 4) + Code{op::ref32, op::end}) == 0x88776655);
  CHECK(both(push(base) + Code{op::ref64, op::end}) == word);
}

TEST_CASE("agent jit: reg reads each register's slot in the block", "[agent-jit]") {
  Registers registers = numbered_registers();
  for (std::uint8_t n = 0; n < register_count; ++n)
    CHECK(both({op::reg, 0, n, op::end}, registers) == registers[n]);
}

TEST_CASE("agent jit: stack manipulation", "[agent-jit]") {
  CHECK(both({op::const8, 3, op::dup, op::mul, op::end}) == 9);
  CHECK(both({op::const8, 1, op::const8, 2, op::pop, op::end}) == 1);
  CHECK(both({op::const8, 1, op::const8, 2, op::swap, op::end}) == 1);
  CHECK(both({op::const8, 1, op::const8, 2, op::swap, op::sub, op::end}) == 1);
  CHECK(both({op::const8, 1, op::const8, 2, op::pick, 0, op::end}) == 2);
  CHECK(both({op::const8, 1, op::const8, 2, op::pick, 1, op::end}) == 1);
  CHECK(both({op::const8, 1, op::const8, 2, op::const8, 3, op::pick, 2, op::end}) == 1);
  Code rot{op::const8, 1, op::const8, 2, op::const8, 3, op::rot}; // 1 2 3 => 3 1 2
  CHECK(both(rot + Code{op::end}) == 2);
  CHECK(both(rot + Code{op::pop, op::end}) == 1);
  CHECK(both(rot + Code{op::pop, op::pop, op::end}) == 3);
}

TEST_CASE("agent jit: sixteen values deep is allowed", "[agent-jit]") {
  Code code;
  for (std::uint8_t i = 1; i <= 16; ++i)
    append(code, {op::const8, i});
  for (int i = 0; i < 15; ++i)
    code.push_back(op::add);
  code.push_back(op::end);
  CHECK(both(code) == 136);
  Code deepest;
  for (std::uint8_t i = 1; i <= 15; ++i)
    append(deepest, {op::const8, i});
  append(deepest, {op::pick, 14, op::end});
  CHECK(both(deepest) == 1);
}

TEST_CASE("agent jit: goto and if_goto jump forward to absolute offsets", "[agent-jit]") {
  CHECK(both({op::const8, 7, op::goto_, 0, 7, op::const8, 9, op::end}) == 7);
  CHECK(both({op::const8, 7, op::goto_, 0, 5, op::end}) == 7); // to the next instruction
  for (std::uint8_t condition : {0, 1, 0x80}) {
    // 0: const8 c; 2: if_goto 11; 5: const8 10; 7: goto 13; 10: end; 11: const8 20; 13: end
    Code code{op::const8, condition, op::if_goto, 0,       11,         op::const8, 10,
              op::goto_,  0,         13,          op::end, op::const8, 20,         op::end};
    CHECK(both(code) == (condition ? 20u : 10u));
  }
  // Both arms end on their own, at different depths.
  Code arms{op::const8, 1, op::const8, 0, op::if_goto, 0, 9, op::pop, op::end, op::end};
  CHECK(both(arms) == 0);
  arms[3] = 1;
  CHECK(both(arms) == 1);
}

TEST_CASE("agent jit: a condition like gdb's `a && b`", "[agent-jit]") {
  // Hand-written, a chain of if_goto and goto of the kind gdb emits for &&:
  // a; if_goto A; goto F; A: b; if_goto B; goto F; B: const8 1; goto E; F: const8 0; E: end.
  // With a = rsi, b = rdi == 7.
  const Code code{op::reg,     0, 4,         //  0: a
                  op::if_goto, 0, 9,         //  3
                  op::goto_,   0, 26,        //  6: to F
                  op::reg,     0, 5,         //  9: A: b
                  op::const8,  7, op::equal, // 12
                  op::if_goto, 0, 21,        // 15
                  op::goto_,   0, 26,        // 18: to F
                  op::const8,  1,            // 21: B
                  op::goto_,   0, 28,        // 23: to E
                  op::const8,  0,            // 26: F
                  op::end};                  // 28: E
  Registers registers{};
  for (std::uint64_t rsi : {0, 1})
    for (std::uint64_t rdi : {6, 7}) {
      registers[4] = rsi;
      registers[5] = rdi;
      CHECK(both(code, registers) == (rsi && rdi == 7 ? 1u : 0u));
    }
}

TEST_CASE("agent jit: gdb 13's condition for `int i == 19999` at a frame offset", "[agent-jit]") {
  // reg 6 (rbp), const8 16, add, const8 236, ext 8, add (fbreg -20), ref32, ext 32,
  // const16 19999, equal, end.
  const Code condition{0x26, 0x00, 0x06, 0x22, 0x10, 0x02, 0x22, 0xec, 0x16, 0x08,
                       0x02, 0x19, 0x16, 0x20, 0x23, 0x4e, 0x1f, 0x13, 0x27};
  alignas(8) std::array<std::uint8_t, 32> frame{};
  Registers registers{};
  registers[6] = reinterpret_cast<std::uintptr_t>(frame.data()) + 8; // i at rbp - 4
  auto set_i = [&](std::int32_t i) { std::memcpy(frame.data() + 4, &i, sizeof i); };
  set_i(19999);
  CHECK(both(condition, registers) == 1);
  set_i(5);
  CHECK(both(condition, registers) == 0);
  set_i(-19999);
  CHECK(both(condition, registers) == 0);
}

TEST_CASE("agent jit: the code is position-independent", "[agent-jit]") {
  // Jumps and all, at several addresses.
  // 0: reg rdi; 3: if_goto 11; 6: const8 1; 8: goto 13; 11: const8 2; 13: end
  const Code code{op::reg, 0,         5, op::if_goto, 0,          11, op::const8,
                  1,       op::goto_, 0, 13,          op::const8, 2,  op::end};
  auto compiled = compile(code);
  REQUIRE(compiled);
  Registers registers{};
  registers[5] = 1;
  CHECK(run(*compiled, registers, 0) == 2);
  CHECK(run(*compiled, registers, 4093) == 2);
  registers[5] = 0;
  CHECK(run(*compiled, registers, 0) == 1);
  CHECK(run(*compiled, registers, 12345) == 1);
}

TEST_CASE("agent jit: callee-saved registers and rsp survive every opcode", "[agent-jit]") {
  alignas(8) std::array<std::uint8_t, 8> buffer{1, 2, 3, 4, 5, 6, 7, 8};
  Code code = push(reinterpret_cast<std::uintptr_t>(buffer.data()));
  append(code, {op::dup, op::ref8, op::swap, op::dup, op::ref16, op::swap, op::dup, op::ref32,
                op::swap, op::ref64, op::add, op::add, op::add});
  for (std::uint8_t opcode : binary_ops) {
    append(code, {op::reg, 0, 3, op::const8, 3});
    append(code, {opcode, op::bit_xor});
  }
  append(code, {op::log_not, op::bit_not, op::ext,    9,       op::zero_ext, 13,
                op::const8,  1,           op::const8, 2,       op::rot,      op::pick,
                1,           op::pop,     op::add,    op::add, op::dup,      op::if_goto,
                0,           0,           op::const8, 4,       op::goto_,    0,
                0,           op::const8,  5,          op::end});
  code[code.size() - 9] = static_cast<std::uint8_t>(code.size() - 3); // if_goto -> const8 5
  code[code.size() - 4] = static_cast<std::uint8_t>(code.size() - 1); // goto -> end
  Registers registers = numbered_registers();
  both(code, registers); // run() checks the registers
  registers[3] = 0;
  both(code, registers);
}

TEST_CASE("agent jit: refused bytecode", "[agent-jit]") {
  SECTION("opcodes a condition cannot compile") {
    const Code refused{0x00,
                       op::float_,
                       op::trace,
                       op::trace_quick,
                       op::ref_float,
                       op::ref_double,
                       op::ref_long_double,
                       op::l_to_d,
                       op::d_to_l,
                       op::getv,
                       op::setv,
                       op::tracev,
                       op::tracenz,
                       op::trace16,
                       0x31,
                       op::printf,
                       0x35,
                       0x80,
                       0xff};
    for (std::uint8_t opcode : refused) {
      INFO("opcode " << int(opcode));
      CHECK_FALSE(compile({op::const8, 1, op::const8, 2, opcode, 0, 0, 0, op::end}));
    }
    // gdb 13's dprintf command
    CHECK_FALSE(compile({0x26, 0x00, 0x06, 0x22, 0x10, 0x02, 0x22, 0xec, 0x16, 0x08, 0x02,
                         0x19, 0x16, 0x20, 0x22, 0x00, 0x22, 0x00, 0x34, 0x01, 0x00, 0x0a,
                         'i',  '=',  '%',  'd',  '\\', 't',  'x',  '\\', 'n',  0x00, 0x27}));
    // even where it is unreachable
    CHECK_FALSE(compile({op::const8, 1, op::end, op::float_, op::end}));
  }
  SECTION("backward jumps: loops") {
    CHECK_FALSE(compile({op::const8, 0, op::goto_, 0, 2, op::end}));            // to itself
    CHECK_FALSE(compile({op::const8, 0, op::if_goto, 0, 0, op::end}));          // backward
    CHECK_FALSE(compile({op::const8, 1, op::dup, op::if_goto, 0, 2, op::end})); // a loop
  }
  SECTION("jumps outside the code or into operands") {
    CHECK_FALSE(compile({op::goto_, 0xff, 0xff, op::end}));
    CHECK_FALSE(compile({op::goto_, 0, 4, op::end}));                       // one past the end
    CHECK_FALSE(compile({op::goto_, 0, 4, op::const16, 0, 0x27, op::end})); // into const16
    CHECK_FALSE(compile({op::const8, 0, op::if_goto, 0, 6, op::const8, 0x27, op::end}));
  }
  SECTION("truncated operands") {
    CHECK_FALSE(compile({op::const8}));
    CHECK_FALSE(compile({op::const16, 0x12}));
    CHECK_FALSE(compile({op::const32, 1, 2, 3}));
    CHECK_FALSE(compile({op::const64, 1, 2, 3, 4, 5, 6, 7}));
    CHECK_FALSE(compile({op::reg, 0}));
    CHECK_FALSE(compile({op::const8, 1, op::ext}));
    CHECK_FALSE(compile({op::const8, 1, op::if_goto, 0}));
    CHECK_FALSE(compile({op::end, op::goto_, 0})); // even after the end
  }
  SECTION("registers not available") {
    CHECK_FALSE(compile({op::reg, 0, 18, op::end}));
    CHECK_FALSE(compile({op::reg, 0x01, 0x00, op::end}));
    std::array<int, 4> some{0, 8, -1, 24};
    CHECK(compile_agent_condition(Code{op::reg, 0, 3, op::end}, some));
    CHECK_FALSE(compile_agent_condition(Code{op::reg, 0, 2, op::end}, some));
    CHECK_FALSE(compile_agent_condition(Code{op::reg, 0, 4, op::end}, some));
    CHECK_FALSE(compile_agent_condition(Code{op::reg, 0, 0, op::end}, {}));
  }
  SECTION("stack depths that differ where paths join") {
    // if_goto to `end` with one value; the fall-through pushes a second.
    CHECK_FALSE(compile({op::const8, 1, op::const8, 1, op::if_goto, 0, 9, op::const8, 2, op::end}));
    // if_goto and goto into one `end`, with zero and one values.
    CHECK_FALSE(
        compile({op::const8, 0, op::if_goto, 0, 10, op::const8, 5, op::goto_, 0, 10, op::end}));
    // Unreachable code has no depth to disagree with: only the goto reaches `pop`.
    CHECK(compile({op::const8, 1, op::goto_, 0, 7, op::const8, 2, op::pop, op::end}));
  }
  SECTION("stack underflow on any path") {
    CHECK_FALSE(compile({op::add, op::end}));
    CHECK_FALSE(compile({op::const8, 1, op::add, op::end}));
    CHECK_FALSE(compile({op::pop, op::end}));
    CHECK_FALSE(compile({op::const8, 1, op::swap, op::end}));
    CHECK_FALSE(compile({op::const8, 1, op::const8, 1, op::rot, op::end}));
    CHECK_FALSE(compile({op::const8, 1, op::pick, 1, op::end}));
    CHECK_FALSE(compile({op::dup, op::end}));
    CHECK_FALSE(compile({op::log_not, op::end}));
    CHECK_FALSE(compile({op::if_goto, 0, 3, op::end}));
    // Only when the branch is taken, which this input never does.
    CHECK_FALSE(compile({op::const8, 0, op::if_goto, 0, 6, op::end, op::pop, op::end}));
  }
  SECTION("more than sixteen values") {
    Code code;
    for (int i = 0; i < 17; ++i)
      append(code, {op::const8, 1});
    code.push_back(op::end);
    CHECK_FALSE(compile(code));
    Code picked;
    for (int i = 0; i < 16; ++i)
      append(picked, {op::const8, 1});
    append(picked, {op::pick, 0, op::end});
    CHECK_FALSE(compile(picked));
  }
  SECTION("no end") {
    CHECK_FALSE(compile({}));
    CHECK_FALSE(compile({op::const8, 1}));
    CHECK_FALSE(compile({op::const8, 1, op::const8, 2, op::add}));
    // the taken branch runs off the end
    CHECK_FALSE(compile({op::const8, 1, op::if_goto, 0, 6, op::end, op::const8, 2}));
  }
}

namespace {

// Random programs whose every path keeps the stack consistent: expressions that each push
// exactly one value, built from every opcode, with forward branches whose arms agree.
class RandomProgram {
public:
  RandomProgram(std::mt19937_64 &rng, std::span<const std::uint8_t> memory)
      : rng_(rng), memory_(memory) {}

  Code make() {
    code_.clear();
    int level = static_cast<int>(below(6));
    expr(level);
    switch (below(8)) {
    case 0:
      code_.push_back(op::pop); // the empty stack gives 0
      break;
    case 1:
      expr(level); // the top of two
      break;
    case 2:
    case 3:
      expr(level);
      binop();
      break;
    default:
      break;
    }
    code_.push_back(op::end);
    return code_;
  }

  std::uint64_t value() { return below(4) == 0 ? rng_() : interesting[below(interesting.size())]; }

private:
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }

  void binop() { code_.push_back(binary_ops[below(std::size(binary_ops))]); }

  void leaf() {
    std::uint64_t v = value();
    switch (below(7)) {
    case 0:
      append(code_, {op::const8, static_cast<std::uint8_t>(v)});
      break;
    case 1:
      append(code_, {op::const16, static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)});
      break;
    case 2:
      append(code_,
             {op::const32, static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
              static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)});
      break;
    case 3:
      append_push(code_, v);
      break;
    case 4:
    case 5:
      append(code_, {op::reg, 0, static_cast<std::uint8_t>(below(register_count))});
      break;
    default: {
      auto addr = reinterpret_cast<std::uintptr_t>(memory_.data()) + below(memory_.size() - 7);
      append_push(code_, addr);
      code_.push_back(static_cast<std::uint8_t>(op::ref8 + below(4)));
      break;
    }
    }
  }

  std::uint8_t width() {
    static constexpr std::uint8_t widths[] = {0, 1, 7, 8, 16, 31, 32, 33, 63, 64, 100};
    return widths[below(std::size(widths))];
  }

  std::size_t jump(std::uint8_t opcode) {
    append(code_, {opcode, 0, 0});
    return code_.size() - 2;
  }
  void land(std::size_t field) {
    code_[field] = static_cast<std::uint8_t>(code_.size() >> 8);
    code_[field + 1] = static_cast<std::uint8_t>(code_.size());
  }

  // Pushes one value; the stack grows at most 2 * level + 1 above where it started.
  void expr(int level) {
    if (level == 0 || below(6) == 0) {
      leaf();
      return;
    }
    int inner = level - 1;
    switch (below(11)) {
    case 0:
      expr(inner);
      code_.push_back(below(2) ? op::log_not : op::bit_not);
      break;
    case 1:
      expr(inner);
      append(code_, {below(2) ? op::ext : op::zero_ext, width()});
      break;
    case 2:
    case 3:
      expr(inner);
      expr(inner);
      binop();
      break;
    case 4:
      expr(inner);
      code_.push_back(below(2) ? op::dup : std::uint8_t{op::pick});
      if (code_.back() == op::pick)
        code_.push_back(0);
      binop();
      break;
    case 5:
      expr(inner);
      expr(inner);
      code_.push_back(op::swap);
      binop();
      break;
    case 6:
      expr(inner);
      expr(inner);
      append(code_, {op::pick, 1});
      binop();
      binop();
      break;
    case 7:
      expr(inner);
      expr(inner);
      expr(inner);
      code_.push_back(op::rot);
      binop();
      binop();
      break;
    case 8:
      expr(inner);
      expr(inner);
      code_.push_back(op::pop);
      break;
    case 9: { // c ? x : y
      expr(inner);
      std::size_t to_then = jump(op::if_goto);
      expr(inner);
      std::size_t to_end = jump(op::goto_);
      land(to_then);
      expr(inner);
      land(to_end);
      break;
    }
    default: { // v; if c, v op w
      expr(inner);
      expr(inner);
      code_.push_back(op::log_not);
      std::size_t to_end = jump(op::if_goto);
      expr(inner);
      binop();
      land(to_end);
      break;
    }
    }
  }

  std::mt19937_64 &rng_;
  std::span<const std::uint8_t> memory_;
  Code code_;
};

} // namespace

TEST_CASE("agent jit: random programs agree with the interpreter", "[agent-jit][random]") {
  std::mt19937_64 rng(20240613);
  alignas(8) std::array<std::uint8_t, 64> memory{};
  RandomProgram programs(rng, memory);
  int compared = 0, divided_by_zero = 0;
  for (int attempt = 0; compared < 2000 && attempt < 4000; ++attempt) {
    for (auto &byte : memory)
      byte = static_cast<std::uint8_t>(programs.value());
    Registers registers{};
    for (auto &r : registers)
      r = programs.value();
    Code code = programs.make();
    INFO("bytecode " << hex(code));
    std::optional<rsp::agent::Failure> failure;
    auto expected = interpret(code, registers, &failure);
    if (failure == rsp::agent::Failure::DivisionByZero) {
      ++divided_by_zero;
      continue; // would be SIGFPE in the program
    }
    REQUIRE(expected);
    auto compiled = compile(code);
    REQUIRE(compiled);
    CHECK(run(*compiled, registers) == *expected);
    ++compared;
  }
  CHECK(compared == 2000);
  CHECK(divided_by_zero < 1000);
}
