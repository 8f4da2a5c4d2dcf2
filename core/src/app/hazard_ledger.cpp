// The hidden-hazard ledger as of a day (see hazard_ledger.hpp).

#include <vigil/app/hazard_ledger.hpp>

#include "civil_dates.hpp"

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>
#include <vigil/util/text.hpp>

#include <fmt/format.h>

#include <map>

namespace vigil::app {
namespace {

/// A date field's day: nullopt when empty; `bad` set when it holds text that is no date.
std::optional<std::int64_t> day_of(const model::Layer& l, std::size_t row, const std::optional<std::size_t>& field, bool& bad) {
    if (!field) return std::nullopt;
    const std::string t{text::trim(model::to_text(l.value(row, *field)))};
    if (t.empty()) return std::nullopt;
    auto d = civil_dates::parse_days(t);
    if (!d) bad = true;
    return d;
}

} // namespace

std::string_view hazard_state_value(HazardState s) {
    switch (s) {
    case HazardState::NotYetFound: return "not_yet_found";
    case HazardState::Open: return "open";
    case HazardState::InProgress: return "in_progress";
    case HazardState::Overdue: return "overdue";
    case HazardState::Rectified: return "rectified";
    }
    return "open";
}

std::optional<std::int64_t> typed_hazard_count(const model::Layer& enterprises, std::size_t row, std::string_view field) {
    const auto f = enterprises.kind().field_index(field);
    if (!f) return std::nullopt;
    const model::Value& v = enterprises.value(row, *f);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    return std::nullopt;
}

HazardLedger hazard_ledger(const LayerSet& layers, std::string_view as_of) {
    const auto today = civil_dates::parse_days(as_of);
    if (as_of.size() != 10 || !today) throw UsageError(trf("the as-of date must be YYYY-MM-DD, not '{}'", as_of));
    HazardLedger g;
    g.as_of = std::string(as_of);
    const model::Layer* ents = layers.find("enterprises");
    const model::Layer* recs = layers.find("hidden_hazards");
    g.from_records = recs != nullptr;
    if (ents) {
        g.counts.open.assign(ents->size(), 0);
        g.counts.overdue.assign(ents->size(), 0);
        g.counts.open_major.assign(ents->size(), 0);
        g.in_ledger.assign(ents->size(), 0);
    }
    if (recs) {
        const auto& k = recs->kind();
        const auto f_ent = k.field_index("enterprise_id"), f_ent_name = k.field_index("enterprise_name");
        const auto f_found = k.field_index("found_date"), f_deadline = k.field_index("deadline");
        const auto f_rectified = k.field_index("rectified_date");
        const auto f_status = k.field_index("status"), f_level = k.field_index("level");
        // The enterprises by name, for records that give only a name: a name two enterprises
        // share names neither (the record then belongs to none, and is listed).
        std::map<std::string, std::optional<std::size_t>, std::less<>> by_name;
        if (ents)
            if (const auto f_name = ents->kind().index_of_role(catalog::FieldRole::Name))
                for (std::size_t r = 0; r < ents->size(); ++r) {
                    const std::string n{text::trim(model::to_text(ents->value(r, *f_name)))};
                    if (n.empty()) continue;
                    auto [it, fresh] = by_name.emplace(n, r);
                    if (!fresh) it->second.reset();
                }
        g.records.resize(recs->size());
        for (std::size_t r = 0; r < recs->size(); ++r) {
            HazardRecordState& s = g.records[r];
            // Which enterprise.
            const std::string ent_id = f_ent ? std::string(text::trim(model::to_text(recs->value(r, *f_ent)))) : std::string();
            if (ents && !ent_id.empty()) {
                s.enterprise = ents->find(ent_id);
            } else if (ents && f_ent_name) {
                const std::string n{text::trim(model::to_text(recs->value(r, *f_ent_name)))};
                if (auto it = by_name.find(n); !n.empty() && it != by_name.end()) s.enterprise = it->second;
            }
            // Its state on the day.
            bool bad = false;
            const auto found = day_of(*recs, r, f_found, bad);
            const std::string status = f_status ? model::to_text(recs->value(r, *f_status)) : std::string();
            const std::string level = f_level ? model::to_text(recs->value(r, *f_level)) : std::string();
            s.major = level != "general";
            s.level_assumed = level != "general" && level != "major";
            if (found && *found > *today) {
                s.state = HazardState::NotYetFound;
                g.unreadable_dates += bad;
                continue;
            }
            const bool rectified_written = f_rectified && !std::string(text::trim(model::to_text(recs->value(r, *f_rectified)))).empty();
            const auto rectified = day_of(*recs, r, f_rectified, bad);
            bool done = rectified ? *rectified <= *today : !rectified_written && status == "rectified";
            if (done) {
                s.state = HazardState::Rectified;
            } else {
                bool deadline_bad = false;
                const auto deadline = day_of(*recs, r, f_deadline, deadline_bad);
                bad = bad || deadline_bad;
                s.deadline_assumed = !deadline;
                const bool late = !deadline || *deadline < *today || status == "overdue";
                s.state = late ? HazardState::Overdue : status == "in_progress" ? HazardState::InProgress : HazardState::Open;
            }
            g.unreadable_dates += bad;
            ++g.counted;
            g.level_assumed += s.level_assumed;
            if (s.state == HazardState::Rectified) ++g.rectified;
            if (s.open()) {
                ++g.open;
                g.overdue += s.state == HazardState::Overdue;
                g.open_major += s.major;
                g.no_deadline += s.deadline_assumed;
            }
            if (!s.enterprise) {
                g.without_enterprise.push_back(r);
                g.without_enterprise_ids.push_back(recs->id(r));
                continue;
            }
            const std::size_t e = *s.enterprise;
            g.in_ledger[e] = 1;
            if (!s.open()) continue;
            ++g.counts.open[e];
            g.counts.overdue[e] += s.state == HazardState::Overdue;
            g.counts.open_major[e] += s.major;
        }
        // A record found after the day still shows that the ledger knows the enterprise.
        for (const auto& s : g.records)
            if (s.enterprise) g.in_ledger[*s.enterprise] = 1;
    }
    if (ents)
        for (std::size_t e = 0; e < ents->size(); ++e) {
            if (g.in_ledger[e]) continue;
            g.counts.open[e] = typed_hazard_count(*ents, e, "open_hazards").value_or(0);
            g.counts.overdue[e] = typed_hazard_count(*ents, e, "overdue_hazards").value_or(0);
            // Counted where it changes a figure: a typed 0 of an enterprise without records is
            // the ledger's 0 too.
            g.enterprises_typed += g.from_records && (g.counts.open[e] > 0 || g.counts.overdue[e] > 0);
        }
    return g;
}

std::vector<std::string> HazardLedger::notes() const {
    std::vector<std::string> out;
    if (!from_records) {
        out.push_back(tr("no hidden_hazards layer: the open and overdue counts are those typed into the enterprises' register"));
        return out;
    }
    out.push_back(trf("hidden hazards counted from the records as of {}", as_of));
    if (no_deadline) out.push_back(trf("{} open record(s) without a readable deadline counted as overdue", no_deadline));
    if (unreadable_dates)
        out.push_back(trf("{} record(s) with a date that is no date, taken on the safe side (not rectified, overdue)", unreadable_dates));
    if (level_assumed) out.push_back(trf("{} record(s) without a level counted as major", level_assumed));
    if (enterprises_typed)
        out.push_back(trf("{} enterprise(s) of which the ledger holds no record keep their typed-in counts", enterprises_typed));
    if (!without_enterprise.empty())
        out.push_back(trf("{} record(s) of no enterprise of the register, counted where they lie", without_enterprise.size()));
    return out;
}

} // namespace vigil::app
