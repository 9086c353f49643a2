#include "rsp/agent_expr.hpp"
#include "tests/unit/agent_opcodes_spelled.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

using namespace rsp::agent;

namespace {

using Code = std::vector<std::uint8_t>;

class FakeMachine : public Machine {
public:
  std::map<int, std::uint64_t> registers;
  std::map<std::uint64_t, std::uint8_t> memory; // only these bytes are readable
  std::string printed;
  int reads = 0;

  void poke(std::uint64_t addr, std::uint64_t value, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i)
      memory[addr + i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  // Real memory is readable a page at a time.
  void map_page(std::uint64_t page) { poke_string(page, std::string(4095, '?')); }
  void poke_string(std::uint64_t addr, std::string_view text) {
    for (char c : text)
      memory[addr++] = static_cast<std::uint8_t>(c);
    memory[addr] = 0;
  }

  std::optional<std::uint64_t> read_register(int regnum) override {
    auto it = registers.find(regnum);
    if (it == registers.end())
      return std::nullopt;
    return it->second;
  }
  bool read_memory(std::uint64_t addr, std::span<std::uint8_t> out) override {
    ++reads;
    for (std::size_t i = 0; i < out.size(); ++i) {
      auto it = memory.find(addr + i);
      if (it == memory.end())
        return false;
      out[i] = it->second;
    }
    return true;
  }
  void print(std::string_view text) override { printed += text; }
};

std::uint64_t value_of(const Code &code, FakeMachine &machine) {
  auto result = evaluate(code, machine);
  INFO("failure: " << (result ? "none" : describe(result.error())));
  REQUIRE(result);
  return *result;
}

std::uint64_t value_of(const Code &code) {
  FakeMachine machine;
  return value_of(code, machine);
}

Failure failure_of(const Code &code, FakeMachine &machine) {
  auto result = evaluate(code, machine);
  INFO("value: " << (result ? *result : 0));
  REQUIRE_FALSE(result);
  return result.error();
}

Failure failure_of(const Code &code) {
  FakeMachine machine;
  return failure_of(code, machine);
}

std::uint64_t negative(std::int64_t v) { return static_cast<std::uint64_t>(v); }

// const64 v: any value, big-endian as the manual says.
Code push(std::uint64_t v) {
  Code code{op::const64};
  for (int shift = 56; shift >= 0; shift -= 8)
    code.push_back(static_cast<std::uint8_t>(v >> shift));
  return code;
}

Code binary(std::uint64_t a, std::uint64_t b, std::uint8_t opcode) {
  Code code = push(a);
  Code top = push(b);
  code.insert(code.end(), top.begin(), top.end());
  code.push_back(opcode);
  code.push_back(op::end);
  return code;
}

std::uint64_t compute(std::uint64_t a, std::uint64_t b, std::uint8_t opcode) {
  return value_of(binary(a, b, opcode));
}

// What gdb generates for a dprintf: the arguments pushed last first, then channel and
// function (both 0), then printf nargs, a 16-bit length counting the NUL, the string, end.
Code printf_code(std::string_view format, const std::vector<std::uint64_t> &args) {
  Code code;
  for (auto it = args.rbegin(); it != args.rend(); ++it) {
    Code arg = push(*it);
    code.insert(code.end(), arg.begin(), arg.end());
  }
  std::size_t length = format.size() + 1;
  code.insert(code.end(),
              {op::const8, 0, op::const8, 0, op::printf, static_cast<std::uint8_t>(args.size()),
               static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)});
  code.insert(code.end(), format.begin(), format.end());
  code.push_back(0);
  code.push_back(op::end);
  return code;
}

std::string printed(std::string_view format, const std::vector<std::uint64_t> &args,
                    FakeMachine &machine) {
  value_of(printf_code(format, args), machine);
  return machine.printed;
}

std::string printed(std::string_view format, const std::vector<std::uint64_t> &args = {}) {
  FakeMachine machine;
  return printed(format, args, machine);
}

} // namespace

TEST_CASE("agent: constants are big-endian and not sign-extended", "[agent]") {
  CHECK(value_of({op::const8, 0xfe, op::end}) == 0xfe);
  CHECK(value_of({op::const16, 0x12, 0x34, op::end}) == 0x1234);
  CHECK(value_of({op::const32, 0x89, 0xab, 0xcd, 0xef, op::end}) == 0x89abcdef);
  CHECK(value_of({op::const64, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10, op::end}) ==
        0xfedcba9876543210);
}

TEST_CASE("agent: end gives the top of the stack, or 0 when it is empty", "[agent]") {
  CHECK(value_of({op::end}) == 0);
  CHECK(value_of({op::const8, 1, op::const8, 2, op::end}) == 2);
}

TEST_CASE("agent: add, sub and mul wrap around at 64 bits", "[agent]") {
  CHECK(compute(40, 2, op::add) == 42);
  CHECK(compute(~0ull, 2, op::add) == 1);
  CHECK(compute(2, 3, op::sub) == negative(-1));
  CHECK(compute(6, 7, op::mul) == 42);
  CHECK(compute(1ull << 63, 2, op::mul) == 0);
}

TEST_CASE("agent: division and remainder", "[agent]") {
  CHECK(compute(negative(-7), 2, op::div_signed) == negative(-3));
  CHECK(compute(negative(-7), 2, op::rem_signed) == negative(-1));
  CHECK(compute(7, negative(-2), op::div_signed) == negative(-3));
  CHECK(compute(negative(-7), 2, op::div_unsigned) == (~0ull - 6) / 2);
  CHECK(compute(17, 5, op::rem_unsigned) == 2);
  CHECK(compute(negative(-1), 16, op::rem_unsigned) == 15);

  SECTION("INT64_MIN / -1 wraps instead of trapping") {
    CHECK(compute(1ull << 63, negative(-1), op::div_signed) == 1ull << 63);
    CHECK(compute(1ull << 63, negative(-1), op::rem_signed) == 0);
  }
  SECTION("by zero") {
    for (auto opcode : {op::div_signed, op::div_unsigned, op::rem_signed, op::rem_unsigned}) {
      INFO("opcode " << int(opcode));
      CHECK(failure_of(binary(1, 0, opcode)) == Failure::DivisionByZero);
    }
  }
}

TEST_CASE("agent: shifts, including by 64 or more", "[agent]") {
  CHECK(compute(1, 4, op::lsh) == 16);
  CHECK(compute(1, 63, op::lsh) == 1ull << 63);
  CHECK(compute(1, 64, op::lsh) == 0);
  CHECK(compute(1, negative(-1), op::lsh) == 0);
  CHECK(compute(negative(-16), 2, op::rsh_signed) == negative(-4));
  CHECK(compute(16, 2, op::rsh_signed) == 4);
  CHECK(compute(negative(-16), 64, op::rsh_signed) == negative(-1));
  CHECK(compute(16, 1000, op::rsh_signed) == 0);
  CHECK(compute(negative(-16), 2, op::rsh_unsigned) == (~0ull - 15) >> 2);
  CHECK(compute(negative(-16), 64, op::rsh_unsigned) == 0);
}

TEST_CASE("agent: logical and bitwise operations", "[agent]") {
  CHECK(value_of({op::const8, 0, op::log_not, op::end}) == 1);
  CHECK(value_of({op::const8, 5, op::log_not, op::end}) == 0);
  CHECK(compute(0b1100, 0b1010, op::bit_and) == 0b1000);
  CHECK(compute(0b1100, 0b1010, op::bit_or) == 0b1110);
  CHECK(compute(0b1100, 0b1010, op::bit_xor) == 0b0110);
  CHECK(value_of({op::const8, 0, op::bit_not, op::end}) == ~0ull);
}

TEST_CASE("agent: comparisons", "[agent]") {
  CHECK(compute(3, 3, op::equal) == 1);
  CHECK(compute(3, 4, op::equal) == 0);
  CHECK(compute(negative(-1), 1, op::less_signed) == 1);
  CHECK(compute(1, negative(-1), op::less_signed) == 0);
  CHECK(compute(negative(-1), 1, op::less_unsigned) == 0);
  CHECK(compute(1, negative(-1), op::less_unsigned) == 1);
  CHECK(compute(1, 1, op::less_unsigned) == 0);
}

TEST_CASE("agent: ext sign-extends and zero_ext truncates", "[agent]") {
  CHECK(value_of({op::const8, 0x80, op::ext, 8, op::end}) == negative(-128));
  CHECK(value_of({op::const8, 0x7f, op::ext, 8, op::end}) == 0x7f);
  CHECK(value_of({op::const32, 0xff, 0xff, 0xff, 0xfe, op::ext, 32, op::end}) == negative(-2));
  CHECK(value_of({op::const8, 0x80, op::ext, 64, op::end}) == 0x80);
  CHECK(value_of({op::const8, 0xff, op::ext, 200, op::end}) == 0xff);
  CHECK(value_of({op::const8, 0xff, op::ext, 0, op::end}) == 0);
  CHECK(value_of({op::const16, 0x12, 0x34, op::zero_ext, 8, op::end}) == 0x34);
  CHECK(value_of({op::const8, 0xff, op::ext, 8, op::zero_ext, 16, op::end}) == 0xffff);
  CHECK(value_of({op::const8, 0xff, op::ext, 8, op::zero_ext, 64, op::end}) == ~0ull);
  CHECK(value_of({op::const8, 0xff, op::zero_ext, 0, op::end}) == 0);
}

TEST_CASE("agent: reg reads gdb's register numbers", "[agent]") {
  FakeMachine machine;
  machine.registers[6] = 0x7ffe1000;
  machine.registers[0x102] = 42;
  CHECK(value_of({op::reg, 0, 6, op::end}, machine) == 0x7ffe1000);
  CHECK(value_of({op::reg, 1, 2, op::end}, machine) == 42);
  CHECK(failure_of({op::reg, 0, 7, op::end}, machine) == Failure::RegisterError);
}

TEST_CASE("agent: ref8 to ref64 read little-endian memory, zero-extended", "[agent]") {
  FakeMachine machine;
  machine.poke(0x1000, 0x8877665544332211, 8);
  CHECK(value_of({op::const16, 0x10, 0x00, op::ref8, op::end}, machine) == 0x11);
  CHECK(value_of({op::const16, 0x10, 0x07, op::ref8, op::end}, machine) == 0x88);
  CHECK(value_of({op::const16, 0x10, 0x00, op::ref16, op::end}, machine) == 0x2211);
  CHECK(value_of({op::const16, 0x10, 0x00, op::ref32, op::end}, machine) == 0x44332211);
  CHECK(value_of({op::const16, 0x10, 0x00, op::ref64, op::end}, machine) == 0x8877665544332211);

  SECTION("unreadable, even in part: MemoryError") {
    CHECK(failure_of({op::const16, 0x20, 0x00, op::ref8, op::end}, machine) ==
          Failure::MemoryError);
    CHECK(failure_of({op::const16, 0x10, 0x04, op::ref64, op::end}, machine) ==
          Failure::MemoryError);
  }
}

TEST_CASE("agent: stack manipulation", "[agent]") {
  CHECK(value_of({op::const8, 3, op::dup, op::mul, op::end}) == 9);
  CHECK(value_of({op::const8, 1, op::const8, 2, op::pop, op::end}) == 1);
  CHECK(value_of({op::const8, 1, op::const8, 2, op::swap, op::end}) == 1);
  CHECK(value_of({op::const8, 1, op::const8, 2, op::swap, op::sub, op::end}) == 1);
  CHECK(value_of({op::const8, 1, op::const8, 2, op::pick, 0, op::end}) == 2);
  CHECK(value_of({op::const8, 1, op::const8, 2, op::pick, 1, op::end}) == 1);
  CHECK(value_of({op::const8, 1, op::const8, 2, op::const8, 3, op::pick, 2, op::end}) == 1);

  SECTION("rot: a b c => c a b") {
    Code rot{op::const8, 1, op::const8, 2, op::const8, 3, op::rot};
    // top is b (2), then a (1), then c (3)
    auto with = [&](Code tail) {
      Code code = rot;
      code.insert(code.end(), tail.begin(), tail.end());
      return value_of(code);
    };
    CHECK(with({op::end}) == 2);
    CHECK(with({op::pop, op::end}) == 1);
    CHECK(with({op::pop, op::pop, op::end}) == 3);
  }
}

TEST_CASE("agent: goto and if_goto jump to absolute offsets", "[agent]") {
  // goto over a const8 that would change the result
  CHECK(value_of({op::const8, 7, op::goto_, 0, 7, op::const8, 9, op::end}) == 7);
  // if_goto: taken when non-zero, falls through when zero; the condition is popped
  Code choose{op::if_goto, 0,  9,       op::const8, 10, op::goto_,
              0,           11, op::end, op::const8, 20, op::end};
  Code taken{op::const8, 1};
  taken.insert(taken.end(), choose.begin(), choose.end());
  // offsets above are relative to `choose`; shift them by the two-byte prefix
  taken[4] += 2;
  taken[9] += 2;
  CHECK(value_of(taken) == 20);
  taken[1] = 0;
  CHECK(value_of(taken) == 10);
}

TEST_CASE("agent: a backwards loop runs until its condition fails", "[agent]") {
  // sum = 0; n = 10; do { sum += n; } while (--n);
  Code code{op::const8,  0,     // 0: sum
            op::const8,  10,    // 2: sum n
            op::dup,            // 4: sum n n
            op::rot,            // 5: n sum n
            op::add,            // 6: n sum+n
            op::swap,           // 7: sum+n n
            op::const8,  1,     // 8
            op::sub,            // 10: sum n-1
            op::dup,            // 11
            op::if_goto, 0,  4, // 12: back to 4 while n != 0
            op::pop,            // 15: sum
            op::end};
  CHECK(value_of(code) == 55);
}

TEST_CASE("agent: bounds on code, stack, jumps and steps", "[agent]") {
  SECTION("stack underflow") {
    CHECK(failure_of({op::add, op::end}) == Failure::StackUnderflow);
    CHECK(failure_of({op::const8, 1, op::add, op::end}) == Failure::StackUnderflow);
    CHECK(failure_of({op::pop, op::end}) == Failure::StackUnderflow);
    CHECK(failure_of({op::const8, 1, op::const8, 2, op::rot, op::end}) == Failure::StackUnderflow);
    CHECK(failure_of({op::const8, 1, op::pick, 1, op::end}) == Failure::StackUnderflow);
    CHECK(failure_of({op::if_goto, 0, 0, op::end}) == Failure::StackUnderflow);
  }
  SECTION("stack overflow: a loop that only pushes") {
    CHECK(failure_of({op::const8, 1, op::goto_, 0, 0}) == Failure::StackOverflow);
  }
  SECTION("exactly max_stack_depth values fit") {
    Code code;
    for (std::size_t i = 0; i < max_stack_depth; ++i)
      code.insert(code.end(), {op::const8, 1});
    code.push_back(op::end);
    CHECK(value_of(code) == 1);
    code.back() = op::dup;
    code.push_back(op::end);
    CHECK(failure_of(code) == Failure::StackOverflow);
  }
  SECTION("an endless loop runs out of steps") {
    CHECK(failure_of({op::goto_, 0, 0}) == Failure::TooManySteps);
    CHECK(failure_of({op::const8, 1, op::pop, op::goto_, 0, 0}) == Failure::TooManySteps);
  }
  SECTION("bad jumps: past the end, into an operand, even when not taken") {
    CHECK(failure_of({op::goto_, 0, 4, op::end}) == Failure::BadJump);
    CHECK(failure_of({op::goto_, 0xff, 0xff, op::end}) == Failure::BadJump);
    CHECK(failure_of({op::const16, 0, 0x27, op::goto_, 0, 2, op::end}) == Failure::BadJump);
    CHECK(failure_of({op::const8, 0, op::if_goto, 0, 99, op::end}) == Failure::BadJump);
  }
  SECTION("truncated code") {
    CHECK(failure_of({}) == Failure::BadBytecode);
    CHECK(failure_of({op::const8, 1}) == Failure::BadBytecode); // no end
    CHECK(failure_of({op::const16, 1}) == Failure::BadBytecode);
    CHECK(failure_of({op::const64, 1, 2, 3, 4, 5, 6, 7}) == Failure::BadBytecode);
    CHECK(failure_of({op::const8, 1, op::ext}) == Failure::BadBytecode);
  }
  SECTION("unknown opcodes") {
    for (std::uint8_t opcode : {0x00, 0x31, 0x35, 0x80, 0xff}) {
      INFO("opcode " << int(opcode));
      CHECK(failure_of({opcode, op::end}) == Failure::UnknownOpcode);
    }
  }
}

TEST_CASE("agent: floats and trace state variables are unsupported", "[agent]") {
  CHECK(failure_of({op::float_, op::end}) == Failure::Unsupported);
  for (auto opcode : {op::ref_float, op::ref_double, op::ref_long_double, op::l_to_d, op::d_to_l}) {
    INFO("opcode " << int(opcode));
    CHECK(failure_of({op::const8, 1, opcode, op::end}) == Failure::Unsupported);
  }
  CHECK(failure_of({op::getv, 0, 1, op::end}) == Failure::Unsupported);
  CHECK(failure_of({op::const8, 1, op::setv, 0, 1, op::end}) == Failure::Unsupported);
}

TEST_CASE("agent: trace opcodes are no-ops with their stack effect", "[agent]") {
  FakeMachine machine;
  // trace and tracenz pop addr and size; trace_quick and trace16 keep addr; tracev is empty
  CHECK(value_of({op::const8, 7, op::const8, 0x10, op::const8, 4, op::trace, op::end}, machine) ==
        7);
  CHECK(value_of({op::const8, 7, op::const8, 0x10, op::const8, 4, op::tracenz, op::end}, machine) ==
        7);
  CHECK(value_of({op::const8, 0x10, op::trace_quick, 4, op::end}, machine) == 0x10);
  CHECK(value_of({op::const8, 0x10, op::trace16, 0, 4, op::end}, machine) == 0x10);
  CHECK(value_of({op::const8, 7, op::tracev, 0, 1, op::end}, machine) == 7);
  CHECK(machine.reads == 0);
  CHECK(failure_of({op::const8, 4, op::trace, op::end}) == Failure::StackUnderflow);
  CHECK(failure_of({op::trace_quick, 4, op::end}) == Failure::StackUnderflow);
}

TEST_CASE("agent: gdb's condition for `int i == 19999` at a frame offset", "[agent]") {
  // From gdb 13: `break hit if i == 19999` with `set breakpoint condition-evaluation target`
  // sends Z0,...;X13,26000622100222ec160802191620234e1f1327: reg 6 (rbp), const8 16, add
  // (the CFA), const8 236, ext 8, add (fbreg -20), ref32, ext 32, const16 19999, equal, end.
  const Code condition{0x26, 0x00, 0x06, 0x22, 0x10, 0x02, 0x22, 0xec, 0x16, 0x08,
                       0x02, 0x19, 0x16, 0x20, 0x23, 0x4e, 0x1f, 0x13, 0x27};
  FakeMachine machine;
  std::uint64_t rbp = 0x7fffffffe0f0;
  machine.registers[6] = rbp;
  machine.poke(rbp + 16 - 20, 19999, 4);
  CHECK(value_of(condition, machine) == 1);
  machine.poke(rbp + 16 - 20, 5, 4);
  CHECK(value_of(condition, machine) == 0);
  machine.poke(rbp + 16 - 20, negative(-19999), 4); // ext 32 keeps the sign: not equal
  CHECK(value_of(condition, machine) == 0);
  machine.memory.clear();
  CHECK(failure_of(condition, machine) == Failure::MemoryError);
}

TEST_CASE("agent: gdb's dprintf command", "[agent][printf]") {
  // From gdb 13: `dprintf hit,"i=%d\tx\n", i` with `set dprintf-style agent` sends
  // Z0,...;cmds:1,X21,<this>. The escapes arrive as written, backslashes included.
  const Code command{0x26, 0x00, 0x06, 0x22, 0x10, 0x02, 0x22, 0xec, 0x16, 0x08, 0x02,
                     0x19, 0x16, 0x20, 0x22, 0x00, 0x22, 0x00, 0x34, 0x01, 0x00, 0x0a,
                     'i',  '=',  '%',  'd',  '\\', 't',  'x',  '\\', 'n',  0x00, 0x27};
  FakeMachine machine;
  machine.registers[6] = 0x1000;
  machine.poke(0x1000 + 16 - 20, negative(-42), 4);
  CHECK(value_of(command, machine) == 0);
  CHECK(machine.printed == "i=-42\tx\n");
}

TEST_CASE("agent: printf integer conversions", "[agent][printf]") {
  std::uint64_t minus_one = negative(-1);
  CHECK(printed("%d %i", {42, minus_one}) == "42 -1");
  CHECK(printed("%d", {0xffffffff}) == "-1"); // int: the low 32 bits
  CHECK(printed("%u", {minus_one}) == "4294967295");
  CHECK(printed("%x %X %o", {255, 255, 8}) == "ff FF 10");
  CHECK(printed("%ld %lu %lx", {minus_one, minus_one, minus_one}) ==
        "-1 18446744073709551615 ffffffffffffffff");
  CHECK(printed("%lld %llu %llx", {1ull << 63, 1ull << 63, 1ull << 63}) ==
        "-9223372036854775808 9223372036854775808 8000000000000000");
  CHECK(printed("%hhd %hu %zu %jd", {0x1ff, 0x12345, 7, minus_one}) == "-1 9029 7 -1");
  CHECK(printed("[%5d|%-5d|%05d|%+d|% d|%.3d]", {42, 42, 42, 42, 42, 42}) ==
        "[   42|42   |00042|+42| 42|042]");
  CHECK(printed("%#x %#o %#d", {255, 8, 5}) == "0xff 010 5");
  CHECK(printed("100%%") == "100%");
}

TEST_CASE("agent: printf %c, %p and %s", "[agent][printf]") {
  FakeMachine machine;
  machine.map_page(0x2000);
  machine.poke_string(0x2000, "hello");
  CHECK(printed("%c%c", {'o', 0x14b}, machine) == "oK");
  machine.printed.clear();
  CHECK(printed("%p %p", {0x7ffe10, 0}, machine) == "0x7ffe10 (nil)");
  machine.printed.clear();
  CHECK(printed("[%s|%.3s|%7s|%-7s|%s]", {0x2000, 0x2000, 0x2000, 0x2000, 0}, machine) ==
        "[hello|hel|  hello|hello  |(null)]");

  SECTION("a string ending at the end of a page, before an unreadable one") {
    std::string text(300, 'x');
    machine.map_page(0x5000);
    machine.poke_string(0x5fff - text.size(), text); // its NUL is the page's last byte
    machine.printed.clear();
    machine.reads = 0;
    CHECK(printed("%s", {0x5fff - text.size()}, machine) == text);
    CHECK(machine.reads == 2); // 0x5ed3-0x5eff, 0x5f00-0x5fff: chunks never cross a page
  }
  SECTION("a string with no NUL stops at the limit") {
    std::string text(5000, 'y');
    machine.poke_string(0x4000, text);
    machine.printed.clear();
    CHECK(printed("%s", {0x4000}, machine) == text.substr(0, 4096));
  }
  SECTION("unreadable string") {
    CHECK(failure_of(printf_code("%s", {0x9000}), machine) == Failure::MemoryError);
  }
}

TEST_CASE("agent: printf escapes and refusals", "[agent][printf]") {
  CHECK(printed(R"(a\tb\n\\\"\a\e)") == "a\tb\n\\\"\a\x1b");
  CHECK(failure_of(printf_code(R"(\q)", {})) == Failure::BadBytecode);
  CHECK(failure_of(printf_code(R"(trailing\)", {})) == Failure::BadBytecode);
  CHECK(failure_of(printf_code("%d %d", {1})) == Failure::BadBytecode);
  CHECK(failure_of(printf_code("%y", {1})) == Failure::BadBytecode);
  CHECK(failure_of(printf_code("%", {})) == Failure::BadBytecode);
  CHECK(failure_of(printf_code("%5%", {})) == Failure::BadBytecode);
  CHECK(failure_of(printf_code("%f", {1})) == Failure::Unsupported);
  CHECK(failure_of(printf_code("%Lf", {1})) == Failure::Unsupported);
  CHECK(failure_of(printf_code("%n", {1})) == Failure::Unsupported);
  CHECK(failure_of(printf_code("%*d", {1, 2})) == Failure::Unsupported);
  CHECK(failure_of(printf_code("%2000d", {1})) == Failure::Unsupported);
  CHECK(failure_of(printf_code("%ls", {1})) == Failure::Unsupported);
  CHECK(failure_of(printf_code("%lc", {1})) == Failure::Unsupported);
}

TEST_CASE("agent: printf's string and stack are checked", "[agent][printf]") {
  Code code = printf_code("ab", {});
  SECTION("the string must end in its NUL") {
    code[code.size() - 2] = 'c';
    CHECK(failure_of(code) == Failure::BadBytecode);
  }
  SECTION("the length must stay inside the code") {
    code[6] = 0x40; // the length's high byte
    CHECK(failure_of(code) == Failure::BadBytecode);
  }
  SECTION("function, channel and every argument must be on the stack") {
    CHECK(failure_of({op::const8, 0, op::printf, 0, 0, 1, 0, op::end}) == Failure::StackUnderflow);
    CHECK(failure_of({op::const8, 0, op::const8, 0, op::printf, 1, 0, 1, 0, op::end}) ==
          Failure::StackUnderflow);
  }
  SECTION("a jump over printf lands after its string") {
    Code over{op::goto_, 0, 12, op::const8, 0, op::const8, 0, op::printf, 0, 0, 1, 0, op::end};
    CHECK(value_of(over) == 0);
    over[2] = 11; // the string's NUL
    CHECK(failure_of(over) == Failure::BadJump);
  }
}

TEST_CASE("agent: every failure has a description", "[agent]") {
  for (auto f :
       {Failure::BadBytecode, Failure::UnknownOpcode, Failure::StackUnderflow,
        Failure::StackOverflow, Failure::MemoryError, Failure::RegisterError,
        Failure::DivisionByZero, Failure::BadJump, Failure::TooManySteps, Failure::Unsupported})
    CHECK_FALSE(describe(f).empty());
}
