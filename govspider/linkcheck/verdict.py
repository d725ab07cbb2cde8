"""How a fetch result reads to an analyst: the status in Chinese and the verdict.

- confirmed (确认失效): 404, 410, DNS failure, connection refused, or still failing when
  re-checked; an off-site government link that now leads to an unrelated site.
- suspected (疑似失效): anything else that failed (401, 403, 429, 5xx, timeout, reset,
  TLS handshake): re-checked later in the round; only confirmed links are deducted.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from govspider.errors import FAILURE_NAMES
from govspider.linkcheck.http import Fetch
from pipelines.check_models import CONFIRMED, OK, SUSPECTED

__all__ = ["CONFIRMED", "OK", "SUSPECTED"]

CONFIRMED_AT_ONCE_STATUS = {404, 410}
CONFIRMED_AT_ONCE_ERRORS = {"dns", "refused"}
FLAG_HIJACKED = "外链变异"
FLAG_DOMAIN_GONE = "域名失效"
# second-level labels under which the registrable domain has three labels (xx.gov.cn)
_SHARED_SUFFIXES = {"gov", "com", "net", "org", "edu", "ac", "mil"}
GOVERNMENT_SUFFIXES = (".gov.cn", ".gov")


def status_text(fetch: Fetch) -> str:
    """'404', '503', '超时', '域名解析失败', ... as shown in the 状态 column."""
    if fetch.error_kind:
        return FAILURE_NAMES.get(fetch.error_kind, "请求失败")
    return str(fetch.status) if fetch.status is not None else "请求失败"


def first_verdict(fetch: Fetch) -> str:
    """The verdict of a first attempt: ok, confirmed at once, or suspected (re-check)."""
    if fetch.ok:
        return OK
    if fetch.error_kind in CONFIRMED_AT_ONCE_ERRORS:
        return CONFIRMED
    if not fetch.error_kind and fetch.status in CONFIRMED_AT_ONCE_STATUS:
        return CONFIRMED
    return SUSPECTED


def registrable_domain(host: str) -> str:
    """example.gov.cn for www.example.gov.cn; example.com for a.b.example.com; IPs as is."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and labels[-1] == "cn" and labels[-2] in _SHARED_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_government(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host.endswith(GOVERNMENT_SUFFIXES) or host in ("gov.cn",)


def hijacked(fetch: Fetch) -> str:
    """The unrelated host an off-site government link now redirects to, or ''.

    A government domain never legitimately hands its visitors to a non-government site
    of another owner; moving to another government domain (机构改革) is fine.
    """
    if not fetch.ok or len(fetch.chain) < 2:
        return ""
    start = urlsplit(fetch.url).hostname or ""
    final = urlsplit(fetch.final_url).hostname or ""
    if not is_government(start) or is_government(final):
        return ""
    if registrable_domain(start) == registrable_domain(final):
        return ""
    return final


def offsite(url: str, home_url: str) -> bool:
    """Whether url is on another host than the site's home page."""
    return (urlsplit(url).hostname or "") != (urlsplit(home_url).hostname or "")
