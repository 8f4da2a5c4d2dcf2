// The data-quality report (see check.hpp).
//
// [SECTION] dates
// [SECTION] county boundaries: an R-tree over each boundary's edges
// [SECTION] the checks, one function each
// [SECTION] run_checks, the request and the JSON form

#include <vigil/app/check.hpp>
#include <vigil/app/hazard_ledger.hpp>

#include "civil_dates.hpp"
#include "county_boundaries.hpp"

#include <vigil/geo/geodesic.hpp>
#include <vigil/index/hilbert_rtree.hpp>
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <ctime>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

namespace vigil::app {
namespace {

// --- [SECTION] dates -----------------------------------------------------------------------------

using civil_dates::add_years;
using civil_dates::date_text;
using civil_dates::parse_civil;
using civil_dates::parse_days;

// --- small helpers ---------------------------------------------------------------------------------

std::string metres(double m) { return fmt::format("{:.0f}", m); }

bool is_blank(const model::Value& v) {
    if (model::is_null(v)) return true;
    if (const auto* s = std::get_if<std::string>(&v)) {
        const auto t = text::trim(*s);
        return t.empty() || t == "[]" || t == "{}";
    }
    return false;
}

std::optional<double> number_of(const nlohmann::json& j) {
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) return text::parse_double(j.get<std::string>());
    return std::nullopt;
}

std::optional<double> number_of(const model::Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* s = std::get_if<std::string>(&v)) return text::parse_double(*s);
    return std::nullopt;
}

std::string name_of(const model::Layer& l, std::size_t row) {
    const auto f = l.kind().index_of_role(catalog::FieldRole::Name);
    return f ? model::to_text(l.value(row, *f)) : std::string();
}

/// "JZ410802-0001（某某化工有限公司）", or just the id when the record has no name.
std::string who(const model::Layer& l, std::size_t row) {
    const std::string n = name_of(l, row);
    return n.empty() ? l.id(row) : trf("{} ({})", l.id(row), n);
}

std::string joined(const std::vector<std::string>& parts, std::string_view sep, std::size_t limit = 5) {
    std::string out;
    for (std::size_t i = 0; i < parts.size() && i < limit; ++i) out += (i ? std::string(sep) : std::string()) + parts[i];
    if (parts.size() > limit) out += fmt::format("{}… +{}", sep, parts.size() - limit);
    return out;
}

std::string label_zh(const catalog::Field& f) { return f.label.zh.empty() ? f.name : f.label.zh; }
/// The English label inside a sentence: "duty phone", but "ID" and "CAS number" as they are.
std::string label_en(const catalog::Field& f) {
    std::string s = f.label.en.empty() ? f.name : f.label.en;
    if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) && std::islower(static_cast<unsigned char>(s[1])))
        s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}
std::string title_zh(const catalog::LayerKind& k) { return k.title.zh.empty() ? k.kind : k.title.zh; }
/// A field's label inside a sentence, in the user's language.
std::string label_of(const catalog::Field& f) { return i18n::language() == i18n::Language::en ? label_en(f) : label_zh(f); }
/// A layer kind inside a sentence: its code in English (as the messages always said), its title in Chinese.
std::string kind_name(const catalog::LayerKind& k) { return i18n::language() == i18n::Language::en ? k.kind : title_zh(k); }
/// The separator of a list in a sentence: "、" in Chinese.
std::string list_sep() { return trc("list separator", ", "); }

using county_boundaries::Boundaries;
using county_boundaries::segment_distance_m;

// --- [SECTION] the checks ---------------------------------------------------------------------------

CheckSeverity default_severity(Check c) {
    switch (c) {
    case Check::DuplicateUscc:
    case Check::NoLocation:
    case Check::OutsideCounty:
    case Check::BrokenReference: return CheckSeverity::Error;
    default: return CheckSeverity::Warning;
    }
}

/// Collects the findings and skips of one run, by check.
class Report {
public:
    explicit Report(const CheckRequest& q) : m_request(q) {}

    bool asked(Check c) const {
        return m_request.only.empty() || std::find(m_request.only.begin(), m_request.only.end(), c) != m_request.only.end();
    }
    void ran(Check c) { m_ran.insert(c); }
    void skip(Check c, std::string kind, std::string reason) {
        m_skipped[static_cast<std::size_t>(c)].push_back({c, std::move(kind), std::move(reason)});
    }
    CheckFinding& add(Check c, const model::Layer& l, std::size_t row, std::string field, std::string value, std::string message) {
        auto& list = m_findings[static_cast<std::size_t>(c)];
        CheckFinding f;
        f.check = c;
        f.severity = default_severity(c);
        f.kind = l.kind().kind;
        f.id = l.id(row);
        f.name = name_of(l, row);
        f.field = std::move(field);
        f.value = std::move(value);
        f.message = std::move(message);
        f.row = row;
        list.push_back(std::move(f));
        return list.back();
    }

    void finish(CheckResult& r) {
        for (Check c : k_checks) {
            auto& list = m_findings[static_cast<std::size_t>(c)];
            // Within a check: the layers by kind name, then rows (a check that walks two
            // layers at once, such as references, may add out of order).
            std::stable_sort(list.begin(), list.end(), [](const CheckFinding& a, const CheckFinding& b) { return a.row < b.row; });
            std::stable_sort(list.begin(), list.end(),
                             [&](const CheckFinding& a, const CheckFinding& b) { return layer_rank(a.kind) < layer_rank(b.kind); });
            for (auto& f : list) r.findings.push_back(std::move(f));
            for (auto& s : m_skipped[static_cast<std::size_t>(c)]) r.skipped.push_back(std::move(s));
            if (m_ran.count(c)) r.ran.push_back(c);
        }
    }

    void set_layer_order(std::vector<std::string> kinds) { m_order = std::move(kinds); }

private:
    std::size_t layer_rank(const std::string& kind) const {
        return static_cast<std::size_t>(std::find(m_order.begin(), m_order.end(), kind) - m_order.begin());
    }

    const CheckRequest& m_request;
    std::array<std::vector<CheckFinding>, k_checks.size()> m_findings;
    std::array<std::vector<CheckSkip>, k_checks.size()> m_skipped;
    std::set<Check> m_ran;
    std::vector<std::string> m_order;
};

using Layers = std::vector<const model::Layer*>;

void duplicate_uscc(const Layers& layers, Report& rep) {
    // The credit code is the one field the code names (by its check): GB 32100-2015 gives each
    // legal entity one code for life, so two records with one code are one entity twice, or one
    // code mistyped — unlike other fields, no catalogue mark is needed to know that.
    bool any = false;
    for (const auto* l : layers) {
        for (std::size_t f = 0; f < l->kind().fields.size(); ++f) {
            const catalog::Field& field = l->kind().fields[f];
            if (field.check != "uscc") continue;
            any = true;
            // Keys are views of the stored codes (the import stores the canonical form); only a
            // code another tool wrote untidily is folded, into `folded`. The first record of a
            // code is kept alone, the rare repeats in `more`: 100,000 codes cost no vector each.
            std::deque<std::string> folded;
            std::unordered_map<std::string_view, std::size_t> first;
            std::unordered_map<std::string_view, std::vector<std::size_t>> more;
            for (std::size_t r = 0; r < l->size(); ++r) {
                const auto* stored = std::get_if<std::string>(&l->value(r, f));
                if (!stored) continue;
                std::string_view code = *stored;
                const bool tidy =
                    std::all_of(code.begin(), code.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); });
                if (!tidy) {
                    // As the import would store it: half-width, no spaces or dashes, upper case.
                    std::string k = text::match_key(code);
                    for (char& c : k) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                    code = folded.emplace_back(std::move(k));
                }
                if (code.empty()) continue;
                const auto [at, fresh] = first.emplace(code, r);
                if (!fresh) {
                    auto& repeats = more[code];
                    std::vector<std::size_t> earlier{at->second};
                    earlier.insert(earlier.end(), repeats.begin(), repeats.end());
                    repeats.push_back(r);
                    std::vector<std::string> ids, names;
                    for (std::size_t e : earlier) ids.push_back(l->id(e)), names.push_back(who(*l, e));
                    auto& finding =
                        rep.add(Check::DuplicateUscc, *l, r, field.name, model::to_text(l->value(r, f)),
                                trf("the {} is also that of {}: one code, one entity", label_of(field), joined(names, list_sep())));
                    finding.related = std::move(ids);
                }
            }
        }
    }
    if (any) rep.ran(Check::DuplicateUscc);
    else rep.skip(Check::DuplicateUscc, "", tr("no layer has a credit-code field (check \"uscc\")"));
}

void same_name_nearby(const Layers& layers, double limit_m, Report& rep) {
    bool any = false;
    for (const auto* l : layers) {
        // Points only: a road or river is many records of one name by nature.
        const auto f_name = l->kind().index_of_role(catalog::FieldRole::Name);
        if (l->kind().geometry != catalog::GeometryKind::Point || !f_name) continue;
        any = true;
        // Names are compared as written first; the folded form (width, case, spaces) is worked
        // out only for the few records that have a neighbour within the distance.
        std::vector<std::optional<std::string>> keys(l->size());
        auto key = [&](std::size_t r) -> const std::string& {
            if (!keys[r]) keys[r] = text::match_key(model::to_text(l->value(r, *f_name)));
            return *keys[r];
        };
        auto same = [&](std::size_t a, std::size_t b) {
            const auto* x = std::get_if<std::string>(&l->value(a, *f_name));
            const auto* y = std::get_if<std::string>(&l->value(b, *f_name));
            if (!x || !y) return false;
            return *x == *y ? !key(a).empty() : key(a) == key(b);
        };
        for (std::size_t r = 0; r < l->size(); ++r) {
            const geo::Geometry& g = l->geometry(r);
            if (g.is_empty() || model::is_null(l->value(r, *f_name))) continue;
            const geo::Coord p = g.coords.front();
            std::vector<std::size_t> earlier;
            double nearest = 0;
            l->index().search(geo::bbox_around(p, limit_m), [&](std::uint32_t j) {
                if (j >= r || l->geometry(j).is_empty() || !same(j, r)) return true;
                const double d = geo::geodesic_distance_m(p, l->geometry(j).coords.front());
                if (d <= limit_m) {
                    if (earlier.empty() || d < nearest) nearest = d;
                    earlier.push_back(j);
                }
                return true;
            });
            if (earlier.empty()) continue;
            std::sort(earlier.begin(), earlier.end());
            std::vector<std::string> ids, names;
            for (std::size_t e : earlier) ids.push_back(l->id(e)), names.push_back(who(*l, e));
            const catalog::Field& field = l->kind().fields[*f_name];
            auto& finding =
                rep.add(Check::SameNameNearby, *l, r, field.name, model::to_text(l->value(r, *f_name)),
                        trf("a record of the same name lies {} m away: {} (entered twice?)", metres(nearest), joined(names, list_sep())));
            finding.related = std::move(ids);
        }
    }
    if (any) rep.ran(Check::SameNameNearby);
    else rep.skip(Check::SameNameNearby, "", tr("no point layer with a name field"));
}

void no_location(const Layers& layers, Report& rep) {
    for (const auto* l : layers) {
        rep.ran(Check::NoLocation);
        for (std::size_t r = 0; r < l->size(); ++r)
            if (l->geometry(r).is_empty())
                rep.add(Check::NoLocation, *l, r, "geom", "", tr("no location: not on the map, never found by a nearest query"));
    }
}

void counties(const Layers& layers, const model::Layer* admin, const CheckRequest& q, Report& rep) {
    std::vector<const model::Layer*> placed;
    for (const auto* l : layers) {
        if (!l->kind().index_of_role(catalog::FieldRole::County)) continue;
        if (l->kind().geometry == catalog::GeometryKind::Point) {
            placed.push_back(l);
            continue;
        }
        // A line or area may rightly cross into the next county: which part should lie inside?
        for (Check c : {Check::OutsideCounty, Check::UnknownCounty})
            rep.skip(c, l->kind().kind, tr("only points are checked against their county: lines and areas may cross"));
    }
    auto skip_both = [&](const std::string& reason) {
        rep.skip(Check::OutsideCounty, "", reason);
        rep.skip(Check::UnknownCounty, "", reason);
    };
    if (placed.empty()) return skip_both(tr("no point layer with a county field"));
    if (!admin) return skip_both(tr("the project has no admin_areas layer to check counties against"));
    Boundaries areas(admin);
    if (areas.empty()) return skip_both(tr("the admin_areas layer has no county-level areas (level = county)"));
    rep.ran(Check::OutsideCounty);
    rep.ran(Check::UnknownCounty);
    for (const auto* l : placed) {
        const std::size_t f = *l->kind().index_of_role(catalog::FieldRole::County);
        const catalog::Field& field = l->kind().fields[f];
        for (std::size_t r = 0; r < l->size(); ++r) {
            const std::string county{text::trim(model::to_text(l->value(r, f)))};
            if (county.empty() || l->geometry(r).is_empty()) continue; // placed by its point; no_location names the other
            const auto k = areas.match(county);
            if (!k) {
                rep.add(Check::UnknownCounty, *l, r, field.name, county,
                        trf("'{}' is not a county of the admin areas ({})", county, joined(areas.names(), list_sep(), 12)));
                continue;
            }
            const geo::Coord p = l->geometry(r).coords.front();
            if (areas.contains(*k, p) || areas.near_edge(*k, p, q.county_tolerance_m)) continue;
            const auto in = areas.locate(p);
            const std::string claimed = areas.area(*k).name.empty() ? areas.area(*k).id : areas.area(*k).name;
            const std::string d = metres(areas.distance_m(*k, p));
            std::string message =
                trf("the point lies {} m outside {}, in no county of the admin areas: the location or the county is wrong", d, claimed);
            if (in) {
                const auto& a = areas.area(*in);
                message = trf("the point lies {} m outside {}, in {}: the location or the county is wrong", d, claimed,
                              a.name.empty() ? a.id : a.name);
            }
            auto& finding = rep.add(Check::OutsideCounty, *l, r, field.name, county, message);
            if (in) finding.related = {areas.area(*in).id};
        }
    }
}

void references(const Layers& layers, const LayerSet& set, const CheckRequest& q, Report& rep) {
    bool any_reference = false, any_distance = false;
    for (const auto* l : layers) {
        for (std::size_t f = 0; f < l->kind().fields.size(); ++f) {
            const catalog::Field& field = l->kind().fields[f];
            // A reference to the kind itself is a hierarchy (an admin area's parent): a project
            // holds its own city's areas, not their parents, so a missing parent is no defect.
            if (field.reference_kinds.empty() || field.reference_kinds == std::vector<std::string>{l->kind().kind}) continue;
            const std::string where = l->kind().kind + "." + field.name;
            // The layers the id may name a record of (equipment: a team's or a warehouse's).
            std::vector<const model::Layer*> targets;
            std::vector<std::string> missing;
            for (const auto& k : field.reference_kinds) {
                if (k == l->kind().kind) continue;
                if (const model::Layer* t = set.find(k)) targets.push_back(t);
                else missing.push_back(k);
            }
            // 0: the field gives no distance (a plain double: GCC's -Wmaybe-uninitialized misreads optionals here).
            const double limit = field.within_m ? (q.within_m ? *q.within_m : *field.within_m) : 0.0;
            any_reference = true;
            any_distance = any_distance || limit > 0;
            if (!missing.empty()) {
                const std::string kinds = joined(missing, ", ", missing.size());
                // With another of its kinds present, an id found nowhere is still reported: it
                // is no record of the layers there are, whatever the absent one holds.
                const std::string reason = targets.empty()
                                               ? trf("the project has no {} layer to check {} against", kinds, where)
                                               : trf("the project has no {} layer: {} is checked against the others only", kinds, where);
                if (rep.asked(Check::BrokenReference)) rep.skip(Check::BrokenReference, l->kind().kind, reason);
                if (limit > 0 && rep.asked(Check::FarFromReference)) rep.skip(Check::FarFromReference, l->kind().kind, reason);
                if (targets.empty()) continue;
            }
            rep.ran(Check::BrokenReference);
            if (limit > 0) rep.ran(Check::FarFromReference);
            std::vector<std::string> searched;
            for (const auto* t : targets) searched.push_back(kind_name(t->kind()));
            for (std::size_t r = 0; r < l->size(); ++r) {
                const std::string ref{text::trim(model::to_text(l->value(r, f)))};
                if (ref.empty()) continue;
                const model::Layer* target = nullptr;
                std::optional<std::size_t> t;
                for (const auto* candidate : targets)
                    if ((t = candidate->find(ref))) {
                        target = candidate;
                        break;
                    }
                if (!target) {
                    rep.add(Check::BrokenReference, *l, r, field.name, ref,
                            trf("{} '{}' is not a record of {}", label_of(field), ref,
                                joined(searched, trc("list separator, either", " or "), searched.size())));
                    continue;
                }
                if (!(limit > 0) || l->geometry(r).is_empty() || target->geometry(*t).is_empty()) continue;
                const double d =
                    geo::geodesic_distance_m(geo::representative_point(l->geometry(r)), geo::representative_point(target->geometry(*t)));
                if (!(d > limit)) continue;
                auto& finding =
                    rep.add(Check::FarFromReference, *l, r, field.name, ref,
                            trf("{} m from {} ({}), which its {} names; more than {} m: the location or the {} is wrong", metres(d),
                                who(*target, *t), kind_name(target->kind()), label_of(field), metres(limit), label_of(field)));
                finding.related = {target->id(*t)};
            }
        }
    }
    if (!any_reference) rep.skip(Check::BrokenReference, "", tr("no field references another layer's records"));
    if (!any_distance)
        rep.skip(Check::FarFromReference, "", tr("no field of the catalogue gives a distance to its referenced record (within_m)"));
}

void missing_values(const Layers& layers, Report& rep) {
    bool any = false;
    for (const auto* l : layers)
        for (std::size_t f = 0; f < l->kind().fields.size(); ++f) {
            const catalog::Field& field = l->kind().fields[f];
            if (!field.expected) continue;
            any = true;
            for (std::size_t r = 0; r < l->size(); ++r) {
                if (!is_blank(l->value(r, f))) continue;
                auto& finding =
                    rep.add(Check::MissingValue, *l, r, field.name, "", trf("no {}: {}", label_of(field), field.expected->why.text()));
                finding.severity = field.expected->error ? CheckSeverity::Error : CheckSeverity::Warning;
            }
        }
    if (any) rep.ran(Check::MissingValue);
    else
        rep.skip(Check::MissingValue, "",
                 // clang-format off
                 tr("the project's catalogue marks no field as expected (a database imported by an older Vigil has them after its next import)"));
    // clang-format on
}

/// A list item's name (its first text item field), for messages.
std::string item_name(const catalog::Field& list, const nlohmann::json& item) {
    for (const auto& f : list.item_fields)
        if (f.type == catalog::FieldType::Text)
            if (auto it = item.find(f.name); it != item.end() && it->is_string()) return it->get<std::string>();
    return "?";
}

void below_minimum(const Layers& layers, Report& rep) {
    bool declared = false;
    for (const auto* l : layers) {
        const auto& fields = l->kind().fields;
        std::size_t minima = 0; // values of a minimum present in this layer
        bool layer_declares = false;
        // Top-level pairs: a field that is the minimum of a sibling.
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (fields[f].minimum_of.empty()) continue;
            layer_declares = true;
            const auto t = l->kind().field_index(fields[f].minimum_of);
            for (std::size_t r = 0; r < l->size(); ++r) {
                const auto min = number_of(l->value(r, f));
                if (!min) continue;
                ++minima;
                const auto have = number_of(l->value(r, *t));
                if (have && *have < *min)
                    rep.add(Check::BelowMinimum, *l, r, fields[*t].name, text::format_double(*have),
                            trf("{} {} is below its {} {}", label_of(fields[*t]), text::format_double(*have), label_of(fields[f]),
                                text::format_double(*min)));
            }
        }
        // List items: a warehouse's stock lines, each with its own minimum.
        for (std::size_t f = 0; f < fields.size(); ++f) {
            const catalog::Field& list = fields[f];
            if (list.type != catalog::FieldType::List) continue;
            for (const auto& mf : list.item_fields) {
                if (mf.minimum_of.empty()) continue;
                layer_declares = true;
                const catalog::Field* qf = list.item_field(mf.minimum_of);
                for (std::size_t r = 0; r < l->size(); ++r) {
                    const std::string stored = model::to_text(l->value(r, f));
                    if (stored.empty()) continue;
                    const auto items = nlohmann::json::parse(stored, nullptr, false);
                    if (!items.is_array()) continue;
                    for (const auto& item : items) {
                        if (!item.is_object() || !item.contains(mf.name)) continue;
                        const auto min = number_of(item[mf.name]);
                        if (!min) continue;
                        ++minima;
                        const auto have = item.contains(qf->name) ? number_of(item[qf->name]) : std::optional<double>(0.0);
                        if (!have || !(*have < *min)) continue;
                        std::string unit = qf->unit;
                        if (!qf->unit_field.empty())
                            if (auto u = item.find(qf->unit_field); u != item.end() && u->is_string()) unit = u->get<std::string>();
                        const std::string name = item_name(list, item);
                        const std::string h = text::format_double(*have) + unit, m = text::format_double(*min) + unit;
                        rep.add(Check::BelowMinimum, *l, r, list.name, name + " " + h,
                                trf("{} '{}': {} {}, below its {} {}: to be restocked", label_of(list), name, label_of(*qf), h,
                                    label_of(mf), m));
                    }
                }
            }
        }
        if (!layer_declares) continue;
        declared = true;
        if (minima == 0)
            rep.skip(Check::BelowMinimum, l->kind().kind, trf("no record of {} gives a minimum to compare with", kind_name(l->kind())));
        else rep.ran(Check::BelowMinimum);
    }
    if (!declared) rep.skip(Check::BelowMinimum, "", tr("no field of the catalogue is the minimum of another (minimum_of)"));
}

void past_revision(const Layers& layers, const std::int64_t* as_of, Report& rep) {
    bool declared = false;
    for (const auto* l : layers)
        for (std::size_t f = 0; f < l->kind().fields.size(); ++f) {
            const catalog::Field& field = l->kind().fields[f];
            if (!field.renew_years) continue;
            declared = true;
            if (!as_of) continue;
            rep.ran(Check::PastRevision);
            const auto years = static_cast<std::int64_t>(std::llround(*field.renew_years));
            for (std::size_t r = 0; r < l->size(); ++r) {
                const std::string date = model::to_text(l->value(r, f));
                const auto c = parse_civil(date);
                if (!c) continue; // empty: the field's `expected` says so, if the catalogue wants it
                const std::int64_t due = add_years(*c, years);
                if (*as_of <= due) continue;
                rep.add(Check::PastRevision, *l, r, field.name, date,
                        trf("{} {} is past its {}-year revision (due {})", label_of(field), date, years, date_text(due)));
            }
        }
    if (!declared)
        rep.skip(Check::PastRevision, "",
                 tr("no layer has a date field with a revision period (renew_years): the project has no emergency-plans layer (plans)"));
    else if (!as_of) rep.skip(Check::PastRevision, "", tr("no as-of date to reckon revisions from"));
}

void stale_records(const Layers& layers, const CheckRequest& q, const std::int64_t* as_of, Report& rep) {
    bool declared = false;
    for (const auto* l : layers) {
        if (!l->kind().refresh_days) continue;
        declared = true;
        if (!as_of) continue;
        const double limit = q.stale_days ? *q.stale_days : *l->kind().refresh_days;
        bool known = false;
        for (std::size_t r = 0; r < l->size() && !known; ++r) known = !l->updated_at(r).empty();
        if (!known) {
            if (l->size() > 0)
                rep.skip(Check::StaleRecord, l->kind().kind, trf("the {} layer keeps no update times", kind_name(l->kind())));
            continue;
        }
        rep.ran(Check::StaleRecord);
        for (std::size_t r = 0; r < l->size(); ++r) {
            const std::string& at = l->updated_at(r);
            const auto day = parse_days(at);
            if (!day) {
                // Safe side: a record whose update time is unreadable (a row written by another
                // tool) is treated as old, and said so.
                rep.add(Check::StaleRecord, *l, r, "updated_at", at,
                        trf("update time unknown ('{}'), taken as older than {} days", at, metres(limit)));
                continue;
            }
            const std::int64_t age = *as_of - *day;
            if (static_cast<double>(age) <= limit) continue;
            rep.add(Check::StaleRecord, *l, r, "updated_at", date_text(*day),
                    trf("not updated since {} ({} days, more than {}): to be confirmed", date_text(*day), age, metres(limit)));
        }
    }
    if (!declared) rep.skip(Check::StaleRecord, "", tr("no layer kind gives a refresh period (refresh_days)"));
    else if (!as_of) rep.skip(Check::StaleRecord, "", tr("no as-of date to reckon staleness from"));
}

void hazard_counts(const LayerSet& set, const std::string& as_of, Report& rep) {
    const model::Layer* ents = set.find("enterprises");
    if (!set.find("hidden_hazards"))
        return rep.skip(Check::HazardCounts, "",
                        tr("the project has no hidden_hazards layer to check the typed-in hidden-hazard counts against"));
    if (!ents) return rep.skip(Check::HazardCounts, "", tr("the project has no enterprises layer"));
    const auto f_open = ents->kind().field_index("open_hazards"), f_overdue = ents->kind().field_index("overdue_hazards");
    if (!f_open && !f_overdue)
        return rep.skip(Check::HazardCounts, "enterprises", tr("the enterprises layer has no typed-in hidden-hazard counts"));
    if (as_of.empty()) return rep.skip(Check::HazardCounts, "", tr("no as-of date to reckon open and overdue hidden hazards at"));
    rep.ran(Check::HazardCounts);
    const HazardLedger g = hazard_ledger(set, as_of);
    for (std::size_t e = 0; e < ents->size(); ++e) {
        const auto open = typed_hazard_count(*ents, e, "open_hazards");
        const auto overdue = typed_hazard_count(*ents, e, "overdue_hazards");
        if (!g.in_ledger[e]) {
            // The statistics keep the typed counts of an enterprise the records do not know, but
            // the ledger should hold the hazards the register counts.
            if (open && *open > 0)
                rep.add(Check::HazardCounts, *ents, e, "open_hazards", std::to_string(*open),
                        // clang-format off
                        trf("the register gives {} open hidden hazard(s), the hidden-hazard records hold none of this enterprise (the statistics keep the typed count)",
                            *open));
            // clang-format on
            continue;
        }
        if (open && *open != g.counts.open[e])
            rep.add(Check::HazardCounts, *ents, e, "open_hazards", std::to_string(*open),
                    trf("typed open hidden hazards {}, the records show {} as of {} (the statistics count the records)", *open,
                        g.counts.open[e], as_of));
        // Only more overdue than the records show is a disagreement: a count typed on some day
        // falls behind the records as their deadlines pass, by the calendar alone.
        if (overdue && *overdue > g.counts.overdue[e])
            rep.add(Check::HazardCounts, *ents, e, "overdue_hazards", std::to_string(*overdue),
                    trf("typed overdue hidden hazards {}, the records show {} overdue as of {} (the statistics count the records)",
                        *overdue, g.counts.overdue[e], as_of));
    }
}

void validate(const CheckRequest& q) {
    auto positive = [](double v, const char* key) {
        if (!(v > 0) || !std::isfinite(v)) throw UsageError(trf("check: {} must be a positive number, not {}", key, v));
    };
    positive(q.same_name_m, "same_name_m");
    if (!(q.county_tolerance_m >= 0) || !std::isfinite(q.county_tolerance_m))
        throw UsageError(trf("check: county_tolerance_m must be 0 or more, not {}", q.county_tolerance_m));
    if (q.within_m) positive(*q.within_m, "within_m");
    if (q.stale_days) positive(*q.stale_days, "stale_days");
    if (!q.as_of.empty() && (q.as_of.size() != 10 || !parse_civil(q.as_of)))
        throw UsageError(trf("check: as_of must be a date YYYY-MM-DD, not '{}'", q.as_of));
}

/// Whether a kind has anything the checks look at besides the location.
bool has_checks(const catalog::LayerKind& k) {
    if (k.geometry == catalog::GeometryKind::Point || k.refresh_days || k.index_of_role(catalog::FieldRole::County)) return true;
    for (const auto& f : k.fields) {
        if (f.check == "uscc" || f.expected || f.renew_years || !f.minimum_of.empty() ||
            (!f.reference_kinds.empty() && f.reference_kinds != std::vector<std::string>{k.kind}))
            return true;
        for (const auto& i : f.item_fields)
            if (!i.minimum_of.empty()) return true;
    }
    return false;
}

} // namespace

void validate_check_request(const CheckRequest& q) { validate(q); }

// --- [SECTION] run_checks, the request and the JSON form ---------------------------------------------

std::string_view check_code(Check c) {
    switch (c) {
    case Check::DuplicateUscc: return "duplicate_uscc";
    case Check::SameNameNearby: return "same_name_nearby";
    case Check::NoLocation: return "no_location";
    case Check::OutsideCounty: return "outside_county";
    case Check::UnknownCounty: return "unknown_county";
    case Check::BrokenReference: return "broken_reference";
    case Check::FarFromReference: return "far_from_reference";
    case Check::MissingValue: return "missing_value";
    case Check::BelowMinimum: return "below_minimum";
    case Check::PastRevision: return "past_revision";
    case Check::StaleRecord: return "stale_record";
    case Check::HazardCounts: return "hazard_counts";
    }
    return "?";
}

std::optional<Check> parse_check(std::string_view code) {
    for (Check c : k_checks)
        if (check_code(c) == code) return c;
    return std::nullopt;
}

std::string_view check_title(Check c) {
    switch (c) {
    case Check::DuplicateUscc: return tr("duplicate credit codes");
    case Check::SameNameNearby: return tr("the same name close by");
    case Check::NoLocation: return tr("records without a location");
    case Check::OutsideCounty: return tr("outside the county claimed");
    case Check::UnknownCounty: return tr("county not among the admin areas");
    case Check::BrokenReference: return tr("references to missing records");
    case Check::FarFromReference: return tr("far from the record it belongs to");
    case Check::MissingValue: return tr("expected values missing");
    case Check::BelowMinimum: return tr("below the minimum reserve");
    case Check::PastRevision: return tr("past revision");
    case Check::StaleRecord: return tr("not updated for long");
    case Check::HazardCounts: return tr("typed hidden-hazard counts unlike the records");
    }
    return "?";
}

std::string_view severity_name(CheckSeverity s) { return s == CheckSeverity::Error ? "error" : "warning"; }

std::size_t CheckResult::errors() const {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [](const CheckFinding& f) { return f.severity == CheckSeverity::Error; }));
}
std::size_t CheckResult::warnings() const { return findings.size() - errors(); }
std::size_t CheckResult::count(Check c) const {
    return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(), [c](const CheckFinding& f) { return f.check == c; }));
}
bool CheckResult::asked(Check c) const {
    return request.only.empty() || std::find(request.only.begin(), request.only.end(), c) != request.only.end();
}

CheckResult run_checks(const CheckRequest& request, const LayerSet& layers) {
    validate(request);
    CheckResult result;
    result.request = request;
    Report rep(request);
    // The layers by kind name: the report reads the same whatever order a shell holds them in
    // (the viewer keeps its layers in drawing order, the CLI in the database's).
    Layers checked;
    for (const auto& l : layers.all())
        if (has_checks(l->kind())) {
            checked.push_back(l.get());
            result.records += l->size();
        }
    std::sort(checked.begin(), checked.end(), [](const model::Layer* a, const model::Layer* b) { return a->kind().kind < b->kind().kind; });
    std::vector<std::string> order;
    for (const auto* l : checked) order.push_back(l->kind().kind);
    rep.set_layer_order(order);
    // A pointer, null without a date (GCC's -Wmaybe-uninitialized misreads an optional passed on).
    const std::int64_t as_of_days = request.as_of.empty() ? 0 : parse_days(request.as_of).value_or(0);
    const std::int64_t* as_of = request.as_of.empty() ? nullptr : &as_of_days;
    if (rep.asked(Check::DuplicateUscc)) duplicate_uscc(checked, rep);
    if (rep.asked(Check::SameNameNearby)) same_name_nearby(checked, request.same_name_m, rep);
    if (rep.asked(Check::NoLocation)) no_location(checked, rep);
    if (rep.asked(Check::OutsideCounty) || rep.asked(Check::UnknownCounty)) counties(checked, layers.find("admin_areas"), request, rep);
    if (rep.asked(Check::BrokenReference) || rep.asked(Check::FarFromReference)) references(checked, layers, request, rep);
    if (rep.asked(Check::MissingValue)) missing_values(checked, rep);
    if (rep.asked(Check::BelowMinimum)) below_minimum(checked, rep);
    if (rep.asked(Check::PastRevision)) past_revision(checked, as_of, rep);
    if (rep.asked(Check::StaleRecord)) stale_records(checked, request, as_of, rep);
    if (rep.asked(Check::HazardCounts)) hazard_counts(layers, request.as_of, rep);
    rep.finish(result);
    // A check run together with its sibling (county, references) but not asked for is dropped.
    std::erase_if(result.findings, [&](const CheckFinding& f) { return !result.asked(f.check); });
    std::erase_if(result.skipped, [&](const CheckSkip& s) { return !result.asked(s.check); });
    std::erase_if(result.ran, [&](Check c) { return !result.asked(c); });
    return result;
}

std::vector<std::string> kinds_to_check(const catalog::Catalog& catalogue) {
    std::vector<std::string> out;
    for (const auto& k : catalogue.kinds())
        if (k->kind == "admin_areas" || has_checks(*k)) out.push_back(k->kind);
    return out;
}

CheckRequest check_request_from_json(const nlohmann::json& j) {
    if (!j.is_object()) throw UsageError(trf("check request: give a JSON object, not {}", j.dump()));
    CheckRequest q;
    auto number = [](const nlohmann::json& v, const std::string& key) {
        if (!v.is_number()) throw UsageError(trf("check request: \"{}\" must be a number, not {}", key, v.dump()));
        return v.get<double>();
    };
    for (const auto& [key, v] : j.items()) {
        if (key == "only") {
            if (!v.is_array()) throw UsageError(trf("check request: \"only\" must be an array of check codes, not {}", v.dump()));
            for (const auto& c : v) {
                const auto check = c.is_string() ? parse_check(c.get<std::string>()) : std::nullopt;
                if (!check) throw UsageError(trf("check request: unknown check {}", c.dump()));
                q.only.push_back(*check);
            }
        } else if (key == "as_of") {
            if (!v.is_string()) throw UsageError(trf("check request: \"as_of\" must be a date \"YYYY-MM-DD\", not {}", v.dump()));
            q.as_of = v.get<std::string>();
        } else if (key == "same_name_m") q.same_name_m = number(v, key);
        else if (key == "county_tolerance_m") q.county_tolerance_m = number(v, key);
        else if (key == "within_m") q.within_m = number(v, key);
        else if (key == "stale_days") q.stale_days = number(v, key);
        else
            throw UsageError(trf("check request: unknown key \"{}\" ({})", key,
                                 "only, as_of, same_name_m, county_tolerance_m, within_m, stale_days")); // i18n: not shown: keys
    }
    validate(q);
    return q;
}

nlohmann::json to_json(const CheckResult& r) {
    using nlohmann::json;
    const auto& q = r.request;
    json only = json::array();
    for (Check c : q.only) only.push_back(check_code(c));
    json checks = json::array();
    for (Check c : k_checks) {
        if (!r.asked(c)) continue;
        checks.push_back({{"check", check_code(c)},
                          {"title", check_title(c)},
                          {"run", std::find(r.ran.begin(), r.ran.end(), c) != r.ran.end()},
                          {"findings", r.count(c)}});
    }
    json findings = json::array();
    for (const auto& f : r.findings)
        findings.push_back({{"check", check_code(f.check)},
                            {"severity", severity_name(f.severity)},
                            {"layer", f.kind},
                            {"id", f.id},
                            {"name", f.name},
                            {"field", f.field},
                            {"value", f.value},
                            {"message", f.message},
                            {"related", f.related}});
    json skipped = json::array();
    for (const auto& s : r.skipped)
        skipped.push_back({{"check", check_code(s.check)}, {"layer", s.kind.empty() ? json(nullptr) : json(s.kind)}, {"reason", s.reason}});
    return {{"as_of", q.as_of.empty() ? json(nullptr) : json(q.as_of)},
            {"only", std::move(only)},
            {"thresholds",
             {{"same_name_m", q.same_name_m},
              {"county_tolerance_m", q.county_tolerance_m},
              {"within_m", q.within_m ? json(*q.within_m) : json(nullptr)},
              {"stale_days", q.stale_days ? json(*q.stale_days) : json(nullptr)}}},
            {"records", r.records},
            {"errors", r.errors()},
            {"warnings", r.warnings()},
            {"checks", std::move(checks)},
            {"findings", std::move(findings)},
            {"skipped", std::move(skipped)}};
}

std::string today_utc() {
    const auto now = std::chrono::system_clock::now();
    const auto days = std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24;
    return date_text(days);
}

} // namespace vigil::app
