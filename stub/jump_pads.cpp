#include "stub/jump_pads.hpp"

#include "arch/x86_64_agent_compiler.hpp"
#include "arch/x86_64_jump_pad.hpp"
#include "stub/log.hpp"

namespace stub {
namespace {

constexpr std::size_t area_size = 64 * 1024;
// A rel32 reaches ±2 GiB; stay well inside so the pad's own length never matters.
constexpr std::int64_t reach = (std::int64_t{1} << 31) - 2 * std::int64_t{area_size};

bool within_reach(std::uint64_t a, std::uint64_t b) {
  auto d = static_cast<std::int64_t>(a - b);
  return d > -reach && d < reach;
}

// A byte string (std::string: GCC 12 warns falsely about comparing vector<uint8_t> keys).
std::string reuse_key(std::uint64_t site, std::span<const std::uint8_t> instruction,
                      const std::vector<std::vector<std::uint8_t>> &bytecode) {
  std::string key;
  auto byte = [&key](std::uint64_t b) { key.push_back(static_cast<char>(b & 0xff)); };
  for (int i = 0; i < 8; ++i)
    byte(site >> (8 * i));
  byte(instruction.size());
  for (auto b : instruction)
    byte(b);
  for (const auto &code : bytecode) {
    byte(code.size());
    byte(code.size() >> 8);
    for (auto b : code)
      byte(b);
  }
  return key;
}

} // namespace

std::optional<PadInfo> JumpPads::pad_for(std::uint64_t site,
                                         std::span<const std::uint8_t> instruction,
                                         const std::vector<std::vector<std::uint8_t>> &bytecode,
                                         ProcessMemory &memory, const MapMemory &map) {
  auto key = reuse_key(site, instruction, bytecode);
  if (auto it = reuse_.find(key); it != reuse_.end())
    return pads_.at(it->second);
  std::vector<std::vector<std::uint8_t>> compiled;
  for (const auto &code : bytecode) {
    auto c = arch::x86_64::compile_agent_condition(code, arch::x86_64::pad_register_offsets());
    if (!c)
      return std::nullopt; // the stub evaluates it at an int3 instead
    compiled.push_back(std::move(*c));
  }
  // The pad's length does not depend on where it goes: build once to learn it.
  auto sized = arch::x86_64::build_jump_pad(site, site, instruction, compiled);
  if (!sized)
    return std::nullopt;
  auto where = allocate(sized->code.size(), site, map);
  if (!where)
    return std::nullopt;
  auto pad = arch::x86_64::build_jump_pad(*where, site, instruction, compiled);
  if (!pad || !memory.write(*where, pad->code))
    return std::nullopt;
  PadInfo info{site,
               *where,
               *where + pad->trap,
               *where + pad->copy,
               *where + pad->conditions,
               *where + pad->code.size(),
               instruction.size()};
  pads_[info.start] = info;
  reuse_[key] = info.start;
  STUB_LOG(Event, "breakpoint {:#x}: jump pad at {:#x} ({} bytes, {} condition(s))", site,
           info.start, pad->code.size(), compiled.size());
  return info;
}

const PadInfo *JumpPads::containing(std::uint64_t pc) const {
  auto it = pads_.upper_bound(pc);
  if (it == pads_.begin())
    return nullptr;
  --it;
  return pc < it->second.end ? &it->second : nullptr;
}

std::optional<std::uint64_t> JumpPads::allocate(std::size_t size, std::uint64_t near,
                                                const MapMemory &map) {
  size = (size + 15) & ~std::size_t{15};
  for (auto &area : areas_)
    if (area.size - area.used >= size && within_reach(area.base, near)) {
      std::uint64_t at = area.base + area.used;
      area.used += size;
      return at;
    }
  if (size > area_size)
    return std::nullopt;
  auto base = map(near, area_size);
  if (!base || !within_reach(*base, near))
    return std::nullopt;
  areas_.push_back(Area{*base, area_size, size});
  return *base;
}

} // namespace stub
