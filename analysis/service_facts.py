"""Service-guide facts (办事服务): element categories missing from the 办事指南 pages read,
and forms (表格下载) that did not download, with their evidence; and one row per guide
for 互动与服务.

Read from the page findings of kind `guide` and `form` the crawl stored. A site crawled
whole (analysis.activity_facts.crawled_whole) with no 办事服务类 column listing items has no
guide lacking anything: both counts are 0. Any other site with no guide read has no guide
facts (未监测). A form or online system that gave no HTTP answer (timeout, refused) is
no evidence: alone it leaves its count 未监测 with the reason. Online systems:
analysis.online_facts.

Whether a site offers services at all (服务不实用's "未提供办事服务") is not measured: the
crawl can show that services exist, not that a unit ought to offer them (a department
without public-facing services is scored x 4/3 instead, 2019), and the site list does not
say which units serve the public. The profile's rule says so as its reason for 未监测.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from analysis.activity_facts import tree_whole
from analysis.columns import column_categories
from analysis.frames import positions, tuples_by_site
from analysis.online_facts import FACT as ONLINE_FACT
from analysis.online_facts import online_facts, online_table
from analysis.page_facts import page_findings
from analysis.profiles import Profile

GUIDE, FORM = "guide", "form"  # page-finding kinds (govspider.spiders.guides)
SERVICE = "办事服务类"
FACTS = ["site_id", "guide_missing_elements", "guide_forms_broken", ONLINE_FACT]
GUIDE_COLUMNS = ["site_id", "column_url", "title", "url", "missing", "forms", "failed"]


def _split(text: str) -> list[str]:
    return [p for p in (text or "").split("、") if p]


def guide_table(
    engine: Engine, sites: pd.DataFrame, rows: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per guide page the crawl opened: its column, title, URL, the categories it
    lacks (list), its forms' evidence (list of text) and why it failed ("" when read).
    `rows`: the sites' page findings when already read."""
    rows = page_findings(engine, sites) if rows is None else rows
    guides = rows[rows["kind"] == GUIDE]
    forms = rows[rows["kind"] == FORM]
    forms_of: dict[tuple, list] = {}  # (site, page) -> its forms, in table order
    for f in forms.itertuples():
        forms_of.setdefault((f.site_id, f.page_url), []).append(f)
    out = []
    for g in guides.itertuples():
        mine = forms_of.get((g.site_id, g.page_url), [])
        out.append(
            {
                "site_id": g.site_id,
                "column_url": g.context,
                "title": g.text,
                "url": g.page_url,
                "missing": _split(g.correct),
                "forms": [_form_text(f) for f in mine],
                # an HTTP answer that is not the file; no answer at all is 未监测
                "broken": [_form_text(f) for f in mine if f.note and f.correct],
                "unchecked": [_form_text(f) for f in mine if f.note and not f.correct],
                "failed": g.note or "",
            }
        )
    return pd.DataFrame(out, columns=[*GUIDE_COLUMNS, "broken", "unchecked"])


def _form_text(form) -> str:  # noqa: ANN001 - a page_finding row
    verdict = "可下载" if not form.note else f"无法下载({form.note})"
    if form.note and not form.correct:
        verdict = f"未监测({form.note})"
    seen = f",{form.correct}" if form.correct else ""
    return f"表格“{form.text}” {form.context} {verdict}{seen}"


def service_facts(
    engine: Engine,
    facts,  # noqa: ANN001 - FactSet
    profile: Profile,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(facts keyed by site_id, evidence rows site_id/fact/text, the guide table, the
    online-system table)."""
    rows = page_findings(engine, facts.sites)
    table = guide_table(engine, facts.sites, rows)
    systems = online_table(rows)
    systems_of = tuples_by_site(systems)  # once, not per site
    cols = facts.columns
    # each site's columns as positions into plain lists (no frame filtered per site)
    pos_of = positions(cols["site_id"].astype(str))
    category = column_categories(profile, cols)
    status, items = cols["status"].tolist(), cols["item_count"].tolist()
    table_of = tuples_by_site(table)  # plain rows per site: no small frame per site
    out, evidence = [], []
    for site in facts.sites.itertuples():
        if site.status == "failed" or pd.isna(site.snapshot_id):
            continue
        sid = str(site.site_id)
        mine = table_of.get(sid, [])
        read = [g for g in mine if g.failed == ""]
        own = pos_of.get(sid, [])
        service_lists = any(category[i] == SERVICE and items[i] > 0 for i in own)
        rec: dict = {"site_id": sid}
        if not mine and not service_lists:
            if not tree_whole(site.status, [status[i] for i in own]):
                why = f"栏目树未完整抓取或栏目过少(共{len(own)}个栏目),无法确认没有办事指南"
                evidence += [(sid, f, why) for f in FACTS[1:]]
            else:
                rec["guide_missing_elements"] = rec["guide_forms_broken"] = 0.0
                evidence.append(
                    (
                        sid,
                        "guide_missing_elements",
                        f"全站{len(own)}个栏目均已抓取,没有办事指南栏目",
                    )
                )
        elif read:
            missing = {c for g in read for c in g.missing}
            rec["guide_missing_elements"] = float(len(missing))
            evidence += [
                (sid, "guide_missing_elements",
                 f"《{g.title}》{g.url} 缺少要素:{'、'.join(g.missing)}")
                for g in read if g.missing
            ]  # fmt: skip
            broken = [b for g in read for b in g.broken]
            unchecked = [u for g in read for u in g.unchecked]
            if broken or not unchecked:  # no answer alone is no evidence: 未监测
                rec["guide_forms_broken"] = float(len(broken))
            evidence += [(sid, "guide_forms_broken", b) for b in broken + unchecked]
        # a guide that did not load is 监测失败, never a guide missing all eight elements;
        # when none loaded, its forms and online links were not seen either
        said = [f"《{g.title}》{g.url} 办事指南监测失败({g.failed}),未计入"
                for g in mine if g.failed != ""]  # fmt: skip
        for name in FACTS[1:] if not read else FACTS[1:2]:
            evidence += [(sid, name, t) for t in said]
        # guides read, or no service column on a site crawled whole: nothing unchecked
        value, said = online_facts(systems_of.get(sid), "guide_missing_elements" in rec)
        if value is not None:
            rec[ONLINE_FACT] = value
        evidence += [(sid, ONLINE_FACT, t) for t in said]
        out.append(rec)
    return (
        pd.DataFrame(out, columns=FACTS),
        pd.DataFrame(evidence, columns=["site_id", "fact", "text"]),
        table,
        systems,
    )


def with_service_facts(
    engine: Engine,
    facts,  # noqa: ANN001 - FactSet
    profile: Profile,
    as_of: dt.date,
):  # noqa: ANN201 - (FactSet, guide table, online-system table)
    """The fact set with the service-guide and online-system facts, the 访谈/调查征集
    counts and the consultation channel (analysis.activity_facts) overlaid with their
    evidence; and the guide and online-system tables for 互动与服务."""
    from analysis.activity_facts import activity_facts

    extra, evidence, table, systems = service_facts(engine, facts, profile)
    counts, count_evidence = activity_facts(engine, facts, profile, as_of)
    for part in (extra, counts):
        for name in part.columns.drop("site_id"):
            # only what was measured: a fact another stage set (letters) stays as it is
            measured = part[["site_id", name]].dropna()
            facts = facts.with_facts(measured if not measured.empty else None)
    parts = [p for p in (facts.evidence, evidence, count_evidence) if not p.empty]
    facts.evidence = pd.concat(parts, ignore_index=True) if parts else facts.evidence
    return facts, table, systems
