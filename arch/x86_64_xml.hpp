#pragma once
// Our x86-64 target descriptions: the feature files of each variant and the "target.xml" that
// includes them, in gdb's register order.
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arch/x86_64_xsave.hpp"

namespace arch {

// The feature files (annex, text) of the variant `layout` enables, in include order.
std::vector<std::pair<std::string_view, std::string_view>>
x86_64_features(const XsaveLayout &layout);

// target.xml including `features` in order.
std::string
x86_64_target_xml(std::span<const std::pair<std::string_view, std::string_view>> features);

} // namespace arch
