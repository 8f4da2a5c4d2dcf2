/// @file
/// Internal to the demo generator: the emergency-resource census (应急管理资源普查) part of the
/// Jiaozuo demo — medical facilities, shelters, experts, plans and equipment (demo_census.cpp).
#pragma once

#include "demo_generator.hpp"

#include <filesystem>
#include <vector>

namespace vigil::demo {

/// Writes the census registers into `out_dir` and returns them in import order (after the
/// sources in `written`, whose enterprises, rescue teams and warehouses they are built on: the
/// equipment is held by those teams and warehouses, the enterprises own plans and employ
/// experts). `data_dir` holds the real reference data (county boundaries and seats, towns).
/// Deterministic, like the rest of the demo. Throws vigil::IoError / FormatError when the
/// reference data or the written sources cannot be read.
std::vector<DemoSource> write_census_sources(const std::filesystem::path& out_dir, const std::filesystem::path& data_dir,
                                             const std::vector<DemoSource>& written);

} // namespace vigil::demo
