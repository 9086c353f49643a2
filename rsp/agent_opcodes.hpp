#pragma once
// gdb's agent-expression opcodes and each one's fixed layout: shared by the interpreter
// (rsp/agent_expr) and the x86-64 compiler of conditions (arch/x86_64_agent_compiler).
#include <cstdint>
#include <optional>

namespace rsp::agent {

// The opcodes, numbered as in the manual's "Bytecode Descriptions".
enum class Op : std::uint8_t {
  Float = 0x01,
  Add = 0x02,
  Sub = 0x03,
  Mul = 0x04,
  DivSigned = 0x05,
  DivUnsigned = 0x06,
  RemSigned = 0x07,
  RemUnsigned = 0x08,
  Lsh = 0x09,
  RshSigned = 0x0a,
  RshUnsigned = 0x0b,
  Trace = 0x0c,
  TraceQuick = 0x0d,
  LogNot = 0x0e,
  BitAnd = 0x0f,
  BitOr = 0x10,
  BitXor = 0x11,
  BitNot = 0x12,
  Equal = 0x13,
  LessSigned = 0x14,
  LessUnsigned = 0x15,
  Ext = 0x16,
  Ref8 = 0x17,
  Ref16 = 0x18,
  Ref32 = 0x19,
  Ref64 = 0x1a,
  RefFloat = 0x1b,
  RefDouble = 0x1c,
  RefLongDouble = 0x1d,
  LToD = 0x1e,
  DToL = 0x1f,
  IfGoto = 0x20,
  Goto = 0x21,
  Const8 = 0x22,
  Const16 = 0x23,
  Const32 = 0x24,
  Const64 = 0x25,
  Reg = 0x26,
  End = 0x27,
  Dup = 0x28,
  Pop = 0x29,
  ZeroExt = 0x2a,
  Swap = 0x2b,
  Getv = 0x2c,
  Setv = 0x2d,
  Tracev = 0x2e,
  Tracenz = 0x2f,
  Trace16 = 0x30,
  // 0x31 is reserved ("invalid2") in the manual.
  Pick = 0x32,
  Rot = 0x33,
  Printf = 0x34,
};

// An opcode's fixed layout: immediate bytes after it and the values it pops and pushes. pick
// and printf also need values that depend on their operands; they check those themselves.
struct Shape {
  std::uint8_t operand_bytes = 0; // printf: nargs and the string's length, not the string
  std::uint8_t pops = 0;
  std::uint8_t pushes = 0;
};

// nullopt: not an opcode.
constexpr std::optional<Shape> shape_of(std::uint8_t opcode) {
  switch (static_cast<Op>(opcode)) {
  case Op::Add:
  case Op::Sub:
  case Op::Mul:
  case Op::DivSigned:
  case Op::DivUnsigned:
  case Op::RemSigned:
  case Op::RemUnsigned:
  case Op::Lsh:
  case Op::RshSigned:
  case Op::RshUnsigned:
  case Op::BitAnd:
  case Op::BitOr:
  case Op::BitXor:
  case Op::Equal:
  case Op::LessSigned:
  case Op::LessUnsigned:
    return Shape{0, 2, 1};
  case Op::LogNot:
  case Op::BitNot:
  case Op::Ref8:
  case Op::Ref16:
  case Op::Ref32:
  case Op::Ref64:
  case Op::RefFloat:
  case Op::RefDouble:
  case Op::RefLongDouble:
  case Op::LToD:
  case Op::DToL:
    return Shape{0, 1, 1};
  case Op::Ext:
  case Op::ZeroExt:
  case Op::TraceQuick:
    return Shape{1, 1, 1};
  case Op::Trace16:
  case Op::Setv:
    return Shape{2, 1, 1};
  case Op::Trace:
  case Op::Tracenz:
    return Shape{0, 2, 0};
  case Op::Const8:
  case Op::Pick:
    return Shape{1, 0, 1};
  case Op::Const16:
  case Op::Reg:
  case Op::Getv:
    return Shape{2, 0, 1};
  case Op::Const32:
    return Shape{4, 0, 1};
  case Op::Const64:
    return Shape{8, 0, 1};
  case Op::IfGoto:
    return Shape{2, 1, 0};
  case Op::Goto:
  case Op::Tracev:
    return Shape{2, 0, 0};
  case Op::Float:
  case Op::End:
    return Shape{0, 0, 0};
  case Op::Dup:
    return Shape{0, 1, 2};
  case Op::Pop:
    return Shape{0, 1, 0};
  case Op::Swap:
    return Shape{0, 2, 2};
  case Op::Rot:
    return Shape{0, 3, 3};
  case Op::Printf:
    return Shape{3, 2, 0};
  }
  return std::nullopt;
}

// Valid bytecode that needs what a stub lacks: floating point or trace state variables.
constexpr bool is_unsupported(Op op) {
  switch (op) {
  case Op::Float:
  case Op::RefFloat:
  case Op::RefDouble:
  case Op::RefLongDouble:
  case Op::LToD:
  case Op::DToL:
  case Op::Getv:
  case Op::Setv:
    return true;
  default:
    return false;
  }
}

} // namespace rsp::agent
