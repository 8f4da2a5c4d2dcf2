/// @file
/// SHA-256 of a file, for import provenance. @attention links OpenSSL (vigil_native_store).
#pragma once

#include <filesystem>
#include <string>

namespace vigil::native {

/// Lower-case hex SHA-256 of the file's bytes. Throws vigil::IoError if it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

} // namespace vigil::native
