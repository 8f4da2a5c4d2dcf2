// GB 18218 grading of a project's hazard sources (see grade.hpp).

#include <vigil/app/grade.hpp>

#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <nlohmann/json.hpp>

namespace vigil::app {

std::string_view basis_name(hazard::Basis b) {
    switch (b) {
    case hazard::Basis::Table1: return "table1";
    case hazard::Basis::Table2: return "table2";
    case hazard::Basis::Unknown: break;
    }
    return "unknown";
}

std::string_view matched_name(hazard::MatchedBy m) {
    switch (m) {
    case hazard::MatchedBy::Name: return "name";
    case hazard::MatchedBy::Alias: return "alias";
    case hazard::MatchedBy::Cas: return "cas";
    case hazard::MatchedBy::None: break;
    }
    return "none";
}

GradeResult grade_hazard_sources(const LayerSet& layers) {
    const auto& gb = hazard::Gb18218::builtin();
    const model::Layer& layer = layers.require("hazard_sources");
    const auto& kind = layer.kind();
    const auto f_inventory = kind.field_index("inventory");
    const auto f_population = kind.field_index("population_500m");
    const auto f_name = kind.field_index("name");
    if (!f_inventory) throw SchemaError(tr("the hazard_sources layer has no inventory field"));

    GradeResult out;
    for (std::size_t row = 0; row < layer.size(); ++row) {
        const std::string& id = layer.id(row);
        try {
            const auto inventory = hazard::parse_inventory(model::to_text(layer.value(row, *f_inventory)), id);
            std::optional<std::int64_t> population;
            if (f_population) {
                const auto& v = layer.value(row, *f_population);
                if (const auto* i = std::get_if<std::int64_t>(&v)) population = *i;
                else if (const auto* d = std::get_if<double>(&v)) population = static_cast<std::int64_t>(*d);
            }
            out.graded.push_back({row, layer.fid(row), id, f_name ? model::to_text(layer.value(row, *f_name)) : std::string(),
                                  gb.assess(inventory, population, id)});
        } catch (const hazard::InventoryError& e) {
            // One bad record must not hide the grades of the others: named, and the rest graded.
            out.errors.push_back(e.what());
        }
    }
    return out;
}

nlohmann::json to_json(const hazard::Assessment& a) {
    nlohmann::json contributions = nlohmann::json::array();
    for (const auto& c : a.contributions) {
        nlohmann::json j = {{"substance", c.item.substance},
                            {"cas", c.item.cas},
                            {"un_number", c.item.un_number},
                            {"category", c.item.category},
                            {"quantity_t", c.item.quantity_t},
                            {"basis", basis_name(c.basis)},
                            {"matched_by", matched_name(c.matched_by)},
                            {"reference", c.reference}};
        if (c.basis == hazard::Basis::Table1) j["table1_row"] = c.table1_seq;
        if (c.basis != hazard::Basis::Unknown) {
            j["critical_quantity_t"] = c.critical_t;
            j["q_over_Q"] = c.ratio;
            j["beta"] = c.beta;
            j["beta_source"] = c.beta_source;
            j["beta_q_over_Q"] = c.weighted;
        }
        if (!c.note.empty()) j["note"] = c.note;
        contributions.push_back(std::move(j));
    }
    return {{"s", a.s},
            {"alpha", a.alpha},
            {"r", a.r},
            {"major", a.major},
            {"grade", hazard::grade_value(a.grade)},
            {"grade_zh", hazard::grade_label_zh(a.grade)},
            {"population_500m", a.population ? nlohmann::json(*a.population) : nlohmann::json(nullptr)},
            {"contributions", contributions},
            {"warnings", a.warnings}};
}

nlohmann::json to_json(const GradeResult& r) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& g : r.graded) {
        nlohmann::json j = to_json(g.assessment);
        j["id"] = g.id;
        j["name"] = g.name;
        arr.push_back(std::move(j));
    }
    return {{"standard", "GB 18218-2018"}, {"hazard_sources", std::move(arr)}, {"errors", r.errors}};
}

} // namespace vigil::app
