"""The analysis stage's product: one Report per (snapshots, profile, time point)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from analysis.engine import NOT_MONITORED, EngineResult, RerunItem, run
from analysis.facts import NO_SNAPSHOT_BY_AS_OF, FactSet, load_facts
from analysis.profiles import Profile, load_profile
from analysis.text import fullwidth

UNMONITORED = "未监测"  # the result of a site with no snapshot by the report's time point

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
    # names of the sites with no snapshot taken by the time point (未监测 in this report)
    no_snapshot_by_as_of: list[str] = field(default_factory=list)
    # the profile's update window per column category (即将超期)
    windows: dict = field(default_factory=dict)
    # findings left out because an analyst overruled them in 复核 (误报)
    overruled: pd.DataFrame = field(default_factory=pd.DataFrame)
    # wording errors, forbidden words and masked personal data found in page text
    page_checks: pd.DataFrame = field(default_factory=pd.DataFrame)
    # interaction and service channels per site (互动与服务)
    interaction: pd.DataFrame = field(default_factory=pd.DataFrame)

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
    drop: Callable | None = None,
) -> Report:
    """Score a fact set directly (used for facts not read from a crawl, e.g. seed tables);
    `drop` leaves hits out before scoring (see analysis.review.Overrules)."""
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    result = run(prof, facts, as_of, drop)
    late = facts.sites.loc[
        ~facts.sites["crawled"].astype(bool) & facts.sites["error"].eq(NO_SNAPSHOT_BY_AS_OF),
        "site_id",
    ]
    not_monitored_at(result, set(late.astype(str)), as_of)
    qualify_passes(result.sites)
    to_fullwidth(result)
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
        no_snapshot_by_as_of=list(
            result.sites.loc[result.sites["result"] == UNMONITORED, "site_name"]
        ),
        windows=dict(prof.windows),
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
    from analysis.interaction import interaction_table
    from analysis.link_facts import with_check_facts
    from analysis.page_facts import page_check_details
    from analysis.rectification import PreviousProblems, compare_rounds
    from analysis.review import OVERRULED_COLUMNS, Overrules, load_decisions, mark_findings
    from analysis.service_facts import with_service_facts

    prof = load_profile(profile)  # fail on a bad profile before touching the database
    # a report scores only what had been seen by its time point (the end of that day)
    until = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    facts = load_facts(engine, round, until)
    prev = previous_snapshots(engine, facts.sites)  # read once: layout check and 整改情况
    decisions = load_decisions(engine)
    # the previous round scored beside this one (a second process when large)
    with PreviousProblems(engine, prof, prev, decisions) as before:
        facts = flag_layout_changes(engine, facts, prev)
        facts, links = with_check_facts(engine, facts, as_of)
        facts = with_page_facts(engine, facts)
        facts, letter_summary = with_letter_facts(engine, facts, prof, as_of)
        facts, guides, systems = with_service_facts(engine, facts, prof, as_of)
        overrules = Overrules(decisions)
        report = report_from_facts(facts.with_facts(extra_facts), as_of, prof, round, overrules)
        report.findings = mark_findings(report.findings, decisions)
        names = report.sites.set_index("site_id")["site_name"].to_dict()
        report.overruled = pd.DataFrame(overrules.dropped, columns=OVERRULED_COLUMNS)
        report.overruled.insert(1, "site_name", report.overruled["site_id"].map(names))
        report.links = links
        report.page_checks = page_check_details(engine, facts.sites)
        report.interaction = interaction_table(
            engine, facts.sites, report.columns, as_of, letter_summary, guides, systems
        )
        report.columns = pd.concat(
            [report.columns, non_column_rows(engine, facts.sites)], ignore_index=True
        )
        report.rectification = compare_rounds(report.sites, report.findings, prev, before.result())
        if not report.rectification.empty:
            report.rectification["problem"] = report.rectification["problem"].map(fullwidth)
        commands = rerun_commands(engine, facts.sites)
        for item in report.rerun:
            item.command = commands.get(item.site_id, "")
    return report


def not_monitored_at(result: EngineResult, site_ids: set[str], as_of: dt.date) -> None:
    """Sites with no snapshot by the time point: 未监测 in this report, to be crawled."""
    if not site_ids:
        return
    text = f"监测时间点({as_of.isoformat()})前没有该站点的快照，本报告未监测，需抓取后重新评分"
    sites = result.sites
    mine = sites["site_id"].isin(site_ids)
    sites.loc[mine, "result"] = UNMONITORED
    sites.loc[mine, "problems"] = text + "。"
    sites.loc[mine, "rerun_reason"] = text
    found = result.findings["site_id"].isin(site_ids) & result.findings["status"].eq("failed")
    result.findings.loc[found, "text"] = text
    for item in result.rerun:
        if item.site_id in site_ids:
            item.reason = text


def qualify_passes(sites: pd.DataFrame) -> None:
    """A pass with columns that could not be monitored stands on what was measured only:
    `合格(2个栏目待复测)`, so that nobody publishes it as a full pass. `verdict` keeps the
    plain result (合格/不合格/监测失败/未监测) for counting."""
    sites["verdict"] = sites["result"]
    if sites.empty:
        return
    failed = pd.to_numeric(sites["columns_failed"], errors="coerce").fillna(0).astype(int)
    partial = sites["result"].eq("合格") & failed.gt(0)
    sites.loc[partial, "result"] = [f"合格({n}个栏目待复测)" for n in failed[partial]]


def to_fullwidth(result: EngineResult) -> None:
    """Text meant for a 通报 in full-width punctuation (，；：), as the published tables."""
    for frame, column in (
        (result.sites, "problems"),
        (result.sites, "rerun_reason"),
        (result.findings, "text"),
    ):
        if not frame.empty:
            frame[column] = frame[column].map(fullwidth)
    for item in result.rerun:
        item.reason = fullwidth(item.reason)


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


def with_page_facts(engine: Engine, facts: FactSet) -> FactSet:
    """The fact set with the page-text facts (serious errors, personal data, site marks,
    domain) and their evidence overlaid."""
    from analysis.page_facts import page_text_facts

    extra, evidence = page_text_facts(engine, facts.sites)
    merged = facts.with_facts(extra if not extra.empty else None)
    parts = [p for p in (merged.evidence, evidence) if not p.empty]
    merged.evidence = pd.concat(parts, ignore_index=True) if parts else merged.evidence
    return merged


def with_letter_facts(
    engine: Engine, facts: FactSet, profile: Profile, as_of: dt.date
) -> tuple[FactSet, pd.DataFrame]:
    """The fact set with the consultation facts (channel, valid letters, overdue letters)
    and their evidence overlaid; and the per-column letter summary for 互动与服务."""
    from analysis.letter_facts import letter_facts

    extra, evidence, summary = letter_facts(engine, facts, profile, as_of)
    merged = facts.with_facts(extra if not extra.empty else None)
    parts = [p for p in (merged.evidence, evidence) if not p.empty]
    merged.evidence = pd.concat(parts, ignore_index=True) if parts else merged.evidence
    return merged, summary
