// x86-64 instruction lengths from the opcode maps of the Intel SDM, volume 2, appendix A.
#include "arch/x86_64_insn.hpp"

#include <algorithm>
#include <cstddef>

namespace arch::x86_64 {
namespace {

constexpr std::size_t max_length = 15; // longer is #GP, whatever the bytes

// What follows the opcode (and ModRM/SIB/displacement, when present).
enum class Imm : std::uint8_t {
  None,
  Byte,
  Word,
  WordByte, // enter
  Z,        // 16 bits with 66, else 32 (REX.W keeps 32)
  V,        // mov r, imm: 64 bits with REX.W, else as Z
  Moffs,    // 64-bit absolute address, 32 bits with 67
  Rel8,
  Rel32, // 66 without REX.W: rel16 on AMD, rel32 on Intel; refused
};

struct Opcode {
  bool valid = true;
  bool modrm = false;
  Imm imm = Imm::None;
  Flow flow = Flow::Sequential;
};

constexpr Opcode invalid{.valid = false};
constexpr Opcode plain{};
constexpr Opcode with_modrm{.modrm = true};

constexpr bool in(std::uint8_t op, std::uint8_t first, std::uint8_t last) {
  return op >= first && op <= last;
}

// The one-byte map. Prefixes, 0F, VEX (C4 C5) and EVEX (62) never get here.
constexpr Opcode one_byte(std::uint8_t op) {
  if (op < 0x40) {
    // Eb,Gb Ev,Gv Gb,Eb Gv,Ev AL,Ib eAX,Iz; columns 6 and 7 are prefixes or invalid here.
    switch (op & 7) {
    case 4:
      return {.imm = Imm::Byte};
    case 5:
      return {.imm = Imm::Z};
    case 6:
    case 7:
      return invalid;
    default:
      return with_modrm;
    }
  }
  if (in(op, 0x50, 0x5f) || in(op, 0x6c, 0x6f) || in(op, 0x90, 0x99) || in(op, 0x9b, 0x9f) ||
      in(op, 0xa4, 0xa7) || in(op, 0xaa, 0xaf) || in(op, 0xec, 0xef) || in(op, 0xf8, 0xfd))
    return plain;
  if (in(op, 0x84, 0x8f) || in(op, 0xd0, 0xd3) || in(op, 0xd8, 0xdf)) // 8F: /0 only, see below
    return with_modrm;
  if (in(op, 0x70, 0x7f) || in(op, 0xe0, 0xe3)) // jcc, loop*, jrcxz
    return {.imm = Imm::Rel8, .flow = Flow::ConditionalJump};
  if (in(op, 0xa0, 0xa3))
    return {.imm = Imm::Moffs};
  if (in(op, 0xb0, 0xb7))
    return {.imm = Imm::Byte};
  if (in(op, 0xb8, 0xbf))
    return {.imm = Imm::V};
  if (in(op, 0xe4, 0xe7))
    return {.imm = Imm::Byte};
  switch (op) {
  case 0x63:
  case 0xf6: // test's imm8 depends on ModRM.reg, added after it is read
  case 0xf7:
  case 0xfe:
  case 0xff:
    return with_modrm;
  case 0x68:
  case 0xa9:
    return {.imm = Imm::Z};
  case 0x69:
  case 0x81:
  case 0xc7:
    return {.modrm = true, .imm = Imm::Z};
  case 0x6a:
  case 0xa8:
    return {.imm = Imm::Byte};
  case 0x6b:
  case 0x80:
  case 0x83:
  case 0xc0:
  case 0xc1:
  case 0xc6:
    return {.modrm = true, .imm = Imm::Byte};
  case 0xc2:
  case 0xca:
    return {.imm = Imm::Word, .flow = Flow::Return};
  case 0xc3:
  case 0xcb:
  case 0xcf:
    return {.flow = Flow::Return};
  case 0xc8:
    return {.imm = Imm::WordByte};
  case 0xc9:
  case 0xd7:
  case 0xf5:
    return plain;
  case 0xcc:
  case 0xf4:
    return {.flow = Flow::Trap};
  case 0xcd:
    return {.imm = Imm::Byte, .flow = Flow::SystemCall};
  case 0xf1:
    return {.flow = Flow::SystemCall};
  case 0xe8:
    return {.imm = Imm::Rel32, .flow = Flow::Call};
  case 0xe9:
    return {.imm = Imm::Rel32, .flow = Flow::Jump};
  case 0xeb:
    return {.imm = Imm::Rel8, .flow = Flow::Jump};
  default: // 60 61 82 9A CE D4 D5 D6 EA: gone in 64-bit mode
    return invalid;
  }
}

// The legacy 0F map (0F 38 and 0F 3A are handled by the caller).
constexpr Opcode two_byte(std::uint8_t op) {
  if (in(op, 0x80, 0x8f))
    return {.imm = Imm::Rel32, .flow = Flow::ConditionalJump};
  if (in(op, 0xc8, 0xcf) || in(op, 0x30, 0x33)) // bswap; wrmsr rdtsc rdmsr rdpmc
    return plain;
  if (in(op, 0x70, 0x73))
    return {.modrm = true, .imm = Imm::Byte};
  if (in(op, 0x24, 0x27) || in(op, 0x3b, 0x3f))
    return invalid;
  switch (op) {
  case 0x04:
  case 0x0a:
  case 0x0c:
  case 0x0f: // 3DNow!
  case 0x36:
  case 0x39:
  case 0x7a:
  case 0x7b:
  case 0xa6:
  case 0xa7:
    return invalid;
  case 0x05: // syscall
  case 0x34: // sysenter
    return {.flow = Flow::SystemCall};
  case 0x07: // sysret
  case 0x0b: // ud2
  case 0x35: // sysexit
  case 0xaa: // rsm
    return {.flow = Flow::Trap};
  case 0xb9: // ud1
  case 0xff: // ud0
    return {.modrm = true, .flow = Flow::Trap};
  case 0x06:
  case 0x08:
  case 0x09:
  case 0x0e:
  case 0x37:
  case 0x77:
  case 0xa0:
  case 0xa1:
  case 0xa2:
  case 0xa8:
  case 0xa9:
    return plain;
  case 0xa4:
  case 0xac:
  case 0xba:
  case 0xc2:
  case 0xc4:
  case 0xc5:
  case 0xc6:
    return {.modrm = true, .imm = Imm::Byte};
  default:
    return with_modrm;
  }
}

// VEX and EVEX maps: 1 = 0F, 2 = 0F38, 3 = 0F3A, 5 and 6 = EVEX only (AVX512-FP16).
constexpr Opcode vector_op(unsigned map, std::uint8_t op, bool evex) {
  switch (map) {
  case 1:
    if (op == 0x77 && !evex) // vzeroupper, vzeroall
      return plain;
    if (in(op, 0x70, 0x73) || op == 0xc2 || in(op, 0xc4, 0xc6))
      return {.modrm = true, .imm = Imm::Byte};
    return with_modrm;
  case 2:
    return with_modrm;
  case 3:
    return {.modrm = true, .imm = Imm::Byte};
  case 5:
  case 6:
    return evex ? with_modrm : invalid;
  default:
    return invalid;
  }
}

struct Prefixes {
  bool operand_size = false; // 66
  bool address_size = false; // 67
  bool lock_or_rep = false;  // F0 F2 F3
  std::uint8_t rep = 0;      // the last of F2/F3: a mandatory prefix for some 0F opcodes
  std::uint8_t rex = 0;      // only when right before the opcode, as the CPU takes it
  bool any_rex = false;
  std::uint8_t segment = 0; // the last of 64/65 (fs/gs); other segments are flat here
};

bool is_legacy_prefix(std::uint8_t b) {
  switch (b) {
  case 0x26:
  case 0x2e:
  case 0x36:
  case 0x3e:
  case 0x64:
  case 0x65:
  case 0x66:
  case 0x67:
  case 0xf0:
  case 0xf2:
  case 0xf3:
    return true;
  default:
    return false;
  }
}

class Reader {
public:
  explicit Reader(std::span<const std::uint8_t> code)
      : code_(code.first(std::min(code.size(), max_length))) {}

  std::optional<std::uint8_t> byte() {
    if (pos_ >= code_.size())
      return std::nullopt;
    return code_[pos_++];
  }
  bool skip(std::size_t n) {
    if (code_.size() - pos_ < n)
      return false;
    pos_ += n;
    return true;
  }
  // A little-endian signed field of 1, 2 or 4 bytes.
  std::optional<std::int64_t> signed_field(std::size_t n) {
    if (code_.size() - pos_ < n)
      return std::nullopt;
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
      v |= std::uint32_t{code_[pos_ + i]} << (8 * i);
    pos_ += n;
    unsigned shift = 32 - 8 * static_cast<unsigned>(n);
    return static_cast<std::int32_t>(v << shift) >> shift;
  }
  std::size_t pos() const { return pos_; }

private:
  std::span<const std::uint8_t> code_;
  std::size_t pos_ = 0;
};

// Skips the SIB byte and displacement that `modrm` announces. Returns the offset of a
// RIP-relative disp32, -1 for other operands, nullopt when the code ends first.
// Reads the memory operand after ModRM into `out` (registers without REX extension);
// returns the offset of a RIP-relative disp32, -1 for anything else, nullopt if cut short.
std::optional<int> skip_memory_operand(Reader &r, std::uint8_t modrm, MemoryOperand &out) {
  unsigned mod = modrm >> 6, rm = modrm & 7;
  if (mod == 3)
    return -1;
  std::size_t disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
  int rip = -1;
  out.base = static_cast<int>(rm);
  if (rm == 4) {
    auto sib = r.byte();
    if (!sib)
      return std::nullopt;
    out.scale = static_cast<std::uint8_t>(1u << (*sib >> 6));
    out.index = static_cast<int>((*sib >> 3) & 7);
    out.base = static_cast<int>(*sib & 7);
    if (mod == 0 && (*sib & 7) == 5) { // no base: disp32
      disp = 4;
      out.base = -1;
    }
  } else if (mod == 0 && rm == 5) { // RIP-relative whatever REX.B says
    disp = 4;
    rip = static_cast<int>(r.pos());
    out.base = -1;
    out.rip_relative = true;
  }
  if (disp != 0) {
    auto value = r.signed_field(disp);
    if (!value)
      return std::nullopt;
    out.displacement = *value;
  }
  return rip;
}

// One-byte-map groups whose immediate, flow or validity depend on ModRM.
Opcode refine_group(std::uint8_t op, std::uint8_t modrm, Opcode o) {
  unsigned reg = (modrm >> 3) & 7;
  bool memory = (modrm >> 6) != 3;
  switch (op) {
  case 0x8f: // reg != 0 is AMD's XOP prefix
    return reg == 0 ? o : invalid;
  case 0xc6:
    if (modrm == 0xf8) // xabort: to the fallback of a transaction, if one is running
      return {.modrm = true, .imm = Imm::Byte, .flow = Flow::IndirectJump};
    return reg == 0 ? o : invalid;
  case 0xc7:
    if (modrm == 0xf8) // xbegin: on abort, to its rel32
      return {.modrm = true, .imm = Imm::Rel32, .flow = Flow::ConditionalJump};
    return reg == 0 ? o : invalid;
  case 0xf6:
    return reg <= 1 ? Opcode{.modrm = true, .imm = Imm::Byte} : o;
  case 0xf7:
    return reg <= 1 ? Opcode{.modrm = true, .imm = Imm::Z} : o;
  case 0xfe:
    return reg <= 1 ? o : invalid;
  case 0xff:
    switch (reg) {
    case 2:
      return {.modrm = true, .flow = Flow::IndirectCall};
    case 3: // far: a memory operand only
      return memory ? Opcode{.modrm = true, .flow = Flow::IndirectCall} : invalid;
    case 4:
      return {.modrm = true, .flow = Flow::IndirectJump};
    case 5:
      return memory ? Opcode{.modrm = true, .flow = Flow::IndirectJump} : invalid;
    case 7:
      return invalid;
    default:
      return o;
    }
  default:
    return o;
  }
}

std::size_t immediate_bytes(Imm imm, const Prefixes &p) {
  bool rex_w = (p.rex & 0x08) != 0;
  switch (imm) {
  case Imm::None:
    return 0;
  case Imm::Byte:
  case Imm::Rel8:
    return 1;
  case Imm::Word:
    return 2;
  case Imm::WordByte:
    return 3;
  case Imm::Z:
    return p.operand_size && !rex_w ? 2 : 4;
  case Imm::V:
    return rex_w ? 8 : p.operand_size ? 2 : 4;
  case Imm::Moffs:
    return p.address_size ? 4 : 8;
  case Imm::Rel32:
    return 4;
  }
  return 0;
}

// Where the opcode lives: the map and the opcode byte, after any VEX/EVEX prefix.
struct Located {
  enum Kind { Legacy, Vex, Evex } kind = Legacy;
  unsigned map = 0; // 0 = one-byte, 1 = 0F, 2 = 0F38, 3 = 0F3A, 5/6 EVEX
  std::uint8_t op = 0;
};

// Reads VEX (C4/C5) or EVEX (62) payload bytes and the opcode after them.
std::optional<Located> read_vector_prefix(Reader &r, std::uint8_t first) {
  Located l;
  if (first == 0xc5) {
    if (!r.byte())
      return std::nullopt;
    l = {Located::Vex, 1, 0};
  } else if (first == 0xc4) {
    auto p0 = r.byte();
    if (!p0 || !r.byte())
      return std::nullopt;
    l = {Located::Vex, *p0 & 0x1fu, 0};
  } else {
    auto p0 = r.byte(), p1 = p0 ? r.byte() : std::nullopt;
    if (!p1 || !r.byte())
      return std::nullopt;
    // Bit 3 of P0 is zero and bit 2 of P1 is one in AVX-512's EVEX; otherwise it is APX's.
    if ((*p0 & 0x08) != 0 || (*p1 & 0x04) == 0)
      return std::nullopt;
    l = {Located::Evex, *p0 & 0x07u, 0};
  }
  auto op = r.byte();
  if (!op)
    return std::nullopt;
  l.op = *op;
  return l;
}

bool is_relative(Imm imm) { return imm == Imm::Rel8 || imm == Imm::Rel32; }

// Stores without a memory operand: push, pushf, call, enter, movs/stos/ins (and the
// system-call instructions, whose effects we cannot see).
bool implicit_store(const Located &at, std::uint8_t modrm_reg) {
  if (at.kind != Located::Legacy)
    return false;
  if (at.map == 1)
    return at.op == 0x05 || at.op == 0x34; // syscall, sysenter
  std::uint8_t op = at.op;
  if (in(op, 0x50, 0x57) || op == 0x68 || op == 0x6a || op == 0x9c || op == 0xe8 || op == 0xc8 ||
      in(op, 0xa4, 0xa5) || in(op, 0xaa, 0xab) || in(op, 0x6c, 0x6d) || op == 0xcd || op == 0xf1)
    return true;
  return op == 0xff && (modrm_reg == 2 || modrm_reg == 3 || modrm_reg == 6); // call, push
}

// A memory operand only read (or not accessed: lea). What is not listed may write it.
bool memory_operand_only_read(const Located &at, std::uint8_t modrm_reg) {
  if (at.kind != Located::Legacy)
    return false;
  std::uint8_t op = at.op;
  if (at.map == 0) {
    if (op < 0x40) // ALU r, r/m (columns 2, 3), and cmp either way (38-3B)
      return (op & 7) == 2 || (op & 7) == 3 || in(op, 0x38, 0x3b);
    switch (op) {
    case 0x63: // movsxd
    case 0x69: // imul r, r/m, imm
    case 0x6b:
    case 0x84: // test
    case 0x85:
    case 0x8a: // mov r, r/m
    case 0x8b:
    case 0x8d: // lea
      return true;
    case 0x80: // cmp r/m, imm
    case 0x81:
    case 0x83:
      return modrm_reg == 7;
    case 0xf6: // test r/m, imm
    case 0xf7:
      return modrm_reg <= 1;
    case 0xff: // jmp r/m (call and push store)
      return modrm_reg == 4 || modrm_reg == 5;
    default:
      return false;
    }
  }
  if (at.map == 1) {
    if (in(op, 0x40, 0x4f) || in(op, 0x51, 0x5f) || in(op, 0x60, 0x6f) || in(op, 0x74, 0x76) ||
        in(op, 0x18, 0x1f)) // cmovcc, SSE arithmetic into xmm, loads, pcmpeq, hints/nop
      return true;
    switch (op) {
    case 0x10: // movups/movss/movsd/movupd loads (0x11 stores)
    case 0x12: // movlps/movhps loads (0x13, 0x17 store)
    case 0x16:
    case 0x28: // movaps load (0x29 stores)
    case 0x2a: // cvt*, (u)comis* (0x2b is movntps)
    case 0x2c:
    case 0x2d:
    case 0x2e:
    case 0x2f:
    case 0xa3: // bt
    case 0xaf: // imul
    case 0xb6: // movzx, movsx
    case 0xb7:
    case 0xbe:
    case 0xbf:
    case 0xdb: // pand, pandn, por, pxor
    case 0xdf:
    case 0xeb:
    case 0xef:
      return true;
    case 0xba: // bt r/m, imm (bts/btr/btc write)
      return modrm_reg == 4;
    default:
      return false;
    }
  }
  return false;
}

} // namespace

std::optional<Instruction> decode(std::span<const std::uint8_t> code) {
  Reader r{code};
  Prefixes p;
  std::optional<std::uint8_t> b;
  for (b = r.byte(); b; b = r.byte()) {
    if ((*b & 0xf0) == 0x40) {
      p.rex = *b;
      p.any_rex = true;
      continue;
    }
    if (!is_legacy_prefix(*b))
      break;
    p.rex = 0; // a REX followed by another prefix is ignored
    if (*b == 0x64 || *b == 0x65)
      p.segment = *b;
    else if (*b == 0x2e || *b == 0x36 || *b == 0x3e || *b == 0x26)
      p.segment = 0; // ignored in 64-bit mode; only the last segment prefix counts
    if (*b == 0x66)
      p.operand_size = true;
    else if (*b == 0x67)
      p.address_size = true;
    else if (*b == 0xf0 || *b == 0xf2 || *b == 0xf3) {
      p.lock_or_rep = true;
      if (*b != 0xf0)
        p.rep = *b;
    }
  }
  if (!b)
    return std::nullopt;

  Located at{Located::Legacy, 0, *b};
  Opcode o;
  if (*b == 0xc4 || *b == 0xc5 || *b == 0x62) {
    if (p.operand_size || p.lock_or_rep || p.any_rex) // #UD before VEX/EVEX
      return std::nullopt;
    auto l = read_vector_prefix(r, *b);
    if (!l)
      return std::nullopt;
    at = *l;
    o = vector_op(at.map, at.op, at.kind == Located::Evex);
  } else if (*b == 0x0f) {
    auto op = r.byte();
    if (!op)
      return std::nullopt;
    if (*op == 0x38 || *op == 0x3a) {
      auto op3 = r.byte();
      if (!op3)
        return std::nullopt;
      at = {Located::Legacy, *op == 0x38 ? 2u : 3u, *op3};
      o = {.modrm = true, .imm = *op == 0x3a ? Imm::Byte : Imm::None};
    } else {
      at = {Located::Legacy, 1, *op};
      o = two_byte(*op);
    }
  } else {
    o = one_byte(*b);
  }
  if (!o.valid)
    return std::nullopt;

  Instruction insn;
  bool memory_operand = false;
  std::uint8_t modrm_reg = 0;
  if (o.modrm) {
    auto modrm = r.byte();
    if (!modrm)
      return std::nullopt;
    modrm_reg = static_cast<std::uint8_t>((*modrm >> 3) & 7);
    if (at.kind == Located::Legacy && at.map == 0)
      o = refine_group(at.op, *modrm, o);
    if (!o.valid)
      return std::nullopt;
    // mov to/from control and debug registers ignores mod: always register operands.
    bool register_only = at.kind == Located::Legacy && at.map == 1 && in(at.op, 0x20, 0x23);
    memory_operand = !register_only && (*modrm >> 6) != 3;
    if (!register_only) {
      MemoryOperand operand;
      auto rip = skip_memory_operand(r, *modrm, operand);
      if (!rip)
        return std::nullopt;
      insn.rip_disp_offset = static_cast<std::int8_t>(*rip);
      // Not for the state saves (fxsave, xsave*, fnsave, fnstenv...) that store hundreds
      // of bytes: a memory operand promises at most 64 (an AVX-512 store).
      bool big_store = (at.map == 0 && in(at.op, 0xd8, 0xdf)) ||
                       (at.map == 1 && (at.op == 0x01 || at.op == 0xae || at.op == 0xc7));
      if (memory_operand && at.kind == Located::Legacy && !p.address_size && !big_store) {
        // REX.B extends the base, REX.X the index (index 4 without REX.X: none).
        if (operand.base >= 0)
          operand.base |= (p.rex & 0x01) ? 8 : 0;
        if (operand.index >= 0)
          operand.index |= (p.rex & 0x02) ? 8 : 0;
        if (operand.index == 4)
          operand.index = -1;
        operand.segment = p.segment;
        insn.memory = operand;
      }
    }
  }

  std::size_t imm = immediate_bytes(o.imm, p);
  // SSE4a extrq/insertq with their two imm8 (66 0F 78 /0 ib ib, F2 0F 78 /r ib ib).
  if (at.kind == Located::Legacy && at.map == 1 && at.op == 0x78 &&
      (p.operand_size || p.rep == 0xf2))
    imm = 2;
  if (is_relative(o.imm)) {
    // 66 without REX.W: rel16 and IP truncated to 16 bits on AMD, ignored on Intel.
    if (p.operand_size && (p.rex & 0x08) == 0)
      return std::nullopt;
    auto rel = r.signed_field(imm);
    if (!rel)
      return std::nullopt;
    insn.displacement = *rel;
  } else if (!r.skip(imm)) {
    return std::nullopt;
  }

  insn.length = static_cast<std::uint8_t>(r.pos());
  insn.flow = o.flow;
  insn.immediate_size = static_cast<std::int8_t>(imm);
  insn.address_size_32 = p.address_size;
  bool moffs_store = at.kind == Located::Legacy && at.map == 0 && in(at.op, 0xa2, 0xa3);
  insn.implicit_store = implicit_store(at, modrm_reg) || moffs_store;
  insn.may_write_memory =
      insn.implicit_store || (memory_operand && !memory_operand_only_read(at, modrm_reg));
  return insn;
}

std::optional<std::vector<std::uint8_t>> relocate(std::span<const std::uint8_t> code,
                                                  std::uint64_t from, std::uint64_t to) {
  auto insn = decode(code);
  if (!insn || insn->flow != Flow::Sequential)
    return std::nullopt;
  std::vector<std::uint8_t> out(code.begin(), code.begin() + insn->length);
  if (insn->rip_disp_offset < 0)
    return out;
  if (insn->address_size_32) // EIP-relative: the sum is truncated to 32 bits
    return std::nullopt;
  auto at = static_cast<std::size_t>(insn->rip_disp_offset);
  std::uint32_t old_disp = 0;
  for (std::size_t i = 0; i < 4; ++i)
    old_disp |= std::uint32_t{out[at + i]} << (8 * i);
  // The CPU adds modulo 2^64; so do we, then ask whether the new distance fits a disp32.
  auto sign_extended =
      static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(old_disp)));
  std::uint64_t target = from + insn->length + sign_extended;
  std::uint64_t new_disp = target - (to + insn->length);
  if (new_disp + 0x8000'0000ull > 0xffff'ffffull)
    return std::nullopt;
  for (std::size_t i = 0; i < 4; ++i)
    out[at + i] = static_cast<std::uint8_t>(new_disp >> (8 * i));
  return out;
}

} // namespace arch::x86_64
