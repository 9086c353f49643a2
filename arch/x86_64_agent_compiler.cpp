#include "arch/x86_64_agent_compiler.hpp"

#include "arch/x86_64_emitter.hpp"
#include "rsp/agent_opcodes.hpp"

#include <utility>

namespace arch::x86_64 {
namespace {

using rsp::agent::Op;
using rsp::agent::Shape;

// What we compile: integer arithmetic, comparisons, ext/zero_ext, ref8-64, constants,
// registers, stack shuffles and jumps. nullopt for the rest (floats, trace*, getv/setv,
// printf, unknown opcodes).
std::optional<Shape> shape_of(std::uint8_t opcode) {
  auto op = static_cast<Op>(opcode);
  if (rsp::agent::is_unsupported(op))
    return std::nullopt;
  switch (op) {
  case Op::Trace:
  case Op::TraceQuick:
  case Op::Tracev:
  case Op::Tracenz:
  case Op::Trace16:
  case Op::Printf:
    return std::nullopt;
  default:
    return rsp::agent::shape_of(opcode);
  }
}

struct Insn {
  std::size_t pos = 0; // offset in the bytecode
  Op op{};
  std::uint64_t operand = 0; // big-endian, as the interpreter reads it
  Shape shape;
};

// Decodes the whole bytecode, reachable or not: anything we would not compile refuses it.
std::optional<std::vector<Insn>> decode(std::span<const std::uint8_t> code,
                                        std::span<const int> register_offsets) {
  std::vector<Insn> insns;
  for (std::size_t pc = 0; pc < code.size();) {
    auto shape = shape_of(code[pc]);
    if (!shape || code.size() - pc - 1 < shape->operand_bytes)
      return std::nullopt;
    Insn insn{pc, static_cast<Op>(code[pc]), 0, *shape};
    for (std::size_t i = 0; i < shape->operand_bytes; ++i)
      insn.operand = insn.operand << 8 | code[pc + 1 + i];
    if (insn.op == Op::Reg &&
        (insn.operand >= register_offsets.size() || register_offsets[insn.operand] < 0))
      return std::nullopt;
    insns.push_back(insn);
    pc += 1 + shape->operand_bytes;
  }
  return insns;
}

bool is_jump(Op op) { return op == Op::Goto || op == Op::IfGoto; }

// The stack depth before each instruction (nullopt: unreachable), found by walking every
// path. Jumps only go forward, so one pass in order sees every edge into an instruction
// before the instruction itself. `targets[i]` is the index a jump at i lands on.
std::optional<std::vector<std::optional<std::size_t>>>
stack_depths(const std::vector<Insn> &insns, const std::vector<std::size_t> &targets) {
  std::vector<std::optional<std::size_t>> depth(insns.size());
  auto reach = [&](std::size_t index, std::size_t d) {
    if (depth[index] && *depth[index] != d)
      return false; // two paths join with different stacks
    depth[index] = d;
    return true;
  };
  if (insns.empty())
    return std::nullopt;
  depth[0] = 0;
  for (std::size_t i = 0; i < insns.size(); ++i) {
    if (!depth[i])
      continue;
    const Insn &insn = insns[i];
    std::size_t needed = insn.op == Op::Pick ? insn.operand + 1 : insn.shape.pops;
    if (*depth[i] < needed)
      return std::nullopt;
    std::size_t after = *depth[i] - insn.shape.pops + insn.shape.pushes;
    if (after > max_compiled_stack_depth)
      return std::nullopt;
    if (insn.op == Op::End)
      continue;
    if (is_jump(insn.op) && !reach(targets[i], after))
      return std::nullopt;
    if (insn.op == Op::Goto)
      continue;
    if (i + 1 == insns.size() || !reach(i + 1, after))
      return std::nullopt; // runs off the end without `end`
  }
  return depth;
}

constexpr std::uint8_t jne8 = 0x75, jmp8 = 0xeb;

// rax = a (pushed first), rcx = b (the top); leaves the result in rax. Scratch: rdx.
void emit_binary(Emitter &e, Op op) {
  switch (op) {
  case Op::Add:
    e.bytes({0x48, 0x01, 0xc8}); // add %rcx,%rax
    return;
  case Op::Sub:
    e.bytes({0x48, 0x29, 0xc8}); // sub %rcx,%rax
    return;
  case Op::Mul:
    e.bytes({0x48, 0x0f, 0xaf, 0xc1}); // imul %rcx,%rax
    return;
  case Op::DivUnsigned:
  case Op::RemUnsigned:
    e.bytes({0x31, 0xd2});       // xor %edx,%edx
    e.bytes({0x48, 0xf7, 0xf1}); // div %rcx (by zero: SIGFPE, for the stub to catch)
    if (op == Op::RemUnsigned)
      e.bytes({0x48, 0x89, 0xd0}); // mov %rdx,%rax
    return;
  case Op::DivSigned:
  case Op::RemSigned: {
    // Dividing by -1 never reaches idiv: INT64_MIN / -1 would trap, the interpreter wraps.
    e.bytes({0x48, 0x83, 0xf9, 0xff}); // cmp $-1,%rcx
    std::size_t to_idiv = e.jump8(jne8);
    if (op == Op::DivSigned)
      e.bytes({0x48, 0xf7, 0xd8}); // neg %rax
    else
      e.bytes({0x31, 0xc0}); // xor %eax,%eax
    std::size_t to_done = e.jump8(jmp8);
    e.bind8(to_idiv);
    e.bytes({0x48, 0x99});       // cqo
    e.bytes({0x48, 0xf7, 0xf9}); // idiv %rcx
    if (op == Op::RemSigned)
      e.bytes({0x48, 0x89, 0xd0}); // mov %rdx,%rax
    e.bind8(to_done);
    return;
  }
  case Op::Lsh:
  case Op::RshUnsigned:
    // The CPU masks the count to 6 bits; a count of 64 or more must give 0.
    if (op == Op::Lsh)
      e.bytes({0x48, 0xd3, 0xe0}); // shl %cl,%rax
    else
      e.bytes({0x48, 0xd3, 0xe8});     // shr %cl,%rax
    e.bytes({0x31, 0xd2});             // xor %edx,%edx
    e.bytes({0x48, 0x83, 0xf9, 0x40}); // cmp $64,%rcx
    e.bytes({0x48, 0x0f, 0x43, 0xc2}); // cmovae %rdx,%rax
    return;
  case Op::RshSigned:
    // A count of 64 or more shifts in sign bits only, as a count of 63 does.
    e.bytes({0xba, 0x3f, 0x00, 0x00, 0x00}); // mov $63,%edx
    e.bytes({0x48, 0x83, 0xf9, 0x3f});       // cmp $63,%rcx
    e.bytes({0x48, 0x0f, 0x47, 0xca});       // cmova %rdx,%rcx
    e.bytes({0x48, 0xd3, 0xf8});             // sar %cl,%rax
    return;
  case Op::BitAnd:
    e.bytes({0x48, 0x21, 0xc8}); // and %rcx,%rax
    return;
  case Op::BitOr:
    e.bytes({0x48, 0x09, 0xc8}); // or %rcx,%rax
    return;
  case Op::BitXor:
    e.bytes({0x48, 0x31, 0xc8}); // xor %rcx,%rax
    return;
  case Op::Equal:
  case Op::LessSigned:
  case Op::LessUnsigned: {
    e.bytes({0x48, 0x39, 0xc8}); // cmp %rcx,%rax
    std::uint8_t setcc = op == Op::Equal ? 0x94 : op == Op::LessSigned ? 0x9c : 0x92;
    e.bytes({0x0f, setcc, 0xc0}); // sete/setl/setb %al
    e.bytes({0x0f, 0xb6, 0xc0});  // movzbl %al,%eax
    return;
  }
  default:
    return; // not a binary opcode; emit_insn never passes one
  }
}

// ext/zero_ext by `bits`: the low bits, widened by shifting them to the top and back.
void emit_extend(Emitter &e, bool is_signed, std::uint64_t bits) {
  if (bits >= 64)
    return; // already 64 bits wide
  if (bits == 0) {
    e.bytes({0x31, 0xc0}); // xor %eax,%eax: no bits left
    return;
  }
  auto shift = static_cast<std::uint8_t>(64 - bits);
  e.bytes({0x48, 0xc1, 0xe0, shift}); // shl $shift,%rax
  e.bytes({0x48, 0xc1, is_signed ? std::uint8_t{0xf8} : std::uint8_t{0xe8}, shift}); // sar/shr
}

// One instruction, entered with the bytecode stack on the machine stack (top at (%rsp)).
// Jumps leave their rel32 fields to the caller: returns the field's offset, if any.
std::optional<std::size_t> emit_insn(Emitter &e, const Insn &insn, std::size_t depth,
                                     std::span<const int> register_offsets) {
  constexpr std::uint8_t push_rax = 0x50, push_rcx = 0x51, push_rdx = 0x52;
  constexpr std::uint8_t pop_rax = 0x58, pop_rcx = 0x59, pop_rdx = 0x5a;
  switch (insn.op) {
  case Op::LogNot:
    e.bytes({pop_rax, 0x48, 0x85, 0xc0});  // test %rax,%rax
    e.bytes({0x0f, 0x94, 0xc0});           // sete %al
    e.bytes({0x0f, 0xb6, 0xc0, push_rax}); // movzbl %al,%eax
    break;
  case Op::BitNot:
    e.bytes({pop_rax, 0x48, 0xf7, 0xd0, push_rax}); // not %rax
    break;
  case Op::Ext:
  case Op::ZeroExt:
    e.bytes({pop_rax});
    emit_extend(e, insn.op == Op::Ext, insn.operand);
    e.bytes({push_rax});
    break;
  case Op::Ref8:
    e.bytes({pop_rax, 0x0f, 0xb6, 0x00, push_rax}); // movzbl (%rax),%eax
    break;
  case Op::Ref16:
    e.bytes({pop_rax, 0x0f, 0xb7, 0x00, push_rax}); // movzwl (%rax),%eax
    break;
  case Op::Ref32:
    e.bytes({pop_rax, 0x8b, 0x00, push_rax}); // mov (%rax),%eax: zero-extends
    break;
  case Op::Ref64:
    e.bytes({pop_rax, 0x48, 0x8b, 0x00, push_rax}); // mov (%rax),%rax
    break;
  case Op::IfGoto:
    e.bytes({pop_rax, 0x48, 0x85, 0xc0}); // test %rax,%rax
    e.bytes({0x0f, 0x85});                // jnz rel32
    e.u32(0);
    return e.code.size() - 4;
  case Op::Goto:
    e.bytes({0xe9}); // jmp rel32
    e.u32(0);
    return e.code.size() - 4;
  case Op::Const8:
  case Op::Const16:
  case Op::Const32:
  case Op::Const64: {
    auto value = static_cast<std::int64_t>(insn.operand);
    if (value >= INT32_MIN && value <= INT32_MAX) {
      e.bytes({0x68}); // push $imm32, sign-extended
      e.u32(static_cast<std::uint32_t>(value));
    } else {
      e.bytes({0x48, 0xb8}); // movabs $imm64,%rax
      e.u64(insn.operand);
      e.bytes({push_rax});
    }
    break;
  }
  case Op::Reg:
    e.bytes({0xff, 0xb7}); // push disp32(%rdi): the register's slot in the block
    e.u32(static_cast<std::uint32_t>(register_offsets[insn.operand]));
    break;
  case Op::End:
    if (depth == 0) {
      e.bytes({0x31, 0xc0}); // xor %eax,%eax: an empty stack gives 0
    } else {
      e.bytes({0x48, 0x8b, 0x04, 0x24}); // mov (%rsp),%rax
      e.bytes({0x48, 0x81, 0xc4});       // add $8*depth,%rsp
      e.u32(static_cast<std::uint32_t>(8 * depth));
    }
    e.bytes({0xc3}); // ret
    break;
  case Op::Dup:
    e.bytes({0x48, 0x8b, 0x04, 0x24, push_rax}); // mov (%rsp),%rax
    break;
  case Op::Pop:
    e.bytes({pop_rax});
    break;
  case Op::Swap: // a b => b a
    e.bytes({pop_rax, pop_rcx, push_rax, push_rcx});
    break;
  case Op::Rot: // a b c => c a b
    e.bytes({pop_rax, pop_rcx, pop_rdx, push_rax, push_rdx, push_rcx});
    break;
  case Op::Pick:
    e.bytes({0x48, 0x8b, 0x84, 0x24}); // mov disp32(%rsp),%rax
    e.u32(static_cast<std::uint32_t>(8 * insn.operand));
    e.bytes({push_rax});
    break;
  default:
    e.bytes({pop_rcx, pop_rax});
    emit_binary(e, insn.op);
    e.bytes({push_rax});
    break;
  }
  return std::nullopt;
}

void put_rel32(std::vector<std::uint8_t> &code, std::size_t field, std::size_t target) {
  auto rel = static_cast<std::uint32_t>(static_cast<std::int64_t>(target) -
                                        static_cast<std::int64_t>(field + 4));
  for (std::size_t i = 0; i < 4; ++i)
    code[field + i] = static_cast<std::uint8_t>(rel >> (8 * i));
}

} // namespace

std::optional<std::vector<std::uint8_t>>
compile_agent_condition(std::span<const std::uint8_t> bytecode,
                        std::span<const int> register_offsets) {
  auto insns = decode(bytecode, register_offsets);
  if (!insns)
    return std::nullopt;

  // Jumps must land forward, on an instruction: no loops, nothing past the end.
  std::vector<std::size_t> index_at(bytecode.size(), insns->size());
  for (std::size_t i = 0; i < insns->size(); ++i)
    index_at[(*insns)[i].pos] = i;
  std::vector<std::size_t> targets(insns->size());
  for (std::size_t i = 0; i < insns->size(); ++i) {
    const Insn &insn = (*insns)[i];
    if (!is_jump(insn.op))
      continue;
    if (insn.operand <= insn.pos || insn.operand >= bytecode.size() ||
        index_at[insn.operand] == insns->size())
      return std::nullopt;
    targets[i] = index_at[insn.operand];
  }

  auto depths = stack_depths(*insns, targets);
  if (!depths)
    return std::nullopt;

  Emitter e;
  std::vector<std::size_t> label(insns->size());
  std::vector<std::pair<std::size_t, std::size_t>> fixups; // rel32 field, target index
  for (std::size_t i = 0; i < insns->size(); ++i) {
    label[i] = e.code.size();
    if (!(*depths)[i])
      continue; // unreachable: nothing falls or jumps into it
    if (auto field = emit_insn(e, (*insns)[i], *(*depths)[i], register_offsets))
      fixups.emplace_back(*field, targets[i]);
  }
  for (auto [field, target] : fixups)
    put_rel32(e.code, field, label[target]);
  return std::move(e.code);
}

} // namespace arch::x86_64
