// `vigil brief` as a dispatcher runs it on the demo: an incident opened and two teams assigned with
// the CLI, then the brief as a PDF (its text read back with poppler's pdftotext: the incident id,
// its title in English and, with --lang zh, 事件简报, each assigned team's name, an ETA and a duty phone; pdffonts: an embedded CJK font
// subset), as a PNG of A4 at 300 dpi, as JSON, and an unknown incident refused by name.

#include "cli_runner.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using vigil::test::q;
using vigil::test::run_vigil;
using vigil::test::scratch_dir;

namespace test_cli_brief_cases {

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A shell command's stdout.
std::string shell(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::array<char, 4096> buf{};
    while (const auto n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    pclose(p);
    return out;
}

// A PNG's width and height from its IHDR chunk.
std::pair<std::uint32_t, std::uint32_t> png_size(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::array<unsigned char, 24> h{};
    f.read(reinterpret_cast<char*>(h.data()), h.size());
    REQUIRE(f.gcount() == 24);
    REQUIRE(h[1] == 'P');
    auto be = [&](std::size_t i) {
        return std::uint32_t(h[i]) << 24 | std::uint32_t(h[i + 1]) << 16 | std::uint32_t(h[i + 2]) << 8 | h[i + 3];
    };
    return {be(16), be(20)};
}

TEST_CASE("vigil brief: the incident brief of the demo as PDF, PNG and JSON", "[gdal][cli][brief][demo]") {
    const auto dir = scratch_dir("cli-brief");
    const auto db = dir / "demo.sqlite";
    auto r = run_vigil("demo " + q(db));
    INFO(r.out);
    REQUIRE(r.code == 0);
    r = run_vigil("incident open " + q(db) +
                  " --at 113.0791,34.9412 --type 危化品泄漏 --id INC-BRIEF-1 --title G207温县段硫酸槽车泄漏 --material 硫酸 --un 1830 "
                  "--by 王五 --seat 席位1");
    INFO(r.out);
    REQUIRE(r.code == 0);
    r = run_vigil("dispatch assign " + q(db) + " INC-BRIEF-1 JZDW-011 JZDW-016 --by 王五 --json");
    INFO(r.out);
    REQUIRE(r.code == 0);

    // The JSON: the two assigned teams with their names, ETAs and duty phones.
    r = run_vigil("brief " + q(db) + " --incident INC-BRIEF-1 --json");
    INFO(r.out);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["incident"]["id"] == "INC-BRIEF-1");
    CHECK(j["incident"]["county"] == "温县");
    CHECK(j["by"] == "road");
    REQUIRE(j["assigned"].size() == 2);
    REQUIRE(j["teams"].size() == 5);
    CHECK(j["teams"][0]["id"] == "JZDW-011"); // the nearest hazmat team by road, now deployed here
    CHECK(j["teams"][0]["assigned"] == true);
    std::vector<std::string> names, phones;
    for (const auto& a : j["assigned"]) {
        REQUIRE(a["eta_min"].is_number());
        REQUIRE(a["duty_phone"].is_string());
        names.push_back(a["team_name"]);
        phones.push_back(a["duty_phone"]);
    }
    CHECK(j["log"].size() >= 3);
    CHECK_FALSE(j["warehouses"].empty());

    // The PDF: its text, and the font embedded as a subset.
    const auto pdf = dir / "brief.pdf";
    r = run_vigil("brief " + q(db) + " --incident INC-BRIEF-1 --out " + q(pdf));
    INFO(r.out);
    REQUIRE(r.code == 0);
    const std::string text = shell("pdftotext -layout " + q(pdf) + " - 2>&1");
    INFO(text);
    CHECK(has(text, "Incident brief"));
    CHECK(has(text, "INC-BRIEF-1"));
    for (const auto& n : names) CHECK(has(text, n));
    for (const auto& p : phones) CHECK(has(text, p));
    CHECK(has(text, " min")); // an ETA
    CHECK(has(text, "made by Vigil"));
    // In Chinese (the bureau's default), the same page in the catalogue's words.
    const auto pdf_zh = dir / "brief-zh.pdf";
    r = run_vigil("--lang zh brief " + q(db) + " --incident INC-BRIEF-1 --out " + q(pdf_zh));
    INFO(r.out);
    REQUIRE(r.code == 0);
    const std::string text_zh = shell("pdftotext -layout " + q(pdf_zh) + " - 2>&1");
    INFO(text_zh);
    CHECK(has(text_zh, "事件简报"));
    CHECK(has(text_zh, "INC-BRIEF-1"));
    CHECK(has(text_zh, "分钟")); // an ETA
    CHECK(has(text_zh, "由 Vigil 生成"));
    const std::string fonts = shell("pdffonts " + q(pdf) + " 2>&1");
    INFO(fonts);
    CHECK(has(fonts, "NotoSansCJK"));
    bool embedded_subset = false;
    std::istringstream lines(fonts);
    for (std::string line; std::getline(lines, line);)
        embedded_subset = embedded_subset || (has(line, "+NotoSansCJK") && has(line, " yes yes "));
    CHECK(embedded_subset);

    // The PNG: A4 at 300 dpi.
    const auto png = dir / "brief.png";
    r = run_vigil("brief " + q(db) + " --incident INC-BRIEF-1 --out " + q(png));
    INFO(r.out);
    REQUIRE(r.code == 0);
    CHECK(png_size(png) == std::pair<std::uint32_t, std::uint32_t>{2480, 3508});

    // Without roads: straight-line ranking, a note says so.
    r = run_vigil("brief " + q(db) + " --incident INC-BRIEF-1 --no-roads --json");
    REQUIRE(r.code == 0);
    const auto air = nlohmann::json::parse(r.out);
    CHECK(air["by"] == "air");
    CHECK(air["teams"][0]["eta_min"].is_null());

    // Mistakes: an unknown incident named, exit 2; another extension refused.
    r = run_vigil("brief " + q(db) + " --incident INC-NOPE --out " + q(dir / "x.pdf"));
    CHECK(r.code == 2);
    CHECK(has(r.out, "INC-NOPE"));
    CHECK_FALSE(fs::exists(dir / "x.pdf"));
    r = run_vigil("brief " + q(db) + " --incident INC-BRIEF-1 --out " + q(dir / "x.svg"));
    CHECK(r.code == 2);
    CHECK(has(r.out, ".pdf"));
}

} // namespace test_cli_brief_cases
