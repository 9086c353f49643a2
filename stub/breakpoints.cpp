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
  return insert(addr, original);
}

Result<void> SoftwareBreakpoints::insert(std::uint64_t addr,
                                         std::span<const std::uint8_t> known_original) {
  if (inserted_at(addr))
    return {};
  if (known_original.size() < instruction_.size())
    return insert(addr);
  std::vector<std::uint8_t> original(known_original.begin(),
                                     known_original.begin() +
                                         static_cast<std::ptrdiff_t>(instruction_.size()));
  Site site{std::move(original), instruction_};
  ever_[addr] = site;
  if (!lifted_) // else memory keeps the original until restore()
    if (auto w = memory_.write(addr, instruction_); !w)
      return w;
  sites_.emplace(addr, std::move(site));
  STUB_LOG(Event, "breakpoint inserted at {:#x}", addr);
  return {};
}

Result<void> SoftwareBreakpoints::remove(std::uint64_t addr) {
  auto it = sites_.find(addr);
  if (it == sites_.end())
    return {};
  auto w = lifted_ ? Result<void>{} : memory_.write(addr, it->second.original);
  sites_.erase(it);
  STUB_LOG(Event, "breakpoint removed at {:#x}", addr);
  return w;
}

bool SoftwareBreakpoints::traps_at(std::uint64_t addr) const {
  auto it = sites_.find(addr);
  return it != sites_.end() && it->second.patch == instruction_;
}

Result<void> SoftwareBreakpoints::repatch(std::uint64_t addr, std::span<const std::uint8_t> patch) {
  auto it = sites_.find(addr);
  if (it == sites_.end())
    return rsp::fail(std::errc::invalid_argument);
  std::vector<std::uint8_t> wanted =
      patch.empty() ? instruction_ : std::vector<std::uint8_t>(patch.begin(), patch.end());
  if (wanted.size() > max_patch)
    return rsp::fail(std::errc::invalid_argument);
  Site &site = it->second;
  std::size_t old_size = site.original.size();
  std::vector<std::uint8_t> original = site.original;
  if (wanted.size() > old_size) {
    // The bytes beyond the old patch are the program's own, unless another site is there.
    auto next = std::next(it);
    if (next != sites_.end() && next->first < addr + wanted.size())
      return rsp::fail(std::errc::device_or_resource_busy);
    original.resize(wanted.size());
    auto tail = std::span(original).subspan(old_size);
    auto n = memory_.read(addr + old_size, tail);
    if (!n || *n != tail.size())
      return rsp::fail(std::errc::io_error);
  }
  if (!lifted_) {
    // Memory gets the new patch, and the program's bytes back wherever the old one was longer.
    std::vector<std::uint8_t> bytes = wanted;
    for (std::size_t i = wanted.size(); i < old_size; ++i)
      bytes.push_back(original[i]);
    if (auto w = memory_.write(addr, bytes); !w)
      return w;
  }
  original.resize(wanted.size());
  site = Site{std::move(original), std::move(wanted)};
  ever_[addr] = site;
  return {};
}

void SoftwareBreakpoints::remove_all() {
  if (!lifted_)
    for (auto &[addr, site] : sites_)
      (void)memory_.write(addr, site.original);
  sites_.clear();
  lifted_ = false;
}

void SoftwareBreakpoints::restore_originals_in(ProcessMemory &child) const {
  std::vector<std::uint8_t> now;
  for (const auto &[addr, site] : ever_) {
    now.resize(site.patch.size());
    auto n = child.read(addr, now);
    if (n && *n == now.size() && now == site.patch)
      (void)child.write(addr, site.original);
  }
}

void SoftwareBreakpoints::lift() {
  if (lifted_)
    return;
  for (auto &[addr, site] : sites_)
    (void)memory_.write(addr, site.original);
  lifted_ = true;
  STUB_LOG(Event, "breakpoints lifted ({}) while a vfork child runs", sites_.size());
}

void SoftwareBreakpoints::restore() {
  if (!lifted_)
    return;
  lifted_ = false;
  for (auto &[addr, site] : sites_)
    (void)memory_.write(addr, site.patch);
  STUB_LOG(Event, "breakpoints restored ({})", sites_.size());
}

Result<void> SoftwareBreakpoints::lift_one(std::uint64_t addr) {
  auto it = sites_.find(addr);
  if (it == sites_.end() || lifted_)
    return rsp::fail(std::errc::invalid_argument);
  return memory_.write(addr, it->second.original);
}

Result<void> SoftwareBreakpoints::restore_one(std::uint64_t addr) {
  auto it = sites_.find(addr);
  if (it == sites_.end() || lifted_)
    return rsp::fail(std::errc::invalid_argument);
  return memory_.write(addr, it->second.patch);
}

Result<std::size_t> SoftwareBreakpoints::read(std::uint64_t addr, std::span<std::uint8_t> out) {
  auto n = memory_.read(addr, out);
  if (!n)
    return n;
  std::uint64_t end = addr + *n;
  // Overlay the original bytes of every site inside [addr, end).
  for (auto it = first_covering(addr); it != sites_.end() && it->first < end; ++it)
    for (std::size_t i = 0; i < it->second.original.size(); ++i) {
      std::uint64_t a = it->first + i;
      if (a >= addr && a < end)
        out[a - addr] = it->second.original[i];
    }
  return n;
}

Result<void> SoftwareBreakpoints::write(std::uint64_t addr, std::span<const std::uint8_t> in) {
  std::uint64_t end = addr + in.size();
  auto first = first_covering(addr);
  auto covered = [&](const auto &it) { return it != sites_.end() && it->first < end; };
  if (!covered(first))
    return memory_.write(addr, in);
  // The new bytes become the shadow of every site they cover; memory keeps the patches
  // (all of memory gets them while the sites are lifted).
  std::vector<std::uint8_t> patched(in.begin(), in.end());
  for (auto it = first; covered(it); ++it) {
    Site &site = it->second;
    for (std::size_t i = 0; i < site.original.size(); ++i) {
      std::uint64_t a = it->first + i;
      if (a >= addr && a < end) {
        site.original[i] = in[a - addr];
        if (!lifted_)
          patched[a - addr] = site.patch[i];
      }
    }
    ever_[it->first] = site;
  }
  return memory_.write(addr, patched);
}

} // namespace stub
