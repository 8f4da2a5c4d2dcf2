/// @file
/// GB 18218-2018 identification and grading: table parsing, substance look-up, S and R.

#include <vigil/hazard/gb18218.hpp>

#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include "csv_table.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace vigil::hazard {
namespace {

using detail::read_table;

// Thresholds are compared with a tiny relative slack: quantities typed as decimals (0.1 t)
// make sums like 0.9999999999999999 where the standard means exactly 1.
constexpr double k_slack = 1e-9;

double to_number(std::string_view s, const std::string& where) {
    auto v = text::parse_double(s);
    if (!v || !std::isfinite(*v))
        throw InventoryError(where + ": '" + std::string(s) + "' is not a number"); // i18n: not shown: built-in table
    return *v;
}

// ---- names ----

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

/// Trimmed, full-width brackets and commas folded to ASCII, ASCII upper-cased: what the bureau's
/// spreadsheets vary in ("氯化氢（无水）", "tdi").
std::string normalize(std::string_view in) {
    std::string s(in);
    replace_all(s, "\xEF\xBC\x88", "("); // （
    replace_all(s, "\xEF\xBC\x89", ")"); // ）
    replace_all(s, "\xEF\xBC\x8C", ","); // ，
    replace_all(s, "\xEF\xBC\xBB", "["); // ［
    replace_all(s, "\xEF\xBC\xBD", "]"); // ］
    replace_all(s, "\xE3\x80\x80", " "); // ideographic space
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

/// The name without its bracketed qualifier: "氯化氢(无水)" → "氯化氢", "硝化纤维素[干的…]" → "硝化纤维素".
std::string base_name(const std::string& name) {
    auto p = name.find_first_of("([");
    if (p == std::string::npos || p == 0) return name;
    return name.substr(0, p);
}

std::vector<std::string> split(std::string_view s, std::string_view seps) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (seps.find(c) != std::string_view::npos) {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

/// Category symbols from a record's category cell: "W5.1", "J3;W2", "J3、W2", "j3 w2".
std::vector<std::string> category_symbols(std::string_view cell) {
    std::string s = normalize(cell);
    replace_all(s, "\xE3\x80\x81", ";"); // 、
    replace_all(s, "\xEF\xBC\x9B", ";"); // ；
    return split(s, ";, /");
}

/// "record JZ-1" (or "inventory" when the record has no id), as messages name the unit.
std::string who(std::string_view record_id) { return record_id.empty() ? std::string(tr("inventory")) : trf("record {}", record_id); }

std::string describe(std::string_view record_id, const InventoryItem& item) {
    if (!item.substance.empty()) return trf("{}, substance '{}'", who(record_id), item.substance);
    if (!item.cas.empty()) return trf("{}, CAS {}", who(record_id), item.cas);
    return who(record_id);
}

std::string format_number(double v) { return text::format_double(v); }

/// A contribution's note holds every assumption made for its row, separated by "; " (in the
/// user's language).
void add_note(std::string& note, const std::string& more) {
    if (!note.empty()) note += tr("; ");
    note += more;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

} // namespace

namespace {
const char* grade_msgid(Grade g) {
    switch (g) {
    case Grade::Grade1: return N_("grade I");
    case Grade::Grade2: return N_("grade II");
    case Grade::Grade3: return N_("grade III");
    case Grade::Grade4: return N_("grade IV");
    case Grade::NotMajor: break;
    }
    return N_("not a major hazard source");
}
} // namespace

std::string_view grade_text(Grade g) { return tr(grade_msgid(g)); }

std::string_view grade_label_zh(Grade g) { return i18n::translate(grade_msgid(g), i18n::Language::zh_CN); }

std::string_view grade_value(Grade g) {
    switch (g) {
    case Grade::Grade1: return "grade1";
    case Grade::Grade2: return "grade2";
    case Grade::Grade3: return "grade3";
    case Grade::Grade4: return "grade4";
    case Grade::NotMajor: break;
    }
    return "not_major";
}

const Gb18218& Gb18218::builtin() {
    static const Gb18218 tables = from_csv(embedded::gb18218_table1(), embedded::gb18218_table2(), embedded::gb18218_table3(),
                                           embedded::gb18218_table5(), embedded::gb18218_named_classes());
    return tables;
}

Gb18218 Gb18218::from_csv(std::string_view table1, std::string_view table2, std::string_view table3, std::string_view table5,
                          std::string_view classes) {
    Gb18218 g;
    {
        auto t = read_table(table1, "GB 18218 table 1");
        auto seq = t.col("seq"), name = t.col("name_zh"), alias = t.col("alias_zh"), cas = t.col("cas"), q = t.col("critical_quantity_t");
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& r = t.rows[i];
            std::string where = t.name + " row " + std::to_string(i + 1);
            NamedSubstance s;
            s.seq = static_cast<int>(to_number(r[seq], where));
            s.name_zh = r[name];
            s.aliases = split(r[alias], ";");
            for (auto& c : split(r[cas], ";")) s.cas.push_back(base_name(c)); // "74-82-8(甲烷)" → "74-82-8"
            s.critical_t = to_number(r[q], where);
            // i18n: not shown: built-in table
            if (s.critical_t <= 0) throw InventoryError(where + ": critical quantity must be positive");
            g.m_named.push_back(std::move(s));
        }
    }
    {
        auto t = read_table(table2, "GB 18218 table 2");
        auto sym = t.col("symbol"), cat = t.col("category_zh"), desc = t.col("description_zh"), q = t.col("critical_quantity_t"),
             beta = t.col("beta_table4");
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& r = t.rows[i];
            std::string where = t.name + " row " + std::to_string(i + 1);
            g.m_categories.push_back({normalize(r[sym]), r[cat], r[desc], to_number(r[q], where), to_number(r[beta], where)});
        }
    }
    {
        auto t = read_table(table3, "GB 18218 table 3");
        auto name = t.col("name_zh"), cas = t.col("cas"), beta = t.col("beta");
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& r = t.rows[i];
            double b = to_number(r[beta], t.name + " row " + std::to_string(i + 1));
            if (!r[cas].empty()) g.m_toxic_by_cas.emplace_back(r[cas], b);
            g.m_toxic_by_name.emplace_back(normalize(r[name]), b);
        }
    }
    {
        auto t = read_table(table5, "GB 18218 table 5");
        auto item = t.col("item"), min = t.col("min"), max = t.col("max_exclusive"), value = t.col("value");
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& r = t.rows[i];
            std::string where = t.name + " row " + std::to_string(i + 1);
            Band b;
            b.min = r[min].empty() ? -std::numeric_limits<double>::infinity() : to_number(r[min], where);
            if (!r[max].empty()) b.max_exclusive = to_number(r[max], where);
            b.value = to_number(r[value], where);
            if (r[item] == "alpha") g.m_alpha.push_back(b);
            else if (r[item] == "grade") g.m_grades.push_back(b);
            // i18n: not shown: built-in table
            else throw InventoryError(where + ": unknown item '" + r[item] + "'");
        }
    }
    if (g.m_named.empty() || g.m_categories.empty() || g.m_alpha.empty() || g.m_grades.empty())
        throw InventoryError("GB 18218 reference tables are incomplete"); // i18n: not shown: built-in table
    {
        // Every table 1 row needs its classification: without it a substance outside table 3
        // would have no β, and β = 1 would understate R (by a half for an explosive).
        auto t = read_table(classes, "GB 18218 table 1 substance classes"); // i18n: not shown: built-in table's name
        auto seq = t.col("seq"), name = t.col("name_zh"), cats = t.col("categories"), also_named = t.col("also_named"),
             also_cas = t.col("also_cas"), classification = t.col("classification_zh");
        std::vector<bool> seen(g.m_named.size(), false);
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const auto& r = t.rows[i];
            std::string where = t.name + " row " + std::to_string(i + 1);
            int n = static_cast<int>(to_number(r[seq], where));
            auto it = std::find_if(g.m_named.begin(), g.m_named.end(), [n](const NamedSubstance& s) { return s.seq == n; });
            // i18n: not shown: built-in table
            if (it == g.m_named.end()) throw InventoryError(where + ": table 1 has no row " + std::to_string(n));
            if (it->name_zh != r[name]) // i18n: not shown: built-in table
                throw InventoryError(where + ": names '" + r[name] + "' but table 1 row " + std::to_string(n) + " is '" + it->name_zh +
                                     "'");
            auto index = static_cast<std::size_t>(it - g.m_named.begin());
            // i18n: not shown: built-in table
            if (seen[index]) throw InventoryError(where + ": table 1 row " + std::to_string(n) + " is classified twice");
            seen[index] = true;
            for (const auto& hazard : split(r[cats], ";")) {
                std::vector<std::string> alternatives;
                for (const auto& sym : split(hazard, "|")) {
                    // i18n: not shown: built-in table
                    if (!g.category(sym)) throw InventoryError(where + " (" + it->name_zh + "): '" + sym + "' is not a table 2 category");
                    alternatives.push_back(normalize(sym));
                }
                it->hazard_categories.push_back(std::move(alternatives));
            }
            it->also_named = split(r[also_named], ";");
            it->also_cas = split(r[also_cas], ";");
            it->classification_zh = r[classification];
        }
        for (std::size_t i = 0; i < seen.size(); ++i)
            if (!seen[i])
                // i18n: not shown: built-in table
                throw InventoryError(t.name + ": table 1 row " + std::to_string(g.m_named[i].seq) + " (" + g.m_named[i].name_zh +
                                     ") has no classification"); // i18n: not shown: built-in table
    }
    return g;
}

const NamedSubstance* Gb18218::find(const InventoryItem& item, MatchedBy* how, bool* ambiguous) const {
    if (how) *how = MatchedBy::None;
    if (ambiguous) *ambiguous = false;
    const std::string key = normalize(item.substance);
    const std::string cas = normalize(item.cas);

    std::vector<const NamedSubstance*> hits;
    MatchedBy by = MatchedBy::None;
    auto collect = [&](auto&& pred, MatchedBy level) {
        if (!hits.empty()) return;
        for (const auto& s : m_named)
            if (pred(s)) hits.push_back(&s);
        if (!hits.empty()) by = level;
    };
    if (!key.empty()) {
        collect([&](const NamedSubstance& s) { return normalize(s.name_zh) == key; }, MatchedBy::Name);
        collect([&](const NamedSubstance& s) { return base_name(normalize(s.name_zh)) == key; }, MatchedBy::Name);
        // The substances a row's name lists ("甲烷,天然气"; 煤气's CO, 焦炉煤气 ...): data, not
        // a parse of the name, which cannot tell "1,3-丁二烯" (one substance) from a list.
        collect(
            [&](const NamedSubstance& s) {
                return std::any_of(s.also_named.begin(), s.also_named.end(), [&](const std::string& m) { return normalize(m) == key; });
            },
            MatchedBy::Name);
        collect(
            [&](const NamedSubstance& s) {
                return std::any_of(s.aliases.begin(), s.aliases.end(),
                                   [&](const std::string& a) { return normalize(a) == key || base_name(normalize(a)) == key; });
            },
            MatchedBy::Alias);
    }
    if (!cas.empty()) {
        auto has_cas = [&](const NamedSubstance& s) {
            return std::find(s.cas.begin(), s.cas.end(), cas) != s.cas.end() ||
                   std::find(s.also_cas.begin(), s.also_cas.end(), cas) != s.also_cas.end();
        };
        if (hits.size() > 1) {
            // The name fits several rows (硝化棉): the CAS may choose between them.
            std::vector<const NamedSubstance*> narrowed;
            for (auto* s : hits)
                if (has_cas(*s)) narrowed.push_back(s);
            if (!narrowed.empty()) hits = std::move(narrowed);
        }
        collect(has_cas, MatchedBy::Cas);
    }
    if (hits.empty()) return nullptr;
    if (how) *how = by;
    if (hits.size() > 1 && ambiguous) *ambiguous = true;
    // Several rows (硝酸铵 5 / 50 t): the smallest Q, so that S is never understated; on a tie the
    // larger β, so that R is not either. tests/core/hazard/test_gb18218.cpp checks that in table 1
    // this row also has the largest β/Q of the rows it is chosen from.
    return *std::min_element(hits.begin(), hits.end(), [this](const NamedSubstance* a, const NamedSubstance* b) {
        if (a->critical_t != b->critical_t) return a->critical_t < b->critical_t;
        return worst_category_beta(*a) > worst_category_beta(*b);
    });
}

double Gb18218::worst_category_beta(const NamedSubstance& s) const {
    double beta = 1;
    for (const auto& hazard : s.hazard_categories)
        for (const auto& sym : hazard)
            if (const Category* c = category(sym)) beta = std::max(beta, c->beta);
    return beta;
}

const Category* Gb18218::category(std::string_view symbol) const {
    std::string key = normalize(symbol);
    for (const auto& c : m_categories)
        if (c.symbol == key) return &c;
    return nullptr;
}

std::optional<double> Gb18218::toxic_gas_beta(std::string_view cas, std::string_view name) const {
    std::string c = normalize(cas);
    if (!c.empty())
        for (const auto& [k, b] : m_toxic_by_cas)
            if (k == c) return b;
    std::string n = normalize(name);
    if (!n.empty())
        for (const auto& [k, b] : m_toxic_by_name)
            if (k == n || k == base_name(n)) return b;
    return std::nullopt;
}

double Gb18218::alpha(std::int64_t population) const {
    double p = static_cast<double>(population);
    for (const auto& b : m_alpha)
        if (p >= b.min && (!b.max_exclusive || p < *b.max_exclusive)) return b.value;
    // i18n: not shown: built-in table (its bands cover every population from 0 up)
    throw InventoryError("GB 18218 table 5 has no α for " + std::to_string(population) + " people");
}

Grade Gb18218::grade_for(double r) const {
    for (const auto& b : m_grades)
        if (r >= b.min * (1 - k_slack) && (!b.max_exclusive || r < *b.max_exclusive * (1 - k_slack)))
            return static_cast<Grade>(static_cast<int>(b.value));
    return Grade::Grade4; // unreachable with the standard's bands (四级 is open below)
}

Assessment Gb18218::assess(std::span<const InventoryItem> inventory, std::optional<std::int64_t> population,
                           std::string_view record_id) const {
    Assessment a;
    a.population = population;
    double weighted_sum = 0;
    for (const auto& item : inventory) {
        if (!std::isfinite(item.quantity_t)) throw InventoryError(trf("{}: the quantity is not a number", describe(record_id, item)));
        if (item.quantity_t < 0)
            throw InventoryError(trf("{}: negative quantity {} t", describe(record_id, item), format_number(item.quantity_t)));
        Contribution c;
        c.item = item;

        std::vector<const Category*> cats;
        for (const auto& sym : category_symbols(item.category)) {
            const Category* cat = category(sym);
            if (!cat)
                throw InventoryError(
                    trf("{}: '{}' is not a GB 18218 table 2 category (J1..J5, W1.1..W11)", describe(record_id, item), sym));
            cats.push_back(cat);
        }

        bool ambiguous = false;
        const NamedSubstance* named = find(item, &c.matched_by, &ambiguous);
        if (named) {
            c.basis = Basis::Table1;
            c.reference = named->name_zh;
            c.table1_seq = named->seq;
            c.critical_t = named->critical_t;
            if (ambiguous)
                add_note(c.note,
                         trf("several rows of table 1 fit; the one with the smallest threshold quantity was taken (row {} {}, {} t)",
                             named->seq, named->name_zh, format_number(named->critical_t)));
            std::vector<std::string> known_cas = named->cas;
            known_cas.insert(known_cas.end(), named->also_cas.begin(), named->also_cas.end());
            if (!item.cas.empty() && c.matched_by != MatchedBy::Cas && !known_cas.empty() &&
                std::find(known_cas.begin(), known_cas.end(), normalize(item.cas)) == known_cas.end())
                a.warnings.push_back(trf("{}: CAS {} differs from table 1's {} for {}; the name was used", describe(record_id, item),
                                         item.cas, join(known_cas, ", "), named->name_zh));
        } else if (!cats.empty()) {
            // Several categories: the lowest Q, as the standard says (domain.md §1, "take the lowest Q");
            // on a tie the larger β.
            const Category* best = *std::min_element(cats.begin(), cats.end(), [](const Category* x, const Category* y) {
                return x->critical_t != y->critical_t ? x->critical_t < y->critical_t : x->beta > y->beta;
            });
            c.basis = Basis::Table2;
            c.reference = best->symbol;
            c.critical_t = best->critical_t;
        } else {
            c.basis = Basis::Unknown;
            c.note = tr("not in table 1 and no category given; not counted");
            a.warnings.push_back(
                trf("{}: not in GB 18218 table 1 and no table 2 category given; not counted in S or R", describe(record_id, item)));
            a.contributions.push_back(std::move(c));
            continue;
        }
        c.ratio = item.quantity_t / c.critical_t;

        // β: table 3 for the named toxic gases, otherwise table 4 by category.
        std::optional<double> beta = toxic_gas_beta(item.cas, item.substance);
        if (!beta && named) {
            for (const auto& cas : named->cas)
                if ((beta = toxic_gas_beta(cas, {}))) break;
            if (!beta) beta = toxic_gas_beta({}, named->name_zh);
        }
        if (beta) {
            c.beta = *beta;
            c.beta_source = tr("table 3");
        } else {
            // Table 4 β of the substance's categories. The standard pairs no β with the category
            // that gave Q, so the largest β of them all is taken: with Q already the lowest, that
            // is the most severe β·q/Q any reading gives (docs/hazard.md, "β").
            std::vector<const Category*> counted;
            if (named) {
                // A table 1 substance: its classification (data), the record only choosing among
                // the alternatives that depend on the unit's conditions.
                for (const auto& hazard : named->hazard_categories) {
                    const Category* pick = nullptr;
                    for (const Category* rc : cats)
                        if (std::find(hazard.begin(), hazard.end(), rc->symbol) != hazard.end() && (!pick || rc->beta > pick->beta))
                            pick = rc;
                    if (!pick) {
                        for (const auto& sym : hazard) {
                            const Category* alt = category(sym);
                            if (!pick || alt->beta > pick->beta) pick = alt;
                        }
                        if (hazard.size() > 1) {
                            add_note(
                                c.note,
                                trf("{} depends on the unit's conditions, which the record does not give; {}, the largest β, was taken",
                                    join(hazard, "/"), pick->symbol));
                            a.warnings.push_back(
                                trf("{}: {} depends on the unit's conditions, not given by its category; {} (β {}) was assumed",
                                    describe(record_id, item), join(hazard, ", "), pick->symbol, format_number(pick->beta)));
                        }
                    }
                    counted.push_back(pick);
                }
                for (const Category* rc : cats) {
                    bool classified =
                        std::any_of(named->hazard_categories.begin(), named->hazard_categories.end(), [&](const auto& hazard) {
                            return std::find(hazard.begin(), hazard.end(), rc->symbol) != hazard.end();
                        });
                    if (classified) continue;
                    // The record says more than the classification: it may know a hazard the data
                    // miss, so it counts too; it never lowers β below the classification's.
                    counted.push_back(rc);
                    add_note(c.note, trf("the record's category {} is not in the classification of table 1 row {}; it is counted as well",
                                         rc->symbol, named->seq));
                }
            } else {
                counted = cats;
            }
            if (counted.empty()) {
                // Only a table 1 substance gets here, one classified with none of table 2's hazards.
                c.beta = 1;
                c.beta_source = tr("table 4: no applicable category, taken as 1");
                add_note(c.note, trf("the substance of table 1 row {} has none of table 2's hazard categories ({}); β is taken as 1",
                                     named->seq, named->classification_zh));
            } else {
                const Category* chosen = *std::max_element(counted.begin(), counted.end(),
                                                           [](const Category* x, const Category* y) { return x->beta < y->beta; });
                c.beta = chosen->beta;
                c.beta_source = trf("table 4 {}", chosen->symbol);
                if (c.basis == Basis::Table2 && chosen->symbol != c.reference && chosen->beta > category(c.reference)->beta)
                    add_note(c.note, trf("Q from {} (the lowest threshold quantity of the categories), β from {} (the largest of them)",
                                         c.reference, chosen->symbol));
            }
        }
        c.weighted = c.beta * c.ratio;
        a.s += c.ratio;
        weighted_sum += c.weighted;
        a.contributions.push_back(std::move(c));
    }

    if (population && *population < 0) throw InventoryError(trf("{}: negative population {}", who(record_id), *population));
    if (population) {
        a.alpha = alpha(*population);
    } else {
        a.alpha = std::max_element(m_alpha.begin(), m_alpha.end(), [](const Band& x, const Band& y) { return x.value < y.value; })->value;
        a.warnings.push_back(trf("{}: no population within 500 m; α = {} (the largest) was used", who(record_id), format_number(a.alpha)));
    }
    a.r = a.alpha * weighted_sum;
    a.major = a.s >= 1 - k_slack;
    a.grade = a.major ? grade_for(a.r) : Grade::NotMajor;
    return a;
}

std::vector<InventoryItem> parse_inventory(std::string_view json_text, std::string_view record_id) {
    const std::string record = trf("record {}", record_id);
    std::vector<InventoryItem> out;
    if (json_text.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
    nlohmann::json j = nlohmann::json::parse(json_text.begin(), json_text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_array()) throw InventoryError(trf("{}: the inventory is not a JSON list", record));
    for (std::size_t i = 0; i < j.size(); ++i) {
        const auto& e = j[i];
        const std::string row = trf("{}, inventory row {}", record, i + 1);
        if (!e.is_object()) throw InventoryError(trf("{}: not an object", row));
        InventoryItem item;
        auto field = [&](const char* key) -> std::string {
            auto it = e.find(key);
            if (it == e.end() || it->is_null()) return {};
            if (it->is_string()) return it->get<std::string>();
            if (it->is_number()) return it->dump();
            throw InventoryError(trf("{}: '{}' is neither text nor a number", row, key));
        };
        item.substance = field("substance");
        item.cas = field("cas");
        item.un_number = field("un_number");
        item.category = field("category");
        auto q = e.find("quantity_t");
        if (q == e.end() || q->is_null()) throw InventoryError(trf("{}: no quantity (quantity_t)", describe(record_id, item)));
        if (q->is_number()) {
            item.quantity_t = q->get<double>();
        } else if (q->is_string()) {
            std::string s = normalize(q->get<std::string>());
            try {
                item.quantity_t = to_number(s, describe(record_id, item));
            } catch (const InventoryError&) {
                throw InventoryError(trf("{}: quantity '{}' is not a number of tonnes", describe(record_id, item), s));
            }
        } else {
            throw InventoryError(trf("{}: quantity is not a number", describe(record_id, item)));
        }
        if (item.substance.empty() && item.cas.empty()) throw InventoryError(trf("{}: neither a substance name nor a CAS number", row));
        out.push_back(std::move(item));
    }
    return out;
}

} // namespace vigil::hazard
