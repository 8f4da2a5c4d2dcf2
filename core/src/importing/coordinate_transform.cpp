#include <vigil/importing/coordinate_transform.hpp>

#include <vigil/geo/chinese_datums.hpp>
#include <vigil/util/text.hpp>

#include <cmath>

namespace vigil::importing {

namespace {

class Identity final : public CoordinateTransform {
public:
    explicit Identity(std::string name) : m_name(std::move(name)) {}
    std::string name() const override { return m_name; }
    bool source_is_geographic() const override { return true; }
    void to_wgs84(std::span<geo::Coord>) const override {}

private:
    std::string m_name;
};

class ChineseDatum final : public CoordinateTransform {
public:
    enum class Kind { Gcj02, Bd09 };
    explicit ChineseDatum(Kind k) : m_kind(k) {}
    std::string name() const override { return m_kind == Kind::Gcj02 ? "GCJ-02" : "BD-09"; }
    bool source_is_geographic() const override { return true; }
    void to_wgs84(std::span<geo::Coord> coords) const override {
        for (auto& c : coords) {
            // Only transform plausible degrees: the inverse iterates and must not be fed garbage,
            // which the caller reports anyway.
            if (!std::isfinite(c.x) || !std::isfinite(c.y) || std::fabs(c.x) > 180 || std::fabs(c.y) > 90) continue;
            c = m_kind == Kind::Gcj02 ? geo::gcj02_to_wgs84(c) : geo::bd09_to_wgs84(c);
        }
    }

private:
    Kind m_kind;
};

} // namespace

std::unique_ptr<CoordinateTransform> make_core_transform(std::string_view crs) {
    const std::string k = vigil::text::match_key(crs);
    if (k == "wgs84" || k == "epsg:4326" || k == "4326" || k == "crs84" || k == "ogc:crs84" || k == "urn:ogc:def:crs:ogc:13:crs84" ||
        k == "urn:ogc:def:crs:epsg::4326")
        return std::make_unique<Identity>("EPSG:4326");
    if (k == "cgcs2000" || k == "epsg:4490" || k == "4490") return std::make_unique<Identity>("EPSG:4490");
    if (k == "gcj02" || k == "amap" || k == "gaode" || k == "mars") return std::make_unique<ChineseDatum>(ChineseDatum::Kind::Gcj02);
    if (k == "bd09" || k == "baidu" || k == "bd09ll") return std::make_unique<ChineseDatum>(ChineseDatum::Kind::Bd09);
    return nullptr;
}

} // namespace vigil::importing
