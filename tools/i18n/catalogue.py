"""The message catalogue's components, their sources and their PO files, read the way GNU gettext
writes them. Shared by tools/i18n/update-po.sh (through `python3 -m`) and tests/i18n."""

from __future__ import annotations

import pathlib
import re
import subprocess
import tempfile
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Each component: its PO file and the sources whose tr(…) it translates. A shell adds its
# catalogue at start (vigil/util/i18n.hpp); core's is always there.
COMPONENTS: dict[str, dict] = {
    # core in three parts, one PO file each (all three always loaded): what clerks meet on import,
    # what the workflows answer, and what the hazard models say.
    "core-data": {"po": "core/po/data/zh_CN.po", "js": [], "cpp": [
        *[f"core/src/{d}" for d in ("importing", "catalog", "io", "geo", "store", "index", "query", "model", "util")],
        *[f"core/include/vigil/{d}" for d in ("importing", "catalog", "io", "geo", "store", "index", "query", "model", "util")],
        "core/native", "core/gdal"]},
    "core-app": {"po": "core/po/app/zh_CN.po", "js": [], "cpp": [
        "core/src/app", "core/src/dispatch", "core/src/routing",
        "core/include/vigil/app", "core/include/vigil/dispatch", "core/include/vigil/routing"]},
    "core-hazard": {"po": "core/po/hazard/zh_CN.po", "js": [], "cpp": ["core/src/hazard", "core/include/vigil/hazard"]},
    "cli": {"po": "tools/cli/po/zh_CN.po", "cpp": ["tools/cli", "tools/brief"], "js": []},
    "viewer": {"po": "viewer/po/zh_CN.po", "cpp": ["viewer"], "js": []},
    "web": {"po": "web/po/zh_CN.po", "cpp": ["web"], "js": ["web/page"]},
}

# xgettext's keywords: the functions of vigil/util/i18n.hpp (and the page's tr/trf).
CPP_KEYWORDS = ["tr", "trf", "trc:1c,2", "trcf:1c,2", "N_", "NC_:1c,2"]
JS_KEYWORDS = ["tr", "trf", "N_"]


def sources(component: str, kind: str) -> list[pathlib.Path]:
    exts = {"cpp": (".cpp", ".hpp", ".h", ".cc", ".in"), "js": (".js", ".mjs")}[kind]
    out: list[pathlib.Path] = []
    for d in COMPONENTS[component][kind]:
        base = ROOT / d
        if not base.exists():
            continue
        for p in sorted(base.rglob("*")):
            if p.suffix in exts and p.is_file() and "third_party" not in p.parts and "node_modules" not in p.parts:
                out.append(p)
    return out


def extract_pot(component: str, out: pathlib.Path) -> None:
    """The component's msgids, as xgettext finds them, into `out` (a .pot file)."""
    parts = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind, lang, keywords in (("cpp", "C++", CPP_KEYWORDS), ("js", "JavaScript", JS_KEYWORDS)):
            files = sources(component, kind)
            if not files:
                continue
            pot = pathlib.Path(tmp) / f"{kind}.pot"
            cmd = ["xgettext", "--from-code=UTF-8", f"--language={lang}", "--keyword", "--add-comments=TRANSLATORS:",
                   "--add-location=file", "--force-po", "--sort-by-file", f"--package-name=vigil-{component}",
                   "-o", str(pot)]
            cmd += [f"--keyword={k}" for k in keywords]
            cmd += [str(f.relative_to(ROOT)) for f in files]
            subprocess.run(cmd, cwd=ROOT, check=True)
            parts.append(str(pot))
        if not parts:
            out.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
            return
        subprocess.run(["msgcat", "--force-po", "--use-first", "--sort-by-file", "-o", str(out), *parts], check=True)


@dataclass
class Message:
    msgid: str
    msgstr: str = ""
    context: str | None = None
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(s: str) -> str:
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    body, out, i = s[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_po(path: pathlib.Path) -> list[Message]:
    """The messages of a PO file (the header, msgid "", left out)."""
    messages: list[Message] = []
    cur: dict = {}
    target = None

    def finish():
        nonlocal cur
        if "msgid" in cur and cur["msgid"] != "":
            messages.append(Message(cur["msgid"], cur.get("msgstr", ""), cur.get("msgctxt"), cur.get("flags", set()),
                                    cur.get("obsolete", False), cur.get("line", 0)))
        cur = {}

    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line.strip():
            finish()
            target = None
            continue
        if line.startswith("#,"):
            cur.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if m:
            key = m.group(1)
            if key in ("msgctxt", "msgid") and key in cur and "msgstr" in cur:
                finish()
            if key == "msgstr[0]":
                key = "msgstr"
            target = key
            cur[key] = _unquote(m.group(2))
            cur.setdefault("line", n)
            if obsolete:
                cur["obsolete"] = True
        elif line.startswith('"') and target:
            cur[target] += _unquote(line)
    finish()
    return messages
