"""The analysis stage's product: one Report per (snapshots, profile, time point)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from analysis.engine import NOT_MONITORED, RerunItem, run
from analysis.facts import FactSet, load_facts
from analysis.profiles import Profile, load_profile

REPORT_COLUMN_COLUMNS = [
    "site_id",
    "site_name",
    "name",
    "display_name",
    "path",
    "depth",
    "url",
    "category",
    "newest_date",
    "item_count",
    "status",
    "age_days",
    "crawl_status",
    "error",
]


@dataclass
class Report:
    """Scored sites, analysed columns and findings; exporters read only this."""

    as_of: dt.date
    profile_name: str
    sites: pd.DataFrame
    columns: pd.DataFrame
    findings: pd.DataFrame
    rerun: list[RerunItem] = field(default_factory=list)
    profile_description: str = ""
    round: str | None = None
    pass_mark: float = 60.0
    unmeasured: list[str] = field(default_factory=list)  # indicators not measured this round
    # failing, flagged and TLS-problem links of the checked snapshots (链接明细)
    links: pd.DataFrame = field(default_factory=pd.DataFrame)
    # each problem of the previous round and whether it is still there (整改情况)
    rectification: pd.DataFrame = field(default_factory=pd.DataFrame)

    def not_scored(self) -> pd.DataFrame:
        """The sites reported 监测失败 as a whole (no score), with their reasons."""
        if self.sites.empty:
            return self.sites
        return self.sites[self.sites["result"] == NOT_MONITORED]


def report_from_facts(
    facts: FactSet,
    as_of: dt.date,
    profile: str | Path | Profile = "national-2019",
    round: str | None = None,
) -> Report:
    """Score a fact set directly (used for facts not read from a crawl, e.g. seed tables)."""
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    result = run(prof, facts, as_of)
    names = result.sites.set_index("site_id")["site_name"].to_dict()
    cols = result.columns
    if cols.empty:
        columns = pd.DataFrame(columns=REPORT_COLUMN_COLUMNS)
    else:
        columns = pd.DataFrame(
            {
                "site_id": cols["site_id"],
                "site_name": cols["site_id"].map(names),
                "name": cols["name"],
                "display_name": cols["display_name"],
                "path": cols["path"],
                "depth": cols["depth"],
                "url": cols["url"],
                "category": cols["category"],
                "newest_date": cols["newest_date"],
                "item_count": cols["item_count"],
                "status": cols["state"],
                "age_days": cols["age_days"],
                "crawl_status": cols["status"],
                "error": cols["error"],
            }
        ).reset_index(drop=True)
    return Report(
        as_of=as_of,
        profile_name=prof.name,
        sites=result.sites,
        columns=columns,
        findings=result.findings,
        rerun=result.rerun,
        profile_description=prof.description,
        round=round,
        pass_mark=prof.pass_mark,
        unmeasured=result.unmeasured,
    )


def build_report(
    engine: Engine,
    as_of: dt.date,
    profile: str | Path = "national-2019",
    round: str | None = None,
    extra_facts: pd.DataFrame | None = None,
) -> Report:
    """The latest snapshot of every site (in `round` if given; else the newest per site),
    scored at as_of; extra_facts (site_id + optional fact columns) overlays measured facts."""
    from analysis.history import flag_layout_changes, previous_snapshots, rerun_commands
    from analysis.link_facts import with_check_facts
    from analysis.rectification import compare_rounds

    prof = load_profile(profile)  # fail on a bad profile before touching the database
    facts = load_facts(engine, round)
    prev = previous_snapshots(engine, facts.sites)  # read once: layout check and 整改情况
    facts = flag_layout_changes(engine, facts, prev)
    facts, links = with_check_facts(engine, facts, as_of)
    report = report_from_facts(facts.with_facts(extra_facts), as_of, prof, round)
    report.links = links
    report.columns = pd.concat(
        [report.columns, non_column_rows(engine, facts.sites)], ignore_index=True
    )
    report.rectification = compare_rounds(engine, prof, report.sites, report.findings, prev)
    commands = rerun_commands(engine, facts.sites)
    for item in report.rerun:
        item.command = commands.get(item.site_id, "")
    return report


NON_COLUMN = "非栏目"


def non_column_rows(engine: Engine, sites: pd.DataFrame) -> pd.DataFrame:
    """Navigation links left out as not columns, as 栏目明细 rows with status 非栏目 and why."""
    from sqlalchemy import select

    from pipelines.models import NonColumnRow

    ids = [int(i) for i in sites["snapshot_id"].dropna()]
    with engine.connect() as conn:
        rows = pd.read_sql(
            select(NonColumnRow.__table__).where(NonColumnRow.snapshot_id.in_(ids)), conn
        )
    if rows.empty:
        return pd.DataFrame(columns=REPORT_COLUMN_COLUMNS)
    by_id = sites.dropna(subset=["snapshot_id"]).astype({"snapshot_id": int})
    sid = dict(zip(by_id["snapshot_id"], by_id["site_id"], strict=True))
    names = dict(zip(by_id["site_id"], by_id["site_name"], strict=True))
    site_ids = rows["snapshot_id"].map(sid)
    return pd.DataFrame(
        {
            "site_id": site_ids,
            "site_name": site_ids.map(names),
            "name": rows["name"],
            "display_name": rows["name"],
            "path": rows["name"],
            "depth": 1,
            "url": rows["url"],
            "category": "原因:" + rows["reason"],
            "newest_date": None,
            "item_count": 0,
            "status": NON_COLUMN,
            "age_days": None,
            "crawl_status": "",
            "error": rows["reason"],
        }
    )
