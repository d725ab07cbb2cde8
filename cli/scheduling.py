"""Push crawl and probe jobs to scrapyd nodes: one job per site or shard, no duplicates.

scrapyd has no timer (cron or a systemd timer calls `govspider schedule`), and no notion
of "this site is already queued": job ids carry the site ids, so pending and running
jobs are recognised and not pushed again, and each node's queue is kept bounded.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

JOB_SEPARATOR = "--"


class SchedulerError(RuntimeError):
    """A scrapyd node that cannot be reached or refuses a request, named with its URL."""


@dataclass
class Node:
    url: str
    pending: int = 0
    busy_ids: set[str] = field(default_factory=set)  # job ids pending or running


@dataclass
class ScheduleResult:
    pushed: dict[str, str] = field(default_factory=dict)  # job id -> node URL
    skipped: list[str] = field(default_factory=list)  # shards already pending or running
    left: list[str] = field(default_factory=list)  # shards not pushed: every queue full


def _call(url: str, data: dict | None = None, timeout: float = 15) -> dict:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=timeout) as resp:
            payload = json.loads(resp.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SchedulerError(f"scrapyd 节点 {url} 无法访问: {exc}") from exc
    if payload.get("status") != "ok":
        raise SchedulerError(f"scrapyd 节点 {url} 拒绝请求: {payload.get('message', payload)}")
    return payload


def job_prefix(kind: str, shard: list[str]) -> str:
    return f"{kind}{JOB_SEPARATOR}{'+'.join(shard)}{JOB_SEPARATOR}"


def shards_of(site_ids: list[str], size: int) -> list[list[str]]:
    size = max(1, size)
    return [site_ids[i : i + size] for i in range(0, len(site_ids), size)]


def refresh(node: Node, project: str) -> None:
    """Read the node's pending and running jobs of the project."""
    base = node.url.rstrip("/")
    jobs = _call(f"{base}/listjobs.json?project={urllib.parse.quote(project)}")
    node.pending = len(jobs.get("pending", []))
    node.busy_ids = {j["id"] for j in jobs.get("pending", []) + jobs.get("running", [])}


def schedule(
    nodes: list[str],
    site_ids: list[str],
    *,
    project: str = "govspider",
    spider: str = "site",
    kind: str = "crawl",
    shard_size: int = 1,
    max_pending: int = 20,
    spider_args: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
    wait: bool = True,
    poll_seconds: float = 5.0,
    now: Callable[[], dt.datetime] = dt.datetime.now,
    sleep: Callable[[float], None] = time.sleep,
) -> ScheduleResult:
    """Push one job per shard to the least-loaded node whose queue has room."""
    if not nodes:
        raise SchedulerError("未指定 scrapyd 节点")
    result = ScheduleResult()
    pool = [Node(url) for url in nodes]
    for node in pool:
        refresh(node, project)
    todo = []
    for shard in shards_of(site_ids, shard_size):
        prefix = job_prefix(kind, shard)
        if any(job.startswith(prefix) for node in pool for job in node.busy_ids):
            result.skipped.append("+".join(shard))
        else:
            todo.append(shard)
    while todo:
        room = [n for n in pool if n.pending < max_pending]
        if not room:
            if not wait:
                result.left.extend("+".join(s) for s in todo)
                break
            sleep(poll_seconds)
            for node in pool:
                refresh(node, project)
            continue
        node = min(room, key=lambda n: n.pending)
        shard = todo.pop(0)
        job_id = job_prefix(kind, shard) + now().strftime("%Y%m%dT%H%M%S")
        data = {"project": project, "spider": spider, "jobid": job_id, "site": ",".join(shard)}
        data.update(spider_args or {})
        data["setting"] = [f"{k}={v}" for k, v in (settings or {}).items()]
        _call(node.url.rstrip("/") + "/schedule.json", data)
        node.pending += 1
        result.pushed[job_id] = node.url
    return result
