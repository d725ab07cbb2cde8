"""A fault-injecting government site on 127.0.0.1: each column path misbehaves in one way.

Raw sockets, so faults a well-behaved HTTP server cannot make are possible: a reset
connection, a body cut short of its Content-Length, a server that accepts and never
answers. ``FAULTS`` says what each path does and what the crawl must record for it.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

LIST = (
    '<html><head><meta charset="utf-8"></head><body><ul class="list">'
    '<li><a href="/a/1.html">江城市召开防汛工作会议</a><span>2026-06-28</span></li>'
    "</ul></body></html>"
)
NEWEST = "2026-06-28"

# path -> (column name, fault, expected column status: ok = read despite the fault)
FAULTS: dict[str, tuple[str, str, str]] = {
    "/ok/": ("统计数据", "none", "ok"),
    "/timeout/": ("通知公告", "timeout", "failed"),
    "/reset/": ("政策文件", "reset", "failed"),
    "/e500/": ("工作动态", "500", "failed"),
    "/slow/": ("部门动态", "slow", "ok"),
    "/trunc/": ("人事信息", "truncated", "failed"),
    "/hang/": ("财政信息", "hang", "failed"),
    "/flaky/": ("规划计划", "flaky", "ok"),  # one 503, then the page: a retry reads it
}
HOME = (
    '<html><head><meta charset="utf-8"></head><body><div class="nav"><ul>'
    + "".join(f'<li><a href="{p}">{n}</a></li>' for p, (n, _, _) in FAULTS.items())
    + "</ul></div></body></html>"
)


@dataclass
class FaultServer:
    """Serves the fault site; ``delay`` is how long timeout faults wait (> DOWNLOAD_TIMEOUT)."""

    delay: float = 6.0
    injected: dict[str, int] = field(default_factory=dict)
    _sock: socket.socket | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _seen: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> str:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def stop(self) -> None:
        self._stop.set()
        if self._sock:
            self._sock.close()

    def __enter__(self) -> FaultServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _count(self, fault: str) -> None:
        with self._lock:
            self.injected[fault] = self.injected.get(fault, 0) + 1

    def _serve(self, conn: socket.socket) -> None:
        try:
            data = conn.recv(65536).decode("latin-1")
            path = data.split(" ", 2)[1] if data.count(" ") >= 2 else "/"
            self._respond(conn, path)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    @staticmethod
    def _send(conn: socket.socket, status: str, body: bytes, length: int | None = None) -> None:
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body) if length is None else length}\r\n"
            "Connection: close\r\n\r\n"
        )
        conn.sendall(head.encode() + body)

    def _respond(self, conn: socket.socket, path: str) -> None:
        body = LIST.encode()
        if path == "/":
            return self._send(conn, "200 OK", HOME.encode())
        fault = FAULTS.get(path, ("", "404", ""))[1]
        if fault == "none" or fault == "404":
            return self._send(conn, "200 OK" if fault == "none" else "404 Not Found", body)
        self._count(fault)
        if fault == "timeout":
            self._stop.wait(self.delay)
            return self._send(conn, "200 OK", body)
        if fault == "reset":  # RST instead of an answer
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return None
        if fault == "500":
            return self._send(conn, "500 Internal Server Error", b"<html>error</html>")
        if fault == "slow":  # the page in small pieces, well within the timeout
            head, rest = body[:40], body[40:]
            self._send(conn, "200 OK", head, length=len(body))
            for i in range(0, len(rest), 64):
                time.sleep(0.05)
                conn.sendall(rest[i : i + 64])
            return None
        if fault == "truncated":  # promises the whole page, sends a third, closes
            return self._send(conn, "200 OK", body[: len(body) // 3], length=len(body))
        if fault == "hang":  # accepted, read, never answered
            self._stop.wait(self.delay * 3)
            return None
        if fault == "flaky":
            with self._lock:
                first = path not in self._seen
                self._seen.add(path)
            if first:
                return self._send(conn, "503 Service Unavailable", b"busy")
            return self._send(conn, "200 OK", body)
        return None
