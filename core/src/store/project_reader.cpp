#include <vigil/store/project_reader.hpp>

#include "layer_rows.hpp"

#include <vigil/store/project_schema.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

namespace vigil::store {

Project Project::open(const std::filesystem::path& path) { return Project(Database::open(path, Database::Mode::ReadOnly)); }

Project Project::open_bytes(std::vector<std::uint8_t> bytes, std::string display_name) {
    return Project(Database::open_bytes(std::move(bytes), std::move(display_name)));
}

Project::Project(Database db) : m_db(std::move(db)) {
    if (!m_db.table_exists("vigil_meta") || !m_db.table_exists("vigil_layers"))
        throw SchemaError(trf("'{}' is not a Vigil project database (no vigil_meta table); create one with 'vigil init'", m_db.path()));
    m_schema_version = static_cast<int>(m_db.query_int("PRAGMA user_version"));
    if (m_schema_version > k_schema_version)
        throw SchemaError(trf("'{}' has schema version {}, newer than this Vigil understands ({}): update Vigil", m_db.path(),
                              m_schema_version, k_schema_version));
    auto st = m_db.prepare("SELECT kind, definition FROM vigil_catalog ORDER BY kind");
    while (st.step()) {
        std::string kind(st.column_text(0));
        m_catalog.add(catalog::parse_layer_kind(st.column_text(1), m_db.path() + ": vigil_catalog[" + kind + "]"));
    }
}

std::vector<LayerInfo> Project::layers() const {
    std::vector<LayerInfo> out;
    auto st =
        m_db.prepare("SELECT kind, title_zh, title_en, geometry_type, source_crs, feature_count, min_x, min_y, max_x, max_y, updated_at "
                     "FROM vigil_layers ORDER BY kind");
    while (st.step()) {
        LayerInfo l;
        l.kind = st.column_text(0);
        l.title_zh = st.column_text(1);
        l.title_en = st.column_text(2);
        l.geometry_type = st.column_text(3);
        l.source_crs = st.column_text(4);
        l.feature_count = st.column_int64(5);
        if (!st.column_is_null(6)) l.extent = geo::BBox{st.column_double(6), st.column_double(7), st.column_double(8), st.column_double(9)};
        l.updated_at = st.column_text(10);
        out.push_back(std::move(l));
    }
    return out;
}

std::shared_ptr<const model::Layer> Project::load_layer(std::string_view kind_name) const {
    auto kind = layer_kind(kind_name);
    detail::LayerRowReader reader(m_db, *kind);
    std::int64_t count = m_db.query_int("SELECT count(*) FROM " + quote_identifier(kind->kind));
    model::LayerBuilder builder(kind, static_cast<std::size_t>(count));
    auto st = m_db.prepare("SELECT " + reader.select_list() + " FROM " + quote_identifier(kind->kind) + " AS t ORDER BY t.fid");
    detail::LayerRow row;
    while (st.step()) {
        reader.read(st, row);
        builder.add(row.fid, std::move(row.values), std::move(row.geometry), std::move(row.extra), std::move(row.updated_at));
    }
    return builder.finish();
}

std::shared_ptr<const catalog::LayerKind> Project::layer_kind(std::string_view kind_name) const {
    auto kind = m_catalog.find(kind_name);
    if (!kind) {
        if (m_catalog.empty()) throw UsageError(trf("database '{}' has no layer '{}'; it has no layers yet", m_db.path(), kind_name));
        throw UsageError(trf("database '{}' has no layer '{}'; {}", m_db.path(), kind_name, m_catalog.kinds_text()));
    }
    return kind;
}

std::vector<ImportInfo> Project::imports(std::size_t limit) const {
    std::vector<ImportInfo> out;
    auto st =
        m_db.prepare("SELECT import_id, started_at, finished_at, layer, status, file_path, file_name, file_sha256, format, source_crs, "
                     // i18n: not shown: SQL
                     "encoding, options, message, vigil_version, file_size, rows_read, rows_inserted, rows_updated, rows_rejected, "
                     "problem_count FROM vigil_imports ORDER BY import_id DESC LIMIT ?");
    st.bind(1, static_cast<std::int64_t>(limit));
    while (st.step()) {
        ImportInfo i;
        i.import_id = st.column_int64(0);
        std::string* texts[] = {&i.started_at, &i.finished_at, &i.layer,    &i.status,  &i.file_path, &i.file_name,    &i.file_sha256,
                                &i.format,     &i.source_crs,  &i.encoding, &i.options, &i.message,   &i.vigil_version};
        for (int c = 0; c < 13; ++c) *texts[c] = st.column_text(c + 1);
        std::int64_t* nums[] = {&i.file_size, &i.rows_read, &i.rows_inserted, &i.rows_updated, &i.rows_rejected, &i.problem_count};
        for (int c = 0; c < 6; ++c) *nums[c] = st.column_int64(c + 14);
        out.push_back(std::move(i));
    }
    return out;
}

} // namespace vigil::store
