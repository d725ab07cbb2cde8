"""Bulk sheets (rows spooled as XML, exports.bulk) read back exactly as openpyxl cells do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from openpyxl import Workbook, load_workbook

from exports.bulk import save
from exports.sheet import Sheet

HEADERS = ["名称", "地址", "日期", "数", "说明"]
ROWS = [
    ["  前后有空格 ", "http://a.gov.cn/x?a=1&b=<2>", dt.date(2026, 6, 1), 3, "一行"],
    [
        '=HYPERLINK("http://evil")',
        'https://b.gov.cn/"q"',
        dt.datetime(2026, 6, 2, 8, 30),
        2.5,
        "回车\r\n换行\n第三行 & <b>",
    ],  # fmt: skip
    ["+1", "ftp://not-a-link", None, True, "#N/A"],
    ["-2", None, dt.date(1900, 1, 15), np.int64(7), ""],
    ["@SUM(A1)", "http://c.gov.cn/", "2026-06-01", Decimal("1.25"), "长" * 40000],
    ["\t制表", "http://d.gov.cn/", dt.datetime(2026, 6, 3), float("nan"), "\x07控制字符"],
]


def _write(path, bulk: bool) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    sheet = Sheet(wb, "明细", HEADERS, [10, 30, 12, 6, 20], wrap=[5], links=[2], dates=[3],
                  bulk=bulk)  # fmt: skip
    for i, row in enumerate(ROWS * 3):
        sheet.append(row, highlight=i % 2 == 1)
    sheet.finish()
    other = Sheet(wb, "小表", ["项目"], [10])  # an ordinary sheet in the same workbook
    other.append(["=1+1"])
    other.finish()
    save(wb, path)


def _dump(path) -> dict:
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = [
            [
                (
                    c.value,
                    c.data_type,
                    c.number_format,
                    c.font.name,
                    c.font.b,
                    c.font.u,
                    c.fill.fgColor.rgb,
                    c.alignment.wrap_text,
                    c.alignment.vertical,
                    c.quotePrefix,
                    c.hyperlink.target if c.hyperlink else None,
                )  # fmt: skip
                for c in row
            ]
            for row in ws.iter_rows()
        ]
        heights = {k: v.height for k, v in ws.row_dimensions.items() if v.height}
        widths = {k: v.width for k, v in ws.column_dimensions.items()}
        out[ws.title] = (cells, heights, widths, ws.freeze_panes, ws.auto_filter.ref,
                         ws.print_title_rows, ws.dimensions)  # fmt: skip
    return out


def test_bulk_sheet_reads_back_like_openpyxl_cells(tmp_path):
    plain, bulk = tmp_path / "plain.xlsx", tmp_path / "bulk.xlsx"
    _write(plain, bulk=False)
    _write(bulk, bulk=True)
    expected, got = _dump(plain), _dump(bulk)
    assert list(got) == ["明细", "小表"]
    assert len(got["明细"][0]) == 1 + 3 * len(ROWS)
    for name in expected:
        for want, have in zip(expected[name][0], got[name][0], strict=True):
            assert have == want
        assert got[name][1:] == expected[name][1:]


def test_bulk_sheet_keeps_crawled_formulas_as_text(tmp_path):
    path = tmp_path / "bulk.xlsx"
    _write(path, bulk=True)
    ws = load_workbook(path)["明细"]
    cell = ws["A3"]
    assert cell.value == '=HYPERLINK("http://evil")'
    assert cell.data_type == "s" and cell.quotePrefix
    assert ws["B2"].hyperlink.target == "http://a.gov.cn/x?a=1&b=<2>"
    assert ws["B4"].hyperlink is None  # ftp: not a link
    assert ws["E3"].value == "回车\r\n换行\n第三行 & <b>"
    assert ws.row_dimensions[3].height == 14.5 * 3
