"""The link checker against real servers on 127.0.0.1: planted broken links and traps."""

from __future__ import annotations

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from farm.linksite import LinkSite
from govspider.linkcheck import CheckConfig, LinkChecker, check_urls
from govspider.linkcheck.http import Fetch
from govspider.linkcheck.verdict import hijacked, registrable_domain

TIMEOUT = 1.5


@pytest.fixture(scope="module")
def site():
    with LinkSite(columns=2, items=3, slow=0.4, hang=5.0, flaky_window=0.3) as farm:
        yield farm


def config(site: LinkSite, **kw) -> CheckConfig:
    base = dict(timeout=TIMEOUT, recheck_delay=0.6, hosts=site.hosts, ca_file=site.ca_file)
    return CheckConfig(**(base | kw))


@pytest.fixture(scope="module")
def results(site):
    site.reset()
    return check_urls([p.url for p in site.planted + site.tricky], config(site))


EXPECTED_STATUS = {
    "404": "404",
    "410": "410",
    "500": "500",
    "503": "503",
    "timeout": "超时",
    "dns": "域名解析失败",
    "refused": "连接被拒绝",
    "tls": "TLS握手失败",
}


def test_every_planted_broken_link_is_confirmed_with_its_status(site, results):
    for p in site.planted:
        if p.kind == "hijacked":  # a 200 at URL level; judged per site (off-site rule)
            continue
        res = results[p.url]
        assert res.verdict == "confirmed", (p, res.fetch)
        assert res.status_text == EXPECTED_STATUS[p.kind], p


def test_no_trap_is_reported_broken(site, results):
    wrong = {
        p.kind: results[p.url].status_text for p in site.tricky if results[p.url].verdict != "ok"
    }
    assert wrong == {}


def test_suspected_failures_were_rechecked_and_confirmed_ones_were_not(site, results):
    by_kind = {p.kind: results[p.url] for p in site.planted + site.tricky}
    for kind in ("500", "503", "timeout", "tls"):
        assert by_kind[kind].rechecked and by_kind[kind].first_status_text, kind
    for kind in ("404", "410", "dns", "refused"):
        assert not by_kind[kind].rechecked, kind
    assert by_kind["429-then-ok"].first_status_text == "429"
    assert by_kind["timeout-then-ok"].first_status_text == "超时"


def test_old_tls_is_fetched_and_reported_separately(site, results):
    problems = {p.kind: results[p.url].fetch.tls_problem for p in site.tricky}
    assert problems["expired-cert"] == "TLS证书过期"
    assert problems["self-signed"] == "TLS自签名证书"
    assert problems["tls1.0"] == "TLS协议版本过旧"
    assert problems["slow"] == ""


def test_without_recheck_the_passing_failures_stay_suspected(site):
    site.reset()
    # no 429 here: its Retry-After pauses the whole host, and the flaky page would heal
    kinds = ("503", "timeout", "503-then-ok", "404", "waf403")
    urls = {p.kind: p.url for p in site.planted + site.tricky if p.kind in kinds}
    res = check_urls(urls.values(), config(site, recheck=False, user_agent="curl/8"))
    verdicts = {kind: res[url].verdict for kind, url in urls.items()}
    assert verdicts == {
        "503": "suspected", "timeout": "suspected", "503-then-ok": "suspected",
        "404": "confirmed", "waf403": "suspected",
    }  # fmt: skip


def test_a_429_pauses_its_whole_host_for_the_retry_after(site):
    site.reset()
    limited = next(p.url for p in site.tricky if p.kind == "429-then-ok")
    other = f"{site.home_url}about.html"

    async def run() -> None:
        async with LinkChecker(config(site, recheck=False)) as checker:
            await checker.check([limited])
            await checker.check([other])

    asyncio.run(run())
    times = {path: t for t, _m, path in site.log}
    assert times["/about.html"] - times["/ratelimit/statistics.html"] >= 0.9


def test_retry_after_is_honoured_even_when_the_recheck_delay_is_shorter(site):
    site.reset()
    url = next(p.url for p in site.tricky if p.kind == "429-then-ok")
    res = check_urls([url], config(site, recheck_delay=0.05))[url]
    assert res.verdict == "ok" and res.first_status_text == "429"
    hits = [t for t, _m, path in site.log if url.endswith(path)]
    assert hits[-1] - hits[0] >= 1.0  # the farm's Retry-After: 1


def test_head_is_tried_first_and_get_only_where_head_fails(site):
    site.reset()
    ok = next(p.url for p in site.tricky if p.kind == "slow")
    head_refused = next(p.url for p in site.tricky if p.kind == "head-405")
    check_urls([ok, head_refused], config(site))
    methods = {path: [m for _t, m, p in site.log if p == path] for path in ("/slow/report.html",)}
    assert methods["/slow/report.html"] == ["HEAD"]
    refused_path = "/" + head_refused.split("/", 3)[3]
    assert [m for _t, m, p in site.log if p == refused_path] == ["HEAD", "GET"]


def test_a_bot_user_agent_gets_the_firewall_403(site):
    site.reset()
    url = next(p.url for p in site.tricky if p.kind == "waf403")
    res = check_urls([url], config(site, user_agent="python-requests/2.31"))[url]
    assert res.verdict == "confirmed" and res.status_text == "403"


class _Counting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    active = 0
    peak = 0
    starts: list[float] = []
    lock = threading.Lock()

    def do_HEAD(self) -> None:  # noqa: N802
        cls = type(self)
        with cls.lock:
            cls.active += 1
            cls.peak = max(cls.peak, cls.active)
            cls.starts.append(time.monotonic())
        time.sleep(0.1)
        with cls.lock:
            cls.active -= 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def counting_server():
    _Counting.active = _Counting.peak = 0
    _Counting.starts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_per_host_concurrency_is_capped(counting_server):
    urls = [f"{counting_server}/p{i}" for i in range(24)]
    res = check_urls(urls, CheckConfig(per_host=3, concurrency=50))
    assert all(r.verdict == "ok" for r in res.values())
    assert _Counting.peak == 3


def test_per_host_delay_spaces_request_starts(counting_server):
    urls = [f"{counting_server}/p{i}" for i in range(5)]
    check_urls(urls, CheckConfig(per_host=8, host_delay=0.15))
    starts = _Counting.starts
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    # timestamps are taken by the server's threads: on a loaded machine one request may be
    # stamped late, shortening one gap and lengthening the next, so the whole span carries
    # the check and each single gap only has to show real spacing (unspaced: ~0 s)
    assert len(gaps) == 4 and starts[-1] - starts[0] >= 4 * 0.15 * 0.95
    assert min(gaps) >= 0.15 * 0.4


def test_registrable_domains_and_what_counts_as_hijacked():
    assert registrable_domain("www.xianning.gov.cn") == "xianning.gov.cn"
    assert registrable_domain("a.b.example.com") == "example.com"
    moved = Fetch("http://www.a.gov.cn/", "GET", 200, final_url="http://www.b.gov.cn/",
                  chain=["http://www.a.gov.cn/", "http://www.b.gov.cn/"])  # fmt: skip
    same = Fetch("http://www.a.gov.cn/", "GET", 200, final_url="http://zwgk.a.gov.cn/x",
                 chain=["http://www.a.gov.cn/", "http://zwgk.a.gov.cn/x"])  # fmt: skip
    taken = Fetch("http://www.a.gov.cn/", "GET", 200, final_url="http://bet.example.com/",
                  chain=["http://www.a.gov.cn/", "http://bet.example.com/"])  # fmt: skip
    assert hijacked(moved) == "" and hijacked(same) == ""
    assert hijacked(taken) == "bet.example.com"
