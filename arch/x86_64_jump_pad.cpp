#include "arch/x86_64_jump_pad.hpp"

#include "arch/x86_64_emitter.hpp"
#include "arch/x86_64_insn.hpp"

#include <cstring>

namespace arch::x86_64 {
namespace {

// The block, lowest address first: the pad pushes eflags first and r15 last.
enum Slot {
  R15,
  R14,
  R13,
  R12,
  R11,
  R10,
  R9,
  R8,
  Rbp,
  Rdi,
  Rsi,
  Rdx,
  Rcx,
  Rbx,
  Rip,
  Rsp,
  Rax,
  Eflags
};
static_assert(Eflags + 1 == pad_block_size / 8);

// user_regs_struct field index of each slot.
constexpr int user_regs_index[] = {0 /*r15*/,  1 /*r14*/,  2 /*r13*/,  3 /*r12*/, 6 /*r11*/,
                                   7 /*r10*/,  8 /*r9*/,   9 /*r8*/,   4 /*rbp*/, 14 /*rdi*/,
                                   13 /*rsi*/, 12 /*rdx*/, 11 /*rcx*/, 5 /*rbx*/, 16 /*rip*/,
                                   19 /*rsp*/, 10 /*rax*/, 18 /*eflags*/};

constexpr int slot_of_gdb_regnum[] = {Rax, Rbx, Rcx, Rdx, Rsi, Rdi, Rbp, Rsp, R8,
                                      R9,  R10, R11, R12, R13, R14, R15, Rip, Eflags};

void emit_save(Emitter &e, std::uint64_t site) {
  e.bytes({0x48, 0x8d, 0x64, 0x24, 0x80});                   // lea -0x80(%rsp),%rsp: red zone
  e.bytes({0x9c});                                           // pushfq
  e.bytes({0x50});                                           // push %rax
  e.bytes({0x48, 0x8d, 0x84, 0x24, 0x90, 0x00, 0x00, 0x00}); // lea 0x90(%rsp),%rax: the rsp
  e.bytes({0x50});                                           // of the site
  e.bytes({0x48, 0xb8});                                     // movabs $site,%rax
  e.u64(site);
  e.bytes({0x50});                               // push %rax
  e.bytes({0x53, 0x51, 0x52, 0x56, 0x57, 0x55}); // push rbx rcx rdx rsi rdi rbp
  for (std::uint8_t r = 0x50; r <= 0x57; ++r)    // push r8 ... r15
    e.bytes({0x41, r});
  e.bytes({0x48, 0x89, 0xe3}); // mov %rsp,%rbx: the block, kept by the conditions
}

void emit_restore(Emitter &e) {
  for (std::uint8_t r = 0x5f; r >= 0x58; --r) // pop r15 ... r8
    e.bytes({0x41, r});
  e.bytes({0x5d, 0x5f, 0x5e, 0x5a, 0x59, 0x5b});             // pop rbp rdi rsi rdx rcx rbx
  e.bytes({0x48, 0x8d, 0x64, 0x24, 0x10});                   // lea 0x10(%rsp),%rsp: rip, rsp
  e.bytes({0x58});                                           // pop %rax
  e.bytes({0x9d});                                           // popfq
  e.bytes({0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, 0x00}); // lea 0x80(%rsp),%rsp
}

} // namespace

std::span<const int> pad_register_offsets() {
  static const auto offsets = [] {
    std::array<int, std::size(slot_of_gdb_regnum)> o{};
    for (std::size_t i = 0; i < o.size(); ++i)
      o[i] = slot_of_gdb_regnum[i] * 8;
    return o;
  }();
  return offsets;
}

std::optional<JumpPad> build_jump_pad(std::uint64_t pad_addr, std::uint64_t site,
                                      std::span<const std::uint8_t> instruction,
                                      std::span<const std::vector<std::uint8_t>> conditions) {
  auto decoded = decode(instruction);
  if (!decoded || decoded->length != instruction.size() || instruction.size() < jump_size ||
      decoded->flow != Flow::Sequential || conditions.empty())
    return std::nullopt;
  Emitter e;
  emit_save(e, site);
  std::vector<std::size_t> calls, to_true;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    e.bytes({0x48, 0x89, 0xdf}); // mov %rbx,%rdi
    e.bytes({0xe8});             // call condition i
    calls.push_back(e.rel32_placeholder());
    e.bytes({0x48, 0x85, 0xc0}); // test %rax,%rax
    e.bytes({0x0f, 0x85});       // jnz true
    to_true.push_back(e.rel32_placeholder());
  }
  emit_restore(e); // every condition false: run the instruction
  e.bytes({0xe9});
  std::size_t to_copy = e.rel32_placeholder();
  std::size_t true_path = e.code.size();
  emit_restore(e);
  JumpPad pad;
  pad.trap = e.code.size();
  e.bytes({0xcc});
  pad.copy = e.code.size();
  auto relocated = relocate(instruction, site, pad_addr + pad.copy);
  if (!relocated)
    return std::nullopt;
  e.code.insert(e.code.end(), relocated->begin(), relocated->end());
  e.bytes({0xe9}); // jmp back, past the site's instruction
  std::size_t back = e.rel32_placeholder();
  auto back_rel = static_cast<std::int64_t>(site + instruction.size()) -
                  static_cast<std::int64_t>(pad_addr + back + 4);
  if (!e.put_rel32(back, back_rel))
    return std::nullopt;
  pad.conditions = e.code.size();
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    e.patch_rel32(calls[i], e.code.size());
    e.patch_rel32(to_true[i], true_path);
    e.code.insert(e.code.end(), conditions[i].begin(), conditions[i].end());
  }
  e.patch_rel32(to_copy, pad.copy);
  pad.code = std::move(e.code);
  return pad;
}

std::optional<std::array<std::uint8_t, jump_size>> jump(std::uint64_t from, std::uint64_t to) {
  auto rel = static_cast<std::int64_t>(to) - static_cast<std::int64_t>(from + jump_size);
  if (rel < INT32_MIN || rel > INT32_MAX)
    return std::nullopt;
  auto v = static_cast<std::uint32_t>(static_cast<std::int32_t>(rel));
  return std::array<std::uint8_t, jump_size>{
      0xe9, static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
      static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)};
}

void registers_from_block(std::span<const std::uint8_t> block, std::span<std::uint8_t> gpr) {
  for (std::size_t slot = 0; slot < std::size(user_regs_index); ++slot) {
    auto index = static_cast<std::size_t>(user_regs_index[slot]);
    if (slot * 8 + 8 <= block.size() && index * 8 + 8 <= gpr.size())
      std::memcpy(gpr.data() + index * 8, block.data() + slot * 8, 8);
  }
}

} // namespace arch::x86_64
