#include <vigil/native/qgis_styles.hpp>

#include <vigil/catalog/qgis_style.hpp>

#include <optional>
#include <string>

namespace vigil::native {

std::string_view layer_styles_ddl() {
    // QGIS's own statement (its SpatiaLite provider's saveStyle), IF NOT EXISTS added: QGIS and
    // Vigil then write to the same table, whichever made it.
    return "CREATE TABLE IF NOT EXISTS layer_styles(id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog varchar(256), "
           // i18n: not shown: SQL
           "f_table_schema varchar(256), f_table_name varchar(256), f_geometry_column varchar(256), styleName text, styleQML text, " // i18n:
                                                                                                                                     // not
                                                                                                                                     // shown:
                                                                                                                                     // SQL
           // i18n: not shown: SQL
           "styleSLD text, useAsDefault boolean, description text, owner varchar(30), ui text, "
           // i18n: not shown: SQL
           "update_time timestamp DEFAULT CURRENT_TIMESTAMP)";
}

namespace {

constexpr const char* k_geometry_column = "geom";

// One of the two rows of a layer: `schema` is NULL (the SpatiaLite provider's) or '' (OGR's).
void write_row(store::Database& db, const catalog::LayerKind& kind, const catalog::QgisStyle& style, bool null_schema) {
    auto bind_schema = [&](store::Statement& st, int index) -> store::Statement& {
        return null_schema ? st.bind_null(index) : st.bind(index, "");
    };
    // `IS ?` matches NULL to NULL and '' to ''.
    const std::string layer = "f_table_schema IS ?1 AND f_table_name = ?2 AND f_geometry_column = ?3";
    std::optional<std::int64_t> ours;
    bool name_taken = false;
    bool same = false;
    {
        auto st = db.prepare("SELECT id, owner IS ?5, styleQML IS ?6 AND styleSLD IS ?7 AND description IS ?8 FROM layer_styles WHERE " +
                             layer + " AND styleName = ?4 ORDER BY id");
        bind_schema(st, 1).bind(2, kind.kind).bind(3, k_geometry_column).bind(4, catalog::k_qgis_style_name);
        st.bind(5, catalog::k_qgis_style_owner).bind(6, style.qml).bind(7, style.sld).bind(8, style.description);
        while (st.step()) {
            if (st.column_int64(1) != 0 && !ours) {
                ours = st.column_int64(0);
                same = st.column_int64(2) != 0;
            } else {
                name_taken = true;
            }
        }
    }
    if (ours) {
        if (same) return; // nothing to write: a re-import leaves the database as it was
        auto up = db.prepare("UPDATE layer_styles SET styleQML = ?, styleSLD = ?, description = ?, update_time = CURRENT_TIMESTAMP "
                             "WHERE id = ?");
        up.bind(1, style.qml).bind(2, style.sld).bind(3, style.description).bind(4, *ours);
        up.run();
        return;
    }
    // The user saved a style of their own under Vigil's name: theirs stands, alone.
    if (name_taken) return;
    auto has_default = db.prepare("SELECT count(*) FROM layer_styles WHERE " + layer + " AND useAsDefault");
    bind_schema(has_default, 1).bind(2, kind.kind).bind(3, k_geometry_column);
    has_default.step();
    const bool other_default = has_default.column_int64(0) > 0;
    has_default.reset();
    auto ins = db.prepare("INSERT INTO layer_styles(f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
                          "styleQML, styleSLD, useAsDefault, description, owner) VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    bind_schema(ins, 1).bind(2, kind.kind).bind(3, k_geometry_column).bind(4, catalog::k_qgis_style_name);
    ins.bind(5, style.qml)
        .bind(6, style.sld)
        .bind(7, other_default ? 0 : 1)
        .bind(8, style.description)
        .bind(9, catalog::k_qgis_style_owner);
    ins.run();
}

} // namespace

void write_qgis_styles(store::Database& db, const catalog::LayerKind& kind) {
    db.exec(layer_styles_ddl());
    const auto style = catalog::qgis_style(kind);
    write_row(db, kind, style, /*null_schema=*/true);
    write_row(db, kind, style, /*null_schema=*/false);
}

} // namespace vigil::native
