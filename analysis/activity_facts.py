"""Interaction facts counted from the column tree: 互动访谈 and 调查征集 activities dated in
the year before the time point, and whether a consultation channel (政务咨询类) exists.

A count is a fact when the site has such columns and every one of them was read, or when
the site was crawled whole (crawled_whole: status ok, every column read, MIN_COLUMNS)
and has none: then the count is 0. "No consultation channel" is asserted the same way.
Otherwise the facts stay missing (未监测). The site's own search page is not searched.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select

from analysis.columns import column_categories
from analysis.frames import positions
from analysis.profiles import Profile
from analysis.windows import Window
from pipelines.models import ColumnEntryRow, ColumnRow

YEAR = Window(1, "y")
COUNTED = {"互动访谈类": "interview_count_1y", "调查征集类": "survey_count_1y"}
CONSULT = "政务咨询类"
MIN_COLUMNS = 6  # fewer columns found than this: the tree is too thin to say "none"
FACTS = ["site_id", "consult_channel", "consult_valid_letters_1y", "consult_unanswered_3m",
         *COUNTED.values()]  # fmt: skip


def _date(value: object) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) == "NaT":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def crawled_whole(status: str, columns: pd.DataFrame) -> bool:
    """The site's tree was seen whole: crawl ok, every column read (none flagged later,
    e.g. as a suspected redesign), and at least MIN_COLUMNS columns."""
    return tree_whole(status, columns["status"].tolist())


def tree_whole(status: str, column_statuses: list) -> bool:
    """crawled_whole on the site's column statuses as a plain list."""
    return (
        status == "ok"
        and len(column_statuses) >= MIN_COLUMNS
        and all(s == "ok" for s in column_statuses)
    )


def _entries(engine: Engine, snapshot_ids: list[int], urls: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = pd.read_sql(
            select(
                ColumnRow.snapshot_id, ColumnRow.url.label("column_url"),
                ColumnEntryRow.url, ColumnEntryRow.date,
            )
            .join(ColumnRow, ColumnEntryRow.column_id == ColumnRow.id)
            .where(ColumnRow.snapshot_id.in_(snapshot_ids), ColumnRow.url.in_(urls)),
            conn,
        )  # fmt: skip
    rows["date"] = rows["date"].map(_date)
    return rows


def activity_facts(
    engine: Engine,
    facts,  # noqa: ANN001 - FactSet
    profile: Profile,
    as_of: dt.date,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(facts keyed by site_id, evidence rows site_id/fact/text)."""
    cols = facts.columns.copy()
    if cols.empty:
        return pd.DataFrame(columns=FACTS), pd.DataFrame(columns=["site_id", "fact", "text"])
    cols["site_id"] = cols["site_id"].astype(str)
    cols["category"] = column_categories(profile, cols)
    counted = cols[cols["category"].isin(list(COUNTED))]
    ids = [int(i) for i in facts.sites["snapshot_id"].dropna()]
    entries = _entries(engine, ids, list(counted["url"])) if not counted.empty else None
    # each snapshot's entries as plain (column URL, URL, date) tuples, in table order
    entries_of: dict[int, list[tuple]] = {}
    if entries is not None:
        for snap, column_url, url, day in zip(
            entries["snapshot_id"], entries["column_url"], entries["url"], entries["date"],
            strict=True,
        ):  # fmt: skip
            entries_of.setdefault(int(snap), []).append((column_url, url, day))
    # each site's columns as positions into plain lists (no frame filtered per site)
    pos_of = positions(cols["site_id"])
    status, category, names, urls = (
        cols[c].tolist() for c in ("status", "category", "name", "url")
    )
    out, evidence = [], []
    for site in facts.sites.itertuples():
        if site.status == "failed" or pd.isna(site.snapshot_id):
            continue
        sid = str(site.site_id)
        own = pos_of.get(sid, [])
        rec: dict = {"site_id": sid}
        whole = tree_whole(site.status, [status[i] for i in own])
        if any(category[i] == CONSULT for i in own):
            rec["consult_channel"] = 1.0
        elif whole:
            # no channel: no letters, none unanswered (the veto says the rest)
            rec["consult_channel"] = 0.0
            rec["consult_valid_letters_1y"] = rec["consult_unanswered_3m"] = 0.0
            evidence.append(
                (sid, "consult_channel",
                 f"全站{len(own)}个栏目均已抓取,栏目树中没有领导信箱、咨询、留言、网络问政类栏目"
                 f"(首页 {site.home_url})")
            )  # fmt: skip
        for wanted, fact in COUNTED.items():
            mine = [i for i in own if category[i] == wanted]
            if not mine and whole:
                rec[fact] = 0.0
                evidence.append((sid, fact, f"全站{len(own)}个栏目均已抓取,没有{wanted}栏目"))
                continue
            if not mine or any(status[i] != "ok" for i in mine):
                continue  # a column not read, or a tree not seen whole: not measured
            wanted_urls, seen, days = {urls[i] for i in mine}, set(), []
            for column_url, url, day in entries_of.get(int(site.snapshot_id), []):
                if column_url in wanted_urls and url not in seen:  # an item listed twice once
                    seen.add(url)
                    days.append(day)
            days = [d for d in days if isinstance(d, dt.date)]
            dated = [d for d in days if YEAR.contains(d, as_of)]
            rec[fact] = float(len(dated))
            shown = "、".join(str(names[i]) for i in mine)
            newest = max(days, default=None)
            evidence.append(
                (sid, fact,
                 f"{shown}({'、'.join(urls[i] for i in mine)})1年内{len(dated)}次"
                 + (f",最近一次 {newest.isoformat()}" if newest else ",无可见日期"))
            )  # fmt: skip
        out.append(rec)
    return pd.DataFrame(out, columns=FACTS), pd.DataFrame(
        evidence, columns=["site_id", "fact", "text"]
    )
