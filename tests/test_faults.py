"""Server faults during a crawl (farm.faults): retried within limits, then 监测失败 with a
reason; never a finding against the site, no stored row lost, no traceback shown."""

from __future__ import annotations

from bench.faults import _wrong, run
from farm.faults import FAULTS, NEWEST


def test_fault_injection_suite(tmp_path, capsys):
    result = run(tmp_path)
    print("\n".join(result.lines()))
    # every fault path was hit in both crawls (retries hit some again)
    assert result.injected >= 2 * (len(FAULTS) - 1)
    assert result.wrong_findings == []
    assert result.rows_lost == 0
    assert result.tracebacks == 0
    # the figures `make faults` prints
    assert result.lines() == [
        f"faults injected: {result.injected}",
        "wrong findings: 0",
        "rows lost: 0",
        "tracebacks shown to user: 0",
    ]
    assert result.ok


def test_the_suite_sees_a_fault_read_as_the_sites_problem():
    rows = [
        ("faults", "partial", name, "ok" if want == "ok" else "failed", "超时",
         NEWEST if want == "ok" else None, False)
        for name, _, want in FAULTS.values()
    ]  # fmt: skip
    rows.append(("hang", "failed", None, None, None, None, None))
    assert _wrong(rows) == []
    stale = [(*r[:3], "ok", "", "2025-01-01", False) if r[2] == "通知公告" else r for r in rows]
    blank = [(*r[:3], "failed", "", None, True) if r[2] == "政策文件" else r for r in rows]
    assert len(_wrong(stale)) == 1 and len(_wrong(blank)) == 1
    assert len(_wrong(rows[1:])) == 1  # a column not recorded at all
