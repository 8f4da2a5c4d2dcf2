/// @file
/// The project database's QGIS layer styles: the `layer_styles` table that QGIS reads a layer's
/// default style from, with Vigil's catalogue symbology (catalog/qgis_style.hpp) for each layer.
/// @attention part of vigil_native_store.
///
/// QGIS reaches a SpatiaLite file two ways, and each looks for its style rows differently:
///   - the SpatiaLite provider (a SpatiaLite connection in the Browser): rows whose
///     f_table_schema IS NULL;
///   - the OGR provider (the file dragged in, or Layer > Add Vector Layer): rows whose
///     f_table_schema = ''.
/// So each layer gets Vigil's style twice, one row for each, the same QML and SLD.
///
/// Nothing a user saved is changed: Vigil's rows are the ones named k_qgis_style_name and owned
/// by k_qgis_style_owner. They are written again only when the catalogue's symbology changed;
/// a new one becomes the layer's default only when the user has no default style of their own,
/// and an existing one keeps whatever useAsDefault the user left it with. A style the user
/// saved under Vigil's name (QGIS then clears the owner) is theirs, and Vigil adds none beside it.
#pragma once

#include <vigil/catalog/catalog.hpp>
#include <vigil/store/sqlite.hpp>

#include <string_view>

namespace vigil::native {

/// CREATE TABLE IF NOT EXISTS layer_styles(...), the columns and types exactly as QGIS's
/// SpatiaLite provider creates the table.
std::string_view layer_styles_ddl();

/// Creates layer_styles if missing and writes Vigil's style rows for `kind` (geometry column
/// "geom") as described above. Runs inside the caller's transaction. Throws vigil::DatabaseError.
void write_qgis_styles(store::Database& db, const catalog::LayerKind& kind);

} // namespace vigil::native
