"""`make faults`: crawl a fault-injecting site (farm.faults) twice and print the figures.

Faults injected, wrong findings (a fault read as the site's own problem, or a readable
page not read: must be 0), rows lost (the earlier round's stored rows after the later
crawl: must be 0) and tracebacks shown to the user (must be 0).
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from farm.faults import FAULTS, NEWEST, FaultServer

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-06-30T10:00:00"


@dataclass
class FaultResult:
    injected: int = 0
    wrong_findings: list[str] = field(default_factory=list)
    rows_lost: int = 0
    tracebacks: int = 0

    def lines(self) -> list[str]:
        return [
            f"faults injected: {self.injected}",
            f"wrong findings: {len(self.wrong_findings)}",
            *(f"  {w}" for w in self.wrong_findings),
            f"rows lost: {self.rows_lost}",
            f"tracebacks shown to user: {self.tracebacks}",
        ]

    @property
    def ok(self) -> bool:
        return not self.wrong_findings and not self.rows_lost and not self.tracebacks


def _crawl(sites: Path, db: Path, round_name: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "cli", "crawl", "--sites", str(sites), "--db", f"sqlite:///{db}",
         "--now", NOW, "--round", round_name,
         "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=1", "-s", "GOVSPIDER_RENDER=False"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return result.stdout + result.stderr


def _round_rows(db: Path, round_name: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT s.site_id, s.status, c.name, c.status, c.error, c.newest_date, c.blank"
            " FROM site_snapshot s LEFT JOIN column_snapshot c ON c.snapshot_id = s.id"
            " WHERE s.round = ? ORDER BY s.site_id, c.name",
            (round_name,),
        ).fetchall()


def _wrong(rows: list[tuple]) -> list[str]:
    expected = {name: (fault, want) for name, fault, want in FAULTS.values()}
    wrong = []
    seen = set()
    for site_id, site_status, name, status, error, newest, blank in rows:
        if site_id == "hang":
            if site_status != "failed":
                wrong.append(f"hang: 首页不应答却为 {site_status}")
            continue
        if name not in expected:
            continue
        seen.add(name)
        fault, want = expected[name]
        if want == "ok" and (status != "ok" or newest != NEWEST):
            wrong.append(f"{name}({fault}): 应读出 {NEWEST},实为 {status} {newest} {error}")
        if want == "failed" and (status != "failed" or newest or blank or not error):
            wrong.append(f"{name}({fault}): 应为监测失败并有原因,实为 {status} {newest} {error}")
    wrong += [f"{n}: 没有记录" for n in expected if n not in seen]
    return wrong


def run(workdir: Path) -> FaultResult:
    result = FaultResult()
    hang = FaultServer(delay=6)  # a second site whose home page never answers
    with FaultServer(delay=6) as server, hang:
        hang_url = hang.url + "/hang/"
        sites = workdir / "sites.yaml"
        sites.write_text(
            f"- {{id: faults, name: 故障测试局, url: '{server.url}/'}}\n"
            f"- {{id: hang, name: 无应答局, url: '{hang_url}'}}\n",
            encoding="utf-8",
        )
        db = workdir / "faults.db"
        outputs = [_crawl(sites, db, "2026Q1")]
        before = _round_rows(db, "2026Q1")
        outputs.append(_crawl(sites, db, "2026Q2"))
        after = _round_rows(db, "2026Q1")
        result.injected = sum(server.injected.values()) + sum(hang.injected.values())
    result.rows_lost = len(set(before) - set(after)) + (0 if before else 1)
    result.wrong_findings = _wrong(before) + _wrong(_round_rows(db, "2026Q2"))
    result.tracebacks = sum(out.count("Traceback") for out in outputs)
    return result


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__).parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp))
    print("\n".join(result.lines()))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
