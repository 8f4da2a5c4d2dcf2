// "Import as clerks write": the five-row enterprise register of 温县 as a county clerk keeps it —
// a title row above the column names, Chinese headers, valid credit codes, AMap (GCJ-02)
// coordinates, industries written "工贸-粉尘涉爆" and "危化-经营" — as an Excel workbook, a GBK
// CSV from Excel on Chinese Windows, UTF-8 and UTF-16 CSVs. Each import is run as the clerk runs
// it (the vigil program) and ends with the database's records and the words on the screen checked.

#include <vigil/geo/chinese_datums.hpp>
#include <vigil/geo/geodesic.hpp>
#include <vigil/store/project_reader.hpp>
#include <vigil/store/sqlite.hpp>

#include "cli_runner.hpp"
#include "db_fingerprint.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <iconv.h>

#include <filesystem>
#include <fstream>
#include <map>

using namespace vigil;
namespace fs = std::filesystem;
using test::q;
using test::run_vigil;

namespace test_import_clerk_cases {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The register as a UTF-8 text; "１２０" employees typed full-width, as a Chinese keyboard does.
const std::string k_register = "焦作市温县危险化学品企业登记表,,,,,,,,\r\n"
                               "填报单位：温县应急管理局,,,,,,,,\r\n"
                               "序号,企业名称,统一社会信用代码,所属县区,行业类别,风险等级,从业人数,经度,纬度\r\n"
                               "1,温县化工有限公司,91410825MA3X4K7L2E,温县,危险化学品生产,红,１２０,113.0813,34.9402\r\n"
                               "2,温县纺织厂,91410825MA44B2C1XU,温县,纺织,蓝,85,113.0925,34.9521\r\n"
                               "3,温县食品厂,91410825MA45QW2E8J,温县,食品,黄,40,113.1010,34.9333\r\n"
                               "4,温县铝材加工厂,91410825MA46HT3K52,温县,工贸-粉尘涉爆,橙,60,113.0791,34.9412\r\n"
                               "5,温县化工贸易有限公司,91410825MA47PD9R11,温县,危化-经营,黄,12,113.0655,34.9288\r\n";

std::string convert(const std::string& utf8, const char* to) {
    iconv_t cd = iconv_open(to, "UTF-8");
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string in = utf8, out(utf8.size() * 4 + 16, '\0');
    char* ip = in.data();
    char* op = out.data();
    std::size_t il = in.size(), ol = out.size();
    REQUIRE(iconv(cd, &ip, &il, &op, &ol) != static_cast<std::size_t>(-1));
    iconv_close(cd);
    out.resize(out.size() - ol);
    return out;
}

struct Enterprise {
    std::string name, industry, special_hazards, risk, employees;
    geo::Coord at;
};

// The stored enterprises by id (the credit code: the register has no 编号 column).
std::map<std::string, Enterprise> stored(const fs::path& db) {
    auto layer = store::Project::open(db).load_layer("enterprises");
    std::map<std::string, Enterprise> out;
    for (std::size_t r = 0; r < layer->size(); ++r)
        out[layer->id(r)] = {layer->text(r, "name"),       layer->text(r, "industry"),  layer->text(r, "special_hazards"),
                             layer->text(r, "risk_level"), layer->text(r, "employees"), layer->geometry(r).coords.at(0)};
    return out;
}

// How many enterprises the database holds (0 when it was never created).
std::size_t stored_count(const fs::path& db) {
    if (!fs::exists(db)) return 0;
    auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
    if (d.query_text("SELECT count(*) FROM sqlite_schema WHERE name = 'enterprises'") == "0") return 0;
    return std::stoul(d.query_text("SELECT count(*) FROM enterprises"));
}

// The five enterprises as the register gives them, whatever the file's form.
void check_register_stored(const fs::path& db, bool with_employees) {
    auto e = stored(db);
    REQUIRE(e.size() == 5);
    CHECK(e["91410825MA3X4K7L2E"].name == "温县化工有限公司");
    CHECK(e["91410825MA3X4K7L2E"].industry == "hazchem_production");
    CHECK(e["91410825MA3X4K7L2E"].risk == "red");
    CHECK(e["91410825MA44B2C1XU"].industry == "textile");
    CHECK(e["91410825MA46HT3K52"].name == "温县铝材加工厂");
    CHECK(e["91410825MA46HT3K52"].industry == "industry_trade");
    CHECK(e["91410825MA46HT3K52"].special_hazards == R"(["dust_explosion"])");
    CHECK(e["91410825MA47PD9R11"].industry == "hazchem_trading");
    CHECK(e["91410825MA47PD9R11"].special_hazards.empty());
    if (with_employees) CHECK(e["91410825MA3X4K7L2E"].employees == "120");
    // AMap's coordinates, stored in WGS84: a few hundred metres from where they were written.
    const geo::Coord wgs = geo::gcj02_to_wgs84({113.0791, 34.9412});
    CHECK(geo::geodesic_distance_m(e["91410825MA46HT3K52"].at, wgs) < 0.5);
    CHECK(geo::geodesic_distance_m(e["91410825MA46HT3K52"].at, {113.0791, 34.9412}) > 100);
}

std::string import_cmd(const fs::path& db, const fs::path& file, const std::string& more = "") {
    return "import " + q(db) + " " + q(file) + " --layer 企业 --crs gcj02 " + more;
}


TEST_CASE("clerk: the Excel register with title rows: header found on row 3, compound industries split", "[gdal][clerk][xlsx]") {
    auto dir = test::scratch_dir("clerk-xlsx");
    const auto db = dir / "p.sqlite";
    auto r = run_vigil(import_cmd(db, test::data_dir() / "import" / "register_title_rows.xlsx"));
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(has(r.out, "imported "));
    CHECK(has(r.out, "5 rows read, 5 inserted"));
    CHECK(has(r.out, "header found on row 3 (the rows above are titles, not imported)"));
    CHECK(has(r.out, "1 compound value(s) split by the catalogue's rule, e.g. row 7: '工贸-粉尘涉爆' → Industry Industry and trade "
                     "(general) + Special hazards Combustible dust"));
    check_register_stored(db, false);
}

TEST_CASE("clerk: an Excel register's errors name the rows the clerk sees in Excel", "[gdal][clerk][xlsx]") {
    auto dir = test::scratch_dir("clerk-xlsx-bad");
    const auto db = dir / "p.sqlite";
    auto r = run_vigil(import_cmd(db, test::data_dir() / "import" / "register_title_rows_bad.xlsx"));
    INFO(r.out);
    CHECK(r.code == 3);
    CHECK(has(r.out, "nothing was imported, the database is unchanged"));
    // Sheet row 7 holds 工贸-粉尘涉恶 (a typo), row 8 a 危化 trader written 危化-仓储.
    CHECK(has(r.out,
              "register_title_rows_bad.xlsx:7 [id=91410825MA46HT3K52] industry (Industry) = \"工贸-粉尘涉恶\": "
              "the part '粉尘涉恶' of '工贸-粉尘涉恶' is no value of industry (Industry) or special_hazards (Special hazards); allowed: "
              "industry: hazchem_production (Hazardous chemicals: production)"));
    CHECK(has(r.out, "register_title_rows_bad.xlsx:8 [id=91410825MA47PD9R11] industry (Industry) = \"危化-仓储\": "
                     "the parts '危化', '仓储' of '危化-仓储' are no value of"));
    CHECK(stored_count(db) == 0);
}

TEST_CASE("clerk: the register as UTF-8, UTF-8 with BOM, GBK and UTF-16 CSVs: encoding detected and said", "[gdal][clerk][csv][encoding]") {
    struct Form {
        const char* file;
        std::string bytes;
        const char* said;
        const char* recorded; // the encoding the import log keeps
    };
    const std::vector<Form> forms = {
        {"温县_utf8.csv", k_register, "encoding: UTF-8 (detected)", "UTF-8"},
        {"温县_bom.csv", "\xEF\xBB\xBF" + k_register, "encoding: UTF-8 BOM (detected)", "UTF-8 BOM"},
        {"温县_gbk.csv", convert(k_register, "GBK"), "encoding: GBK (detected)", "GBK"},
        {"温县_utf16le.csv", "\xFF\xFE" + convert(k_register, "UTF-16LE"), "encoding: UTF-16LE (detected)", "UTF-16LE"},
        {"温县_utf16be.csv", "\xFE\xFF" + convert(k_register, "UTF-16BE"), "encoding: UTF-16BE (detected)", "UTF-16BE"},
    };
    for (const auto& f : forms) {
        DYNAMIC_SECTION(f.file) {
            auto dir = test::scratch_dir(std::string("clerk-csv-") + f.file);
            const auto db = dir / "p.sqlite";
            test::write(dir / f.file, f.bytes);
            auto r = run_vigil(import_cmd(db, dir / f.file));
            INFO(r.out);
            REQUIRE(r.code == 0);
            CHECK(has(r.out, "5 rows read, 5 inserted"));
            CHECK(has(r.out, f.said));
            CHECK(has(r.out, "header found on row 3"));
            CHECK(has(r.out, "e.g. row 7: '工贸-粉尘涉爆' → Industry Industry and trade (general) + Special hazards Combustible dust"));
            check_register_stored(db, true);
            auto d = store::Database::open(db, store::Database::Mode::ReadOnly);
            CHECK(d.query_text("SELECT encoding FROM vigil_imports ORDER BY import_id DESC LIMIT 1") == f.recorded);
        }
    }
}

TEST_CASE("clerk: --encoding still overrides the guess", "[gdal][clerk][csv][encoding]") {
    auto dir = test::scratch_dir("clerk-csv-override");
    const auto db = dir / "p.sqlite";
    test::write(dir / "温县.csv", convert(k_register, "GBK"));
    // Said to be UTF-8, the GBK header cannot be read: refused, with the way out.
    auto r = run_vigil(import_cmd(db, dir / "温县.csv", "--encoding UTF-8"));
    INFO(r.out);
    CHECK(r.code != 0);
    CHECK(has(r.out, "not valid UTF-8"));
    CHECK(has(r.out, "use --encoding GBK"));
    CHECK_FALSE(has(r.out, "(detected)"));
    // Said to be GB18030, it reads, and no guess is claimed.
    r = run_vigil(import_cmd(db, dir / "温县.csv", "--encoding GB18030"));
    REQUIRE(r.code == 0);
    CHECK_FALSE(has(r.out, "(detected)"));
    check_register_stored(db, true);
}

TEST_CASE("clerk: a CSV's problems name the file's own line numbers below the title rows", "[gdal][clerk][csv]") {
    auto dir = test::scratch_dir("clerk-csv-lines");
    const auto db = dir / "p.sqlite";
    std::string bad = k_register;
    bad.replace(bad.find("113.1010"), 8, "113，1010"); // line 6: a decimal comma in the longitude
    test::write(dir / "温县.csv", bad);
    auto r = run_vigil(import_cmd(db, dir / "温县.csv"));
    INFO(r.out);
    CHECK(r.code == 3);
    CHECK(has(r.out, "温县.csv:6 [id=91410825MA45QW2E8J] longitude = \"113，1010\": '113，1010' is not a coordinate"));
    CHECK(has(r.out, "nothing was imported, the database is unchanged"));
    // --header-row says where the header is when the clerk wants to.
    r = run_vigil(import_cmd(db, dir / "温县.csv", "--header-row 2"));
    CHECK(r.code != 0);
    r = run_vigil(import_cmd(db, test::data_dir() / "import" / "register_title_rows.xlsx", "--header-row 3"));
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(has(r.out, "header on row 3 (--header-row)"));
    check_register_stored(db, false);
}

TEST_CASE("clerk: a credit code's mistyped check character is imported with a warning; --strict refuses it", "[gdal][clerk][severity]") {
    auto dir = test::scratch_dir("clerk-severity");
    const auto db = dir / "p.sqlite";
    std::string typo = k_register;
    typo.replace(typo.find("91410825MA44B2C1XU"), 18, "91410825MA44B2C1XW"); // line 5
    test::write(dir / "温县.csv", typo);

    auto strict = run_vigil(import_cmd(db, dir / "温县.csv", "--strict"));
    INFO(strict.out);
    CHECK(strict.code == 3);
    // Refused, the code keys nothing: the row has no id to show.
    CHECK(has(strict.out, "温县.csv:5 uscc (Unified social credit code) = \"91410825MA44B2C1XW\": '91410825MA44B2C1XW': "
                          "check character is 'W' but the code needs 'U' (mistyped digit?) (refused with --strict)"));
    CHECK(stored_count(db) == 0);

    auto r = run_vigil(import_cmd(db, dir / "温县.csv"));
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(has(r.out, "5 rows read, 5 inserted"));
    CHECK(has(r.out, "1 warning, the records are imported (--strict refuses them):"));
    CHECK(has(r.out, "温县.csv:5 [id=91410825MA44B2C1XW] uscc (Unified social credit code) = \"91410825MA44B2C1XW\": warning: "
                     "'91410825MA44B2C1XW': check character is 'W' but the code needs 'U' (mistyped digit?); imported as written"));
    CHECK(has(r.out, "all listed in "));
    auto e = stored(db);
    REQUIRE(e.size() == 5);
    CHECK(e["91410825MA44B2C1XW"].name == "温县纺织厂");
    std::ifstream report(dir / "温县.problems.csv", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(report)), std::istreambuf_iterator<char>());
    CHECK(has(text, ",5,91410825MA44B2C1XW,uscc,91410825MA44B2C1XW,"));
    CHECK(has(text, "warning: "));

    // Coordinates are never a warning: a missing latitude refuses, --strict or not.
    std::string no_lat = k_register;
    no_lat.replace(no_lat.find(",34.9521"), 8, ",");
    test::write(dir / "温县2.csv", no_lat);
    auto db2 = dir / "p2.sqlite";
    auto refused = run_vigil(import_cmd(db2, dir / "温县2.csv"));
    CHECK(refused.code == 3);
    CHECK(has(refused.out, "温县2.csv:5 [id=91410825MA44B2C1XU] latitude: coordinate is missing"));
}

TEST_CASE("clerk: usage errors list what is allowed", "[gdal][clerk][usage]") {
    auto dir = test::scratch_dir("clerk-usage");
    const auto db = dir / "p.sqlite";
    test::write(dir / "温县.csv", k_register);
    auto r = run_vigil("import " + q(db) + " " + q(dir / "温县.csv"));
    INFO(r.out);
    CHECK(r.code == 2);
    CHECK(has(r.out, "--layer is required; the layers are: "));
    CHECK(has(r.out, "enterprises (Enterprises)"));
    CHECK(has(r.out, "rescue_teams ("));
    r = run_vigil("import " + q(db) + " " + q(dir / "温县.csv") + " --layer 工厂");
    CHECK(r.code == 2);
    CHECK(has(r.out, "unknown layer kind '工厂'; the layers are: "));
    CHECK(has(r.out, "enterprises (Enterprises)"));
    CHECK_FALSE(fs::exists(db));
    r = run_vigil("nearest " + q(db) + " --at 113.08,34.94");
    CHECK(r.code == 2);
    CHECK(has(r.out, "--layer is required; the layers are: "));
    // An enum-valued option lists its values.
    r = run_vigil("nearest " + q(db) + " --at 113.08,34.94 --layer 企业 --by car");
    CHECK(r.code == 2);
    CHECK(has(r.out, "air"));
    CHECK(has(r.out, "road"));
}

TEST_CASE("clerk: coordinates and numbers typed full-width are accepted by every option", "[gdal][clerk][numbers]") {
    auto dir = test::scratch_dir("clerk-fullwidth");
    const auto db = dir / "p.sqlite";
    test::write(dir / "温县.csv", k_register);
    REQUIRE(run_vigil("import " + q(db) + " " + q(dir / "温县.csv") + " --layer 企业").code == 0); // WGS84: the points as typed
    for (const char* at :
         {"113.0791，34.9412", "１１３．０７９１，３４．９４１２", "113.0791、34.9412", "１１３．０７９１　３４．９４１２"}) {
        auto r = run_vigil("nearest " + q(db) + " --at '" + at + "' --layer 企业 -k １ --json");
        INFO(at << "\n" << r.out);
        REQUIRE(r.code == 0);
        CHECK(has(r.out, "\"id\": \"91410825MA46HT3K52\""));
        CHECK_FALSE(has(r.out, "91410825MA3X4K7L2E"));
    }
    auto r = run_vigil("within " + q(db) + " --at '１１３．０７９１，３４．９４１２' --layer 企业 --radius ５０ --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(has(r.out, "91410825MA46HT3K52"));
    r = run_vigil("nearest " + q(db) + " --at '113.0791；34.9412' --layer 企业");
    CHECK(r.code == 2);
    CHECK(has(r.out, "is not LON,LAT"));
}

} // namespace test_import_clerk_cases
