"""What the previous round says about this one: probable layout changes, re-run commands.

A site whose crawl found columns last round and none (or far fewer) now, or a column
that listed items last round and is empty now, most likely changed its page layout:
our extraction missed it. That is a monitoring failure to re-run and check, never a
blank column or a stale site.
"""

from __future__ import annotations

import shlex

import pandas as pd
from sqlalchemy import Engine, select

from analysis.engine import LAYOUT_SITE_PREFIX
from analysis.facts import FactSet
from analysis.frames import by_site
from pipelines.models import ColumnRow, CrawlRun, SiteSnapshotRow

# a site is suspect when it now has fewer than this share of last round's columns
SITE_SHRINK_RATIO = 0.5
# and only when last round had at least this many columns (small sites vary naturally)
SITE_MIN_COLUMNS = 3
LAYOUT_COLUMN_PREFIX = "疑似栏目改版"


def previous_snapshots(engine: Engine, current: pd.DataFrame) -> pd.DataFrame:
    """For each current snapshot, the site's newest usable snapshot of an earlier round:
    site_id, prev_id, prev_round, prev_crawled_at."""
    with engine.connect() as conn:
        snaps = pd.read_sql(
            select(
                SiteSnapshotRow.id,
                SiteSnapshotRow.site_id,
                SiteSnapshotRow.round,
                SiteSnapshotRow.crawled_at,
                SiteSnapshotRow.status,
            ),
            conn,
        )
    cur = current[["site_id", "round", "crawled_at"]].dropna(subset=["crawled_at"])
    pairs = snaps[snaps["status"] != "failed"].merge(cur, on="site_id", suffixes=("", "_now"))
    pairs = pairs[
        (pairs["round"] != pairs["round_now"]) & (pairs["crawled_at"] < pairs["crawled_at_now"])
    ]
    newest = pairs.sort_values(["crawled_at", "id"]).groupby("site_id").tail(1)
    return newest.rename(
        columns={"id": "prev_id", "round": "prev_round", "crawled_at": "prev_crawled_at"}
    )[["site_id", "prev_id", "prev_round", "prev_crawled_at"]].reset_index(drop=True)


def flag_layout_changes(engine: Engine, facts: FactSet, prev: pd.DataFrame) -> FactSet:
    """Mark sites and columns that look broken by a layout change as monitoring failures.

    `prev` is previous_snapshots() of the fact set's sites."""
    sites = facts.sites.copy()
    current = sites[sites["status"].ne("failed") & sites["snapshot_id"].notna()]
    prev = prev[prev["site_id"].isin(current["site_id"])]
    if prev.empty:
        return facts
    with engine.connect() as conn:
        prev_cols = pd.read_sql(
            select(
                ColumnRow.snapshot_id, ColumnRow.url, ColumnRow.item_count, ColumnRow.status
            ).where(ColumnRow.snapshot_id.in_([int(i) for i in prev["prev_id"]])),
            conn,
        )
    prev_cols = prev_cols[prev_cols["status"] == "ok"]
    prev_cols["site_id"] = prev_cols["snapshot_id"].map(prev.set_index("prev_id")["site_id"])
    columns = facts.columns.copy()
    cols_of = by_site(columns)  # grouped once; each site's rows change only in its turn
    for site_id, before in prev_cols.groupby("site_id"):
        mine = cols_of(site_id)
        now = mine[mine["status"] == "ok"]
        if len(before) >= SITE_MIN_COLUMNS and len(now) < len(before) * SITE_SHRINK_RATIO:
            at = sites.index[sites["site_id"] == site_id]
            sites.loc[at, "status"] = "failed"
            sites.loc[at, "error"] = (
                f"{LAYOUT_SITE_PREFIX}: 上轮抓取到{len(before)}个栏目,本轮{len(now)}个"
            )
            continue
        had_items = before.loc[before["item_count"] > 0].set_index("url")["item_count"]
        empty_now = (
            (mine["status"] == "ok")
            & (mine["item_count"] == 0)
            & mine["url"].isin(had_items.index)
            & ~mine["is_container"].fillna(False).astype(bool)
        )
        for i in mine.index[empty_now]:
            items_before = int(had_items[columns.at[i, "url"]])
            columns.at[i, "status"] = "failed"
            columns.at[i, "error"] = f"{LAYOUT_COLUMN_PREFIX}: 上轮有{items_before}条信息,本轮0条"
    return FactSet(sites, columns, facts.home, facts.evidence)


def rerun_commands(engine: Engine, sites: pd.DataFrame) -> dict[str, str]:
    """site_id -> the command that crawls the site again with the list it came from."""
    ids = [int(i) for i in sites["snapshot_id"].dropna()]
    with engine.connect() as conn:
        runs = pd.read_sql(
            select(SiteSnapshotRow.site_id, CrawlRun.args)
            .join(CrawlRun, CrawlRun.id == SiteSnapshotRow.run_id)
            .where(SiteSnapshotRow.id.in_(ids)),
            conn,
        )
    out = {}
    for row in runs.itertuples():
        args = row.args if isinstance(row.args, dict) else {}
        sites_file = args.get("sites") or "名单文件"
        out[row.site_id] = (
            f"govspider crawl --sites {shlex.quote(str(sites_file))} --site {row.site_id}"
        )
    return out
