#include <vigil/gdal/gdal_source.hpp>

#include <vigil/geo/wkb.hpp>
#include <vigil/native/transcode.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

namespace vigil::gdal {

using native::gdal_encoding_name;
using native::to_utf8;

namespace {

// GDAL prints errors to stderr by default; we collect the last one for our own messages.
thread_local std::string t_last_gdal_error;

void CPL_STDCALL quiet_handler(CPLErr level, CPLErrorNum, const char* msg) {
    if (level >= CE_Failure && msg) t_last_gdal_error = msg;
}

// The spreadsheet drivers read OGR_XLSX_HEADERS / OGR_ODS_HEADERS (set to FORCE for the whole
// process in initialise_gdal) before their HEADERS open option; for a sheet with title rows
// this thread says DISABLE while it opens and first reads the sheet.
class NoSheetHeaders {
public:
    explicit NoSheetHeaders(bool active) : m_active(active) {
        if (!m_active) return;
        CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "DISABLE");
        CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "DISABLE");
    }
    ~NoSheetHeaders() {
        if (!m_active) return;
        CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", nullptr);
        CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", nullptr);
    }
    NoSheetHeaders(const NoSheetHeaders&) = delete;
    NoSheetHeaders& operator=(const NoSheetHeaders&) = delete;

private:
    bool m_active;
};

bool is_spreadsheet(const std::string& driver) { return driver == "XLSX" || driver == "ODS" || driver == "XLS"; }

// OSM highway values a fire engine can drive on (others: footway, cycleway, path, steps,
// pedestrian, bridleway, construction, proposed, platform, corridor ...). "track" and "service"
// are kept: plant roads and farm tracks are how teams reach many enterprises.
constexpr const char* k_osm_drivable_filter = // i18n: not shown: an OGR SQL filter
    "highway IN ('motorway','motorway_link','trunk','trunk_link','primary','primary_link','secondary',"
    "'secondary_link','tertiary','tertiary_link','unclassified','residential','living_street','service','track','road')";

// "60", "60 km/h", "35 mph" -> km/h as text; "" for what is not a number ("CN:urban", "signals").
std::string osm_speed_kmh(std::string_view raw) {
    raw = vigil::text::trim(raw);
    std::size_t n = 0;
    while (n < raw.size() && ((raw[n] >= '0' && raw[n] <= '9') || raw[n] == '.')) ++n;
    auto v = vigil::text::parse_double(raw.substr(0, n));
    if (!v || *v <= 0) return {};
    std::string unit = vigil::text::to_lower_ascii(vigil::text::trim(raw.substr(n)));
    if (unit == "mph") return vigil::text::format_double(*v * 1.609344);
    if (unit.empty() || unit == "km/h" || unit == "kmh" || unit == "kph") return vigil::text::format_double(*v);
    return {};
}

} // namespace

void initialise_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(quiet_handler);
        // Spreadsheets: first row is the header, cell types detected.
        CPLSetConfigOption("OGR_XLSX_HEADERS", "FORCE");
        CPLSetConfigOption("OGR_ODS_HEADERS", "FORCE");
        CPLSetConfigOption("OGR_XLSX_FIELD_TYPES", "AUTO");
        // A polygon ring that is not closed is an error, not a warning we might miss.
        CPLSetConfigOption("OGR_GEOMETRY_ACCEPT_UNCLOSED_RING", "NO");
        // No network, ever: remote hrefs in KML and the like are not fetched.
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
        CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none");
        CPLSetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
    });
}

struct GdalSource::Impl {
    std::string path;
    GdalSourceOptions options;
    GDALDatasetUniquePtr dataset; // GDALClose, not delete: closing flushes and releases driver state
    OGRLayer* layer = nullptr;
    std::string driver;
    std::vector<std::string> columns;
    std::vector<OGRFieldType> types;
    bool recode = false; // transcode strings ourselves (drivers without an ENCODING option)
    std::uint64_t read = 0;
    std::uint64_t total = 0;
    std::uint64_t skipped_rows = 0;         // title rows and the header row read as features (header_row)
    int unnamed_from = -1, field_count = 0; // with header_row: cells from this column on have no name
    std::vector<unsigned char> wkb;
    // OSM roads (GdalSourceOptions::osm_roads): columns rewritten per feature, -1 = absent.
    bool osm_roads = false;
    int osm_oneway = -1, osm_maxspeed = -1, osm_bridge = -1, osm_junction = -1;

    std::string text_value(const char* raw, const std::string& column, importing::RawRecord& out) {
        std::string s = raw ? raw : "";
        if (recode && !s.empty()) {
            try {
                s = to_utf8(s, options.encoding, path);
            } catch (const FormatError& e) {
                out.issues.push_back({column, trf("text is not valid {}", options.encoding)});
                return {};
            }
        }
        std::size_t bad = 0;
        if (!vigil::text::is_valid_utf8(s, &bad)) {
            out.issues.push_back(
                {column,
                 trf("text is not valid UTF-8 at byte {}: the file is probably GBK-encoded without a .cpg file; use --encoding GBK", bad)});
            return {};
        }
        return s;
    }
};

GdalSource::GdalSource(std::string path, GdalSourceOptions options) : m_impl(std::make_unique<Impl>()) {
    initialise_gdal();
    auto& d = *m_impl;
    d.path = std::move(path);
    d.options = std::move(options);
    static const char* const allowed[] = {// i18n: not shown: GDAL's driver name
                                          "ESRI Shapefile", "GPKG",       "SQLite", "GeoJSON", "GeoJSONSeq",   "CSV",
                                          "XLSX",           "ODS",        "KML", // i18n: not shown: GDAL's driver name
                                          "LIBKML",         "FlatGeobuf", "OSM",    "GML",     "MapInfo File", "DXF",
                                          "OpenFileGDB",    "GPX",        nullptr};
    std::vector<std::string> open_options;
    if (!d.options.encoding.empty()) open_options.push_back("ENCODING=" + gdal_encoding_name(d.options.encoding));
    // Title rows above the header: GDAL reads every row as data, and the header row is read here.
    NoSheetHeaders no_headers(d.options.header_row > 0);
    std::vector<const char*> oo;
    for (const auto& o : open_options) oo.push_back(o.c_str());
    oo.push_back(nullptr);
    t_last_gdal_error.clear();
    // The OSM driver reads which tags become columns from OSM_CONFIG_FILE when it opens the
    // file; thread-local so that nothing else in the process sees it.
    std::error_code exists_ec;
    if (d.options.osm_roads && !d.options.osm_config_file.empty() && std::filesystem::exists(d.options.osm_config_file, exists_ec))
        CPLSetThreadLocalConfigOption("OSM_CONFIG_FILE", d.options.osm_config_file.c_str());
    GDALDataset* ds = GDALDataset::Open(d.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, allowed,
                                        open_options.empty() ? nullptr : oo.data(), nullptr);
    if (d.options.osm_roads) CPLSetThreadLocalConfigOption("OSM_CONFIG_FILE", nullptr);
    if (!ds) {
        // Some drivers refuse unknown open options (ENCODING): retry without and transcode ourselves.
        if (!open_options.empty()) ds = GDALDataset::Open(d.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, allowed, nullptr, nullptr);
        if (!ds)
            throw IoError(t_last_gdal_error.empty() ? trf("cannot read '{}' as a vector file (unknown format?)", d.path)
                                                    : trf("cannot read '{}' as a vector file: {}", d.path, t_last_gdal_error));
    }
    d.dataset.reset(ds);
    d.driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "?"; // i18n: not shown: GDAL's driver name
    if (!d.options.encoding.empty() && d.driver != "ESRI Shapefile") d.recode = true;

    const int n = ds->GetLayerCount();
    if (n == 0) throw FormatError(trf("'{}' holds no vector layers", d.path));
    if (!d.options.source_layer.empty()) {
        d.layer = ds->GetLayerByName(d.options.source_layer.c_str());
        if (!d.layer) {
            std::string names;
            for (int i = 0; i < n; ++i) names += (i ? ", " : "") + std::string(ds->GetLayer(i)->GetName());
            throw UsageError(trf("'{}' has no layer or sheet '{}' (it has: {})", d.path, d.options.source_layer, names));
        }
    } else if (d.driver == "OSM" && d.options.osm_roads) {
        d.layer = ds->GetLayerByName("lines");
        if (!d.layer) throw FormatError(trf("'{}': GDAL's OSM driver gave no 'lines' layer", d.path));
    } else {
        // The first layer with features (spreadsheets often carry empty sheets first); never
        // QGIS's table of layer styles, which a GeoPackage from QGIS or `vigil export` carries
        // beside its data (an export of an empty layer would otherwise import its style row).
        auto data = [&](int i) { return !EQUAL(ds->GetLayer(i)->GetName(), "layer_styles") || n == 1; };
        for (int i = 0; i < n && !d.layer; ++i)
            if (data(i) && ds->GetLayer(i)->GetFeatureCount(TRUE) != 0) d.layer = ds->GetLayer(i);
        for (int i = 0; i < n && !d.layer; ++i)
            if (data(i)) d.layer = ds->GetLayer(i);
    }
    OGRFeatureDefn* defn = d.layer->GetLayerDefn();
    if (d.options.header_row > 0 && is_spreadsheet(d.driver)) {
        // Counted before any row is read: counting may restart the reading.
        GIntBig rows = d.layer->GetFeatureCount(TRUE);
        d.total = rows > static_cast<GIntBig>(d.options.header_row) ? static_cast<std::uint64_t>(rows) - d.options.header_row : 0;
        d.layer->ResetReading();
        std::unique_ptr<OGRFeature> header;
        for (std::uint64_t r = 1; r <= d.options.header_row; ++r) {
            header.reset(d.layer->GetNextFeature());
            if (!header) throw FormatError(trf("'{}' ends before its header row {}", d.path, d.options.header_row));
        }
        d.skipped_rows = d.options.header_row;
        std::vector<std::string> names;
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            names.emplace_back(header->IsFieldSetAndNotNull(i) ? vigil::text::trim(header->GetFieldAsString(i)) : std::string_view());
        while (!names.empty() && names.back().empty()) names.pop_back();
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i].empty()) names[i] = trf("column {}", i + 1);
            if (!vigil::text::is_valid_utf8(names[i]))
                throw FormatError(trf("'{}': column name '{}' is not valid UTF-8", d.path, names[i]));
            d.columns.push_back(names[i]);
            d.types.push_back(defn->GetFieldDefn(static_cast<int>(i))->GetType());
        }
        // Cells beyond the named columns are data without a column: said per row.
        d.unnamed_from = static_cast<int>(names.size());
        d.field_count = defn->GetFieldCount();
    }
    for (int i = 0; i < defn->GetFieldCount() && d.skipped_rows == 0; ++i) {
        OGRFieldDefn* f = defn->GetFieldDefn(i);
        std::string name = f->GetNameRef();
        if (d.recode) {
            try {
                name = to_utf8(name, d.options.encoding, d.path);
            } catch (const FormatError&) {}
        }
        if (!vigil::text::is_valid_utf8(name))
            throw FormatError(
                trf("'{}': column name '{}' is not valid UTF-8: the file is probably GBK-encoded without a .cpg file; use --encoding GBK",
                    d.path, name));
        d.columns.push_back(name);
        d.types.push_back(f->GetType());
    }
    if (d.driver == "OSM" && d.options.osm_roads) {
        d.osm_roads = true;
        if (d.layer->SetAttributeFilter(k_osm_drivable_filter) != OGRERR_NONE)
            throw FormatError(trf("'{}': the OSM lines have no 'highway' column (check {})", d.path, d.options.osm_config_file));
        auto index_of = [&](const char* name) {
            for (std::size_t i = 0; i < d.columns.size(); ++i)
                if (d.columns[i] == name) return static_cast<int>(i);
            return -1;
        };
        d.osm_oneway = index_of("oneway");
        d.osm_maxspeed = index_of("maxspeed");
        d.osm_bridge = index_of("bridge");
        d.osm_junction = index_of("junction");
    }
    if (d.skipped_rows == 0) {
        GIntBig count = d.layer->GetFeatureCount(TRUE);
        d.total = count > 0 ? static_cast<std::uint64_t>(count) : 0;
        d.layer->ResetReading();
    }
}

std::vector<std::vector<std::string>> peek_sheet_rows(const std::string& path, const GdalSourceOptions& options, std::size_t max_rows) {
    initialise_gdal();
    static const char* const spreadsheets[] = {"XLSX", "ODS", "XLS", nullptr};
    NoSheetHeaders no_headers(true);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, spreadsheets, nullptr, nullptr));
    std::vector<std::vector<std::string>> rows;
    if (!ds || ds->GetLayerCount() == 0) return rows;
    OGRLayer* layer = nullptr;
    if (!options.source_layer.empty()) layer = ds->GetLayerByName(options.source_layer.c_str());
    for (int i = 0; i < ds->GetLayerCount() && !layer; ++i)
        if (ds->GetLayer(i)->GetFeatureCount(TRUE) != 0) layer = ds->GetLayer(i);
    if (!layer) return rows;
    layer->ResetReading();
    while (rows.size() < max_rows) {
        std::unique_ptr<OGRFeature> f(layer->GetNextFeature());
        if (!f) break;
        std::vector<std::string> cells;
        for (int i = 0; i < f->GetFieldCount(); ++i) cells.emplace_back(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
        rows.push_back(std::move(cells));
    }
    return rows;
}

GdalSource::~GdalSource() = default;

const std::string& GdalSource::path() const { return m_impl->path; }
const std::vector<std::string>& GdalSource::columns() const { return m_impl->columns; }
std::string GdalSource::driver_name() const { return m_impl->driver; }
std::string GdalSource::layer_name() const { return m_impl->layer->GetName(); }
std::uint64_t GdalSource::progress_done() const { return m_impl->read; }
std::uint64_t GdalSource::progress_total() const { return m_impl->total; }

bool GdalSource::has_geometry() const {
    return m_impl->layer->GetGeomType() != wkbNone && m_impl->layer->GetLayerDefn()->GetGeomFieldCount() > 0;
}

std::optional<std::string> GdalSource::declared_crs() const {
    const OGRSpatialReference* srs = m_impl->layer->GetSpatialRef();
    if (!srs) return std::nullopt;
    OGRSpatialReference copy(*srs);
    if (copy.GetAuthorityCode(nullptr) == nullptr) copy.AutoIdentifyEPSG();
    const char* auth = copy.GetAuthorityName(nullptr);
    const char* code = copy.GetAuthorityCode(nullptr);
    if (auth && code) return std::string(auth) + ":" + code;
    char* wkt = nullptr;
    const char* opts[] = {"FORMAT=WKT2_2019", nullptr};
    if (copy.exportToWkt(&wkt, opts) != OGRERR_NONE || !wkt) return std::nullopt;
    std::string out = wkt;
    CPLFree(wkt);
    return out;
}

bool GdalSource::next(importing::RawRecord& out) {
    auto& d = *m_impl;
    out.clear();
    t_last_gdal_error.clear();
    std::unique_ptr<OGRFeature> feature(d.layer->GetNextFeature());
    if (!feature) {
        if (!t_last_gdal_error.empty())
            throw FormatError(trf("'{}': reading stopped after feature {}: {}", d.path, d.read, t_last_gdal_error));
        return false;
    }
    ++d.read;
    // The row a person finds in the file: spreadsheets count their header row (and any title
    // rows above it).
    out.row = d.skipped_rows > 0 ? d.read + d.skipped_rows : is_spreadsheet(d.driver) ? d.read + 1 : d.read;
    if (d.unnamed_from >= 0)
        for (int i = d.unnamed_from; i < d.field_count; ++i)
            if (feature->IsFieldSetAndNotNull(i) && !vigil::text::trim(feature->GetFieldAsString(i)).empty()) {
                out.issues.push_back({"", trf("column {} has a value but no name in the header row {}", i + 1, d.skipped_rows)});
                break;
            }
    out.values.resize(d.columns.size());
    for (int i = 0; i < static_cast<int>(d.columns.size()); ++i) {
        auto& v = out.values[static_cast<std::size_t>(i)];
        if (!feature->IsFieldSetAndNotNull(i)) continue;
        const std::string& column = d.columns[static_cast<std::size_t>(i)];
        switch (d.types[static_cast<std::size_t>(i)]) {
        case OFTInteger:
        case OFTInteger64: v = importing::RawValue::from_int(feature->GetFieldAsInteger64(i)); break;
        case OFTReal: v = importing::RawValue::from_real(feature->GetFieldAsDouble(i)); break;
        case OFTDate:
        case OFTDateTime: {
            int y, m, dd, h, mi, tz;
            float s;
            feature->GetFieldAsDateTime(i, &y, &m, &dd, &h, &mi, &s, &tz);
            char buf[32];
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
            v = importing::RawValue::from_text(buf);
            break;
        }
        case OFTIntegerList:
        case OFTInteger64List:
        case OFTRealList:
        case OFTStringList: {
            nlohmann::json arr = nlohmann::json::array();
            if (d.types[static_cast<std::size_t>(i)] == OFTStringList) {
                char** list = feature->GetFieldAsStringList(i);
                for (int k = 0; list && list[k]; ++k) arr.push_back(d.text_value(list[k], column, out));
            } else if (d.types[static_cast<std::size_t>(i)] == OFTRealList) {
                int n = 0;
                const double* vals = feature->GetFieldAsDoubleList(i, &n);
                for (int k = 0; k < n; ++k) arr.push_back(vals[k]);
            } else {
                int n = 0;
                const GIntBig* vals = feature->GetFieldAsInteger64List(i, &n);
                for (int k = 0; k < n; ++k) arr.push_back(static_cast<std::int64_t>(vals[k]));
            }
            v = importing::RawValue::from_json(arr.dump());
            break;
        }
        case OFTBinary: out.issues.push_back({column, tr("binary values are not supported")}); break;
        default: {
            std::string s = d.text_value(feature->GetFieldAsString(i), column, out);
            if (!s.empty()) v = importing::RawValue::from_text(std::move(s));
        }
        }
    }
    const OGRGeometry* g = feature->GetGeometryRef();
    std::unique_ptr<OGRGeometry> reversed;
    if (d.osm_roads) {
        auto text_at = [&](int i) -> std::string {
            if (i < 0) return {};
            const auto& v = out.values[static_cast<std::size_t>(i)];
            return v.is_null() ? std::string() : vigil::text::to_lower_ascii(vigil::text::trim(v.to_display()));
        };
        if (d.osm_oneway >= 0) {
            std::string oneway = text_at(d.osm_oneway);
            bool forward = oneway == "yes" || oneway == "true" || oneway == "1";
            if (oneway == "-1" || oneway == "reverse") {
                // Digitised against the traffic: the catalogue's one-way runs with the line.
                if (g && wkbFlatten(g->getGeometryType()) == wkbLineString) {
                    reversed.reset(g->clone());
                    reversed->toLineString()->reversePoints();
                    g = reversed.get();
                    forward = true;
                } else {
                    out.issues.push_back({"oneway", tr("oneway=-1 on a geometry that is not a single line")});
                }
            }
            if (oneway.empty() && text_at(d.osm_junction) == "roundabout") forward = true;
            out.values[static_cast<std::size_t>(d.osm_oneway)] = importing::RawValue::from_text(forward ? "yes" : "no");
        }
        if (d.osm_maxspeed >= 0) {
            auto& v = out.values[static_cast<std::size_t>(d.osm_maxspeed)];
            std::string kmh = v.is_null() ? std::string() : osm_speed_kmh(v.to_display());
            v = kmh.empty() ? importing::RawValue{} : importing::RawValue::from_text(kmh);
        }
        if (d.osm_bridge >= 0) {
            auto& v = out.values[static_cast<std::size_t>(d.osm_bridge)];
            std::string b = text_at(d.osm_bridge);
            if (!b.empty()) v = importing::RawValue::from_text(b == "no" ? "no" : "yes");
        }
    }
    if (g && !g->IsEmpty()) {
        std::unique_ptr<OGRGeometry> linear;
        if (g->hasCurveGeometry()) {
            linear.reset(g->getLinearGeometry());
            g = linear.get();
        }
        OGRwkbGeometryType flat = wkbFlatten(g->getGeometryType());
        if (flat == wkbGeometryCollection) {
            out.issues.push_back({"geometry", tr("GeometryCollection is not supported")});
        } else {
            d.wkb.resize(static_cast<std::size_t>(g->WkbSize()));
            g->exportToWkb(wkbNDR, d.wkb.data(), wkbVariantIso);
            try {
                out.geometry = geo::decode_wkb(d.wkb);
            } catch (const FormatError& e) {
                out.issues.push_back({"geometry", e.what()});
            }
        }
    }
    return true;
}

} // namespace vigil::gdal
