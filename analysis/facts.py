"""The per-site FACTS table the engine scores, and how it is read from crawl snapshots.

Facts come in three frames: `sites` (one row per site: crawl health plus optional measured
facts), `columns` (one row per column found) and `home` (one row per home-page item).
Optional facts are filled by later stages (link checker, availability probes, interaction
and service-guide readers); a missing/NaN fact means "not measured", never "fine".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, select

from analysis.frames import read_sql_shared
from pipelines.models import ColumnEntryRow, ColumnRow, HomeEntryRow, SiteSnapshotRow

# name -> what it measures; numeric, NaN when not measured. Booleans are stored as 1/0.
OPTIONAL_FACTS: dict[str, str] = {
    "broken_links_home": "首页确认不可用的链接数",
    "broken_links_other": "首页以外页面确认不可用的链接数",
    "avail_days": "可用性监测天数",
    "avail_probes": "可用性监测总次数",
    "avail_failure_pct": "首页访问失败比例(%)",
    "consult_channel": "是否开设政务咨询渠道(1/0)",
    "consult_valid_letters_1y": "1年内政务咨询类栏目有效信件、留言数",
    "consult_unanswered_3m": "超过3个月未回复的有效留言数",
    "survey_count_1y": "1年内调查征集活动次数",
    "interview_count_1y": "1年内互动访谈活动次数",
    "services_offered": "是否提供办事服务(1/0)",
    "guide_missing_elements": "办事指南缺少的要素类别数",
    "guide_forms_broken": "办事指南中无法下载的附件表格数",
    "online_systems_broken": "无法打开的在线办事系统数",
    "serious_errors": "严重问题数(错误表述、虚假伪造内容、泄密、篡改等)",
    "personal_data_exposed": "页面公开的个人信息数(身份证号码、手机号码)",
    "site_marks_missing": "首页缺少的网站标识数(标识码、ICP备案、公安备案、党政机关标识)",
    "domain_not_gov": "域名不以.gov.cn结尾(1/0)",
    "public_services": "是否有面向公众的办事服务(1/0;0 时按4/3折算)",
    "bonus_points": "加分项得分",
    "home_new_items": "2周内首页新增信息条数(无首页条目数据时使用)",
}

SITE_COLUMNS = [
    "site_id",
    "site_name",
    "group",
    "round",
    "home_url",
    "snapshot_id",
    "crawled_at",
    "crawled",
    "status",
    "error",
    "home_status",
    "home_crawled",
]
COLUMN_COLUMNS = [
    "site_id",
    "name",
    "path",
    "url",
    "depth",
    "status",
    "error",
    "http_status",
    "item_count",
    "newest_date",
    "blank",
    "placeholder",
    "is_container",
    "category_override",
    "kind",
    "blank_evidence",
]
HOME_COLUMNS = ["site_id", "title", "url", "date", "via"]
# the column_snapshot fields read: COLUMN_COLUMNS (category as category_override), the ids
_COLUMN_FIELDS = ["id", "snapshot_id"] + [
    "category" if c == "category_override" else c for c in COLUMN_COLUMNS if c != "site_id"
]
# column_snapshot text fields with few distinct values (read as shared strings)
_SHARED_TEXT = ["name", "path", "status", "error", "placeholder", "category", "kind",
                "blank_evidence"]  # fmt: skip
NAV_HOME = "navigation"  # `via` of items counted from the column pages of a navigation-only home


@dataclass
class FactSet:
    """Everything the engine needs about the sites of one report."""

    sites: pd.DataFrame
    columns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMN_COLUMNS))
    home: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=HOME_COLUMNS))
    # optional evidence per fact: rows of (site_id, fact, text), e.g. a broken link and its page
    evidence: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["site_id", "fact", "text"])
    )

    def with_facts(self, extra: pd.DataFrame | None) -> FactSet:
        """Overlay extra measured facts (keyed by site_id) onto the sites table."""
        if extra is None or extra.empty:
            return self
        unknown = set(extra.columns) - set(OPTIONAL_FACTS) - {"site_id"}
        if unknown:
            raise ValueError(f"未知的事实字段: {', '.join(sorted(unknown))}")
        sites = self.sites.set_index("site_id")
        for name in extra.columns.drop("site_id"):
            values = extra.set_index("site_id")[name]
            sites.loc[sites.index.intersection(values.index), name] = values
        return FactSet(sites.reset_index(), self.columns, self.home, self.evidence)


def normalise_sites(sites: pd.DataFrame) -> pd.DataFrame:
    """Add missing site columns and every optional fact (NaN = not measured)."""
    sites = sites.copy()
    defaults = {
        "group": "",
        "round": "",
        "home_url": "",
        "snapshot_id": None,
        "crawled_at": None,
        "crawled": True,
        "status": "ok",
        "error": "",
        "home_status": None,
        "home_crawled": False,
    }
    for col, value in defaults.items():
        if col not in sites.columns:
            sites[col] = value
    for fact in OPTIONAL_FACTS:
        if fact not in sites.columns:
            sites[fact] = float("nan")
        sites[fact] = pd.to_numeric(
            sites[fact].astype(object).replace({True: 1, False: 0}), errors="coerce"
        )
    sites["site_id"] = sites["site_id"].astype(str)
    return sites


NO_SNAPSHOT_BY_AS_OF = "监测时间点前无快照"


def load_facts(
    engine: Engine, round: str | None = None, until: dt.datetime | None = None
) -> FactSet:
    """The latest snapshot of every site (in `round` if given, else the newest per site).

    With a round, a site that has snapshots in other rounds but none in this one is kept
    as not crawled (监测失败, to be re-run) rather than silently left out. With `until`,
    only snapshots taken before it count; a site with none by then is kept as not crawled
    with the error NO_SNAPSHOT_BY_AS_OF.
    """
    with engine.connect() as conn:
        snaps = pd.read_sql(select(SiteSnapshotRow.__table__), conn)
        if snaps.empty:
            return FactSet(normalise_sites(pd.DataFrame(columns=SITE_COLUMNS)))
        snaps = snaps.sort_values(["site_id", "crawled_at", "id"])
        late = snaps.iloc[0:0]
        if until is not None:
            taken = pd.to_datetime(snaps["crawled_at"]) < pd.Timestamp(until)
            late = snaps[~snaps["site_id"].isin(snaps.loc[taken, "site_id"])]
            late = late.groupby("site_id").tail(1).assign(error=NO_SNAPSHOT_BY_AS_OF)
            snaps = snaps[taken]
        latest_any = snaps.groupby("site_id").tail(1)
        if round is None:
            chosen = latest_any
            missing = latest_any.iloc[0:0]
        else:
            chosen = snaps[snaps["round"] == round].groupby("site_id").tail(1)
            missing = latest_any[~latest_any["site_id"].isin(chosen["site_id"])]
        missing = pd.concat([missing.assign(error="本轮未抓取"), late], ignore_index=True)
    return _facts_of(engine, chosen, missing, round)


def load_snapshot_facts(engine: Engine, snapshot_ids: list[int]) -> FactSet:
    """The facts of the given snapshots (e.g. each site's previous round)."""
    with engine.connect() as conn:
        chosen = pd.read_sql(
            select(SiteSnapshotRow.__table__).where(SiteSnapshotRow.id.in_(snapshot_ids)), conn
        )
    if chosen.empty:
        return FactSet(normalise_sites(pd.DataFrame(columns=SITE_COLUMNS)))
    return _facts_of(engine, chosen, chosen.iloc[0:0], None)


def _facts_of(
    engine: Engine, chosen: pd.DataFrame, missing: pd.DataFrame, round: str | None
) -> FactSet:
    """Facts of the chosen snapshot rows; `missing` sites are kept as not crawled."""
    ids = [int(i) for i in chosen["id"]]
    with engine.connect() as conn:
        wanted = [ColumnRow.__table__.c[name] for name in _COLUMN_FIELDS]
        cols = read_sql_shared(
            conn, select(*wanted).where(ColumnRow.snapshot_id.in_(ids)), _SHARED_TEXT
        )
        home = pd.read_sql(
            select(HomeEntryRow.__table__).where(HomeEntryRow.snapshot_id.in_(ids)), conn
        )
    sid = dict(zip(chosen["id"], chosen["site_id"], strict=True))
    sites = chosen.rename(columns={"id": "snapshot_id"}).assign(crawled=True, home_crawled=True)
    if not missing.empty:
        absent = missing.rename(columns={"id": "snapshot_id"}).assign(
            crawled=False,
            home_crawled=False,
            status="failed",
            round=round,
            snapshot_id=None,
        )
        sites = pd.concat([sites, absent], ignore_index=True)
    sites = sites[[c for c in SITE_COLUMNS if c in sites.columns]]
    # a failed crawl has no trustworthy home page: its home items are not facts
    sites.loc[sites["status"] == "failed", "home_crawled"] = False
    cols = cols.assign(site_id=cols["snapshot_id"].map(sid)).rename(
        columns={"category": "category_override"}
    )
    home = home.assign(site_id=home["snapshot_id"].map(sid), via="")
    home = pd.concat([home, _navigation_home(engine, home, cols, sid)], ignore_index=True)
    cols["newest_date"] = _as_date(cols["newest_date"])
    home["date"] = _as_date(home["date"])
    return FactSet(
        normalise_sites(sites.reset_index(drop=True)),
        cols[COLUMN_COLUMNS].reset_index(drop=True),
        home[HOME_COLUMNS].reset_index(drop=True),
    )


def _navigation_home(
    engine: Engine, home: pd.DataFrame, cols: pd.DataFrame, sid: dict
) -> pd.DataFrame:
    """Items of the first-level column pages, for sites whose home page shows no dated item.

    The 2019 rule judges a navigation-only home page on its second-level pages; without
    this such a site would be vetoed for "no home-page update" it cannot show.
    """
    dated = set(home.loc[home["date"].notna(), "snapshot_id"])
    nav_only = [i for i in sid if i not in dated]
    picked = cols[
        cols["snapshot_id"].isin(nav_only) & (cols["depth"] == 1) & (cols["status"] == "ok")
    ]
    if picked.empty:
        return pd.DataFrame(columns=[*HOME_COLUMNS, "snapshot_id"])
    with engine.connect() as conn:
        entries = pd.read_sql(
            select(ColumnEntryRow.column_id, ColumnEntryRow.title, ColumnEntryRow.url,
                   ColumnEntryRow.date)
            .where(ColumnEntryRow.column_id.in_([int(i) for i in picked["id"]])),
            conn,
        )  # fmt: skip
    owner = picked.set_index("id")["snapshot_id"]
    entries["snapshot_id"] = entries["column_id"].map(owner)
    entries["site_id"] = entries["snapshot_id"].map(sid)
    entries["via"] = NAV_HOME
    return entries.drop(columns="column_id").drop_duplicates(["site_id", "url"])


def _as_date(series: pd.Series) -> pd.Series:
    """SQLite hands dates back as strings; make them datetime.date (None when missing)."""

    def conv(value: object) -> dt.date | None:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value)[:10])

    return series.map(conv).astype(object)
