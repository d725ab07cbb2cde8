"""How the workbook grows with the sites: write_workbook over N sites × 60 columns.

    python -m bench.workbook_scale --sites 1000 10000

Ten template sites (scored once from a real SQLite store) are repeated under new ids up to
N sites, so only the writing is measured. Prints seconds, seconds per 1,000 sites and
peak RSS per size; a linear writer keeps the per-1,000 figure flat.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.report import Report, build_report
from exports.workbook import write_workbook
from govspider.items import Column, Entry, SiteSnapshot
from pipelines.db import make_engine, save_snapshot

AS_OF = dt.date(2026, 12, 1)
NAMES = ["工作动态", "通知公告", "政策解读", "人事信息", "办事服务", "领导信箱", "机构职能"]


def template(tmp: Path) -> Report:
    engine = make_engine(f"sqlite:///{tmp / 'bench.db'}")
    for s in range(10):
        columns = []
        for c in range(60):
            age = (s * 7 + c * 3) % 400
            day = AS_OF - dt.timedelta(days=age)
            entries = [] if (s + c) % 17 == 0 else [Entry(f"条目{c}", f"http://s{s}/c{c}/1", day)]
            columns.append(Column(f"{NAMES[c % len(NAMES)]}{c}", f"http://s{s}/c{c}/",
                                  entries=entries, blank=not entries))  # fmt: skip
        home = [
            Entry(f"首页{i}", f"http://s{s}/h{i}", AS_OF - dt.timedelta(days=i * s))
            for i in range(12)
        ]
        save_snapshot(engine, SiteSnapshot(f"s{s}", f"单位{s}", f"http://s{s}/", group="市直部门",
                                           round="2026Q4", crawled_at=dt.datetime(2026, 12, 1, 9),
                                           home_entries=home, columns=columns))  # fmt: skip
    report = build_report(engine, AS_OF)
    engine.dispose()
    return report


def tiled(base: Report, n: int) -> Report:
    """The template's frames repeated under new site ids and names up to n sites."""
    reps = -(-n // len(base.sites))

    def tile(frame: pd.DataFrame) -> pd.DataFrame:
        if frame is None or frame.empty or "site_id" not in frame:
            return frame
        parts = []
        for r in range(reps):
            part = frame.copy()
            part["site_id"] = part["site_id"] + f"_{r}"
            if "site_name" in part:
                part["site_name"] = part["site_name"] + f"{r}"
            parts.append(part)
        out = pd.concat(parts, ignore_index=True)
        keep = set(out.drop_duplicates("site_id")["site_id"].head(n))
        return out[out["site_id"].isin(keep)].reset_index(drop=True)

    return dataclasses.replace(base, sites=tile(base.sites), columns=tile(base.columns),
                               findings=tile(base.findings), links=tile(base.links),
                               rectification=tile(base.rectification), rerun=[])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        base = template(Path(tmp))
        for n in args.sites:
            report = tiled(base, n)
            started = time.perf_counter()
            path = write_workbook(report, Path(tmp) / f"wb-{n}.xlsx")
            took = time.perf_counter() - started
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            size = path.stat().st_size / 2**20
            print(f"sites {n}: columns {len(report.columns)}, findings {len(report.findings)}, "
                  f"write_workbook {took:.1f} s ({took / n * 1000:.1f} s per 1,000 sites), "
                  f"{size:.1f} MiB, peak RSS {rss:.0f} MiB", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
