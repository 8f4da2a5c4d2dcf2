/// @file
/// The message catalogue: every word Vigil shows a user — viewer, page, CLI output and errors,
/// exports' column headers, units — is written in the source as its English text (gettext's
/// msgid) inside tr(…) and shown in the user's language: Chinese (zh-CN) by default, English on
/// request (`--lang en`, VIGIL_LANG=en, the viewer's setting, the browser's language).
///
/// The Chinese texts live in gettext PO files, one per component (core/po/{data,app,hazard}/zh_CN.po,
/// tools/cli/po/zh_CN.po, viewer/po/zh_CN.po, web/po/zh_CN.po) — the files translators' tools
/// (poedit, msgmerge, Weblate) open. The build compiles each with msgfmt into a .mo and embeds its
/// bytes in the component's library, natively and in the browser alike (no file is read at run
/// time: the page has none). core's catalogue is always there; a shell adds its own at start
/// (add_catalogue). tools/i18n/update-po.py extracts the msgids with xgettext and merges them into
/// the PO files; tests/i18n proves every one is translated and no label mixes the languages.
///
/// Writing a message:
///   tr("Layers")                                  a label
///   trf("{} teams within {} min", n, minutes)     with values (fmt's syntax; a translation may
///                                                 reorder them as {1}…{0})
///   trc("risk level", "Major")                    the same English word meaning something else
///   N_("Shelters")                                marks a text translated later, where it is shown
/// Keep a whole sentence in one message (never glue translated pieces) and the values out of it.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vigil::i18n {

/// The languages Vigil speaks; Chinese first.
enum class Language : std::uint8_t { zh_CN, en };

/// The language of this process: set_language's, else VIGIL_LANG's when it names one, else zh-CN.
Language language() noexcept;
void set_language(Language lang) noexcept;

/// A language from a user's or a system's tag: "zh", "zh-CN", "zh_CN.UTF-8", "zh-Hans", "cn",
/// "中文" → zh-CN; "en", "en-US", "en_GB.UTF-8", "English" → en. Nothing for anything else.
std::optional<Language> parse_language(std::string_view tag) noexcept;
/// "zh-CN" or "en" (BCP 47, what the page's <html lang> and the JSON carry).
std::string_view language_tag(Language lang) noexcept;
/// The language's own name: "中文" or "English" (what a language menu lists).
std::string_view language_name(Language lang) noexcept;
/// What a shell says when --lang or VIGIL_LANG names a language Vigil does not speak.
std::string unknown_language_message(std::string_view source, std::string_view tag);

/// The translation of `msgid` in `lang` (the current language by default); `msgid` itself when
/// the catalogue has none — English, never an empty label (tests/i18n makes that never happen).
/// The pointer stays valid for the life of the process.
const char* translate(const char* msgid, Language lang) noexcept;
/// The same with gettext's context (msgctxt), for one English word with two meanings.
const char* translate(const char* context, const char* msgid, Language lang) noexcept;

/// The current language's text of a message.
inline const char* tr(const char* msgid) noexcept { return translate(msgid, language()); }
inline const char* trc(const char* context, const char* msgid) noexcept { return translate(context, msgid, language()); }
/// A message with values, formatted with fmt after translation.
template <typename... Args> std::string trf(const char* msgid, Args&&... args) {
    return fmt::format(fmt::runtime(tr(msgid)), std::forward<Args>(args)...);
}
template <typename... Args> std::string trcf(const char* context, const char* msgid, Args&&... args) {
    return fmt::format(fmt::runtime(trc(context, msgid)), std::forward<Args>(args)...);
}
/// Marks a text for extraction where it is stored, to be passed through tr() where shown.
constexpr const char* N_(const char* msgid) noexcept { return msgid; }

/// Adds a compiled catalogue (the bytes of a .mo file: its component's PO, embedded by
/// vigil_embed_messages in CMake) for `lang`. Looked up after those added before, so a
/// component's own texts never replace core's. Call at start, before other threads translate;
/// at most 16. The bytes must outlive the process (they are static data). Throws vigil::Error on
/// bytes that are not a .mo file.
void add_catalogue(Language lang, std::span<const unsigned char> mo_bytes);

/// Calls `visit` with every translation the catalogues of `lang` hold — e.g. the viewer's font
/// atlas takes their characters, so that no message shows a missing glyph.
void for_each_translation(Language lang, const std::function<void(std::string_view)>& visit);

/// How many messages the catalogues of `lang` hold (a shell's self-check, and the tests').
std::size_t catalogue_size(Language lang) noexcept;

} // namespace vigil::i18n

namespace vigil {
using i18n::N_;
using i18n::tr;
using i18n::trc;
using i18n::trcf;
using i18n::trf;
} // namespace vigil
