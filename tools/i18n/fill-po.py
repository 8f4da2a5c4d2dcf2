#!/usr/bin/env python3
"""Writes Chinese texts into a PO file from a JSON object {msgid: msgstr} (or, for a message with
a context, {"context\\u0004msgid": msgstr}) — for a batch of translations typed at once.

    tools/i18n/fill-po.py viewer/po/zh_CN.po translations.json [--force]

Only entries with an empty msgstr are filled unless --force; msgids not in the PO are listed
(run tools/i18n/update-po.py first). Clears the fuzzy flag of an entry it fills."""

import json
import os
import tempfile
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import catalogue  # noqa: E402


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def main(argv):
    force = "--force" in argv
    argv = [a for a in argv if a != "--force"]
    po, mapping = pathlib.Path(argv[0]), json.loads(pathlib.Path(argv[1]).read_text(encoding="utf-8"))
    blocks = po.read_text(encoding="utf-8").split("\n\n")
    used, out = set(), []
    for block in blocks:
        lines = block.split("\n")
        tmp = pathlib.Path(tempfile.gettempdir()) / f"_fill_block_{os.getpid()}.po"
        tmp.write_text(block + "\n", encoding="utf-8")
        msgs = catalogue.read_po(tmp)
        if len(msgs) == 1 and not msgs[0].obsolete:
            m = msgs[0]
            key = (m.context + "\x04" + m.msgid) if m.context else m.msgid
            if key in mapping and (force or not m.msgstr):
                start = next(i for i, l in enumerate(lines) if l.startswith("msgstr"))
                end = start + 1
                while end < len(lines) and lines[end].startswith('"'):
                    end += 1
                lines[start:end] = ["msgstr " + quote(mapping[key])]
                lines = [re.sub(r",\s*fuzzy\b", "", l) if l.startswith("#,") else l for l in lines]
                lines = [l for l in lines if l.strip() != "#,"]
                used.add(key)
        out.append("\n".join(lines))
    po.write_text("\n\n".join(out), encoding="utf-8")
    unknown = [k for k in mapping if k not in used]
    print(f"{po}: {len(used)} filled; {len(unknown)} not filled (not in the PO, or translated already)")
    for k in unknown[:50]:
        print(f"  {k!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
