#!/usr/bin/python3
"""The browser build's Chinese font: Noto Sans CJK SC cut down to what a Jiaozuo project needs.

The whole face is 16 MB (65,535 glyphs); the page's budget for wasm + JS + font is 6 MB
compressed. The subset keeps
  - ASCII, Latin-1, general punctuation, CJK symbols and punctuation, full-width forms;
  - every Chinese character of GB 2312 (6,763: levels 1 and 2 — the characters of names,
    addresses and place names in the bureau's registers, and everything an IME types by default);
  - every other character found in the text files under --text-from (the message catalogues'
    PO files, the layer catalogue, the demo generator and its data), so nothing the UI or the
    demo shows falls outside it.
Hinting and OpenType layout tables go (Dear ImGui rasterises outlines with stb_truetype and does
no shaping); CFF outlines stay subroutinised. Needs python3-fonttools (Debian).

    tools/make-web-font.py --out build-wasm/web/fonts/vigil-cjk.otf --text-from viewer layers
"""
import argparse
import os
import sys

try:
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont
except ImportError:
    sys.exit("make-web-font.py: needs fontTools (apt-get install python3-fonttools)")

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
]
FAMILY = "Noto Sans CJK SC"
TEXT_SUFFIXES = (".cpp", ".hpp", ".json", ".csv", ".geojson", ".md", ".po")


def gb2312_characters():
    chars = set()
    for hi in range(0xB0, 0xF8):  # the hanzi rows (16-55 level 1, 56-87 level 2)
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for hi in range(0xA1, 0xAA):  # symbols, punctuation, full-width forms, kana, Greek, Cyrillic
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def text_characters(roots):
    chars = set()
    for root in roots:
        for folder, _, files in os.walk(root):
            for name in files:
                if name.endswith(TEXT_SUFFIXES):
                    with open(os.path.join(folder, name), encoding="utf-8", errors="ignore") as f:
                        chars.update(c for c in f.read() if ord(c) >= 0x80)
    return chars


def open_face(path):
    if path.endswith(".ttc"):
        for face in TTCollection(path, lazy=False).fonts:
            if face["name"].getDebugName(1) == FAMILY:
                return face
        sys.exit(f"make-web-font.py: no '{FAMILY}' face in {path}")
    return TTFont(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--font", help="the source font (default: Debian's Noto Sans CJK)")
    ap.add_argument("--text-from", nargs="*", default=[], help="folders whose text files' characters must be covered")
    args = ap.parse_args()

    source = args.font or next((p for p in FONT_CANDIDATES if os.path.exists(p)), None)
    if not source:
        sys.exit("make-web-font.py: Noto Sans CJK not found (apt-get install fonts-noto-cjk) — or pass --font")
    face = open_face(source)

    wanted = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    wanted |= {chr(c) for c in range(0x2000, 0x2070)} | {chr(c) for c in range(0x3000, 0x3040)}
    wanted |= {chr(c) for c in range(0xFF00, 0xFFF0)} | {"\u2190", "\u2191", "\u2192", "\u2193", "\u00d7", "\u2212", "\u25b2", "\u25bc"}
    wanted |= gb2312_characters() | text_characters(args.text_from)
    cmap = face.getBestCmap()
    unicodes = sorted(ord(c) for c in wanted if ord(c) in cmap)

    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.notdef_outline = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx", "DSIG"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=unicodes)
    sub.subset(face)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".partial"
    face.save(tmp)
    os.replace(tmp, args.out)
    print(f"make-web-font.py: {len(unicodes)} characters, {os.path.getsize(args.out)} bytes -> {args.out}")


if __name__ == "__main__":
    main()
