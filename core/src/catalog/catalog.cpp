#include <vigil/catalog/catalog.hpp>

#include <vigil/catalog/units.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#ifndef VIGIL_DEFAULT_LAYERS_DIR
#define VIGIL_DEFAULT_LAYERS_DIR "layers"
#endif

namespace vigil::catalog {

using nlohmann::json;

std::string Label::both() const {
    if (zh.empty()) return en;
    if (en.empty() || en == zh) return zh;
    return zh + " (" + en + ")";
}

const std::string& Label::in(i18n::Language lang) const {
    const std::string& want = lang == i18n::Language::en ? en : zh;
    return want.empty() ? (lang == i18n::Language::en ? zh : en) : want;
}

std::string_view field_type_name(FieldType t) {
    switch (t) {
    case FieldType::Text: return "text";
    case FieldType::Integer: return "integer";
    case FieldType::Real: return "real";
    case FieldType::Bool: return "bool";
    case FieldType::Date: return "date";
    case FieldType::Enum: return "enum";
    case FieldType::Set: return "set";
    case FieldType::List: return "list";
    }
    return "?";
}

std::string_view field_role_name(FieldRole r) {
    switch (r) {
    case FieldRole::None: return "";
    case FieldRole::Id: return "id";
    case FieldRole::Name: return "name";
    case FieldRole::Category: return "category";
    case FieldRole::Capabilities: return "capabilities";
    case FieldRole::Status: return "status";
    case FieldRole::County: return "county";
    case FieldRole::Risk: return "risk";
    case FieldRole::Turnout: return "turnout";
    case FieldRole::Phone: return "phone";
    }
    return "";
}

std::string_view geometry_kind_name(GeometryKind g) {
    switch (g) {
    case GeometryKind::Point: return "point";
    case GeometryKind::Line: return "line";
    case GeometryKind::Polygon: return "polygon";
    }
    return "?";
}

const EnumValue* Field::find_value(std::string_view text) const {
    if (auto exact = value_named(text)) return exact;
    const std::string key = vigil::text::match_key(text);
    if (key.empty()) return nullptr;
    if (!value_keys.empty()) {
        auto it = value_keys.find(key);
        return it == value_keys.end() ? nullptr : &values[it->second];
    }
    for (const auto& v : values) {
        if (vigil::text::match_key(v.value) == key || vigil::text::match_key(v.label.zh) == key ||
            vigil::text::match_key(v.label.en) == key)
            return &v;
        for (const auto& s : v.synonyms)
            if (vigil::text::match_key(s) == key) return &v;
    }
    return nullptr;
}

const EnumValue* Field::value_named(std::string_view canonical) const {
    for (const auto& v : values)
        if (v.value == canonical) return &v;
    return nullptr;
}

const Field* Field::item_field(std::string_view n) const {
    for (const auto& f : item_fields)
        if (f.name == n) return &f;
    return nullptr;
}

const Field* LayerKind::field(std::string_view n) const {
    for (const auto& f : fields)
        if (f.name == n) return &f;
    return nullptr;
}

std::optional<std::size_t> LayerKind::field_index(std::string_view n) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == n) return i;
    return std::nullopt;
}

const Field* LayerKind::field_with_role(FieldRole r) const {
    for (const auto& f : fields)
        if (f.role == r) return &f;
    return nullptr;
}

std::optional<std::size_t> LayerKind::index_of_role(FieldRole r) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].role == r) return i;
    return std::nullopt;
}

std::size_t LayerKind::id_index() const {
    auto i = index_of_role(FieldRole::Id);
    if (!i) throw SchemaError(trf("layer kind '{}' has no id field", kind));
    return *i;
}

const std::vector<std::string>& reserved_column_names() {
    static const std::vector<std::string> names = {"fid", "geom", "extra", "import_id", "updated_at", "version", "rowid", "oid", "_rowid_"};
    return names;
}

namespace {

// Reads a catalogue file with a JSON path in every error, so a person editing layers/*.json
// learns exactly where the mistake is.
class Reader {
public:
    explicit Reader(std::string source) : m_source(std::move(source)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw SchemaError(m_source + ": " + (path.empty() ? "" : path + ": ") + what);
    }

    const json& member(const json& obj, const char* key, const std::string& path) const {
        auto it = obj.find(key);
        if (it == obj.end()) fail(path, trf("'{}' is missing", key));
        return *it;
    }

    std::string string_member(const json& obj, const char* key, const std::string& path, bool required) const {
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) fail(path, trf("'{}' is missing", key));
            return {};
        }
        if (!it->is_string()) fail(path + "." + key, tr("must be a string"));
        return it->get<std::string>();
    }

    double number_member(const json& obj, const char* key, const std::string& path, double fallback) const {
        auto it = obj.find(key);
        if (it == obj.end()) return fallback;
        if (!it->is_number()) fail(path + "." + key, tr("must be a number"));
        return it->get<double>();
    }

    bool bool_member(const json& obj, const char* key, const std::string& path, bool fallback) const {
        auto it = obj.find(key);
        if (it == obj.end()) return fallback;
        if (!it->is_boolean()) fail(path + "." + key, tr("must be true or false"));
        return it->get<bool>();
    }

    Label label(const json& obj, const char* key, const std::string& path, bool required) const {
        Label l;
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) fail(path, trf("'{}' is missing", key));
            return l;
        }
        if (it->is_string()) {
            l.zh = l.en = it->get<std::string>();
            return l;
        }
        if (!it->is_object()) fail(path + "." + key, tr("must be {\"zh\": ..., \"en\": ...}"));
        l.zh = string_member(*it, "zh", path + "." + key, false);
        l.en = string_member(*it, "en", path + "." + key, false);
        if (l.zh.empty() && l.en.empty()) fail(path + "." + key, tr("needs 'zh' or 'en'"));
        return l;
    }

    std::vector<std::string> strings(const json& obj, const char* key, const std::string& path) const {
        std::vector<std::string> out;
        auto it = obj.find(key);
        if (it == obj.end()) return out;
        if (!it->is_array()) fail(path + "." + key, tr("must be an array of strings"));
        for (std::size_t i = 0; i < it->size(); ++i) {
            const auto& v = (*it)[i];
            if (!v.is_string()) fail(path + "." + key + "[" + std::to_string(i) + "]", tr("must be a string"));
            out.push_back(v.get<std::string>());
        }
        return out;
    }

    void check_known_keys(const json& obj, const std::string& path, std::initializer_list<const char*> known) const {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            bool ok = std::any_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; });
            // Keys starting with '$' or '_' are comments/annotations for people.
            if (!ok && !it.key().empty() && it.key()[0] != '$' && it.key()[0] != '_')
                fail(path, trf("unknown key '{}' (misspelt?)", it.key()));
        }
    }

    static bool is_identifier(std::string_view s) {
        if (s.empty() || !(std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
        return std::all_of(s.begin(), s.end(), [](char c) {
            return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
        });
    }

    FieldType field_type(const std::string& t, const std::string& path) const {
        static const std::pair<const char*, FieldType> types[] = {
            {"text", FieldType::Text}, {"integer", FieldType::Integer}, {"real", FieldType::Real}, {"bool", FieldType::Bool},
            {"date", FieldType::Date}, {"enum", FieldType::Enum},       {"set", FieldType::Set},   {"list", FieldType::List}};
        for (auto& [name, type] : types)
            if (t == name) return type;
        fail(path + ".type", trf("unknown type '{}' (text, integer, real, bool, date, enum, set, list)", t));
    }

    FieldRole field_role(const std::string& r, const std::string& path) const {
        static const std::pair<const char*, FieldRole> roles[] = {{"id", FieldRole::Id},
                                                                  {"name", FieldRole::Name},
                                                                  {"category", FieldRole::Category},
                                                                  {"capabilities", FieldRole::Capabilities},
                                                                  {"status", FieldRole::Status},
                                                                  {"county", FieldRole::County},
                                                                  {"risk", FieldRole::Risk},
                                                                  {"turnout", FieldRole::Turnout},
                                                                  {"phone", FieldRole::Phone}};
        if (r.empty()) return FieldRole::None;
        for (auto& [name, role] : roles)
            if (r == name) return role;
        fail(path + ".role", trf("unknown role '{}'", r));
    }

    Field field(const json& j, const std::string& path, bool in_list) const {
        if (!j.is_object()) fail(path, tr("must be an object"));
        check_known_keys(j, path,
                         {"name",
                          "type",
                          "role",
                          "label",
                          "aliases",
                          "required",
                          "default",
                          "unit",
                          "unit_field",
                          "min",
                          "max",
                          "max_length",
                          "pattern",
                          "pattern_hint",
                          "check",
                          "references",
                          "fallback_field",
                          "values",
                          "item_fields",
                          "description",
                          "expected",
                          "within_m",
                          "minimum_of",
                          "renew_years",
                          "check_severity",
                          "compound",
                          "location_fallback"});
        Field f;
        f.name = string_member(j, "name", path, true);
        if (!is_identifier(f.name)) fail(path + ".name", trf("'{}' must be lower-case ASCII letters, digits and '_'", f.name));
        const auto& reserved = reserved_column_names();
        if (std::find(reserved.begin(), reserved.end(), f.name) != reserved.end())
            fail(path + ".name", trf("'{}' is reserved by the store", f.name));
        f.type = field_type(string_member(j, "type", path, true), path);
        f.role = field_role(string_member(j, "role", path, false), path);
        f.label = label(j, "label", path, true);
        f.aliases = strings(j, "aliases", path);
        f.required = bool_member(j, "required", path, false);
        if (auto it = j.find("default"); it != j.end()) f.default_json = it->dump();
        f.unit = string_member(j, "unit", path, false);
        f.unit_field = string_member(j, "unit_field", path, false);
        if (j.contains("min")) f.min = number_member(j, "min", path, 0);
        if (j.contains("max")) f.max = number_member(j, "max", path, 0);
        if (f.min && f.max && *f.min > *f.max) fail(path, tr("min is greater than max"));
        double max_length = number_member(j, "max_length", path, 0);
        if (max_length < 0) fail(path + ".max_length", tr("must not be negative"));
        f.max_length = static_cast<std::size_t>(max_length);
        f.pattern = string_member(j, "pattern", path, false);
        f.pattern_hint = string_member(j, "pattern_hint", path, false);
        if (!f.pattern.empty()) {
            try {
                std::regex re(f.pattern, std::regex::ECMAScript);
            } catch (const std::regex_error& e) {
                fail(path + ".pattern", trf("not a valid regular expression: {}", e.what()));
            }
        }
        f.check = string_member(j, "check", path, false);
        static const char* checks[] = {"uscc", "phone_cn", "cas", "un_number"};
        if (!f.check.empty() && std::none_of(std::begin(checks), std::end(checks), [&](const char* c) { return f.check == c; }))
            fail(path + ".check", trf("unknown check '{}' (uscc, phone_cn, cas, un_number)", f.check));
        if (const std::string sev = string_member(j, "check_severity", path, false); !sev.empty()) {
            if (f.check.empty()) fail(path + ".check_severity", tr("only a field with a check has a check severity"));
            if (sev != "warning" && sev != "error") fail(path + ".check_severity", trf("'{}' is neither warning nor error", sev));
            f.check_warning = sev == "warning";
        }
        if (auto it = j.find("compound"); it != j.end()) {
            const std::string cpath = path + ".compound";
            if (in_list) fail(cpath, tr("list items have no columns of their own"));
            if (!it->is_object()) fail(cpath, tr("must be an object"));
            check_known_keys(*it, cpath, {"separators", "parts_to"});
            Compound c;
            c.separators = strings(*it, "separators", cpath);
            c.parts_to = strings(*it, "parts_to", cpath);
            if (c.separators.empty()) fail(cpath + ".separators", tr("must name at least one separator"));
            for (const auto& sep : c.separators)
                if (sep.empty()) fail(cpath + ".separators", tr("a separator must not be empty"));
            f.compound = std::move(c);
        }
        if (auto it = j.find("references"); it != j.end()) {
            if (it->is_string()) f.reference_kinds = {it->get<std::string>()};
            else if (it->is_array()) f.reference_kinds = strings(j, "references", path);
            else fail(path + ".references", tr("must be a kind or an array of kinds"));
            if (f.reference_kinds.empty()) fail(path + ".references", tr("must name at least one kind"));
            for (const auto& k : f.reference_kinds)
                if (!is_identifier(k)) fail(path + ".references", trf("'{}' is not a layer kind (lower-case ASCII snake_case)", k));
            if (f.type != FieldType::Text) fail(path + ".references", tr("only a text field holds the id of another record"));
            f.references = f.reference_kinds.front();
        }
        if (auto it = j.find("location_fallback"); it != j.end()) {
            const std::string lpath = path + ".location_fallback";
            if (in_list) fail(lpath, tr("list items have no location of their own"));
            if (f.reference_kinds.empty()) fail(lpath, tr("only a field with 'references' can give a location"));
            if (!it->is_boolean() && !it->is_object()) fail(lpath, tr("must be true or {\"mark\": FIELD}"));
            if (it->is_boolean() && !it->get<bool>()) fail(lpath, tr("leave it out instead of false"));
            Field::LocationFallback lf;
            if (it->is_object()) {
                check_known_keys(*it, lpath, {"mark"});
                lf.mark = string_member(*it, "mark", lpath, false);
            }
            f.location_fallback = std::move(lf);
        }
        f.fallback_field = string_member(j, "fallback_field", path, false);
        if (in_list && !f.fallback_field.empty()) fail(path + ".fallback_field", tr("list items have no columns of their own"));
        expectations(j, path, in_list, f);

        if (!f.unit.empty()) {
            if (f.type != FieldType::Integer && f.type != FieldType::Real)
                fail(path + ".unit", tr("only integer and real fields have a unit"));
            if (!units::find_unit(f.unit)) fail(path + ".unit", trf("unknown unit '{}'", f.unit));
        }

        if (f.type == FieldType::Enum || f.type == FieldType::Set) {
            const auto& vals = member(j, "values", path);
            if (!vals.is_array() || vals.empty()) fail(path + ".values", tr("must be a non-empty array"));
            std::set<std::string> seen_keys;
            for (std::size_t i = 0; i < vals.size(); ++i) {
                std::string vpath = path + ".values[" + std::to_string(i) + "]";
                const auto& v = vals[i];
                if (!v.is_object()) fail(vpath, tr("must be an object"));
                check_known_keys(v, vpath, {"value", "label", "synonyms", "description"});
                EnumValue ev;
                ev.value = string_member(v, "value", vpath, true);
                if (!is_identifier(ev.value)) fail(vpath + ".value", trf("'{}' must be lower-case ASCII snake_case", ev.value));
                ev.label = label(v, "label", vpath, true);
                ev.synonyms = strings(v, "synonyms", vpath);
                // Two values answering to the same word would make imports ambiguous.
                std::vector<std::string> words = ev.synonyms;
                words.push_back(ev.value);
                words.push_back(ev.label.zh);
                words.push_back(ev.label.en);
                std::set<std::string> own;
                for (const auto& w : words) {
                    auto k = vigil::text::match_key(w);
                    if (k.empty() || !own.insert(k).second) continue;
                    if (!seen_keys.insert(k).second) fail(vpath, trf("'{}' also names another value of this field", w));
                    f.value_keys.emplace(k, f.values.size());
                }
                f.values.push_back(std::move(ev));
            }
        } else if (j.contains("values")) {
            fail(path + ".values", tr("only enum and set fields have values"));
        }

        if (f.type == FieldType::List) {
            if (in_list) fail(path, tr("lists cannot nest"));
            const auto& items = member(j, "item_fields", path);
            if (!items.is_array() || items.empty()) fail(path + ".item_fields", tr("must be a non-empty array"));
            std::set<std::string> names;
            for (std::size_t i = 0; i < items.size(); ++i) {
                Field item = field(items[i], path + ".item_fields[" + std::to_string(i) + "]", true);
                if (!names.insert(item.name).second)
                    fail(path + ".item_fields[" + std::to_string(i) + "]", trf("duplicate name '{}'", item.name));
                f.item_fields.push_back(std::move(item));
            }
            check_minimum_of(f.item_fields, path + ".item_fields");
            for (const auto& item : f.item_fields)
                if (!item.unit_field.empty()) {
                    const Field* target = f.item_field(item.unit_field);
                    if (!target || target->type != FieldType::Text)
                        fail(path, trf("unit_field '{}' of '{}' must name a text item field", item.unit_field, item.name));
                }
        } else if (j.contains("item_fields")) {
            fail(path + ".item_fields", tr("only list fields have item_fields"));
        }
        if (!f.unit_field.empty() && !in_list) fail(path + ".unit_field", tr("only list item fields can have unit_field"));
        if (f.role == FieldRole::Id && (f.type != FieldType::Text || !f.required))
            fail(path, tr("the id field must be a required text field"));
        return f;
    }

    // What `vigil check` expects beyond the import's rules (docs/catalogue.md, "Expectations").
    void expectations(const json& j, const std::string& path, bool in_list, Field& f) const {
        auto positive = [&](const char* key) {
            const double v = number_member(j, key, path, 0);
            if (!(v > 0) || !std::isfinite(v)) fail(path + "." + key, tr("must be a positive number"));
            return v;
        };
        if (auto it = j.find("expected"); it != j.end()) {
            if (in_list) fail(path + ".expected", tr("list items have their own 'required'"));
            if (f.required) fail(path + ".expected", tr("a required field is always there"));
            if (!it->is_object()) fail(path + ".expected", tr("must be {\"zh\": why, \"en\": why, \"severity\": \"error\" | \"warning\"}"));
            check_known_keys(*it, path + ".expected", {"zh", "en", "severity"});
            Expectation e;
            e.why = label(j, "expected", path, true);
            const std::string severity = string_member(*it, "severity", path + ".expected", false);
            if (!severity.empty() && severity != "error" && severity != "warning")
                fail(path + ".expected.severity", trf("'{}' is not error or warning", severity));
            e.error = severity == "error";
            f.expected = std::move(e);
        }
        if (j.contains("within_m")) {
            if (in_list || f.references.empty()) fail(path + ".within_m", tr("only a field with 'references' can have within_m"));
            f.within_m = positive("within_m");
        }
        f.minimum_of = string_member(j, "minimum_of", path, false);
        if (!f.minimum_of.empty() && f.type != FieldType::Integer && f.type != FieldType::Real)
            fail(path + ".minimum_of", tr("only integer and real fields can be a minimum"));
        if (j.contains("renew_years")) {
            if (in_list || f.type != FieldType::Date) fail(path + ".renew_years", tr("only a date field can have renew_years"));
            f.renew_years = positive("renew_years");
            // Whole years: a revision falls due on the same day of the month, N years on.
            if (*f.renew_years != std::floor(*f.renew_years)) fail(path + ".renew_years", tr("must be a whole number of years"));
        }
    }

    // minimum_of names a numeric sibling: another field of the kind, or of the same list item.
    void check_minimum_of(const std::vector<Field>& siblings, const std::string& path) const {
        for (std::size_t i = 0; i < siblings.size(); ++i) {
            const Field& f = siblings[i];
            if (f.minimum_of.empty()) continue;
            auto it = std::find_if(siblings.begin(), siblings.end(), [&](const Field& s) { return s.name == f.minimum_of; });
            if (it == siblings.end() || &*it == &f || (it->type != FieldType::Integer && it->type != FieldType::Real))
                fail(path + "[" + std::to_string(i) + "].minimum_of", trf("'{}' names no other numeric field beside it", f.minimum_of));
        }
    }

    Symbology symbology(const json& j, const std::string& path) const {
        Symbology s;
        if (!j.is_object()) fail(path, tr("must be an object"));
        check_known_keys(j, path,
                         {"marker", "size", "fill", "stroke", "stroke_width", "color_by", "stroke_by", "size_by", "label", "quiet",
                          "cluster", "z_order"});
        s.marker = string_member(j, "marker", path, false);
        if (s.marker.empty()) s.marker = "circle";
        static const char* markers[] = {"circle", "square", "triangle", "diamond", "star", "cross"};
        if (std::none_of(std::begin(markers), std::end(markers), [&](const char* m) { return s.marker == m; }))
            fail(path + ".marker", trf("unknown marker '{}'", s.marker));
        s.size = number_member(j, "size", path, 7);
        if (auto f = string_member(j, "fill", path, false); !f.empty()) s.fill = check_colour(f, path + ".fill");
        if (auto st = string_member(j, "stroke", path, false); !st.empty()) s.stroke = check_colour(st, path + ".stroke");
        s.stroke_width = number_member(j, "stroke_width", path, 1);
        if (auto it = j.find("color_by"); it != j.end()) {
            s.color_field = string_member(*it, "field", path + ".color_by", true);
            const auto& colours = member(*it, "colors", path + ".color_by");
            if (!colours.is_object()) fail(path + ".color_by.colors", tr("must be an object"));
            for (auto c = colours.begin(); c != colours.end(); ++c) {
                if (!c->is_string()) fail(path + ".color_by.colors." + c.key(), tr("must be a colour string"));
                s.colors[c.key()] = check_colour(c->get<std::string>(), path + ".color_by.colors." + c.key());
            }
        }
        if (auto it = j.find("stroke_by"); it != j.end()) {
            s.width_field = string_member(*it, "field", path + ".stroke_by", true);
            const auto& widths = member(*it, "widths", path + ".stroke_by");
            if (!widths.is_object()) fail(path + ".stroke_by.widths", tr("must be an object"));
            for (auto w = widths.begin(); w != widths.end(); ++w) {
                if (!w->is_number()) fail(path + ".stroke_by.widths." + w.key(), tr("must be a number"));
                s.widths[w.key()] = w->get<double>();
            }
        }
        if (auto it = j.find("size_by"); it != j.end()) {
            s.size_field = string_member(*it, "field", path + ".size_by", true);
            const auto& sizes = member(*it, "sizes", path + ".size_by");
            if (!sizes.is_object()) fail(path + ".size_by.sizes", tr("must be an object"));
            for (auto z = sizes.begin(); z != sizes.end(); ++z) {
                if (!z->is_number() || !(z->get<double>() > 0)) fail(path + ".size_by.sizes." + z.key(), tr("must be a positive number"));
                s.sizes[z.key()] = z->get<double>();
            }
        }
        if (auto it = j.find("label"); it != j.end()) {
            s.label_field = string_member(*it, "field", path + ".label", true);
            s.label_priority = static_cast<int>(number_member(*it, "priority", path + ".label", 0));
            s.label_min_zoom = number_member(*it, "min_zoom", path + ".label", 0);
            s.label_keep = bool_member(*it, "keep", path + ".label", false);
        }
        if (auto it = j.find("quiet"); it != j.end()) {
            const std::string at = path + ".quiet";
            if (!it->is_object()) fail(at, tr("must be an object"));
            check_known_keys(*it, at, {"field", "values", "fill", "size"});
            s.quiet_field = string_member(*it, "field", at, true);
            const auto& values = member(*it, "values", at);
            if (!values.is_array() || values.empty()) fail(at + ".values", tr("must be a non-empty array of values"));
            for (const auto& v : values) {
                if (!v.is_string()) fail(at + ".values", tr("must hold strings"));
                s.quiet_values.push_back(v.get<std::string>());
            }
            if (auto f = string_member(*it, "fill", at, false); !f.empty()) s.quiet_fill = check_colour(f, at + ".fill");
            s.quiet_size = number_member(*it, "size", at, s.quiet_size);
            if (!(s.quiet_size > 0)) fail(at + ".size", tr("must be a positive number"));
        }
        s.cluster = bool_member(j, "cluster", path, false);
        s.z_order = static_cast<int>(number_member(j, "z_order", path, 0));
        return s;
    }

    std::string check_colour(const std::string& c, const std::string& path) const {
        bool ok = (c.size() == 7 || c.size() == 9) && c[0] == '#' &&
                  std::all_of(c.begin() + 1, c.end(), [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); });
        if (!ok) fail(path, trf("'{}' is not a colour (#RRGGBB or #RRGGBBAA)", c));
        return c;
    }

    // Symbology must refer to fields and values that exist.
    void check_symbology_refs(const LayerKind& k) const {
        auto need_field = [&](const std::string& name, const char* what) -> const Field* {
            if (name.empty()) return nullptr;
            const Field* f = k.field(name);
            if (!f) fail("symbology." + std::string(what), trf("field '{}' does not exist", name));
            return f;
        };
        if (const Field* f = need_field(k.symbology.color_field, "color_by"))
            for (const auto& [value, colour] : k.symbology.colors)
                if (!f->values.empty() && !f->value_named(value))
                    fail("symbology.color_by.colors", trf("'{}' is not a value of field '{}'", value, f->name));
        if (const Field* f = need_field(k.symbology.width_field, "stroke_by"))
            for (const auto& [value, width] : k.symbology.widths)
                if (!f->values.empty() && !f->value_named(value))
                    fail("symbology.stroke_by.widths", trf("'{}' is not a value of field '{}'", value, f->name));
        if (const Field* f = need_field(k.symbology.size_field, "size_by"))
            for (const auto& [value, size] : k.symbology.sizes)
                if (!f->values.empty() && !f->value_named(value))
                    fail("symbology.size_by.sizes", trf("'{}' is not a value of field '{}'", value, f->name));
        need_field(k.symbology.label_field, "label");
        if (const Field* f = need_field(k.symbology.quiet_field, "quiet"))
            for (const auto& value : k.symbology.quiet_values)
                if (!f->values.empty() && !f->value_named(value))
                    fail("symbology.quiet.values", trf("'{}' is not a value of field '{}'", value, f->name));
    }

    LayerKind layer(const json& j) const {
        if (!j.is_object()) fail("", tr("a layer file must hold one JSON object"));
        check_known_keys(j, "", {"format", "kind", "title", "description", "aliases", "geometry", "fields", "symbology", "refresh_days"});
        std::string format = string_member(j, "format", "", true);
        if (format != "vigil-layer/1") fail("format", trf("'{}' is not a format this Vigil reads (vigil-layer/1)", format));
        LayerKind k;
        k.kind = string_member(j, "kind", "", true);
        if (!is_identifier(k.kind)) fail("kind", trf("'{}' must be lower-case ASCII snake_case (it names a table)", k.kind));
        if (k.kind.rfind("vigil_", 0) == 0 || k.kind.rfind("sqlite_", 0) == 0 || k.kind.rfind("idx_", 0) == 0 ||
            k.kind == "spatial_ref_sys" || k.kind == "geometry_columns")
            fail("kind", trf("'{}' is reserved for the store's own tables", k.kind));
        k.title = label(j, "title", "", true);
        k.description = label(j, "description", "", false);
        k.aliases = strings(j, "aliases", "");
        std::string g = string_member(j, "geometry", "", true);
        if (g == "point") k.geometry = GeometryKind::Point;
        else if (g == "line") k.geometry = GeometryKind::Line;
        else if (g == "polygon") k.geometry = GeometryKind::Polygon;
        else fail("geometry", trf("'{}' is not point, line or polygon", g));
        const auto& fields = member(j, "fields", "");
        if (!fields.is_array() || fields.empty()) fail("fields", tr("must be a non-empty array"));
        std::set<std::string> names;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            std::string path = "fields[" + std::to_string(i) + "]";
            Field f = field(fields[i], path, false);
            if (!names.insert(f.name).second) fail(path, trf("duplicate field name '{}'", f.name));
            if (f.role != FieldRole::None && k.field_with_role(f.role))
                fail(path, trf("role '{}' is already given to another field", field_role_name(f.role)));
            k.fields.push_back(std::move(f));
        }
        if (!k.field_with_role(FieldRole::Id)) fail("fields", tr("one field needs \"role\": \"id\""));
        check_minimum_of(k.fields, "fields");
        if (j.contains("refresh_days")) {
            const double days = number_member(j, "refresh_days", "", 0);
            if (!(days > 0) || !std::isfinite(days)) fail("refresh_days", tr("must be a positive number"));
            k.refresh_days = days;
        }
        for (std::size_t i = 0; i < k.fields.size(); ++i) {
            const Field& f = k.fields[i];
            if (f.fallback_field.empty()) continue;
            std::string path = "fields[" + std::to_string(i) + "].fallback_field";
            const Field* from = k.field(f.fallback_field);
            if (!from) fail(path, trf("names no field of this kind: '{}'", f.fallback_field));
            if (from == &f) fail(path, tr("names the field itself"));
            if (from->type != FieldType::Text || f.type != FieldType::Text) fail(path, tr("both fields must be text"));
        }
        for (std::size_t i = 0; i < k.fields.size(); ++i) {
            const Field& f = k.fields[i];
            if (!f.compound) continue;
            const std::string path = "fields[" + std::to_string(i) + "].compound";
            if (f.type != FieldType::Enum) fail(path, tr("only an enum field can hold compound values"));
            for (const auto& to : f.compound->parts_to) {
                const Field* target = k.field(to);
                if (!target) fail(path + ".parts_to", trf("names no field of this kind: '{}'", to));
                if (target == &f) fail(path + ".parts_to", tr("names the field itself"));
                if (target->type != FieldType::Enum && target->type != FieldType::Set)
                    fail(path + ".parts_to", trf("'{}' is neither an enum nor a set field", to));
            }
        }
        bool located = false;
        for (std::size_t i = 0; i < k.fields.size(); ++i) {
            const Field& f = k.fields[i];
            if (!f.location_fallback) continue;
            const std::string path = "fields[" + std::to_string(i) + "].location_fallback";
            if (k.geometry != GeometryKind::Point) fail(path, tr("only records of a point layer can take another record's location"));
            if (located) fail(path, tr("one field of a kind may give a location, and another already does"));
            located = true;
            const std::string& mark = f.location_fallback->mark;
            if (mark.empty()) continue;
            const Field* m = k.field(mark);
            if (!m || m->type != FieldType::Bool) fail(path + ".mark", trf("'{}' names no bool field of this kind", mark));
        }
        if (const Field* c = k.field_with_role(FieldRole::Capabilities); c && c->type != FieldType::Set)
            fail("fields", tr("the capabilities field must be a set"));
        if (const Field* s = k.field_with_role(FieldRole::Status); s && s->type != FieldType::Enum)
            fail("fields", tr("the status field must be an enum"));
        if (auto it = j.find("symbology"); it != j.end()) k.symbology = symbology(*it, "symbology");
        check_symbology_refs(k);
        return k;
    }

private:
    std::string m_source;
};

} // namespace

LayerKind parse_layer_kind(std::string_view json_text, const std::string& source_path) {
    json j;
    try {
        j = json::parse(json_text.begin(), json_text.end());
    } catch (const json::parse_error& e) {
        throw SchemaError(trf("{}: not valid JSON: {}", source_path, e.what()));
    }
    LayerKind k = Reader(source_path).layer(j);
    k.source_path = source_path;
    k.definition = std::string(json_text);
    return k;
}

Catalog Catalog::load_directory(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw IoError(trf("layer catalogue folder '{}' does not exist (set VIGIL_LAYERS or --layers)", dir.string()));
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    if (ec) throw IoError(trf("cannot list layer catalogue folder '{}': {}", dir.string(), ec.message()));
    std::sort(files.begin(), files.end());
    Catalog c;
    for (const auto& p : files) {
        std::ifstream in(p, std::ios::binary);
        if (!in) throw IoError(trf("cannot read catalogue file '{}'", p.string()));
        std::stringstream ss;
        ss << in.rdbuf();
        LayerKind k = parse_layer_kind(ss.str(), p.string());
        if (auto existing = c.find(k.kind); existing && existing->kind == k.kind)
            throw SchemaError(trf("{}: kind '{}' is already defined by {}", p.string(), k.kind, existing->source_path));
        c.add(std::move(k));
    }
    if (c.empty()) throw SchemaError(trf("layer catalogue folder '{}' holds no *.json layer files", dir.string()));
    return c;
}

std::filesystem::path Catalog::default_directory() {
    if (const char* env = std::getenv("VIGIL_LAYERS"); env && *env) return env;
    return VIGIL_DEFAULT_LAYERS_DIR;
}

void Catalog::add(LayerKind kind) {
    auto ptr = std::make_shared<const LayerKind>(std::move(kind));
    for (auto& k : m_kinds)
        if (k->kind == ptr->kind) {
            k = ptr;
            return;
        }
    m_kinds.push_back(std::move(ptr));
}

std::shared_ptr<const LayerKind> Catalog::find(std::string_view name) const {
    for (const auto& k : m_kinds)
        if (k->kind == name) return k;
    const std::string key = vigil::text::match_key(name);
    for (const auto& k : m_kinds) {
        if (vigil::text::match_key(k->kind) == key || vigil::text::match_key(k->title.zh) == key ||
            vigil::text::match_key(k->title.en) == key)
            return k;
        for (const auto& a : k->aliases)
            if (vigil::text::match_key(a) == key) return k;
    }
    return nullptr;
}

std::string Catalog::kinds_text() const {
    std::string known;
    for (const auto& k : m_kinds)
        known += (known.empty() ? "" : tr(", ")) + (k->title.text().empty() ? k->kind : trf("{} ({})", k->kind, k->title.text()));
    return trf("the layers are: {}", known);
}

std::shared_ptr<const LayerKind> Catalog::get(std::string_view name) const {
    if (auto k = find(name)) return k;
    throw UsageError(trf("unknown layer kind '{}'; {}", name, kinds_text()));
}

} // namespace vigil::catalog
