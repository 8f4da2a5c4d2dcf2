"""What the edit benchmarks (edit_crash.py, edit_concurrency.py) share: their common options, the
scratch folder, the demo project every trial or run copies afresh."""

import os
import shutil
import subprocess
import tempfile
import time


def add_common_arguments(p):
    p.add_argument("--torture", required=True, help="the edit_torture program")
    p.add_argument("--vigil", help="the vigil program (to make the demo)")
    p.add_argument("--demo", help="a demo project to copy (default: made with `vigil demo`)")
    p.add_argument("--scratch", help="working directory (default: a temporary one, removed after)")


def prepare(p, args, prefix):
    """The scratch folder and the demo project to copy (made there with `vigil demo` when none is given)."""
    if not args.demo and not args.vigil:
        p.error("give --vigil (to make the demo) or --demo")
    scratch = args.scratch or tempfile.mkdtemp(prefix=prefix)
    os.makedirs(scratch, exist_ok=True)
    return scratch, args.demo or make_demo(args.vigil, scratch)


def make_demo(vigil, scratch):
    demo = os.path.join(scratch, "demo.sqlite")
    t0 = time.monotonic()
    subprocess.run([vigil, "demo", "--force", demo], check=True, stdout=subprocess.DEVNULL)
    print(f"demo: {demo} ({os.path.getsize(demo) / 2**20:.1f} MiB, made in {time.monotonic() - t0:.1f} s)", flush=True)
    return demo


def fresh_copy(demo, db):
    """`db` as a copy of `demo`, without the -wal, -shm or -journal of an earlier copy."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    shutil.copyfile(demo, db)
