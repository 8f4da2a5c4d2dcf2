#include <vigil/app/hits_json.hpp>

#include <vigil/catalog/normalize.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <iterator>
#include <variant>

namespace vigil::app {

namespace {

/// Appends JSON text member by member, indented as nlohmann's dump(2) indents, or compact.
class Writer {
public:
    explicit Writer(bool pretty) : m_pretty(pretty) {}

    void open(char bracket) {
        m_out.push_back(bracket);
        ++m_depth;
        m_first = true;
    }
    void close(char bracket) {
        --m_depth;
        if (!m_first) newline();
        m_out.push_back(bracket);
        m_first = false;
    }
    /// Starts an array element or an object member (`key` empty for an element).
    void next(std::string_view key = {}) {
        if (!m_first) m_out.push_back(',');
        newline();
        m_first = false;
        if (!key.empty()) {
            string(key);
            m_out += m_pretty ? ": " : ":";
        }
    }
    void string(std::string_view s) {
        m_out.push_back('"');
        // Values come from the store as UTF-8; a byte that is not (a database written by another
        // tool) becomes U+FFFD instead of invalid JSON.
        if (text::is_valid_utf8(s)) m_out += text::json_escape(s);
        else m_out += text::json_escape(text::sanitize_utf8(s));
        m_out.push_back('"');
    }
    /// A finite number in its shortest round-trip form; JSON has no NaN or infinity: null.
    void number(double v) {
        if (std::isfinite(v)) fmt::format_to(std::back_inserter(m_out), "{}", v);
        else m_out += "null";
    }
    void integer(std::int64_t v) { fmt::format_to(std::back_inserter(m_out), "{}", v); }
    void raw(std::string_view json) { m_out += json; }
    std::string take() { return std::move(m_out); }

private:
    void newline() {
        if (!m_pretty) return;
        m_out.push_back('\n');
        m_out.append(2 * static_cast<std::size_t>(m_depth), ' ');
    }
    bool m_pretty;
    int m_depth = 0;
    bool m_first = true;
    std::string m_out;
};

/// A field's value as catalog::value_json has it, without building a JSON value for the common
/// scalars.
void value(Writer& w, const catalog::Field& field, const model::Value& v) {
    if (model::is_null(v)) return w.raw("null");
    if (field.type == catalog::FieldType::Bool) {
        if (auto i = std::get_if<std::int64_t>(&v)) return w.raw(*i != 0 ? "true" : "false");
    }
    if (field.type != catalog::FieldType::Set && field.type != catalog::FieldType::List) {
        if (auto s = std::get_if<std::string>(&v)) return w.string(*s);
        if (auto i = std::get_if<std::int64_t>(&v)) return w.integer(*i);
        if (auto d = std::get_if<double>(&v)) return w.number(*d);
    }
    w.raw(catalog::value_json(field, v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace

std::string hits_json(const model::Layer& layer, geo::Coord at, const std::vector<query::Hit>& hits, bool pretty) {
    const auto& kind = layer.kind();
    const auto name = kind.index_of_role(catalog::FieldRole::Name);
    Writer w(pretty);
    w.open('{');
    w.next("query");
    w.open('{');
    w.next("layer");
    w.string(kind.kind);
    w.next("lon");
    w.number(at.x);
    w.next("lat");
    w.number(at.y);
    w.close('}');
    w.next("results");
    w.open('[');
    for (const auto& h : hits) {
        const auto& g = layer.geometry(h.row);
        const geo::Coord c = g.type == geo::GeometryType::Point && !g.coords.empty() ? g.coords[0] : geo::representative_point(g);
        w.next();
        w.open('{');
        w.next("id");
        w.string(layer.id(h.row));
        if (name) {
            w.next("name");
            value(w, kind.fields[*name], layer.value(h.row, *name));
        }
        w.next("lon");
        w.number(c.x);
        w.next("lat");
        w.number(c.y);
        w.next("distance_m");
        w.number(std::round(h.distance_m * 100) / 100);
        for (std::size_t f = 0; f < kind.fields.size(); ++f) {
            const auto& field = kind.fields[f];
            if (field.role == catalog::FieldRole::Id || field.role == catalog::FieldRole::Name) continue;
            w.next(field.name);
            value(w, field, layer.value(h.row, f));
        }
        w.close('}');
    }
    w.close(']');
    w.close('}');
    return w.take();
}

} // namespace vigil::app
