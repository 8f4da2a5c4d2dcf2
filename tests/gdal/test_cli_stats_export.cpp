// `vigil stats --csv/--xlsx` on the Jiaozuo demo: the workbook core writes by hand (no GDAL, no
// zlib: the browser exports it too) is read back by GDAL's XLSX driver — and by Python's zipfile,
// which checks every CRC — with the header row and the same cells as `vigil stats --json`; the
// CSV (UTF-8 with BOM) likewise through GDAL's CSV driver; `--csv -` prints the table alone.

#include "cli_runner.hpp"
#include "stats_json.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using vigil::test::q;
using vigil::test::run_vigil;
using vigil::test::scratch_dir;

namespace test_cli_stats_export_cases {

const fs::path& export_demo_db() {
    static fs::path db = [] {
        auto path = scratch_dir("cli-stats-export") / "demo.sqlite";
        auto r = run_vigil("demo " + q(path));
        INFO(r.out);
        REQUIRE(r.code == 0);
        return path;
    }();
    return db;
}

using vigil::test::stats_json_figures;

/// The layer's features as rows of text and its field names (the header row).
struct Sheet {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

Sheet read_with_gdal(const fs::path& path, const char* const* open_options) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options));
    REQUIRE(ds);
    REQUIRE(ds->GetLayerCount() == 1);
    OGRLayer* layer = ds->GetLayer(0);
    Sheet s;
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) s.header.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    layer->ResetReading();
    for (auto& f : *layer) {
        s.rows.emplace_back();
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            s.rows.back().emplace_back(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
    }
    return s;
}

void check_sheet(const Sheet& s, const nlohmann::json& j, bool grid) {
    const auto& groups = j[grid ? "grids" : "counties"];
    const std::size_t first = grid ? 2 : 1;
    REQUIRE(s.header.size() == first + 15 + (grid ? 2 : 0));
    CHECK(s.header[0] == (grid ? "Grid code" : "County"));
    CHECK(s.header[first] == "Enterprises");
    CHECK(s.header[first + 1] == "Red");
    REQUIRE(s.rows.size() == groups.size() + 1); // and the total
    auto check_row = [&](const std::vector<std::string>& row, const nlohmann::json& g, const std::string& name) {
        INFO(g.dump());
        CHECK(row[first - 1] == name);
        std::vector<std::int64_t> figures;
        for (std::size_t c = first; c < first + 15; ++c) figures.push_back(std::stoll(row[c]));
        CHECK(figures == stats_json_figures(g));
    };
    for (std::size_t i = 0; i < groups.size(); ++i) {
        check_row(s.rows[i], groups[i], groups[i][grid ? "grid" : "county"].get<std::string>());
        if (grid) {
            CHECK(s.rows[i][0] == groups[i]["code"].get<std::string>());
            CHECK(s.rows[i][first + 15] == groups[i]["member"].get<std::string>());
            CHECK(s.rows[i][first + 16] == groups[i]["phone"].get<std::string>());
        }
    }
    check_row(s.rows.back(), j["total"],
              j["total"]["county"].is_string() ? j["total"]["county"].get<std::string>() : s.rows.back()[first - 1]);
}

TEST_CASE("vigil stats --csv/--xlsx: GDAL reads the same cells back as vigil stats --json", "[gdal][cli][stats][xlsx]") {
    for (const std::string by : {"county", "grid"}) {
        INFO(by);
        const std::string base = "stats " + q(export_demo_db()) + " --by " + by + " --as-of 2026-12-01";
        auto json_run = run_vigil(base + " --json");
        REQUIRE(json_run.code == 0);
        const auto j = nlohmann::json::parse(json_run.out);
        const fs::path csv = scratch_dir("cli-stats-export") / ("stats-" + by + ".csv");
        const fs::path xlsx = scratch_dir("cli-stats-export") / ("stats-" + by + ".xlsx");
        auto r = run_vigil(base + " --csv " + q(csv) + " --xlsx " + q(xlsx));
        INFO(r.out);
        REQUIRE(r.code == 0);
        CHECK(r.out.find(xlsx.string()) != std::string::npos); // says where it went

        const char* xlsx_options[] = {"HEADERS=FORCE", "FIELD_TYPES=STRING", nullptr};
        const Sheet sheet = read_with_gdal(xlsx, xlsx_options);
        check_sheet(sheet, j, by == "grid");
        const char* csv_options[] = {"HEADERS=YES", "AUTODETECT_TYPE=NO", nullptr};
        const Sheet table = read_with_gdal(csv, csv_options);
        CHECK(table.header == sheet.header);
        CHECK(table.rows == sheet.rows);

        // Python's zipfile: a valid archive, every CRC right, the five parts.
        if (std::system("python3 -c 'pass' > /dev/null 2>&1") == 0) {
            const std::string py = "python3 -c \"import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                                   "assert sorted(z.namelist()) == sorted(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', "
                                   "'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml']), z.namelist()\" " +
                                   q(xlsx);
            CHECK(std::system(py.c_str()) == 0);
        }
    }
}

TEST_CASE("vigil stats --csv -: the table alone on standard output, with its BOM", "[gdal][cli][stats]") {
    auto r = run_vigil("stats " + q(export_demo_db()) + " --as-of 2026-12-01 --csv -");
    REQUIRE(r.code == 0);
    REQUIRE(r.out.rfind("\xEF\xBB\xBF"
                        "County,Enterprises,Red,",
                        0) == 0);
    CHECK(r.out.find("\r\n") != std::string::npos);
    CHECK(r.out.find("ent.") == std::string::npos); // not the printed table
    auto bad = run_vigil("stats " + q(export_demo_db()) + " --as-of 2026-12-01 --xlsx " +
                         q(scratch_dir("cli-stats-export") / "no" / "such" / "dir.xlsx"));
    CHECK(bad.code != 0);
    CHECK(bad.out.find("cannot write") != std::string::npos);
}

} // namespace test_cli_stats_export_cases
