"""Hostile pages: a downloader middleware that keeps odd responses from reaching the parsers.

Binary files, login walls, crawler traps, pages over the per-site budget and redirects off
the site become an empty non-HTML response whose ``guard_reason`` meta the spider records
as a monitoring failure (监测失败) with that reason: never a crash, never a finding
against the site. A wrong charset declaration is corrected and a JavaScript redirect
within the site is followed; both are counted in the crawl stats (``guard/...``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from scrapy import Request, signals
from scrapy.http import Response, TextResponse

from govspider.extract.base import same_site

# query keys (lower case) that only carry a visitor's session: dropped from a URL's identity
SESSION_KEYS = {
    "jsessionid", "phpsessid", "sessionid", "session_id", "aspsessionid", "sessid",
    "cfid", "cftoken", "_t", "timestamp", "random", "rnd",
}  # fmt: skip
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.I)
BINARY_MAGIC = (
    (b"%PDF", "PDF文件"),
    (b"PK\x03\x04", "压缩包或Office文件"),
    (b"\xd0\xcf\x11\xe0", "Office文件"),
    (b"\x89PNG", "图片"),
    (b"GIF8", "图片"),
    (b"\xff\xd8\xff", "图片"),
    (b"Rar!", "压缩包"),
    (b"\x1f\x8b", "压缩文件"),
    (b"7z\xbc\xaf", "压缩包"),
    (b"MZ", "可执行文件"),
)
BINARY_TYPES = (
    "application/pdf", "application/zip", "application/msword", "image/", "video/", "audio/",
    "application/vnd.", "application/x-rar", "application/octet",
)  # fmt: skip
_JS_REDIRECT = re.compile(
    rb"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']"""
    rb"""|location\.(?:replace|assign)\(\s*["']([^"']+)["']\s*\)""",
    re.I,
)
_LOGIN_PATH = re.compile(r"/(?:login|logon|signin|sso|cas|passport|auth)(?:[/.?_]|$)", re.I)
_PASSWORD = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password", re.I)
MAX_JS_REDIRECTS = 3


def canonical_url(url: str) -> str:
    """A URL's identity: no fragment, no session parameters, query parameters sorted."""
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path) or "/"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in SESSION_KEYS
    )  # fmt: skip
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def trap_reason(url: str, max_params: int = 8) -> str:
    """Why a URL looks like a crawler trap (endless parameters, repeating paths), or ""."""
    if len(url) > 1000:
        return "网址过长(疑似抓取陷阱)"
    parts = urlsplit(url)
    if len(parse_qsl(parts.query, keep_blank_values=True)) > max_params:
        return "网址参数过多(疑似抓取陷阱)"
    segments = [s for s in parts.path.split("/") if s]
    if any(segments.count(s) >= 3 for s in set(segments)):
        return "网址路径循环重复(疑似抓取陷阱)"
    return ""


def binary_kind(response: Response) -> str:
    """What binary file a response is ("PDF文件"...), by its first bytes or type, or ""."""
    head = response.body[:8]
    for magic, kind in BINARY_MAGIC:
        if head.startswith(magic):
            return kind
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if any(ctype.startswith(t) for t in BINARY_TYPES) and b"<html" not in response.body[:2048]:
        return f"非网页文件({ctype.split(';')[0]})"
    return ""


def better_encoding(response: TextResponse) -> str | None:
    """The encoding the body is really in when the declared one cannot decode it."""
    declared = response.encoding.lower().replace("_", "-")
    tries = ["utf-8", "gb18030"]
    if declared in ("gbk", "gb2312", "gb18030", "cp936"):
        declared = "gb18030"
    try:
        response.body.decode(declared)
        return None
    except (UnicodeDecodeError, LookupError):
        pass
    for encoding in tries:
        if encoding == declared:
            continue
        try:
            response.body.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


class PageGuard:
    """Downloader middleware; see the module docstring. Settings: GOVSPIDER_MAX_PAGES,
    GOVSPIDER_MAX_QUERY_VARIANTS."""

    def __init__(self, crawler) -> None:  # noqa: ANN001
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_pages = crawler.settings.getint("GOVSPIDER_MAX_PAGES", 2000)
        self.max_variants = crawler.settings.getint("GOVSPIDER_MAX_QUERY_VARIANTS", 30)
        # per open site: the pages asked for (budget) and each path's query variants (traps)
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.variants: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    @classmethod
    def from_crawler(cls, crawler) -> PageGuard:  # noqa: ANN001
        guard = cls(crawler)
        # a site's snapshot comes once its last request is done: its counts can go
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(guard.site_stored, signal=signal)
        return guard

    def site_stored(self, item: object, **_: object) -> None:
        """Forget a site once its snapshot is through the pipelines (or dropped)."""
        site_id = getattr(item, "site_id", None)
        self.seen.pop(site_id, None)
        self.variants.pop(site_id, None)

    def _site(self, request: Request):  # noqa: ANN202
        sites = getattr(self.crawler.spider, "sites_by_id", None) or {}
        return sites.get(request.meta.get("site_id"))

    def _log(self, message: str, *args: object) -> None:
        self.crawler.spider.logger.info(message, *args)

    def _refuse(self, request: Request, reason: str, key: str) -> Response:
        self.stats.inc_value(f"guard/{key}")
        self._log("guard: %s %s", reason, request.url)
        request.meta["guard_reason"] = reason
        return Response(request.url, status=200, body=b"", request=request, flags=["guard"])

    def _on_site(self, site, request: Request, url: str) -> bool:  # noqa: ANN001
        base = request.meta.get("base") or site.url
        return same_site(url, site.url, site.extra_domains) or same_site(
            url, base, site.extra_domains
        )

    def process_request(self, request: Request) -> Response | None:
        site = self._site(request)
        if site is None or request.meta.get("guard_reason"):
            return None
        # an online service system may live on another host (a provincial 政务服务网)
        offsite_ok = request.meta.get("home") or request.meta.get("online_check")
        if request.meta.get("redirect_urls") and not self._on_site(site, request, request.url):
            self.stats.inc_value("guard/offsite_redirect")
            if not offsite_ok:
                first = request.meta["redirect_urls"][0]
                return self._refuse(
                    request, f"重定向到站外({request.url},原网址 {first})", "offsite"
                )
            self._log("guard: home of %s redirects off the site to %s", site.id, request.url)
        reason = trap_reason(request.url)
        if reason:
            return self._refuse(request, reason, "trap")
        canon = canonical_url(request.url)
        parts = urlsplit(canon)
        if parts.query:
            variants = self.variants[site.id][parts.path]
            variants.add(parts.query)
            if len(variants) > self.max_variants:
                reason = f"同一页面的参数变体超过{self.max_variants}个(疑似日历等抓取陷阱)"
                return self._refuse(request, reason, "trap")
        seen = self.seen[site.id]
        seen.add(canon)
        if len(seen) > self.max_pages:
            return self._refuse(request, f"超出每站页面上限({self.max_pages}页)", "budget")
        return None

    def process_response(self, request: Request, response: Response) -> Request | Response:
        site = self._site(request)
        if site is None or "guard" in response.flags or not 200 <= response.status < 300:
            return response
        if request.meta.get("download_check"):  # a form is downloaded to see it comes
            return response
        if request.meta.get("online_check"):  # a login page is an online system opening
            return response
        kind = binary_kind(response)
        if kind:
            return self._refuse(request, f"不是网页({kind}),未解析", "binary")
        if not isinstance(response, TextResponse):
            return response
        if _PASSWORD.search(response.body) and (
            _LOGIN_PATH.search(urlsplit(response.url).path)
            or response.body.lower().count(b"<a ") < 5
        ):
            return self._refuse(request, "需要登录才能查看(登录页)", "login")
        encoding = better_encoding(response)
        if encoding:
            self.stats.inc_value("guard/charset_fixed")
            self._log("guard: %s declares %s but is %s", response.url, response.encoding, encoding)
            response = response.replace(encoding=encoding)
        return self._js_redirect(request, response, site)

    def _js_redirect(self, request: Request, response: TextResponse, site):  # noqa: ANN001, ANN202
        body = response.body
        if len(body) > 8192 or body.lower().count(b"<a ") > 3:
            return response  # a real page that also has a script
        match = _JS_REDIRECT.search(body)
        if not match:
            return response
        raw = (match.group(1) or match.group(2)).decode(response.encoding, "replace")
        target = urljoin(response.url, raw.strip())
        if not target.startswith(("http://", "https://")):
            return response
        hops = request.meta.get("js_redirects", 0)
        home = request.meta.get("home")  # a home page may move to a new domain, as by HTTP
        if not home and not self._on_site(site, request, target):
            return self._refuse(request, f"脚本跳转到站外({target})", "offsite")
        if hops >= MAX_JS_REDIRECTS:
            return self._refuse(request, "脚本跳转次数过多", "js_loop")
        self.stats.inc_value("guard/js_redirect")
        self._log("guard: %s redirects by script to %s", response.url, target)
        redirects = [*request.meta.get("redirect_urls", []), response.url]
        meta = {**request.meta, "js_redirects": hops + 1, "redirect_urls": redirects}
        return request.replace(url=target, meta=meta, dont_filter=True)
