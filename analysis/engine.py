"""Apply a profile to the fact tables at the time point: findings, scores, results, re-runs.

Longer than 300 lines: scoring, capping and the veto are one sequence per site,
read top to bottom.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.columns import analyse_columns
from analysis.facts import OPTIONAL_FACTS, FactSet, normalise_sites
from analysis.frames import positions, records
from analysis.profiles import Profile
from analysis.rules import COLUMN_ROW_FIELDS, KINDS, Hit, SiteFacts
from analysis.text import join_problems

PASS, FAIL, NOT_MONITORED = "合格", "不合格", "监测失败"
LAYOUT_SITE_PREFIX = "疑似网站改版"  # set by analysis.history when last round had far more
VETO_SCORE = "单项否决"
NO_COLUMNS = "首页未识别到栏目,栏目类指标无法监测,需重新监测"
UNSCORABLE_PREFIX = "监测数据无法评分"  # a site whose stored facts made scoring fail

FINDING_COLUMNS = [
    "site_id",
    "site_name",
    "order",
    "rule_id",
    "indicator",
    "section",
    "status",
    "text",
    "points",
    "raw_points",
    "value",
    "evidence",
]
SITE_RESULT_COLUMNS = [
    "site_id",
    "site_name",
    "group",
    "round",
    "home_url",
    "crawled_at",
    "score",
    "veto",
    "result",
    "rating",
    "problems",
    "deductions",
    "bonus",
    "columns_failed",
    "rerun_reason",
]


@dataclass
class RerunItem:
    """A site to crawl or measure again, and why."""

    site_id: str
    site_name: str
    reason: str
    command: str = ""  # how to crawl it again, when the report knows the site list


@dataclass
class EngineResult:
    sites: pd.DataFrame
    columns: pd.DataFrame
    findings: pd.DataFrame
    rerun: list[RerunItem] = field(default_factory=list)
    unmeasured: list[str] = field(default_factory=list)  # indicators whose facts were not collected


def _failure_reason(site: Mapping[str, Any]) -> str:
    if not bool(site.get("crawled", True)):
        return "本轮未监测,需重新监测"
    if str(site.get("error") or "").startswith(LAYOUT_SITE_PREFIX):
        return f"{site['error']},需重新监测"
    status = site.get("home_status")
    if status is not None and not pd.isna(status) and int(status) >= 400:
        why = f"HTTP {int(status)}"
    else:
        why = str(site.get("error") or "").strip() or "原因不明"
    return f"首页无法获取({why}),需重新监测"


def unscorable_reason(exc: BaseException) -> str:
    """The 监测失败 reason of a site whose stored facts could not be scored."""
    detail = f"{type(exc).__name__}: {exc}".strip()[:120]
    return f"{UNSCORABLE_PREFIX}({detail}),需重新监测"


def _from_crawl(site: Mapping[str, Any]) -> bool:
    snapshot = site.get("snapshot_id")
    return bool(site.get("home_crawled")) and snapshot is not None and not pd.isna(snapshot)


def _nothing_to_judge(
    site: Mapping[str, Any], cols: list[dict], usable: list[bool], home: list[dict]
) -> str | None:
    """Why a crawled site gives nothing to conclude from, or None.

    A home page read without one usable column (none found, all failed, or only
    directories) is a page we did not understand, or a site that moved: the column
    indicators cannot be judged, so 监测失败 to look at and re-run, never 未更新 or 空白.
    """
    if not _from_crawl(site):
        return None  # facts not from a stored crawl (seed tables): judged on what is given
    if cols and any(usable):
        return None
    dated_home = any(pd.notna(r["date"]) for r in home)
    if not cols and dated_home:
        return None  # the home indicators can be judged; the note NO_COLUMNS says the rest
    if not cols:
        why = "首页未识别到栏目,也没有带日期的信息"
    elif all(r["failed"] for r in cols):
        errors = [str(e) for e in (r["error"] for r in cols) if not _na(e) and str(e)]
        seen = "、".join(sorted(set(errors))) or "抓取失败"
        return f"全部{len(cols)}个栏目监测失败({seen[:120]}),需重新监测"
    else:
        why = "只识别到栏目目录,未见栏目列表"
    return f"{why}(页面结构无法识别或网站已迁移),需重新监测"


def _na(value: object) -> bool:
    """Missing as pandas' fillna sees it (None, NaN, NaT, NA)."""
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


class RowsBySite:
    """Each site's rows of a table as dicts (to_dict records), made for `chunk` sites at a
    time in the order the sites are asked for: one pandas call per chunk rather than per
    site, and only a chunk's dicts alive at once (all 10,000 sites' took over 1 GB)."""

    def __init__(self, table: pd.DataFrame, order: list[str], chunk: int = 400) -> None:
        self.table = table
        self.positions = {} if table.empty else positions(table["site_id"].astype(str))
        self.order, self.chunk = order, chunk
        self.at = {sid: i for i, sid in enumerate(order)}
        self.loaded: dict[str, tuple[list[dict], list[int]]] = {}

    def __call__(self, sid: str) -> tuple[list[dict], list[int]]:
        """(the site's rows as dicts, their positions in the table)."""
        sid = str(sid)
        if sid not in self.loaded:
            self._load(self.at.get(sid, 0), sid)
        return self.loaded.pop(sid, ([], []))

    def _load(self, start: int, sid: str) -> None:
        wanted = [*self.order[start : start + self.chunk], sid]
        self.loaded = {}
        taken: list[int] = []
        spans = []
        for s in dict.fromkeys(wanted):
            pos = self.positions.get(s, [])
            spans.append((s, len(taken), pos))
            taken += pos
        rows = records(self.table.take(taken)) if taken else []
        for s, begin, pos in spans:
            self.loaded[s] = (rows[begin : begin + len(pos)], pos)


def _analyse_columns_per_site(
    profile: Profile, columns: pd.DataFrame, failed: set[str], as_of: dt.date
) -> tuple[pd.DataFrame, dict[str, str]]:
    """analyse_columns over all sites at once; if that fails, site by site, so that the
    sites whose columns cannot be analysed are set apart (site_id -> reason) and the
    others are analysed as usual."""
    try:
        return analyse_columns(profile, columns, failed, as_of), {}
    except Exception:  # noqa: BLE001 - find the site(s) at fault below
        pass
    parts, broken = [], {}
    for sid, cols in columns.groupby(columns["site_id"].astype(str), sort=False):
        try:
            parts.append(analyse_columns(profile, cols, failed, as_of))
        except Exception as exc:  # noqa: BLE001 - this site's columns only
            broken[str(sid)] = unscorable_reason(exc)
    if not parts:
        return analyse_columns(profile, columns.iloc[0:0], failed, as_of), broken
    return pd.concat(parts, ignore_index=True), broken


def _evaluate(profile: Profile, f: SiteFacts, as_of: dt.date) -> list[Hit]:
    no_services = profile.without_services_factor is not None and f.site.get("public_services") == 0
    hits: list[Hit] = []
    fired: set[str] = set()
    taken: set[str] = set()  # column URLs already deducted (no double deduction)
    for rule in profile.rules:
        if no_services and rule.section in profile.without_services_skip:
            continue
        if any(other in fired for other in rule.unless):
            continue
        hit = KINDS[rule.kind](
            rule, f, profile, as_of, taken if profile.no_double_deduction else set()
        )
        if hit is None:
            continue
        if hit.status != "unmeasured":
            fired.add(rule.id)
            if hit.status == "deduction":
                taken.update(hit.column_urls)
        hits.append(hit)
    return hits


def _score(profile: Profile, site: Mapping[str, Any], hits: list[Hit]) -> tuple[list[dict], dict]:
    """Finding rows with final points, and the site's score fields."""
    veto = any(h.status == "veto" for h in hits)
    if veto:  # a veto stops scoring: deductions are not listed
        hits = [h for h in hits if h.status in {"veto", "unmeasured"}]
    factor = 1.0
    if profile.without_services_factor is not None and site.get("public_services") == 0:
        factor = profile.without_services_factor
    used: dict[str, float] = {}
    total = 0.0
    rows = []
    for h in hits:
        points = math.nan
        if h.status == "deduction":
            points = h.raw_points if h.rule.cap is None else min(h.raw_points, h.rule.cap)
            cap = profile.indicator_caps.get(h.rule.indicator)
            if cap is not None:
                points = max(0.0, min(points, cap - used.get(h.rule.indicator, 0.0)))
                used[h.rule.indicator] = used.get(h.rule.indicator, 0.0) + points
            points *= factor
            if profile.max_deduction is not None:
                points = max(0.0, min(points, profile.max_deduction - total))
            points = round(points, 4)
            total += points
        rows.append({"hit": h, "points": points})
    base = 100.0 - total
    bonus = 0.0
    bonus_ok = profile.bonus_min_score is not None and base > profile.bonus_min_score
    for row in rows:
        h = row["hit"]
        if h.status != "bonus":
            continue
        gain = min(h.raw_points, h.rule.cap) if h.rule.cap is not None else h.raw_points
        if profile.bonus_max is not None:
            gain = min(gain, profile.bonus_max - bonus)
        gain = max(gain, 0.0) if bonus_ok else 0.0
        bonus += gain
        row["points"] = -round(gain, 4)  # 扣分 column: a bonus is a negative deduction
    score = None if veto else round(max(base, 0.0) + bonus, 2)
    summary = {
        "score": score,
        "veto": veto,
        "result": FAIL if veto or (score is not None and score < profile.pass_mark) else PASS,
        "rating": profile.rating(score, veto),
        "deductions": round(total, 2),
        "bonus": round(bonus, 2),
    }
    return rows, summary


def run(
    profile: Profile,
    facts: FactSet,
    as_of: dt.date,
    drop: Callable[[str, Hit], bool] | None = None,
) -> EngineResult:
    """Score every site of the fact set with the profile at the time point as_of; `drop`
    (site id, hit) -> True leaves a hit out before scoring (a finding overruled in 复核)."""
    sites = normalise_sites(facts.sites)
    failed = set(
        sites.loc[(sites["status"] == "failed") | ~sites["crawled"].astype(bool), "site_id"]
    )
    columns, broken = _analyse_columns_per_site(profile, facts.columns, failed, as_of)
    home = facts.home.copy()
    home["site_id"] = home["site_id"].astype(str)
    evidence = facts.evidence.copy()
    evidence["site_id"] = evidence["site_id"].astype(str)
    # each table split by site once (not filtered once per site: that grew with N²)
    ordered = sites.sort_values("site_id", kind="stable")
    order = [str(s) for s in ordered["site_id"]]
    fields = ["site_id", *(c for c in COLUMN_ROW_FIELDS if c in columns)]
    cols_of, home_of = RowsBySite(columns[fields], order), RowsBySite(home, order)
    evidence_of = RowsBySite(evidence, order)
    # a usable column (read, not a directory), as one vectorised test over all columns
    usable = (
        # astype(bool): on an object column (NULLs read from SQL) ~True is -2, which is true
        (
            ~columns["failed"].fillna(False).astype(bool)
            & ~columns["is_container"].fillna(False).astype(bool)
        ).tolist()
        if not columns.empty
        else []
    )
    finding_rows: list[dict] = []
    site_rows: list[dict] = []
    rerun: list[RerunItem] = []
    for site in records(ordered):  # plain dicts: a pandas Series per site cost seconds
        sid, name = site["site_id"], site["site_name"]
        base_row = {
            k: site.get(k)
            for k in ("site_id", "site_name", "group", "round", "home_url", "crawled_at")
        }
        (site_cols, at), (site_home, _) = cols_of(sid), home_of(sid)
        site_evidence, _ = evidence_of(sid)
        reason = _failure_reason(site) if sid in failed else broken.get(sid)
        reason = reason or _nothing_to_judge(site, site_cols, [usable[i] for i in at], site_home)
        rows = None
        if reason is None:
            f = SiteFacts(site, site_cols, site_home, site_evidence)
            try:  # one site's odd facts cost that site its score, never the round its report
                hits = _evaluate(profile, f, as_of)
                if drop is not None:
                    hits = [h for h in hits if not drop(sid, h)]
                rows, summary = _score(profile, site, hits)
            except Exception as exc:  # noqa: BLE001 - any fault in one site's facts
                reason = unscorable_reason(exc)
        if rows is None:
            finding_rows.append(
                _finding(
                    site, 0, None, "failed", reason, math.nan, [str(site.get("home_url") or "")]
                )
            )
            site_rows.append(
                {
                    **base_row,
                    "score": None,
                    "veto": False,
                    "result": NOT_MONITORED,
                    "rating": "",
                    "problems": join_problems([reason]),
                    "deductions": None,
                    "bonus": None,
                    "columns_failed": int(len(site_cols)),
                    "rerun_reason": reason,
                }
            )
            rerun.append(RerunItem(sid, name, reason))
            continue
        for i, row in enumerate(rows, start=1):
            h = row["hit"]
            finding_rows.append(_finding(site, i, h, h.status, h.text, row["points"], h.evidence))
        failed_cols = [r for r in f.column_rows if r["failed"]]
        n_failed = len(failed_cols)
        if n_failed:
            # the columns named (a few), so that 重新监测 says what to look at again
            names = [r["display_name"] for r in failed_cols]
            named = "、".join(names[:3]) + ("等" if len(names) > 3 else "")
            note = f"{n_failed}个栏目监测失败({named}),需重新监测"
            urls = [
                f"{r['display_name']} {r['url']} {r['error'] or '抓取失败'}" for r in failed_cols
            ]
            finding_rows.append(_finding(site, len(rows) + 1, None, "failed", note, math.nan, urls))
        elif not site_cols and _from_crawl(site):
            home_url = [str(site.get("home_url") or "")]
            finding_rows.append(
                _finding(site, len(rows) + 1, None, "failed", NO_COLUMNS, math.nan, home_url)
            )
        site_rows.append(
            {**base_row, **summary, "problems": "", "columns_failed": n_failed, "rerun_reason": ""}
        )
    findings = pd.DataFrame(finding_rows, columns=FINDING_COLUMNS)
    scored = sites[~sites["site_id"].isin(failed)]
    findings, unmeasured = _drop_round_unmeasured(findings, _not_collected(profile, scored))
    out_sites = pd.DataFrame(site_rows, columns=SITE_RESULT_COLUMNS)
    # keep None (not NaN) for "no score": a vetoed or unmonitored site has no number
    out_sites["score"] = pd.Series(
        [None if v is None or pd.isna(v) else float(v) for v in out_sites["score"]], dtype=object
    )
    # each site's (status, text) in findings order: plain lists, not 6 filters per site
    statuses_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for sid, status, text in zip(
        findings["site_id"].astype(str), findings["status"], findings["text"], strict=True
    ):
        statuses_of[sid].append((status, text))
    for i, srow in out_sites.iterrows():
        if srow["result"] == NOT_MONITORED:
            continue
        mine = statuses_of.get(str(srow["site_id"]), [])
        texts = [t for s, t in mine if s in ("veto", "deduction")]
        texts += [f"{t},需重新监测" for s, t in mine if s == "unmeasured"]
        texts += [t for s, t in mine if s == "failed"]
        out_sites.at[i, "problems"] = join_problems(texts)
        reasons = [t for s, t in mine if s == "failed"]
        reasons += [t for s, t in mine if s == "unmeasured"]
        if reasons:
            reason = ";".join(reasons)
            out_sites.at[i, "rerun_reason"] = reason
            rerun.append(RerunItem(srow["site_id"], srow["site_name"], reason))
    return EngineResult(out_sites, columns, findings, rerun, unmeasured)


def _finding(
    site: Mapping[str, Any],
    order: int,
    hit: Hit | None,
    status: str,
    text: str,
    points: float,
    evidence: list[str],
) -> dict:
    rule = hit.rule if hit else None
    return {
        "site_id": site["site_id"],
        "site_name": site["site_name"],
        "order": order,
        "rule_id": rule.id if rule else "monitoring",
        "indicator": rule.indicator if rule else "监测情况",
        "section": rule.section if rule else "",
        "status": status,
        "text": text,
        "points": points,
        "raw_points": hit.raw_points if hit else math.nan,
        "value": hit.value if hit else None,
        "evidence": "\n".join(e for e in evidence if e),
    }


def _not_collected(profile: Profile, sites: pd.DataFrame) -> dict[str, str]:
    """Rules whose facts no scored site has at all (not collected this round) -> label."""
    supplied = {c for c in sites.columns if sites[c].notna().any()}
    if sites["home_crawled"].astype(bool).any():
        supplied.add("home_new_items")
    out: dict[str, str] = {}
    for rule in profile.rules:
        if rule.kind == "fact":
            needed = {rule.fact, *rule.requires}
        elif rule.kind == "home_updates":
            needed = {"home_new_items"}
        else:
            continue
        if not needed & supplied:
            fact = rule.fact or "home_new_items"
            why = f":{rule.unmeasured}" if rule.unmeasured else ""
            out[rule.id] = f"{rule.indicator}({OPTIONAL_FACTS.get(fact, fact)}{why})"
    return out


def _drop_round_unmeasured(
    findings: pd.DataFrame, not_collected: dict[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    """Indicators whose facts were not collected this round are one round-level note, not
    a 未监测 row per site. A fact collected for some sites but missing (or too thin, e.g.
    availability probed for under a week) for others stays a per-site 未监测 finding: that
    site is the gap to re-run. One 未监测 row per indicator and site.
    """
    if findings.empty:
        return findings, []
    round_level = findings["status"].eq("unmeasured") & findings["rule_id"].isin(not_collected)
    indicators = list(dict.fromkeys(not_collected[r] for r in findings.loc[round_level, "rule_id"]))
    out = findings[~round_level]
    dup = out["status"].eq("unmeasured") & out.duplicated(["site_id", "indicator", "status"])
    return out[~dup].reset_index(drop=True), indicators
