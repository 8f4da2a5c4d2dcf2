/// @file
/// The Jiaozuo (焦作) demo dataset: real district boundaries, rivers and county seats from
/// layers/demo/data (see SOURCES.md there), and generated records marked synthetic —
/// enterprises, hazard sources with inventories, rescue teams and warehouses with stock — placed
/// inside their counties, plus the entities the bureau's own reports name.
///
/// The generator only writes source files, the way a bureau would receive them (a CSV register
/// with Chinese headers, GeoJSON from a web platform, AMap coordinates in GCJ-02); `vigil demo`
/// then imports them through the normal import path. Output is deterministic: the same bytes on
/// every machine (own PRNG, fixed formatting).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace vigil::demo {

/// One file to import, in order.
struct DemoSource {
    std::string layer;          ///< catalogue kind
    std::filesystem::path file; ///< written by write_demo_sources
    std::string crs;            ///< --crs to import it with ("" = as the file says)
    std::string encoding;       ///< --encoding ("" = UTF-8)
    std::string description;    ///< one line for the console
};

/// The folder with the real reference data (boundaries, rivers, places).
std::filesystem::path default_data_dir();

/// Writes the demo's source files into `out_dir` (created if needed) from the reference data in
/// `data_dir`, and returns them in import order. Throws vigil::IoError if the reference data are
/// missing or the files cannot be written.
std::vector<DemoSource> write_demo_sources(const std::filesystem::path& out_dir,
                                           const std::filesystem::path& data_dir = default_data_dir());

} // namespace vigil::demo
