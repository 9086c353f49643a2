#include "arch/x86_64_xml.hpp"

#include <array>
#include <utility>

namespace arch {
namespace {

// Register order here is gdb's register numbering and must match x86_64_regs.cpp; each
// feature whose first number is the same in every variant starts with an explicit regnum so a
// reordering shows up in the unit test (pkeys follows whatever vector registers there are).
// Feature and register names are what gdb's amd64 code looks up; type ids are what users
// see in `ptype $xmm0` / `info registers eflags`.

// General registers, selectors and the x87 stack and control registers.
constexpr std::string_view core_xml = R"(<?xml version="1.0"?>
<!DOCTYPE feature SYSTEM "gdb-target.dtd">
<feature name="org.gnu.gdb.i386.core">
  <!-- RFLAGS bits; bit 1 is reserved (always set) and shown unnamed. -->
  <flags id="i386_eflags" size="4">
    <field name="CF" start="0" end="0"/>
    <field name="" start="1" end="1"/>
    <field name="PF" start="2" end="2"/>
    <field name="AF" start="4" end="4"/>
    <field name="ZF" start="6" end="6"/>
    <field name="SF" start="7" end="7"/>
    <field name="TF" start="8" end="8"/>
    <field name="IF" start="9" end="9"/>
    <field name="DF" start="10" end="10"/>
    <field name="OF" start="11" end="11"/>
    <field name="NT" start="14" end="14"/>
    <field name="RF" start="16" end="16"/>
    <field name="VM" start="17" end="17"/>
    <field name="AC" start="18" end="18"/>
    <field name="VIF" start="19" end="19"/>
    <field name="VIP" start="20" end="20"/>
    <field name="ID" start="21" end="21"/>
  </flags>

  <reg name="rax" bitsize="64" type="int64" regnum="0"/>
  <reg name="rbx" bitsize="64" type="int64"/>
  <reg name="rcx" bitsize="64" type="int64"/>
  <reg name="rdx" bitsize="64" type="int64"/>
  <reg name="rsi" bitsize="64" type="int64"/>
  <reg name="rdi" bitsize="64" type="int64"/>
  <reg name="rbp" bitsize="64" type="data_ptr"/>
  <reg name="rsp" bitsize="64" type="data_ptr"/>
  <reg name="r8" bitsize="64" type="int64"/>
  <reg name="r9" bitsize="64" type="int64"/>
  <reg name="r10" bitsize="64" type="int64"/>
  <reg name="r11" bitsize="64" type="int64"/>
  <reg name="r12" bitsize="64" type="int64"/>
  <reg name="r13" bitsize="64" type="int64"/>
  <reg name="r14" bitsize="64" type="int64"/>
  <reg name="r15" bitsize="64" type="int64"/>
  <reg name="rip" bitsize="64" type="code_ptr"/>
  <reg name="eflags" bitsize="32" type="i386_eflags"/>

  <reg name="cs" bitsize="32" type="int32"/>
  <reg name="ss" bitsize="32" type="int32"/>
  <reg name="ds" bitsize="32" type="int32"/>
  <reg name="es" bitsize="32" type="int32"/>
  <reg name="fs" bitsize="32" type="int32"/>
  <reg name="gs" bitsize="32" type="int32"/>

  <reg name="st0" bitsize="80" type="i387_ext"/>
  <reg name="st1" bitsize="80" type="i387_ext"/>
  <reg name="st2" bitsize="80" type="i387_ext"/>
  <reg name="st3" bitsize="80" type="i387_ext"/>
  <reg name="st4" bitsize="80" type="i387_ext"/>
  <reg name="st5" bitsize="80" type="i387_ext"/>
  <reg name="st6" bitsize="80" type="i387_ext"/>
  <reg name="st7" bitsize="80" type="i387_ext"/>

  <reg name="fctrl" bitsize="32" type="int" group="float"/>
  <reg name="fstat" bitsize="32" type="int" group="float"/>
  <reg name="ftag" bitsize="32" type="int" group="float"/>
  <reg name="fiseg" bitsize="32" type="int" group="float"/>
  <reg name="fioff" bitsize="32" type="int" group="float"/>
  <reg name="foseg" bitsize="32" type="int" group="float"/>
  <reg name="fooff" bitsize="32" type="int" group="float"/>
  <reg name="fop" bitsize="32" type="int" group="float"/>
</feature>
)";

// The sixteen XMM registers and MXCSR.
constexpr std::string_view sse_xml = R"(<?xml version="1.0"?>
<!DOCTYPE feature SYSTEM "gdb-target.dtd">
<feature name="org.gnu.gdb.i386.sse">
  <vector id="v8bf16" type="bfloat16" count="8"/>
  <vector id="v8h" type="ieee_half" count="8"/>
  <vector id="v4f" type="ieee_single" count="4"/>
  <vector id="v2d" type="ieee_double" count="2"/>
  <vector id="v16i8" type="int8" count="16"/>
  <vector id="v8i16" type="int16" count="8"/>
  <vector id="v4i32" type="int32" count="4"/>
  <vector id="v2i64" type="int64" count="2"/>
  <union id="vec128">
    <field name="v8_bfloat16" type="v8bf16"/>
    <field name="v8_half" type="v8h"/>
    <field name="v4_float" type="v4f"/>
    <field name="v2_double" type="v2d"/>
    <field name="v16_int8" type="v16i8"/>
    <field name="v8_int16" type="v8i16"/>
    <field name="v4_int32" type="v4i32"/>
    <field name="v2_int64" type="v2i64"/>
    <field name="uint128" type="uint128"/>
  </union>

  <!-- MXCSR: exception flags, denormals-are-zero, exception masks, flush-to-zero. -->
  <flags id="i386_mxcsr" size="4">
    <field name="IE" start="0" end="0"/>
    <field name="DE" start="1" end="1"/>
    <field name="ZE" start="2" end="2"/>
    <field name="OE" start="3" end="3"/>
    <field name="UE" start="4" end="4"/>
    <field name="PE" start="5" end="5"/>
    <field name="DAZ" start="6" end="6"/>
    <field name="IM" start="7" end="7"/>
    <field name="DM" start="8" end="8"/>
    <field name="ZM" start="9" end="9"/>
    <field name="OM" start="10" end="10"/>
    <field name="UM" start="11" end="11"/>
    <field name="PM" start="12" end="12"/>
    <field name="FZ" start="15" end="15"/>
  </flags>

  <reg name="xmm0" bitsize="128" type="vec128" regnum="40"/>
  <reg name="xmm1" bitsize="128" type="vec128"/>
  <reg name="xmm2" bitsize="128" type="vec128"/>
  <reg name="xmm3" bitsize="128" type="vec128"/>
  <reg name="xmm4" bitsize="128" type="vec128"/>
  <reg name="xmm5" bitsize="128" type="vec128"/>
  <reg name="xmm6" bitsize="128" type="vec128"/>
  <reg name="xmm7" bitsize="128" type="vec128"/>
  <reg name="xmm8" bitsize="128" type="vec128"/>
  <reg name="xmm9" bitsize="128" type="vec128"/>
  <reg name="xmm10" bitsize="128" type="vec128"/>
  <reg name="xmm11" bitsize="128" type="vec128"/>
  <reg name="xmm12" bitsize="128" type="vec128"/>
  <reg name="xmm13" bitsize="128" type="vec128"/>
  <reg name="xmm14" bitsize="128" type="vec128"/>
  <reg name="xmm15" bitsize="128" type="vec128"/>

  <reg name="mxcsr" bitsize="32" type="i386_mxcsr" group="vector"/>
</feature>
)";

// Linux's syscall-number register: gdb needs it to restart interrupted system calls.
constexpr std::string_view linux_xml = R"(<?xml version="1.0"?>
<!DOCTYPE feature SYSTEM "gdb-target.dtd">
<feature name="org.gnu.gdb.i386.linux">
  <reg name="orig_rax" bitsize="64" type="int" regnum="57"/>
</feature>
)";

// The FS/GS segment bases (TLS pointers).
constexpr std::string_view segments_xml = R"(<?xml version="1.0"?>
<!DOCTYPE feature SYSTEM "gdb-target.dtd">
<feature name="org.gnu.gdb.i386.segments">
  <reg name="fs_base" bitsize="64" type="int" regnum="58"/>
  <reg name="gs_base" bitsize="64" type="int"/>
</feature>
)";

// Upper halves of ymm0..ymm15; gdb builds $ymmN from xmmN and ymmNh.
constexpr std::string_view avx_xml = R"(<?xml version="1.0"?>
<!DOCTYPE feature SYSTEM "gdb-target.dtd">
<feature name="org.gnu.gdb.i386.avx">
  <reg name="ymm0h" bitsize="128" type="uint128" regnum="60"/>
  <reg name="ymm1h" bitsize="128" type="uint128"/>
  <reg name="ymm2h" bitsize="128" type="uint128"/>
  <reg name="ymm3h" bitsize="128" type="uint128"/>
  <reg name="ymm4h" bitsize="128" type="uint128"/>
  <reg name="ymm5h" bitsize="128" type="uint128"/>
  <reg name="ymm6h" bitsize="128" type="uint128"/>
  <reg name="ymm7h" bitsize="128" type="uint128"/>
  <reg name="ymm8h" bitsize="128" type="uint128"/>
  <reg name="ymm9h" bitsize="128" type="uint128"/>
  <reg name="ymm10h" bitsize="128" type="uint128"/>
  <reg name="ymm11h" bitsize="128" type="uint128"/>
  <reg name="ymm12h" bitsize="128" type="uint128"/>
  <reg name="ymm13h" bitsize="128" type="uint128"/>
  <reg name="ymm14h" bitsize="128" type="uint128"/>
  <reg name="ymm15h" bitsize="128" type="uint128"/>
</feature>
)";

// AVX-512: xmm16..31 and the upper parts of ymm16..31, the opmask registers, and the upper
// 256 bits of every zmm; gdb builds $zmmN from xmmN, ymmNh and zmmNh. Types belong to their
// feature, so vec128 is defined here again.
constexpr std::string_view avx512_xml = R"(<?xml version="1.0"?>
<!DOCTYPE feature SYSTEM "gdb-target.dtd">
<feature name="org.gnu.gdb.i386.avx512">
  <vector id="v8bf16" type="bfloat16" count="8"/>
  <vector id="v8h" type="ieee_half" count="8"/>
  <vector id="v4f" type="ieee_single" count="4"/>
  <vector id="v2d" type="ieee_double" count="2"/>
  <vector id="v16i8" type="int8" count="16"/>
  <vector id="v8i16" type="int16" count="8"/>
  <vector id="v4i32" type="int32" count="4"/>
  <vector id="v2i64" type="int64" count="2"/>
  <union id="vec128">
    <field name="v8_bfloat16" type="v8bf16"/>
    <field name="v8_half" type="v8h"/>
    <field name="v4_float" type="v4f"/>
    <field name="v2_double" type="v2d"/>
    <field name="v16_int8" type="v16i8"/>
    <field name="v8_int16" type="v8i16"/>
    <field name="v4_int32" type="v4i32"/>
    <field name="v2_int64" type="v2i64"/>
    <field name="uint128" type="uint128"/>
  </union>
  <vector id="v2ui128" type="uint128" count="2"/>

  <reg name="xmm16" bitsize="128" type="vec128" regnum="76"/>
  <reg name="xmm17" bitsize="128" type="vec128"/>
  <reg name="xmm18" bitsize="128" type="vec128"/>
  <reg name="xmm19" bitsize="128" type="vec128"/>
  <reg name="xmm20" bitsize="128" type="vec128"/>
  <reg name="xmm21" bitsize="128" type="vec128"/>
  <reg name="xmm22" bitsize="128" type="vec128"/>
  <reg name="xmm23" bitsize="128" type="vec128"/>
  <reg name="xmm24" bitsize="128" type="vec128"/>
  <reg name="xmm25" bitsize="128" type="vec128"/>
  <reg name="xmm26" bitsize="128" type="vec128"/>
  <reg name="xmm27" bitsize="128" type="vec128"/>
  <reg name="xmm28" bitsize="128" type="vec128"/>
  <reg name="xmm29" bitsize="128" type="vec128"/>
  <reg name="xmm30" bitsize="128" type="vec128"/>
  <reg name="xmm31" bitsize="128" type="vec128"/>
  <reg name="ymm16h" bitsize="128" type="uint128"/>
  <reg name="ymm17h" bitsize="128" type="uint128"/>
  <reg name="ymm18h" bitsize="128" type="uint128"/>
  <reg name="ymm19h" bitsize="128" type="uint128"/>
  <reg name="ymm20h" bitsize="128" type="uint128"/>
  <reg name="ymm21h" bitsize="128" type="uint128"/>
  <reg name="ymm22h" bitsize="128" type="uint128"/>
  <reg name="ymm23h" bitsize="128" type="uint128"/>
  <reg name="ymm24h" bitsize="128" type="uint128"/>
  <reg name="ymm25h" bitsize="128" type="uint128"/>
  <reg name="ymm26h" bitsize="128" type="uint128"/>
  <reg name="ymm27h" bitsize="128" type="uint128"/>
  <reg name="ymm28h" bitsize="128" type="uint128"/>
  <reg name="ymm29h" bitsize="128" type="uint128"/>
  <reg name="ymm30h" bitsize="128" type="uint128"/>
  <reg name="ymm31h" bitsize="128" type="uint128"/>
  <reg name="k0" bitsize="64" type="uint64"/>
  <reg name="k1" bitsize="64" type="uint64"/>
  <reg name="k2" bitsize="64" type="uint64"/>
  <reg name="k3" bitsize="64" type="uint64"/>
  <reg name="k4" bitsize="64" type="uint64"/>
  <reg name="k5" bitsize="64" type="uint64"/>
  <reg name="k6" bitsize="64" type="uint64"/>
  <reg name="k7" bitsize="64" type="uint64"/>
  <reg name="zmm0h" bitsize="256" type="v2ui128"/>
  <reg name="zmm1h" bitsize="256" type="v2ui128"/>
  <reg name="zmm2h" bitsize="256" type="v2ui128"/>
  <reg name="zmm3h" bitsize="256" type="v2ui128"/>
  <reg name="zmm4h" bitsize="256" type="v2ui128"/>
  <reg name="zmm5h" bitsize="256" type="v2ui128"/>
  <reg name="zmm6h" bitsize="256" type="v2ui128"/>
  <reg name="zmm7h" bitsize="256" type="v2ui128"/>
  <reg name="zmm8h" bitsize="256" type="v2ui128"/>
  <reg name="zmm9h" bitsize="256" type="v2ui128"/>
  <reg name="zmm10h" bitsize="256" type="v2ui128"/>
  <reg name="zmm11h" bitsize="256" type="v2ui128"/>
  <reg name="zmm12h" bitsize="256" type="v2ui128"/>
  <reg name="zmm13h" bitsize="256" type="v2ui128"/>
  <reg name="zmm14h" bitsize="256" type="v2ui128"/>
  <reg name="zmm15h" bitsize="256" type="v2ui128"/>
  <reg name="zmm16h" bitsize="256" type="v2ui128"/>
  <reg name="zmm17h" bitsize="256" type="v2ui128"/>
  <reg name="zmm18h" bitsize="256" type="v2ui128"/>
  <reg name="zmm19h" bitsize="256" type="v2ui128"/>
  <reg name="zmm20h" bitsize="256" type="v2ui128"/>
  <reg name="zmm21h" bitsize="256" type="v2ui128"/>
  <reg name="zmm22h" bitsize="256" type="v2ui128"/>
  <reg name="zmm23h" bitsize="256" type="v2ui128"/>
  <reg name="zmm24h" bitsize="256" type="v2ui128"/>
  <reg name="zmm25h" bitsize="256" type="v2ui128"/>
  <reg name="zmm26h" bitsize="256" type="v2ui128"/>
  <reg name="zmm27h" bitsize="256" type="v2ui128"/>
  <reg name="zmm28h" bitsize="256" type="v2ui128"/>
  <reg name="zmm29h" bitsize="256" type="v2ui128"/>
  <reg name="zmm30h" bitsize="256" type="v2ui128"/>
  <reg name="zmm31h" bitsize="256" type="v2ui128"/>
</feature>
)";

// Memory protection keys: the PKRU register. Its number follows the variant's vector registers.
constexpr std::string_view pkeys_xml = R"(<?xml version="1.0"?>
<!DOCTYPE feature SYSTEM "gdb-target.dtd">
<feature name="org.gnu.gdb.i386.pkeys">
  <reg name="pkru" bitsize="32" type="uint32"/>
</feature>
)";

} // namespace

std::vector<std::pair<std::string_view, std::string_view>>
x86_64_features(const XsaveLayout &layout) {
  std::vector<std::pair<std::string_view, std::string_view>> files = {
      {"64bit-core.xml", core_xml},
      {"64bit-sse.xml", sse_xml},
      {"64bit-linux.xml", linux_xml},
      {"64bit-segments.xml", segments_xml},
  };
  if (layout.has_avx())
    files.emplace_back("64bit-avx.xml", avx_xml);
  if (layout.has_avx512())
    files.emplace_back("64bit-avx512.xml", avx512_xml);
  if (layout.has_pkru())
    files.emplace_back("64bit-pkeys.xml", pkeys_xml);
  return files;
}

std::string
x86_64_target_xml(std::span<const std::pair<std::string_view, std::string_view>> features) {
  std::string xml = R"(<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target>
  <architecture>i386:x86-64</architecture>
  <osabi>GNU/Linux</osabi>
)";
  for (const auto &feature : features) {
    xml += "  <xi:include href=\"";
    xml += feature.first;
    xml += "\"/>\n";
  }
  xml += "</target>\n";
  return xml;
}

} // namespace arch
