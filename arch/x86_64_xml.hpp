#pragma once
// Our x86-64 target description: "target.xml" and the feature files it includes.
#include <optional>
#include <string_view>

namespace arch {

std::optional<std::string_view> x86_64_feature_file(std::string_view annex);

} // namespace arch
