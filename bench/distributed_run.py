"""One round crawled by one, then by two crawler processes (scrapy-redis + PostgreSQL).

The same bench farm both times, a fresh Redis queue and a fresh database each time; the
wall time from start to the last process's exit, and the pages each process fetched.
On a 2-core machine shared with other work the speed-up is bounded by the free cores.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.farm_crawl import ROOT, farm_for
from bench.synthfarm import Nginx
from tests.services import postgres_server, redis_server

NOW = "2026-06-30T10:00:00"


def crawl_round(sites: Path, pg_url: str, redis_url: str, run_id: str, procs: int) -> dict:
    subprocess.run([sys.executable, "-m", "cli", "db", "upgrade", "--db", pg_url], cwd=ROOT,
                   check=True, capture_output=True)  # fmt: skip
    cmd = [sys.executable, "-m", "cli", "crawl", "--sites", str(sites), "--db", pg_url,
           "--now", NOW, "-s", f"GOVSPIDER_REDIS_URL={redis_url}", "-s",
           f"GOVSPIDER_RUN_ID={run_id}", "-s", "GOVSPIDER_RENDER=False",
           "-s", "RETRY_ENABLED=False"]  # fmt: skip
    t0 = time.perf_counter()
    running = [
        subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(procs)
    ]
    outputs = [p.communicate(timeout=1800) for p in running]
    seconds = time.perf_counter() - t0
    pages = []
    for proc, (_out, err) in zip(running, outputs, strict=True):
        if proc.returncode != 0:
            raise RuntimeError(f"抓取进程失败：{err[-2000:]}")
        found = re.findall(r"页面 (\d+)", err)
        pages.append(int(found[-1]) if found else 0)
    return {"procs": procs, "seconds": seconds, "pages": pages}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    farm = farm_for(args.seed, args.sites)
    runs = []
    with tempfile.TemporaryDirectory(prefix="govspider-dist-") as tmp:
        work = Path(tmp)
        (work / "nginx").mkdir()
        with Nginx(farm, work / "nginx") as nginx:
            sites = farm.site_list(work / "sites.yaml", nginx.port)
            for procs in (1, 2):
                with redis_server() as redis_url, postgres_server() as pg_url:
                    runs.append(crawl_round(sites, pg_url, redis_url, f"bench-{procs}", procs))
    one = runs[0]["seconds"]
    for r in runs:
        print(f"  {r['procs']} crawler process(es) on one round of {args.sites} sites: "
              f"{r['seconds']:6.1f} s wall, pages per process {r['pages']}, "
              f"speed-up {one / r['seconds']:.2f}×")  # fmt: skip
    return runs


if __name__ == "__main__":
    main()
