"""File names made from unit names stay one file inside the folder asked for.

`report --unit NAME --out FOLDER` writes FOLDER/自查-<name>.xlsx: a name with path
separators, characters Windows refuses, '..', a device name or a great length must not
write anywhere else nor fail. Real SQLite, real CLI, the workbook read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.main import main
from exports.unit import MAX_NAME_BYTES, safe_file_name
from govspider.items import Column, Entry, SiteSnapshot
from pipelines.db import make_engine, save_snapshot

HOSTILE = {
    "up": "../../逃逸局",
    "abs": "/etc/市某局",
    "win": 'C:\\Windows\\市*局?"<>|',
    "dots": "..",
    "dev": "CON",
    "ctl": "市\x00某\n局\t",
    "long": "江城市" * 80,
}


def snap(site_id: str, name: str) -> SiteSnapshot:
    day = dt.date(2026, 6, 20)
    entries = [Entry(f"动态{i}", f"http://{site_id}/d/{i}.html", day) for i in range(3)]
    return SiteSnapshot(
        site_id=site_id, site_name=name, home_url=f"http://{site_id}/", round="2026Q2",
        crawled_at=dt.datetime(2026, 6, 30, 9), status="ok",
        columns=[Column(name="工作动态", url=f"http://{site_id}/gzdt/", path=["工作动态"],
                        entries=entries)],
        home_entries=entries,
    )  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('names') / 'n.db'}"
    engine = make_engine(url)
    for site_id, name in HOSTILE.items():
        save_snapshot(engine, snap(site_id, name))
    engine.dispose()
    return url


@pytest.mark.parametrize("site_id", list(HOSTILE))
def test_a_unit_workbook_stays_in_its_folder(db, tmp_path, capsys, site_id):
    out = tmp_path / "box" / "units"
    code = main(["report", "--db", db, "--as-of", "2026-06-30", "--out", str(out),
                 "--unit", HOSTILE[site_id]])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) == 1 and written[0].parent == out, written
    name = written[0].name
    assert name.startswith("自查-") and name.endswith(".xlsx")
    assert len(name.encode("utf-8")) <= 255
    sites = openpyxl.load_workbook(written[0])["抽查情况表"]
    shown = HOSTILE[site_id].replace("\x00", "")  # a cell cannot hold NUL
    assert shown in [r[1] for r in sites.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("市教育局", "市教育局"),
        ("../../逃逸局", "_.._逃逸局"),
        ("..", "unit"),
        (" . ", "unit"),
        ("CON", "_CON"),
        ("lpt1.txt", "_lpt1.txt"),
        ("console", "console"),
        ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
    ],
)
def test_safe_file_names(name, safe):
    assert safe_file_name(name) == safe


@given(st.text(max_size=300))
def test_any_name_becomes_one_plain_file_name(name):
    safe = safe_file_name(name)
    assert safe and safe not in (".", "..")
    assert Path(safe).name == safe and len(Path(safe).parts) == 1
    assert not any(ch in safe for ch in '\\/:*?"<>|') and all(ord(ch) >= 32 for ch in safe)
    assert safe == safe.strip(". ") and len(safe.encode("utf-8")) <= MAX_NAME_BYTES
