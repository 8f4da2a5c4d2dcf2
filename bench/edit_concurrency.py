#!/usr/bin/env python3
"""One editor and eight viewers on one project database (issue 14, "Concurrency").

`edit_torture editor` edits team statuses for --seconds (at full speed, or --rate edits a second),
one edit in 8 naming a stale version that must be refused; eight `edit_torture reader`s follow the
database as viewers do (change feed + live update, and a fresh open and load every 250 ms). The
-wal file's size is sampled every 100 ms. At the end `edit_torture verify` checks every
acknowledged edit against the database.

    bench/edit_concurrency.py --torture build/edit_torture --vigil build/vigil [--seconds 600]

Acceptance (exit status 1 when one fails): 0 lost updates (acknowledged edits missing), 0 silent
overwrites (stale edits not refused), edit commit p99 < 50 ms, WAL <= 64 MiB. See
docs/benchmarks.md "Edits: crash and concurrency".
"""

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

from edit_bench_common import add_common_arguments, fresh_copy, prepare


def fields(line):
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", line)}


def percentiles(ms):
    ms = sorted(ms)
    return f"{ms[len(ms) // 2]:.2f}/{ms[min(len(ms) - 1, int(0.99 * (len(ms) - 1) + 0.5))]:.2f}/{ms[-1]:.2f}"


def baseline(scratch, demo, n=300):
    """What this machine's disk costs before any Vigil code runs: a 4 KiB append + fdatasync, and a
    bare SQLite commit of one row in WAL with synchronous=FULL (Python's sqlite3) on a demo copy."""
    path = os.path.join(scratch, "fsync.bin")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    fsync_ms = []
    for _ in range(n):
        t0 = time.perf_counter()
        os.write(fd, b"x" * 4096)
        os.fdatasync(fd)
        fsync_ms.append((time.perf_counter() - t0) * 1000)
    os.close(fd)
    os.remove(path)
    db = os.path.join(scratch, "bare.sqlite")
    fresh_copy(demo, db)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    commit_ms = []
    for i in range(n):
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE rescue_teams SET updated_at = ? WHERE fid = (SELECT min(fid) FROM rescue_teams)", (str(i),))
        con.execute("COMMIT")
        commit_ms.append((time.perf_counter() - t0) * 1000)
    con.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    print(f"machine: 4 KiB write+fdatasync p50/p99/max = {percentiles(fsync_ms)} ms; "
          f"bare SQLite one-row commit (WAL, synchronous=FULL) = {percentiles(commit_ms)} ms", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=600)
    add_common_arguments(p)
    p.add_argument("--readers", type=int, default=8)
    p.add_argument("--rate", type=float, default=0, help="edits a second (0: full speed)")
    p.add_argument("--poll-ms", type=int, default=10, help="each reader's pause between looks at the change feed")
    p.add_argument("--reload-ms", type=int, default=250, help="each reader opens and loads the project afresh this often")
    p.add_argument("--hold-ms", type=int, default=0,
                   help="each fresh load holds its read transaction this long (slow readers; 0: as long as the load takes)")
    p.add_argument("--max-p99-ms", type=float, default=50)
    p.add_argument("--max-wal-mib", type=float, default=64)
    args = p.parse_args()
    scratch, demo = prepare(p, args, "vigil-edit-concurrency-")
    db = os.path.join(scratch, "concurrency.sqlite")
    fresh_copy(demo, db)
    baseline(scratch, demo)

    readers = []
    for i in range(args.readers):
        out = open(os.path.join(scratch, f"reader-{i}.out"), "wb")
        readers.append((subprocess.Popen([args.torture, "reader", db, "--seconds", str(args.seconds + 1), "--poll-ms",
                                          str(args.poll_ms), "--reload-ms", str(args.reload_ms), "--hold-ms", str(args.hold_ms)],
                                         stdout=out, stderr=subprocess.STDOUT), out))
    time.sleep(0.5)  # the viewers are up before the first edit
    editor_out = os.path.join(scratch, "editor.out")
    with open(editor_out, "wb") as out:
        editor = subprocess.Popen([args.torture, "editor", db, "--edits", str(10**9), "--seconds", str(args.seconds), "--seed", "14",
                                   "--conflicts", "--rate", str(args.rate)], stdout=out, stderr=subprocess.STDOUT)
        wal = db + "-wal"
        wal_max = 0
        samples = 0
        while editor.poll() is None:
            try:
                wal_max = max(wal_max, os.path.getsize(wal))
            except OSError:
                pass
            samples += 1
            time.sleep(0.1)
    reader_lines = []
    reader_failed = 0
    for proc, out in readers:
        rc = proc.wait()
        out.close()
        with open(out.name, encoding="utf-8", errors="replace") as f:
            text = f.read()
        reader_lines += [line for line in text.splitlines() if line.startswith("READER")]
        if rc != 0:
            reader_failed += 1
            print(f"reader {out.name} exited {rc}: {text.strip()[-400:]}")
    with open(editor_out, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    summary = next((fields(x) for x in lines if x.startswith("SUMMARY")), {})
    latency = next((fields(x) for x in lines if x.startswith("LATENCY")), {})
    if editor.returncode not in (0, 1) or not summary:
        print(f"editor exited {editor.returncode}: {' | '.join(lines[-5:])}")
        return 1
    overwrites = sum(1 for x in lines if x.startswith("OVERWRITE"))
    errors = [x for x in lines if x.startswith("ERROR")]
    v = subprocess.run([args.torture, "verify", db, "--acks", editor_out], capture_output=True, text=True)
    lost = sum(1 for x in v.stdout.splitlines() if "lost update" in x)
    reads = sum(int(fields(x).get("opens", 0)) for x in reader_lines)
    updates = sum(int(fields(x).get("updates", 0)) for x in reader_lines)
    polls = sum(int(fields(x).get("polls", 0)) for x in reader_lines)

    p99 = float(latency.get("call_p99_ms", "inf"))
    wal_mib = wal_max / 2**20
    print(f"seconds={summary.get('seconds')} readers={args.readers} rate={args.rate or 'full'} acked_edits={summary.get('acked')} "
          f"refused_conflicts={summary.get('refused')} silent_overwrites={overwrites} lost_updates={lost}")
    print(f"edit call p50/p99/max = {latency.get('call_p50_ms')}/{latency.get('call_p99_ms')}/{latency.get('call_max_ms')} ms; "
          f"commit alone {latency.get('commit_p50_ms')}/{latency.get('commit_p99_ms')}/{latency.get('commit_max_ms')} ms; "
          f"write lock {latency.get('begin_p50_ms')}/{latency.get('begin_p99_ms')}/{latency.get('begin_max_ms')} ms")
    print(f"wal_max_mib={wal_mib:.2f} (samples={samples}) reader_opens={reads} reader_live_updates={updates} reader_polls={polls}")
    print(v.stdout.strip())
    failed = []
    if p99 >= args.max_p99_ms:
        failed.append(f"commit p99 {p99} ms >= {args.max_p99_ms}")
    if wal_mib > args.max_wal_mib:
        failed.append(f"WAL {wal_mib:.1f} MiB > {args.max_wal_mib}")
    if lost or overwrites:
        failed.append(f"{lost} lost updates, {overwrites} silent overwrites")
    if v.returncode != 0:
        failed.append("verify failed")
    if errors or reader_failed:
        failed.append(f"{len(errors)} editor errors ({'; '.join(errors[:2])}), {reader_failed} readers failed")
    print("RESULT " + ("ok" if not failed else "FAILED: " + "; ".join(failed)))
    if not args.scratch and not failed:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
