"""A link-check round over stored snapshots: counting, evidence, replacement, the crawl."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.link_facts import link_details, link_evidence, link_facts
from farm.linksite import LinkSite
from govspider.items import Link, SiteSnapshot
from govspider.linkcheck import CheckConfig
from govspider.linkcheck.rounds import run_round
from pipelines.check_models import LinkCheckRow, LinkCheckRunRow
from pipelines.db import make_engine, save_snapshot

NOW = dt.datetime(2026, 6, 30, 10, 0)


@pytest.fixture(scope="module")
def site():
    with LinkSite(columns=2, items=3, slow=0.3, hang=4.0, flaky_window=0.3) as farm:
        yield farm


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'g.db'}")
    yield eng
    eng.dispose()


def cfg(site: LinkSite) -> CheckConfig:
    return CheckConfig(timeout=1.0, recheck_delay=0.4, hosts=site.hosts, ca_file=site.ca_file)


def snapshot_of(site: LinkSite, extra_pages: int = 2) -> SiteSnapshot:
    """The farm's planted and trap links as a crawl would record them."""
    home = site.home_url
    links = [
        Link(p.url, home, p.text, on_home=True) for p in site.planted + site.tricky if p.on_home
    ]
    for n in range(extra_pages):
        page = f"{home}col{n}/index.html"
        links += [Link(p.url, page, p.text) for p in site.planted + site.tricky if not p.on_home]
        # the footer's broken link repeats on every page: still one home-page link
        links.append(Link(f"{home}missing/sitemap.html", page, "网站地图"))
    return SiteSnapshot(
        site_id="farm", site_name="链接测试局", home_url=home, round="2026Q2",
        crawled_at=NOW, links=links,
    )  # fmt: skip


def test_round_counts_each_broken_url_once_home_first(site, engine):
    save_snapshot(engine, snapshot_of(site))
    site.reset()
    [outcome] = run_round(engine, cfg(site))
    facts = link_facts(engine).set_index("site_id")
    assert facts.loc["farm", "broken_links_home"] == len(site.planted_urls(on_home=True))
    assert facts.loc["farm", "broken_links_other"] == len(site.planted_urls(on_home=False))
    assert {r.url for r in outcome.confirmed} == site.planted_urls()
    assert outcome.suspected == []


def test_hijacked_government_domain_is_confirmed_and_flagged(site, engine):
    save_snapshot(engine, snapshot_of(site, extra_pages=0))
    site.reset()
    run_round(engine, cfg(site))
    details = link_details(engine)
    row = details[details["flag"] == "外链变异"].iloc[0]
    assert row["verdict_text"] == "确认失效" and "lucky-casino" in row["status_text"]
    gone = details[details["flag"] == "域名失效"]
    assert set(gone["url"]) == {"http://expired-domain.invalid/"}


def test_details_show_tls_problems_as_not_deducted(site, engine):
    save_snapshot(engine, snapshot_of(site, extra_pages=0))
    site.reset()
    run_round(engine, cfg(site))
    details = link_details(engine)
    tls = details[details["verdict"] == "ok"]
    assert set(tls["status_text"]) == {"TLS证书过期", "TLS自签名证书", "TLS协议版本过旧"}
    assert set(tls["verdict_text"]) == {"正常(仅TLS问题,不扣分)"}


def test_evidence_names_the_page_and_status(site, engine):
    save_snapshot(engine, snapshot_of(site, extra_pages=1))
    site.reset()
    run_round(engine, cfg(site))
    ev = link_evidence(engine)
    gone = ev[ev["text"].str.contains("/gone/2015-plan.html")].iloc[0]
    assert gone["fact"] == "broken_links_other"
    assert f"所在页面 {site.home_url}col0/index.html" in gone["text"] and "410" in gone["text"]


def test_a_rerun_replaces_the_check_and_a_recrawl_drops_it(site, engine):
    save_snapshot(engine, snapshot_of(site, extra_pages=0))
    for _ in range(2):
        site.reset()
        run_round(engine, cfg(site))
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(LinkCheckRunRow)) == 1
        rows = s.scalar(select(func.count()).select_from(LinkCheckRow))
    assert rows == len(site.planted_urls(on_home=True)) + 3  # + the three TLS-only links
    save_snapshot(engine, snapshot_of(site, extra_pages=0))  # a re-crawl of the round
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(LinkCheckRunRow)) == 0
        assert s.scalar(select(func.count()).select_from(LinkCheckRow)) == 0
    assert link_facts(engine).empty  # not checked again yet: 未监测, not "no broken links"


def test_full_farm_crawled_then_checked_matches_the_planted_truth(tmp_path):
    """The real spider crawls the 2,000-link farm; the CLI checks it; exact result."""
    db = f"sqlite:///{tmp_path / 'farm.db'}"
    with LinkSite(hang=6.0) as farm:
        sites = farm.write_site_list(tmp_path / "sites.yaml")
        hosts = tmp_path / "hosts.json"
        hosts.write_text(json.dumps(farm.hosts))
        govspider = [sys.executable, "-m", "cli"]
        crawl = subprocess.run(
            [*govspider, "crawl", "--sites", str(sites), "--db", db],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert crawl.returncode == 0, crawl.stderr[-2000:]
        check = subprocess.run(
            [*govspider, "linkcheck", "--db", db, "--timeout", "2.5", "--recheck-delay", "1.2",
             "--hosts", str(hosts), "--ca-file", farm.ca_file],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert check.returncode == 0, check.stderr[-2000:]
        planted_home = farm.planted_urls(on_home=True)
        planted_other = farm.planted_urls(on_home=False)
    engine = make_engine(db)
    with Session(engine) as s:
        run = s.scalars(select(LinkCheckRunRow)).one()
        confirmed = s.scalars(select(LinkCheckRow).where(LinkCheckRow.verdict == "confirmed")).all()
    engine.dispose()
    assert run.urls >= 2000
    assert {r.url for r in confirmed if r.on_home} == planted_home
    assert {r.url for r in confirmed if not r.on_home} == planted_other
    assert "确认失效18个(首页6个, 其他页面12个)" in check.stdout


def test_cli_is_registered():
    out = subprocess.run(
        [sys.executable, "-m", "cli", "linkcheck", "--help"],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    assert "--recheck-delay" in out.stdout
