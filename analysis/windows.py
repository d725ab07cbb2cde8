"""Time windows counted back from the monitoring time point (监测时间点)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_UNITS = {"d": "天", "w": "周", "m": "个月", "y": "年"}
_PATTERN = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$")


@dataclass(frozen=True)
class Window:
    """A window such as 14d, 2w, 6m or 1y; months and years are calendar months/years."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str | int) -> Window:
        """Read `14d`, `2w`, `6m`, `1y` (a bare number means days)."""
        if isinstance(text, int) and not isinstance(text, bool):
            return cls(text, "d")
        match = _PATTERN.match(str(text))
        if not match:
            raise ValueError(f"时间窗口格式应为 14d / 2w / 6m / 1y: {text!r}")
        return cls(int(match.group(1)), match.group(2))

    def start(self, as_of: dt.date) -> dt.date:
        """The oldest date still inside the window ending at as_of.

        A column is stale when its newest date is before this day: for 14d that is
        age > 14 days; for 6m the same day-of-month 6 months back, clamped to month end.
        """
        if self.unit == "d":
            return as_of - dt.timedelta(days=self.amount)
        if self.unit == "w":
            return as_of - dt.timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit == "y" else 1)
        return shift_months(as_of, -months)

    def contains(self, day: dt.date | None, as_of: dt.date) -> bool:
        """True when day lies in [start, as_of]; days after the time point are outside."""
        return day is not None and self.start(as_of) <= day <= as_of

    @property
    def label(self) -> str:
        """Chinese label as used in findings: 14d -> 2周, 6m -> 6个月, 1y -> 1年."""
        if self.unit == "d" and self.amount % 7 == 0:
            return f"{self.amount // 7}周"
        return f"{self.amount}{_UNITS[self.unit]}"

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day-of-month `months` away, clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
