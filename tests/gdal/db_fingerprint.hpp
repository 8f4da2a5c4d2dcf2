/// @file
/// A fingerprint of everything a project database stores, to prove that a refused import left
/// it exactly as it was. The provenance log (vigil_imports) is left out on purpose: a refused
/// attempt is recorded there.
#pragma once

#include <filesystem>
#include <string>

namespace vigil::test {

/// Every table's rows (ordered by rowid) and the schema, except vigil_imports and its
/// AUTOINCREMENT counter, hashed into one string.
std::string db_fingerprint(const std::filesystem::path& db);

} // namespace vigil::test
