#!/usr/bin/env python3
"""The message catalogue's tests (ctest "i18n: …"). Each fails with the file, line and text to fix.

  complete   every tr(…) msgid of every component's sources has a Chinese text in the component's
             PO file — none missing, empty or fuzzy — and the PO file holds nothing the sources no
             longer ask for (xgettext is the judge: what translators' tools see is what is tested).
  languages  each message is one language per side: the msgid (the English text) has no Chinese,
             the Chinese text has no English words but the standards' codes and units (GB, ERG,
             UN, km, …) — no mixed "中文 English" label; both sides carry the same {} values; a
             message translated by two components reads the same in both.
  sources    no user-facing text bypasses the catalogue: no Chinese in a string literal of the code
             (outside the input vocabularies listed below, with why), and no English label or
             sentence given to ImGui, printed or thrown without tr(…).
"""

from __future__ import annotations

import collections
import pathlib
import re
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools" / "i18n"))
import catalogue  # noqa: E402

ROOT = catalogue.ROOT
LIMIT = int(__import__("os").environ.get("I18N_LIMIT", "400"))
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")

# Latin words a Chinese text may carry: the standards' and models' codes, units, file formats and
# the programs' own names, as Chinese technical writing keeps them (GB 18218, ERG, km).
LATIN_ALLOWED = set("""
GB AQ T GBT ERG UN CAS LEC QRA BLEVE TNT LC LC50 IDLH AEGL ERPG PAC TEEL UVCE VCE PSV FAR LSIR IR SR
km m cm mm km2 m2 m3 min s h ms d kg g mg t L mL MJ kJ J kW W kPa Pa MPa bar ppm K C dB px dpi Hz
WKT WKB JSON GeoJSON CSV XLSX XLS PNG PDF SVG HTML URL HTTP HTTPS PO MO ZIP SQL SQLite SpatiaLite GDAL PROJ
QGIS GIS PostgreSQL PostGIS EPSG WGS CGCS GCJ BD CRS UTF GBK ID IDs UID PID OK GPU CPU API CH SLD QML DEM
I II III IV V
Vigil vigil Jiaozuo Pasquill Gifford Briggs TNO Baker Strehlow Mudan Shokri Beyler Pietersen
a b c x y z zh en
WGS84 JPEG JPG MBTiles XYZ OpenGL GLFW WebGL WebGL2 UTC HiDPI Esc Ctrl Shift Alt Enter Tab PEM TLS IME
""".split())


def fail(problems: list[str], what: str) -> int:
    if not problems:
        print(f"ok: {what}")
        return 0
    for p in problems[:LIMIT]:
        print(p)
    if len(problems) > LIMIT:
        print(f"… and {len(problems) - LIMIT} more")
    print(f"FAILED: {len(problems)} problem(s): {what}")
    return 1


def check_complete() -> int:
    problems = []
    for name, comp in catalogue.COMPONENTS.items():
        po_path = ROOT / comp["po"]
        rel = po_path.relative_to(ROOT)
        with tempfile.TemporaryDirectory() as tmp:
            pot = pathlib.Path(tmp) / f"{name}.pot"
            catalogue.extract_pot(name, pot)
            wanted = {m.key: m for m in catalogue.read_po(pot)}
        have = {m.key: m for m in catalogue.read_po(po_path) if not m.obsolete}
        for key, m in wanted.items():
            got = have.get(key)
            ctx = f" (context {key[0]!r})" if key[0] else ""
            if got is None:
                problems.append(f"{rel}: missing{ctx}: {m.msgid!r} (run tools/i18n/update-po.py, then translate)")
            elif not got.msgstr:
                problems.append(f"{rel}:{got.line}: not translated{ctx}: {m.msgid!r}")
            elif "fuzzy" in got.flags:
                problems.append(f"{rel}:{got.line}: fuzzy (a guess, not a translation){ctx}: {m.msgid!r}")
        for key, m in have.items():
            if key not in wanted:
                problems.append(f"{rel}:{m.line}: no longer in the sources: {m.msgid!r} (run tools/i18n/update-po.py)")
    return fail(problems, "every message of every component has its Chinese text, and no stale one")


def latin_words(text: str) -> list[str]:
    text = PLACEHOLDER.sub(" ", text)
    text = re.sub(r"`[^`]*`", " ", text)            # a command or a file quoted as typed
    text = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*", " ", text)  # an option, typed as it is
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", " ", text)  # an environment variable (VIGIL_LANG)
    text = re.sub(r"\S+\.(?:csv|json|sqlite|xlsx|po|png|pdf|geojson|shp|prj|zip|html|js|wasm)\b", " ", text)
    text = re.sub(r"%[-+ #0-9.*]*(?:hh|h|ll|l|z|j|t|L)?[a-zA-Z]", " ", text)  # printf conversions ImGui's sliders format with
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if w not in LATIN_ALLOWED]


def check_languages() -> int:
    problems = []
    seen: dict[tuple, tuple[str, str]] = {}
    for name, comp in catalogue.COMPONENTS.items():
        po_path = ROOT / comp["po"]
        rel = po_path.relative_to(ROOT)
        for m in catalogue.read_po(po_path):
            if m.obsolete or not m.msgstr:
                continue
            where = f"{rel}:{m.line}"
            if HAN.search(m.msgid):
                problems.append(f"{where}: the msgid must be the English text, it has Chinese: {m.msgid!r}")
            words = latin_words(m.msgstr)
            if words:
                problems.append(f"{where}: English words {words} in the Chinese text {m.msgstr!r} (of {m.msgid!r})")
            if not HAN.search(m.msgstr) and re.search(r"[A-Za-z]{2}", PLACEHOLDER.sub("", m.msgid)) and m.msgstr == m.msgid:
                problems.append(f"{where}: the Chinese text is the English one: {m.msgid!r}")
            a = collections.Counter(PLACEHOLDER.findall(m.msgid))
            b = collections.Counter(PLACEHOLDER.findall(m.msgstr))
            positional = all(re.fullmatch(r"\{(\d*)(:[^{}]*)?\}", p) for p in a)
            if a != b and not (positional and sum(a.values()) == sum(b.values())):
                problems.append(f"{where}: values {dict(a)} in the msgid but {dict(b)} in the Chinese text: {m.msgid!r}")
            if m.key in seen and seen[m.key][1] != m.msgstr:
                problems.append(f"{where}: {m.msgid!r} reads {m.msgstr!r} here but {seen[m.key][1]!r} in {seen[m.key][0]}")
            seen.setdefault(m.key, (str(rel), m.msgstr))
    return fail(problems, "one language per side, the same values on both, one Chinese text per message")


# ---- sources -----------------------------------------------------------------------------------

# Chinese that is not shown to a user but read from one: the words clerks write in registers
# (field and value synonyms, units, dates), place names the geocoder matches, font probes. Each
# entry: a path (or folder) and why. Everything else shows text only through the catalogue.
HAN_ALLOWED = {
    "core/src/catalog/units.cpp": "units as clerks write them (吨, 立方米) — parsed, not shown",
    "core/src/catalog/normalize.cpp": "yes/no and date words as clerks write them — parsed",
    "core/src/importing/field_mapping.cpp": "header words as clerks write them — matched, not shown",
    "core/src/app/incident_place.cpp": "place words dispatchers type (县, 镇, 路口) — matched",
    "viewer/app/font_finder.cpp": "a probe text to find a font that has the glyphs",
}

STRING = re.compile(r'''(?P<raw>R"(?P<d>[^(\s]{0,16})\((?P<rbody>.*?)\)(?P=d)")|"(?P<body>(?:[^"\\\n]|\\.)*)"''', re.S)


def literals(text: str):
    """(line, literal text, start offset) of every string literal outside comments."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
        elif c == "'" and not (i > 0 and (text[i - 1].isalnum())):
            m = re.compile(r"'(?:[^'\\\n]|\\.)*'").match(text, i)
            i = m.end() if m else i + 1
        elif c == '"' or (c == "R" and text.startswith('R"', i)) or (c in "uU8L" and re.match(r'(?:u8|u|U|L)R?"', text[i:i + 4])):
            m = STRING.search(text, i)
            if not m or m.start() > i + 3:
                i += 1
                continue
            body = m.group("rbody") if m.group("raw") else m.group("body")
            yield line, body, m.start(), m.end()
            line += text.count("\n", i, m.end())
            i = m.end()
        else:
            i += 1


# A message split over lines ("…" "…", as clang-format breaks a long one) is one literal to xgettext.
KEYWORD_CALL = re.compile(r"\b(?:tr|trf|trc|trcf|N_|NC_)\s*\(\s*(?:\"[^\"]*\"\s*,\s*)?(?:\"(?:[^\"\\\n]|\\.)*\"\s*)*$")
# A label, a sentence: two words, or a capitalised word, outside tr(…). Codes, keys, SQL and
# formats stay as they are: they are not read by a user.
SENTENCE = re.compile(r"[A-Za-z]{2,}[,.:;!?]?\s+[A-Za-z]{2,}")
NOT_PROSE = re.compile(
    r"^\s*(?:SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WITH|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|ATTACH|DETACH|VACUUM|REPLACE|ANALYZE|EXPLAIN)\b"
    r"|^[\w.-]+$|^#|^[a-z_]+\(|</?[a-z]|^[a-z]+/[a-z]"
    r"|\b(?:FROM|WHERE|JOIN|INTEGER|TEXT|REAL|BLOB|PRIMARY KEY|NOT NULL|ORDER BY|GROUP BY|VALUES|AND|OR|IS NULL|SET|INTO|ON CONFLICT)\b|\?\d"
    r"|\b(?:uniform|vec[234]|mat[234]|gl_\w+|texture|void main)\b")
IMGUI_LABEL = re.compile(
    r"ImGui::(?:Text|TextUnformatted|TextDisabled|TextColored|TextWrapped|BulletText|LabelText|SeparatorText|Button|SmallButton|"
    r"Checkbox|RadioButton|MenuItem|BeginMenu|CollapsingHeader|TreeNode|TreeNodeEx|Selectable|SetTooltip|Begin|BeginCombo|"
    r"Combo|InputText|InputTextWithHint|InputInt|InputDouble|InputFloat|SliderFloat|SliderInt|DragFloat|DragInt|BeginTabItem|"
    r"TableSetupColumn|OpenPopup|BeginPopup|BeginPopupModal)\s*\(\s*(?:[^\"(),]*,\s*)?$")
EXEMPT_MARK = "i18n: not shown"
# A file of input vocabulary (the words clerks write, parsed, never shown) says so near its top.
VOCABULARY_MARK = "i18n: input vocabulary"


def check_sources() -> int:
    problems = []
    for name in catalogue.COMPONENTS:
        files = catalogue.sources(name, "cpp") + catalogue.sources(name, "js")
        for path in files:
            rel = str(path.relative_to(ROOT))
            text = path.read_text(encoding="utf-8", errors="replace")
            han_ok = any(rel == k or rel.startswith(k + "/") for k in HAN_ALLOWED) or VOCABULARY_MARK in "\n".join(text.split("\n")[:40])
            lines = text.split("\n")
            previous_end, previous_wrapped = -1, False
            for line, body, start, end in literals(text):
                before = text[max(0, start - 120):start]
                # "one " "literal" split over lines (clang-format breaks long ones) is one literal.
                continued = previous_end >= 0 and not text[previous_end:start].strip()
                wrapped = previous_wrapped if continued else bool(KEYWORD_CALL.search(before))
                previous_end, previous_wrapped = end, wrapped
                if EXEMPT_MARK in lines[line - 1] or (line >= 2 and EXEMPT_MARK in lines[line - 2]):
                    continue
                if HAN.search(body) and not han_ok:
                    problems.append(f"{rel}:{line}: Chinese in the code, not in {catalogue.COMPONENTS[name]['po']}: \"{body[:60]}\"")
                    continue
                if wrapped:
                    continue
                stripped = body.split("##")[0]
                if IMGUI_LABEL.search(before) and re.search(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", re.sub(r"%[-+ #0-9.*]*(?:hh|h|ll|l|z|j|t|L)?[a-zA-Z]", "", stripped))):
                    problems.append(f"{rel}:{line}: an ImGui label without tr(…): \"{body[:60]}\"")
                elif SENTENCE.search(stripped) and not NOT_PROSE.search(stripped):
                    problems.append(f"{rel}:{line}: English text without tr(…): \"{body[:60]}\"")
    return fail(problems, f"no user-facing text outside the catalogue (exempt a line with // {EXEMPT_MARK}: <why>)")


def main(argv: list[str]) -> int:
    checks = {"complete": check_complete, "languages": check_languages, "sources": check_sources}
    names = argv or list(checks)
    return max(checks[n]() for n in names)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
