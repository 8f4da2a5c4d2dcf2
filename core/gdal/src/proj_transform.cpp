#include <vigil/gdal/proj_transform.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <proj.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <vector>

namespace vigil::gdal {

namespace {

struct Context {
    PJ_CONTEXT* ctx = proj_context_create();
    Context() {
        // Never reach for the network grid CDN: the bureau's machines are offline.
        proj_context_set_enable_network(ctx, 0);
        proj_log_level(ctx, PJ_LOG_NONE);
    }
    ~Context() { proj_context_destroy(ctx); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
};

struct Pj {
    PJ* p = nullptr;
    explicit Pj(PJ* x) : p(x) {}
    ~Pj() {
        if (p) proj_destroy(p);
    }
    Pj(const Pj&) = delete;
    Pj& operator=(const Pj&) = delete;
};

std::string crs_name(PJ_CONTEXT* ctx, PJ* crs) {
    const char* auth = proj_get_id_auth_name(crs, 0);
    const char* code = proj_get_id_code(crs, 0);
    if (auth && code) return std::string(auth) + ":" + code;
    // Try to identify a WKT without an ID (e.g. a .prj) with the database.
    int* confidence = nullptr;
    PJ_OBJ_LIST* matches = proj_identify(ctx, crs, "EPSG", nullptr, &confidence);
    std::string out;
    if (matches && proj_list_get_count(matches) > 0 && confidence && confidence[0] >= 90) {
        PJ* best = proj_list_get(ctx, matches, 0);
        const char* c = proj_get_id_code(best, 0);
        if (c) out = std::string("EPSG:") + c;
        proj_destroy(best);
    }
    if (confidence) proj_int_list_destroy(confidence);
    if (matches) proj_list_destroy(matches);
    if (!out.empty()) return out;
    const char* name = proj_get_name(crs);
    return name ? name : tr("unknown CRS");
}

class ProjTransform final : public importing::CoordinateTransform {
public:
    explicit ProjTransform(const std::string& crs) {
        Pj source(proj_create(m_ctx.ctx, crs.c_str()));
        if (!source.p) throw UsageError(trf("unknown CRS '{}' (try EPSG:4326, EPSG:4490, EPSG:4547, gcj02, bd09)", crs));
        PJ_TYPE type = proj_get_type(source.p);
        bool is_crs = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS || type == PJ_TYPE_PROJECTED_CRS ||
                      type == PJ_TYPE_COMPOUND_CRS || type == PJ_TYPE_GEOCENTRIC_CRS || type == PJ_TYPE_BOUND_CRS ||
                      type == PJ_TYPE_OTHER_CRS || type == PJ_TYPE_CRS;
        if (!is_crs) throw UsageError(trf("'{}' is not a coordinate reference system", crs));
        m_geographic = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
        m_name = crs_name(m_ctx.ctx, source.p);
        Pj target(proj_create(m_ctx.ctx, "EPSG:4326"));
        Pj op(proj_create_crs_to_crs_from_pj(m_ctx.ctx, source.p, target.p, nullptr, nullptr));
        if (!op.p) throw UsageError(trf("PROJ has no transformation from '{}' to WGS84", crs));
        // Traditional GIS order on both sides: x = longitude/easting, y = latitude/northing,
        // whatever the EPSG axis order says.
        m_op = proj_normalize_for_visualization(m_ctx.ctx, op.p);
        if (!m_op) throw UsageError(trf("cannot normalise the axis order of '{}'", crs));
    }
    ~ProjTransform() override {
        if (m_op) proj_destroy(m_op);
    }
    ProjTransform(const ProjTransform&) = delete;
    ProjTransform& operator=(const ProjTransform&) = delete;

    std::string name() const override { return m_name; }
    bool source_is_geographic() const override { return m_geographic; }

    void to_wgs84(std::span<geo::Coord> coords) const override {
        if (coords.empty()) return;
        std::lock_guard lock(m_mutex); // one PJ is not safe for concurrent use
        proj_trans_generic(m_op, PJ_FWD, &coords[0].x, sizeof(geo::Coord), coords.size(), &coords[0].y, sizeof(geo::Coord), coords.size(),
                           nullptr, 0, 0, nullptr, 0, 0);
        // PROJ marks failures with HUGE_VAL; the pipeline reports NaN as "cannot be transformed".
        for (auto& c : coords)
            if (!std::isfinite(c.x) || !std::isfinite(c.y) || std::fabs(c.x) > 1e10 || std::fabs(c.y) > 1e10)
                c = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    }

private:
    Context m_ctx;
    PJ* m_op = nullptr;
    std::string m_name;
    bool m_geographic = false;
    mutable std::mutex m_mutex;
};

} // namespace

std::unique_ptr<importing::CoordinateTransform> make_transform(const std::string& crs) {
    if (auto core = importing::make_core_transform(crs)) return core;
    std::string c(vigil::text::trim(crs));
    // A bare number is an EPSG code.
    if (!c.empty() && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) c = "EPSG:" + c;
    if (auto core = importing::make_core_transform(c)) return core;
    auto t = std::make_unique<ProjTransform>(c);
    // A WKT or code that PROJ identifies as WGS84/CGCS2000 geographic needs no work.
    if (auto core = importing::make_core_transform(t->name())) return core;
    return t;
}

std::string describe_crs(const std::string& crs) { return make_transform(crs)->name(); }

} // namespace vigil::gdal
