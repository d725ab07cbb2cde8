"""The link checker: every distinct URL once, HEAD first, suspected links re-checked.

Each URL is one task. A task waits for its host's slot (per-host concurrency, a delay
between request starts, and a pause when the host sent Retry-After), then for a global
slot, and never holds a slot while it sleeps before its re-check. The round therefore
lasts about as long as its slowest link, not the sum of its links.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from govspider.linkcheck.http import BROWSER_USER_AGENT, Fetch, Fetcher, make_session
from govspider.linkcheck.verdict import (
    CONFIRMED,
    OK,
    SUSPECTED,
    first_verdict,
    status_text,
)

# a HEAD answered with these is never trusted: the GET decides
HEAD_REFUSED = {405, 501}


@dataclass
class CheckConfig:
    """How hard and how politely to check; the defaults suit government servers."""

    timeout: float = 15.0  # per request with its redirects, as the national 15 s rule
    concurrency: int = 64  # requests in flight in all
    per_host: int = 8  # requests in flight per host:port
    host_delay: float = 0.0  # seconds between request starts on one host
    recheck_delay: float = 30.0  # seconds from a suspected result to its re-check
    recheck: bool = True
    max_retry_after: float = 120.0  # a longer Retry-After is cut to this
    user_agent: str = BROWSER_USER_AGENT
    max_redirects: int = 10
    hosts: dict[str, str] = field(default_factory=dict)  # name -> address (tests, demo farm)
    ca_file: str | None = None  # extra trusted roots for the strict TLS attempt

    def describe(self) -> str:
        return (
            f"timeout={self.timeout}s concurrency={self.concurrency} per_host={self.per_host} "
            f"host_delay={self.host_delay}s recheck_delay={self.recheck_delay}s "
            f"user_agent={self.user_agent!r}"
        )


@dataclass
class UrlResult:
    """The outcome for one URL in this round."""

    url: str
    verdict: str
    fetch: Fetch
    first: Fetch | None = None  # the first attempt, when the URL was re-checked
    checked_at: dt.datetime = field(default_factory=lambda: _now())

    @property
    def rechecked(self) -> bool:
        return self.first is not None

    @property
    def status_text(self) -> str:
        return status_text(self.fetch)

    @property
    def first_status_text(self) -> str:
        return status_text(self.first) if self.first else ""


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class HostGate:
    """Per-host politeness: concurrency, delay between starts, Retry-After pauses."""

    def __init__(self, per_host: int, delay: float) -> None:
        self.slots = asyncio.Semaphore(per_host)
        self.delay = delay
        self.next_start = 0.0
        self.paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self):  # noqa: ANN201
        async with self.slots:
            async with self._lock:
                wait = max(self.next_start, self.paused_until) - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.next_start = time.monotonic() + self.delay
            yield


class LinkChecker:
    """Check URLs; results are cached for the life of the checker (one round)."""

    def __init__(
        self, config: CheckConfig | None = None, progress: Callable[[int], None] | None = None
    ) -> None:
        self.config = config or CheckConfig()
        self.results: dict[str, UrlResult] = {}
        self._tasks: dict[str, asyncio.Task] = {}
        self._gates: dict[str, HostGate] = {}
        self._global: asyncio.Semaphore | None = None
        self._fetcher: Fetcher | None = None
        self._progress = progress

    async def __aenter__(self) -> LinkChecker:
        self._session = make_session(self.config.hosts)
        self._global = asyncio.Semaphore(self.config.concurrency)
        cfg = self.config
        self._fetcher = Fetcher(
            self._session, cfg.timeout, cfg.user_agent, cfg.max_redirects, cfg.ca_file
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks.values():
            task.cancel()
        await self._session.close()

    @property
    def tls_hosts(self) -> dict[str, str]:
        return self._fetcher.tls_hosts if self._fetcher else {}

    async def check(self, urls: Iterable[str]) -> dict[str, UrlResult]:
        """Check every URL (each once, also across calls) and return their results."""
        wanted = list(dict.fromkeys(urls))
        for url in wanted:
            if url not in self._tasks:
                self._tasks[url] = asyncio.ensure_future(self._check_one(url))
        await asyncio.gather(*(self._tasks[u] for u in wanted))
        return {u: self.results[u] for u in wanted}

    def _gate(self, url: str) -> HostGate:
        host = urlsplit(url).netloc.lower()
        if host not in self._gates:
            self._gates[host] = HostGate(self.config.per_host, self.config.host_delay)
        return self._gates[host]

    async def _fetch(self, url: str, method: str) -> Fetch:
        gate = self._gate(url)
        async with gate.slot(), self._global:
            fetch = await self._fetcher.fetch(url, method)
        if fetch.status in (429, 503) and fetch.retry_after is not None:
            gate.pause(min(fetch.retry_after, self.config.max_retry_after))
        return fetch

    async def _attempt(self, url: str) -> Fetch:
        """HEAD, then GET unless HEAD succeeded or the failure is one GET cannot change."""
        head = await self._fetch(url, "HEAD")
        if head.ok or head.error_kind in ("dns", "refused", "timeout"):
            return head
        if head.status in (429, 503) and head.retry_after is not None:
            return head  # the server asked us to wait: the re-check will use GET
        # 405/501, an error page HEAD gives but GET would not, a server that drops HEAD
        return await self._fetch(url, "GET")

    async def _check_one(self, url: str) -> None:
        first = await self._attempt(url)
        verdict = first_verdict(first)
        result = UrlResult(url, verdict, first)
        if verdict == SUSPECTED and self.config.recheck:
            wait = self.config.recheck_delay
            if first.retry_after is not None:
                wait = max(wait, min(first.retry_after, self.config.max_retry_after))
            await asyncio.sleep(wait)
            again = await self._fetch(url, "GET")
            result = UrlResult(url, OK if again.ok else CONFIRMED, again, first=first)
        self.results[url] = result
        if self._progress:
            self._progress(len(self.results))


def check_urls(urls: Iterable[str], config: CheckConfig | None = None) -> dict[str, UrlResult]:
    """Check URLs from synchronous code (a new event loop for the call)."""

    async def run() -> dict[str, UrlResult]:
        async with LinkChecker(config) as checker:
            return await checker.check(urls)

    return asyncio.run(run())


__all__ = ["CONFIRMED", "OK", "SUSPECTED", "CheckConfig", "LinkChecker", "UrlResult", "check_urls"]
