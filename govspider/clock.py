"""The crawl's idea of now, which tests and re-runs can freeze, and the round it falls in."""

from __future__ import annotations

import datetime as dt


def crawl_now(frozen: str | None = None) -> dt.datetime:
    """The frozen time point when one is set (GOVSPIDER_NOW), else the wall clock."""
    if frozen:
        try:
            value = dt.datetime.fromisoformat(str(frozen))
        except ValueError as exc:
            raise ValueError(f"GOVSPIDER_NOW 不是有效的日期时间: {frozen!r}") from exc
        return value.replace(tzinfo=None)
    return dt.datetime.now().replace(microsecond=0)


def round_of(moment: dt.date) -> str:
    """The monitoring round (quarter) a moment falls in, e.g. 2026Q4."""
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


def parse_day(text: str) -> dt.date:
    """A YYYY-MM-DD date from the command line, with a Chinese error when it is not one."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"日期格式应为 YYYY-MM-DD: {text!r}") from exc
