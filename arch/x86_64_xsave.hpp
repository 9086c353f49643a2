#pragma once
// The XSAVE area in the standard (non-compacted) format that ptrace's NT_X86_XSTATE uses:
// the 512-byte legacy FXSAVE region, a 64-byte header at 512 whose first 8 bytes are
// XSTATE_BV (which components are not in their init state), then each enabled component at
// the offset CPUID leaf 0xD gives for it. The kernel also stores XCR0 (the components the OS
// enabled) in the legacy region's software-reserved bytes 464..471.
#include <array>
#include <cstddef>
#include <cstdint>

namespace arch {

// XSAVE state components (bit numbers in XCR0 and XSTATE_BV) that gdb shows.
enum XsaveComponent : int {
  XsaveX87 = 0,
  XsaveSse = 1,
  XsaveAvx = 2,      // upper halves of ymm0..15
  XsaveOpmask = 5,   // k0..k7
  XsaveZmmHi256 = 6, // upper halves of zmm0..15
  XsaveHi16Zmm = 7,  // zmm16..31 whole
  XsavePkru = 9,
  XsaveComponentCount = 10,
};

constexpr std::size_t xsave_legacy_size = 512;
constexpr std::size_t xsave_xcr0_offset = 464; // in the legacy region's software-reserved bytes
constexpr std::size_t xsave_header_offset = 512;
constexpr std::size_t xsave_header_size = 64;
constexpr std::uint64_t xsave_avx512_mask =
    (1u << XsaveOpmask) | (1u << XsaveZmmHi256) | (1u << XsaveHi16Zmm);

// What the CPU and OS make of XSAVE on one machine.
struct XsaveLayout {
  std::uint64_t xcr0 = 0;   // 0: no XSAVE (OSXSAVE clear); the block is the FXSAVE area
  std::size_t max_size = 0; // bytes of the standard-format area for everything the CPU supports
  std::array<std::uint32_t, XsaveComponentCount> offset{}; // of each component (2 and up)

  bool enabled(int component) const { return (xcr0 >> component) & 1; }
  bool has_avx() const { return enabled(XsaveSse) && enabled(XsaveAvx); }
  bool has_avx512() const { return has_avx() && (xcr0 & xsave_avx512_mask) == xsave_avx512_mask; }
  bool has_pkru() const { return enabled(XsavePkru); }

  // The layout Intel CPUs use for `xcr0` (the offsets of the MPX components included).
  static XsaveLayout intel(std::uint64_t xcr0);
};

// This machine's layout, from CPUID leaf 1 (OSXSAVE), XGETBV and CPUID leaf 0xD. Instructions,
// not system calls.
XsaveLayout host_xsave_layout();

} // namespace arch
