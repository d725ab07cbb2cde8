"""The crawl's idea of now, which tests and re-runs can freeze, and the round it falls in.

Now is Beijing time (Asia/Shanghai), whatever the machine's time zone: the sites date
their items in it, and the national rules count days in it. Times are kept naive.
"""

from __future__ import annotations

import datetime as dt

# China has kept UTC+8 without daylight saving since 1991: a fixed offset is exact for
# every crawl and needs no time-zone database on the machine
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def in_china(moment: dt.datetime) -> dt.datetime:
    """An aware moment as naive Beijing time; a naive one is taken to be Beijing time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(CHINA_TZ).replace(tzinfo=None)


def crawl_now(frozen: str | None = None) -> dt.datetime:
    """The frozen time point when one is set (GOVSPIDER_NOW), else the wall clock, both
    as naive Beijing time (a frozen value with an offset is converted)."""
    if frozen:
        try:
            value = dt.datetime.fromisoformat(str(frozen))
        except ValueError as exc:
            raise ValueError(f"GOVSPIDER_NOW 不是有效的日期时间: {frozen!r}") from exc
        return in_china(value)
    return in_china(dt.datetime.now(CHINA_TZ).replace(microsecond=0))


def round_of(moment: dt.date) -> str:
    """The monitoring round (quarter) a moment falls in, e.g. 2026Q4."""
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


def parse_day(text: str) -> dt.date:
    """A YYYY-MM-DD date from the command line, with a Chinese error when it is not one."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"日期格式应为 YYYY-MM-DD: {text!r}") from exc
