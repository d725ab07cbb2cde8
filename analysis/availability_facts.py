"""Availability facts per site from the probes of the 7 days before the monitoring time point.

The rule (站点无法访问 / 首页可用性): at least 20 probes on each of the 7 days; the
failure share is over all probes of those days. `avail_days` counts the days that met
the daily minimum, so a profile's `requires: {avail_days: {ge: 7}}` says "enough probes";
a site that probed too little is 未满足监测次数, neither passed nor failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Engine, select

from pipelines.check_models import ProbeRow

WINDOW_DAYS = 7
MIN_DAILY_PROBES = 20
FACT_COLUMNS = ["site_id", "avail_days", "avail_probes", "avail_failure_pct"]
SUMMARY_COLUMNS = [
    *FACT_COLUMNS, "failures", "days_probed", "rule_met", "window_start", "window_end", "note",
]  # fmt: skip
NOT_ENOUGH = "未满足监测次数"


def _window(as_of: dt.date | dt.datetime, days: int) -> tuple[dt.datetime, dt.datetime]:
    """[start, end): the `days` whole days before the time point's day."""
    end_day = as_of.date() if isinstance(as_of, dt.datetime) else as_of
    end = dt.datetime.combine(end_day, dt.time())
    return end - dt.timedelta(days=days), end


def probe_days(
    engine: Engine,
    as_of: dt.date | dt.datetime,
    days: int = WINDOW_DAYS,
    site_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """site_id, day, probes, failures for every day of the window (0 where none)."""
    start, end = _window(as_of, days)
    query = select(ProbeRow.site_id, ProbeRow.probed_at, ProbeRow.ok).where(
        ProbeRow.probed_at >= start, ProbeRow.probed_at < end
    )
    with engine.connect() as conn:
        probes = pd.read_sql(query, conn)
    ids = sorted(set(probes["site_id"].astype(str)) | set(site_ids or []))
    all_days = [(start + dt.timedelta(days=i)).date() for i in range(days)]
    grid = pd.MultiIndex.from_product([ids, all_days], names=["site_id", "day"])
    if probes.empty:
        counts = pd.DataFrame(index=grid, data={"probes": 0, "failures": 0})
    else:
        probes["site_id"] = probes["site_id"].astype(str)
        probes["day"] = pd.to_datetime(probes["probed_at"]).dt.date
        probes["failed"] = ~probes["ok"].astype(bool)
        counts = probes.groupby(["site_id", "day"]).agg(
            probes=("ok", "size"), failures=("failed", "sum")
        )
        counts = counts.reindex(grid, fill_value=0)
    return counts.reset_index().astype({"probes": int, "failures": int})


def availability_summary(
    engine: Engine,
    as_of: dt.date | dt.datetime,
    days: int = WINDOW_DAYS,
    min_daily: int = MIN_DAILY_PROBES,
    site_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Per site: the facts plus failures, whether the probe count met the rule, a note."""
    per_day = probe_days(engine, as_of, days, site_ids)
    start, end = _window(as_of, days)
    if per_day.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    # one grouped pass over all sites (a pandas sum per site took seconds at 10,000)
    by_site = (
        per_day.assign(full=per_day["probes"] >= min_daily, probed=per_day["probes"] > 0)
        .groupby("site_id", sort=True)[["probes", "failures", "full", "probed"]]
        .sum()
    )
    rows = []
    for sid, probes, failures, full_days, probed in zip(
        by_site.index, by_site["probes"].tolist(), by_site["failures"].tolist(),
        by_site["full"].tolist(), by_site["probed"].tolist(), strict=True,
    ):  # fmt: skip
        probes, failures, full_days = int(probes), int(failures), int(full_days)
        met = full_days >= days
        pct = round(100.0 * failures / probes, 2) if probes else float("nan")
        note = "" if met else f"{NOT_ENOUGH}(需{days}天每天至少{min_daily}次,达标{full_days}天)"
        rows.append({
            "site_id": sid, "avail_days": float(full_days), "avail_probes": float(probes),
            "avail_failure_pct": pct, "failures": failures,
            "days_probed": int(probed), "rule_met": met,
            "window_start": start, "window_end": end, "note": note,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def availability_facts(
    engine: Engine,
    as_of: dt.date | dt.datetime,
    days: int = WINDOW_DAYS,
    min_daily: int = MIN_DAILY_PROBES,
    site_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """site_id, avail_days, avail_probes, avail_failure_pct for sites with probes."""
    summary = availability_summary(engine, as_of, days, min_daily, site_ids)
    summary = summary[summary["avail_probes"] > 0]
    return summary[FACT_COLUMNS].reset_index(drop=True)
