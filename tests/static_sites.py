"""Static pages served on 127.0.0.1 for crawl tests: path -> (status, body[, headers[, delay]]).
Status RESET closes the connection without answering (a connection reset)."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RESET = 0  # a status that closes the connection without an HTTP answer


class StaticSite(ThreadingHTTPServer):
    """A loopback server answering each path from its page table (404 otherwise)."""

    daemon_threads = True

    def __init__(self, pages: dict[str, tuple]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages = pages
        self.times: list[tuple[float, float]] = []  # (start, end) of every request answered
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        start = time.monotonic()
        page = self.server.pages.get(self.path, (404, "not found"))
        status, body, headers, delay = (*page, *({}, 0)[len(page) - 2 :])
        time.sleep(delay)  # a slow server, for tests that need one
        if status == RESET:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        if not any(k.lower() == "content-type" for k in headers):
            self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        self.server.times.append((start, time.monotonic()))

    def log_message(self, *args: object) -> None:
        pass
