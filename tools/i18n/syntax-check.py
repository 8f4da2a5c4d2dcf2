#!/usr/bin/env python3
"""Compiles the given sources with -fsyntax-only, using the flags their target has in a configured
build (its compile_commands.json) — a quick check of an edit without building the unity batch.

    tools/i18n/syntax-check.py [--build /work/main/build] FILE.cpp...

Run from the source tree to check (a worktree works: the build's paths to the source tree it was
configured from are rewritten to this one; generated files are taken from the build)."""

import json
import os
import pathlib
import shlex
import subprocess
import sys


def main(argv):
    build = pathlib.Path("/work/main/build")
    if argv[:1] == ["--build"]:
        build, argv = pathlib.Path(argv[1]), argv[2:]
    here = pathlib.Path.cwd().resolve()
    commands = json.loads((build / "compile_commands.json").read_text())
    cache = (build / "CMakeCache.txt").read_text()
    src_root = pathlib.Path(next(l.split("=", 1)[1] for l in cache.splitlines() if l.startswith("CMAKE_HOME_DIRECTORY")))
    status = 0
    for f in argv:
        rel = str((here / f).resolve().relative_to(here))
        chosen = None
        for e in commands:
            p = pathlib.Path(e["file"])
            if "Unity" in p.parts and p.exists() and f'{src_root}/{rel}"' in p.read_text():
                chosen = e
                break
            if str(p) == f"{src_root}/{rel}":
                chosen = e
                break
        if chosen is None:
            print(f"{rel}: not in {build}/compile_commands.json (a header? check a .cpp that includes it)")
            status = 1
            continue
        args = shlex.split(chosen["command"]) if "command" in chosen else chosen["arguments"]
        out, skip = [], False
        for a in args:
            if skip:
                skip = False
                continue
            if a in ("-o", "-c", "-MF", "-MT", "-MQ"):
                skip = True
                continue
            if a in ("-MD", "-MMD") or a.endswith(".cxx") or a == "ccache":
                continue
            out.append(a.replace(str(src_root) + "/", str(here) + "/") if not a.startswith(f"-I{build}") else a)
        out += ["-fsyntax-only", str(here / rel)]
        r = subprocess.run(["nice"] + out, cwd=chosen["directory"])
        print(f"{rel}: {'ok' if r.returncode == 0 else 'FAILED'}")
        status |= r.returncode != 0
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
