"""Accuracy on generated sites (farmgen): a real crawl of a few hundred random sites.

Each run draws new sites unless GOVSPIDER_SEED (or --seed) fixes the seed; the seed is
printed so that a miss can be reproduced. The crawl's snapshot goes through the real
analysis (national-2019 at the frozen time point) and is compared with the truth.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from analysis.columns import analyse_columns
from analysis.facts import load_facts
from analysis.profiles import load_profile
from bench import service_checks
from cli import exitcodes
from farmgen.server import GenServer
from farmgen.spec import BLANK, STALE, UNKNOWN_DATE
from pipelines.db import make_engine

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 6, 30)
# all sites share one host: per-domain concurrency is the whole crawl's concurrency
CRAWL_SETTINGS = [
    "CONCURRENT_REQUESTS=48",
    "CONCURRENT_REQUESTS_PER_DOMAIN=48",
    "GOVSPIDER_RENDER=False",
    "LOG_LEVEL=WARNING",
]


@dataclass
class GenResult:
    seed: int
    sites: int
    truth_cols: int = 0
    found_cols: int = 0
    matched_cols: int = 0
    judged: int = 0
    exact: int = 0
    false_blank: list[str] = field(default_factory=list)
    false_stale: list[str] = field(default_factory=list)
    noise_as_column: list[str] = field(default_factory=list)
    noise_listed: int = 0
    noise_seen: int = 0
    failed_sites: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    # online service systems (bench/service_checks.py): reported, not a target
    checks: dict = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.matched_cols / self.truth_cols if self.truth_cols else 0.0

    @property
    def precision(self) -> float:
        return self.matched_cols / self.found_cols if self.found_cols else 0.0

    @property
    def newest_exact(self) -> float:
        return self.exact / self.judged if self.judged else 0.0

    def summary(self) -> str:
        return (
            f"种子 {self.seed}, 站点 {self.sites}: 栏目召回率 {self.recall:.2%}, "
            f"精确率 {self.precision:.2%}, 最新日期完全正确率 {self.newest_exact:.2%}, "
            f"误判空白 {len(self.false_blank)}, 误判未更新 {len(self.false_stale)}, "
            f"非栏目当作栏目 {len(self.noise_as_column)}, "
            f"非栏目已记录原因 {self.noise_listed}/{self.noise_seen}, "
            f"站点监测失败 {len(self.failed_sites)}"
        )


def crawl(server: GenServer, work: Path, extra: list[str] | None = None) -> Path:
    """One real crawl of every generated site with `govspider crawl`; the SQLite file."""
    sites_file = server.write_site_list(work / "sites.yaml")
    db = work / "generated.db"
    cmd = [sys.executable, "-m", "cli", "crawl", "--sites", str(sites_file),
           "--db", f"sqlite:///{db}", "--now", f"{server.today.isoformat()}T10:00:00"]  # fmt: skip
    for setting in [*CRAWL_SETTINGS, *(extra or [])]:
        cmd += ["-s", setting]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    # INCOMPLETE: some generated site could not be crawled; the figures count those
    if result.returncode not in (exitcodes.OK, exitcodes.INCOMPLETE):
        raise RuntimeError(f"种子 {server.seed}: 抓取失败\n{result.stderr[-3000:]}")
    return db


def _non_columns(db: Path) -> dict[str, set[str]]:
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "SELECT s.site_id, n.url FROM non_column n JOIN site_snapshot s ON s.id = n.snapshot_id"
        ).fetchall()
    except sqlite3.OperationalError:  # a database from before non-columns were kept
        rows = []
    finally:
        con.close()
    out: dict[str, set[str]] = defaultdict(set)
    for site_id, url in rows:
        out[site_id].add(url)
    return out


def score(server: GenServer, db: Path) -> GenResult:
    """Compare the stored crawl, analysed at the time point, with the generator's truth."""
    truth = server.truth()
    res = GenResult(seed=server.seed, sites=len(truth))
    facts = load_facts(make_engine(f"sqlite:///{db}"))
    failed = set(facts.sites.loc[facts.sites["status"] == "failed", "site_id"])
    res.failed_sites = sorted(failed)
    cols = analyse_columns(load_profile("national-2019"), facts.columns, failed, TODAY)
    found: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in cols.to_dict("records"):
        found[row["site_id"]][row["url"]] = row
    listed = _non_columns(db)
    res.checks = service_checks.measure(db, truth, f"种子{server.seed}")
    for site_id, t in truth.items():
        got = found.get(site_id, {})
        expected = {c["url"]: c for c in t["columns"]}
        res.truth_cols += len(expected)
        res.found_cols += len(got)
        res.matched_cols += len(expected.keys() & got.keys())
        noise = {n["url"]: n for n in t["non_columns"]}
        for url in got.keys() - expected.keys():
            bucket = res.noise_as_column if url in noise else res.misses
            bucket.append(f"{site_id} 多出栏目 {got[url]['name']} {url}")
        # links inside the menu are the ones a crawler must explain
        on_site = [u for u, n in noise.items() if n["where"] == "nav"]
        res.noise_seen += len(on_site)
        res.noise_listed += sum(1 for u in on_site if u in listed.get(site_id, set()))
        for url, col in expected.items():
            row = got.get(url)
            if row is None:
                res.misses.append(f"{site_id}({t['layout']}) 未找到栏目 {col['name']} {url}")
                continue
            label = f"{site_id}({t['layout']}/{t['date_style']}) {col['name']} {url}"
            state = row["state"]
            if state == BLANK and col["expected"] != BLANK:
                res.false_blank.append(f"{label}: 应为 {col['expected']}")
            if state == STALE and col["expected"] != STALE:
                res.false_stale.append(f"{label}: 应为 {col['expected']}")
            if col["kind"] == "container" or col["blank"]:
                continue
            res.judged += 1
            newest = row["newest_date"]
            newest = newest.isoformat() if isinstance(newest, dt.date) else None
            # items with no readable date anywhere: only 监测失败 (日期未识别) is right
            undated = col["expected"] == UNKNOWN_DATE
            if undated:
                right = newest is None and row["status"] == "failed"
            else:
                right = newest == col["newest_date"] and row["status"] == "ok"
            if right:
                res.exact += 1
            else:
                res.misses.append(
                    f"{label} 最新日期 {newest}({row['status']}) 应为 {col['newest_date']}"
                )
    return res


def measure(seed: int, count: int, work: Path, extra: list[str] | None = None) -> GenResult:
    with GenServer(seed, count, TODAY) as server:
        db = crawl(server, work, extra)
        return score(server, db)


def report(res: GenResult, limit: int = 40) -> bool:
    """Print the figures and the misses; True when the targets are met."""
    print(res.summary())
    kinds = Counter(m.split(" ", 1)[0].split("(", 1)[-1].rstrip(")") for m in res.misses)
    if kinds:
        print("错误按版式/日期格式: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common(12)))
    sections = [("误判空白", res.false_blank), ("误判未更新", res.false_stale),
                ("非栏目当作栏目", res.noise_as_column), ("其他错误", res.misses)]  # fmt: skip
    for title, lines in sections:
        if lines:
            print(f"{title}({len(lines)}):")
            for line in lines[:limit]:
                print("  " + line)
    if res.checks:
        service_checks.report(res.checks)
    return meets_targets(res)


def meets_targets(res: GenResult) -> bool:
    return (
        not res.false_blank
        and not res.false_stale
        and res.recall >= 0.97
        and res.newest_exact >= 0.97
        and not res.failed_sites
    )
