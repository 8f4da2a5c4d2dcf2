#!/usr/bin/env python3
"""QGIS itself opens Vigil's files in the catalogue's colours.

Builds the Jiaozuo demo with `vigil demo` and GeoPackage exports with `vigil export`, then, with
PyQGIS (Debian's python3-qgis) and no display (QT_QPA_PLATFORM=offscreen), opens every layer
the two ways QGIS opens a SpatiaLite file (its SpatiaLite provider and OGR) and the exports, and
checks what QGIS loaded as the layer's default style against layers/*.json: the renderer is
categorised on the catalogue's field, its categories are the field's values with their Chinese
labels and the catalogue's colours, widths, marker and size, then the "other" category in the
default look, and the labels show the catalogue's field. The SLD beside the QML loads too.
A style the user saves as default in QGIS survives `vigil init`/`vigil import` again.
Exits non-zero on the first difference, naming the layer, the way in and what differs.
"""

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

try:
    from qgis.core import (QgsApplication, QgsMarkerSymbol, QgsSimpleMarkerSymbolLayerBase, QgsSingleSymbolRenderer, QgsSymbolLayer, QgsUnitTypes,
                           QgsVectorLayer)
except ImportError as e:  # say what to install instead of a bare traceback
    sys.exit(f"PyQGIS is missing ({e}): install python3-qgis (tools/install-deps.sh installs it)")

OTHER_LABEL = "其他或未填"
checks = 0


class Mismatch(Exception):
    pass


def expect(ok, what):
    global checks
    checks += 1
    if not ok:
        raise Mismatch(what)


def rgba(hex_colour):
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4)) + ((int(h[6:8], 16),) if len(h) == 8 else (255,))


def qrgba(c):
    return (c.red(), c.green(), c.blue(), c.alpha())


def size_by_other_field(kind):
    """The size_by of a point kind whose categories are another field's: (field, {value: size}) or None."""
    sym = kind.get("symbology", {})
    size_by = sym.get("size_by") if kind["geometry"] == "point" else None
    if not size_by:
        return None
    categorised = (sym.get("color_by") or sym.get("stroke_by") or {}).get("field")
    return (size_by["field"], size_by["sizes"]) if categorised and categorised != size_by["field"] else None


def expected_classes(kind):
    """(value, label, class colour or None, width or None, size or None) per category, as the catalogue says."""
    sym = kind.get("symbology", {})
    colour_by, stroke_by = sym.get("color_by"), sym.get("stroke_by")
    size_by = sym.get("size_by") if kind["geometry"] == "point" else None
    field = (colour_by or stroke_by or size_by or {}).get("field")
    if not field:
        return None, []
    colours = colour_by["colors"] if colour_by and colour_by["field"] == field else {}
    widths = stroke_by["widths"] if stroke_by and stroke_by["field"] == field else {}
    sizes = size_by["sizes"] if size_by and size_by["field"] == field else {}
    spec = next(f for f in kind["fields"] if f["name"] == field)
    values = [(v["value"], v["label"]["zh"]) for v in spec.get("values", [])] or [(v, v) for v in sorted(colours or widths or sizes)]
    classes = [(v, label, colours.get(v), widths.get(v), sizes.get(v)) for v, label in values]
    # The quiet rule on the categorised field: those classes small and grey (QGIS has no selection).
    quiet = sym.get("quiet")
    if quiet and quiet.get("field") == field and kind["geometry"] == "point":
        classes = [(v, label, quiet.get("fill", colour), width, quiet.get("size", size)) if v in quiet.get("values", [])
                   else (v, label, colour, width, size) for v, label, colour, width, size in classes]
    return field, classes + [("", OTHER_LABEL, None, None, None)]


def check_size_by(symbol, kind, where):
    """A size by another field than the categories' is the marker's data-defined size: CASE on that field."""
    other = size_by_other_field(kind)
    if not other:
        return
    field, sizes = other
    prop = symbol.symbolLayer(0).dataDefinedProperties().property(QgsSymbolLayer.PropertySize)
    expect(prop.isActive(), f"{where}: no data-defined size by {field}")
    text = prop.expressionString()
    for value, size in sizes.items():
        expect(f"\"{field}\" = '{value}' THEN {size:g}" in text, f"{where}: size expression {text} lacks {value} -> {size}")


def check_symbol(symbol, kind, colour, width, where, size=None):
    sym = kind.get("symbology", {})
    geometry = kind["geometry"]
    fill, stroke = rgba(sym.get("fill", "#9E9E9E")), rgba(sym.get("stroke", "#FFFFFF"))
    width = sym.get("stroke_width", 1) if width is None else width
    size = sym.get("size", 7) if size is None else size
    layer = symbol.symbolLayer(0)
    pixels = QgsUnitTypes.RenderPixels
    if geometry == "point":
        expect(layer.layerType() == "SimpleMarker", f"{where}: {layer.layerType()} marker")
        expect(qrgba(layer.fillColor()) == (rgba(colour) if colour else fill), f"{where}: fill {qrgba(layer.fillColor())}")
        expect(qrgba(layer.strokeColor()) == stroke, f"{where}: stroke {qrgba(layer.strokeColor())}")
        shape = QgsSimpleMarkerSymbolLayerBase.encodeShape(layer.shape())
        wanted = {"cross": "cross_fill"}.get(sym.get("marker", "circle"), sym.get("marker", "circle"))
        expect(shape == wanted, f"{where}: marker {shape}, catalogue {wanted}")
        expect(layer.size() == size and layer.sizeUnit() == pixels, f"{where}: size {layer.size()} {layer.sizeUnit()}")
        expect(layer.strokeWidth() == width and layer.strokeWidthUnit() == pixels, f"{where}: stroke width {layer.strokeWidth()}")
    elif geometry == "line":
        expect(layer.layerType() == "SimpleLine", f"{where}: {layer.layerType()} line")
        expect(qrgba(layer.color()) == (rgba(colour) if colour else stroke), f"{where}: line colour {qrgba(layer.color())}")
        expect(layer.width() == width and layer.widthUnit() == pixels, f"{where}: line width {layer.width()}, catalogue {width}")
    else:
        expect(layer.layerType() == "SimpleFill", f"{where}: {layer.layerType()} fill")
        expect(qrgba(layer.fillColor()) == fill, f"{where}: fill {qrgba(layer.fillColor())}, catalogue {fill}")
        expect(qrgba(layer.strokeColor()) == (rgba(colour) if colour else stroke), f"{where}: outline {qrgba(layer.strokeColor())}")
        expect(layer.strokeWidth() == width and layer.strokeWidthUnit() == pixels, f"{where}: outline width {layer.strokeWidth()}")


def check_style(layer, kind, where):
    expect(layer.isValid(), f"{where}: QGIS cannot open the layer")
    field, classes = expected_classes(kind)
    renderer = layer.renderer()
    if not field:
        expect(renderer.type() == "singleSymbol", f"{where}: renderer {renderer.type()}, catalogue: one symbol")
        check_symbol(renderer.symbol(), kind, None, None, where)
    else:
        expect(renderer.type() == "categorizedSymbol", f"{where}: renderer {renderer.type()}, not categorised by {field}: "
               "no default style loaded")
        expect(renderer.classAttribute() == field, f"{where}: categorised by {renderer.classAttribute()}, catalogue {field}")
        cats = renderer.categories()
        got = [(str(c.value()) if c.value() is not None else "", c.label()) for c in cats]
        expect(got == [(v, label) for v, label, _, _, _ in classes], f"{where}: categories {got}")
        for cat, (value, _, colour, width, size) in zip(cats, classes):
            check_symbol(cat.symbol(), kind, colour, width, f"{where} [{value or 'other'}]", size)
            check_size_by(cat.symbol(), kind, f"{where} [{value or 'other'}]")
    label = kind.get("symbology", {}).get("label")
    if label:
        expect(layer.labelsEnabled(), f"{where}: labels off")
        expect(layer.labeling().settings().fieldName == label["field"], f"{where}: labels of {layer.labeling().settings().fieldName}")


def check_sld(db, kind, where, scratch):
    """The SLD beside the QML loads into QGIS as rules with the same colours."""
    with sqlite3.connect(db) as con:
        (sld,) = con.execute("SELECT styleSLD FROM layer_styles WHERE f_table_schema IS NULL AND f_table_name = ? AND owner = 'vigil'",
                             (kind["kind"],)).fetchone()
    path = scratch / f"{kind['kind']}.sld"
    path.write_text(sld, encoding="utf-8")
    layer = QgsVectorLayer(f"{db}|layername={kind['kind']}", kind["kind"], "ogr")
    message, ok = layer.loadSldStyle(str(path))
    expect(ok, f"{where}: QGIS refuses the SLD: {message}")
    field, classes = expected_classes(kind)
    renderer = layer.renderer()
    if not field:
        return
    expect(renderer.type() == "RuleRenderer", f"{where}: SLD gave {renderer.type()}")
    rules = [r for r in renderer.rootRule().descendants() if r.symbol() is not None]
    # A size by another field: a rule per class and size value (and the size of any other value).
    other = size_by_other_field(kind)
    size_field, sizes = other if other else (None, {})
    variants = list(sizes.items()) + [(None, kind.get("symbology", {}).get("size", 7))] if other else [(None, None)]
    expected = [(c, v) for c in classes for v in variants]
    expect(len(rules) == len(expected), f"{where}: {len(rules)} SLD rules with a symbol, {len(expected)} expected")
    for rule, ((value, label, colour, width, size), (size_value, other_size)) in zip(rules, expected):
        expect(rule.label() == label, f"{where}: SLD rule {rule.label()}, catalogue {label}")
        wanted = f"'{value}'" if value else "IS NULL"
        expect(wanted in rule.filterExpression(), f"{where}: SLD filter {rule.filterExpression()} for {value or 'other'}")
        if size_field:
            wanted = f"'{size_value}'" if size_value else "IS NULL"
            expect(wanted in rule.filterExpression(), f"{where}: SLD filter {rule.filterExpression()} for {size_field} {size_value}")
            size = other_size if size_value is None else sizes[size_value]
        check_symbol(rule.symbol(), kind, colour, width, f"{where} SLD [{value or 'other'} / {size_value or 'other'}]", size)


def run(*args, env):
    r = subprocess.run(args, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed ({r.returncode}):\n{r.stdout}{r.stderr}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--layers", required=True)
    ap.add_argument("--scratch", required=True)
    a = ap.parse_args()
    scratch = Path(a.scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    env = dict(os.environ, VIGIL_LAYERS=a.layers)
    kinds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(a.layers).glob("*.json"))]

    db = scratch / "jiaozuo.sqlite"
    run(a.vigil, "-q", "demo", db, "--sources", scratch / "sources", env=env)
    exports = {}
    for geometry in ("point", "line", "polygon"):  # one export of each kind of geometry
        kind = next(k for k in kinds if k["geometry"] == geometry and {"color_by", "stroke_by"} & k.get("symbology", {}).keys())
        exports[kind["kind"]] = scratch / f"{kind['kind']}.gpkg"
        run(a.vigil, "-q", "export", db, exports[kind["kind"]], "--layer", kind["kind"], env=env)

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    status = 0
    try:
        for kind in kinds:
            k = kind["kind"]
            check_style(QgsVectorLayer(f"dbname='{db}' table=\"{k}\" (geom)", k, "spatialite"), kind, f"{k} (SpatiaLite provider)")
            check_style(QgsVectorLayer(f"{db}|layername={k}", k, "ogr"), kind, f"{k} (OGR provider)")
            check_sld(db, kind, f"{k} (SLD)", scratch)
            if k in exports:
                check_style(QgsVectorLayer(f"{exports[k]}|layername={k}", k, "ogr"), kind, f"{k} (GeoPackage export)")

        # The checks fail where the style is missing: the same layer from a copy without it.
        bare = scratch / "bare.sqlite"
        shutil.copy(db, bare)
        with sqlite3.connect(bare) as con:
            con.execute("DELETE FROM layer_styles")
        enterprises = next(k for k in kinds if k["kind"] == "enterprises")
        try:
            check_style(QgsVectorLayer(f"{bare}|layername=enterprises", "enterprises", "ogr"), enterprises, "no style")
            raise AssertionError("the checks passed a layer without Vigil's style")
        except Mismatch:
            pass

        # A user's own default, saved in QGIS, survives Vigil writing the project again.
        mine = scratch / "mine.sqlite"
        shutil.copy(db, mine)
        uri = f"dbname='{mine}' table=\"enterprises\" (geom)"
        layer = QgsVectorLayer(uri, "enterprises", "spatialite")
        layer.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple({"color": "0,0,0,255"})))
        error = layer.saveStyleToDatabase("mine", "my own", True, "")
        expect(not error, f"QGIS cannot save a style in the project: {error}")
        del layer
        run(a.vigil, "-q", "init", mine, env=env)
        layer = QgsVectorLayer(uri, "enterprises", "spatialite")
        expect(layer.renderer().type() == "singleSymbol", f"after vigil init the user's default is gone: {layer.renderer().type()}")
        count, ids, names, descriptions, error = layer.listStylesInDatabase()
        expect(sorted(names[:count]) == sorted(["mine", "Vigil 目录符号"]), f"styles of enterprises after vigil init: {names[:count]}")
    except Mismatch as e:
        print(f"FAIL: {e}", file=sys.stderr)
        status = 1
    print(f"qgis styles: {checks} checks, {'all passed' if status == 0 else 'one failed'}")
    sys.stdout.flush()
    # exitQgis() at the end of an offscreen session can crash on teardown; nothing is left to save.
    os._exit(status)


if __name__ == "__main__":
    main()
