"""A link-check round: the links of the latest snapshots in, one result set per snapshot out.

Links are read from page_link (every link and image the crawl saw on the home page and
on column pages). Per site, each URL is checked once; it counts as a home-page link
when it sits on the home page, wherever else it also appears. A snapshot's results are
replaced as a whole, in one transaction, so a re-run never mixes two checks.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from govspider.linkcheck.checker import CheckConfig, LinkChecker, UrlResult
from govspider.linkcheck.verdict import (
    CONFIRMED,
    FLAG_DOMAIN_GONE,
    FLAG_HIJACKED,
    OK,
    SUSPECTED,
    hijacked,
    offsite,
)
from pipelines.check_models import LinkCheckRow, LinkCheckRunRow
from pipelines.models import LinkRow, SiteSnapshotRow


@dataclass
class SiteLink:
    """One distinct URL of a site with where it sits (home page first)."""

    url: str
    page_url: str
    text: str
    on_home: bool
    kind: str
    pages: int = 1


@dataclass
class SiteLinks:
    snapshot_id: int
    site_id: str
    site_name: str
    round: str
    home_url: str
    occurrences: int
    links: list[SiteLink] = field(default_factory=list)


@dataclass
class SiteOutcome:
    """The check of one site, as stored."""

    site_id: str
    site_name: str
    urls: int
    confirmed: list[LinkCheckRow]
    suspected: list[LinkCheckRow]
    tls_only: list[LinkCheckRow]


def latest_snapshots(
    session: Session, round: str | None = None, site: str | None = None
) -> list[SiteSnapshotRow]:
    """The newest snapshot of each site (in `round` if given), optionally one site."""
    query = select(SiteSnapshotRow).order_by(SiteSnapshotRow.crawled_at, SiteSnapshotRow.id)
    if round:
        query = query.where(SiteSnapshotRow.round == round)
    latest: dict[str, SiteSnapshotRow] = {}
    for row in session.scalars(query):
        latest[row.site_id] = row
    rows = list(latest.values())
    if site:
        keys = {k.strip() for k in site.split(",")}
        rows = [r for r in rows if r.site_id in keys or r.site_name in keys]
        if not rows:
            raise ValueError(f"数据库中没有编号或名称为 {site} 的站点快照")
    return sorted(rows, key=lambda r: r.site_id)


def site_links(session: Session, snap: SiteSnapshotRow) -> SiteLinks:
    """The distinct URLs of a snapshot, each placed on the home page when it is there."""
    rows = session.scalars(
        select(LinkRow).where(LinkRow.snapshot_id == snap.id).order_by(LinkRow.id)
    ).all()
    by_url: dict[str, SiteLink] = {}
    pages: dict[str, set[str]] = {}
    for row in rows:
        pages.setdefault(row.url, set()).add(row.page_url)
        have = by_url.get(row.url)
        if have is None or (row.on_home and not have.on_home):
            by_url[row.url] = SiteLink(row.url, row.page_url, row.text, row.on_home, row.kind)
        elif not have.text and row.text and row.page_url == have.page_url:
            have.text = row.text
    for url, link in by_url.items():
        link.pages = len(pages[url])
    return SiteLinks(
        snap.id, snap.site_id, snap.site_name, snap.round, snap.home_url, len(rows),
        list(by_url.values()),
    )  # fmt: skip


def _row(site: SiteLinks, link: SiteLink, res: UrlResult, run_id: int) -> LinkCheckRow | None:
    fetch = res.fetch
    off = offsite(link.url, site.home_url)
    verdict, text, flag = res.verdict, res.status_text, ""
    if verdict == OK and off and (target := hijacked(fetch)):
        verdict, text, flag = CONFIRMED, f"{FLAG_HIJACKED}(跳转至{target})", FLAG_HIJACKED
    elif verdict != OK and off and fetch.error_kind == "dns":
        flag = FLAG_DOMAIN_GONE
    if verdict == OK and not fetch.tls_problem:
        return None
    if verdict == OK:
        text = fetch.tls_problem
    return LinkCheckRow(
        run_id=run_id, snapshot_id=site.snapshot_id, site_id=site.site_id, url=link.url,
        page_url=link.page_url, text=link.text, on_home=link.on_home, kind=link.kind,
        pages=link.pages, offsite=off, verdict=verdict, status=fetch.status,
        error_kind=fetch.error_kind, status_text=text, first_status_text=res.first_status_text,
        rechecked=res.rechecked, final_url=fetch.final_url, redirects=len(fetch.chain) - 1,
        method=fetch.method, tls_problem=fetch.tls_problem, flag=flag,
        detail=fetch.detail[:500], checked_at=res.checked_at,
    )  # fmt: skip


def store_site(
    engine: Engine,
    site: SiteLinks,
    results: dict[str, UrlResult],
    started: dt.datetime,
    config: CheckConfig,
) -> SiteOutcome:
    """Replace the snapshot's link check with these results (one transaction)."""
    with Session(engine) as session, session.begin():
        old = session.scalars(
            select(LinkCheckRunRow.id).where(LinkCheckRunRow.snapshot_id == site.snapshot_id)
        ).all()
        if old:
            session.execute(delete(LinkCheckRow).where(LinkCheckRow.run_id.in_(old)))
            session.execute(delete(LinkCheckRunRow).where(LinkCheckRunRow.id.in_(old)))
        run = LinkCheckRunRow(
            snapshot_id=site.snapshot_id, site_id=site.site_id, round=site.round,
            started_at=started, finished_at=dt.datetime.now().replace(microsecond=0),
            links=site.occurrences, urls=len(site.links), settings=config.describe(),
        )  # fmt: skip
        session.add(run)
        session.flush()
        rows = [_row(site, link, results[link.url], run.id) for link in site.links]
        rows = [r for r in rows if r is not None]
        session.add_all(rows)
        run.confirmed = sum(r.verdict == CONFIRMED for r in rows)
        run.suspected = sum(r.verdict == SUSPECTED for r in rows)
        run.rechecked = sum(results[link.url].rechecked for link in site.links)
        session.flush()
        session.expunge_all()
    return SiteOutcome(
        site.site_id, site.site_name, len(site.links),
        [r for r in rows if r.verdict == CONFIRMED],
        [r for r in rows if r.verdict == SUSPECTED],
        [r for r in rows if r.verdict == OK],
    )  # fmt: skip


async def check_round(
    engine: Engine,
    config: CheckConfig | None = None,
    round: str | None = None,
    site: str | None = None,
    on_site: Callable[[SiteOutcome], None] | None = None,
    max_sites: int = 16,
) -> list[SiteOutcome]:
    """Check the links of the latest snapshots; sites run side by side, URLs shared.

    At most `max_sites` sites are in flight, which bounds memory for rounds of
    hundreds of sites while still keeping many hosts busy at once.
    """
    config = config or CheckConfig()
    with Session(engine) as session:
        snaps = [s for s in latest_snapshots(session, round, site) if s.status != "failed"]
        sites = [site_links(session, s) for s in snaps]
    outcomes: list[SiteOutcome] = []
    gate = asyncio.Semaphore(max_sites)
    async with LinkChecker(config) as checker:

        async def one(s: SiteLinks) -> None:
            async with gate:
                started = dt.datetime.now().replace(microsecond=0)
                results = await checker.check(link.url for link in s.links)
            outcome = store_site(engine, s, results, started, config)
            outcomes.append(outcome)
            if on_site:
                on_site(outcome)

        await asyncio.gather(*(one(s) for s in sites))
    return sorted(outcomes, key=lambda o: o.site_id)


def run_round(engine: Engine, config: CheckConfig | None = None, **kwargs) -> list[SiteOutcome]:  # noqa: ANN003
    """check_round from synchronous code."""
    return asyncio.run(check_round(engine, config, **kwargs))
