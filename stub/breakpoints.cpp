#include "stub/breakpoints.hpp"

#include "stub/log.hpp"

#include <algorithm>

namespace stub {

Result<void> SoftwareBreakpoints::insert(std::uint64_t addr) {
  if (inserted_at(addr))
    return {};
  std::vector<std::uint8_t> original(instruction_.size());
  auto n = memory_.read(addr, original);
  if (!n)
    return rsp::fail(n.error());
  if (*n != original.size())
    return rsp::fail(std::errc::io_error);
  ever_[addr] = original;
  if (lifted_) { // memory keeps the original until restore()
    sites_.emplace(addr, std::move(original));
    return {};
  }
  if (auto w = memory_.write(addr, instruction_); !w)
    return w;
  sites_.emplace(addr, std::move(original));
  STUB_LOG(Event, "breakpoint inserted at {:#x}", addr);
  return {};
}

Result<void> SoftwareBreakpoints::remove(std::uint64_t addr) {
  auto it = sites_.find(addr);
  if (it == sites_.end())
    return {};
  auto w = lifted_ ? Result<void>{} : memory_.write(addr, it->second);
  sites_.erase(it);
  STUB_LOG(Event, "breakpoint removed at {:#x}", addr);
  return w;
}

void SoftwareBreakpoints::remove_all() {
  if (!lifted_)
    for (auto &[addr, original] : sites_)
      (void)memory_.write(addr, original);
  sites_.clear();
  lifted_ = false;
}

void SoftwareBreakpoints::restore_originals_in(ProcessMemory &child) const {
  std::vector<std::uint8_t> now(instruction_.size());
  for (const auto &[addr, original] : ever_) {
    auto n = child.read(addr, now);
    if (n && *n == now.size() && now == instruction_)
      (void)child.write(addr, original);
  }
}

void SoftwareBreakpoints::lift() {
  if (lifted_)
    return;
  for (auto &[addr, original] : sites_)
    (void)memory_.write(addr, original);
  lifted_ = true;
  STUB_LOG(Event, "breakpoints lifted ({}) while a vfork child runs", sites_.size());
}

void SoftwareBreakpoints::restore() {
  if (!lifted_)
    return;
  lifted_ = false;
  for (auto &[addr, original] : sites_)
    (void)memory_.write(addr, instruction_);
  STUB_LOG(Event, "breakpoints restored ({})", sites_.size());
}

Result<void> SoftwareBreakpoints::lift_one(std::uint64_t addr) {
  auto it = sites_.find(addr);
  if (it == sites_.end() || lifted_)
    return rsp::fail(std::errc::invalid_argument);
  return memory_.write(addr, it->second);
}

Result<void> SoftwareBreakpoints::restore_one(std::uint64_t addr) {
  if (sites_.count(addr) == 0 || lifted_)
    return rsp::fail(std::errc::invalid_argument);
  return memory_.write(addr, instruction_);
}

Result<std::size_t> SoftwareBreakpoints::read(std::uint64_t addr, std::span<std::uint8_t> out) {
  auto n = memory_.read(addr, out);
  if (!n)
    return n;
  std::uint64_t end = addr + *n;
  // Overlay the original bytes of every breakpoint inside [addr, end).
  auto it = sites_.lower_bound(addr >= instruction_.size() ? addr - instruction_.size() + 1 : 0);
  for (; it != sites_.end() && it->first < end; ++it)
    for (std::size_t i = 0; i < it->second.size(); ++i) {
      std::uint64_t a = it->first + i;
      if (a >= addr && a < end)
        out[a - addr] = it->second[i];
    }
  return n;
}

Result<void> SoftwareBreakpoints::write(std::uint64_t addr, std::span<const std::uint8_t> in) {
  std::uint64_t end = addr + in.size();
  auto first = sites_.lower_bound(addr >= instruction_.size() ? addr - instruction_.size() + 1 : 0);
  if (first == sites_.end() || first->first >= end)
    return memory_.write(addr, in);
  if (lifted_) { // the new bytes go to memory and become the shadow
    for (auto it = first; it != sites_.end() && it->first < end; ++it)
      for (std::size_t i = 0; i < it->second.size(); ++i)
        if (std::uint64_t a = it->first + i; a >= addr && a < end)
          it->second[i] = in[a - addr];
    for (auto it = first; it != sites_.end() && it->first < end; ++it)
      ever_[it->first] = it->second;
    return memory_.write(addr, in);
  }
  // The write covers a breakpoint: the new bytes become its shadow; memory keeps the trap.
  std::vector<std::uint8_t> patched(in.begin(), in.end());
  for (auto it = first; it != sites_.end() && it->first < end; ++it)
    for (std::size_t i = 0; i < it->second.size(); ++i) {
      std::uint64_t a = it->first + i;
      if (a >= addr && a < end) {
        it->second[i] = in[a - addr];
        patched[a - addr] = instruction_[i];
      }
      ever_[it->first] = it->second;
    }
  return memory_.write(addr, patched);
}

} // namespace stub
