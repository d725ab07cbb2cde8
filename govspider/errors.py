"""Short Chinese names for why a request failed, for the crawl-health record."""

from __future__ import annotations

from twisted.internet import error as net_error
from twisted.python.failure import Failure

try:  # present when Twisted has TLS support, which Scrapy requires
    from OpenSSL.SSL import Error as TLSError
except ImportError:  # pragma: no cover
    TLSError = None


def failure_kind(failure: Failure) -> str:
    """timeout | dns | refused | reset | tls | error: the machine-readable kind."""
    exc = failure.value
    reasons = getattr(exc, "reasons", None)  # twisted wraps the cause in ResponseNeverReceived
    if reasons:
        exc = getattr(reasons[0], "value", exc)
    name = type(exc).__name__.lower()
    if isinstance(exc, net_error.TimeoutError | net_error.TCPTimedOutError) or "timeout" in name:
        return "timeout"
    if isinstance(exc, net_error.DNSLookupError):
        return "dns"
    if isinstance(exc, net_error.ConnectionRefusedError):
        return "refused"
    if TLSError is not None and isinstance(exc, TLSError) or "ssl" in name or "tls" in name:
        return "tls"
    if isinstance(exc, net_error.ConnectionLost | net_error.ConnectionDone) or "lost" in name:
        return "reset"
    return "error"


KIND_NAMES = {
    "timeout": "超时",
    "dns": "域名解析失败",
    "refused": "连接被拒绝",
    "reset": "连接中断",
    "tls": "TLS/证书错误",
    "error": "请求失败",
}


def describe_failure(failure: Failure) -> str:
    """A short Chinese reason such as '超时' or '连接被拒绝: ...'."""
    return KIND_NAMES[failure_kind(failure)]
