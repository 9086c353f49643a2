#include "rsp/agent_expr.hpp"
#include "rsp/agent_opcodes.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace rsp::agent {

namespace {

// printf limits: %s reads at most this many bytes of target memory; widths and precisions
// above max_field_width are refused so one conversion cannot print megabytes.
constexpr std::size_t max_string_bytes = 4096;
constexpr int max_field_width = 1024;

using Status = tl::expected<void, Failure>;

tl::unexpected<Failure> fail(Failure f) { return tl::unexpected(f); }

std::uint64_t big_endian(std::span<const std::uint8_t> bytes) {
  std::uint64_t value = 0;
  for (std::uint8_t byte : bytes)
    value = value << 8 | byte;
  return value;
}

std::uint64_t little_endian(std::span<const std::uint8_t> bytes) {
  std::uint64_t value = 0;
  for (auto it = bytes.rbegin(); it != bytes.rend(); ++it)
    value = value << 8 | *it;
  return value;
}

// The whole instruction's length at `pc`, printf's string included; nullopt if the opcode is
// unknown or its operands run past the end.
std::optional<std::size_t> instruction_length(std::span<const std::uint8_t> code, std::size_t pc) {
  auto shape = shape_of(code[pc]);
  if (!shape || code.size() - pc - 1 < shape->operand_bytes)
    return std::nullopt;
  std::size_t length = 1 + shape->operand_bytes;
  if (static_cast<Op>(code[pc]) == Op::Printf)
    length += big_endian(code.subspan(pc + 2, 2));
  if (length > code.size() - pc)
    return std::nullopt;
  return length;
}

// Where instructions begin, decoding from the start: the only places a jump may land. Decoding
// stops at the first byte that is not an instruction (which still counts as a start, so a jump
// to it reports the opcode rather than the jump).
std::vector<bool> instruction_starts(std::span<const std::uint8_t> code) {
  std::vector<bool> starts(code.size(), false);
  for (std::size_t pc = 0; pc < code.size();) {
    starts[pc] = true;
    auto length = instruction_length(code, pc);
    if (!length)
      break;
    pc += *length;
  }
  return starts;
}

// Two's complement views; the conversions are modular in C++20, so never undefined.
std::int64_t as_signed(std::uint64_t v) { return static_cast<std::int64_t>(v); }
std::uint64_t as_unsigned(std::int64_t v) { return static_cast<std::uint64_t>(v); }

// Treats the low `bits` bits of `value` as a signed number and widens it to 64 bits.
std::uint64_t sign_extend(std::uint64_t value, unsigned bits) {
  if (bits >= 64)
    return value;
  if (bits == 0)
    return 0;
  std::uint64_t sign = std::uint64_t{1} << (bits - 1);
  std::uint64_t low = value & ((std::uint64_t{1} << bits) - 1);
  return (low ^ sign) - sign;
}

std::uint64_t zero_extend(std::uint64_t value, unsigned bits) {
  if (bits >= 64)
    return value;
  return value & ((std::uint64_t{1} << bits) - 1);
}

// Signed division truncates toward zero as C does; INT64_MIN / -1 wraps instead of trapping.
std::uint64_t divide_signed(std::uint64_t a, std::uint64_t b) {
  if (as_signed(b) == -1)
    return 0 - a;
  return as_unsigned(as_signed(a) / as_signed(b));
}

std::uint64_t remainder_signed(std::uint64_t a, std::uint64_t b) {
  if (as_signed(b) == -1)
    return 0;
  return as_unsigned(as_signed(a) % as_signed(b));
}

// Shifts by 64 or more give what shifting one bit at a time would: 0, or all sign bits.
std::uint64_t shift_left(std::uint64_t a, std::uint64_t count) {
  return count >= 64 ? 0 : a << count;
}

std::uint64_t shift_right_unsigned(std::uint64_t a, std::uint64_t count) {
  return count >= 64 ? 0 : a >> count;
}

std::uint64_t shift_right_signed(std::uint64_t a, std::uint64_t count) {
  return as_unsigned(as_signed(a) >> std::min<std::uint64_t>(count, 63));
}

// The binary opcodes: `a` was pushed first, `b` is the top.
tl::expected<std::uint64_t, Failure> arithmetic(Op op, std::uint64_t a, std::uint64_t b) {
  switch (op) {
  case Op::Add:
    return a + b;
  case Op::Sub:
    return a - b;
  case Op::Mul:
    return a * b;
  case Op::DivSigned:
  case Op::DivUnsigned:
  case Op::RemSigned:
  case Op::RemUnsigned:
    if (b == 0)
      return fail(Failure::DivisionByZero);
    if (op == Op::DivSigned)
      return divide_signed(a, b);
    if (op == Op::RemSigned)
      return remainder_signed(a, b);
    return op == Op::DivUnsigned ? a / b : a % b;
  case Op::Lsh:
    return shift_left(a, b);
  case Op::RshSigned:
    return shift_right_signed(a, b);
  case Op::RshUnsigned:
    return shift_right_unsigned(a, b);
  case Op::BitAnd:
    return a & b;
  case Op::BitOr:
    return a | b;
  case Op::BitXor:
    return a ^ b;
  case Op::Equal:
    return a == b;
  case Op::LessSigned:
    return as_signed(a) < as_signed(b);
  case Op::LessUnsigned:
    return a < b;
  default:
    return fail(Failure::UnknownOpcode);
  }
}

// ---- printf ----------------------------------------------------------------------------------

enum class Length { Char, Short, Int, Long, LongDouble };

// One conversion, "%[flags][width][.precision][length]conversion".
struct Conversion {
  std::string flags;
  int width = -1;     // -1: none
  int precision = -1; // -1: none
  Length length = Length::Int;
  char specifier = 0;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A width or precision; '*' (taken from the arguments) is refused, as gdb's printf does.
tl::expected<int, Failure> take_number(std::string_view &text) {
  if (text.starts_with('*'))
    return fail(Failure::Unsupported);
  int value = 0;
  while (!text.empty() && is_digit(text.front())) {
    value = value * 10 + (text.front() - '0');
    if (value > max_field_width)
      return fail(Failure::Unsupported);
    text.remove_prefix(1);
  }
  return value;
}

Length take_length(std::string_view &text) {
  static constexpr std::pair<std::string_view, Length> modifiers[] = {
      {"hh", Length::Char}, {"h", Length::Short}, {"ll", Length::Long}, {"l", Length::Long},
      {"j", Length::Long},  {"z", Length::Long},  {"t", Length::Long},  {"L", Length::LongDouble},
  };
  for (auto [name, length] : modifiers) {
    if (text.starts_with(name)) {
      text.remove_prefix(name.size());
      return length;
    }
  }
  return Length::Int;
}

// `text` follows a '%'; on success it is left after the conversion's last character.
tl::expected<Conversion, Failure> take_conversion(std::string_view &text) {
  Conversion c;
  while (!text.empty() && std::string_view("-+ #0").find(text.front()) != std::string_view::npos) {
    c.flags += text.front();
    text.remove_prefix(1);
  }
  if (!text.empty() && (is_digit(text.front()) || text.front() == '*')) {
    auto width = take_number(text);
    if (!width)
      return fail(width.error());
    c.width = *width;
  }
  if (text.starts_with('.')) {
    text.remove_prefix(1);
    auto precision = take_number(text);
    if (!precision)
      return fail(precision.error());
    c.precision = *precision;
  }
  c.length = take_length(text);
  if (text.empty())
    return fail(Failure::BadBytecode);
  c.specifier = text.front();
  text.remove_prefix(1);
  return c;
}

std::string pad(std::string text, const Conversion &c) {
  if (c.width < 0 || text.size() >= static_cast<std::size_t>(c.width))
    return text;
  std::string fill(static_cast<std::size_t>(c.width) - text.size(), ' ');
  return c.flags.find('-') != std::string::npos ? text + fill : fill + text;
}

// The argument as the C type the length modifier names, widened back for snprintf.
long long signed_argument(std::uint64_t value, Length length) {
  switch (length) {
  case Length::Char:
    return static_cast<std::int8_t>(value);
  case Length::Short:
    return static_cast<std::int16_t>(value);
  case Length::Int:
    return static_cast<std::int32_t>(value);
  default:
    return as_signed(value);
  }
}

unsigned long long unsigned_argument(std::uint64_t value, Length length) {
  switch (length) {
  case Length::Char:
    return static_cast<std::uint8_t>(value);
  case Length::Short:
    return static_cast<std::uint16_t>(value);
  case Length::Int:
    return static_cast<std::uint32_t>(value);
  default:
    return value;
  }
}

// d i u o x X through the C library. The format handed to snprintf is rebuilt from the parsed
// pieces (known flags, bounded numbers, "ll", one integer specifier), never the one gdb sent.
std::string format_integer(const Conversion &c, std::uint64_t value) {
  bool is_signed = c.specifier == 'd' || c.specifier == 'i';
  bool alternate_allowed = c.specifier == 'o' || c.specifier == 'x' || c.specifier == 'X';
  std::string format = "%";
  for (char flag : c.flags)
    if (flag != '#' || alternate_allowed)
      format += flag;
  if (c.width >= 0)
    format += std::to_string(c.width);
  if (c.precision >= 0) {
    format += '.'; // appended apart: GCC 12 -O3 warns (-Wrestrict) on "." + to_string()
    format += std::to_string(c.precision);
  }
  format += "ll";
  format += c.specifier;
  std::array<char, 2 * max_field_width + 64> buffer{};
  int written = is_signed ? std::snprintf(buffer.data(), buffer.size(), format.c_str(),
                                          signed_argument(value, c.length))
                          : std::snprintf(buffer.data(), buffer.size(), format.c_str(),
                                          unsigned_argument(value, c.length));
  if (written < 0)
    return {};
  return std::string(buffer.data(), std::min<std::size_t>(written, buffer.size() - 1));
}

// As glibc prints %p: "(nil)" or 0x and lowercase hex.
std::string format_pointer(std::uint64_t value) {
  if (value == 0)
    return "(nil)";
  std::string digits;
  do {
    digits.insert(digits.begin(), "0123456789abcdef"[value & 0xf]);
    value >>= 4;
  } while (value != 0);
  return "0x" + digits;
}

// A NUL-terminated string of at most `limit` bytes. Reads stop at 256-byte boundaries, so a
// string ending just before an unmapped page is still read whole.
tl::expected<std::string, Failure> read_string(Machine &machine, std::uint64_t addr,
                                               std::size_t limit) {
  constexpr std::size_t chunk_size = 256;
  std::array<std::uint8_t, chunk_size> chunk{};
  std::string text;
  while (text.size() < limit) {
    std::size_t count = std::min(chunk_size - addr % chunk_size, limit - text.size());
    if (!machine.read_memory(addr, std::span(chunk.data(), count)))
      return fail(Failure::MemoryError);
    auto nul = std::find(chunk.begin(), chunk.begin() + count, 0);
    text.append(chunk.begin(), nul);
    if (nul != chunk.begin() + count)
      break;
    addr += count;
  }
  return text;
}

// C escapes: gdb sends the format string as the user wrote it, backslashes included.
tl::expected<char, Failure> take_escape(std::string_view &text) {
  static constexpr std::pair<char, char> escapes[] = {
      {'n', '\n'}, {'t', '\t'},   {'\\', '\\'}, {'"', '"'},  {'\'', '\''}, {'a', '\a'},
      {'b', '\b'}, {'e', '\x1b'}, {'f', '\f'},  {'r', '\r'}, {'v', '\v'},
  };
  if (text.empty())
    return fail(Failure::BadBytecode);
  char name = text.front();
  text.remove_prefix(1);
  for (auto [escape, value] : escapes)
    if (escape == name)
      return value;
  return fail(Failure::BadBytecode);
}

class Formatter {
public:
  Formatter(std::span<const std::uint64_t> args, Machine &machine)
      : args_(args), machine_(machine) {}

  tl::expected<std::string, Failure> format(std::string_view text) {
    while (!text.empty()) {
      char c = text.front();
      text.remove_prefix(1);
      Status status = c == '\\'  ? append_escape(text)
                      : c == '%' ? append_conversion(text)
                                 : append_literal(c);
      if (!status)
        return fail(status.error());
    }
    return std::move(out_);
  }

private:
  Status append_literal(char c) {
    out_ += c;
    return {};
  }

  Status append_escape(std::string_view &text) {
    auto c = take_escape(text);
    if (!c)
      return fail(c.error());
    out_ += *c;
    return {};
  }

  Status append_conversion(std::string_view &text) {
    auto c = take_conversion(text);
    if (!c)
      return fail(c.error());
    if (c->specifier == '%') // only a bare "%%": anything between is not C
      return c->flags.empty() && c->width < 0 && c->precision < 0 && c->length == Length::Int
                 ? append_literal('%')
                 : fail(Failure::BadBytecode);
    if (next_ == args_.size())
      return fail(Failure::BadBytecode); // more conversions than gdb gave arguments
    auto text_or_failure = convert(*c, args_[next_++]);
    if (!text_or_failure)
      return fail(text_or_failure.error());
    out_ += *text_or_failure;
    return {};
  }

  tl::expected<std::string, Failure> convert(const Conversion &c, std::uint64_t value) {
    if (c.length == Length::LongDouble)
      return fail(Failure::Unsupported);
    switch (c.specifier) {
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      return format_integer(c, value);
    case 'c':
      if (c.length != Length::Int)
        return fail(Failure::Unsupported); // wide characters
      return pad(std::string(1, static_cast<char>(value)), c);
    case 'p':
      return pad(format_pointer(value), c);
    case 's':
      return convert_string(c, value);
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
    case 'a':
    case 'A':
    case 'n': // would write target memory
      return fail(Failure::Unsupported);
    default:
      return fail(Failure::BadBytecode);
    }
  }

  tl::expected<std::string, Failure> convert_string(const Conversion &c, std::uint64_t addr) {
    if (c.length != Length::Int)
      return fail(Failure::Unsupported); // wide strings
    std::size_t limit = max_string_bytes;
    if (c.precision >= 0)
      limit = std::min(limit, static_cast<std::size_t>(c.precision));
    if (addr == 0)
      return pad(std::string("(null)").substr(0, limit), c);
    auto text = read_string(machine_, addr, limit);
    if (!text)
      return fail(text.error());
    return pad(std::move(*text), c);
  }

  std::span<const std::uint64_t> args_;
  Machine &machine_;
  std::size_t next_ = 0; // the next argument a conversion takes
  std::string out_;
};

// ---- the interpreter -------------------------------------------------------------------------

class Evaluator {
public:
  Evaluator(std::span<const std::uint8_t> code, Machine &machine)
      : code_(code), machine_(machine), starts_(instruction_starts(code)) {}

  tl::expected<std::uint64_t, Failure> run() {
    for (std::size_t steps = 0;; ++steps) {
      if (steps == max_steps)
        return fail(Failure::TooManySteps);
      if (pc_ >= code_.size())
        return fail(Failure::BadBytecode); // ran off the end without `end`
      auto checked = check_instruction();
      if (!checked)
        return fail(checked.error());
      Op op = static_cast<Op>(code_[pc_]);
      if (op == Op::End)
        return stack_.empty() ? 0 : stack_.back();
      next_pc_ = pc_ + 1 + checked->operand_bytes;
      Status status = execute(op, big_endian(code_.subspan(pc_ + 1, checked->operand_bytes)));
      if (!status)
        return fail(status.error());
      pc_ = next_pc_;
    }
  }

private:
  // Everything the opcode's fixed shape lets us check before running it.
  tl::expected<Shape, Failure> check_instruction() const {
    auto shape = shape_of(code_[pc_]);
    if (!shape)
      return fail(Failure::UnknownOpcode);
    if (code_.size() - pc_ - 1 < shape->operand_bytes)
      return fail(Failure::BadBytecode);
    if (is_unsupported(static_cast<Op>(code_[pc_])))
      return fail(Failure::Unsupported);
    if (stack_.size() < shape->pops)
      return fail(Failure::StackUnderflow);
    if (stack_.size() - shape->pops + shape->pushes > max_stack_depth)
      return fail(Failure::StackOverflow);
    return *shape;
  }

  Status execute(Op op, std::uint64_t operand) {
    switch (op) {
    case Op::Trace:
    case Op::Tracenz:
      pop(); // addr and size: nothing to record them in
      pop();
      return {};
    case Op::TraceQuick:
    case Op::Trace16:
    case Op::Tracev:
      return {};
    case Op::LogNot:
      top() = top() == 0;
      return {};
    case Op::BitNot:
      top() = ~top();
      return {};
    case Op::Ext:
      top() = sign_extend(top(), static_cast<unsigned>(operand));
      return {};
    case Op::ZeroExt:
      top() = zero_extend(top(), static_cast<unsigned>(operand));
      return {};
    case Op::Ref8:
      return dereference(1);
    case Op::Ref16:
      return dereference(2);
    case Op::Ref32:
      return dereference(4);
    case Op::Ref64:
      return dereference(8);
    case Op::IfGoto:
      return pop() != 0 ? jump(operand) : check_jump(operand);
    case Op::Goto:
      return jump(operand);
    case Op::Const8:
    case Op::Const16:
    case Op::Const32:
    case Op::Const64:
      stack_.push_back(operand);
      return {};
    case Op::Reg:
      return push_register(static_cast<int>(operand));
    case Op::Dup:
      stack_.push_back(top());
      return {};
    case Op::Pop:
      pop();
      return {};
    case Op::Swap:
      std::swap(stack_[stack_.size() - 1], stack_[stack_.size() - 2]);
      return {};
    case Op::Pick:
      return pick(operand);
    case Op::Rot: // a b c => c a b
      std::rotate(stack_.end() - 3, stack_.end() - 1, stack_.end());
      return {};
    case Op::Printf:
      return print();
    default:
      return binary(op);
    }
  }

  Status binary(Op op) {
    std::uint64_t b = pop();
    std::uint64_t a = pop();
    auto result = arithmetic(op, a, b);
    if (!result)
      return fail(result.error());
    stack_.push_back(*result);
    return {};
  }

  // Refused whether or not an if_goto is taken, so bad code fails the same way every time.
  Status check_jump(std::uint64_t target) const {
    if (target >= code_.size() || !starts_[target])
      return fail(Failure::BadJump);
    return {};
  }

  Status jump(std::uint64_t target) {
    Status status = check_jump(target);
    if (status)
      next_pc_ = target;
    return status;
  }

  Status dereference(std::size_t size) {
    std::array<std::uint8_t, 8> bytes{};
    std::span<std::uint8_t> out(bytes.data(), size);
    if (!machine_.read_memory(top(), out))
      return fail(Failure::MemoryError);
    top() = little_endian(out);
    return {};
  }

  Status push_register(int regnum) {
    auto value = machine_.read_register(regnum);
    if (!value)
      return fail(Failure::RegisterError);
    stack_.push_back(*value);
    return {};
  }

  // pick 0 is dup, pick 1 copies the value under the top, and so on.
  Status pick(std::uint64_t depth) {
    if (depth >= stack_.size())
      return fail(Failure::StackUnderflow);
    stack_.push_back(stack_[stack_.size() - 1 - depth]);
    return {};
  }

  // printf nargs:8 length:16 string: pops function and channel (gdb sends 0 for both; we print
  // through the Machine either way), then the arguments, first argument first.
  Status print() {
    std::size_t nargs = code_[pc_ + 1];
    std::size_t length = big_endian(code_.subspan(pc_ + 2, 2));
    if (length == 0 || code_.size() - next_pc_ < length || code_[next_pc_ + length - 1] != 0)
      return fail(Failure::BadBytecode); // the string's last byte is its NUL, counted in length
    std::string_view format(reinterpret_cast<const char *>(code_.data() + next_pc_), length - 1);
    format = format.substr(0, format.find('\0'));
    next_pc_ += length;
    if (stack_.size() < 2 + nargs)
      return fail(Failure::StackUnderflow);
    pop(); // function
    pop(); // channel
    std::vector<std::uint64_t> args(nargs);
    for (auto &arg : args)
      arg = pop();
    auto text = Formatter(args, machine_).format(format);
    if (!text)
      return fail(text.error());
    machine_.print(*text);
    return {};
  }

  // Only after check_instruction() proved the stack deep enough.
  std::uint64_t &top() { return stack_.back(); }
  std::uint64_t pop() {
    std::uint64_t value = stack_.back();
    stack_.pop_back();
    return value;
  }

  std::span<const std::uint8_t> code_;
  Machine &machine_;
  std::vector<bool> starts_;
  std::vector<std::uint64_t> stack_;
  std::size_t pc_ = 0;      // the instruction running
  std::size_t next_pc_ = 0; // where the next one starts, unless a jump changes it
};

} // namespace

std::string_view describe(Failure f) {
  switch (f) {
  case Failure::BadBytecode:
    return "malformed bytecode";
  case Failure::UnknownOpcode:
    return "unknown opcode";
  case Failure::StackUnderflow:
    return "stack underflow";
  case Failure::StackOverflow:
    return "stack overflow";
  case Failure::MemoryError:
    return "memory cannot be read";
  case Failure::RegisterError:
    return "register cannot be read";
  case Failure::DivisionByZero:
    return "division by zero";
  case Failure::BadJump:
    return "jump outside the bytecode or into an operand";
  case Failure::TooManySteps:
    return "too many steps (endless loop?)";
  case Failure::Unsupported:
    return "unsupported opcode or format";
  }
  return "unknown failure";
}

tl::expected<std::uint64_t, Failure> evaluate(std::span<const std::uint8_t> code,
                                              Machine &machine) {
  return Evaluator(code, machine).run();
}

} // namespace rsp::agent
