"""Analysts' review decisions on findings (复核): who decided what, when, on which evidence."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pipelines.base import Base


class ReviewDecisionRow(Base):
    """One decision; the newest per finding_id counts. finding_id names the site, the rule
    and a hash of the evidence, so a decision lapses when the evidence changes."""

    __tablename__ = "review_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[str] = mapped_column(String(200), index=True)
    site_id: Mapped[str] = mapped_column(String(64), index=True)
    rule_id: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(8))  # 误报 / 属实
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(Text, default="")  # the file it was imported from
