"""Crawled text never becomes a formula: the xlsx and the CSV read back hold it as text."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from test_analysis_report import AS_OF, entry, snap

from analysis.report import build_report
from exports.sheet import FORMULA_START, csv_safe, is_formula_like
from exports.tables import write_csv
from exports.workbook import write_workbook
from govspider.items import Column, Entry
from pipelines.db import make_engine, save_snapshot

NASTY = ['=HYPERLINK("http://evil/","点我")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


def test_formula_starts_are_recognised() -> None:
    assert all(is_formula_like(t) for t in NASTY + ["\tx", "\rx"])
    assert not is_formula_like("工作动态") and not is_formula_like(5)
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("通知") == "通知"
    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}


def test_crawled_titles_stay_text(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    home = [entry(2, i, "h") for i in range(3)]
    columns = [
        Column(name, f"http://e/c{i}", entries=[Entry(title=name, url=f"http://e/c{i}/1")])
        for i, name in enumerate(NASTY)
    ]
    save_snapshot(engine, snap("evil", "=市恶意局", home_entries=home, columns=columns))
    report = build_report(engine, AS_OF)
    engine.dispose()
    path = write_workbook(report, tmp_path / "wb.xlsx")
    wb = openpyxl.load_workbook(path)
    formulas, seen = [], set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append((ws.title, cell.coordinate, cell.value))
                if isinstance(cell.value, str):
                    seen.add(cell.value)
    assert formulas == []
    assert set(NASTY) <= seen and "=市恶意局" in seen  # kept as the exact text
    names = [r[1].value for r in wb["栏目明细"].iter_rows(min_row=2)]
    assert set(NASTY) <= set(names)
    write_csv(report, tmp_path / "csv")
    with open(tmp_path / "csv" / "columns.csv", encoding="utf-8-sig") as fh:
        fields = [f for row in csv.reader(fh) for f in row]
    assert not [f for f in fields if is_formula_like(f)]
    assert '\'=HYPERLINK("http://evil/","点我")' in fields


def test_csv_guard_covers_text_held_in_the_string_dtype() -> None:
    import pandas as pd

    from exports.sheet import csv_frame

    frame = pd.DataFrame({"t": pd.Series(["=1+1", "通知"], dtype="string"), "n": [1, 2]})
    assert list(csv_frame(frame)["t"]) == ["'=1+1", "通知"]
    assert list(csv_frame(frame)["n"]) == [1, 2]
