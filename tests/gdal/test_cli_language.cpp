// The command line speaks Chinese unless told otherwise (docs/i18n.md): --lang, then VIGIL_LANG,
// then zh-CN; a language Vigil does not speak is a usage error, never a guess. Both programs (the
// lean front and vigil-full) choose the same way.
#include "cli_runner.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace test_cli_language_cases {

using vigil::test::run_vigil;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_CASE("the CLI is Chinese by default, English with --lang en or VIGIL_LANG=en") {
    const std::string zh_quiet = "不显示进度条", en_quiet = "No progress bar or notes";
    const auto plain = run_vigil("--help", "env -u VIGIL_LANG");
    CHECK(plain.code == 0);
    CHECK(has(plain.out, zh_quiet));
    CHECK_FALSE(has(plain.out, en_quiet));
    const auto en = run_vigil("--lang en --help", "env -u VIGIL_LANG");
    CHECK(en.code == 0);
    CHECK(has(en.out, en_quiet));
    CHECK_FALSE(has(en.out, zh_quiet));

    const auto by_env = run_vigil("--help", "VIGIL_LANG=en_US.UTF-8");
    CHECK(has(by_env.out, en_quiet));
    // The command line wins over the environment, in either direction and either spelling.
    CHECK(has(run_vigil("--lang=zh --help", "VIGIL_LANG=en").out, zh_quiet));
    CHECK(has(run_vigil("--help --lang en", "VIGIL_LANG=zh").out, en_quiet));
}

TEST_CASE("the global options (--lang, -q) are taken after the command too, by both programs") {
    const auto dir = vigil::test::scratch_dir("cli_language");
    const auto db = dir / "demo.sqlite";
    // vigil-full's command (demo) and the front's (layers), with the options last.
    auto demo = run_vigil("demo " + vigil::test::q(db) + " --force -q --lang en", "env -u VIGIL_LANG");
    INFO(demo.out);
    REQUIRE(demo.code == 0);
    const auto en = run_vigil("layers " + vigil::test::q(db) + " --lang en", "env -u VIGIL_LANG");
    INFO(en.out);
    CHECK(en.code == 0);
    CHECK(has(en.out, "Rescue teams"));
    const auto zh = run_vigil("layers " + vigil::test::q(db), "env -u VIGIL_LANG");
    CHECK(zh.code == 0);
    CHECK(has(zh.out, "救援队伍"));
    CHECK_FALSE(has(zh.out, "Rescue teams"));
    // A command's own output and its table headers, in Chinese by default.
    const auto stats = run_vigil("stats " + vigil::test::q(db), "env -u VIGIL_LANG");
    INFO(stats.out);
    CHECK(stats.code == 0);
    CHECK(has(stats.out, "温县"));
    CHECK(has(stats.out, "红"));
    CHECK_FALSE(has(stats.out, "orng"));
}

TEST_CASE("a language Vigil does not speak is refused with exit status 2, naming where it came from") {
    const auto flag = run_vigil("--lang fr layers nothing.sqlite", "env -u VIGIL_LANG");
    CHECK(flag.code == 2);
    CHECK(has(flag.out, "--lang"));
    CHECK(has(flag.out, "“fr”"));
    CHECK(has(flag.out, "zh（中文）"));

    const auto env = run_vigil("layers nothing.sqlite", "VIGIL_LANG=klingon");
    CHECK(env.code == 2);
    CHECK(has(env.out, "VIGIL_LANG"));
    CHECK(has(env.out, "klingon"));
}

} // namespace test_cli_language_cases
