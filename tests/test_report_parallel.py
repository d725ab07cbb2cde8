"""The report's second processes give the report one process gives.

A large report scores the previous round in a second process (analysis.rectification)
and writes 栏目明细 in a forked one (exports.forked); the shared-string read keeps the
columns table as a plain read has it (analysis.frames). Each is checked here against the
single-process way on the same stored snapshots, with the thresholds lowered so that a
small round takes the parallel path, and with a check that it did.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile

import pandas as pd
import pytest
from sqlalchemy import create_engine, select, text

import analysis.rectification as rectification
import exports.forked as forked
import exports.interaction_sheet as interaction_sheet
import exports.workbook as workbook
from analysis.frames import read_sql_shared
from analysis.history import previous_snapshots
from analysis.profiles import load_profile
from analysis.report import build_report
from bench.report_scale import AS_OF, ROUNDS, populate
from pipelines.db import make_engine
from pipelines.models import ColumnRow

SITES = 40


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory):
    db = tmp_path_factory.mktemp("rounds") / "rounds.db"
    populate(db, SITES, seed=7)
    return f"sqlite:///{db}"


def _report(url: str, monkeypatch, parallel_from: int):
    monkeypatch.setattr(rectification, "PARALLEL_FROM", parallel_from)
    engine = make_engine(url)
    try:
        return build_report(engine, AS_OF, round=ROUNDS[-1][0])
    finally:
        engine.dispose()


def test_previous_round_scored_in_a_second_process_is_the_same(two_rounds, monkeypatch):
    here = _report(two_rounds, monkeypatch, 10**9)
    there = _report(two_rounds, monkeypatch, 0)
    assert len(here.rectification) > SITES  # problems last round, to be compared
    assert {"已整改", "未整改"} <= set(here.rectification["status"])
    pd.testing.assert_frame_equal(here.rectification, there.rectification)
    pd.testing.assert_frame_equal(here.findings, there.findings)


def test_the_second_process_is_used_and_answers_like_this_one(two_rounds, monkeypatch):
    monkeypatch.setattr(rectification, "PARALLEL_FROM", 0)
    engine = make_engine(two_rounds)
    profile = load_profile("national-2019")
    with engine.connect() as conn:
        sites = pd.read_sql(text("SELECT site_id, round, crawled_at FROM site_snapshot"), conn)
    current = sites[sites["round"] == ROUNDS[-1][0]]
    current = current.assign(crawled_at=pd.to_datetime(current["crawled_at"]))
    prev = previous_snapshots(engine, current)
    with rectification.PreviousProblems(engine, profile, prev, {}) as job:
        assert job.parallel
        found = job.result()
    expected = rectification.previous_problems(engine, profile, prev)
    assert len(found) > SITES
    pd.testing.assert_frame_equal(found, expected)
    engine.dispose()


def test_a_second_process_that_fails_leaves_the_work_to_this_one(two_rounds, monkeypatch, capsys):
    here = _report(two_rounds, monkeypatch, 10**9)
    monkeypatch.setattr(rectification.sys, "executable", "/bin/false")  # it cannot start
    there = _report(two_rounds, monkeypatch, 0)
    assert "上轮评分的第二进程失败(退出码1" in capsys.readouterr().err
    pd.testing.assert_frame_equal(here.rectification, there.rectification)


def test_a_second_process_that_takes_too_long_is_killed(two_rounds, tmp_path, monkeypatch, capsys):
    here = _report(two_rounds, monkeypatch, 10**9)
    real = subprocess.Popen

    def never_gets_to_work(args, **kwargs):  # the second process sleeps instead
        return real([sys.executable, "-c", "import time; time.sleep(60)"], **kwargs)

    monkeypatch.setattr(rectification.subprocess, "Popen", never_gets_to_work)
    monkeypatch.setattr(rectification, "CHILD_SECONDS", 0.5)
    started = time.monotonic()
    there = _report(two_rounds, monkeypatch, 0)
    assert time.monotonic() - started < 30
    assert "上轮评分的第二进程失败(退出码-9" in capsys.readouterr().err
    pd.testing.assert_frame_equal(here.rectification, there.rectification)


def test_a_second_process_that_cannot_start_leaves_the_work_here(two_rounds, monkeypatch, capsys):
    here = _report(two_rounds, monkeypatch, 10**9)
    monkeypatch.setattr(rectification.sys, "executable", "/nonexistent/python")
    there = _report(two_rounds, monkeypatch, 0)
    assert "上轮评分的第二进程无法启动" in capsys.readouterr().err
    pd.testing.assert_frame_equal(here.rectification, there.rectification)


def test_a_database_only_this_process_sees_is_scored_here():
    engine = create_engine("sqlite://")
    job = rectification.PreviousProblems(
        engine, load_profile("national-2019"), pd.DataFrame({"prev_id": range(600)}), {}
    )
    assert not job.parallel


def _write_both(report, tmp_path, monkeypatch, fill_fault=None):
    made = []

    class Recorded(forked.ForkedRows):
        def __init__(self, sheet, fill, rows):
            made.append(self)
            super().__init__(sheet, fill_fault(fill) if fill_fault else fill, rows)

    monkeypatch.setattr(workbook, "ForkedRows", Recorded)
    monkeypatch.setattr(interaction_sheet, "ForkedRows", Recorded)
    monkeypatch.setattr(forked, "FORK_BESIDE_THREADS", True)  # earlier tests' servers
    paths = {}
    for name, limit in (("here", 10**9), ("forked", 0)):
        monkeypatch.setattr(forked, "PARALLEL_ROWS", limit)
        paths[name] = workbook.write_workbook(report, tmp_path / f"{name}.xlsx")
    return paths, made


def _entries(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:  # core.xml holds the time it was written
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def test_columns_sheet_written_by_a_forked_child_is_byte_for_byte_the_same(
    two_rounds, tmp_path, monkeypatch
):
    report = _report(two_rounds, monkeypatch, 10**9)
    paths, made = _write_both(report, tmp_path, monkeypatch)
    assert [m.forked for m in made] == [False, False, True, True]  # 栏目明细, 互动与服务
    here, there = _entries(paths["here"]), _entries(paths["forked"])
    assert here.keys() == there.keys()
    assert [n for n in here if here[n] != there[n]] == []
    from openpyxl import load_workbook

    rows = load_workbook(paths["forked"], read_only=True)[workbook.COLUMNS_SHEET].max_row
    assert rows == len(report.columns) + 1


def test_a_child_that_fails_leaves_the_rows_to_this_process(two_rounds, tmp_path, monkeypatch):
    parent = os.getpid()

    def fails_in_child(fill):
        def fill_here_only(sheet):
            for i in range(3):  # a few rows spooled before the fault: not kept
                sheet.append([f"残留{i}"])
            if os.getpid() != parent:
                raise RuntimeError("child fault")
            fill(sheet)

        return fill_here_only

    report = _report(two_rounds, monkeypatch, 10**9)
    paths, made = _write_both(report, tmp_path, monkeypatch, fails_in_child)
    assert not any(m.forked for m in made) and len(made) == 4  # the children gave up
    here, there = _entries(paths["here"]), _entries(paths["forked"])
    assert [n for n in here if here[n] != there[n]] == []


def test_a_child_that_hangs_is_killed_and_the_rows_written_here(two_rounds, tmp_path, monkeypatch):
    parent = os.getpid()
    monkeypatch.setattr(forked, "JOIN_SECONDS", 1.0)

    def hangs_in_child(fill):
        def fill_here_only(sheet):
            if os.getpid() != parent:
                time.sleep(3600)
            fill(sheet)

        return fill_here_only

    report = _report(two_rounds, monkeypatch, 10**9)
    started = time.monotonic()
    paths, made = _write_both(report, tmp_path, monkeypatch, hangs_in_child)
    assert time.monotonic() - started < 60  # not the hour the children asked for
    assert not any(m.forked for m in made) and len(made) == 4
    here, there = _entries(paths["here"]), _entries(paths["forked"])
    assert [n for n in here if here[n] != there[n]] == []


def test_shared_strings_read_as_a_plain_read(two_rounds):
    engine = make_engine(two_rounds)
    stmt = select(ColumnRow.name, ColumnRow.status, ColumnRow.url, ColumnRow.newest_date)
    with engine.connect() as conn:
        plain = pd.read_sql(stmt, conn)
        shared = read_sql_shared(conn, stmt, ["name", "status"], chunk=97)
    pd.testing.assert_frame_equal(plain, shared)
    ok = shared.index[shared["status"] == "ok"]
    assert len(ok) > 100 and len({id(shared.at[i, "status"]) for i in ok}) == 1
    assert len({id(shared.at[i, "url"]) for i in ok}) == len(ok)  # not shared: not asked
    engine.dispose()


def test_shared_strings_keep_text_type_when_a_chunk_is_all_null():
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (a TEXT, b INTEGER)")
        conn.exec_driver_sql(
            "INSERT INTO t VALUES " + ",".join(["(NULL, 1)"] * 5 + ["('x', 2)"] * 5)
        )
    with engine.connect() as conn:
        plain = pd.read_sql(text("SELECT * FROM t"), conn)
        shared = read_sql_shared(conn, text("SELECT * FROM t"), ["a"], chunk=5)
        empty = read_sql_shared(conn, text("SELECT * FROM t WHERE b > 9"), ["a"])
    pd.testing.assert_frame_equal(plain, shared)
    assert list(empty.columns) == ["a", "b"] and empty.empty


def test_urls_past_excels_hyperlink_limit_are_text_and_said(two_rounds, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    import exports.sheet as sheet

    monkeypatch.setattr(sheet, "HYPERLINK_LIMIT", 50)  # Excel's is 65,530 per worksheet
    report = _report(two_rounds, monkeypatch, 10**9)
    paths, _ = _write_both(report, tmp_path, monkeypatch)
    urls = [u for u in report.columns["url"] if str(u).startswith(("http://", "https://"))]
    assert len(urls) > 500
    for path in paths.values():  # written here and by the forked child alike
        book = load_workbook(path)
        ws = book[workbook.COLUMNS_SHEET]
        linked = [c for c in ws["C"][1:] if c.hyperlink is not None]
        assert len(linked) == 50 and [c.row for c in linked] == list(range(2, 52))
        after = ws.cell(row=52, column=3)
        assert after.value.startswith("http") and after.hyperlink is None
        assert after.font.color is None or after.font.color.rgb != "000563C1"  # not link blue
        notes = {r[0]: r[1] for r in book[workbook.NOTES_SHEET].iter_rows(values_only=True)}
        said = notes[f"{workbook.COLUMNS_SHEET}超链接"]
        assert f"自第52行起的{len(urls) - 50}个网址以文本列出" in said, said
