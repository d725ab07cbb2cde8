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
    # one pass over all sites' columns (a loop over sites with pandas per site was a
    # quarter of the analysis at 10,000 sites)
    col_site = columns["site_id"].astype(str)
    before = prev_cols.groupby(prev_cols["site_id"].astype(str)).size()
    now = col_site[columns["status"] == "ok"].value_counts()
    now = now.reindex(before.index, fill_value=0)
    shrunk = before.index[(before >= SITE_MIN_COLUMNS) & (now < before * SITE_SHRINK_RATIO)]
    for site_id in shrunk:
        at = sites.index[sites["site_id"].astype(str) == site_id]
        sites.loc[at, "status"] = "failed"
        sites.loc[at, "error"] = (
            f"{LAYOUT_SITE_PREFIX}: 上轮抓取到{before[site_id]}个栏目,本轮{now[site_id]}个"
        )
    # a column that listed items last round (first listing of its URL) and none now
    had = prev_cols[prev_cols["item_count"] > 0]
    had = had.assign(site_id=had["site_id"].astype(str)).drop_duplicates(["site_id", "url"])
    had = had[~had["site_id"].isin(shrunk)]
    # plain dict lookups by (site, URL): a MultiIndex map took seconds at 10,000 sites
    keys = zip(had["site_id"].tolist(), had["url"].tolist(), strict=True)
    had_items = dict(zip(keys, had["item_count"].tolist(), strict=True))
    items_before = pd.Series(
        [
            had_items.get(key)
            for key in zip(col_site.tolist(), columns["url"].tolist(), strict=True)
        ],
        index=columns.index,
        dtype=float,
    )
    empty_now = (
        (columns["status"] == "ok")
        & (columns["item_count"] == 0)
        & items_before.notna()
        & ~columns["is_container"].fillna(False).astype(bool)
    )
    if empty_now.any():
        columns.loc[empty_now, "status"] = "failed"
        columns.loc[empty_now, "error"] = [
            f"{LAYOUT_COLUMN_PREFIX}: 上轮有{int(n)}条信息,本轮0条" for n in items_before[empty_now]
        ]
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
