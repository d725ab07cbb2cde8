"""A site whose titles and column names look like formulas, crawled for real on 127.0.0.1:
the workbook and the CSV made from it hold that text as text, never as a formula."""

from __future__ import annotations

import csv

from openpyxl import load_workbook

from exports.sheet import is_formula_like
from tests.conftest import FARM_DATE, FROZEN_NOW
from tests.services import run_cli

EVIL = '=HYPERLINK("http://evil.example/","点我")'
HOME = f"""<html><head><meta charset="utf-8"></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/gzdt/">工作动态</a></li>
<li><a href="/tzgg/">@通知公告</a></li><li><a href="/x/">{EVIL}</a></li></ul></div>
<div class="box"><h3>工作动态</h3><a class="more" href="/gzdt/">更多</a><ul>
<li><a href="/gzdt/1.html">+1+1江城市召开会议</a><span>2026-06-28</span></li>
<li><a href="/gzdt/2.html">-2+3关于防汛的通知</a><span>2026-06-27</span></li>
<li><a href="/gzdt/3.html">=1+1工作简报</a><span>2026-06-26</span></li></ul></div>
</body></html>"""
LIST = """<html><head><meta charset="utf-8"></head><body><ul class="list">
<li><a href="/gzdt/1.html">=SUM(A1:A9)召开会议</a><span>2026-01-28</span></li>
</ul></body></html>"""


def test_formula_like_crawled_text_stays_text(serve, tmp_path) -> None:  # noqa: F811
    url = serve({"/": (200, HOME, {}), "/gzdt/": (200, LIST, {}), "/tzgg/": (200, LIST, {}),
                 "/x/": (200, LIST, {})})  # fmt: skip
    sites = tmp_path / "sites.yaml"
    sites.write_text(f"- {{id: s, name: 江城市某局, url: '{url}/'}}\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'e.db'}"
    crawled = run_cli("crawl", "--sites", str(sites), "--db", db, "--now", FROZEN_NOW,
                      "-s", "RETRY_TIMES=0")  # fmt: skip
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    out = tmp_path / "r.xlsx"
    made = run_cli("report", "--db", db, "--as-of", FARM_DATE.isoformat(), "--out", str(out),
                   "--csv", str(tmp_path / "csv"))  # fmt: skip
    assert made.returncode == 0, made.stderr[-2000:]
    wb = load_workbook(out)
    formulas, risky = [], []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append((ws.title, cell.coordinate, cell.value))
                elif is_formula_like(cell.value):
                    risky.append(cell.value)
    assert formulas == []
    assert risky, "the crawled formula-like text should reach the workbook (as text)"
    fields = []
    for path in (tmp_path / "csv").glob("*.csv"):
        with open(path, encoding="utf-8-sig") as fh:
            fields += [f for row in csv.reader(fh) for f in row]
    assert not [f for f in fields if is_formula_like(f)]
    assert any(f.startswith("'") and is_formula_like(f[1:]) for f in fields)
