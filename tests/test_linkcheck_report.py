"""Link and availability facts scored by the engine and written to the workbook."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from analysis.report import build_report
from exports.workbook import write_workbook
from farm.linksite import LinkSite
from govspider.items import Entry, Link, SiteSnapshot
from govspider.linkcheck import CheckConfig
from govspider.linkcheck.rounds import run_round
from govspider.probe import store_probes
from pipelines.check_models import ProbeRow
from pipelines.db import make_engine, save_snapshot

AS_OF = dt.date(2026, 7, 1)
WEEK = [AS_OF - dt.timedelta(days=d) for d in range(7, 0, -1)]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'g.db'}")
    yield eng
    eng.dispose()


def snapshot(site_id: str, name: str, home: str, links: list[Link]) -> SiteSnapshot:
    # a home page updated well within 2 weeks: only links and availability cost points
    entries = [
        Entry(f"要闻{i}", f"{home}n{i}.html", AS_OF - dt.timedelta(days=1 + i % 5))
        for i in range(12)
    ]
    return SiteSnapshot(
        site_id=site_id, site_name=name, home_url=home, round="2026Q3",
        crawled_at=dt.datetime(2026, 6, 30, 10), home_entries=entries, links=links,
    )  # fmt: skip


def probes(engine, site_id: str, per_day: int, failures_first_day: int) -> None:
    rows = []
    for day in WEEK:
        for i in range(per_day):
            failed = day == WEEK[0] and i < failures_first_day
            at = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=30 * i)
            rows.append(ProbeRow(site_id=site_id, url="http://x/", probed_at=at, ok=not failed))
    store_probes(engine, rows)


@pytest.fixture(scope="module")
def scored(engine, tmp_path_factory):
    with LinkSite(columns=2, items=3, slow=0.3, hang=4.0, flaky_window=0.3) as farm:
        home = farm.home_url
        links = [Link(p.url, home, p.text, on_home=p.on_home) for p in farm.planted + farm.tricky]
        links = [
            ln if ln.on_home else Link(ln.url, f"{home}col0/index.html", ln.text) for ln in links
        ]
        save_snapshot(engine, snapshot("links", "市民政局", home, links))
        save_snapshot(engine, snapshot("down", "市招商局", "http://down.gov.cn/", []))
        save_snapshot(engine, snapshot("thin", "市林业局", "http://thin.gov.cn/", []))
        config = CheckConfig(timeout=1.0, recheck_delay=0.4, hosts=farm.hosts, ca_file=farm.ca_file)
        run_round(engine, config, site="links")  # the other two: links never checked
    probes(engine, "links", 20, 0)
    probes(engine, "down", 20, 7)  # 7 of 140: 5%
    probes(engine, "thin", 10, 0)
    report = build_report(engine, AS_OF)
    return report, write_workbook(report, tmp_path_factory.mktemp("out") / "r.xlsx")


def test_broken_links_are_deducted_as_the_seed_table_words_them(scored):
    report, _ = scored
    site = report.sites.set_index("site_id").loc["links"]
    assert "首页不可用链接数6个" in site["problems"] and "不可用链接数12个" in site["problems"]
    assert site["score"] == pytest.approx(100 - 6 * 1 - 12 * 0.1)


def test_five_percent_failed_probes_is_a_veto_and_thin_probing_is_not_judged(scored):
    report, _ = scored
    sites = report.sites.set_index("site_id")
    assert bool(sites.loc["down", "veto"]) and sites.loc["down", "result"] == "不合格"
    assert "站点无法访问" in sites.loc["down", "problems"]
    thin = sites.loc["thin"]
    assert not bool(thin["veto"]) and "站点无法访问未满足监测次数" in thin["problems"]
    found = report.findings
    evidence = found[(found["site_id"] == "down") & (found["rule_id"] == "site_unavailable")]
    assert "首页探测140次,失败7次" in evidence.iloc[0]["evidence"]


def test_unchecked_sites_have_links_unmeasured_not_clean(scored):
    report, _ = scored
    found = report.findings
    thin = found[(found["site_id"] == "thin") & (found["indicator"] == "链接可用性")]
    assert set(thin["status"]) == {"unmeasured"}
    assert "链接可用性未监测" in report.sites.set_index("site_id").loc["thin", "problems"]


def test_link_sheet_lists_each_failing_link_with_its_evidence(scored):
    report, path = scored
    ws = load_workbook(path)["链接明细"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("单位名称", "链接地址", "所在页面", "链接文字", "是否首页", "状态", "判定")
    confirmed = [r for r in rows[1:] if r[6] == "确认失效"]
    assert len(confirmed) == 18 and {r[0] for r in confirmed} == {"市民政局"}
    dns = next(r for r in confirmed if r[1] == "http://expired-domain.invalid/")
    assert dns[4] == "是" and dns[5] == "域名解析失败" and dns[3] == "原市旅游局网站"
    tls_rows = [r for r in rows[1:] if r[6] == "正常(仅TLS问题,不扣分)"]
    assert {r[5] for r in tls_rows} == {"TLS证书过期", "TLS自签名证书", "TLS协议版本过旧"}
