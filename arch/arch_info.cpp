#include "arch/arch.hpp"

namespace arch {

std::size_t ArchInfo::g_size() const {
  std::size_t total = 0;
  for (const RegisterInfo &reg : registers)
    total += static_cast<std::size_t>(reg.bitsize) / 8;
  return total;
}

} // namespace arch
