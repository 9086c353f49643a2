#include "arch/x86_64_xsave.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace arch {

XsaveLayout XsaveLayout::intel(std::uint64_t xcr0) {
  constexpr std::uint32_t offsets[XsaveComponentCount] = {0,    160,  576,  960, 1024,
                                                          1088, 1152, 1664, 0,   2688};
  constexpr std::uint32_t sizes[XsaveComponentCount] = {160, 256, 256, 64, 64, 64, 512, 1024, 0, 8};
  XsaveLayout layout;
  layout.xcr0 = xcr0;
  if (xcr0 == 0)
    return layout;
  layout.max_size = xsave_header_offset + xsave_header_size;
  for (int i = 2; i < XsaveComponentCount; ++i) {
    if (!layout.enabled(i) || sizes[i] == 0)
      continue;
    layout.offset[static_cast<std::size_t>(i)] = offsets[i];
    if (offsets[i] + sizes[i] > layout.max_size)
      layout.max_size = offsets[i] + sizes[i];
  }
  return layout;
}

XsaveLayout host_xsave_layout() {
  XsaveLayout layout;
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE))
    return layout; // XGETBV would fault: no XSAVE for us
  if (__get_cpuid_max(0, nullptr) < 0xd)
    return layout;
  unsigned xcr0_lo = 0, xcr0_hi = 0;
  __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
  layout.xcr0 = (static_cast<std::uint64_t>(xcr0_hi) << 32) | xcr0_lo;
  __cpuid_count(0xd, 0, eax, ebx, ecx, edx);
  layout.max_size = ecx; // every component the CPU supports, enabled or not
  for (int i = 2; i < XsaveComponentCount; ++i) {
    if (!layout.enabled(i))
      continue;
    __cpuid_count(0xd, i, eax, ebx, ecx, edx);
    layout.offset[static_cast<std::size_t>(i)] = ebx; // EAX: its size; ECX bit 0: supervisor
  }
#endif
  return layout;
}

} // namespace arch
