"""The bench farm: generated sites (farmgen) pre-rendered to files and served by nginx.

Every site gets its own loopback address (127.1.x.y), so Scrapy gives each site its own
download slot, as it does on the real network, and nginx's access log tells which site
each request was for. Pages are padded to 20–80 KB (real government pages weigh that:
inline styles, scripts, long footers) with markup that holds no links and no dates.
Two ports: one as fast as nginx goes (the throughput runs), one with every response
throttled (limit_rate) so that requests last long enough for their overlap per site to
be visible in the log (the politeness check).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import socket
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from farmgen.pages import content_type, detail, site_pages
from farmgen.spec import GenSite, generate

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ECHO_MODULE = "/usr/share/nginx/modules/ngx_http_echo_module.so"
MIME_TYPES = Path("/etc/nginx/mime.types")
LOG_FORMAT = (
    "$msec $request_time $server_addr $request_method $status $body_bytes_sent $request_uri"  # noqa: E501
)
_PARA = "<p class='ft{k}'>主办单位：人民政府办公室　承办：政务公开科　技术支持：信息中心　联系地址：人民路一号　为确保最佳浏览效果，建议使用高版本浏览器。</p>"  # noqa: E501


def host_of(index: int) -> str:
    """The loopback address of the site with this index (up to 62,500 sites)."""
    return f"127.1.{index // 250}.{index % 250 + 1}"


def _padding(rng: random.Random, size: int) -> str:
    """Inline style, script data and footer text, about ``size`` characters, no links."""
    parts, total = [], 0
    style = "".join(
        f".m{i} .c{j} {{margin:0 {i}px;padding:{j}px;color:#3{i % 10}{j % 10};}}\n"
        for i in range(20)
        for j in range(rng.randint(5, 15))
    )
    parts.append(f"<style>{style}</style>")
    total += len(style)
    k = 0
    while total < size:
        chunk = (
            f"<script>var cfg{k}={{'skin':'blue','w':{rng.randint(900, 1400)},'menu':["
            + ",".join(f"'m{n}'" for n in range(40))
            + "]};</script>"
            if k % 3 == 0
            else f"<div class='ft-box'>{''.join(_PARA.format(k=m) for m in range(6))}</div>"
        )
        parts.append(chunk)
        total += len(chunk.encode("utf-8"))
        k += 1
    return "".join(parts)


def _pad(rng: random.Random, text: str) -> str:
    if "</body>" not in text:
        return text
    target = rng.randint(20_000, 80_000) - len(text.encode("utf-8"))
    if target <= 0:
        return text
    return text.replace("</body>", _padding(rng, target) + "</body>", 1)


@dataclass
class SynthFarm:
    root: Path
    sites: list[GenSite]
    pages: int
    bytes: int

    def site_list(self, path: Path, port: int, count: int | None = None) -> Path:
        rows = [
            {
                "id": s.id,
                "name": s.name,
                "url": f"http://{host_of(k)}:{port}/{s.id}/",
                "group": s.layout,
            }  # fmt: skip
            for k, s in enumerate(self.sites[:count])
        ]
        text = yaml.safe_dump({"sites": rows}, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path


def build(seed: int, count: int, today: dt.date, root: Path) -> SynthFarm:
    """Write every page (home, columns, list pages, detail pages, noise) of ``count`` sites."""
    rng = random.Random(seed)
    sites = generate(seed, count, today)
    pages = size = 0
    for site in sites:
        texts, details = site_pages(site, today)
        bodies = dict(texts)
        for path, (col, item) in details.items():
            bodies[path] = detail(site, col, item).encode(site.encoding, "replace")
        for path, body in bodies.items():
            if path.endswith((".html", ".htm")):
                body = _pad(rng, body.decode(site.encoding)).encode(site.encoding, "replace")
            target = root / site.id / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
            pages += 1
            size += len(body)
    (root / "_stub").mkdir(exist_ok=True)
    (root / "_stub" / "file.pdf").write_bytes(b"%PDF-1.4 file")
    return SynthFarm(root=root, sites=sites, pages=pages, bytes=size)


def _charset(site: GenSite) -> str:
    ctype = content_type(site, "index.html")
    return ctype.split("charset=", 1)[1] if "charset=" in ctype else ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    """nginx on the farm's loopback addresses, from a temporary config; stopped on exit."""

    def __init__(self, farm: SynthFarm, work: Path, delay: float = 0.2):
        self.farm, self.work, self.delay = farm, work, delay
        self.port, self.slow_port = free_port(), free_port()
        self.log = work / "access.log"

    def _config(self) -> str:
        sites = "".join(
            f"location /{s.id}/ {{ charset {c}; }}\n" if (c := _charset(s)) else ""
            for s in self.farm.sites
        )

        def server(port: int, locations: str) -> str:
            listens = "".join(f"listen {host_of(k)}:{port};\n" for k in range(len(self.farm.sites)))
            return (
                f"server {{\n{listens}root {self.farm.root};\ncharset_types text/html;\n"
                "location ~ \\.(pdf|doc|xml)$ { try_files $uri /_stub/file.pdf; }\n"
                f"{locations}}}\n"
            )

        # the slow port answers every page after a pause (echo module), same files
        slow = f"location / {{ echo_sleep {self.delay}; echo_exec @file; }}\nlocation @file {{ }}\n"

        return (
            # as root nginx's workers would drop to nobody, who cannot read a temp dir
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"daemon off;\nworker_processes 1;\npid {self.work}/nginx.pid;\n"
            f"error_log {self.work}/error.log warn;\n"
            f"load_module {ECHO_MODULE};\n"
            "events { worker_connections 4096; }\n"
            f"http {{\ninclude {MIME_TYPES};\ndefault_type text/html;\n"
            f"log_format bench '{LOG_FORMAT}';\naccess_log {self.log} bench buffer=256k;\n"
            "sendfile on; tcp_nopush on; keepalive_requests 100000;\n"
            f"client_body_temp_path {self.work}/body; proxy_temp_path {self.work}/proxy;\n"
            f"fastcgi_temp_path {self.work}/fcgi; uwsgi_temp_path {self.work}/uwsgi;\n"
            f"scgi_temp_path {self.work}/scgi;\n"
            + server(self.port, sites)
            + server(self.slow_port, slow)
            + "}\n"
        )

    def __enter__(self) -> Nginx:
        conf = self.work / "nginx.conf"
        conf.write_text(self._config(), encoding="utf-8")
        if not Path(NGINX).exists() or not Path(ECHO_MODULE).exists():
            raise RuntimeError(
                "基准测试需要 nginx 及其 echo 模块：apt-get install nginx libnginx-mod-http-echo"
            )
        self.proc = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(self.work), "-e", str(self.work / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((host_of(0), self.port), timeout=0.2).close()
                return self
            except OSError as exc:
                if self.proc.poll() is not None:
                    err = self.proc.stderr.read().decode()
                    raise RuntimeError(f"nginx 未能启动：{err}") from exc
                time.sleep(0.05)
        raise RuntimeError("nginx 10 秒内未能监听")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def take_log(self) -> list[str]:
        """The access log lines so far; the log starts afresh after them."""
        # USR1 makes nginx flush its buffer and reopen the log file
        old = self.log.with_suffix(f".{time.monotonic_ns()}")
        if self.log.exists():
            self.log.rename(old)
        self.proc.send_signal(10)
        time.sleep(0.5)
        if not old.exists():
            return []
        return old.read_text(encoding="utf-8", errors="replace").splitlines()


@dataclass
class Hit:
    start: float
    end: float
    host: str
    method: str
    status: int
    url: str


def parse_log(lines: list[str], port: int) -> list[Hit]:
    hits = []
    for line in lines:
        parts = line.split(" ", 6)
        if len(parts) < 7:
            continue
        end, took = float(parts[0]), float(parts[1])
        hits.append(
            Hit(
                end - took,
                end,
                parts[2],
                parts[3],
                int(parts[4]),
                f"http://{parts[2]}:{port}{parts[6]}",
            )  # fmt: skip
        )
    return hits


def max_concurrency(hits: list[Hit]) -> dict[str, int]:
    """Per site address: the most requests that were in progress at one moment."""
    events: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for h in hits:
        events[h.host] += [(h.start, 1), (h.end, -1)]
    out = {}
    for host, evs in events.items():
        evs.sort(key=lambda e: (e[0], e[1]))  # an end before a start at the same instant
        now = best = 0
        for _, step in evs:
            now += step
            best = max(best, now)
        out[host] = best
    return out
