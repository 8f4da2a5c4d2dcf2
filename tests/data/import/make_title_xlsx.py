#!/usr/bin/env python3
"""Writes register_title_rows.xlsx: a county clerk's enterprise register as Excel keeps it, a
merged title row and a merged reporting-unit row above the column names (row 3), five enterprises
with valid credit codes and AMap (GCJ-02) coordinates as numbers, two industries written as
compound values. Only the standard library (zipfile): no openpyxl needed. Every record is synthetic.
The output is committed; rerun this only when the rows change."""
import os
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
TITLE = "焦作市温县危险化学品企业登记表"
UNIT = "填报单位：温县应急管理局　　填报日期：2024年5月6日"
HEADER = ["序号", "企业名称", "统一社会信用代码", "所属县区", "行业类别", "风险等级", "经度", "纬度"]
ROWS = [
    [1, "温县化工有限公司", "91410825MA3X4K7L2E", "温县", "危险化学品生产", "红", 113.0813, 34.9402],
    [2, "温县纺织厂", "91410825MA44B2C1XU", "温县", "纺织", "蓝", 113.0925, 34.9521],
    [3, "温县食品厂", "91410825MA45QW2E8J", "温县", "食品", "黄", 113.1010, 34.9333],
    [4, "温县铝材加工厂", "91410825MA46HT3K52", "温县", "工贸-粉尘涉爆", "橙", 113.0791, 34.9412],
    [5, "温县化工贸易有限公司", "91410825MA47PD9R11", "温县", "危化-经营", "黄", 113.0655, 34.9288],
]

BAD = {4: "工贸-粉尘涉恶", 5: "危化-仓储"}  # sheet rows 7 and 8 of the _bad copy: a typo, an unknown kind of trade

strings = []


def sst(text):
    if text not in strings:
        strings.append(text)
    return strings.index(text)


def col(i):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]


def row_xml(r, cells):
    out = [f'<row r="{r}">']
    for i, v in enumerate(cells):
        ref = f"{col(i)}{r}"
        if v is None:
            continue
        if isinstance(v, (int, float)):
            out.append(f'<c r="{ref}"><v>{v}</v></c>')
        else:
            out.append(f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>')
    out.append("</row>")
    return "".join(out)


def write(name, data_rows):
    strings.clear()
    rows = [row_xml(1, [TITLE]), row_xml(2, [UNIT]), row_xml(3, HEADER)]
    rows += [row_xml(4 + i, r) for i, r in enumerate(data_rows)]
    last = col(len(HEADER) - 1)
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(rows)}</sheetData>'
             f'<mergeCells count="2"><mergeCell ref="A1:{last}1"/><mergeCell ref="A2:{last}2"/></mergeCells>'
             '</worksheet>')
    shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="企业登记表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
    }
    with zipfile.ZipFile(os.path.join(HERE, name), "w", zipfile.ZIP_DEFLATED) as z:
        for part, text in files.items():
            zi = zipfile.ZipInfo(part, date_time=(2024, 5, 6, 0, 0, 0))  # fixed: the file is reproducible
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, text)
    print(name, "written")


write("register_title_rows.xlsx", ROWS)
write("register_title_rows_bad.xlsx", [r[:4] + [BAD.get(r[0], r[4])] + r[5:] for r in ROWS])
