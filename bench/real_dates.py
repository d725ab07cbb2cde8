"""Detail-page dates on the real corpus (tests/fixtures/real_dates), both halves, beside
htmldate, GNE and gerapy-auto-extractor run on the same pages in the same command.

The corpus is split into a development half and a held-out half by a fixed hash of each
page's source (repository:path), see `split_of`; code is changed looking at the first half
only, and the held-out figures are the ones to report. Per subset: government pages,
yearless printed dates, pages whose printed date and `<meta>` date disagree.

    .venv/bin/python -m bench.real_dates [--misses development]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path

from govspider.detail_dates import decode_html, extract_detail_date

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "real_dates"
TODAY = dt.date(2026, 1, 5)
HALVES = ("development", "heldout")
WRAPPER_URL_RE = re.compile(rb'<text id="([^"]+)"')
_DAY_RE = re.compile(r"((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")


def split_of(repo: str, path: str, seen_before: bool = False) -> str:
    """development / heldout by the parity of sha256("repo:path"): fixed, never chosen.
    A page the project was tuned on before this corpus (`seen_before`: one of
    ../shared/real-pages or tests/fixtures/real_lists) cannot be held out."""
    if seen_before:
        return HALVES[0]
    digest = hashlib.sha256(f"{repo}:{path}".encode()).hexdigest()
    return HALVES[int(digest, 16) % 2]


def load_manifest() -> list[dict]:
    """The corpus' entries (manifest.json), each with its page bytes under `data`."""
    rows = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    for row in rows:
        row["data"] = gzip.decompress((CORPUS / "pages" / (row["file"] + ".gz")).read_bytes())
        m = WRAPPER_URL_RE.search(row["data"][:500])
        row.setdefault("url", m.group(1).decode("utf-8", "replace") if m else "")
    return rows


def _day(text: object) -> dt.date | None:
    m = _DAY_RE.search(str(text or ""))
    if not m:
        return None
    try:
        return dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        return None


def _want(row: dict) -> dt.date:
    return dt.date.fromisoformat(row["printed"])


def readers() -> dict[str, Callable[[bytes, str], dt.date | None] | None]:
    """govspider and the peers (None where a peer is not installed: `pip install -e .[bench]`)."""
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    out: dict[str, Callable[[bytes, str], dt.date | None] | None] = {
        "govspider": lambda data, url: extract_detail_date(data, TODAY, url=url).date
    }
    try:
        from htmldate import find_date

        def _htmldate(data: bytes, url: str) -> dt.date | None:
            found = find_date(
                data, url=url or None, extensive_search=True, original_date=True,
                outputformat="%Y-%m-%d", max_date=TODAY.isoformat(),
            )  # fmt: skip
            return _day(found)

        out["htmldate"] = _htmldate
    except ImportError:
        out["htmldate"] = None
    try:
        from gne import GeneralNewsExtractor

        gne = GeneralNewsExtractor()
        out["GNE"] = lambda data, url: _day(gne.extract(decode_html(data)).get("publish_time"))
    except ImportError:
        out["GNE"] = None
    try:
        from gerapy_auto_extractor import extract_datetime

        out["gerapy"] = lambda data, url: _day(extract_datetime(decode_html(data)))
    except ImportError:
        out["gerapy"] = None
    return out


SUBSETS: dict[str, Callable[[dict], bool]] = {
    "全部": lambda r: True,
    "政府网站": lambda r: r["government"],
    "无年份日期": lambda r: r["yearless"],
    "页面与meta不一致": lambda r: r["disagree"],
}


def score(rows: list[dict]) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(half, subset, reader) -> (exact days, labelled pages)."""
    run = readers()
    got: dict[tuple[str, str], dt.date | None] = {}
    for row in rows:
        for name, read in run.items():
            if read is None:
                continue
            try:
                got[row["file"], name] = read(row["data"], row["url"])
            except Exception:  # noqa: BLE001 - a peer's crash on a page is a miss
                got[row["file"], name] = None
    table: dict[tuple[str, str, str], tuple[int, int]] = {}
    for half in HALVES:
        for subset, keep in SUBSETS.items():
            chosen = [r for r in rows if r["split"] == half and keep(r)]
            for name, read in run.items():
                if read is None:
                    continue
                hits = sum(
                    got[r["file"], name] == dt.date.fromisoformat(r["printed"]) for r in chosen
                )
                table[half, subset, name] = (hits, len(chosen))
    score.got = got  # type: ignore[attr-defined]
    return table


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", choices=["development"], help="list govspider's misses")
    args = parser.parse_args(argv)
    rows = [r for r in load_manifest() if r["kind"] == "detail" and r["printed"]]
    table = score(rows)
    names = sorted({k[2] for k in table}, key=["govspider", "htmldate", "GNE", "gerapy"].index)
    missing = [n for n, r in readers().items() if r is None]
    print("真实详情页发布日期（精确到日），开发集 | 保留集：")
    print(f"{'子集':16}" + "".join(f"  {n:<28}" for n in names))
    for subset in SUBSETS:
        cells = []
        for name in names:
            parts = []
            for half in HALVES:
                hits, n = table[half, subset, name]
                parts.append(f"{hits}/{n}={hits / max(n, 1):.3f}")
            cells.append(" | ".join(parts))
        print(f"{subset:16}" + "".join(f"  {c:<28}" for c in cells))
    if missing:
        print("未安装的对照工具: " + ", ".join(missing) + "（pip install -e '.[bench]'）")
    if args.misses:
        got = score.got  # type: ignore[attr-defined]
        for r in rows:
            if r["split"] == args.misses and got[r["file"], "govspider"] != dt.date.fromisoformat(
                r["printed"]
            ):
                print(
                    "MISS", r["file"], r["printed"], "got", got[r["file"], "govspider"], r["repo"]
                )
    return table


if __name__ == "__main__":
    main()
