"""The per-site concurrency limit holds in a real crawl (Scrapy 2.19's downloader alone
overruns it): a slow server on 127.0.0.1 counts the requests in progress at once."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.services import ROOT

PAGES = 8


class _Counting(ThreadingHTTPServer):
    daemon_threads = True
    now = peak = 0
    lock = threading.Lock()


class _Slow(BaseHTTPRequestHandler):
    server: _Counting

    def do_GET(self) -> None:  # noqa: N802
        with self.server.lock:
            self.server.now += 1
            self.server.peak = max(self.server.peak, self.server.now)
        time.sleep(0.3)
        with self.server.lock:
            self.server.now -= 1
        body = b"<html><body>ok</body></html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


def test_per_site_limit_is_kept(tmp_path):
    server = _Counting(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join(f"http://127.0.0.1:{port}/p{k}" for k in range(PAGES)))
        cmd = [sys.executable, "-m", "bench.spider_runner", "bare", str(urls), "",
               "CONCURRENT_REQUESTS_PER_DOMAIN=2", "CONCURRENT_REQUESTS=16"]  # fmt: skip
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr[-2000:]
    finally:
        server.shutdown()
        server.server_close()
    assert f'"response_received_count": {PAGES}' in out.stdout
    assert server.peak == 2  # the limit reached, never passed
