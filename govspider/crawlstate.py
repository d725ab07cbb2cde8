"""Where a site's crawl keeps its progress: in this process, or in Redis for several.

The spider asks the state three things: is this URL new for the site (claim), how many
requests are still out (begin/end), and what has been seen so far (columns, site
fields, links). With Redis, crawler processes on several machines share one round:
whichever process finishes a site's last request assembles and stores its snapshot.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from typing import Any, Protocol

from govspider.items import Column, Link, PageFinding, SiteSnapshot


class CrawlState(Protocol):
    def start_site(self, site_id: str) -> bool: ...
    def claim(self, site_id: str, url: str) -> bool: ...
    def begin(self, site_id: str, count: int = 1) -> None: ...
    def end(self, site_id: str) -> bool: ...
    def record_column(self, site_id: str, column: Column) -> None: ...
    def set_fields(self, site_id: str, **fields: Any) -> None: ...
    def add_links(self, site_id: str, links: list[Link]) -> None: ...
    def add_findings(self, site_id: str, findings: list[PageFinding]) -> None: ...
    def count(self, site_id: str, pages: int = 0, errors: int = 0) -> None: ...
    def assemble(self, base: SiteSnapshot) -> SiteSnapshot: ...
    def unfinished(self) -> list[str]: ...
    def still_open(self, site_ids: set[str]) -> set[str]: ...


def _fill(
    base: SiteSnapshot, fields: dict, columns: list[Column], links, counters, findings=()
) -> SiteSnapshot:
    for key, value in fields.items():
        setattr(base, key, value)
    base.columns = columns
    base.links = list(links)
    base.page_findings = list(findings)
    base.pages_fetched = int(counters.get("pages", 0))
    base.errors = int(counters.get("errors", 0))
    return base


class LocalCrawlState:
    """Progress kept in this process: one crawler, any number of sites."""

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.pending: dict[str, int] = defaultdict(int)
        self.columns: dict[str, dict[str, Column]] = defaultdict(dict)
        self.fields: dict[str, dict[str, Any]] = defaultdict(dict)
        self.links: dict[str, list[Link]] = defaultdict(list)
        self.findings: dict[str, list[PageFinding]] = defaultdict(list)
        self.counters: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def start_site(self, site_id: str) -> bool:
        return site_id not in self.pending

    def claim(self, site_id: str, url: str) -> bool:
        if url in self.seen[site_id]:
            return False
        self.seen[site_id].add(url)
        return True

    def begin(self, site_id: str, count: int = 1) -> None:
        self.pending[site_id] += count

    def end(self, site_id: str) -> bool:
        self.pending[site_id] -= 1
        return self.pending[site_id] == 0

    def record_column(self, site_id: str, column: Column) -> None:
        self.columns[site_id][column.url] = column

    def set_fields(self, site_id: str, **fields: Any) -> None:
        self.fields[site_id].update(fields)

    def add_links(self, site_id: str, links: list[Link]) -> None:
        self.links[site_id].extend(links)

    def add_findings(self, site_id: str, findings: list[PageFinding]) -> None:
        self.findings[site_id].extend(findings)

    def count(self, site_id: str, pages: int = 0, errors: int = 0) -> None:
        self.counters[site_id]["pages"] += pages
        self.counters[site_id]["errors"] += errors

    def assemble(self, base: SiteSnapshot) -> SiteSnapshot:
        sid = base.site_id
        snap = _fill(
            base,
            self.fields.pop(sid, {}),
            list(self.columns.pop(sid, {}).values()),
            self.links.pop(sid, []),
            self.counters.pop(sid, {}),
            self.findings.pop(sid, []),
        )
        self.pending.pop(sid, None)
        self.seen.pop(sid, None)
        return snap

    def unfinished(self) -> list[str]:
        return [sid for sid, n in self.pending.items() if n > 0]

    def still_open(self, site_ids: set[str]) -> set[str]:
        """Those of ``site_ids`` not yet assembled (assembling drops a site's count)."""
        return {sid for sid in site_ids if sid in self.pending}


class RedisCrawlState:
    """Progress kept in Redis so that several crawler processes share one run.

    Values are pickled, as scrapy-redis does with requests: the Redis server is the
    crawl's own infrastructure, never reachable by the sites being crawled.
    """

    def __init__(self, redis_url: str, run_id: str, ttl_seconds: int = 7 * 24 * 3600) -> None:
        import redis

        self.redis = redis.Redis.from_url(redis_url)
        self.prefix = f"govspider:{run_id}"
        self.ttl = ttl_seconds
        self.touched: set[str] = set()

    def _key(self, site_id: str, part: str) -> str:
        return f"{self.prefix}:{site_id}:{part}"

    def _expire(self, site_id: str, *parts: str) -> None:
        for part in parts:
            self.redis.expire(self._key(site_id, part), self.ttl)

    def start_site(self, site_id: str) -> bool:
        """True for the one process that takes the site; kept for the run, so a process
        starting late does not crawl a site again that another has finished."""
        key = f"{self.prefix}:started"
        first = bool(self.redis.sadd(key, site_id))
        self.redis.expire(key, self.ttl)
        return first

    def claim(self, site_id: str, url: str) -> bool:
        new = bool(self.redis.sadd(self._key(site_id, "seen"), url))
        self._expire(site_id, "seen")
        return new

    def begin(self, site_id: str, count: int = 1) -> None:
        self.touched.add(site_id)
        self.redis.incrby(self._key(site_id, "pending"), count)
        self._expire(site_id, "pending")

    def end(self, site_id: str) -> bool:
        return self.redis.decr(self._key(site_id, "pending")) == 0

    def record_column(self, site_id: str, column: Column) -> None:
        self.redis.hset(self._key(site_id, "columns"), column.url, pickle.dumps(column))
        self._expire(site_id, "columns")

    def set_fields(self, site_id: str, **fields: Any) -> None:
        mapping = {k: pickle.dumps(v) for k, v in fields.items()}
        self.redis.hset(self._key(site_id, "fields"), mapping=mapping)
        self._expire(site_id, "fields")

    def add_links(self, site_id: str, links: list[Link]) -> None:
        if links:
            self.redis.rpush(self._key(site_id, "links"), pickle.dumps(links))
            self._expire(site_id, "links")

    def add_findings(self, site_id: str, findings: list[PageFinding]) -> None:
        if findings:
            self.redis.rpush(self._key(site_id, "findings"), pickle.dumps(findings))
            self._expire(site_id, "findings")

    def count(self, site_id: str, pages: int = 0, errors: int = 0) -> None:
        key = self._key(site_id, "counters")
        if pages:
            self.redis.hincrby(key, "pages", pages)
        if errors:
            self.redis.hincrby(key, "errors", errors)
        self._expire(site_id, "counters")

    def assemble(self, base: SiteSnapshot) -> SiteSnapshot:
        sid = base.site_id
        fields = {
            k.decode(): pickle.loads(v)
            for k, v in self.redis.hgetall(self._key(sid, "fields")).items()
        }
        columns = [pickle.loads(v) for v in self.redis.hgetall(self._key(sid, "columns")).values()]
        links = [
            link for chunk in self.redis.lrange(self._key(sid, "links"), 0, -1)
            for link in pickle.loads(chunk)
        ]  # fmt: skip
        counters = {
            k.decode(): int(v) for k, v in self.redis.hgetall(self._key(sid, "counters")).items()
        }
        findings = [
            f for chunk in self.redis.lrange(self._key(sid, "findings"), 0, -1)
            for f in pickle.loads(chunk)
        ]  # fmt: skip
        parts = ("fields", "columns", "links", "counters", "pending", "seen", "findings")
        self.redis.delete(*(self._key(sid, p) for p in parts))
        return _fill(base, fields, columns, links, counters, findings)

    def still_open(self, site_ids: set[str]) -> set[str]:
        """Those of ``site_ids`` with requests still out, whichever process has them."""
        ids = sorted(site_ids)
        if not ids:
            return set()
        values = self.redis.mget([self._key(sid, "pending") for sid in ids])
        return {sid for sid, v in zip(ids, values, strict=True) if v is not None and int(v) > 0}

    def unfinished(self) -> list[str]:
        out = []
        for sid in self.touched:
            value = self.redis.get(self._key(sid, "pending"))
            if value is not None and int(value) > 0:
                out.append(sid)
        return out
