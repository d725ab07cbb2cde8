"""Per-column analysis: category, days since newest item, and status at the time point."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis.profiles import Profile
from analysis.text import display_name

STATUS_OK = "正常"
STATUS_STALE = "未更新"
STATUS_BLANK = "空白"
STATUS_FAILED = "监测失败"
PAGE_CATEGORY = "概况信息类"  # a single page (机构概况, 联系我们) is judged as 概况 information


def _category(profile: Profile, site_id: str, row: dict, shown: str) -> str:
    overrides = profile.site_overrides.get(site_id, {})
    for key in (row["url"], shown, row["name"]):
        if key in overrides:
            return overrides[key]
    if isinstance(row.get("category_override"), str) and row["category_override"]:
        return row["category_override"]
    found = profile.category_map.classify(str(row["name"]))
    if row.get("kind") == "page" and found == profile.category_map.default:
        return PAGE_CATEGORY
    return found


def column_categories(
    profile: Profile, columns: pd.DataFrame, shown: list[str] | None = None
) -> list[str]:
    """_category of every row of a columns table (`shown`: the names overrides are matched
    on, by default each column's name), without a dict or Series per row; the keyword
    classification is done once per distinct name."""
    n = len(columns)

    def values(name: str) -> list:
        return columns[name].tolist() if name in columns else [None] * n

    names = values("name")
    classified: dict[str, str] = {}
    out = []
    for sid, url, name, override, kind, seen in zip(
        [str(s) for s in values("site_id")], values("url"), names, values("category_override"),
        values("kind"), shown if shown is not None else [str(n) for n in names], strict=True,
    ):  # fmt: skip
        overrides = profile.site_overrides.get(sid)
        if overrides:
            key = next((k for k in (url, seen, name) if k in overrides), None)
            if key is not None:
                out.append(overrides[key])
                continue
        if isinstance(override, str) and override:
            out.append(override)
            continue
        text = str(name)
        found = classified.get(text)
        if found is None:
            found = classified[text] = profile.category_map.classify(text)
        page = kind == "page" and found == profile.category_map.default
        out.append(PAGE_CATEGORY if page else found)
    return out


def _display_names(names: list, paths: list) -> list[str]:
    """display_name of each (name, path), computed once per distinct pair."""
    memo: dict[tuple[object, str], str] = {}
    out = []
    for name, path in zip(names, paths, strict=True):
        if not isinstance(path, str):  # a path given as a list (or missing): not memoised
            out.append(display_name(name, path))
            continue
        shown = memo.get((name, path))
        if shown is None:
            shown = memo[(name, path)] = display_name(name, path)
        out.append(shown)
    return out


def analyse_columns(
    profile: Profile, columns: pd.DataFrame, failed_sites: set[str], as_of: dt.date
) -> pd.DataFrame:
    """Columns with display name, category, age_days, blank/stale flags and status."""
    out = columns.copy().reset_index(drop=True)
    if out.empty:
        for col in ("display_name", "category", "age_days", "failed", "is_blank", "stale", "state"):
            out[col] = pd.Series(dtype=object)
        return out
    out["site_id"] = out["site_id"].astype(str)
    # a column seen twice in one crawl (linked from two menus) is one column
    out = out.drop_duplicates(["site_id", "url"]).reset_index(drop=True)
    out["depth"] = out["depth"].fillna(1).astype(int)
    if "kind" not in out:
        out["kind"] = "list"
    # a facts table built by hand may hold the column as all-NaN floats: text first
    out["kind"] = out["kind"].astype(object).fillna("list")
    if "blank_evidence" not in out:
        out["blank_evidence"] = ""
    out["blank_evidence"] = out["blank_evidence"].astype(object).fillna("")
    page = out["kind"] == "page"
    out["item_count"] = out["item_count"].fillna(0).astype(int)
    out["display_name"] = _display_names(out["name"].tolist(), out["path"].tolist())
    out["category"] = column_categories(profile, out, list(out["display_name"]))
    out["age_days"] = pd.Series(
        [(as_of - d).days if isinstance(d, dt.date) else None for d in out["newest_date"]],
        dtype=object,
    )
    failed = (out["status"] == "failed") | out["site_id"].isin(failed_sites)
    container = out["is_container"].fillna(False).astype(bool)
    excluded = out["category"].isin(profile.excluded_categories)
    counted = ~failed & ~container & ~excluded
    # a page column holds no items by nature: only its own blank flag makes it blank
    no_items = (out["item_count"] == 0) & ~page
    blank = counted & (out["blank"].fillna(False).astype(bool) | no_items)
    # stale: no dated item, or the newest before the window (its start computed once)
    starts = {cat: window.start(as_of) for cat, window in profile.windows.items()}
    stale = [
        bool(
            ok
            and not bl
            and not is_page
            and cat in starts
            and (not isinstance(newest, dt.date) or newest < starts[cat])
        )
        for ok, bl, is_page, cat, newest in zip(
            counted.tolist(), blank.tolist(), page.tolist(), out["category"].tolist(),
            out["newest_date"].tolist(), strict=True,
        )
    ]  # fmt: skip
    out["failed"] = failed
    out["is_blank"] = blank
    out["stale"] = stale
    out["state"] = STATUS_OK
    out.loc[out["stale"], "state"] = STATUS_STALE
    out.loc[out["is_blank"], "state"] = STATUS_BLANK
    # an excluded (专题/历史) column that is blank is shown as such, without a deduction
    shown_blank = excluded & ~failed & ~container & out["blank"].fillna(False).astype(bool)
    out.loc[shown_blank, "state"] = STATUS_BLANK
    out.loc[out["failed"], "state"] = STATUS_FAILED
    return out
