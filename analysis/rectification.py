"""整改情况: each problem of a site's previous round, and whether it is still there now.

The previous round's snapshot is scored with the same profile at its own time point (the
day it was crawled), so a problem compares like with like. A problem is 未整改 when the
same indicator still finds it now (for column rules: one of the same columns), 已整改
when it no longer does; a site not measured now cannot be judged.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine

from analysis.engine import run
from analysis.facts import FactSet, load_snapshot_facts
from analysis.profiles import Profile

RECTIFIED, NOT_RECTIFIED, UNKNOWN = "已整改", "未整改", "本轮监测失败,无法判断"
RECTIFICATION_COLUMNS = ["site_id", "site_name", "previous_round", "problem", "status"]
PROBLEM_STATUSES = ("veto", "deduction")


def _urls(evidence: str) -> set[str]:
    return {
        word for word in str(evidence or "").split() if word.startswith(("http://", "https://"))
    }


def compare_rounds(
    engine: Engine,
    profile: Profile,
    sites: pd.DataFrame,
    findings: pd.DataFrame,
    prev: pd.DataFrame,
    drop: Callable | None = None,
) -> pd.DataFrame:
    """Rows of (site, previous round, previous problem, 已整改/未整改) for the report's sites;
    `prev` is previous_snapshots() of those sites. `drop` leaves out the previous round's
    overruled findings too: a 误报 was never a problem, so it cannot be 已整改."""
    prev = prev[prev["site_id"].isin(sites["site_id"])]
    if prev.empty:
        return pd.DataFrame(columns=RECTIFICATION_COLUMNS)
    facts = load_snapshot_facts(engine, [int(i) for i in prev["prev_id"]])
    rows = []
    names = sites.set_index("site_id")["site_name"].to_dict()
    results = sites.set_index("site_id")["result"].to_dict()
    # the previous snapshots scored once per crawl day (not once per site): the problems
    # (veto, deduction) of a site do not depend on the other sites scored with it
    days = [pd.Timestamp(v).date() for v in prev["prev_crawled_at"]]
    problems = []
    for day in sorted(set(days)):
        ids = set(prev.loc[[d == day for d in days], "site_id"])
        facts_day = FactSet(
            facts.sites[facts.sites["site_id"].isin(ids)],
            facts.columns[facts.columns["site_id"].isin(ids)],
            facts.home[facts.home["site_id"].isin(ids)],
        )
        found = run(profile, facts_day, day, drop).findings
        problems.append(found[found["status"].isin(PROBLEM_STATUSES)])
    # each site's problems as plain (rule, text, evidence) tuples: no frame per problem
    before_of: dict[str, list[tuple]] = {}
    found = pd.concat(problems, ignore_index=True)
    for sid, rule, text, evidence in zip(
        found["site_id"].astype(str), found["rule_id"], found["text"], found["evidence"],
        strict=True,
    ):  # fmt: skip
        before_of.setdefault(sid, []).append((rule, text, evidence))
    now_of: dict[str, dict[str, list]] = {}
    found = findings[findings["status"].isin(PROBLEM_STATUSES)]
    for sid, rule, evidence in zip(
        found["site_id"].astype(str), found["rule_id"], found["evidence"], strict=True
    ):
        now_of.setdefault(sid, {}).setdefault(rule, []).append(evidence)
    for p in prev.itertuples():
        now = now_of.get(str(p.site_id), {})
        for rule, text, evidence in before_of.get(str(p.site_id), []):
            if results.get(p.site_id) == "监测失败":
                status = UNKNOWN
            else:
                same = now.get(rule, [])
                old_urls = _urls(evidence)
                still = bool(same) and (not old_urls or any(old_urls & _urls(e) for e in same))
                status = NOT_RECTIFIED if still else RECTIFIED
            rows.append(
                {
                    "site_id": p.site_id,
                    "site_name": names.get(p.site_id, p.site_id),
                    "previous_round": p.prev_round,
                    "problem": text,
                    "status": status,
                }
            )
    return pd.DataFrame(rows, columns=RECTIFICATION_COLUMNS)
