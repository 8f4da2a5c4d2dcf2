/// @file
/// GB 18218-2018 identification and grading of every hazard source of a project (`vigil
/// grade`): S, α, R and the major-hazard grade from each record's inventory, with each
/// substance's contribution so that a grade can be checked by hand. The service computes; the
/// CLI stores S, R and the grade back into the database and prints.
#pragma once

#include <vigil/app/layer_set.hpp>
#include <vigil/hazard/gb18218.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::app {

struct GradedSource {
    std::size_t row = 0;  ///< row in the hazard_sources layer
    std::int64_t fid = 0; ///< its feature id in the database
    std::string id, name;
    hazard::Assessment assessment;
};

struct GradeResult {
    std::vector<GradedSource> graded; ///< layer order; records with a bad inventory are left out
    /// One per record whose inventory could not be read, naming the record and the substance.
    std::vector<std::string> errors;
};

/// Grades the records of the "hazard_sources" layer (fields inventory, needed, and
/// population_500m: when absent the largest α is taken and said, see hazard::Gb18218::assess).
/// @throws vigil::UsageError without a hazard_sources layer; vigil::SchemaError when it has no
///   inventory field.
GradeResult grade_hazard_sources(const LayerSet& layers);

/// One assessment's JSON (docs/json.md, "grade"): s, alpha, r, major, grade, grade_zh,
/// population_500m, contributions (with their table row or category, Q, q/Q and β), warnings.
nlohmann::json to_json(const hazard::Assessment& a);

/// The result's JSON: "standard", "hazard_sources" (each assessment with its id and name) and
/// "errors".
nlohmann::json to_json(const GradeResult& r);

/// "table1", "table2", "unknown" and "name", "alias", "cas", "none": the JSON's words, also
/// used by the text listing.
std::string_view basis_name(hazard::Basis b);
std::string_view matched_name(hazard::MatchedBy m);

} // namespace vigil::app
