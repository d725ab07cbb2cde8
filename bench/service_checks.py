"""Service checks of `make accuracy`: the online service systems (在线办事系统) the crawl
judged, against the farm's truth (each guide column's `online` kind).

Two checks, each counted as expected / found / false / missed over system URLs:

- 在线办事系统无法打开: systems that answer 404, 500 or an error page (findings);
- 在线办事系统未监测: systems that give no HTTP answer (must be 未监测, never a finding).

A system that opens (a page, a login page) must be in neither.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

UNCHECKED = "未监测:"  # govspider.spiders.online
CHECKS = {"broken": "在线办事系统无法打开", "unchecked": "在线办事系统未监测"}


@dataclass
class CheckTally:
    expected: int = 0
    found: int = 0
    false: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def add(self, other: CheckTally) -> None:
        self.expected += other.expected
        self.found += other.found
        self.false += other.false
        self.missed += other.missed


def stored_online(db: Path) -> dict[tuple[str, str], str]:
    """(site id, system URL) -> broken | unchecked | open, as the crawl recorded it."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT s.site_id, p.context, p.note FROM page_finding p"
        " JOIN site_snapshot s ON s.id = p.snapshot_id WHERE p.kind = 'online'"
    ).fetchall()
    con.close()
    out = {}
    for site_id, url, note in rows:
        note = note or ""
        out[(site_id, url)] = (
            "unchecked" if note.startswith(UNCHECKED) else "broken" if note else "open"
        )
    return out


def measure(db: Path, truth: dict, label: str) -> dict[str, CheckTally]:
    """Per check: expected, found, false and missed systems of one crawl."""
    stored = stored_online(db)
    tallies = {name: CheckTally() for name in CHECKS}
    for site_id, t in truth.items():
        if t.get("home_failed"):
            continue
        for system in t.get("online_systems", []):
            state = "broken" if system["broken"] else "unchecked" if system["unchecked"] else ""
            if state:
                tallies[state].expected += 1
            got = stored.get((site_id, system["url"]))
            if got is None and state:
                tallies[state].missed.append(f"{label} {site_id} 未检查 {system['url']}")
    for (site_id, url), got in stored.items():
        if got == "open":
            continue
        tally = tallies[got]
        tally.found += 1
        systems = truth.get(site_id, {}).get("online_systems", [])
        want = next((s for s in systems if s["url"] == url), None)
        right = want is not None and (want["broken"] if got == "broken" else want["unchecked"])
        if not right:
            tally.false.append(f"{label} {site_id} {CHECKS[got]}误报 {url}")
    for name, tally in tallies.items():
        for site_id, t in truth.items():
            for s in t.get("online_systems", []):
                should = s["broken"] if name == "broken" else s["unchecked"]
                got = stored.get((site_id, s["url"]))
                if should and got is not None and got != name:
                    tally.missed.append(f"{label} {site_id} {CHECKS[name]}漏报 {s['url']}: {got}")
    return tallies


def report(tallies: dict[str, CheckTally]) -> bool:
    """Print one line per check; True when nothing is false or missed."""
    print(f"{'检查项':16} {'应有':>5} {'发现':>5} {'误报':>5} {'漏报':>5}")
    ok = True
    for name, t in tallies.items():
        counts = f"{t.expected:>5} {t.found:>5} {len(t.false):>5} {len(t.missed):>5}"
        print(f"{CHECKS[name]:16} {counts}")
        for line in t.false + t.missed:
            print("  " + line)
        ok &= not t.false and not t.missed
    return ok
