#include "arch/arch.hpp"

namespace arch {

std::size_t ArchInfo::g_size() const {
  std::size_t total = 0;
  for (const RegisterInfo &reg : registers)
    total += static_cast<std::size_t>(reg.bitsize) / 8;
  return total;
}

std::optional<std::string_view> ArchInfo::feature_file(std::string_view annex) const {
  if (annex == "target.xml")
    return std::string_view(target_xml);
  for (const auto &[file, text] : features)
    if (file == annex)
      return text;
  return std::nullopt;
}

} // namespace arch
