#!/usr/bin/env python3
"""Cold one-shot questions at 1M records: a fresh process per question, the answer printed.

  vigil nearest DB --at LON,LAT --layer peer_points -k 10      (R*Tree, rows it names, exact search)
  vigil within  DB --at LON,LAT --layer peer_points -r 2000
  spatialite DB "<the same question through the same R*Tree>"  (the peer, same run, same queries)
  cold_query_core nearest|within ...                           (the same path, linked with the core alone)
  vigil-full nearest|within ...                                (the full program: what `vigil` was before
                                                                the lean front, linked with GDAL & co.)

DB is the peers' points_1M imported as peer_points (`vigil import`; built once when missing).
Both sides read the same file, with the operating system's page cache warm (the file was just
used): "cold" is the process, as when a dispatcher types the command. The spatialite peer asks
one fixed box (+-0.02 deg for k=10, the 2 km box for the radius) and ranks by ST_Distance on the
ellipsoid: less work than Vigil's proven search, so a floor for it. Answers are compared (ids).

Prints the peers' line format (peer=... task=... n=1M median_ms=...) and the ratios.
Environment: PEERS_DATA (/tmp/peers-data), VIGIL (build-release/vigil), CORE_ONLY (cold_query_core
beside VIGIL), VIGIL_FULL (vigil-full beside VIGIL; "" to skip), VIGIL_BEFORE (an older vigil that loads the whole layer, timed on 3 queries),
COLD_DB, QUERIES (20), RUNS (1: passes over the queries).
"""
import json, os, resource, statistics, subprocess, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
data = os.environ.get("PEERS_DATA", "/tmp/peers-data")
vigil = os.environ.get("VIGIL", os.path.join(root, "build-release", "vigil"))
db = os.environ.get("COLD_DB", "/tmp/vigil-cold/points_1M.sqlite")
before = os.environ.get("VIGIL_BEFORE", "")
core_only = os.environ.get("CORE_ONLY", os.path.join(os.path.dirname(vigil), "cold_query_core"))
full = os.environ.get("VIGIL_FULL", os.path.join(os.path.dirname(vigil), "vigil-full"))
layers = os.path.join(root, "bench", "layers")
queries_n = int(os.environ.get("QUERIES", "20"))
runs = int(os.environ.get("RUNS", "1"))


cpu = {}  # (side, task) -> CPU ms (user + system) of each child process


def child_cpu_ms():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r.ru_utime + r.ru_stime) * 1e3


def run(cmd, key=None):
    c0 = child_cpu_ms()
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ms = (time.perf_counter() - t0) * 1e3
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    if key:
        cpu.setdefault(key, []).append(child_cpu_ms() - c0)
    return ms, p.stdout


if not os.path.exists(db):
    os.makedirs(os.path.dirname(db), exist_ok=True)
    t, _ = run([vigil, "--layers", layers, "-q", "import", db, os.path.join(data, "points_1M.csv"), "--layer", "peer_points"])
    print(f"# imported points_1M.csv into {db} in {t / 1e3:.1f} s", file=sys.stderr)

queries = []
with open(os.path.join(data, "queries.csv")) as f:
    next(f)
    for line in f:
        qid, lon, lat = line.split(",")[:3]
        queries.append((float(lon), float(lat)))
queries = queries[:queries_n]


def vigil_cmd(what, lon, lat):
    extra = ["-k", "10"] if what == "knn10" else ["-r", "2000"]
    verb = "nearest" if what == "knn10" else "within"
    return [vigil, verb, db, "--at", f"{lon:.7f},{lat:.7f}", "--layer", "peer_points", "--json"] + extra


def spatialite_cmd(what, lon, lat):
    pt = f"MakePoint({lon:.7f}, {lat:.7f}, 4326)"
    h = 0.02 if what == "knn10" else 0.03  # degrees; the 2 km box at 35N is +-0.022 lon, +-0.018 lat
    inner = (f"SELECT pkid FROM idx_peer_points_geom WHERE xmax >= {lon - h:.7f} AND xmin <= {lon + h:.7f} "
             f"AND ymax >= {lat - h:.7f} AND ymin <= {lat + h:.7f}")
    sql = f"SELECT id, ST_Distance(geom, {pt}, 1) AS d FROM peer_points WHERE fid IN ({inner})"
    sql += " ORDER BY d, fid LIMIT 10;" if what == "knn10" else f" AND ST_Distance(geom, {pt}, 1) <= 2000 ORDER BY d, fid;"
    return ["spatialite", "-list", db, sql]


def core_cmd(what, lon, lat):
    verb, arg = ("nearest", "10") if what == "knn10" else ("within", "2000")
    return [core_only, verb, db, "peer_points", f"{lon:.7f}", f"{lat:.7f}", arg]


def ids_vigil(out):
    return [r["id"] for r in json.loads(out)["results"]]


def ids_spatialite(out):
    return [line.split("|")[0] for line in out.splitlines() if "|" in line]


load_start = open("/proc/loadavg").read().split()[:3]
results = {}
mismatches = 0
for what in ("knn10", "radius2km"):
    for _ in range(runs):
        for lon, lat in queries:
            # Alternate the two sides so both see the same machine load.
            tv, ov = run(vigil_cmd(what, lon, lat), ("vigil", what))
            ts, os_ = run(spatialite_cmd(what, lon, lat), ("spatialite", what))
            results.setdefault(("vigil", what), []).append(tv)
            results.setdefault(("spatialite", what), []).append(ts)
            a, b = ids_vigil(ov), ids_spatialite(os_)
            if before and len(results.get(("vigil_before", what), [])) < 3:
                tb, ob = run([before] + vigil_cmd(what, lon, lat)[1:], ("vigil_before", what))
                results.setdefault(("vigil_before", what), []).append(tb)
                if ids_vigil(ob) != a:
                    sys.exit(f"{before} and vigil disagree at {lon},{lat} ({what})")
            if full and os.path.exists(full):
                tf, of = run([full] + vigil_cmd(what, lon, lat)[1:], ("vigil_full", what))
                results.setdefault(("vigil_full", what), []).append(tf)
                if ids_vigil(of) != a:
                    sys.exit(f"{full} and vigil disagree at {lon},{lat} ({what})")
            if os.path.exists(core_only):
                tc, oc = run(core_cmd(what, lon, lat), ("vigil_core_only", what))
                results.setdefault(("vigil_core_only", what), []).append(tc)
                if ids_spatialite(oc) != a:
                    sys.exit(f"cold_query_core and vigil disagree at {lon},{lat} ({what})")
            if a != b:
                mismatches += 1
                print(f"# {what} at {lon},{lat}: vigil {a[:12]} spatialite {b[:12]}", file=sys.stderr)

load = open("/proc/loadavg").read().split()[:3]
print(f"# cold_query {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} load {' '.join(load)} (at the start: {' '.join(load_start)}) "
      f"queries={len(queries)} runs={runs}")
for prog in (vigil, full, core_only):
    if prog and os.path.exists(prog):
        libs = subprocess.run(["ldd", prog], stdout=subprocess.PIPE, text=True).stdout.count("\n")
        print(f"# {prog}: {libs} lines of ldd")
for what in ("knn10", "radius2km"):
    v = statistics.median(results[("vigil", what)])
    s = statistics.median(results[("spatialite", what)])
    print(f"peer=vigil task=cold_{what} n=1M median_ms={v:.1f}")
    print(f"peer=spatialite task=cold_{what} n=1M median_ms={s:.1f}")
    print(f"# cold_{what}: vigil {v:.1f} ms (min {min(results[('vigil', what)]):.1f}), spatialite {s:.1f} ms "
          f"(min {min(results[('spatialite', what)]):.1f}): spatialite/vigil = {s / v:.2f}")
    if ("vigil_before", what) in results:
        bf = statistics.median(results[("vigil_before", what)])
        print(f"peer=vigil_before task=cold_{what} n=1M median_ms={bf:.1f}")
    if ("vigil_full", what) in results:
        f = statistics.median(results[("vigil_full", what)])
        print(f"peer=vigil_full task=cold_{what} n=1M median_ms={f:.1f}")
        print(f"# cold_{what}: vigil-full {f:.1f} ms (min {min(results[('vigil_full', what)]):.1f}): vigil-full/vigil = {f / v:.2f}")
    if ("vigil_core_only", what) in results:
        c = statistics.median(results[("vigil_core_only", what)])
        print(f"peer=vigil_core_only task=cold_{what} n=1M median_ms={c:.1f}")
        print(f"# cold_{what}: core-only program {c:.1f} ms (min {min(results[('vigil_core_only', what)]):.1f}): "
              f"spatialite/core-only = {s / c:.2f}")
for (side, what), v in sorted(cpu.items()):
    print(f"peer={side} task=cold_{what}.cpu n=1M median_ms={statistics.median(v):.1f}")
print(f"# answers (ids, in order) that differ between vigil and spatialite: {mismatches} of {2 * len(queries) * runs}")
