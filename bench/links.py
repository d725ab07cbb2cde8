"""Link checking measured against a peer: govspider's checker and LinkChecker on the link farm.

Both check the same site (home page, 20 column pages, over 2,000 distinct links and
images) with the same timeout and a similar politeness (LinkChecker: 10 threads, its
per-host throttle lifted through its own `LinkChecker` response header; govspider: 8
requests per host). govspider's time includes its crawl of the site, since LinkChecker
crawls too. Printed: broken links planted, found by each, false positives, misses, time.

`python -m bench.links [--timeout S] [--recheck-delay S] [--columns N] [--items N]`
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from farm.linksite import LinkSite
from govspider.linkcheck.checker import CheckConfig
from govspider.linkcheck.rounds import run_round
from pipelines.check_models import LinkCheckRow, LinkCheckRunRow
from pipelines.db import make_engine

VENV_BIN = Path(sys.executable).parent


def norm(url: str) -> str:
    """Compare URLs the way both tools may write them (host case, empty path)."""
    p = urlsplit(url.strip())
    return urlunsplit((p.scheme.lower(), p.netloc.lower(), p.path or "/", p.query, ""))


def run_govspider(site: LinkSite, work: Path, timeout: float, recheck_delay: float) -> dict:
    db = f"sqlite:///{work / 'links.db'}"
    sites = site.write_site_list(work / "sites.yaml")
    started = time.monotonic()
    crawl = subprocess.run(
        [str(VENV_BIN / "govspider"), "crawl", "--sites", str(sites), "--db", db],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if crawl.returncode != 0:
        raise RuntimeError(f"crawl failed: {crawl.stderr[-2000:]}")
    crawled = time.monotonic()
    engine = make_engine(db)
    config = CheckConfig(
        timeout=timeout, recheck_delay=recheck_delay, hosts=site.hosts, ca_file=site.ca_file
    )
    run_round(engine, config)
    finished = time.monotonic()
    with Session(engine) as session:
        rows = session.scalars(select(LinkCheckRow)).all()
        run = session.scalars(select(LinkCheckRunRow)).one()
        found = {norm(r.url) for r in rows if r.verdict == "confirmed"}
        home = {norm(r.url) for r in rows if r.verdict == "confirmed" and r.on_home}
        urls = run.urls
    engine.dispose()
    return {
        "found": found, "home": home, "urls": urls, "time": finished - started,
        "crawl_time": crawled - started, "check_time": finished - crawled,
    }  # fmt: skip


def run_linkchecker(site: LinkSite, work: Path, timeout: float, unthrottled: bool) -> dict:
    exe = shutil.which("linkchecker", path=str(VENV_BIN)) or shutil.which("linkchecker")
    if not exe:
        raise FileNotFoundError("linkchecker 未安装: pip install linkchecker")
    # LinkChecker drops root privileges to `nobody`: its files must be world-readable
    shared = Path(tempfile.mkdtemp(prefix="lc-"))
    shared.chmod(0o755)
    ca = shared / "ca.pem"
    shutil.copy(site.ca_file, ca)
    ca.chmod(0o644)
    config = shared / "linkcheckerrc"
    # as shipped, LinkChecker sends at most 10 requests a second to a host; lifting that
    # needs a response header of its own, which the link farm sends only when asked
    site.unthrottle_linkchecker = unthrottled
    rate = "maxrequestspersecond=1000\n" if unthrottled else ""
    config.write_text(
        f"[checking]\nthreads=10\n{rate}"
        f"timeout={int(timeout)}\nsslverify={ca}\n[filtering]\ncheckextern=1\n"
    )
    config.chmod(0o644)
    started = time.monotonic()
    proc = subprocess.run(
        [exe, "-f", str(config), "-o", "csv", "-v", "--no-status", "--check-extern", site.home_url],
        capture_output=True, text=True, check=False, cwd=shared,
    )  # fmt: skip
    took = time.monotonic() - started
    shutil.rmtree(shared, ignore_errors=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln and not ln.startswith("#")]
    found, checked = set(), set()
    for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"):
        # the link as written on its page (`url` is where redirects ended)
        url = urljoin(row.get("parentname") or site.home_url, row.get("urlname") or "")
        if not url.startswith(("http://", "https://")):
            continue
        checked.add(norm(url))
        if row.get("valid", "").strip().lower() in ("false", "0"):
            found.add(norm(url))
    return {"found": found, "urls": len(checked), "time": took, "stderr": proc.stderr[-500:]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.links", description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=5.0, help="both checkers (seconds)")
    parser.add_argument("--recheck-delay", type=float, default=2.0)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-links-"))
    try:
        with LinkSite(columns=args.columns, items=args.items, hang=3 * args.timeout) as site:
            expected = {norm(u) for u in site.planted_urls()}
            ours = run_govspider(site, work, args.timeout, args.recheck_delay)
            # the 429 / 503 / timeout-once traps must greet LinkChecker as they greeted us
            site.reset()
            theirs = run_linkchecker(site, work, args.timeout, unthrottled=False)
            site.reset()
            fast = run_linkchecker(site, work, args.timeout, unthrottled=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = []
    peers = (("govspider", ours), ("LinkChecker", theirs), ("LinkChecker*", fast))
    for name, res in peers:
        found = res["found"]
        rows.append({
            "checker": name, "expected": len(expected), "found": len(found),
            "false_positives": sorted(found - expected), "misses": sorted(expected - found),
            "links": res["urls"], "seconds": round(res["time"], 1),
        })  # fmt: skip
    speedup = theirs["time"] / ours["time"] if ours["time"] else float("inf")
    print(f"链接检查对比 (同一站点; 超时 {args.timeout:g} 秒; 复查等待 {args.recheck_delay:g} 秒)")
    print(
        f"{'':12} {'应发现':>6} {'发现':>6} {'误报':>6} {'漏报':>6} {'链接数':>7} {'用时(秒)':>9}"
    )
    for r in rows:
        print(
            f"{r['checker']:12} {r['expected']:>6} {r['found']:>6} {len(r['false_positives']):>6}"
            f" {len(r['misses']):>6} {r['links']:>7} {r['seconds']:>9}"
        )
    fast_speedup = fast["time"] / ours["time"] if ours["time"] else float("inf")
    print(
        f"govspider 用时含抓取 {ours['crawl_time']:.1f} 秒 + 检查 {ours['check_time']:.1f} 秒; "
        f"LinkChecker / govspider = {speedup:.1f} 倍 (默认每主机每秒10次); "
        f"LinkChecker* / govspider = {fast_speedup:.1f} 倍 (*解除限速)"
    )
    for r in rows:
        for label, key in (("误报", "false_positives"), ("漏报", "misses")):
            for url in r[key]:
                print(f"  {r['checker']} {label}: {url}")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    ok = not rows[0]["false_positives"] and not rows[0]["misses"] and speedup >= 3
    print("目标 (0 误报, 0 漏报, 至少快 3 倍):", "达到" if ok else "未达到")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
