"""Short Chinese names for why a request failed, for the crawl-health record."""

from __future__ import annotations

from scrapy import exceptions as scrapy_errors
from twisted.internet import error as net_error
from twisted.python.failure import Failure

try:  # present when Twisted has TLS support, which Scrapy requires
    from OpenSSL.SSL import Error as TLSError
except ImportError:  # pragma: no cover
    TLSError = None

# Scrapy 2.13+ raises its own exception types for download failures; older versions
# (and other handlers) raise Twisted's. Both are recognised.
_KINDS: list[tuple[tuple[type[BaseException], ...], str]] = [
    ((net_error.TimeoutError, net_error.TCPTimedOutError), "timeout"),
    ((net_error.DNSLookupError,), "dns"),
    ((net_error.ConnectionRefusedError,), "refused"),
    ((net_error.ConnectionLost, net_error.ConnectionDone), "reset"),
]
for _name, _kind in (
    ("DownloadTimeoutError", "timeout"),
    ("CannotResolveHostError", "dns"),
    ("DownloadConnectionRefusedError", "refused"),
    ("ResponseDataLossError", "reset"),
    ("DownloadCancelledError", "toolarge"),  # raised when DOWNLOAD_MAXSIZE is passed
):
    if hasattr(scrapy_errors, _name):
        _KINDS.append(((getattr(scrapy_errors, _name),), _kind))


def failure_kind(failure: Failure) -> str:
    """timeout | dns | refused | reset | tls | toolarge | error: the machine-readable kind."""
    exc = failure.value
    # Scrapy's DownloadFailedError carries twisted's ResponseNeverReceived as its cause
    if getattr(exc.__cause__, "reasons", None) and not getattr(exc, "reasons", None):
        exc = exc.__cause__
    reasons = getattr(exc, "reasons", None)  # twisted wraps the cause in ResponseNeverReceived
    if reasons:
        exc = getattr(reasons[0], "value", exc)
    for types, kind in _KINDS:
        if isinstance(exc, types):
            return kind
    name = type(exc).__name__.lower()
    text = str(exc).lower()
    if (TLSError is not None and isinstance(exc, TLSError)) or "ssl" in name or "tls" in name:
        return "tls"
    if "certificate" in text or "handshake" in text:
        return "tls"
    if "timeout" in name or "timed out" in text:
        return "timeout"
    return "error"


# one vocabulary for the crawl, the availability probes and the link checker
FAILURE_NAMES = {
    "timeout": "超时",
    "dns": "域名解析失败",
    "refused": "连接被拒绝",
    "reset": "连接被重置",
    "tls": "TLS握手失败",
    "http": "HTTP错误",
    "redirects": "重定向次数过多",
    "toolarge": "页面过大(超过下载上限)",
    "error": "请求失败",
}


def describe_failure(failure: Failure) -> str:
    """A short Chinese reason such as '超时' or '连接被拒绝'."""
    return FAILURE_NAMES[failure_kind(failure)]
