"""Table test: the 咸宁 2019 Q2 appendix (seed 001) scored with the xianning-2019 profile."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from analysis.facts import OPTIONAL_FACTS
from analysis.record_facts import facts_from_records
from analysis.report import Report, report_from_facts

FIXTURE = Path(__file__).parent / "fixtures" / "seed001_xianning.yaml"


def _load() -> dict:
    return yaml.safe_load(FIXTURE.read_text("utf-8"))


def _facts(data: dict):
    defaults = data["defaults"]
    sites, columns = [], []
    for row in data["rows"]:
        sid = f"r{row['seq']:02d}"
        facts = {k: v for k, v in defaults.items() if k in OPTIONAL_FACTS}
        facts.update(row.get("facts") or {})
        sites.append({"site_id": sid, "site_name": row["name"], "group": row["group"], **facts})
        own = {c["name"]: c for c in row.get("columns") or []}
        merged = [c for c in defaults["columns"] if c["name"] not in own] + list(own.values())
        for col in merged:
            rec = {"site_id": sid, "newest_date": col.get("newest")}
            rec.update({k: v for k, v in col.items() if k != "newest"})
            columns.append(rec)
    return facts_from_records(sites, columns)


def _score(data: dict, profile: str | None = None) -> Report:
    return report_from_facts(_facts(data), data["as_of"], profile or data["profile"])


def _matches(row: dict, site) -> bool:
    if row["score"] == "单项否决":
        return bool(site.veto) and site.result == row["result"]
    return (
        not site.veto
        and site.score is not None
        and round(site.score, 2) == float(row["score"])
        and site.result == row["result"]
    )


@pytest.fixture(scope="module")
def data() -> dict:
    return _load()


@pytest.fixture(scope="module")
def report(data: dict) -> Report:
    return _score(data)


def test_fixture_covers_the_whole_table(data: dict) -> None:
    assert [r["seq"] for r in data["rows"]] == list(range(1, 36))
    assert isinstance(data["as_of"], dt.date)


def test_at_least_32_of_35_rows_match(data: dict, report: Report) -> None:
    sites = report.sites.set_index("site_id")
    matched = [r["seq"] for r in data["rows"] if _matches(r, sites.loc[f"r{r['seq']:02d}"])]
    assert len(matched) >= 32, f"only {len(matched)} rows match"


@pytest.mark.parametrize("no", range(1, 36))
def test_row(data: dict, report: Report, no: int) -> None:
    """Rows without a mismatch note match; rows with one really do not (so notes stay true)."""
    row = data["rows"][no - 1]
    site = report.sites.set_index("site_id").loc[f"r{no:02d}"]
    if row.get("mismatch"):
        assert not _matches(row, site), f"row {no} now matches: drop its mismatch note"
    else:
        assert _matches(row, site), (row["score"], site.score, site.problems)


def test_problem_count_follows_the_table(report: Report) -> None:
    sites = report.sites.set_index("site_id")
    assert sites.loc["r01", "problems"] == ""
    assert sites.loc["r35", "problems"] == "2周内首页栏目信息更新总量为0。"
    assert sites.loc["r06", "problems"] == "6个月内(浮山文件、马桥文件、湿地文件)栏目未更新。"
    assert "陆溪镇>要闻信息" in sites.loc["r05", "problems"]


def test_xianning_profile_is_needed(data: dict) -> None:
    """The national profile alone reproduces fewer rows: the local overrides do work."""
    national = _score(data, "national-2019").sites.set_index("site_id")
    matched = sum(_matches(r, national.loc[f"r{r['seq']:02d}"]) for r in data["rows"])
    assert matched < 32
    assert national.loc["r32", "score"] == 84  # 5 for no valid letters instead of 7
