#!/usr/bin/env python3
"""A large register for timing `vigil check` (docs/benchmarks.md, "vigil check"): N enterprises
and N/5 hazard sources spread over the Jiaozuo demo's counties, each inside the county its record
names, with valid credit codes and unique names, written as the CSV files a bureau sends.

    vigil demo big.sqlite
    vigil export big.sqlite --layer admin_areas admin.geojson
    bench/large_register.py admin.geojson OUT_DIR [N]      # N = 100000
    vigil import big.sqlite OUT_DIR/enterprises.csv --layer enterprises
    vigil import big.sqlite OUT_DIR/hazard_sources.csv --layer hazard_sources
    vigil check big.sqlite

Deterministic (a fixed seed); standard library only.
"""
import json
import math
import random
import sys

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(n, adcode):
    body = "91" + adcode + "MA" + "".join(ALPHABET[(n // 31 ** i) % 31] for i in range(7))
    c = 31 - sum(ALPHABET.index(ch) * w for ch, w in zip(body, WEIGHTS)) % 31
    return body + ALPHABET[0 if c == 31 else c]


def inside(rings, x, y):
    odd = False
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:]):
            if (ay > y) != (by > y) and x < ax + (bx - ax) * (y - ay) / (by - ay):
                odd = not odd
    return odd


def main():
    admin, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
    rng = random.Random(20261207)
    counties = []
    for f in json.load(open(admin, encoding="utf-8"))["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        xs = [p[0] for poly in polys for ring in poly for p in ring]
        ys = [p[1] for poly in polys for ring in poly for p in ring]
        counties.append((f["properties"]["id"], f["properties"]["name"], polys, (min(xs), min(ys), max(xs), max(ys))))

    def place(county):
        _, _, polys, (x0, y0, x1, y1) = county
        while True:
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if any(inside(poly, x, y) for poly in polys):
                return x, y

    ents = []
    with open(f"{out}/enterprises.csv", "w", encoding="utf-8") as e:
        e.write("编号,企业名称,统一社会信用代码,所属县区,联系电话,经度,纬度\n")
        for i in range(n):
            c = counties[i % len(counties)]
            x, y = place(c)
            ents.append((f"BIG-{i:06d}", c, x, y))
            e.write(f"BIG-{i:06d},{c[1]}测试企业{i:06d}有限公司,{credit_code(i, c[0])},{c[1]},1380391{i % 10000:04d},{x:.6f},{y:.6f}\n")
    with open(f"{out}/hazard_sources.csv", "w", encoding="utf-8") as h:
        h.write("编号,危险源名称,所属企业编号,所属县区,经度,纬度\n")
        for k in range(n // 5):
            eid, c, x, y = ents[rng.randrange(len(ents))]
            # 60–300 m from the plant, kept in the plant's county.
            while True:
                d, a = rng.uniform(60, 300), rng.uniform(0, 2 * math.pi)
                hx, hy = x + d * math.sin(a) / 91130.0, y + d * math.cos(a) / 111320.0
                if any(inside(poly, hx, hy) for poly in c[2]):
                    break
            h.write(f"BIG-W{k:06d},{eid}储罐区{k},{eid},{c[1]},{hx:.6f},{hy:.6f}\n")


if __name__ == "__main__":
    main()
