#!/usr/bin/env python3
"""The page's own words in Chinese, for web/page/vigil-page.js's tr() before the viewer's wasm runs.

Reads web/po/zh_CN.po (the web component's catalogue) and writes a small script that sets
window.VIGIL_MESSAGES = {"zh-CN": {msgid: msgstr}} with the messages the page's scripts use (those
whose references name web/page/). The build (web/CMakeLists.txt) puts it next to index.html as
vigil-messages.js; index.html loads it before vigil-page.js. A message without its Chinese text is
left out (the page then shows the English msgid; tests/i18n fails on it anyway).

    tools/i18n/page-messages.py web/po/zh_CN.po build-wasm/web/vigil-messages.js
"""

from __future__ import annotations

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import catalogue  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    po, out = pathlib.Path(argv[0]), pathlib.Path(argv[1])
    # References tell which messages are the page's; read_po gives the whole (multi-line) texts.
    page_refs = set()
    refs: list[str] = []
    lines = po.read_text(encoding="utf-8").splitlines()
    for n, msg_line in enumerate(lines, 1):
        if msg_line.startswith("#:"):
            refs += msg_line[2:].split()
        elif not msg_line.strip():
            refs = []
        elif msg_line.startswith(("msgid ", "msgctxt ")) and refs:
            if any(r.startswith("web/page/") for r in refs):
                page_refs.add(n)
            refs = []
    messages = {}
    for m in catalogue.read_po(po):
        if m.obsolete or not m.msgstr or m.context is not None or m.line not in page_refs:
            continue
        messages[m.msgid] = m.msgstr
    text = ("// Made by tools/i18n/page-messages.py from web/po/zh_CN.po: the page's own words in Chinese\n"
            "// (vigil-page.js's tr()). Do not edit: translate in the PO file.\n"
            '"use strict";\n'
            "window.VIGIL_MESSAGES = " + json.dumps({"zh-CN": dict(sorted(messages.items()))}, ensure_ascii=False, indent=1)
            + ";\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
