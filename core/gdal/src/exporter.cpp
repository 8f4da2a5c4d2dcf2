#include <vigil/gdal/exporter.hpp>

#include <vigil/catalog/qgis_style.hpp>
#include <vigil/gdal/gdal_source.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <cpl_string.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_api.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace vigil::gdal {

namespace fs = std::filesystem;

namespace {

struct Target {
    const char* extension;
    const char* driver;
};

constexpr Target k_targets[] = {
    {".geojson", "GeoJSON"},    {".json", "GeoJSON"}, {".gpkg", "GPKG"},     {".csv", "CSV"}, // i18n: not shown: GDAL's driver name
    {".shp", "ESRI Shapefile"}, {".kml", "KML"},      {".fgb", "FlatGeobuf"}};

// The layer's catalogue style in the GeoPackage's layer_styles table, made as QGIS makes it
// (its OGR provider's saveStyle: the same columns, FID "id", catalogue and schema ''), so that
// QGIS opens the exported layer in Vigil's colours. The output is always a new file: there are
// no user styles to keep.
void write_gpkg_style(GDALDatasetH out, const catalog::LayerKind& kind, const std::string& output) {
    auto fail = [&](const std::string& what) {
        throw IoError(trf("cannot write the QGIS style of {} into '{}' ({}): {}", kind.kind, output, what, CPLGetLastErrorMsg()));
    };
    OGRLayerH data = GDALDatasetGetLayerByName(out, kind.kind.c_str());
    if (!data) fail(tr("the layer is missing"));
    const std::string geometry_column = OGR_L_GetGeometryColumn(data);
    char** options = CSLSetNameValue(nullptr, "FID", "id");
    OGRLayerH styles = GDALDatasetCreateLayer(out, "layer_styles", nullptr, wkbNone, options);
    CSLDestroy(options);
    if (!styles) fail(tr("create layer_styles"));
    struct Column {
        const char* name;
        OGRFieldType type;
        int width;
    };
    const Column columns[] = {{"f_table_catalog", OFTString, 256},
                              {"f_table_schema", OFTString, 256},
                              {"f_table_name", OFTString, 256},
                              {"f_geometry_column", OFTString, 256},
                              {"styleName", OFTString, 30},
                              {"styleQML", OFTString, 0},
                              {"styleSLD", OFTString, 0},
                              {"useAsDefault", OFTInteger, 0},
                              {"description", OFTString, 0},
                              {"owner", OFTString, 30},
                              {"ui", OFTString, 30},
                              {"update_time", OFTDateTime, 0}};
    for (const auto& c : columns) {
        OGRFieldDefnH f = OGR_Fld_Create(c.name, c.type);
        if (c.width) OGR_Fld_SetWidth(f, c.width);
        if (c.type == OFTInteger) OGR_Fld_SetSubType(f, OFSTBoolean);
        if (c.type == OFTDateTime) OGR_Fld_SetDefault(f, "CURRENT_TIMESTAMP");
        const OGRErr err = OGR_L_CreateField(styles, f, TRUE);
        OGR_Fld_Destroy(f);
        if (err != OGRERR_NONE) fail(trf("add column {}", c.name));
    }
    const auto style = catalog::qgis_style(kind);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(styles);
    OGRFeatureH row = OGR_F_Create(defn);
    auto set = [&](const char* column, const std::string& value) {
        OGR_F_SetFieldString(row, OGR_FD_GetFieldIndex(defn, column), value.c_str());
    };
    set("f_table_catalog", "");
    set("f_table_schema", "");
    set("f_table_name", kind.kind);
    set("f_geometry_column", geometry_column);
    set("styleName", std::string(catalog::k_qgis_style_name));
    set("styleQML", style.qml);
    set("styleSLD", style.sld);
    OGR_F_SetFieldInteger(row, OGR_FD_GetFieldIndex(defn, "useAsDefault"), 1);
    set("description", style.description);
    set("owner", std::string(catalog::k_qgis_style_owner));
    const OGRErr err = OGR_L_CreateFeature(styles, row);
    OGR_F_Destroy(row);
    if (err != OGRERR_NONE) fail(tr("add the style row"));
}

} // namespace

ExportResult export_layer(const ExportRequest& req) {
    initialise_gdal();
    const Target* target = nullptr;
    for (const auto& t : k_targets)
        if (vigil::text::ends_with_ci(req.output.string(), t.extension)) target = &t;
    if (!target)
        throw UsageError(
            trf("cannot tell the format of '{}' from its extension (use .geojson, .gpkg, .csv, .shp, .kml or .fgb)", req.output.string()));

    // Resolve the kind and its columns with our own reader (aliases, catalogue stored in the DB).
    auto project = store::Project::open(req.database);
    auto kind = project.catalog().get(req.layer);
    auto present = project.database().table_columns(kind->kind);

    std::error_code ec;
    if (fs::exists(req.output, ec)) {
        if (!req.overwrite)
            throw UsageError(
                trf("'{}' already exists (add --overwrite to replace it)", req.output.string())); // i18n: not shown: GDAL's driver name
        if (std::string(target->driver) == "ESRI Shapefile") {
            for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg"}) {
                fs::path side = req.output;
                side.replace_extension(ext);
                fs::remove(side, ec);
            }
        } else {
            fs::remove(req.output, ec);
        }
    }

    // Only the catalogue's fields and the user-visible bookkeeping; fid and import_id stay inside.
    std::string sql = "SELECT ";
    for (const auto& f : kind->fields)
        if (std::find(present.begin(), present.end(), f.name) != present.end()) sql += "\"" + f.name + "\", ";
    sql += "extra, updated_at, geom FROM \"" + kind->kind + "\" ORDER BY fid";

    GDALDatasetH src = GDALOpenEx(req.database.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (!src) throw IoError(trf("GDAL cannot open '{}': {}", req.database.string(), CPLGetLastErrorMsg()));
    std::unique_ptr<void, void (*)(void*)> src_guard(src, [](void* p) { GDALClose(static_cast<GDALDatasetH>(p)); });

    // The SQL result does not carry the layer's SRS through GDAL: say it (a shapefile without
    // .prj would otherwise come back as "no coordinate system").
    std::vector<std::string> args = {"-f", target->driver, "-sql", sql, "-nln", kind->kind, "-a_srs", "EPSG:4326"};
    std::string drv = target->driver;
    if (drv == "CSV") {
        args.insert(args.end(), {"-lco", kind->geometry == catalog::GeometryKind::Point ? "GEOMETRY=AS_XY" : "GEOMETRY=AS_WKT"});
        args.insert(args.end(), {"-lco", "WRITE_BOM=YES"}); // Excel on Windows then reads UTF-8 — i18n: not shown: GDAL's driver name
    } else if (drv == "ESRI Shapefile") {
        args.insert(args.end(), {"-lco", "ENCODING=UTF-8"});
    } else if (drv == "GeoJSON") {
        args.insert(args.end(), {"-lco", "RFC7946=YES"});
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    GDALVectorTranslateOptions* opts = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
    if (!opts) throw UsageError(tr("bad export options"));
    int usage_error = 0;
    CPLErrorReset();
    GDALDatasetH out = GDALVectorTranslate(req.output.c_str(), nullptr, 1, &src, opts, &usage_error);
    GDALVectorTranslateOptionsFree(opts);
    if (!out) throw IoError(trf("cannot write '{}': {}", req.output.string(), CPLGetLastErrorMsg()));
    if (drv == "GPKG") {
        try {
            write_gpkg_style(out, *kind, req.output.string());
        } catch (...) {
            GDALClose(out);
            throw;
        }
    }
    GDALClose(out); // flushes; the count below is what a reader of the file will see
    ExportResult result;
    result.layer = kind->kind;
    result.driver = drv;
    GDALDatasetH check = GDALOpenEx(req.output.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (!check) throw IoError(trf("'{}' was written but cannot be read back: {}", req.output.string(), CPLGetLastErrorMsg()));
    // By name: a GeoPackage also holds layer_styles. CSV and Shapefile name the layer after the file.
    OGRLayerH l = GDALDatasetGetLayerByName(check, kind->kind.c_str());
    if (!l) l = GDALDatasetGetLayer(check, 0);
    result.features = l ? OGR_L_GetFeatureCount(l, TRUE) : 0;
    GDALClose(check);
    return result;
}

} // namespace vigil::gdal
