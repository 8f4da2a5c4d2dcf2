// The message catalogue's run time (vigil/util/i18n.hpp): languages from tags, lookups in the
// embedded .mo files, contexts, values, and the order catalogues are consulted in. That every
// message has its Chinese text is tests/i18n's (check_messages.py).
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace test_i18n_cases {

using vigil::i18n::Language;
namespace i18n = vigil::i18n;

// A .mo file as GNU msgfmt lays it out (little-endian, sorted msgids, no hash table).
std::vector<unsigned char> make_mo(std::vector<std::pair<std::string, std::string>> entries) {
    std::sort(entries.begin(), entries.end());
    const auto n = static_cast<std::uint32_t>(entries.size());
    std::vector<unsigned char> out(28 + 16 * n);
    auto put = [&](std::size_t at, std::uint32_t v) { std::memcpy(out.data() + at, &v, 4); };
    put(0, 0x950412de);
    put(8, n);
    put(12, 28);
    put(16, 28 + 8 * n);
    for (std::uint32_t i = 0; i < n; ++i) {
        for (int side = 0; side < 2; ++side) {
            const std::string& s = side == 0 ? entries[i].first : entries[i].second;
            put(28 + 8 * n * side + 8 * i, static_cast<std::uint32_t>(s.size()));
            put(28 + 8 * n * side + 8 * i + 4, static_cast<std::uint32_t>(out.size()));
            out.insert(out.end(), s.begin(), s.end());
            out.push_back(0);
        }
    }
    return out;
}

struct LanguageRestorer {
    Language saved = i18n::language();
    ~LanguageRestorer() { i18n::set_language(saved); }
};

TEST_CASE("languages are read from the tags users and systems write") {
    CHECK(i18n::parse_language("zh") == Language::zh_CN);
    CHECK(i18n::parse_language("zh-CN") == Language::zh_CN);
    CHECK(i18n::parse_language("zh_CN.UTF-8") == Language::zh_CN);
    CHECK(i18n::parse_language("zh-Hans") == Language::zh_CN);
    CHECK(i18n::parse_language("ZH") == Language::zh_CN);
    CHECK(i18n::parse_language("中文") == Language::zh_CN);
    CHECK(i18n::parse_language("en") == Language::en);
    CHECK(i18n::parse_language("en-US") == Language::en);
    CHECK(i18n::parse_language("en_GB.UTF-8") == Language::en);
    CHECK(i18n::parse_language("English") == Language::en);
    CHECK_FALSE(i18n::parse_language("fr"));
    CHECK_FALSE(i18n::parse_language(""));
    CHECK_FALSE(i18n::parse_language("C"));
    CHECK(i18n::language_tag(Language::zh_CN) == "zh-CN");
    CHECK(i18n::language_tag(Language::en) == "en");
}

TEST_CASE("core's own messages are Chinese by default and English on request") {
    const LanguageRestorer restore;
    const char* msgid = "{}: Vigil does not speak \"{}\"; use zh (Chinese) or en (English)";
    CHECK(i18n::catalogue_size(Language::zh_CN) >= 1);
    CHECK(std::string(i18n::translate(msgid, Language::en)) == msgid);
    const std::string zh = i18n::translate(msgid, Language::zh_CN);
    CHECK(zh != msgid);
    CHECK(zh.find("守夜") != std::string::npos);

    i18n::set_language(Language::zh_CN);
    CHECK(i18n::unknown_language_message("--lang", "fr") == "--lang：守夜不支持语言“fr”；请用 zh（中文）或 en（英文）");
    i18n::set_language(Language::en);
    CHECK(i18n::unknown_language_message("VIGIL_LANG", "fr") ==
          "VIGIL_LANG: Vigil does not speak \"fr\"; use zh (Chinese) or en (English)");
}

TEST_CASE("a message with no translation shows its English text, never an empty label") {
    CHECK(std::string(i18n::translate("A text no catalogue has (test)", Language::zh_CN)) == "A text no catalogue has (test)");
    CHECK(std::string(i18n::translate("ctx", "A text no catalogue has (test)", Language::zh_CN)) == "A text no catalogue has (test)");
    CHECK(std::string(i18n::translate("", Language::zh_CN)).empty()); // "" is the header, not a message
}

TEST_CASE("an added catalogue: contexts, reordered values, and core's texts never replaced") {
    const LanguageRestorer restore;
    // Static: the catalogue keeps pointing at the bytes for the life of the process.
    static const std::vector<unsigned char> mo = make_mo({
        {"", "Content-Type: text/plain; charset=UTF-8\n"},
        {"Test: Major", "测试：重大"},
        {"risk level\x04Test: Major", "测试：重大风险"},
        {"Test: {} teams reach {} in time", "测试：{1}有{0}支队伍按时到达"},
        {"Test: untranslated", ""},
        {"{}: Vigil does not speak \"{}\"; use zh (Chinese) or en (English)", "should never be shown"},
    });
    i18n::add_catalogue(Language::zh_CN, mo);
    i18n::add_catalogue(Language::zh_CN, mo); // a second time changes nothing

    i18n::set_language(Language::zh_CN);
    CHECK(std::string(vigil::tr("Test: Major")) == "测试：重大");
    CHECK(std::string(vigil::trc("risk level", "Test: Major")) == "测试：重大风险");
    CHECK(std::string(vigil::trc("another context", "Test: Major")) == "Test: Major");
    CHECK(vigil::trf("Test: {} teams reach {} in time", 3, "温县") == "测试：温县有3支队伍按时到达");
    CHECK(std::string(vigil::tr("Test: untranslated")) == "Test: untranslated");
    CHECK(vigil::i18n::unknown_language_message("--lang", "fr").find("should never") == std::string::npos);

    i18n::set_language(Language::en);
    CHECK(vigil::trf("Test: {} teams reach {} in time", 3, "Wenxian") == "Test: 3 teams reach Wenxian in time");
    CHECK(std::string(vigil::trc("risk level", "Test: Major")) == "Test: Major");
}

TEST_CASE("bytes that are not a .mo file are refused, naming why") {
    const std::vector<unsigned char> junk(64, 0x41);
    CHECK_THROWS_WITH(i18n::add_catalogue(Language::zh_CN, junk), Catch::Contains("not a .mo file"));
    static std::vector<unsigned char> cut = make_mo({{"", "x"}, {"Test: cut", "剪"}});
    cut.resize(cut.size() - 3);
    CHECK_THROWS_WITH(i18n::add_catalogue(Language::zh_CN, cut), Catch::Contains("runs past"));
}

} // namespace test_i18n_cases
