// i18n: input vocabulary — the yes/no words, list separators and date forms clerks write (是/否, 有/无, 年月日): parsed,
// never shown; every message goes through tr().
#include <vigil/catalog/normalize.hpp>

#include <vigil/catalog/units.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <regex>

namespace vigil::catalog {

using importing::RawValue;
using nlohmann::json;

namespace {

Normalized ok(model::Value v) { return {std::move(v), {}}; }
Normalized bad(std::string why) { return {std::monostate{}, std::move(why)}; }

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string allowed_values(const Field& f) {
    std::string out;
    for (const auto& v : f.values) {
        if (!out.empty()) out += tr(", ");
        out += v.label.text().empty() ? v.value : trf("{} ({})", v.value, v.label.text());
    }
    return out;
}

std::string range_text(const Field& f) {
    if (f.min && f.max) return trf("between {} and {}", vigil::text::format_double(*f.min), vigil::text::format_double(*f.max));
    if (f.min) return trf("at least {}", vigil::text::format_double(*f.min));
    if (f.max) return trf("at most {}", vigil::text::format_double(*f.max));
    return {};
}

std::string unit_suffix(const Field& f) { return f.unit.empty() ? "" : " " + f.unit; }

// A number from any raw kind, with an optional unit converted into the field's unit.
// `unit_written` receives the unit text as written (for list items with a unit_field).
std::optional<double> number_from(const Field& f, const RawValue& raw, std::string& problem, std::string* unit_written) {
    switch (raw.kind) {
    case RawValue::Kind::Integer: return static_cast<double>(raw.integer);
    case RawValue::Kind::Real:
        if (!std::isfinite(raw.real)) {
            problem = tr("not a finite number");
            return std::nullopt;
        }
        return raw.real;
    case RawValue::Kind::Bool: problem = tr("expected a number, found true/false"); return std::nullopt;
    case RawValue::Kind::Json: problem = tr("expected a number, found a list or object"); return std::nullopt;
    case RawValue::Kind::Null: return std::nullopt;
    case RawValue::Kind::Text: break;
    }
    if (auto plain = vigil::text::parse_double(raw.text, /*allow_grouping=*/true)) return plain;
    auto q = units::parse_quantity(raw.text);
    if (!q) {
        problem = f.unit.empty() ? trf("'{}' is not a number", raw.text)
                                 : trf("'{}' is not a number (with an optional unit, e.g. 5{})", raw.text, f.unit);
        return std::nullopt;
    }
    if (!q->unit) return q->value;
    if (unit_written) *unit_written = q->unit_text;
    if (f.unit.empty()) {
        if (unit_written) return q->value; // the unit goes to the sibling unit field
        problem = trf("'{}' carries a unit, but this field takes a plain number", raw.text);
        return std::nullopt;
    }
    const units::Unit* target = units::find_unit(f.unit);
    auto converted = target ? units::convert(q->value, *q->unit, *target) : std::nullopt;
    if (!converted) {
        problem =
            trf("unit '{}' ({}) cannot be converted to {}", q->unit_text, tr(units::dimension_name(q->unit->dimension).data()), f.unit);
        return std::nullopt;
    }
    return converted;
}

Normalized in_range(const Field& f, double v, model::Value stored) {
    if ((f.min && v < *f.min) || (f.max && v > *f.max))
        return bad(trf("{}{} is out of range ({}{})", vigil::text::format_double(v), unit_suffix(f), range_text(f), unit_suffix(f)));
    return ok(std::move(stored));
}

Normalized normalize_text(const Field& f, const RawValue& raw) {
    std::string s;
    switch (raw.kind) {
    case RawValue::Kind::Text: s = std::string(vigil::text::trim(raw.text)); break;
    case RawValue::Kind::Json: s = raw.text; break;
    default: s = raw.to_display();
    }
    if (s.empty()) return ok(std::monostate{});
    std::size_t bad_at = 0;
    if (!vigil::text::is_valid_utf8(s, &bad_at)) return bad(trf("text is not valid UTF-8 at byte {} (wrong --encoding?)", bad_at));
    if (s.size() > (1u << 20)) return bad(tr("text longer than 1 MiB"));
    if (f.max_length && code_points(s) > f.max_length)
        return bad(trf("text has {} characters, at most {} allowed", code_points(s), f.max_length));
    if (!f.pattern.empty()) {
        std::regex re(f.pattern, std::regex::ECMAScript);
        if (!std::regex_match(s, re))
            return bad(f.pattern_hint.empty() ? trf("'{}' does not match the pattern {}", s, f.pattern)
                                              : trf("'{}' does not match {}", s, f.pattern_hint));
    }
    if (!f.check.empty()) {
        bool only_check_character = false;
        std::string problem = apply_check(f.check, s, &only_check_character);
        std::string why = trf("'{}': {}", vigil::text::trim(raw.to_display()), problem);
        if (!problem.empty() && only_check_character && f.check_warning) {
            Normalized n = ok(std::move(s));
            n.warning = std::move(why);
            return n;
        }
        if (!problem.empty()) return bad(std::move(why));
    }
    return ok(std::move(s));
}

Normalized normalize_integer(const Field& f, const RawValue& raw) {
    std::string problem;
    if (raw.kind == RawValue::Kind::Text) {
        if (vigil::text::trim(raw.text).empty()) return ok(std::monostate{});
        if (auto i = vigil::text::parse_int64(raw.text)) return in_range(f, static_cast<double>(*i), *i);
    }
    auto d = number_from(f, raw, problem, nullptr);
    if (!d) return problem.empty() ? ok(std::monostate{}) : bad(problem);
    if (std::floor(*d) != *d || std::fabs(*d) > 9.0e15) return bad(trf("{} is not a whole number", vigil::text::format_double(*d)));
    return in_range(f, *d, static_cast<std::int64_t>(*d));
}

Normalized normalize_real(const Field& f, const RawValue& raw) {
    if (raw.kind == RawValue::Kind::Text && vigil::text::trim(raw.text).empty()) return ok(std::monostate{});
    std::string problem;
    auto d = number_from(f, raw, problem, nullptr);
    if (!d) return problem.empty() ? ok(std::monostate{}) : bad(problem);
    return in_range(f, *d, *d);
}

Normalized normalize_bool(const RawValue& raw) {
    switch (raw.kind) {
    case RawValue::Kind::Bool: return ok(std::int64_t{raw.boolean ? 1 : 0});
    case RawValue::Kind::Integer:
        if (raw.integer == 0 || raw.integer == 1) return ok(raw.integer);
        return bad(trf("{} is not yes/no (1 or 0)", raw.integer));
    case RawValue::Kind::Real:
        if (raw.real == 0 || raw.real == 1) return ok(std::int64_t{raw.real == 1 ? 1 : 0});
        return bad(trf("{} is not yes/no (1 or 0)", raw.to_display()));
    case RawValue::Kind::Text: {
        if (vigil::text::trim(raw.text).empty()) return ok(std::monostate{});
        if (auto b = parse_bool(raw.text)) return ok(std::int64_t{*b ? 1 : 0});
        return bad(trf("'{}' is not yes/no (Y/N, yes/no, true/false, 1/0)", raw.text));
    }
    case RawValue::Kind::Json: return bad(tr("expected yes/no, found a list or object"));
    case RawValue::Kind::Null: break;
    }
    return ok(std::monostate{});
}

Normalized normalize_date(const RawValue& raw) {
    if (raw.kind == RawValue::Kind::Null) return ok(std::monostate{});
    std::string text = raw.to_display();
    if (vigil::text::trim(text).empty()) return ok(std::monostate{});
    std::string d = parse_date(text);
    if (d.empty()) return bad(trf("'{}' is not a date (use 2024-05-01 or 2024/5/1)", text));
    return ok(std::move(d));
}

Normalized normalize_enum(const Field& f, const RawValue& raw) {
    if (raw.kind == RawValue::Kind::Null) return ok(std::monostate{});
    std::string text = raw.kind == RawValue::Kind::Text ? raw.text : raw.to_display();
    if (vigil::text::trim(text).empty()) return ok(std::monostate{});
    if (const EnumValue* v = f.find_value(text)) return ok(v->value);
    return bad(trf("'{}' is not one of: {}", vigil::text::trim(text), allowed_values(f)));
}

// The words of a set cell: a JSON array, or text split on list separators.
std::vector<std::string> set_items(const RawValue& raw, std::string& problem) {
    std::vector<std::string> items;
    if (raw.kind == RawValue::Kind::Json) {
        json j = json::parse(raw.text, nullptr, false);
        if (!j.is_array()) {
            problem = tr("expected a list of values");
            return {};
        }
        for (const auto& e : j) {
            if (e.is_string()) items.push_back(e.get<std::string>());
            else if (e.is_number() || e.is_boolean()) items.push_back(e.dump());
            else {
                problem = trf("list entries must be words, found {}", e.dump());
                return {};
            }
        }
        return items;
    }
    std::string text = raw.kind == RawValue::Kind::Text ? raw.text : raw.to_display();
    if (!text.empty() && text.front() == '[') {
        RawValue as_json = RawValue::from_json(text);
        return set_items(as_json, problem);
    }
    return vigil::text::split_list(text);
}

Normalized normalize_set(const Field& f, const RawValue& raw) {
    if (raw.kind == RawValue::Kind::Null) return ok(std::monostate{});
    std::string problem;
    auto items = set_items(raw, problem);
    if (!problem.empty()) return bad(problem);
    if (items.empty()) return ok(std::monostate{});
    std::vector<bool> chosen(f.values.size(), false);
    std::string unknown;
    for (const auto& item : items) {
        const EnumValue* v = f.find_value(item);
        if (!v) {
            unknown += (unknown.empty() ? "" : tr(", ")) + trf("'{}'", item);
            continue;
        }
        chosen[static_cast<std::size_t>(v - f.values.data())] = true;
    }
    if (!unknown.empty()) return bad(trf("{} not among: {}", unknown, allowed_values(f)));
    json out = json::array();
    for (std::size_t i = 0; i < f.values.size(); ++i)
        if (chosen[i]) out.push_back(f.values[i].value);
    return ok(out.dump());
}

// --- lists -------------------------------------------------------------------------------

const Field* item_field_for_key(const Field& list, std::string_view key) {
    if (const Field* f = list.item_field(key)) return f;
    const std::string k = vigil::text::match_key(key);
    for (const auto& f : list.item_fields) {
        if (vigil::text::match_key(f.name) == k || vigil::text::match_key(f.label.zh) == k || vigil::text::match_key(f.label.en) == k)
            return &f;
        for (const auto& a : f.aliases)
            if (vigil::text::match_key(a) == k) return &f;
    }
    return nullptr;
}

RawValue raw_from_json(const json& j) {
    if (j.is_null()) return RawValue::null();
    if (j.is_boolean()) return RawValue::from_bool(j.get<bool>());
    if (j.is_number_integer()) return RawValue::from_int(j.get<std::int64_t>());
    if (j.is_number()) return RawValue::from_real(j.get<double>());
    if (j.is_string()) return RawValue::from_text(j.get<std::string>());
    return RawValue::from_json(j.dump());
}

json value_to_json(const model::Value& v) {
    if (auto i = std::get_if<std::int64_t>(&v)) return *i;
    if (auto d = std::get_if<double>(&v)) return *d;
    if (auto s = std::get_if<std::string>(&v)) return *s;
    return nullptr;
}

// Normalises one item field value and stores it in `item`; a unit written with a number goes to
// the item's unit_field when it has one.
std::string put_item_value(const Field& list, const Field& f, const RawValue& raw, json& item) {
    if (!f.unit_field.empty() && (f.type == FieldType::Real || f.type == FieldType::Integer)) {
        std::string problem, unit;
        auto d = number_from(f, raw, problem, &unit);
        if (!d) return problem;
        Normalized n = in_range(f, *d, *d);
        if (!n.ok()) return n.problem;
        item[f.name] = *d;
        if (!unit.empty()) {
            if (const units::Unit* u = units::find_unit(unit)) item[f.unit_field] = std::string(u->symbol == "item" ? unit : u->symbol);
            else item[f.unit_field] = unit;
        }
        return {};
    }
    Normalized n = normalize_value(f, raw);
    if (!n.ok()) return n.problem;
    if (!model::is_null(n.value)) item[f.name] = value_to_json(n.value);
    (void)list;
    return {};
}

// The shape of a CAS number (digits-digits-digit), whether or not its check digit is right:
// a mistyped CAS number must be reported, not taken for part of the name.
bool looks_like_cas(std::string_view t) {
    auto parts = vigil::text::split(t, '-');
    if (parts.size() != 3) return false;
    for (auto p : parts)
        if (p.empty() || !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    return parts[2].size() == 1 && parts[1].size() == 2;
}

bool looks_like_un(std::string_view t) { return t.size() >= 5 && (t[0] == 'U' || t[0] == 'u') && (t[1] == 'N' || t[1] == 'n'); }

// The compact one-line form of a list item: "液氯 7782-50-5 UN1017 50t", "中和剂:5t",
// "沙袋 3000 个". Tokens are classified by what the item fields accept: a CAS-looking token
// fills the field checked as "cas", "UN…" the "un_number" field, a number (with an optional unit)
// the first numeric field, and everything else is the item's name (its first plain text field).
std::string parse_compact_item(const Field& list, std::string_view text, json& item) {
    std::string cleaned;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t start = pos;
        char32_t cp = vigil::text::decode_utf8(text, pos);
        if (cp == U':' || cp == U'：' || cp == U'(' || cp == U')' || cp == U'（' || cp == U'）' || cp == U'\t' || cp == U'=')
            cleaned.push_back(' ');
        else cleaned.append(text.substr(start, pos - start));
    }
    std::vector<std::string> tokens;
    for (auto piece : vigil::text::split(cleaned, ' ')) {
        auto t = vigil::text::trim(piece);
        if (!t.empty()) tokens.emplace_back(t);
    }
    // "3000 个": a unit word alone after a number belongs to it.
    for (std::size_t i = 1; i < tokens.size();) {
        if (units::find_unit(tokens[i]) && vigil::text::parse_double(tokens[i - 1], true)) {
            tokens[i - 1] += tokens[i];
            tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
            ++i;
        }
    }
    const Field* name_field = nullptr;
    for (const auto& f : list.item_fields)
        if (f.type == FieldType::Text && f.check.empty() && f.unit_field.empty()) {
            bool is_unit_target =
                std::any_of(list.item_fields.begin(), list.item_fields.end(), [&](const Field& g) { return g.unit_field == f.name; });
            if (!is_unit_target) {
                name_field = &f;
                break;
            }
        }
    std::string name;
    for (const auto& tok : tokens) {
        const Field* target = nullptr;
        for (const auto& f : list.item_fields) {
            if (item.contains(f.name)) continue;
            if (f.check == "cas" && looks_like_cas(tok)) target = &f;
            else if (f.check == "un_number" && looks_like_un(tok)) target = &f;
            else if ((f.type == FieldType::Real || f.type == FieldType::Integer) && units::parse_quantity(tok)) target = &f;
            if (target) break;
        }
        if (target) {
            std::string problem = put_item_value(list, *target, RawValue::from_text(tok), item);
            if (!problem.empty()) return trf("{} {}", target->label.text(), problem);
        } else {
            name += (name.empty() ? "" : " ") + tok;
        }
    }
    if (!name.empty()) {
        if (!name_field) return trf("cannot tell what '{}' is", name);
        std::string problem = put_item_value(list, *name_field, RawValue::from_text(name), item);
        if (!problem.empty()) return problem;
    }
    return {};
}

Normalized normalize_list(const Field& f, const RawValue& raw) {
    if (raw.kind == RawValue::Kind::Null) return ok(std::monostate{});
    json items = json::array();
    std::vector<json> sources;
    std::vector<std::string> compact;
    std::string text = raw.kind == RawValue::Kind::Text ? std::string(vigil::text::trim(raw.text)) : raw.text;
    if (text.empty()) return ok(std::monostate{});
    if (raw.kind == RawValue::Kind::Json || text.front() == '[' || text.front() == '{') {
        json j = json::parse(text, nullptr, false);
        if (j.is_discarded()) return bad(tr("not valid JSON"));
        if (j.is_object()) j = json::array({j});
        if (!j.is_array()) return bad(tr("expected a list of items"));
        for (const auto& e : j) {
            if (e.is_object()) sources.push_back(e);
            else if (e.is_string()) compact.push_back(e.get<std::string>());
            else return bad(trf("list items must be objects or text, found {}", e.dump()));
        }
    } else {
        // One item per ';', '；' or line; ',' and '、' are kept because names contain them less
        // often than lists do... but a comma-separated cell is common too: accept both when no
        // semicolon or line break is present.
        const std::string& sep_text = text;
        bool has_strong =
            sep_text.find(';') != std::string::npos || sep_text.find("；") != std::string::npos || sep_text.find('\n') != std::string::npos;
        std::string current;
        std::size_t pos = 0;
        auto flush = [&] {
            auto t = vigil::text::trim(current);
            if (!t.empty()) compact.emplace_back(t);
            current.clear();
        };
        while (pos < sep_text.size()) {
            std::size_t start = pos;
            char32_t cp = vigil::text::decode_utf8(sep_text, pos);
            bool split =
                cp == U';' || cp == U'；' || cp == U'\n' || cp == U'\r' || (!has_strong && (cp == U',' || cp == U'，' || cp == U'、'));
            if (split) flush();
            else current.append(sep_text.substr(start, pos - start));
        }
        flush();
    }
    std::size_t n = 0;
    for (const auto& obj : sources) {
        ++n;
        json item = json::object();
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            const Field* target = item_field_for_key(f, it.key());
            if (!target) return bad(trf("item {}: unknown key '{}'", n, it.key()));
            std::string problem = put_item_value(f, *target, raw_from_json(*it), item);
            if (!problem.empty()) return bad(trf("item {} {}: {}", n, target->name, problem));
        }
        items.push_back(std::move(item));
    }
    for (const auto& c : compact) {
        ++n;
        json item = json::object();
        std::string problem = parse_compact_item(f, c, item);
        if (!problem.empty()) return bad(trf("item {} '{}': {}", n, c, problem));
        items.push_back(std::move(item));
    }
    n = 0;
    for (auto& item : items) {
        ++n;
        for (const auto& sub : f.item_fields)
            if (sub.required && !item.contains(sub.name)) return bad(trf("item {} has no {} ({})", n, sub.name, sub.label.text()));
    }
    if (items.empty()) return ok(std::monostate{});
    return ok(items.dump());
}

} // namespace

Normalized normalize_value(const Field& f, const RawValue& raw) {
    if (raw.kind == RawValue::Kind::Null) return ok(std::monostate{});
    switch (f.type) {
    case FieldType::Text: return normalize_text(f, raw);
    case FieldType::Integer: return normalize_integer(f, raw);
    case FieldType::Real: return normalize_real(f, raw);
    case FieldType::Bool: return normalize_bool(raw);
    case FieldType::Date: return normalize_date(raw);
    case FieldType::Enum: return normalize_enum(f, raw);
    case FieldType::Set: return normalize_set(f, raw);
    case FieldType::List: return normalize_list(f, raw);
    }
    return bad(tr("unknown field type"));
}

std::string allowed_values_text(const Field& f) { return allowed_values(f); }

CompoundSplit split_compound(const LayerKind& kind, std::size_t field_index, std::string_view text) {
    CompoundSplit out;
    const Field& f = kind.fields[field_index];
    if (!f.compound) return out;
    // The parts between separators (any of them, wherever they occur), trimmed, empty ones dropped.
    std::vector<std::string> parts;
    std::string current;
    auto flush = [&] {
        auto t = vigil::text::trim(current);
        if (!t.empty()) parts.emplace_back(t);
        current.clear();
    };
    for (std::size_t pos = 0; pos < text.size();) {
        bool at_separator = false;
        for (const auto& sep : f.compound->separators)
            if (text.substr(pos, sep.size()) == sep) {
                flush();
                pos += sep.size();
                at_separator = true;
                break;
            }
        if (!at_separator) current.push_back(text[pos++]);
    }
    flush();
    if (parts.size() < 2) return out;

    std::vector<std::size_t> targets{field_index};
    for (const auto& to : f.compound->parts_to) targets.push_back(*kind.field_index(to));
    auto field_words = [&](std::size_t t) {
        const Field& g = kind.fields[t];
        return trf("{} ({})", g.name, g.label.text());
    };
    std::vector<std::string> unknown;
    for (std::size_t i = 0; i < parts.size();) {
        bool taken = false;
        // Longest run first: "危化-经营" is one industry (危化经营), not two unknown words.
        for (std::size_t j = parts.size(); j > i && !taken; --j) {
            std::string joined;
            for (std::size_t k = i; k < j; ++k) joined += parts[k];
            for (std::size_t t : targets)
                if (const EnumValue* v = kind.fields[t].find_value(joined)) {
                    std::string written;
                    for (std::size_t k = i; k < j; ++k) written += (k > i ? "-" : "") + parts[k];
                    out.parts.push_back({t, v->value, written});
                    i = j;
                    taken = true;
                    break;
                }
        }
        if (!taken) unknown.push_back(parts[i++]);
    }
    if (!unknown.empty()) {
        std::string fields, allowed, unknown_parts;
        for (std::size_t t : targets) {
            // TRANSLATORS: between the fields a compound cell's parts may belong to ("industry (…) or special_hazards (…)").
            fields += (fields.empty() ? "" : tr(" or ")) + field_words(t);
            allowed += (allowed.empty() ? "" : "; ") + trf("{}: {}", kind.fields[t].name, allowed_values(kind.fields[t]));
        }
        for (const auto& u : unknown) unknown_parts += (unknown_parts.empty() ? "" : tr(", ")) + trf("'{}'", u);
        out.problem = unknown.size() > 1 ? trf("the parts {} of '{}' are no value of {}; allowed: {}", unknown_parts, text, fields, allowed)
                                         : trf("the part {} of '{}' is no value of {}; allowed: {}", unknown_parts, text, fields, allowed);
        out.parts.clear();
        return out;
    }
    // Exactly one value for the field itself and for each enum field among the targets.
    for (std::size_t t : targets) {
        if (kind.fields[t].type != FieldType::Enum) continue;
        std::vector<const CompoundPart*> mine;
        for (const auto& p : out.parts)
            if (p.field == t) mine.push_back(&p);
        if (mine.empty() && t == field_index) {
            out.problem = trf("no part of '{}' is a value of {}; allowed: {}", text, field_words(t), allowed_values(f));
            out.parts.clear();
            return out;
        }
        if (mine.size() > 1 && mine[0]->value != mine[1]->value) {
            out.problem = trf("'{}' gives {} two values, '{}' and '{}'", text, field_words(t), mine[0]->text, mine[1]->text);
            out.parts.clear();
            return out;
        }
    }
    return out;
}

Normalized normalize_default(const Field& f) {
    if (f.default_json.empty()) return ok(std::monostate{});
    return normalize_value(f, raw_from_json(json::parse(f.default_json)));
}

std::optional<bool> parse_bool(std::string_view text) {
    static const char* yes[] = {"是", "有", "对", "真", "y", "yes", "true", "t", "1", "√", "✓", "✔", "涉及", "已接入", "在线"};
    static const char* no[] = {"否", "无", "没有", "不", "非", "假", "n", "no", "false", "f", "0", "×", "✗", "✘", "不涉及", "未接入"};
    const std::string key = vigil::text::match_key(text);
    for (const char* w : yes)
        if (key == vigil::text::match_key(w)) return true;
    for (const char* w : no)
        if (key == vigil::text::match_key(w)) return false;
    return std::nullopt;
}

std::string parse_date(std::string_view text) {
    text = vigil::text::trim(text);
    // Up to three numbers separated by - / . 年 月 (full-width digits folded); a time part after a
    // space or 'T' is ignored. Hand-rolled because a million-row import calls this a million times.
    int nums[3] = {0, 0, 0};
    std::size_t lens[3] = {0, 0, 0};
    int count = 0;
    std::size_t pos = 0;
    bool in_number = false;
    while (pos < text.size()) {
        char32_t cp = vigil::text::decode_utf8(text, pos);
        if (cp >= 0xFF10 && cp <= 0xFF19) cp = cp - 0xFF10 + U'0';
        if (cp >= U'0' && cp <= U'9') {
            if (!in_number) {
                if (count == 3) return {};
                in_number = true;
                ++count;
            }
            std::size_t i = static_cast<std::size_t>(count - 1);
            if (++lens[i] > 8) return {};
            nums[i] = nums[i] * 10 + static_cast<int>(cp - U'0');
            continue;
        }
        in_number = false;
        if (cp == U' ' || cp == U'T') break;
        if (!(cp == U'-' || cp == U'/' || cp == U'.' || cp == U'年' || cp == U'月' || cp == U'日' || cp == U'号')) return {};
    }
    int y = 0, m = 0, d = 0;
    if (count == 1 && lens[0] == 8) {
        y = nums[0] / 10000;
        m = nums[0] / 100 % 100;
        d = nums[0] % 100;
    } else if (count == 3 && lens[0] == 4) {
        y = nums[0];
        m = nums[1];
        d = nums[2];
    } else {
        return {};
    }
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return {};
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > days[m - 1] + (m == 2 && leap ? 1 : 0)) return {};
    std::string out = "0000-00-00";
    for (int i = 3; i >= 0; --i, y /= 10) out[static_cast<std::size_t>(i)] = static_cast<char>('0' + y % 10);
    out[5] = static_cast<char>('0' + m / 10);
    out[6] = static_cast<char>('0' + m % 10);
    out[8] = static_cast<char>('0' + d / 10);
    out[9] = static_cast<char>('0' + d % 10);
    return out;
}

std::optional<double> parse_coordinate(std::string_view text) {
    text = vigil::text::trim(text);
    if (auto d = vigil::text::parse_double(text)) return d;
    // Degrees, minutes, seconds with ° ' " (or 度 分 秒, or ′ ″), hemisphere letter before or after.
    double sign = 1;
    std::string rest;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t start = pos;
        char32_t cp = vigil::text::decode_utf8(text, pos);
        switch (cp) {
        case U'S':
        case U's':
        case U'W':
        case U'w':
        case U'南':
        case U'西': sign = -1; break;
        case U'N':
        case U'n':
        case U'E':
        case U'e':
        case U'北':
        case U'东': break;
        case U'°':
        case U'度': rest += " d "; break;
        case U'\'':
        case U'′':
        case U'’':
        case U'分': rest += " m "; break;
        case U'"':
        case U'″':
        case U'”':
        case U'秒': rest += " s "; break;
        default: rest.append(text.substr(start, pos - start));
        }
    }
    double parts[3] = {0, 0, 0};
    int filled = 0;
    bool saw_unit = false;
    for (auto tok : vigil::text::split(rest, ' ')) {
        tok = vigil::text::trim(tok);
        if (tok.empty()) continue;
        if (tok == "d" || tok == "m" || tok == "s") {
            saw_unit = true;
            int want = tok == "d" ? 1 : tok == "m" ? 2 : 3;
            if (filled != want) return std::nullopt;
            continue;
        }
        auto v = vigil::text::parse_double(tok);
        if (!v || filled >= 3 || *v < 0) return std::nullopt;
        parts[filled++] = *v;
    }
    if (!saw_unit || filled == 0 || parts[1] >= 60 || parts[2] >= 60) return std::nullopt;
    return sign * (parts[0] + parts[1] / 60.0 + parts[2] / 3600.0);
}

std::string display_value(const Field& f, const model::Value& v, std::string_view lang) {
    if (model::is_null(v)) return {};
    const i18n::Language in = lang.empty() ? i18n::language() : i18n::parse_language(lang).value_or(i18n::Language::zh_CN);
    auto label_of = [&](const EnumValue& e) {
        const std::string& l = e.label.in(in);
        return l.empty() ? e.value : l;
    };
    switch (f.type) {
    case FieldType::Bool:
        if (auto i = std::get_if<std::int64_t>(&v)) return i18n::translate(*i ? N_("yes") : N_("no"), in);
        break;
    case FieldType::Enum:
        if (auto s = std::get_if<std::string>(&v))
            if (const EnumValue* e = f.value_named(*s)) return label_of(*e);
        break;
    case FieldType::Set:
        if (auto s = std::get_if<std::string>(&v)) {
            json j = json::parse(*s, nullptr, false);
            if (j.is_array()) {
                std::string out;
                for (const auto& e : j) {
                    if (!e.is_string()) continue;
                    const EnumValue* ev = f.value_named(e.get<std::string>());
                    out += (out.empty() ? "" : i18n::translate(", ", in)) + (ev ? label_of(*ev) : e.get<std::string>());
                }
                return out;
            }
        }
        break;
    default: break;
    }
    return model::to_text(v);
}

json value_json(const Field& f, const model::Value& v) {
    if (model::is_null(v)) return nullptr;
    if (f.type == FieldType::Bool) {
        if (auto i = std::get_if<std::int64_t>(&v)) return *i != 0;
    }
    if (f.type == FieldType::Set || f.type == FieldType::List) {
        if (auto s = std::get_if<std::string>(&v)) {
            json j = json::parse(*s, nullptr, false);
            if (!j.is_discarded()) return j;
        }
    }
    return value_to_json(v);
}

} // namespace vigil::catalog
