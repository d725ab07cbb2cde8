"""Which navigation links are not columns (网站地图, English, 登录, RSS, 搜索...), and why.

The patterns are data (govspider/data/non_columns.yaml); a site adds its own in the site
list with ``not_columns:``. Off-site links and file downloads are told by their address.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from urllib.parse import urlsplit

import yaml

from govspider.extract.base import NON_PAGE_SUFFIXES

OFF_SITE = "站外链接"
FILE = "文件下载"
SITE_LISTED = "名单配置为非栏目"


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[list, list, list]:
    # importlib.resources: the list is package data, found inside a scrapyd egg as well
    text = resources.files("govspider").joinpath("data", "non_columns.yaml").read_text("utf-8")
    data = yaml.safe_load(text)

    def compile_all(section: str, whole: bool) -> list[tuple[str, re.Pattern]]:
        out = []
        for reason, patterns in (data.get(section) or {}).items():
            for p in patterns:
                out.append((reason, re.compile(rf"^(?:{p})$" if whole else p, re.I)))
        return out

    return compile_all("names", True), compile_all("urls", False), compile_all("schemes", False)


def non_column_reason(name: str, url: str, extra: list[str] | tuple[str, ...] = ()) -> str:
    """The reason a link named ``name`` to ``url`` is not a column, or "" when it may be one."""
    names, urls, schemes = _patterns()
    text = name.strip()
    low = url.strip().lower()
    if any(re.search(p, text) or re.search(p, url) for p in extra):
        return SITE_LISTED
    for reason, rx in names:
        if rx.match(text):
            return reason
    for reason, rx in schemes:
        if rx.match(low):
            return reason
    if urlsplit(low).path.endswith(NON_PAGE_SUFFIXES):
        return FILE
    for reason, rx in urls:
        if rx.search(low):
            return reason
    return ""
