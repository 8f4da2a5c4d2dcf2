// i18n: input vocabulary — the languages' names users type (中文) and each language's own name,
// shown as itself in every language (a language menu lists 中文 and English whatever it is in).
#include <vigil/util/error.hpp>
#include <vigil/util/i18n.hpp>

#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace vigil::i18n {

// core's own catalogues, compiled from core/po/{data,app,hazard}/zh_CN.po (core/CMakeLists.txt).
std::span<const unsigned char> core_messages_data_zh_CN();
std::span<const unsigned char> core_messages_app_zh_CN();
std::span<const unsigned char> core_messages_hazard_zh_CN();

namespace {

// A .mo file read in place: GNU msgfmt writes the original strings sorted by their bytes, so a
// lookup is a binary search over the file's own tables — nothing is copied or parsed at start.
// Written here rather than calling libintl's gettext(): the browser build has no libintl, and
// gettext() reads .mo files from a locale directory the page does not have.
struct MoFile {
    const unsigned char* bytes = nullptr;
    std::size_t size = 0;
    std::uint32_t count = 0;
    std::uint32_t originals = 0;    // offset of the (length, offset) table of msgids
    std::uint32_t translations = 0; // offset of the table of msgstrs

    std::uint32_t word(std::size_t at) const {
        std::uint32_t w = 0;
        std::memcpy(&w, bytes + at, 4); // .mo files are written in the machine's order; checked by the magic
        return w;
    }
    const char* string(std::uint32_t table, std::uint32_t i) const {
        return reinterpret_cast<const char*>(bytes + word(table + 8 * i + 4));
    }
    std::uint32_t length(std::uint32_t table, std::uint32_t i) const { return word(table + 8 * i); }

    /// The translation of `key` (context\x04msgid, or msgid), or null.
    const char* find(const char* key, std::size_t key_length) const {
        std::uint32_t lo = 0, hi = count;
        while (lo < hi) {
            const std::uint32_t mid = lo + (hi - lo) / 2;
            const char* s = string(originals, mid);
            const std::uint32_t n = length(originals, mid);
            const int c = std::memcmp(s, key, std::min<std::size_t>(n, key_length));
            const int order = c != 0 ? c : (n < key_length ? -1 : (n > key_length ? 1 : 0));
            if (order == 0) {
                // An empty msgstr is an untranslated entry msgfmt kept: fall through to English.
                return length(translations, mid) == 0 ? nullptr : string(translations, mid);
            }
            if (order < 0) lo = mid + 1;
            else hi = mid;
        }
        return nullptr;
    }
};

MoFile read_mo(std::span<const unsigned char> b) {
    constexpr std::uint32_t k_magic = 0x950412de;
    MoFile mo;
    mo.bytes = b.data();
    mo.size = b.size();
    if (b.size() < 28 || mo.word(0) != k_magic)
        throw Error("message catalogue: not a .mo file (bad magic)"); // i18n: not shown: the catalogue itself is broken (a build fault)
    mo.count = mo.word(8);
    mo.originals = mo.word(12);
    mo.translations = mo.word(16);
    auto table_fits = [&](std::uint32_t t) { return t <= b.size() && (b.size() - t) / 8 >= mo.count; };
    if (!table_fits(mo.originals) || !table_fits(mo.translations))
        throw Error("message catalogue: truncated .mo file"); // i18n: not shown: the catalogue itself is broken (a build fault)
    for (std::uint32_t t : {mo.originals, mo.translations}) {
        for (std::uint32_t i = 0; i < mo.count; ++i) {
            const std::uint64_t at = mo.word(t + 8 * i + 4), n = mo.length(t, i);
            if (at + n >= b.size() || b[at + n] != 0)
                throw Error("message catalogue: a string runs past the .mo file"); // i18n: not shown: the catalogue itself is broken (a
                                                                                   // build fault)
        }
    }
    for (std::uint32_t i = 1; i < mo.count; ++i) {
        if (std::strcmp(mo.string(mo.originals, i - 1), mo.string(mo.originals, i)) >= 0)
            throw Error("message catalogue: msgids not sorted (not written by GNU msgfmt)"); // i18n: not shown: the catalogue itself is
                                                                                             // broken (a build fault)
    }
    return mo;
}

constexpr std::size_t k_max_catalogues = 16;
constexpr std::size_t k_languages = 2;

// Catalogues are appended under the mutex and published by the count (release); lookups read the
// count (acquire) and never lock: tr() runs for every label of every frame, on several threads.
struct Catalogues {
    std::array<std::array<MoFile, k_max_catalogues>, k_languages> files{};
    std::array<std::atomic<std::size_t>, k_languages> count{};
    std::mutex adding;
};

Catalogues& catalogues() {
    static Catalogues* all = [] {
        auto* c = new Catalogues; // never destroyed: translations are read until the very end
        auto& zh = c->files[static_cast<std::size_t>(Language::zh_CN)];
        zh[0] = read_mo(core_messages_data_zh_CN());
        zh[1] = read_mo(core_messages_app_zh_CN());
        zh[2] = read_mo(core_messages_hazard_zh_CN());
        c->count[static_cast<std::size_t>(Language::zh_CN)].store(3, std::memory_order_release);
        return c;
    }();
    return *all;
}

// 0 = not yet resolved (VIGIL_LANG is read on first use), else 1 + Language.
std::atomic<int> g_language{0};

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

} // namespace

Language language() noexcept {
    int v = g_language.load(std::memory_order_acquire);
    if (v == 0) {
        Language lang = Language::zh_CN;
        if (const char* env = std::getenv("VIGIL_LANG"); env && *env) {
            if (auto parsed = parse_language(env)) lang = *parsed;
        }
        int expected = 0;
        g_language.compare_exchange_strong(expected, 1 + static_cast<int>(lang), std::memory_order_acq_rel);
        v = g_language.load(std::memory_order_acquire);
    }
    return static_cast<Language>(v - 1);
}

void set_language(Language lang) noexcept { g_language.store(1 + static_cast<int>(lang), std::memory_order_release); }

std::optional<Language> parse_language(std::string_view tag) noexcept {
    // Only the language part: "zh_CN.UTF-8" → "zh", "en-US" → "en".
    if (tag == "中文" || tag == "简体中文") return Language::zh_CN;
    std::string t;
    try {
        t = lower_ascii(tag.substr(0, tag.find_first_of("-_.@")));
    } catch (...) {
        return std::nullopt;
    }
    if (t == "zh" || t == "cn" || t == "chinese") return Language::zh_CN;
    if (t == "en" || t == "english") return Language::en;
    return std::nullopt;
}

std::string_view language_tag(Language lang) noexcept { return lang == Language::en ? "en" : "zh-CN"; }

std::string_view language_name(Language lang) noexcept { return lang == Language::en ? "English" : "中文"; }

std::string unknown_language_message(std::string_view source, std::string_view tag) {
    return trf("{}: Vigil does not speak \"{}\"; use zh (Chinese) or en (English)", source, tag);
}

const char* translate(const char* msgid, Language lang) noexcept {
    if (msgid == nullptr || *msgid == '\0') return msgid; // "" is the catalogue's header, not a message
    const Catalogues& all = catalogues();
    const auto l = static_cast<std::size_t>(lang);
    const std::size_t n = all.count[l].load(std::memory_order_acquire);
    const std::size_t length = std::strlen(msgid);
    for (std::size_t i = 0; i < n; ++i) {
        if (const char* s = all.files[l][i].find(msgid, length)) return s;
    }
    return msgid;
}

const char* translate(const char* context, const char* msgid, Language lang) noexcept {
    if (msgid == nullptr || *msgid == '\0') return msgid;
    const Catalogues& all = catalogues();
    const auto l = static_cast<std::size_t>(lang);
    const std::size_t n = all.count[l].load(std::memory_order_acquire);
    // gettext's key for a message with a context: "context\x04msgid".
    char stack_key[256];
    const std::size_t cl = std::strlen(context), ml = std::strlen(msgid);
    std::string heap_key;
    char* key = stack_key;
    if (cl + 1 + ml >= sizeof stack_key) {
        heap_key.resize(cl + 1 + ml);
        key = heap_key.data();
    }
    std::memcpy(key, context, cl);
    key[cl] = '\x04';
    std::memcpy(key + cl + 1, msgid, ml);
    for (std::size_t i = 0; i < n; ++i) {
        if (const char* s = all.files[l][i].find(key, cl + 1 + ml)) return s;
    }
    return msgid;
}

void add_catalogue(Language lang, std::span<const unsigned char> mo_bytes) {
    Catalogues& all = catalogues();
    const MoFile mo = read_mo(mo_bytes);
    const std::lock_guard lock(all.adding);
    const auto l = static_cast<std::size_t>(lang);
    const std::size_t n = all.count[l].load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < n; ++i) {
        if (all.files[l][i].bytes == mo.bytes) return; // added already (a second viewer in one process)
    }
    if (n == k_max_catalogues)
        throw Error("message catalogue: more than 16 catalogues added"); // i18n: not shown: the catalogue itself is broken (a build fault)
    all.files[l][n] = mo;
    all.count[l].store(n + 1, std::memory_order_release);
}

void for_each_translation(Language lang, const std::function<void(std::string_view)>& visit) {
    const Catalogues& all = catalogues();
    const auto l = static_cast<std::size_t>(lang);
    const std::size_t n = all.count[l].load(std::memory_order_acquire);
    for (std::size_t i = 0; i < n; ++i) {
        const MoFile& mo = all.files[l][i];
        for (std::uint32_t m = 0; m < mo.count; ++m) {
            if (mo.length(mo.originals, m) == 0) continue; // the header
            visit(std::string_view(mo.string(mo.translations, m), mo.length(mo.translations, m)));
        }
    }
}

std::size_t catalogue_size(Language lang) noexcept {
    const Catalogues& all = catalogues();
    const auto l = static_cast<std::size_t>(lang);
    std::size_t total = 0;
    const std::size_t n = all.count[l].load(std::memory_order_acquire);
    for (std::size_t i = 0; i < n; ++i) total += all.files[l][i].count > 0 ? all.files[l][i].count - 1 : 0;
    return total;
}

} // namespace vigil::i18n
