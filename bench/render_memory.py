"""Memory over a long rendered crawl: does it stay flat as Chromium renders page after page?

Serves many copies of the farm's JavaScript site (its news list is built by a script, so
every copy needs one Chromium render) and samples the resident memory of the crawler
process and of its Chromium/Playwright children while the crawl runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from farm.farm import Farm, load_farm
from farm.server import FarmServer

FARM_DATE = dt.date(2026, 6, 30)
JS_SITE = "culture"


def js_farm(copies: int) -> Farm:
    """The farm (its pages link to each other) plus copies of the JavaScript site."""
    farm = load_farm(FARM_DATE)
    site = farm.site(JS_SITE)
    extra = [
        dataclasses.replace(site, id=f"{site.id}-{k}", name=f"{site.name}{k:03d}")
        for k in range(1, copies)
    ]
    return Farm(sites=farm.sites + extra, farm_date=FARM_DATE)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _pss_mib(pid: int) -> float:
    """Proportional set size: shared pages split among the processes sharing them, so
    Chromium's many processes are not counted several times over."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sample(root: int) -> tuple[float, float]:
    """(crawler MiB, browser MiB) as PSS: the crawler process, and all its descendants."""
    tree, todo, browser = _children(), list(_children().get(root, [])), 0.0
    while todo:
        pid = todo.pop()
        browser += _pss_mib(pid)
        todo.extend(tree.get(pid, []))
    return _pss_mib(root), browser


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=60, help="copies of the JavaScript site")
    args = parser.parse_args(argv)
    farm = js_farm(args.copies)
    samples: list[tuple[float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp, FarmServer(farm) as server:
        sites_file = server.write_site_list(Path(tmp) / "sites.yaml")
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "crawl", "--sites", str(sites_file),
             "--db", f"sqlite:///{tmp}/m.db", "--now", f"{FARM_DATE}T10:00:00",
             "-s", "GOVSPIDER_PROGRESS_INTERVAL=0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        while proc.poll() is None:
            samples.append((time.monotonic() - started, *sample(proc.pid)))
            time.sleep(0.5)
        summary = proc.stdout.read().strip().splitlines()
        rendered = sum(n for url, n in server.hits.items() if url.endswith("[browser]"))
    took = time.monotonic() - started
    print(
        f"rendered crawl: {len(farm.sites)} sites, {rendered} pages rendered by Chromium, "
        f"{took:.1f} s"
    )
    print(f"  {summary[0] if summary else '(no summary)'}")
    busy = [s for s in samples if s[2] > 0] or samples
    if not busy:
        print("  no samples")
        return
    print("  elapsed   crawler MiB   Chromium+driver MiB   (PSS)")
    for frac in (0.1, 0.25, 0.5, 0.75, 0.95):
        t, crawler, browser = busy[min(len(busy) - 1, int(len(busy) * frac))]
        print(f"  {t:6.1f}s   {crawler:10.0f}   {browser:12.0f}")
    peak_c = max(s[1] for s in busy)
    peak_b = max(s[2] for s in busy)
    print(f"  peak: crawler {peak_c:.0f} MiB, Chromium+driver {peak_b:.0f} MiB")


if __name__ == "__main__":
    main()
