"""Page-text facts per site: serious wording errors and forbidden content, personal data
in the open, the site marks of the home page and the domain, with their evidence.

Read from the page_finding rows the crawl stored. A site whose crawl failed gets no
facts (未监测); the marks need the home page read, the domain a domain row.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from analysis.frames import tuples_by_site
from pipelines.models import PageFindingRow

SERIOUS_KINDS = {"wording", "forbidden"}
PERSONAL_KINDS = {"id_number", "mobile"}
MARK_NAMES = {
    "id_code": "网站标识码",
    "icp": "ICP备案编号",
    "police": "公安机关备案号",
    "party_gov": "党政机关网站标识",
}
FACTS = ["serious_errors", "personal_data_exposed", "site_marks_missing", "domain_not_gov"]
DETAIL_COLUMNS = ["site_id", "site_name", "check", "page_url", "found", "correct", "context"]
CHECK_NAMES = {
    "wording": "严重表述错误",
    "forbidden": "禁用内容",
    "id_number": "居民身份证号码",
    "mobile": "手机号码",
}


def page_findings(engine: Engine, sites: pd.DataFrame) -> pd.DataFrame:
    """The stored page findings of the sites' snapshots, with site_id."""
    ok = sites[sites["status"] != "failed"].dropna(subset=["snapshot_id"])
    ids = [int(i) for i in ok["snapshot_id"]]
    with engine.connect() as conn:
        rows = pd.read_sql(
            select(PageFindingRow.__table__).where(PageFindingRow.snapshot_id.in_(ids)), conn
        )
    sid = dict(zip(ok["snapshot_id"].astype(int), ok["site_id"].astype(str), strict=True))
    rows["site_id"] = rows["snapshot_id"].map(sid)
    return rows.drop_duplicates(["site_id", "kind", "page_url", "text", "context"])


def _hit_text(row: tuple) -> str:
    """The evidence of one text finding (a page_findings row as a named tuple)."""
    if row.kind == "wording":
        what = f"“{row.text}”应为“{row.correct}”"
    else:
        what = f"{CHECK_NAMES.get(row.kind, row.kind)}“{row.text}”"
    note = f"({row.note})" if getattr(row, "note", "") else ""
    return f"{what}{note}:{row.context} {row.page_url}"


def page_text_facts(engine: Engine, sites: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(facts keyed by site_id, evidence rows site_id/fact/text)."""
    rows = page_findings(engine, sites)
    measured = sites[(sites["status"] != "failed") & sites["snapshot_id"].notna()]
    facts, evidence = [], []
    # each site's rows as plain tuples, split once (pandas per site cost 14 s at 10,000)
    rows_of = tuples_by_site(rows)
    for site in measured.itertuples():
        sid = str(site.site_id)
        mine = rows_of.get(sid, [])
        if not any(r.kind == "checked" for r in mine):
            continue  # stored before page checks existed, or the home page was not read
        serious = [r for r in mine if r.kind in SERIOUS_KINDS]
        personal = [r for r in mine if r.kind in PERSONAL_KINDS]
        rec = {
            "site_id": sid,
            "serious_errors": float(len(serious)),
            "personal_data_exposed": float(len(personal)),
        }
        evidence += [(sid, "serious_errors", _hit_text(r)) for r in serious]
        evidence += [(sid, "personal_data_exposed", _hit_text(r)) for r in personal]
        if bool(site.home_crawled):  # the marks are looked for on the home page
            shown = {r.text for r in mine if r.kind == "mark"}
            missing = [name for key, name in MARK_NAMES.items() if key not in shown]
            rec["site_marks_missing"] = float(len(missing))
            if missing:
                evidence.append(
                    (sid, "site_marks_missing", f"首页未见:{'、'.join(missing)} {site.home_url}")
                )
        domains = [r for r in mine if r.kind == "domain"]
        if domains:
            d = domains[0]
            bad = not (d.text == "gov.cn" or d.text.endswith(".gov.cn"))
            rec["domain_not_gov"] = float(bad)
            if bad:
                evidence.append((sid, "domain_not_gov", f"域名 {d.text}(来源:{d.context})"))
        facts.append(rec)
    fact_frame = pd.DataFrame(facts, columns=["site_id", *FACTS])
    ev_frame = pd.DataFrame(evidence, columns=["site_id", "fact", "text"])
    return fact_frame, ev_frame


def page_check_details(engine: Engine, sites: pd.DataFrame) -> pd.DataFrame:
    """Every wording error, forbidden word and piece of personal data found, for a sheet."""
    rows = page_findings(engine, sites)
    rows = rows[rows["kind"].isin(SERIOUS_KINDS | PERSONAL_KINDS)]
    names = dict(zip(sites["site_id"].astype(str), sites["site_name"], strict=True))
    return pd.DataFrame(
        {
            "site_id": rows["site_id"],
            "site_name": rows["site_id"].map(names),
            "check": rows["kind"].map(CHECK_NAMES),
            "page_url": rows["page_url"],
            "found": rows["text"],
            "correct": rows["correct"],
            "context": rows["context"],
        },
        columns=DETAIL_COLUMNS,
    ).reset_index(drop=True)
