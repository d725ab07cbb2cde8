"""The link farm: one government-style site with thousands of links and planted truth.

Served on loopback by its own servers: the site itself, a second government site, three
HTTPS servers with old TLS (expired certificate, self-signed certificate, TLS 1.0 only),
a host that accepts connections and never answers, a closed port, and a name-based
server for mapped domains (an expired government domain now redirecting to a casino).

`planted` lists every broken link (what an exact checker must confirm); `tricky` lists
links that look broken to a naive checker but are not. The generic spider can crawl
the site: a nav menu, column pages with dated lists, a footer.

Longer than 300 lines: the planted truth (every broken link and trap) sits beside
the pages that carry it.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from farm.linktls import make_certificates, server_context

COLUMN_NAMES = [
    "工作动态", "通知公告", "政策文件", "政策解读", "人事信息", "规划计划", "统计数据",
    "部门动态", "乡镇动态", "图片新闻", "办事指南", "表格下载", "机构概况", "领导信箱",
    "调查征集", "在线访谈", "规范性文件", "公示公告", "财政预决算", "建议提案办理",
]  # fmt: skip
BOT_RE = re.compile(
    r"linkchecker|python|bot|spider|crawl|curl|wget|java|go-http|scrapy|aiohttp", re.I
)
HIJACKED_HOST = "www.old-agency.gov.cn"  # an expired government domain, taken over
SQUATTER_HOST = "www.lucky-casino.example.com"
MOVED_HOST = "www.old-dept.gov.cn"  # a reorganised department: redirects to its successor
SUCCESSOR_HOST = "www.new-dept.gov.cn"
ARTICLE = "<p>" + "为进一步加强政府网站建设和管理,提升政府网站的权威性和影响力," * 60 + "</p>"
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@dataclass(frozen=True)
class Planted:
    """A link the farm put on a page on purpose, with what it is."""

    url: str
    kind: str  # 404 | 410 | 500 | 503 | timeout | dns | refused | tls | hijacked | ...
    on_home: bool
    text: str


def _page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body>{body}</body></html>"
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, site: LinkSite, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site
        self.tls = tls

    @property
    def port(self) -> int:
        return self.server_address[1]

    def finish_request(self, request, client_address) -> None:  # noqa: ANN001
        if self.tls is not None:  # handshake in the worker thread, not the accept loop
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        pass  # clients that give up (timeouts) are part of the game


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "TRS/8.0"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802
        self.server.site.answer(self, body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.server.site.answer(self, body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def reply(
        self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None, with_body: bool = True,
    ) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        # LinkChecker throttles every host to <= 10 requests/s unless the server sends
        # this header (no real government site does); the bench measures it both ways
        if self.server.site.unthrottle_linkchecker:
            self.send_header("LinkChecker", "ok")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if with_body and body:
            self.wfile.write(body)


class LinkSite:
    """Start with `with LinkSite() as site:`; site.home_url, site.planted, site.hosts."""

    def __init__(
        self,
        columns: int = 20,
        items: int = 100,
        today: dt.date | None = None,
        slow: float = 2.0,
        hang: float = 60.0,
        mapped_ok_links: bool = False,
        flaky_window: float = 1.0,
    ) -> None:
        self.columns = min(columns, len(COLUMN_NAMES))
        self.items = items
        self.today = today or dt.date.today()
        self.slow = slow  # seconds a slow-but-alive page takes
        self.hang = hang  # seconds a sleepy first request hangs (longer than any timeout)
        self.mapped_ok_links = mapped_ok_links  # gov-to-gov redirect via mapped names
        self.flaky_window = flaky_window  # seconds a flaky page answers 503 after its first hit
        self._first_hit: dict[str, float] = {}
        self._lock = threading.Lock()
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []
        self.requests = 0
        self.unthrottle_linkchecker = True
        self.log: list[tuple[float, str, str]] = []  # (monotonic time, method, path) on main
        self.planted: list[Planted] = []
        self.tricky: list[Planted] = []

    # ---- life cycle -------------------------------------------------------------------
    def __enter__(self) -> LinkSite:
        self._tmp = tempfile.TemporaryDirectory(prefix="linkfarm-")
        self.certs = make_certificates(Path(self._tmp.name))
        self._servers["main"] = _Server(self)
        self._servers["other"] = _Server(self)
        self._servers["named"] = _Server(self)
        self._servers["expired"] = _Server(self, server_context(self.certs["expired"]))
        self._servers["selfsigned"] = _Server(self, server_context(self.certs["selfsigned"]))
        self._servers["oldtls"] = _Server(self, server_context(self.certs["oldtls"], True))
        for server in self._servers.values():
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self._threads.append(thread)
        # accepts connections (kernel backlog) but never reads or answers
        self._blackhole = socket.socket()
        self._blackhole.bind(("127.0.0.1", 0))
        self._blackhole.listen(512)
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        self.closed_port = closed.getsockname()[1]
        closed.close()
        self._build()
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        self._blackhole.close()
        self._tmp.cleanup()

    def port(self, name: str) -> int:
        return self._servers[name].port

    @property
    def home_url(self) -> str:
        return f"http://127.0.0.1:{self.port('main')}/"

    @property
    def ca_file(self) -> str:
        return str(self.certs["ca"])

    @property
    def hosts(self) -> dict[str, str]:
        """Name -> address mapping a checker needs for the farm's named hosts."""
        names = [HIJACKED_HOST, SQUATTER_HOST, MOVED_HOST, SUCCESSOR_HOST]
        return {name: "127.0.0.1" for name in names}

    def site_row(self) -> dict:
        return {"id": "linkfarm", "name": "链接测试局", "url": self.home_url}

    def write_site_list(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(yaml.safe_dump({"sites": [self.site_row()]}, allow_unicode=True))
        return path

    def reset(self) -> None:
        """Forget who came first, so the once-only traps greet the next checker again."""
        with self._lock:
            self._first_hit.clear()
            self.requests = 0
            self.log.clear()

    def planted_urls(self, on_home: bool | None = None) -> set[str]:
        return {p.url for p in self.planted if on_home is None or p.on_home == on_home}

    # ---- the pages --------------------------------------------------------------------
    def _build(self) -> None:
        main = f"http://127.0.0.1:{self.port('main')}"
        other = f"http://127.0.0.1:{self.port('other')}"
        named = self.port("named")
        plant, trick = self._plant, self._trick
        hole = self._blackhole.getsockname()[1]
        # planted on the home page (the footer link sits on every page, home included)
        home_bad = [
            plant(f"{main}/missing/notice-2019.html", "404", True, "关于做好2019年度工作的通知"),
            plant(f"{main}/missing/sitemap.html", "404", True, "网站地图"),
            plant("http://expired-domain.invalid/", "dns", True, "原市旅游局网站"),
            plant(f"http://{HIJACKED_HOST}:{named}/", "hijacked", True, "原市招商局网站"),
            plant(
                f"https://127.0.0.1:{self.port('main')}/secure/apply.html", "tls", True, "网上申报"
            ),
            plant(f"{main}/img/missing-banner.jpg", "404", True, "专题横幅"),
        ]
        home_tricky = [
            trick(f"{main}/slow/report.html", "slow", True, "政府工作报告"),
            trick(f"{main}/waf/service.html", "waf403", True, "政务服务"),
            trick(f"https://127.0.0.1:{self.port('expired')}/", "expired-cert", True, "政务服务网"),
            trick(
                f"https://127.0.0.1:{self.port('selfsigned')}/", "self-signed", True, "公共资源交易"
            ),
            trick(f"https://127.0.0.1:{self.port('oldtls')}/", "tls1.0", True, "信用信息"),
            trick(f"{main}/redirect/portal", "redirect-chain", True, "省政府门户"),
        ]
        if self.mapped_ok_links:
            home_tricky.append(
                trick(f"http://{MOVED_HOST}:{named}/", "gov-moved", True, "原市经信委")
            )
        # planted elsewhere, spread over the column pages
        other_bad = [
            plant(f"{main}/missing/old-file.doc", "404", False, "附件下载"),
            plant(f"{main}/gone/2015-plan.html", "410", False, "十二五规划"),
            plant(f"{main}/error/query.jsp", "500", False, "办件查询"),
            plant(f"{main}/unavailable/survey.html", "503", False, "网上调查"),
            plant(f"http://127.0.0.1:{hole}/doc.html", "timeout", False, "历史文档"),
            plant(f"http://127.0.0.1:{self.closed_port}/", "refused", False, "旧版网站"),
            plant("http://old-portal.invalid/zwgk/", "dns", False, "原政务公开平台"),
            plant(f"{main}/redirect-broken/guide", "404", False, "办事指南(旧)"),
            plant(f"{main}/img/missing-photo.jpg", "404", False, "图片新闻配图"),
            plant(f"{main}/missing/leader.html", "404", False, "领导简历"),
            plant(f"{main}/missing/budget-2018.xls", "404", False, "2018年预算表"),
            plant(f"{main}/gone/interview-2016.html", "410", False, "2016年访谈"),
        ]  # fmt: skip
        other_tricky = [
            trick(f"{main}/ratelimit/statistics.html", "429-then-ok", False, "统计公报"),
            trick(f"{main}/flaky/weather.html", "503-then-ok", False, "天气预报"),
            trick(f"{main}/sleepy/archive.html", "timeout-then-ok", False, "档案查询"),
            trick(f"{main}/headfail/form.doc", "head-405", False, "表格下载"),
            trick(f"{main}/headerror/notice.html", "head-404", False, "公告原文"),
            trick(f"{main}/waf/letters.html", "waf403", False, "领导信箱"),
            trick(f"{main}/slow/budget.html", "slow", False, "预算公开"),
        ]
        nav = "".join(
            f'<li><a href="/col{c}/index.html">{COLUMN_NAMES[c]}</a></li>'
            for c in range(self.columns)
        )
        header = f'<div class="nav"><ul><li><a href="/">首页</a></li>{nav}</ul></div>'
        footer = (
            '<div class="footer"><a href="/missing/sitemap.html">网站地图</a> '
            '<a href="/about.html">关于我们</a><img src="/img/dzjg.png" alt="党政机关"></div>'
        )
        self.pages: dict[str, bytes] = {"/about.html": _page("关于我们", "<p>关于我们</p>")}
        news = "".join(
            f'<li><a href="/col0/art{i}.html">要闻{i}</a><span>{self._date(i)}</span></li>'
            for i in range(min(30, self.items))
        )
        friends = "".join(f'<li><a href="{other}/site{i}/">兄弟单位{i}</a></li>' for i in range(20))
        images = "".join(f'<img src="/img/home{i}.png" alt="图{i}">' for i in range(10))
        special = "".join(f'<li><a href="{p.url}">{p.text}</a></li>' for p in home_bad + home_tricky
                          if not p.url.endswith((".jpg", "sitemap.html")))  # fmt: skip
        self.pages["/"] = _page(
            "链接测试局",
            f"{header}<div class='news'><h2>工作动态</h2><a href='/col0/index.html'>更多</a>"
            f"<ul>{news}</ul></div>{images}<img src='/img/missing-banner.jpg' alt='专题横幅'>"
            f"<div class='special'><ul>{special}</ul></div>"
            f"<div class='yqlj'><ul>{friends}</ul></div>{footer}",
        )
        spread = other_bad + other_tricky
        for c in range(self.columns):
            rows = "".join(
                f'<li><a href="/col{c}/art{i}.html">{COLUMN_NAMES[c]}信息{i}</a>'
                f"<span>{self._date(i)}</span></li>"
                for i in range(self.items)
            )
            mine = [p for k, p in enumerate(spread) if k % self.columns == c]
            extra = "".join(
                f'<img src="{p.url}" alt="{p.text}">' if p.url.endswith(".jpg")
                else f'<li><a href="{p.url}">{p.text}</a></li>'
                for p in mine
            )  # fmt: skip
            pics = "".join(f'<img src="/img/col{c}-{k}.png" alt="配图{k}">' for k in range(5))
            self.pages[f"/col{c}/index.html"] = _page(
                COLUMN_NAMES[c],
                f"{header}<div class='list'><ul>{rows}</ul></div><ul class='related'>{extra}</ul>"
                f"{pics}{footer}",
            )
            for i in range(self.items):
                # an article page as government CMSs render them: the whole menu, a
                # breadcrumb, a few kilobytes of text, the footer (no new links)
                self.pages[f"/col{c}/art{i}.html"] = _page(
                    f"{COLUMN_NAMES[c]}信息{i}",
                    f"{header}<div class='position'>当前位置: 首页 > {COLUMN_NAMES[c]}</div>"
                    f"<h1>{COLUMN_NAMES[c]}信息{i}</h1><div class='content'>{ARTICLE}</div>"
                    f"{footer}",
                )

    def _plant(self, url: str, kind: str, on_home: bool, text: str) -> Planted:
        item = Planted(url, kind, on_home, text)
        self.planted.append(item)
        return item

    def _trick(self, url: str, kind: str, on_home: bool, text: str) -> Planted:
        item = Planted(url, kind, on_home, text)
        self.tricky.append(item)
        return item

    def _date(self, i: int) -> str:
        return (self.today - dt.timedelta(days=i % 60)).isoformat()

    # ---- answering --------------------------------------------------------------------
    def _since_first(self, key: str) -> float:
        with self._lock:
            first = self._first_hit.setdefault(key, time.monotonic())
        return time.monotonic() - first

    def answer(self, h: _Handler, body: bool) -> None:  # noqa: C901 - one branch per trap
        path = h.path.split("?")[0]
        name = next(k for k, v in self._servers.items() if v is h.server)
        with self._lock:
            self.requests += 1
            if name == "main":
                self.log.append((time.monotonic(), h.command, path))
        host = (h.headers.get("Host") or "").split(":")[0].lower()
        reply = h.reply
        if name == "named":
            if host == HIJACKED_HOST:
                return reply(
                    302,
                    headers={"Location": f"http://{SQUATTER_HOST}:{h.server.port}/"},
                    with_body=body,
                )
            if host == MOVED_HOST:
                return reply(
                    301,
                    headers={"Location": f"http://{SUCCESSOR_HOST}:{h.server.port}/"},
                    with_body=body,
                )
            return reply(200, _page("首页", f"<p>{host}</p>"), with_body=body)
        if name != "main":  # the other government site and the TLS servers: all fine
            return reply(200, _page("其他网站", "<p>欢迎</p>"), with_body=body)
        if path in self.pages:
            return reply(200, self.pages[path], with_body=body)
        if path.startswith("/img/") and not path.startswith("/img/missing"):
            return reply(200, GIF, "image/gif", with_body=body)
        ok = _page("正常页面", "<p>正常</p>")
        if path.startswith("/gone/"):
            return reply(410, _page("410", "已删除"), with_body=body)
        if path.startswith("/error/"):
            return reply(500, _page("500", "服务器错误"), with_body=body)
        if path.startswith("/unavailable/"):
            return reply(503, _page("503", "服务不可用"), with_body=body)
        if path.startswith("/slow/"):
            time.sleep(self.slow)
            return reply(200, ok, with_body=body)
        if path.startswith("/waf/"):
            agent = h.headers.get("User-Agent", "")
            blocked = "Mozilla" not in agent or BOT_RE.search(agent)
            return reply(403 if blocked else 200, ok, with_body=body)
        if path.startswith("/ratelimit/"):
            if self._since_first(path) < 1.0:
                return reply(
                    429, _page("429", "请求过多"), headers={"Retry-After": "1"}, with_body=body
                )
            return reply(200, ok, with_body=body)
        if path.startswith("/flaky/"):
            if self._since_first(path) < self.flaky_window:
                return reply(503, _page("503", "服务繁忙"), with_body=body)
            return reply(200, ok, with_body=body)
        if path.startswith("/sleepy/"):
            with self._lock:
                first = path not in self._first_hit
                self._first_hit.setdefault(path, time.monotonic())
            if first:
                time.sleep(self.hang)
            return reply(200, ok, with_body=body)
        if path.startswith("/headfail/"):
            return reply(405 if not body else 200, ok if body else b"", with_body=body)
        if path.startswith("/headerror/"):
            return reply(404 if not body else 200, ok if body else b"", with_body=body)
        if path.startswith("/redirect/"):
            return reply(
                301,
                headers={"Location": path.replace("/redirect/", "/redirect-step/")},
                with_body=body,
            )
        if path.startswith("/redirect-step/"):
            target = f"http://127.0.0.1:{self.port('other')}/landing/{path.rsplit('/', 1)[-1]}"
            return reply(302, headers={"Location": target}, with_body=body)
        if path.startswith("/redirect-broken/"):
            return reply(
                301, headers={"Location": "/missing/" + path.rsplit("/", 1)[-1]}, with_body=body
            )
        return reply(404, _page("404", "页面不存在"), with_body=body)


def main() -> None:  # pragma: no cover - manual use
    """Serve the link farm until Ctrl-C and print its home page and hosts mapping."""
    with LinkSite() as site:
        print(site.home_url)
        print(site.hosts)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":  # pragma: no cover
    main()
