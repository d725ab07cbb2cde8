"""Availability probes: each site's home page requested once, as the 站点无法访问 rule counts.

One GET per site, no retry, 15 s for the whole page (redirects and body included). A
probe stores its time, status, latency and the kind of failure. A page that opens only
with a permissive TLS setting counts as opened; its TLS problem is stored beside it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from govspider.errors import FAILURE_NAMES
from govspider.linkcheck.http import BROWSER_USER_AGENT, Fetcher, make_session
from govspider.sitelist import Site
from pipelines.check_models import ProbeRow
from pipelines.models import SiteSnapshotRow

PROBE_TIMEOUT = 15.0  # the national rule: a home page not open after 15 s has failed


@dataclass(frozen=True)
class ProbeTarget:
    site_id: str
    site_name: str
    url: str


def targets_from_sites(sites: list[Site]) -> list[ProbeTarget]:
    return [ProbeTarget(s.id, s.name, s.url) for s in sites]


def targets_from_db(engine: Engine) -> list[ProbeTarget]:
    """The sites of the database: the home page of each site's newest snapshot."""
    with Session(engine) as session:
        rows = session.scalars(
            select(SiteSnapshotRow).order_by(SiteSnapshotRow.crawled_at, SiteSnapshotRow.id)
        ).all()
        latest = {r.site_id: ProbeTarget(r.site_id, r.site_name, r.home_url) for r in rows}
    return sorted(latest.values(), key=lambda t: t.site_id)


async def probe_sites(
    targets: list[ProbeTarget],
    now: dt.datetime | None = None,
    timeout: float = PROBE_TIMEOUT,
    concurrency: int = 50,
    user_agent: str = BROWSER_USER_AGENT,
    hosts: dict[str, str] | None = None,
    ca_file: str | None = None,
) -> list[ProbeRow]:
    """Probe every target once, side by side; rows are returned, not yet stored."""
    gate = asyncio.Semaphore(concurrency)
    async with make_session(hosts) as session:
        fetcher = Fetcher(session, timeout, user_agent, ca_file=ca_file)

        async def one(target: ProbeTarget) -> ProbeRow:
            async with gate:
                at = now or dt.datetime.now().replace(microsecond=0)
                fetch = await fetcher.fetch(target.url, "GET", read_body=True)
            kind = fetch.error_kind or ("http" if not fetch.ok else "")
            error = ""
            if kind == "http":
                error = f"HTTP {fetch.status}"
            elif kind:
                error = f"{FAILURE_NAMES.get(kind, kind)}: {fetch.detail}"[:500]
            return ProbeRow(
                site_id=target.site_id, site_name=target.site_name, url=target.url,
                probed_at=at, ok=kind == "", status=fetch.status,
                latency_ms=round(fetch.elapsed * 1000), error_kind=kind, error=error,
                tls_problem=fetch.tls_problem,
            )  # fmt: skip

        return list(await asyncio.gather(*(one(t) for t in targets)))


def store_probes(engine: Engine, rows: list[ProbeRow]) -> None:
    with Session(engine) as session, session.begin():
        session.add_all(rows)
        session.flush()
        session.expunge_all()


def run_probes(engine: Engine, targets: list[ProbeTarget], **kwargs) -> list[ProbeRow]:  # noqa: ANN003
    """Probe and store, from synchronous code."""
    rows = asyncio.run(probe_sites(targets, **kwargs))
    store_probes(engine, rows)
    return rows


def describe(row: ProbeRow) -> str:
    """One line for the terminal: 正常 200 123ms, or the failure in Chinese."""
    if row.ok:
        extra = f" ({row.tls_problem})" if row.tls_problem else ""
        return f"正常 {row.status} {row.latency_ms}ms{extra}"
    return f"失败 {FAILURE_NAMES.get(row.error_kind, row.error_kind)} {row.error}"
