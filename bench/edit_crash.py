#!/usr/bin/env python3
"""kill -9 of the editor at random moments (issue 14, "Crash").

Each trial copies a fresh demo project, starts `edit_torture editor` on it with many edits, kills
it with SIGKILL after a random 20-400 ms (before its first edit in some trials, in the middle of a
commit in others), then runs `edit_torture verify` with the ACK lines the editor printed: every
acknowledged edit must be there, PRAGMA integrity_check ok, the audit and the records agreeing.

    bench/edit_crash.py --torture build/edit_torture --vigil build/vigil [--trials 1000]

The demo is made once with `vigil demo` (or given with --demo). Exit status 0 only when every
trial passes. See docs/benchmarks.md "Edits: crash and concurrency".
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time

from edit_bench_common import add_common_arguments, fresh_copy, prepare


def trial(args, demo, work, n, rng):
    """Runs one trial; returns (ok, acked edits, refused, killed before the first ACK, message)."""
    db = os.path.join(work, "trial.sqlite")
    out_path = os.path.join(work, "editor.out")
    fresh_copy(demo, db)
    delay_ms = rng.uniform(args.min_ms, args.max_ms)
    cmd = [args.torture, "editor", db, "--edits", str(args.edits), "--seed", str(rng.getrandbits(32))]
    if n % 2 == 1:
        cmd.append("--conflicts")
    if args.self_test:
        cmd.append("--ack-before-commit")
    with open(out_path, "wb") as out, open(os.path.join(work, "editor.err"), "wb") as err:
        editor = subprocess.Popen(cmd, stdout=out, stderr=err)
        time.sleep(delay_ms / 1000)
        editor.send_signal(signal.SIGKILL)
        rc = editor.wait()
    with open(out_path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    acked = sum(1 for line in lines if line.startswith("ACK "))
    refused = sum(1 for line in lines if line.startswith("REFUSED "))
    bad = [line for line in lines if line.startswith(("OVERWRITE ", "ERROR "))]
    if rc != -signal.SIGKILL:
        with open(os.path.join(work, "editor.err"), encoding="utf-8", errors="replace") as f:
            return False, acked, refused, acked == 0, f"editor exited {rc} before the kill: {f.read().strip()[-400:]}"
    if bad:
        return False, acked, refused, acked == 0, "editor: " + "; ".join(bad[:3])
    v = subprocess.run([args.torture, "verify", db, "--acks", out_path], capture_output=True, text=True)
    if v.returncode != 0:
        return False, acked, refused, acked == 0, (v.stdout + v.stderr).strip()[-800:]
    return True, acked, refused, acked == 0, ""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--trials", type=int, default=1000)
    add_common_arguments(p)
    p.add_argument("--edits", type=int, default=1000000, help="edits the editor is asked for (it is killed long before)")
    p.add_argument("--min-ms", type=float, default=20)
    p.add_argument("--max-ms", type=float, default=400)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--self-test", action="store_true",
                   help="run a broken editor that acknowledges before it commits: passes only when trials fail (the harness sees lost edits)")
    args = p.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(2**31)
    rng = random.Random(seed)
    t0 = time.monotonic()
    scratch, demo = prepare(p, args, "vigil-edit-crash-")
    work = os.path.join(scratch, "trial")
    os.makedirs(work, exist_ok=True)

    failures = acked = refused = before_first = 0
    for n in range(args.trials):
        ok, a, r, early, msg = trial(args, demo, work, n, rng)
        acked += a
        refused += r
        before_first += early
        if not ok:
            failures += 1
            kept = os.path.join(scratch, f"failed-{n}")
            shutil.copytree(work, kept, dirs_exist_ok=True)
            print(f"trial {n}: FAILED ({a} acked; kept in {kept}): {msg}", flush=True)
        if (n + 1) % 100 == 0:
            print(f"  {n + 1} trials, {failures} failed, {acked} acked edits, {time.monotonic() - t0:.0f} s", flush=True)

    elapsed = time.monotonic() - t0
    print(f"trials={args.trials} failures={failures} acked_edits={acked} refused_conflicts={refused} "
          f"killed_before_first_ack={before_first} seed={seed} seconds={elapsed:.1f}")
    if args.self_test:
        print(f"self-test: {'ok, the harness caught' if failures else 'FAILED, the harness missed'} the editor that acknowledges before it commits")
        return 0 if failures else 1
    if not args.scratch and failures == 0:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
