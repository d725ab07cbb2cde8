"""`make accuracy`: crawl the labelled corpus (the demo farm) and measure extraction.

The farm's sites carry a CMS family label (trs, hanweb, gkml, generic) and hand-made
ground truth. Each farm date is served on loopback and crawled by the real spider in its
own process (`govspider crawl`, Chromium for script-built lists); the stored snapshot is
compared with the truth:

- column recall / precision: truth column URLs found / found column URLs in the truth;
- newest date exact: columns with items whose newest date is exactly the true one (a
  column whose items show no date anywhere must come out with none);
- blank precision / recall: columns reported blank that are blank / blank ones reported;
- service checks (bench/service_checks.py): online service systems that do not open and
  those that gave no answer (未监测), as expected / found / false / missed.

Sites whose home page fails are left out of the column figures (their columns cannot be
reached) but must come out 监测失败. Exits 1 when a target is missed.

    .venv/bin/python -m bench.accuracy [--dates 2026-06-30,2027-01-04] [--keep DIR] [-s K=V]
        [--generated 300] [--seed N] [--real]

Real detail pages (bench/real_dates.py: both halves of tests/fixtures/real_dates beside
htmldate, GNE and gerapy-auto-extractor) and real saved government list pages labelled by
hand (bench/real_lists.py):
their figures are printed first on every run; ``--real`` prints only those.

A second corpus is drawn by farmgen (bench/generated.py): --generated random sites from
--seed (default $GOVSPIDER_SEED, else random; the seed is printed to reproduce a miss).

``-s GOVSPIDER_RENDER=False`` or ``-s GOVSPIDER_LIST_PAGES=0`` shows what each part is worth.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench import generated, real_dates, real_lists, service_checks
from cli import exitcodes
from farm.farm import load_farm
from farm.server import FarmServer
from farmgen.server import seed_from_env

ROOT = Path(__file__).resolve().parents[1]
# one summer date and one just after New Year (year-less list dates must resolve back)
DEFAULT_DATES = "2026-06-30,2027-01-04"
TARGETS = {
    "column_recall": 0.97,
    "column_precision": 0.97,
    "newest_exact": 0.97,
    "blank_precision": 0.99,
}
LABELS = {
    "column_recall": "栏目召回率",
    "column_precision": "栏目精确率",
    "newest_exact": "最新日期完全正确率",
    "blank_precision": "空白栏目精确率",
    "blank_recall": "空白栏目召回率",
}


@dataclass
class Tally:
    """Counts behind the figures of one family (or of all)."""

    truth_cols: int = 0
    found_cols: int = 0
    matched_cols: int = 0
    dated_cols: int = 0
    exact_dates: int = 0
    truth_blank: int = 0
    said_blank: int = 0
    right_blank: int = 0
    sites: set[str] = field(default_factory=set)
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("truth_cols", "found_cols", "matched_cols", "dated_cols", "exact_dates",
                     "truth_blank", "said_blank", "right_blank"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.sites |= other.sites
        self.misses += other.misses

    def figures(self) -> dict[str, float | None]:
        def ratio(a: int, b: int) -> float | None:
            return a / b if b else None

        return {
            "column_recall": ratio(self.matched_cols, self.truth_cols),
            "column_precision": ratio(self.matched_cols, self.found_cols),
            "newest_exact": ratio(self.exact_dates, self.dated_cols),
            "blank_precision": ratio(self.right_blank, self.said_blank),
            "blank_recall": ratio(self.right_blank, self.truth_blank),
        }


def crawl(server: FarmServer, farm_date: dt.date, work: Path, settings: list[str]) -> Path:
    """Crawl every farm site once with `govspider crawl`; return the SQLite file."""
    sites_file = server.write_site_list(work / "sites.yaml")
    db = work / "accuracy.db"
    now = f"{farm_date.isoformat()}T10:00:00"
    cmd = [sys.executable, "-m", "cli", "crawl", "--sites", str(sites_file),
           "--db", f"sqlite:///{db}", "--now", now]  # fmt: skip
    for setting in settings:
        cmd += ["-s", setting]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    # INCOMPLETE is expected: the farm has a site whose home page fails, and whether the
    # right sites failed is what the figures below check
    if result.returncode not in (exitcodes.OK, exitcodes.INCOMPLETE):
        raise SystemExit(f"crawl failed:\n{result.stderr[-3000:]}")
    return db


def stored(db: Path) -> tuple[dict[str, dict], dict[str, dict[str, dict]]]:
    """Site rows by site id, and their column rows by URL."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    sites = {r["site_id"]: dict(r) for r in con.execute("SELECT * FROM site_snapshot")}
    columns: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in con.execute(
        "SELECT s.site_id, c.* FROM column_snapshot c JOIN site_snapshot s ON s.id = c.snapshot_id"
    ):
        columns[r["site_id"]][r["url"]] = dict(r)
    con.close()
    return sites, columns


def score_site(site_id: str, truth: dict, found: dict[str, dict], label: str) -> Tally:
    tally = Tally(sites={site_id})
    expected = {c["url"]: c for c in truth["columns"]}
    tally.truth_cols = len(expected)
    tally.found_cols = len(found)
    tally.matched_cols = len(expected.keys() & found.keys())
    tally.misses += [f"{label} 未找到栏目 {c['name']} {u}" for u, c in expected.items()
                     if u not in found]  # fmt: skip
    tally.misses += [f"{label} 多出栏目 {r['name']} {u}" for u, r in found.items()
                     if u not in expected]  # fmt: skip
    for url, col in expected.items():
        row = found.get(url)
        said_blank = bool(row and row["blank"] and row["status"] == "ok")
        tally.truth_blank += col["blank"]
        tally.said_blank += said_blank
        tally.right_blank += said_blank and col["blank"]
        if said_blank != col["blank"] and row:
            tally.misses.append(f"{label} 空白判断错误 {col['name']}: {said_blank}")
        if col.get("undated") and row and row["status"] != "failed":
            tally.misses.append(f"{label} 无日期栏目应为监测失败 {col['name']}: {row['status']}")
        if col["failed"] or col["container"] or col["blank"] or col.get("undated"):
            continue
        tally.dated_cols += 1
        got = row["newest_date"] if row else None
        if row and got == col["newest_date"] and row["status"] == "ok":
            tally.exact_dates += 1
        else:
            tally.misses.append(
                f"{label} 最新日期错误 {col['name']}: {got} 应为 {col['newest_date']}"
            )
    return tally


def measure(
    farm_date: dt.date, keep: Path | None, settings: list[str]
) -> tuple[dict[str, Tally], list[str], dict[str, service_checks.CheckTally]]:
    """Per-family tallies for one farm date, site-level problems (监测失败 checks) and the
    service checks' tallies."""
    work = keep or Path(tempfile.mkdtemp(prefix="govspider-accuracy-"))
    work.mkdir(parents=True, exist_ok=True)
    with FarmServer(load_farm(farm_date)) as server:
        db = crawl(server, farm_date, work, settings)
        truth = server.truth()
    sites, columns = stored(db)
    checks = service_checks.measure(db, truth, str(farm_date))
    tallies: dict[str, Tally] = defaultdict(Tally)
    problems = []
    for site_id, t in truth.items():
        row = sites.get(site_id)
        if t["home_failed"]:
            if not row or row["status"] != "failed":
                problems.append(f"{farm_date} {site_id}: 首页失败却未报监测失败")
            continue
        label = f"{farm_date} {site_id}"
        tallies[t["family"]].add(score_site(site_id, t, columns.get(site_id, {}), label))
    return tallies, problems, checks


def pct(value: float | None) -> str:
    return "   —  " if value is None else f"{value * 100:6.2f}%"


def report(tallies: dict[str, Tally]) -> bool:
    """Print the table; True when every target is met overall and in every family."""
    overall = Tally()
    for t in tallies.values():
        overall.add(t)
    keys = list(LABELS)
    short = ["col recall", "col precision", "newest exact", "blank precision", "blank recall"]
    print(f"{'family':10} {'sites':>5} {'cols':>5} " + " ".join(f"{h:>16}" for h in short))
    ok = True
    for name, t in [*sorted(tallies.items()), ("overall", overall)]:
        figs = t.figures()
        cells = []
        for k in keys:
            miss = k in TARGETS and figs[k] is not None and figs[k] < TARGETS[k]
            ok &= not miss
            cells.append(f"{pct(figs[k]):>15}{'!' if miss else ' '}")
        print(f"{name:10} {len(t.sites):>5} {t.truth_cols:>5} " + " ".join(cells))
    print("\n目标: " + ", ".join(f"{LABELS[k]} ≥ {v:.0%}" for k, v in TARGETS.items()))
    for k, v in TARGETS.items():
        got = overall.figures()[k]
        print(
            f"  {LABELS[k]:12} {pct(got)}  目标 {v:.0%}  {'达标' if got and got >= v else '未达标'}"
        )
    if overall.misses:
        print("\n错误明细:")
        for line in overall.misses:
            print("  " + line)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__)
    parser.add_argument("--dates", default=DEFAULT_DATES, help="farm dates, comma-separated")
    parser.add_argument("--keep", type=Path, help="keep the crawl databases under this folder")
    parser.add_argument("-s", "--set", action="append", default=[], help="Scrapy setting KEY=VALUE")
    parser.add_argument("--generated", type=int, default=300,
                        help="generated sites to crawl as well (0: none), default 300")  # fmt: skip
    parser.add_argument(
        "--seed", type=int, help="generator seed (default $GOVSPIDER_SEED or random)"
    )
    parser.add_argument("--real", action="store_true", help="only the real saved pages")
    args = parser.parse_args(argv)
    real_dates.main([])
    print()
    real_lists.report(real_lists.score())
    print()
    if args.real:
        return 0
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "govspider.settings")
    generated_ok = True
    if args.generated:
        seed = args.seed if args.seed is not None else seed_from_env()
        print(f"语料: 生成站点 {args.generated} 个, 种子 {seed} (复现: GOVSPIDER_SEED={seed})")
        work = args.keep / "generated" if args.keep else Path(tempfile.mkdtemp(prefix="gen-"))
        work.mkdir(parents=True, exist_ok=True)
        generated_ok = generated.report(generated.measure(seed, args.generated, work, args.set))
        print()
    tallies: dict[str, Tally] = defaultdict(Tally)
    problems: list[str] = []
    checks = {name: service_checks.CheckTally() for name in service_checks.CHECKS}
    for text in args.dates.split(","):
        farm_date = dt.date.fromisoformat(text.strip())
        keep = args.keep / text.strip() if args.keep else None
        per_family, site_problems, per_check = measure(farm_date, keep, args.set)
        for family, t in per_family.items():
            tallies[family].add(t)
        for name, c in per_check.items():
            checks[name].add(c)
        problems += site_problems
    print(f"语料: 演示站群, 监测时点 {args.dates}; 每个日期一次真实抓取\n")
    ok = report(tallies)
    for line in problems:
        print("  " + line)
    print()
    ok = service_checks.report(checks) and ok
    ok = ok and not problems and generated_ok
    print("\n结果: " + ("全部目标达成" if ok else "有目标未达成"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
