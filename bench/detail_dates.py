"""Benchmark: detail-page dates on the real-pages sample, and list-date parsing speed.

Prints per-page results, the exact-match rate on pages with a day-level gold date, and
the time per call of parse_date / find_date, beside htmldate's rate on the same pages.
Run: .venv/bin/python -m bench.detail_dates
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import sys
import time
import timeit
from pathlib import Path

from govspider.dates import find_date, parse_date
from govspider.detail_dates import extract_detail_date


def shared_dir() -> Path:
    """$GOVSPIDER_SHARED, else the nearest shared/ beside the repo or one of its parents
    (the repo is cloned next to shared/, worktrees sit one level deeper)."""
    if os.environ.get("GOVSPIDER_SHARED"):
        return Path(os.environ["GOVSPIDER_SHARED"])
    parents = Path(__file__).resolve().parents[1:]
    found = (p / "shared" for p in parents if (p / "shared" / "real-pages").is_dir())
    return next(found, Path(__file__).resolve().parents[2] / "shared")


PAGES = shared_dir() / "real-pages"
TODAY = dt.date(2026, 1, 5)
GOLD_DAY_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\b")
# The dataset wraps each page in <text id="URL" ...>; the URL is the page's address.
WRAPPER_URL_RE = re.compile(rb'<text id="([^"]+)"')


def gold_day(value: str) -> dt.date | None:
    """Day-level gold date, or None for UNKNOWN / month-only / mislabelled entries."""
    m = GOLD_DAY_RE.match(value)
    return dt.date(*(int(g) for g in m.groups())) if m else None


def htmldate_reader():  # noqa: ANN201 - a function, or None when htmldate is missing
    """htmldate (the bench extra) as a peer: extensive search, original date, day level."""
    try:
        from htmldate import find_date as htmldate_find
    except ImportError:
        return None
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)

    def read(data: bytes, url: str) -> dt.date | None:
        try:
            found = htmldate_find(
                data, url=url or None, extensive_search=True, original_date=True,
                outputformat="%Y-%m-%d", max_date=TODAY.isoformat(),
            )  # fmt: skip
        except Exception:  # noqa: BLE001 - a peer's crash on a page is a miss
            return None
        return dt.date.fromisoformat(found) if found else None

    return read


def run_pages() -> None:
    gold = json.loads((PAGES / "gold.json").read_text(encoding="utf-8"))
    peer = htmldate_reader()
    hits = peer_hits = total = 0
    for path in sorted((PAGES / "original").glob("*.html")):
        data = path.read_bytes()
        m = WRAPPER_URL_RE.search(data[:500])
        url = m.group(1).decode("utf-8", "replace") if m else ""
        t0 = time.perf_counter()
        got = extract_detail_date(data, TODAY, url=url)
        ms = (time.perf_counter() - t0) * 1000
        theirs = peer(data, url) if peer else None
        label = gold.get(path.stem, {}).get("articleBody", "?")
        want = gold_day(label)
        if want is not None:
            total += 1
            hits += got.date == want
            peer_hits += theirs == want
            verdict = "OK  " if got.date == want else "MISS"
        else:
            verdict = "----"
        print(
            f"{verdict} {path.stem[:8]} gold={label!r:24} got={got.date} "
            f"src={got.source or '-':5} raw={got.raw[:40]!r} {ms:.1f}ms htmldate={theirs}"
        )
    print(f"\nexact-match rate (day-dated pages): {hits}/{total} = {hits / max(total, 1):.3f}")
    if peer is None:
        print("htmldate: not installed (pip install -e '.[bench]')")
    else:
        print(f"htmldate on the same pages: {peer_hits}/{total} = {peer_hits / max(total, 1):.3f}")


def run_timing(n: int = 100_000) -> None:
    cases = {
        "parse_date('2019-05-20')": lambda: parse_date("2019-05-20", TODAY),
        "parse_date('[05-20]')": lambda: parse_date("[05-20]", TODAY),
        "parse_date('2019年5月20日')": lambda: parse_date("2019年5月20日", TODAY),
        "find_date(title + date)": lambda: find_date(
            "关于印发2025年全市政务公开工作要点的通知 2025-03-12", TODAY
        ),
        "find_date(title, no date)": lambda: find_date("关于印发2025年工作计划的通知", TODAY),
    }
    for name, fn in cases.items():
        seconds = timeit.timeit(fn, number=n)
        print(f"{name:36} {seconds / n * 1e6:6.2f} µs/call over {n} calls")


def main(argv: list[str] | None = None) -> None:
    """Accuracy on ../shared/real-pages, then per-call timings (argv: number of calls)."""
    argv = sys.argv[1:] if argv is None else argv
    if not PAGES.is_dir():
        print(f"real-pages not found at {PAGES}: accuracy skipped")
    else:
        run_pages()
        print()
    run_timing(int(argv[0]) if argv else 100_000)


if __name__ == "__main__":
    main()
