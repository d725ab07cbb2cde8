"""Letter facts of 政务咨询 columns (领导信箱, 咨询, 留言): valid letters in the year,
letters unanswered for over 3 months (listed), the latest reply and the replies in total.

A column's letters count only when its list showed reply dates or a status (the crawl
read a letter table); a consultation column listing titles and dates only leaves these
facts missing (未监测). "No consultation channel" is set by analysis.activity_facts.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from sqlalchemy import Engine, select

from analysis.columns import column_categories
from analysis.frames import tuples_by_site
from analysis.profiles import Profile
from analysis.windows import Window
from pipelines.models import ColumnEntryRow, ColumnRow

CONSULT = "政务咨询类"
YEAR, OVERDUE = Window(1, "y"), Window(3, "m")
_NOT_ANSWERED = re.compile(r"未回复|未办结|办理中|处理中|待回复|待处理|已受理")
FACTS = ["site_id", "consult_valid_letters_1y", "consult_unanswered_3m"]
FEW_REPLIES = 10  # seed 000 says 只有 below this many


def _date(value: object) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) == "NaT":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def letters(engine: Engine, facts, profile: Profile) -> pd.DataFrame:  # noqa: ANN001 - FactSet
    """Entries of the consultation columns: site_id, column, column_url, title, url, sent,
    reply, status, read (the column showed reply dates or a status)."""
    cols = facts.columns.copy()
    if cols.empty:
        return pd.DataFrame()
    cols["category"] = column_categories(profile, cols)
    consult = cols[(cols["category"] == CONSULT) & (cols["status"] == "ok")]
    ids = [int(i) for i in facts.sites["snapshot_id"].dropna()]
    with engine.connect() as conn:
        rows = pd.read_sql(
            select(
                ColumnRow.snapshot_id, ColumnRow.url.label("column_url"), ColumnEntryRow.title,
                ColumnEntryRow.url, ColumnEntryRow.date, ColumnEntryRow.reply_date,
                ColumnEntryRow.status,
            )
            .join(ColumnRow, ColumnEntryRow.column_id == ColumnRow.id)
            .where(ColumnRow.snapshot_id.in_(ids), ColumnRow.url.in_(list(consult["url"]))),
            conn,
        )  # fmt: skip
    sid = dict(zip(facts.sites["snapshot_id"], facts.sites["site_id"], strict=False))
    rows["site_id"] = rows["snapshot_id"].map(sid)
    rows = rows.merge(
        consult[["site_id", "url", "name"]].rename(columns={"url": "column_url", "name": "column"}),
        on=["site_id", "column_url"],
    )
    rows["sent"] = rows["date"].map(_date)
    rows["reply"] = rows["reply_date"].map(_date)
    rows["status"] = rows["status"].fillna("")
    # a column is read when any of its rows shows a status (one pass, no lambda per column)
    read = rows["column_url"].isin(set(rows.loc[rows["status"].ne(""), "column_url"]))
    return rows.assign(read=read)


def letter_facts(
    engine: Engine,
    facts,  # noqa: ANN001 - FactSet
    profile: Profile,
    as_of: dt.date,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(facts keyed by site_id, evidence rows, per-column summary for 互动与服务)."""
    found = letters(engine, facts, profile)
    # the letters read, as plain rows split by site once (pandas per site, and a row-wise
    # apply, cost most of this stage at scale)
    read_of = tuples_by_site(found[found["read"]]) if not found.empty else {}
    year_start, overdue_start = YEAR.start(as_of), OVERDUE.start(as_of)
    out, evidence, summary = [], [], []
    for site in facts.sites.itertuples():
        if site.status == "failed" or pd.isna(site.snapshot_id):
            continue
        sid = str(site.site_id)
        rec: dict = {"site_id": sid}
        read = read_of.get(sid, [])
        if read:
            valid = [r for r in read if r.sent is not None and year_start <= r.sent <= as_of]
            late = [r for r in valid if _unanswered(r) and r.sent < overdue_start]
            rec["consult_valid_letters_1y"] = float(len(valid))
            rec["consult_unanswered_3m"] = float(len(late))
            evidence += [
                (sid, "consult_unanswered_3m",
                 f"{r.title} {r.url} 来信 {r.sent.isoformat()},至监测时间点未回复"
                 f"({(as_of - r.sent).days}天)")
                for r in late
            ]  # fmt: skip
            wording = reply_wording(read)
            evidence.append((sid, "consult_valid_letters_1y", wording))
            evidence.append((sid, "consult_unanswered_3m", wording))
            by_url: dict[str, list] = {}
            for r in read:
                by_url.setdefault(r.column_url, []).append(r)
            for url in sorted(by_url):  # the order groupby gave
                replies = [r.reply for r in by_url[url] if r.reply is not None]
                summary.append(
                    {
                        "site_id": sid,
                        "url": url,
                        "latest_reply": max(replies) if replies else None,
                        "replies": len(replies),
                        "overdue": sum(r.column_url == url for r in late),
                    }
                )
        out.append(rec)
    return (
        pd.DataFrame(out, columns=FACTS),
        pd.DataFrame(evidence, columns=["site_id", "fact", "text"]),
        pd.DataFrame(summary, columns=["site_id", "url", "latest_reply", "replies", "overdue"]),
    )


def _unanswered(row: tuple) -> bool:
    return row.reply is None or bool(_NOT_ANSWERED.search(row.status or ""))


def reply_wording(read: list[tuple]) -> str:
    """Seed 000's wording: 书记、区长信箱最近回复的信件为2014年3月，且网站总共只有7封回信.
    `read`: a site's letter rows (named tuples of letters())."""
    names = "、".join(dict.fromkeys(r.column for r in read))
    replies = [r.reply for r in read if r.reply is not None]
    if not replies:
        return f"{names}没有回复的信件"
    latest = max(replies)
    total = len(replies)
    tail = f"且网站总共只有{total}封回信" if total < FEW_REPLIES else f"网站共有回信{total}封"
    return f"{names}最近回复的信件为{latest.year}年{latest.month}月，{tail}"
