"""The demo farm: government websites generated from the bundled farm.yaml, with ground truth.

Every date on the farm is relative to ``farm_date``; the hand-written expectations in
farm.yaml are valid for the monitoring time point ``farm_date`` whatever that date is,
because the spec keeps column ages away from the calendar-month window edges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import yaml

from farm.guides import ONLINE_BROKEN, is_guide_column, online_url
from farm.layout import resolve_tokens
from farm.model import FarmColumn, FarmItem, FarmPage, FarmSite, OffsiteLink
from farm.render import FarmSpecError, build_sites

__all__ = [
    "Farm",
    "FarmColumn",
    "FarmItem",
    "FarmPage",
    "FarmSite",
    "FarmSpecError",
    "OffsiteLink",
    "load_farm",
    "load_spec",
]

HOME_WINDOW_DAYS = 14


def load_spec() -> dict:
    """The bundled farm.yaml, read as package data (works inside a scrapyd egg)."""
    text = resources.files("farm").joinpath("farm.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_farm(farm_date: dt.date) -> Farm:
    """Generate the farm with every item dated relative to ``farm_date``."""
    return Farm(sites=build_sites(load_spec(), farm_date), farm_date=farm_date)


@dataclass
class Farm:
    sites: list[FarmSite]
    farm_date: dt.date

    def site(self, site_id: str) -> FarmSite:
        for site in self.sites:
            if site.id == site_id:
                return site
        raise KeyError(site_id)

    def home_new_items(self, site: FarmSite) -> int:
        """Distinct on-site item URLs on the home page dated within the 2 weeks up to farm_date."""
        fresh = {
            (host, path)
            for host, path, day in site.home_items()
            if day is not None and 0 <= (self.farm_date - day).days <= HOME_WINDOW_DAYS
        }
        return len(fresh)

    def truth(self, base_url: Callable[[str, str], str]) -> dict:
        """Ground truth per site id; ``base_url(site_id, host_alias)`` gives "http://h:p/".

        Facts (columns, URLs, newest dates, flags, home counts) come from the generated site;
        ``expected`` is copied from farm.yaml as written by hand. For a site whose home page
        fails, ``home_new_items_2w`` is what that page would have shown.
        """
        return {site.id: self._site_truth(site, base_url) for site in self.sites}

    @staticmethod
    def _online_truth(site: FarmSite, url: Callable[[str, str], str]) -> list[dict]:
        """The online systems its read guides link (one per guide column): URL and kind;
        `broken` ones are findings, `down` ones 未监测 (no HTTP answer)."""
        out = []
        for col in site.all_columns():
            if not (col.online and col.items and not col.failed and is_guide_column(col)):
                continue
            path = online_url(col)
            out.append(
                {
                    "column": col.name,
                    "url": path if path.startswith("http") else url(col.host, path),
                    "kind": col.online,
                    "broken": col.online in ONLINE_BROKEN,
                    "unchecked": col.online == "down",
                }
            )
        return out

    def _site_truth(self, site: FarmSite, base_url: Callable[[str, str], str]) -> dict:
        def url(host: str, path: str) -> str:
            return base_url(site.id, host).rstrip("/") + path

        offsite = [link.url for link in site.offsite_nav]
        offsite += [more for _title, more, _rows in site.offsite_blocks]
        columns = []
        for col in site.all_columns():
            first_page = col.items[: site.page_size]
            dated = not (col.failed or col.undated) and col.items
            columns.append(
                {
                    "name": col.name,
                    "path": col.names,
                    "url": url(col.host, col.path),
                    "category": col.category,
                    "newest_date": col.items[0].date.isoformat() if dated else None,
                    "item_count_first_page": 0 if col.failed else len(first_page),
                    "blank": col.blank,
                    "failed": col.failed,
                    # no date anywhere: must come out 监测失败 (日期未识别), never 未更新
                    "undated": col.undated,
                    "container": col.container,
                    "status": col.status,
                    "pages": 0 if col.failed else max(1, len(col.page_paths)),
                }
            )
        return {
            "online_systems": self._online_truth(site, url),
            "name": site.name,
            "group": site.group,
            "purpose": site.purpose,
            "encoding": site.encoding,
            "date_format": site.date_format,
            "family": site.family,
            "skin": site.skin,
            # a list only a browser shows: crawled right only with Chromium
            "needs_browser": any(c.js == "render" for c in site.all_columns()),
            "home_failed": site.home_status >= 400,
            "home_status": site.home_status,
            "columns": columns,
            "home_new_items_2w": self.home_new_items(site),
            "offsite_links": [resolve_tokens(link.encode(), base_url).decode() for link in offsite],
            "expected": dict(site.expected),
            # planted page-text faults, written by hand in farm.yaml (notes' hits)
            "page_hits": [h for n in site.notes for h in n.get("hits", [])],
            "marks_missing": sorted(site.marks_missing),
            "domain": site.domain,
            "letters": [
                {
                    "column": col.name,
                    "url": url(col.host, item.path),
                    "sent": item.date.isoformat(),
                    "reply": item.reply.isoformat() if item.reply else None,
                }
                for col in site.all_columns()
                if col.replies and not col.failed
                for item in col.items
            ],
        }
