"""Serve the demo farm on loopback: one threaded HTTP server per site host, pre-rendered bytes.

``python -m farm.server [--date YYYY-MM-DD] [--out sites.yaml] [--truth truth.json]``
serves the farm until Ctrl-C.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from farm.farm import Farm, load_farm
from farm.layout import error_page, resolve_tokens
from farm.model import MAIN_HOST, FarmPage

NOT_FOUND = FarmPage(error_page(404), status=404)
DATAPROXY = "/module/web/jpage/dataproxy.jsp"


class _SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a crawler's keep-alive connection must not block shutdown
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], farm_server: FarmServer, key: tuple[str, str]):
        super().__init__(address, _Handler)
        self.farm_server = farm_server
        self.key = key  # (site id, host alias)
        self.pages: dict[str, FarmPage] = {}
        self.records: dict[str, list[str]] = {}  # Hanweb column id -> records in list order
        self.encoding = "utf-8"


class _Handler(BaseHTTPRequestHandler):
    server: _SiteHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "JCMS/3.0"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def do_POST(self) -> None:  # noqa: N802
        """Hanweb's dataproxy.jsp: records startrecord..endrecord of a column, as XML."""
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        column = (form.get("columnid") or query.get("columnid") or [""])[0]
        if parts.path != DATAPROXY or column not in self.server.records:
            self._answer(True, NOT_FOUND, "?")
            return
        records = self.server.records[column]
        start = max(1, int((query.get("startrecord") or ["1"])[0]))
        end = int((query.get("endrecord") or [str(len(records))])[0])
        chosen = "\n".join(
            f"<record><![CDATA[\n{r}\n]]></record>" for r in records[start - 1 : end]
        )
        enc = self.server.encoding
        xml = (
            f'<?xml version="1.0" encoding="{enc}"?>\n<datastore>\n'
            f"<totalrecord>{len(records)}</totalrecord>\n<recordset>\n{chosen}\n</recordset>\n"
            "</datastore>\n"
        )
        self._answer(
            True, FarmPage(xml.encode(enc), f"text/xml; charset={enc}"), f"columnid={column}"
        )

    def _answer(self, with_body: bool, page: FarmPage | None = None, form: str = "") -> None:
        page = page or self.server.pages.get(self.path, NOT_FOUND)
        # a POST is one request per form: the same endpoint serves every column; a browser
        # reading a page again (its User-Agent says rendering) is a fetch of another kind
        key = self.path + (f" [{form}]" if form else "")
        if "(rendering)" in (self.headers.get("User-Agent") or ""):
            key += " [browser]"
        self.server.farm_server._count(self.server, key)
        if page.delay:
            time.sleep(page.delay)
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: no request log on stderr."""


class FarmServer:
    """Context manager serving every site of a farm on 127.0.0.1, each on a free port."""

    def __init__(self, farm: Farm, host: str = "127.0.0.1"):
        self.farm = farm
        self.host = host
        self._servers: dict[tuple[str, str], _SiteHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.requests_served = 0
        self.hits: Counter[str] = Counter()  # full URL -> times requested

    def __enter__(self) -> FarmServer:
        try:
            for site in self.farm.sites:
                for alias in site.hosts:
                    key = (site.id, alias)
                    self._servers[key] = _SiteHTTPServer((self.host, 0), self, key)
            # ports are known only now: put them into the links between hosts
            for (site_id, alias), server in self._servers.items():
                site = self.farm.site(site_id)
                pages = site.hosts[alias]
                server.pages = {path: self._resolved(page) for path, page in pages.items()}
                server.encoding = site.encoding
                server.records = {
                    column: [self._resolved_text(r) for r in records]
                    for column, records in site.records.get(alias, {}).items()
                }
            for server in self._servers.values():
                thread = threading.Thread(
                    target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
                )
                thread.start()
                self._threads.append(thread)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for server, thread in zip(self._servers.values(), self._threads, strict=False):
            server.shutdown()
            thread.join(timeout=5)
        for server in self._servers.values():
            server.server_close()
        self._threads.clear()

    def _resolved(self, page: FarmPage) -> FarmPage:
        body = resolve_tokens(page.body, self.base_url)
        return FarmPage(body, page.content_type, page.status, page.delay)

    def _resolved_text(self, text: str) -> str:
        return resolve_tokens(text.encode(), self.base_url).decode()

    def _count(self, server: _SiteHTTPServer, path: str) -> None:
        url = self.base_url(*server.key).rstrip("/") + path
        with self._lock:
            self.requests_served += 1
            self.hits[url] += 1

    def base_url(self, site_id: str, alias: str = MAIN_HOST) -> str:
        """``http://127.0.0.1:PORT/`` of a site (or of one of its extra hosts)."""
        port = self._servers[(site_id, alias)].server_address[1]
        return f"http://{self.host}:{port}/"

    def fetched_twice(self) -> list[str]:
        """URLs requested more than once so far."""
        with self._lock:
            return sorted(url for url, n in self.hits.items() if n > 1)

    def site_rows(self) -> list[dict]:
        """Rows of a site list: id, name, url, group and, where a site has them, extra_domains."""
        rows = []
        for site in self.farm.sites:
            row = {"id": site.id, "name": site.name, "url": self.base_url(site.id)}
            row["group"] = site.group
            if site.extra_domains:
                # host:port, since every farm host is 127.0.0.1: on-site means same netloc
                row["extra_domains"] = [
                    self.base_url(site.id, alias).split("//", 1)[1].rstrip("/")
                    for alias in site.extra_domains
                ]
            rows.append(row)
        return rows

    def write_site_list(self, path: str | Path) -> Path:
        """Write ``{"sites": [rows]}`` as YAML and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump({"sites": self.site_rows()}, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    def truth(self) -> dict:
        """Ground truth per site id, URLs pointing at this server's ports."""
        return self.farm.truth(self.base_url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m farm.server", description=__doc__)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date.today(),
                        help="farm date (monitoring time point), default today")  # fmt: skip
    parser.add_argument("--out", type=Path, help="write the site list YAML here")
    parser.add_argument("--truth", type=Path, help="write the ground truth JSON here")
    args = parser.parse_args(argv)
    with FarmServer(load_farm(args.date)) as server:
        if args.out:
            print(f"site list: {server.write_site_list(args.out)}", file=sys.stderr)
        if args.truth:
            args.truth.write_text(json.dumps(server.truth(), ensure_ascii=False, indent=1), "utf-8")
        for row in server.site_rows():
            print(f"{row['url']}  {row['id']}  {row['name']}", file=sys.stderr)
        print(f"farm date {args.date}; serving, Ctrl-C to stop", file=sys.stderr)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
