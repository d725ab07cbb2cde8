"""Availability probes against real servers, and the 7-day facts they feed."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.availability_facts import availability_facts, availability_summary, probe_days
from cli.main import main
from farm.linksite import LinkSite
from govspider.probe import ProbeTarget, probe_sites, store_probes
from pipelines.check_models import ProbeRow
from pipelines.db import make_engine

NOW = dt.datetime(2026, 6, 30, 10, 0)


@pytest.fixture(scope="module")
def site():
    with LinkSite(columns=1, items=2, hang=5.0) as farm:
        yield farm


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'g.db'}")
    yield eng
    eng.dispose()


def targets(site: LinkSite) -> dict[str, str]:
    hole = next(p.url for p in site.planted if p.kind == "timeout")
    refused = next(p.url for p in site.planted if p.kind == "refused")
    return {
        "ok": site.home_url,
        "http": f"{site.home_url}error/index.html",
        "dns": "http://www.expired-domain.invalid/",
        "refused": refused,
        "timeout": hole,
        "expired": f"https://127.0.0.1:{site.port('expired')}/",
        "tls": f"https://127.0.0.1:{site.port('main')}/",
    }


def test_each_failure_kind_is_recorded_once_without_retry(site):
    urls = targets(site)
    rows = asyncio.run(
        probe_sites(
            [ProbeTarget(k, k, u) for k, u in urls.items()], now=NOW, timeout=1.0,
            ca_file=site.ca_file,
        )
    )  # fmt: skip
    by = {r.site_id: r for r in rows}
    assert {k: r.error_kind for k, r in by.items()} == {
        "ok": "", "http": "http", "dns": "dns", "refused": "refused", "timeout": "timeout",
        "expired": "", "tls": "tls",
    }  # fmt: skip
    assert by["ok"].ok and by["ok"].status == 200 and by["ok"].latency_ms < 1000
    assert by["http"].status == 500 and not by["http"].ok
    assert by["expired"].ok and by["expired"].tls_problem == "TLS证书过期"
    assert 900 <= by["timeout"].latency_ms < 2000
    assert all(r.probed_at == NOW for r in rows)


def test_probe_command_stores_a_row_per_site(site, tmp_path, capsys):
    sites = tmp_path / "sites.yaml"
    sites.write_text(
        yaml.safe_dump(
            {"sites": [
                {"id": "a", "name": "甲局", "url": site.home_url},
                {"id": "b", "name": "乙局", "url": "http://www.gone.invalid/"},
            ]},
            allow_unicode=True,
        )
    )  # fmt: skip
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["probe", "--sites", str(sites), "--db", db, "--now", "2026-06-30T10:00"]) == 0
    out = capsys.readouterr().out
    assert "站点2个, 正常1个, 失败1个" in out and "乙局" in out and "域名解析失败" in out
    engine = make_engine(db)
    with Session(engine) as s:
        rows = s.scalars(select(ProbeRow).order_by(ProbeRow.site_id)).all()
        assert [(r.site_id, r.ok, r.probed_at) for r in rows] == [
            ("a", True, NOW), ("b", False, NOW),
        ]  # fmt: skip
    engine.dispose()


def add_probes(engine, site_id: str, day: dt.date, count: int, failures: int = 0) -> None:
    rows = []
    for i in range(count):
        at = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=30 * i)
        rows.append(ProbeRow(site_id=site_id, url="http://a.gov.cn/", probed_at=at,
                             ok=i >= failures, status=200 if i >= failures else None))  # fmt: skip
    store_probes(engine, rows)


AS_OF = dt.date(2026, 7, 1)
WEEK = [AS_OF - dt.timedelta(days=d) for d in range(7, 0, -1)]  # 6-24 .. 6-30


def test_failure_share_over_the_seven_days_before_the_time_point(engine):
    for day in WEEK:
        add_probes(engine, "a", day, 20, failures=1 if day == WEEK[0] else 0)
    add_probes(engine, "a", AS_OF, 20, failures=20)  # the time point's own day: not counted
    add_probes(engine, "a", WEEK[0] - dt.timedelta(days=1), 20, failures=20)  # 8 days before
    facts = availability_facts(engine, AS_OF).set_index("site_id")
    assert facts.loc["a"].to_dict() == {
        "avail_days": 7.0, "avail_probes": 140.0, "avail_failure_pct": round(100 / 140, 2),
    }  # fmt: skip


def test_veto_level_failures_are_measured(engine):
    for day in WEEK:
        add_probes(engine, "a", day, 48, failures=3)  # 6.25% every day
    summary = availability_summary(engine, AS_OF).set_index("site_id")
    assert summary.loc["a", "avail_failure_pct"] == 6.25 and bool(summary.loc["a", "rule_met"])


def test_too_few_probes_a_day_is_not_enough_probes(engine):
    for day in WEEK:
        add_probes(engine, "a", day, 19 if day == WEEK[3] else 20)
    summary = availability_summary(engine, AS_OF).set_index("site_id")
    assert summary.loc["a", "avail_days"] == 6 and not bool(summary.loc["a", "rule_met"])
    assert summary.loc["a", "note"].startswith("未满足监测次数")


def test_days_without_probes_are_listed_as_zero(engine):
    add_probes(engine, "a", WEEK[2], 5, failures=2)
    days = probe_days(engine, AS_OF, site_ids=["b"])
    assert len(days) == 14
    a = days[days["site_id"] == "a"].set_index("day")
    assert a.loc[WEEK[2], "probes"] == 5 and a.loc[WEEK[2], "failures"] == 2
    assert a["probes"].sum() == 5
    assert days[days["site_id"] == "b"]["probes"].sum() == 0
    assert list(availability_facts(engine, AS_OF)["site_id"]) == ["a"]  # b: 未监测
