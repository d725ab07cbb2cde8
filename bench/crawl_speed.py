"""Crawl throughput: govspider's full crawl of the demo farm against a bare Scrapy spider.

The farm is replicated (each copy a separate server) so the crawl runs long enough to
measure. The bare spider fetches exactly the requests the full crawl made (GETs and the
Hanweb data POSTs), with the same concurrency settings, but parses nothing and stores
nothing: the ratio is the cost of extraction, dates, crawl state and SQL storage.
Rendering is off in both (a Chromium page is not a plain fetch to compare with).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from farm.farm import Farm, load_farm
from farm.server import FarmServer

FARM_DATE = dt.date(2026, 6, 30)


def replicated_farm(copies: int) -> Farm:
    farm = load_farm(FARM_DATE)
    sites = []
    for k in range(copies):
        for site in farm.sites:
            sites.append(
                dataclasses.replace(site, id=f"{site.id}-{k}", name=f"{site.name}{k:03d}")
                if k
                else site
            )
    return Farm(sites=sites, farm_date=farm.farm_date)


def run_spider(mode: str, arg: str, db_url: str, extra: list[str] | None = None) -> dict:
    """Run one crawl in a fresh process (further settings as K=V); return its Scrapy stats."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.spider_runner", mode, arg, db_url, *(extra or [])],
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=8, help="copies of the 14-site farm")
    args = parser.parse_args(argv)
    farm = replicated_farm(args.copies)
    with tempfile.TemporaryDirectory() as tmp, FarmServer(farm) as server:
        sites_file = server.write_site_list(Path(tmp) / "sites.yaml")
        full = run_spider("full", str(sites_file), f"sqlite:///{tmp}/bench.db")
        urls_file = Path(tmp) / "urls.txt"
        urls_file.write_text("\n".join(server.hits), encoding="utf-8")
        bare = run_spider("bare", str(urls_file), "")
    full_rate = full["response_received_count"] / full["elapsed_time_seconds"]
    bare_rate = bare["response_received_count"] / bare["elapsed_time_seconds"]
    print(f"crawl speed on the demo farm x{args.copies} ({len(farm.sites)} sites)")
    print(
        f"  govspider full crawl : {full['response_received_count']:6d} pages "
        f"in {full['elapsed_time_seconds']:6.2f} s = {full_rate:7.1f} pages/s, "
        f"peak memory {full.get('peak_rss', 0) / 2**20:.0f} MiB"
    )
    print(
        f"  bare Scrapy spider   : {bare['response_received_count']:6d} pages "
        f"in {bare['elapsed_time_seconds']:6.2f} s = {bare_rate:7.1f} pages/s, "
        f"peak memory {bare.get('peak_rss', 0) / 2**20:.0f} MiB"
    )
    print(f"  ratio full/bare      : {full_rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
