"""Link facts per site: confirmed broken links on the home page and elsewhere, with evidence.

A site whose snapshot has no finished link check gets no row: its link facts stay
missing, which the engine reports as 未监测, never as "no broken links".
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Engine, select

from pipelines.check_models import VERDICT_NAMES, LinkCheckRow, LinkCheckRunRow
from pipelines.models import SiteSnapshotRow

FACT_COLUMNS = ["site_id", "broken_links_home", "broken_links_other"]
DETAIL_COLUMNS = [
    "site_id", "site_name", "url", "page_url", "text", "on_home", "status_text", "verdict",
    "verdict_text", "flag", "tls_problem", "first_status_text", "pages",
]  # fmt: skip
TLS_ONLY_VERDICT = "正常(仅TLS问题,不扣分)"


def _checked(engine: Engine, snapshot_ids: Iterable[int] | None) -> pd.DataFrame:
    query = select(LinkCheckRunRow.__table__)
    ids = None if snapshot_ids is None else [int(i) for i in snapshot_ids if pd.notna(i)]
    if ids is not None:
        query = query.where(LinkCheckRunRow.snapshot_id.in_(ids))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def link_details(engine: Engine, snapshot_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Every failing, flagged or TLS-problem link of the checked snapshots (链接明细)."""
    runs = _checked(engine, snapshot_ids)
    if runs.empty:
        return pd.DataFrame(columns=DETAIL_COLUMNS)
    with engine.connect() as conn:
        rows = pd.read_sql(
            select(LinkCheckRow.__table__).where(LinkCheckRow.run_id.in_(runs["id"].tolist())),
            conn,
        )
        names = pd.read_sql(
            select(SiteSnapshotRow.id, SiteSnapshotRow.site_name).where(
                SiteSnapshotRow.id.in_(runs["snapshot_id"].tolist())
            ),
            conn,
        )
    if rows.empty:
        return pd.DataFrame(columns=DETAIL_COLUMNS)
    rows["site_name"] = rows["snapshot_id"].map(names.set_index("id")["site_name"])
    rows["on_home"] = rows["on_home"].astype(bool)
    rows["verdict_text"] = rows["verdict"].map(VERDICT_NAMES)
    tls_only = rows["verdict"].eq("ok")
    rows.loc[tls_only, "verdict_text"] = TLS_ONLY_VERDICT
    order = {"confirmed": 0, "suspected": 1, "ok": 2}
    rows = rows.assign(_o=rows["verdict"].map(order), _h=~rows["on_home"])
    rows = rows.sort_values(["site_id", "_o", "_h", "url"], kind="stable")
    return rows[DETAIL_COLUMNS].reset_index(drop=True)


def link_facts(engine: Engine, snapshot_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """site_id, broken_links_home, broken_links_other for every checked snapshot.

    A URL is counted once per site: on the home page when it sits there (also when it
    repeats on other pages, as a footer link does), else once among the other pages.
    """
    runs = _checked(engine, snapshot_ids)
    if runs.empty:
        return pd.DataFrame(columns=FACT_COLUMNS)
    details = link_details(engine, runs["snapshot_id"].tolist())
    confirmed = details[details["verdict"].eq("confirmed")]
    out = pd.DataFrame({"site_id": runs["site_id"].astype(str)}).drop_duplicates()
    home = confirmed[confirmed["on_home"]].groupby("site_id")["url"].nunique()
    other = confirmed[~confirmed["on_home"]].groupby("site_id")["url"].nunique()
    out["broken_links_home"] = out["site_id"].map(home).fillna(0).astype(float)
    out["broken_links_other"] = out["site_id"].map(other).fillna(0).astype(float)
    return out.reset_index(drop=True)[FACT_COLUMNS]


def link_evidence(engine: Engine, snapshot_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """(site_id, fact, text) rows: each confirmed link with its page and status."""
    details = link_details(engine, snapshot_ids)
    confirmed = details[details["verdict"].eq("confirmed")]
    if confirmed.empty:
        return pd.DataFrame(columns=["site_id", "fact", "text"])
    texts = [
        f"{r.url}({r.status_text};所在页面 {r.page_url}"
        + (f";链接文字 {r.text}" if r.text else "")
        + (f";首次{r.first_status_text},复查仍失败" if r.first_status_text else "")
        + ")"
        for r in confirmed.itertuples()
    ]
    return pd.DataFrame(
        {
            "site_id": confirmed["site_id"].astype(str).tolist(),
            "fact": [
                "broken_links_home" if h else "broken_links_other" for h in confirmed["on_home"]
            ],
            "text": texts,
        }
    )


def with_check_facts(engine: Engine, facts, as_of):  # noqa: ANN001, ANN201 - FactSet, date
    """The fact set with the link-check and probe facts (and their evidence) overlaid.

    Returns (facts, link details for the 链接明细 sheet). Sites without a link check or
    probes keep those facts missing (未监测).
    """
    from analysis.availability_facts import availability_summary
    from analysis.facts import FactSet

    snapshot_ids = [int(i) for i in facts.sites["snapshot_id"].dropna()]
    site_ids = facts.sites["site_id"].astype(str).tolist()
    links = link_facts(engine, snapshot_ids)
    summary = availability_summary(engine, as_of, site_ids=site_ids)
    summary = summary[summary["avail_probes"] > 0]
    extra = (
        links.merge(summary[FACT_AVAIL], on="site_id", how="outer") if not summary.empty else links
    )
    merged = facts.with_facts(extra if not extra.empty else None)
    avail_ev = pd.DataFrame(
        {
            "site_id": summary["site_id"].astype(str),
            "fact": "avail_failure_pct",
            "text": [
                f"{r.window_start:%m-%d}至{(r.window_end - pd.Timedelta(days=1)):%m-%d}"
                f"首页探测{int(r.avail_probes)}次,失败{r.failures}次"
                + (f";{r.note}" if r.note else "")
                for r in summary.itertuples()
            ],
        }
    )
    parts = [merged.evidence, link_evidence(engine, snapshot_ids), avail_ev]
    parts = [p for p in parts if not p.empty]
    evidence = pd.concat(parts, ignore_index=True) if parts else merged.evidence
    return FactSet(merged.sites, merged.columns, merged.home, evidence), link_details(
        engine, snapshot_ids
    )


FACT_AVAIL = ["site_id", "avail_days", "avail_probes", "avail_failure_pct"]
