#!/usr/bin/env python3
"""Brings the PO files up to date with the sources: xgettext extracts every tr(…) msgid of a
component, msgmerge adds the new ones (msgstr "" for the translator) and drops the ones no longer
in the source. Then lists what still needs a Chinese text.

    tools/i18n/update-po.py            all components
    tools/i18n/update-po.py viewer cli only these
"""

import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import catalogue  # noqa: E402


def main(argv: list[str]) -> int:
    names = argv or list(catalogue.COMPONENTS)
    untranslated = 0
    for name in names:
        po = catalogue.ROOT / catalogue.COMPONENTS[name]["po"]
        with tempfile.TemporaryDirectory() as tmp:
            pot = pathlib.Path(tmp) / f"{name}.pot"
            catalogue.extract_pot(name, pot)
            # No fuzzy matching: a guessed translation of a similar text is how wrong words reach a dispatcher.
            subprocess.run(["msgmerge", "--quiet", "--update", "--no-fuzzy-matching", "--backup=none", "--sort-by-file",
                            str(po), str(pot)], check=True)
            subprocess.run(["msgattrib", "--force-po", "--no-obsolete", "--sort-by-file", "-o", str(po), str(po)], check=True)
        todo = [m for m in catalogue.read_po(po) if not m.msgstr]
        untranslated += len(todo)
        print(f"{po.relative_to(catalogue.ROOT)}: {len(catalogue.read_po(po))} messages, {len(todo)} to translate")
        for m in todo[:2000]:
            print(f"  {po.relative_to(catalogue.ROOT)}:{m.line}: {m.msgid!r}")
    return 1 if untranslated else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
