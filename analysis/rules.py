"""Rule kinds: each turns one site's facts into at most one hit for one rule."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.facts import NAV_HOME
from analysis.profiles import Profile, Rule
from analysis.text import column_names, fmt_number
from analysis.windows import Window

_OPS = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


@dataclass
class Hit:
    """A rule's outcome for one site before scoring (points not yet capped or scaled)."""

    rule: Rule
    status: str  # veto | deduction | bonus | unmeasured
    text: str
    raw_points: float = 0.0
    value: float | None = None
    evidence: list[str] = field(default_factory=list)
    column_urls: list[str] = field(default_factory=list)


# the fields of an analysed column (analysis.columns) that the rules and the engine read:
# only these are made into each site's column dicts (making all of them was a third of
# scoring at 10,000 sites)
COLUMN_ROW_FIELDS = ["url", "depth", "category", "display_name", "error", "failed", "is_blank",
                     "stale", "is_container", "newest_date", "age_days", "placeholder",
                     "blank_evidence"]  # fmt: skip


@dataclass
class SiteFacts:
    """One site's slice of the fact tables, one dict per row in table order: the rules
    filter these in plain Python (a site has tens of columns; pandas costs ~0.1 ms per
    operation, and the rules asked for dozens per site, twice with a previous round). The
    engine makes the dicts for a few hundred sites at a time (analysis.engine.RowsBySite):
    one pandas call per site cost more than the rules, and 10,000 sites' columns as dicts
    at once took over 1 GB."""

    site: Mapping[str, Any]  # the site's row of the sites table
    column_rows: list[dict]  # analysed columns of this site
    home_rows: list[dict]
    evidence_rows: list[dict]

    @functools.cached_property
    def evidence_by_fact(self) -> dict[str, list[str]]:
        """The evidence texts by fact name, in table order (one pass, not one filter per
        rule)."""
        out: dict[str, list[str]] = {}
        for r in self.evidence_rows:
            out.setdefault(r["fact"], []).append(str(r["text"]))
        return out


def holds(cond: dict[str, float], value: float) -> bool:
    """True when value satisfies every comparison of the condition."""
    return all(_OPS[op](value, bound) for op, bound in cond.items())


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _unmeasured(rule: Rule) -> Hit:
    return Hit(rule, "unmeasured", f"{rule.indicator}未监测")


def _outcome(
    rule: Rule, text: str, value: float, evidence: list[str], urls: list[str] | None = None
) -> Hit:
    # column rules cost their points per column; fact rules per unit only when per_unit
    per_unit = rule.per_unit or rule.kind in {"column_stale", "column_blank"}
    points = rule.points * value if per_unit else rule.points
    status = "veto" if rule.veto else ("bonus" if rule.section == "bonus" else "deduction")
    return Hit(rule, status, text, 0.0 if rule.veto else points, value, evidence, urls or [])


def _column_evidence(row: dict) -> str:
    newest = row["newest_date"]
    seen = row.get("blank_evidence")
    if row["is_blank"] and isinstance(seen, str) and seen:
        state = f"空白({seen})"
    elif row["is_blank"]:
        state = "空白" + (f"(页面显示“{row['placeholder']}”)" if row.get("placeholder") else "")
    elif isinstance(newest, dt.date):
        state = f"最近更新 {newest.isoformat()}({row['age_days']}天前)"
    else:
        state = "无可见发布日期"
    return f"{row['display_name']} {row['url']} {state}"


def _depth_ok(lo: int | None, hi: int | None, depth: object) -> bool:
    """lo <= depth <= hi (either bound may be absent); a missing depth (NaN) is outside."""
    if lo is not None and not depth >= int(lo):
        return False
    return hi is None or bool(depth <= int(hi))


def _flag(value: object) -> bool:
    """A column flag as pandas' astype(bool) reads it (a missing value, NaN, is True)."""
    return bool(value)


def _not_missing_flag(value: object) -> bool:
    """fillna(False) then the flag: a missing value is False."""
    return False if _missing(value) or value is pd.NA else bool(value)


def _stale(
    row: dict, window: Window | None, profile: Profile, as_of: dt.date, start: dt.date | None
) -> bool:
    if window is None:
        return _flag(row["stale"])
    # a rule with its own window re-judges the columns its categories select
    if row["failed"] or row["is_blank"] or _not_missing_flag(row["is_container"]):
        return False
    if row["category"] in profile.excluded_categories:
        return False
    newest = row["newest_date"]
    return not isinstance(newest, dt.date) or newest < start


def home_updates(
    rule: Rule, f: SiteFacts, profile: Profile, as_of: dt.date, taken: set[str]
) -> Hit | None:
    window = rule.window or Window(14, "d")
    if bool(f.site.get("home_crawled")):
        home = f.home_rows
        dated = [r for r in home if window.contains(r["date"], as_of)]
        value = float(len({r["url"] for r in dated if pd.notna(r["url"])}))
        newest = max((r["date"] for r in home if pd.notna(r["date"])), default=None)
        evidence = [
            f"首页{window.label}内新增信息{fmt_number(value)}条"
            + (f",首页最新日期 {newest.isoformat()}" if newest else ",首页无带日期的条目")
        ]
        if any(r.get("via") == NAV_HOME for r in home):
            evidence[0] = "首页为导航页(无带日期的条目),按一级栏目页统计:" + evidence[0]
        evidence += [
            f"{r['title']} {r['url']} {r['date'].isoformat()}" for r in _newest_first(dated)[:10]
        ]
    else:
        value = f.site.get("home_new_items")
        if _missing(value):
            return _unmeasured(rule)
        evidence = [f"首页{window.label}内新增信息{fmt_number(value)}条"]
    if not holds(rule.when, value):
        return None
    return _outcome(rule, rule.template.format(value=fmt_number(value)), value, evidence)


def _newest_first(rows: list[dict]) -> list[dict]:
    """The rows by date, newest first, ties in the order pandas' sort_values(ascending=False)
    leaves them (its nargsort: argsort of the reversed dates, reversed)."""
    if not rows:
        return []
    dates = np.empty(len(rows), dtype=object)
    dates[:] = [r["date"] for r in rows]
    order = np.arange(len(rows))[::-1][dates[::-1].argsort(kind="quicksort")][::-1]
    return [rows[i] for i in order]


def column_stale(
    rule: Rule, f: SiteFacts, profile: Profile, as_of: dt.date, taken: set[str]
) -> Hit | None:
    if not f.column_rows:
        return None
    start = rule.window.start(as_of) if rule.window is not None else None
    categories = set(rule.categories)
    hit = [
        r
        for r in f.column_rows
        if r["category"] in categories
        and _depth_ok(rule.min_depth, rule.max_depth, r["depth"])
        and _stale(r, rule.window, profile, as_of, start)
        and r["url"] not in taken
    ]
    return _columns_hit(rule, hit)


def _columns_hit(rule: Rule, hit: list[dict]) -> Hit | None:
    """One finding naming every column in `hit` (none: no finding), one unit per column."""
    if not hit:
        return None
    names = [r["display_name"] for r in hit]
    text = rule.template.format(
        names=column_names(names), joined="、".join(names), count=len(names)
    )
    return _outcome(
        rule,
        text,
        float(len(names)),
        [_column_evidence(r) for r in hit],
        [r["url"] for r in hit],
    )


def column_blank(
    rule: Rule, f: SiteFacts, profile: Profile, as_of: dt.date, taken: set[str]
) -> Hit | None:
    if not f.column_rows:
        return None
    categories = set(rule.categories)
    hit = [
        r
        for r in f.column_rows
        if _flag(r["is_blank"])
        and _depth_ok(rule.min_depth, rule.max_depth, r["depth"])
        and r["url"] not in taken
        and (not rule.categories or r["category"] in categories)
    ]
    return _columns_hit(rule, hit)


def column_count(
    rule: Rule, f: SiteFacts, profile: Profile, as_of: dt.date, taken: set[str]
) -> Hit | None:
    counts, evidence = [], []
    for spec in rule.counts:
        if not f.column_rows:
            counts.append(0)
            continue
        flag = "is_blank" if spec.get("state", "stale") == "blank" else "stale"
        category = spec.get("category", "*")
        rows = [
            r
            for r in f.column_rows
            if _flag(r[flag])
            and _depth_ok(spec.get("min_depth"), spec.get("max_depth"), r["depth"])
            and (category == "*" or r["category"] == category)
        ]
        counts.append(len(rows))
        evidence += [_column_evidence(r) for r in rows]
    total = float(sum(counts))
    if not holds(rule.when, total):
        return None
    slots = {f"c{i}": n for i, n in enumerate(counts)}
    text = rule.template.format(count=int(total), **slots)
    return _outcome(rule, text, total, evidence)


def fact(rule: Rule, f: SiteFacts, profile: Profile, as_of: dt.date, taken: set[str]) -> Hit | None:
    for name, cond in rule.requires.items():
        needed = f.site.get(name)
        if _missing(needed):
            return _unmeasured(rule)
        if not holds(cond, float(needed)):  # measured, but less often than the rule needs
            return Hit(rule, "unmeasured", f"{rule.indicator}未满足监测次数")
    value = f.site.get(rule.fact)
    if _missing(value):
        hit = _unmeasured(rule)
        # why it could not be measured: what a stage said, else the profile's reason
        hit.evidence = _said(f, rule.fact) or ([rule.unmeasured] if rule.unmeasured else [])
        return hit
    value = float(value)
    if not holds(rule.when, value):
        return None
    evidence = [f"{rule.fact} = {fmt_number(value)}", *_said(f, rule.fact)]
    return _outcome(rule, rule.template.format(value=fmt_number(value)), value, evidence)


def _said(f: SiteFacts, fact_name: str) -> list[str]:
    """The evidence texts a fact stage gave for this fact of the site."""
    return f.evidence_by_fact.get(fact_name, [])


KINDS = {
    "home_updates": home_updates,
    "column_stale": column_stale,
    "column_blank": column_blank,
    "column_count": column_count,
    "fact": fact,
}
