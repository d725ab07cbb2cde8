"""复核: analysts' decisions on findings (误报 overrules, 属实 confirms), read and applied.

A finding's id names the site, the rule and a hash of its evidence; a decision applies to
a later round's finding with the same id, so it carries over while the evidence is
unchanged and lapses when it changes. The newest decision per id counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from analysis.rules import Hit
from pipelines.review_models import ReviewDecisionRow

FALSE_ALARM, CONFIRMED = "误报", "属实"
VERDICTS = (FALSE_ALARM, CONFIRMED)
REVIEW_SHEET = "复核"
REVIEW_HEADERS = [
    "复核编号",
    "单位名称",
    "指标",
    "问题",
    "扣分",
    "证据",
    "复核结论",
    "说明",
    "复核人",
]
REVIEWABLE = ("veto", "deduction")
OVERRULED_COLUMNS = ["finding_id", "site_id", "indicator", "text", "note", "reviewer",
                     "decided_at"]  # fmt: skip


class ReviewFileError(ValueError):
    """A review file that cannot be read; the message names the file, row and reason."""


def finding_id(site_id: str, rule_id: str, evidence: str) -> str:
    """site/rule/evidence-hash: stable while the evidence is unchanged."""
    digest = hashlib.sha1(str(evidence or "").encode("utf-8")).hexdigest()[:10]
    return f"{site_id}/{rule_id}/{digest}"


def hit_evidence(hit: Hit) -> str:
    """The evidence text as the findings table holds it."""
    return "\n".join(e for e in hit.evidence if e)


@dataclass
class Decision:
    finding_id: str
    verdict: str
    note: str
    reviewer: str
    decided_at: dt.datetime | None = None
    source: str = ""

    @property
    def site_id(self) -> str:
        return self.finding_id.rsplit("/", 2)[0]

    @property
    def rule_id(self) -> str:
        return self.finding_id.rsplit("/", 2)[1]


def _rows_of(path: Path) -> list[list[object]]:
    if path.suffix.lower() == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                with open(path, encoding=encoding, newline="") as fh:
                    return [list(r) for r in csv.reader(fh)]
            except UnicodeDecodeError:
                continue
        raise ReviewFileError(f"{path}: 无法识别的文字编码(应为 UTF-8 或 GBK)")
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one clear error
        raise ReviewFileError(f"{path}: 不是可读取的 Excel 文件({type(exc).__name__})") from exc
    if REVIEW_SHEET not in wb.sheetnames:
        raise ReviewFileError(f"{path}: 没有“{REVIEW_SHEET}”工作表")
    return [list(r) for r in wb[REVIEW_SHEET].iter_rows(values_only=True)]


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_review_file(path: str | Path) -> list[Decision]:
    """The filled-in rows of a 复核 sheet (xlsx) or CSV; rows without a 复核结论 are skipped."""
    path = Path(path)
    if not path.exists():
        raise ReviewFileError(f"{path}: 文件不存在")
    rows = _rows_of(path)
    if not rows:
        raise ReviewFileError(f"{path}: 文件为空")
    head = [_text(h) for h in rows[0]]
    missing = [h for h in ("复核编号", "复核结论", "说明", "复核人") if h not in head]
    if missing:
        raise ReviewFileError(f"{path} 第1行: 缺少列 {'、'.join(missing)}")
    col = {h: head.index(h) for h in head if h}
    out = []
    for n, row in enumerate(rows[1:], start=2):
        cells = {h: _text(row[i]) if i < len(row) else "" for h, i in col.items()}
        if not cells["复核结论"]:
            continue
        where = f"{path} 第{n}行"
        fid = cells["复核编号"]
        if fid.count("/") < 2:
            raise ReviewFileError(f"{where}: 复核编号“{fid}”无效(应为工作簿“复核”表中的编号)")
        if cells["复核结论"] not in VERDICTS:
            raise ReviewFileError(f"{where}: 复核结论应为 误报 或 属实,而不是“{cells['复核结论']}”")
        if not cells["复核人"]:
            raise ReviewFileError(f"{where}: 缺少复核人")
        out.append(
            Decision(fid, cells["复核结论"], cells["说明"], cells["复核人"], source=str(path))
        )
    return out


def store_decisions(engine: Engine, decisions: list[Decision], now: dt.datetime) -> int:
    """Store the decisions (all in one transaction); returns how many were stored."""
    with Session(engine) as session, session.begin():
        for d in decisions:
            session.add(
                ReviewDecisionRow(
                    finding_id=d.finding_id, site_id=d.site_id, rule_id=d.rule_id,
                    verdict=d.verdict, note=d.note, reviewer=d.reviewer,
                    decided_at=d.decided_at or now, source=d.source,
                )
            )  # fmt: skip
    return len(decisions)


def load_decisions(engine: Engine) -> dict[str, Decision]:
    """The newest decision per finding id."""
    with Session(engine) as session:
        rows = session.scalars(
            select(ReviewDecisionRow).order_by(ReviewDecisionRow.decided_at, ReviewDecisionRow.id)
        ).all()
        return {
            r.finding_id: Decision(
                r.finding_id, r.verdict, r.note, r.reviewer, r.decided_at, r.source
            )  # fmt: skip
            for r in rows
        }


class Overrules:
    """The engine's `drop` predicate: leaves out overruled hits and records them."""

    def __init__(self, decisions: dict[str, Decision]) -> None:
        self.decisions = decisions
        self.dropped: list[dict] = []

    def __call__(self, site_id: str, hit: Hit) -> bool:
        if hit.status not in REVIEWABLE:
            return False
        fid = finding_id(site_id, hit.rule.id, hit_evidence(hit))
        d = self.decisions.get(fid)
        if d is None or d.verdict != FALSE_ALARM:
            return False
        self.dropped.append(
            {"finding_id": fid, "site_id": site_id, "indicator": hit.rule.indicator,
             "text": hit.text, "note": d.note, "reviewer": d.reviewer,
             "decided_at": d.decided_at}
        )  # fmt: skip
        return True


def mark_findings(findings: pd.DataFrame, decisions: dict[str, Decision]) -> pd.DataFrame:
    """findings with finding_id and review (属实 where confirmed, else empty)."""
    if findings.empty:
        return findings.assign(finding_id=pd.Series(dtype=object), review=pd.Series(dtype=object))
    ids = [
        finding_id(s, r, e) for s, r, e in zip(findings["site_id"], findings["rule_id"],
                                               findings["evidence"], strict=True)
    ]  # fmt: skip
    review = [
        CONFIRMED if (d := decisions.get(i)) is not None and d.verdict == CONFIRMED else ""
        for i in ids
    ]
    return findings.assign(finding_id=ids, review=review)
