"""One HTTP fetch as the link checker and the probes see it: status or error kind, exactly.

Redirects are followed here, hop by hop, so every hop goes through the same TLS policy:
a certificate or protocol problem is retried once with a permissive TLS setting (old
government servers), and the problem is reported beside the result instead of as a
failure. DNS names can be mapped to local addresses (tests, the demo farm) without
touching /etc/hosts.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import socket
import ssl
import time
import warnings
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
BROWSER_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.6",
}
REDIRECT_CODES = {301, 302, 303, 307, 308}
# SSL_OP_LEGACY_SERVER_CONNECT: Python 3.11's ssl module does not name it yet
OP_LEGACY_SERVER_CONNECT = getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4)
MAX_BODY = 1 << 20  # a GET reads at most this much; the rest is not needed to judge


@dataclass
class Fetch:
    """What one request (with its redirects) gave."""

    url: str
    method: str
    status: int | None = None
    error_kind: str = ""  # "" | timeout | dns | refused | reset | tls | redirects | error
    detail: str = ""
    final_url: str = ""
    chain: list[str] = field(default_factory=list)  # every URL requested, in order
    tls_problem: str = ""
    retry_after: float | None = None
    elapsed: float = 0.0
    body: bytes = b""

    @property
    def ok(self) -> bool:
        return self.error_kind == "" and self.status is not None and self.status < 400


class MappedResolver(AbstractResolver):
    """Resolves names listed in `hosts` to the given address; others as usual."""

    def __init__(self, hosts: dict[str, str] | None = None) -> None:
        self.hosts = {k.lower(): v for k, v in (hosts or {}).items()}
        self._fallback = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        address = self.hosts.get(host.lower())
        if address is None:
            return await self._fallback.resolve(host, port, family)
        fam = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [
            ResolveResult(
                hostname=host, host=address, port=port, family=fam, proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]  # fmt: skip

    async def close(self) -> None:
        await self._fallback.close()


def strict_tls(ca_file: str | None = None) -> ssl.SSLContext:
    """What a current browser accepts: verified certificate, TLS 1.2 or newer.

    ca_file adds trusted roots (a national CA missing from the system store, a test CA).
    """
    ctx = ssl.create_default_context()
    if ca_file:
        ctx.load_verify_locations(ca_file)
    return ctx


def permissive_tls() -> ssl.SSLContext:
    """Accept what old government servers still run: any certificate, TLS 1.0, old ciphers."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():  # deprecated on purpose: old servers still speak it
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    ctx.options |= OP_LEGACY_SERVER_CONNECT
    return ctx


def tls_problem_text(exc: BaseException) -> str:
    """A short Chinese name for why a strict TLS connection failed."""
    message = str(getattr(exc, "verify_message", "") or exc).lower()
    if "expired" in message:
        return "TLS证书过期"
    if "self-signed" in message or "self signed" in message:
        return "TLS自签名证书"
    if "mismatch" in message or "doesn't match" in message:
        return "TLS证书域名不符"
    if "not yet valid" in message:
        return "TLS证书尚未生效"
    if "issuer" in message or "verify failed" in message:
        return "TLS证书不受信任"
    if "renegotiation" in message:
        return "TLS不安全的旧式重协商"
    if "protocol" in message or "version" in message:
        return "TLS协议版本过旧"
    if "cipher" in message or "handshake" in message or "dh key" in message:
        return "TLS加密套件过旧"
    return "TLS握手失败"


def _is_tls_error(exc: BaseException) -> bool:
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return True
    cause = getattr(exc, "os_error", None) or exc.__cause__
    return isinstance(cause, ssl.SSLError)


def error_kind(exc: BaseException) -> str:
    """timeout | dns | refused | reset | tls | error for an exception of a request."""
    if isinstance(exc, asyncio.TimeoutError | TimeoutError | aiohttp.ServerTimeoutError):
        return "timeout"
    dns_error = getattr(aiohttp, "ClientConnectorDNSError", ())
    if isinstance(exc, dns_error) or isinstance(getattr(exc, "os_error", None), socket.gaierror):
        return "dns"
    if _is_tls_error(exc):
        return "tls"
    os_error = getattr(exc, "os_error", None) or (exc if isinstance(exc, OSError) else None)
    if isinstance(os_error, ConnectionRefusedError) or (
        os_error is not None and os_error.errno == errno.ECONNREFUSED
    ):
        return "refused"
    if isinstance(exc, aiohttp.ServerDisconnectedError | ConnectionResetError) or (
        os_error is not None and os_error.errno in (errno.ECONNRESET, errno.EPIPE)
    ):
        return "reset"
    if isinstance(exc, aiohttp.ClientConnectorError) and isinstance(os_error, TimeoutError):
        return "timeout"
    return "error"


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class Fetcher:
    """Requests with a browser-like identity, manual redirects and the TLS fallback."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        timeout: float = 15.0,
        user_agent: str = BROWSER_USER_AGENT,
        max_redirects: int = 10,
        ca_file: str | None = None,
    ) -> None:
        self.session = session
        self.timeout = timeout
        self.headers = {"User-Agent": user_agent, **BROWSER_HEADERS}
        self.max_redirects = max_redirects
        self._strict = strict_tls(ca_file)
        self._permissive = permissive_tls()
        # host:port -> the TLS problem seen there; such hosts go straight to permissive
        self.tls_hosts: dict[str, str] = {}

    async def fetch(self, url: str, method: str = "HEAD", read_body: bool = False) -> Fetch:
        """Request url (following redirects) within `timeout` seconds in all."""
        result = Fetch(url=url, method=method)
        started = time.monotonic()
        try:
            await asyncio.wait_for(self._follow(result, read_body), self.timeout)
        except TimeoutError:
            result.status, result.error_kind, result.detail = None, "timeout", "timeout"
        result.elapsed = time.monotonic() - started
        return result

    async def _follow(self, result: Fetch, read_body: bool) -> None:
        url, method = result.url, result.method
        for _ in range(self.max_redirects + 1):
            result.chain.append(url)
            result.final_url = url
            try:
                status, headers, body = await self._one(result, url, method, read_body)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure is a result here
                result.status = None
                result.error_kind = error_kind(exc)
                result.detail = f"{type(exc).__name__}: {exc}"[:300]
                return
            result.status = status
            result.body = body
            result.retry_after = parse_retry_after(headers.get("Retry-After"))
            location = headers.get("Location")
            if status not in REDIRECT_CODES or not location:
                return
            url = urljoin(url, location.strip())
            if not url.startswith(("http://", "https://")):
                result.error_kind, result.detail = "error", f"bad redirect: {location}"
                return
            if status == 303:
                method = "GET"
        result.error_kind, result.detail = "redirects", "too many redirects"

    async def _one(
        self, result: Fetch, url: str, method: str, read_body: bool
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        if parts.scheme != "https":
            return await self._request(url, method, read_body, None)
        host = parts.netloc.lower()
        if host in self.tls_hosts:
            result.tls_problem = result.tls_problem or self.tls_hosts[host]
            return await self._request(url, method, read_body, self._permissive)
        try:
            return await self._request(url, method, read_body, self._strict)
        except Exception as exc:  # noqa: BLE001
            if not _is_tls_error(exc):
                raise
            problem = tls_problem_text(getattr(exc, "certificate_error", None) or exc)
        # the strict attempt failed on TLS: the permissive one decides
        answer = await self._request(url, method, read_body, self._permissive)
        self.tls_hosts[host] = problem
        result.tls_problem = result.tls_problem or problem
        return answer

    async def _request(
        self, url: str, method: str, read_body: bool, tls: ssl.SSLContext | None
    ) -> tuple[int, dict[str, str], bytes]:
        async with self.session.request(
            method,
            url,
            headers=self.headers,
            allow_redirects=False,
            ssl=tls if tls is not None else True,
        ) as resp:
            body = b""
            if method != "HEAD" and read_body:
                body = await resp.content.read(MAX_BODY)
            elif method != "HEAD" and (resp.content_length or 0) <= 64 * 1024:
                # a small body is drained so the connection can be reused
                await resp.content.read(64 * 1024)
            return resp.status, dict(resp.headers), body


def make_session(hosts: dict[str, str] | None = None) -> aiohttp.ClientSession:
    """A session whose limits are the caller's own semaphores, with the host mapping."""
    connector = aiohttp.TCPConnector(
        limit=0, limit_per_host=0, resolver=MappedResolver(hosts), ttl_dns_cache=300
    )
    # no total timeout here: Fetcher.fetch bounds each request and its redirects
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=None),
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=True,
    )
