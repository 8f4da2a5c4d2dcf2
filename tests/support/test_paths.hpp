/// @file
/// Where the tests find their fixtures, the layer catalogue and a scratch folder.
#pragma once

#include <filesystem>
#include <string>

namespace vigil::test {

/// tests/data in the source tree.
std::filesystem::path data_dir();
/// layers/ in the source tree (the real catalogue).
std::filesystem::path layers_dir();
/// The source tree's root.
std::filesystem::path source_dir();
/// The build tree's root (where the vigil program is).
std::filesystem::path binary_dir();
/// A fresh, empty folder for one test, under the build tree; `name` keeps it recognisable.
std::filesystem::path scratch_dir(const std::string& name);

} // namespace vigil::test
