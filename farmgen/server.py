"""Serve generated sites on 127.0.0.1: one threaded server, each site under its own prefix.

``python -m farmgen.server [--seed N] [--sites 300] [--date D] [--out sites.yaml]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from farmgen.markup import col_href, href
from farmgen.pages import ONLINE_ANSWERS, content_type, detail, online_path, site_pages
from farmgen.spec import GenSite, generate


def seed_from_env() -> int:
    """GOVSPIDER_SEED when set, else a fresh random seed (printed by the callers)."""
    text = os.environ.get("GOVSPIDER_SEED", "").strip()
    return int(text) if text else random.SystemRandom().randrange(1, 10**6)


class _Handler(BaseHTTPRequestHandler):
    server: _GenHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        status, ctype, body = self.server.owner.answer(self.path)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: no request log on stderr."""


class _GenHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: GenServer


class GenServer:
    """Context manager serving ``count`` sites generated from ``seed`` at ``today``."""

    def __init__(self, seed: int, count: int, today: dt.date):
        self.seed, self.today = seed, today
        self.sites = generate(seed, count, today)
        self._pages: dict[str, tuple[GenSite, dict[str, bytes], dict[str, tuple]]] = {}
        for site in self.sites:
            pages, details = site_pages(site, today)
            self._pages[site.id] = (site, pages, details)
        self.requests = 0

    def __enter__(self) -> GenServer:
        self._http = _GenHTTPServer(("127.0.0.1", 0), _Handler)
        self._http.owner = self
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=5)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    def answer(self, raw_path: str) -> tuple[int, str, bytes]:
        self.requests += 1
        path = urlsplit(raw_path).path
        site_id, _, rest = path.lstrip("/").partition("/")
        if site_id not in self._pages:
            return 404, "text/html", b"<html><body>404 Not Found</body></html>"
        site, pages, details = self._pages[site_id]
        rest = rest or "index.html"
        if rest in pages:
            return 200, content_type(site, rest), pages[rest]
        if rest.startswith("wsbs/"):  # a 办事指南 column's online system
            col = next((c for c in site.all_columns() if c.online and online_path(c) == rest), None)
            if col is not None and col.online in ONLINE_ANSWERS:
                status, text = ONLINE_ANSWERS[col.online]
                return status, "text/html; charset=utf-8", text.encode("utf-8")
        if rest in details:
            body = detail(site, *details[rest]).encode(site.encoding, "replace")
            return 200, content_type(site, rest), body
        if rest.endswith((".pdf", ".doc", ".xml")):
            return 200, content_type(site, rest), b"%PDF-1.4 file"
        return 404, "text/html", b"<html><body>404 Not Found</body></html>"

    def url(self, site: GenSite, path: str) -> str:
        link = href(site, path)
        return link if ":" in link else self.base + link

    def site_rows(self) -> list[dict]:
        return [
            {"id": s.id, "name": s.name, "url": f"{self.base}/{s.id}/", "group": s.layout}
            for s in self.sites
        ]

    def write_site_list(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump({"sites": self.site_rows()}, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    def truth(self) -> dict[str, dict]:
        """Per site id: its real columns with kind, blank, newest date and expected status,
        and the navigation links that are not columns, with why."""
        out = {}
        for site in self.sites:
            columns = [
                {
                    "name": c.name,
                    "url": self.base + col_href(site, c),
                    "kind": "container" if c.kind == "channel" else c.kind,
                    "blank": c.blank,
                    "newest_date": c.newest.isoformat() if c.newest else None,
                    "expected": None if c.kind == "channel" else c.expected(self.today),
                }
                for c in site.all_columns()
            ]
            noise = [
                {
                    "text": n.text,
                    "url": self.url(site, n.href),
                    "reason": n.reason,
                    "where": n.where,
                }  # fmt: skip
                for n in site.noise
            ]
            out[site.id] = {
                "online_systems": [
                    {
                        "column": c.name,
                        "url": self.url(site, online_path(c)),
                        "kind": c.online,
                        "broken": c.online in ("missing", "error", "page"),
                        "unchecked": c.online == "down",
                    }
                    for c in site.all_columns()
                    if c.online
                ],
                "name": site.name,
                "layout": site.layout,
                "date_style": site.date_style,
                "encoding": site.encoding,
                "columns": columns,
                "non_columns": noise,
            }
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m farmgen.server", description=__doc__)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--out", type=Path, help="write the site list YAML here")
    parser.add_argument("--truth", type=Path, help="write the ground truth JSON here")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else seed_from_env()
    with GenServer(seed, args.sites, args.date) as server:
        if args.out:
            server.write_site_list(args.out)
        if args.truth:
            args.truth.write_text(json.dumps(server.truth(), ensure_ascii=False), "utf-8")
        print(f"种子 {seed}, {args.sites} 个站点: {server.base}/g000/ ...", file=sys.stderr)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
