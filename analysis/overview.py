"""The round at a glance, from one Report: 汇总 figures, 内容更新情况, 突出问题, 即将超期.

Every number here is computed from the Report only, so the workbook, the printed summary
and the draft 通报 quote the same figures. Groupings are data (data/overview.yaml).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from analysis.frames import records, tuples
from analysis.report import Report
from analysis.windows import Window

PASS, FAIL, FAILED = "合格", "不合格", "监测失败"
UNREACHABLE = "无法打开"
PROBLEM_STATUSES = ("veto", "deduction")
CONTENT_UPDATE_HEADERS = ["单位名称", "概况信息", "业务动态", "服务信息", "互动交流", "综合评级"]


@lru_cache(maxsize=1)
def overview_data() -> dict[str, Any]:
    """The groupings of data/overview.yaml."""
    text = resources.files("analysis").joinpath("data", "overview.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def problem_kind_of() -> dict[str, str]:
    """rule id -> short problem label (多个栏目空白, 首页长期未更新, ...)."""
    return {
        rule: kind for kind, rules in overview_data()["problem_kinds"].items() for rule in rules
    }


def percent(part: int, whole: int) -> str:
    """97.2% as the seeds write it (two decimals when needed, no trailing zeros)."""
    if not whole:
        return "—"
    return f"{round(100 * part / whole, 2):g}%"


def _problems(report: Report) -> pd.DataFrame:
    found = report.findings
    if found.empty:
        return found
    return found[found["status"].isin(PROBLEM_STATUSES)]


def _values(frame: pd.DataFrame, name: str) -> list:
    """A column as a plain list ([] when absent): iterating a text column goes through
    pandas cell by cell."""
    return frame[name].tolist() if name in frame else []


def _sites_by_id(report: Report) -> dict[str, dict]:
    """Each site's row of report.sites as a dict, by site_id (no .loc per site)."""
    return {row["site_id"]: row for row in records(report.sites)}


def content_updates(report: Report, order: list[str]) -> list[list[object]]:
    """Rows of 内容更新情况: the newest date of each column group as YYYY.MM."""
    groups: dict[str, list[str]] = overview_data()["content_groups"]
    cols = report.columns
    if not cols.empty:
        cols = cols[cols["status"] != "非栏目"]
    group_of = {cat: g for g, cats in groups.items() for cat in cats}
    newest: dict[tuple[str, str], dt.date] = {}  # (site, group) -> newest date, one pass
    for sid, cat, day in zip(_values(cols, "site_id"), _values(cols, "category"),
                             _values(cols, "newest_date"), strict=True):  # fmt: skip
        g = group_of.get(cat)
        if g and isinstance(day, dt.date) and day > newest.get((sid, g), dt.date.min):
            newest[(sid, g)] = day
    sites = _sites_by_id(report)
    rows = []
    for sid in order:
        site = sites[sid]
        if site.get("verdict", site["result"]) == FAILED:
            rows.append([site["site_name"], None, None, None, None, UNREACHABLE])
            continue
        cells = [newest[(sid, g)].strftime("%Y.%m") if (sid, g) in newest else None for g in groups]
        rows.append([site["site_name"], *cells, site["rating"] or None])
    return rows


def problem_sites(report: Report, order: list[str]) -> list[tuple[str, str, str]]:
    """(group, unit, labels) of each failing site, labels joined with 、 in data order."""
    kinds = problem_kind_of()
    label_order = list(overview_data()["problem_kinds"])
    found = _problems(report)
    labels_of: dict[str, set[str]] = {}
    for sid, rule, indicator in zip(_values(found, "site_id"), _values(found, "rule_id"),
                                    _values(found, "indicator"), strict=True):  # fmt: skip
        labels_of.setdefault(sid, set()).add(kinds.get(rule, indicator))
    sites = _sites_by_id(report)
    out = []
    for sid in order:
        site = sites[sid]
        if site.get("verdict", site["result"]) != FAIL:
            continue
        labels = labels_of.get(sid, set())
        ranked = sorted(labels, key=lambda k: (label_order.index(k) if k in label_order else 99, k))
        out.append((site["group"] or "", site["site_name"], "、".join(ranked)))
    return out


@dataclass
class Summary:
    """The figures a 通报 quotes."""

    sites: int
    checked: int  # scored: 合格 + 不合格
    passed: int
    failed: int
    not_measured: int  # 监测失败
    pass_rate: str
    ratings: list[tuple[str, int, str]] = field(default_factory=list)  # (rating, n, share)
    groups: list[tuple[str, int, int, int, str]] = field(default_factory=list)
    averages: list[tuple[str, float]] = field(default_factory=list)  # per scored site
    kinds: list[tuple[str, int]] = field(default_factory=list)  # problem kind -> sites
    previous: list[tuple[str, object]] = field(default_factory=list)
    worst: list[tuple[str, object, str]] = field(default_factory=list)  # name, score, result


def _count(results: pd.Series, value: str) -> int:
    return int((results == value).sum())


def verdicts(sites: pd.DataFrame) -> pd.Series:
    """The plain result of each site: `合格(2个栏目待复测)` counts as 合格."""
    return sites["verdict"] if "verdict" in sites else sites["result"]


def summarise(report: Report, order: list[str], worst: int = 5) -> Summary:
    """The round's figures: 合格率, ratings, groups, averages, problem kinds, change."""
    sites = report.sites
    results = verdicts(sites) if not sites.empty else pd.Series(dtype=object)
    passed, failed = _count(results, PASS), _count(results, FAIL)
    out = Summary(
        sites=len(sites),
        checked=passed + failed,
        passed=passed,
        failed=failed,
        not_measured=_count(results, FAILED),
        pass_rate=percent(passed, passed + failed),
    )
    scored = sites[results.isin([PASS, FAIL])] if not sites.empty else sites
    if not scored.empty:
        counts = scored["rating"].fillna("").value_counts()
        for label in sorted(k for k in counts.index if k):
            out.ratings.append(
                (label, int(counts[label]), percent(int(counts[label]), len(scored)))
            )
    for group, part in sites.groupby(sites["group"].fillna(""), sort=False) if len(sites) else []:
        p, f = _count(verdicts(part), PASS), _count(verdicts(part), FAIL)
        out.groups.append((group or "未分组", len(part), p, f, percent(p, p + f)))
    ids = set(scored["site_id"]) if not scored.empty else set()
    cols = report.columns
    cols = cols[cols["site_id"].isin(ids)] if not cols.empty else cols
    n = max(len(ids), 1)
    blank = int((cols["status"] == "空白").sum()) if not cols.empty else 0
    stale = int((cols["status"] == "未更新").sum()) if not cols.empty else 0
    links = report.links
    broken = 0
    if links is not None and not links.empty and "site_id" in links:
        broken = int(links["site_id"].isin(ids).sum())
    out.averages = [
        ("平均每网站空白栏目(个)", round(blank / n, 2)),
        ("平均每网站未更新栏目(个)", round(stale / n, 2)),
        ("平均每网站问题链接(个)", round(broken / n, 2)),
    ]
    kinds = problem_kind_of()
    found = _problems(report)
    if not found.empty:
        per_kind = found.assign(k=found["rule_id"].map(kinds).fillna(found["indicator"]))
        counted = per_kind.groupby("k", sort=False)["site_id"].nunique()
        label_order = list(overview_data()["problem_kinds"])
        for k in sorted(
            counted.index, key=lambda k: label_order.index(k) if k in label_order else 99
        ):
            out.kinds.append((k, int(counted[k])))
    out.previous = _previous(report, found)
    order_rows = sites.set_index("site_id").loc[[s for s in order if s in ids]]
    bad = order_rows.iloc[::-1] if not order_rows.empty else order_rows
    for row in bad.head(worst).itertuples():
        out.worst.append((row.site_name, "单项否决" if row.veto else row.score, row.result))
    return out


def _previous(report: Report, found: pd.DataFrame) -> list[tuple[str, object]]:
    rect = report.rectification
    if rect is None or rect.empty:
        return []
    ids = set(rect["site_id"])
    before = len(rect)
    now = int(found["site_id"].isin(ids).sum()) if not found.empty else 0
    fixed = int((rect["status"] == "已整改").sum())
    n = len(ids)
    avg_before, avg_now = round(before / n, 2), round(now / n, 2)
    change = "—" if not before else f"{round(100 * (before - now) / before, 2):g}%"
    return [
        ("有上轮结果的网站(个)", n),
        ("上轮发现问题(个)", before),
        ("上轮问题已整改(个)", fixed),
        ("整改率", percent(fixed, before)),
        ("上轮平均每网站问题(个)", avg_before),
        ("本轮平均每网站问题(个)", avg_now),
        ("平均每网站问题降低", change),
    ]


def expiring(report: Report, order: list[str], days: int = 14) -> list[list[object]]:
    """Columns now up to date that become 未更新 within `days` of the time point:
    (unit, column, URL, category, newest date, window, day it goes stale, days left)."""
    windows: dict[str, Window] = report.windows
    cols = report.columns
    if cols.empty or not windows:
        return []
    cols = cols[(cols["status"] == "正常") & cols["category"].isin(list(windows))]
    rank = {sid: i for i, sid in enumerate(order)}
    rows = []
    stale_day: dict[tuple, dt.date | None] = {}  # (newest, category): few distinct pairs
    for r in tuples(cols, index=False):
        if not isinstance(r.newest_date, dt.date):
            continue
        window = windows[r.category]
        # stale once the newest date falls before the window's start
        key = (r.newest_date, r.category)
        if key not in stale_day:
            stale_day[key] = next_stale_day(r.newest_date, window, report.as_of, days)
        goes_stale = stale_day[key]
        if goes_stale is None:
            continue
        left = (goes_stale - report.as_of).days
        rows.append([rank.get(r.site_id, 1 << 30), r.site_name, r.display_name, r.url,
                     r.category, r.newest_date, window.label, goes_stale, left])  # fmt: skip
    rows.sort(key=lambda x: (x[-1], x[0]))
    return [x[1:] for x in rows]


def next_stale_day(newest: dt.date, window: Window, as_of: dt.date, days: int) -> dt.date | None:
    """The first day within `days` after as_of on which `newest` is outside the window."""
    for ahead in range(1, days + 1):
        day = as_of + dt.timedelta(days=ahead)
        if newest < window.start(day):
            return day
    return None


def sites_by_kind(report: Report, order: list[str]) -> list[tuple[str, list[str]]]:
    """Each problem kind with the units where it was found (in the sites' order)."""
    kinds = problem_kind_of()
    label_order = list(overview_data()["problem_kinds"])
    found = _problems(report)
    if found.empty:
        return []
    rank = {sid: i for i, sid in enumerate(order)}
    found = found.assign(k=found["rule_id"].map(kinds).fillna(found["indicator"]))
    out = []
    for kind, part in found.groupby("k", sort=False):
        ids = sorted(set(part["site_id"]), key=lambda s: rank.get(s, 1 << 30))
        names = part.drop_duplicates("site_id").set_index("site_id")["site_name"]
        out.append((kind, [names[s] for s in ids]))
    out.sort(key=lambda kv: label_order.index(kv[0]) if kv[0] in label_order else 99)
    return out
