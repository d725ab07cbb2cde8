"""Interaction and service channels per site (互动与服务), and the newest date per function
group (概况信息, 业务动态, 服务信息, 互动交流) for the content-update overview.

Counts are of the items each channel lists, dated within the year before the time point.
Reply dates come from the letter tables read (analysis.letter_facts), missing guide
elements and forms from the guides opened (analysis.service_facts): one row per guide
under its column. What was not read says 未监测, never a pass or a fail.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select

from analysis.activity_facts import tree_whole
from analysis.frames import positions, tuples
from analysis.online_facts import system_text
from analysis.windows import Window
from pipelines.models import ColumnEntryRow, ColumnRow

CHANNEL_CATEGORIES = ["政务咨询类", "互动访谈类", "调查征集类", "办事服务类"]
TABLE_COLUMNS = [
    "site_id", "site_name", "channel", "category", "url", "latest_reply", "overdue",
    "missing_elements", "items_1y", "newest_date", "evidence",
]  # fmt: skip
UNMEASURED = "未监测"
# the eight element categories of a service guide, in the indicators' order
ELEMENTS = ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话",
            "办理流程"]  # fmt: skip
FAILED = "监测失败"
ONE_YEAR = Window(1, "y")


def _entries(engine: Engine, sites: pd.DataFrame, urls: pd.DataFrame) -> pd.DataFrame:
    """Items (column url, date) of the channel columns of the sites' snapshots."""
    ids = [int(i) for i in sites["snapshot_id"].dropna()]
    with engine.connect() as conn:
        cols = pd.read_sql(
            select(ColumnRow.id, ColumnRow.snapshot_id, ColumnRow.url).where(
                ColumnRow.snapshot_id.in_(ids), ColumnRow.url.in_(list(urls["url"]))
            ),
            conn,
        )
        entries = pd.read_sql(
            select(ColumnEntryRow.column_id, ColumnEntryRow.date).where(
                ColumnEntryRow.column_id.in_([int(i) for i in cols["id"]])
            ),
            conn,
        )
    entries["url"] = entries["column_id"].map(cols.set_index("id")["url"])
    entries["date"] = entries["date"].map(
        lambda v: dt.date.fromisoformat(str(v)[:10]) if v is not None and str(v) != "NaT" else None
    )
    return entries


def interaction_table(
    engine: Engine,
    sites: pd.DataFrame,
    columns: pd.DataFrame,
    as_of: dt.date,
    letters: pd.DataFrame | None = None,
    guides: pd.DataFrame | None = None,
    online: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The 互动与服务 rows: one per channel column (a 办事指南 column followed by a row per
    guide read), one per online service system checked (analysis.online_facts), and
    未开设政务咨询栏目 for a site crawled whole (status ok) that has none; a site not
    crawled whole has no such row."""
    guides = pd.DataFrame() if guides is None else guides
    picked = columns[columns["category"].isin(CHANNEL_CATEGORIES)]
    entries = _entries(engine, sites, picked) if not picked.empty else pd.DataFrame()
    read = {} if letters is None or letters.empty else letters.set_index("url").to_dict("index")
    dates_of: dict = {}  # column url -> its items' dates, in table order
    if not entries.empty:
        for url, date in zip(entries["url"], entries["date"], strict=True):
            dates_of.setdefault(url, []).append(date)
    # each guide column's guides read, as plain rows (a frame per column cost seconds)
    guides_of: dict[tuple[str, str], list] = {}
    for g in [] if guides.empty else tuples(guides):
        guides_of.setdefault((str(g.site_id), g.column_url), []).append(g)
    rows = []
    for col in tuples(picked):  # pandas' itertuples reads text columns cell by cell
        dates = dates_of.get(col.url, [])
        in_year = [d for d in dates if d is not None and ONE_YEAR.contains(d, as_of)]
        newest = col.newest_date if isinstance(col.newest_date, dt.date) else None
        failed = col.status == FAILED
        evidence = (
            f"{col.display_name} {col.url} 栏目监测失败({col.error})"
            if failed
            else f"{col.display_name} {col.url} 列表{len(dates)}条,1年内{len(in_year)}条"
            + (f",最近 {newest.isoformat()}" if newest else ",无可见日期")
        )
        consult = col.category == "政务咨询类"
        service = col.category == "办事服务类"
        read_guides = guides_of.get((str(col.site_id), col.url), []) if service else []
        rows.append(
            {
                "site_id": col.site_id,
                "site_name": col.site_name,
                "channel": col.display_name,
                "category": col.category,
                "url": col.url,
                "latest_reply": _latest(read.get(col.url)) if consult else "",
                "overdue": read[col.url]["overdue"]
                if col.url in read
                else (UNMEASURED if consult else ""),
                "missing_elements": _missing(read_guides) if service else "",
                "items_1y": None if failed else len(in_year),
                "newest_date": newest,
                "evidence": evidence,
            }
        )
        if service:
            rows += [_guide_row(col, g) for g in read_guides]
    names = dict(zip(sites["site_id"].astype(str), sites["site_name"], strict=True))
    for r in [] if online is None or online.empty else tuples(online):
        rows.append(
            {
                "site_id": r.site_id,
                "site_name": names.get(str(r.site_id), ""),
                "channel": f"在线办事系统“{r.text}”",
                "category": "办事服务类",
                "url": r.url,
                "latest_reply": "",
                "overdue": "",
                "missing_elements": "",
                "items_1y": None,
                "newest_date": None,
                "evidence": system_text(r),
            }
        )
    has_consult = set(picked.loc[picked["category"] == "政务咨询类", "site_id"])
    found = columns["site_id"].value_counts()
    pos_of = positions(columns["site_id"])  # each site's rows, no frame filtered per site
    crawl_status = columns["crawl_status"].tolist()
    for site in sites.itertuples():
        if site.site_id in has_consult:
            continue
        own = [crawl_status[i] for i in pos_of.get(site.site_id, [])]
        if not tree_whole(site.status, own):
            continue  # a tree not seen whole (or too thin) cannot be said to have none
        rows.append(
            {
                "site_id": site.site_id,
                "site_name": site.site_name,
                "channel": "未开设政务咨询栏目",
                "category": "政务咨询类",
                "url": site.home_url,
                "latest_reply": "",
                "overdue": "",
                "missing_elements": "",
                "items_1y": 0,
                "newest_date": None,
                "evidence": (
                    f"全站{found.get(site.site_id, 0)}个栏目均已抓取,栏目树中未找到领导信箱、"
                    "咨询、留言、网络问政类栏目(站内搜索未检查)"
                ),
            }
        )
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def _latest(letters: dict | None) -> object:
    """A consultation column's latest reply date, 无回复 when none, 未监测 when not read."""
    if letters is None:
        return UNMEASURED
    latest = letters["latest_reply"]
    return latest if isinstance(latest, dt.date) else "无回复"


def _missing(read: list) -> str:
    """A guide column's missing element categories over its guides read (guide_table
    rows): 无 when none is missing, 未监测 when no guide was read."""
    ok = [g for g in read if g.failed == ""]
    if not ok:
        return UNMEASURED
    missing = {c for g in ok for c in g.missing}
    return "、".join(c for c in ELEMENTS if c in missing) or "无"


def _guide_row(col, guide) -> dict:  # noqa: ANN001 - itertuples rows
    if guide.failed:
        missing, what = FAILED, f"办事指南无法获取({guide.failed})"
    else:
        missing = "、".join(guide.missing) or "无"
        what = f"缺少要素:{missing}" if guide.missing else "八类要素齐全"
    forms = ";".join(guide.forms) if guide.forms else "未链接附件表格"
    return {
        "site_id": col.site_id,
        "site_name": col.site_name,
        "channel": f"{col.display_name}>《{guide.title}》",
        "category": col.category,
        "url": guide.url,
        "latest_reply": "",
        "overdue": "",
        "missing_elements": missing,
        "items_1y": None,
        "newest_date": None,
        "evidence": f"{what};{forms}",
    }
