"""Chinese wording helpers for findings and the problem list of the report."""

from __future__ import annotations

import math
import re

_TRAILING = re.compile(r"[。;；\s]+$")
# an ASCII , ; : with Chinese text (or a closing bracket) on either side, not inside a URL,
# a time (10:00) or a number (1,000)
_HALFWIDTH = re.compile(r"(?:(?<=[^\x00-\x7f)\]%])([,;:])|([,;:])(?=[^\x00-\x7f])) ?")
_FULLWIDTH = {",": "，", ";": "；", ":": "："}


def fmt_number(value: float | int | None) -> str:
    """12.0 -> '12', 0.30000000000000004 -> '0.3'; empty for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = round(float(value), 2)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def column_names(names: list[str]) -> str:
    """One name as is; several in parentheses joined with 、 as in the seed tables."""
    return names[0] if len(names) == 1 else "(" + "、".join(names) + ")"


def fullwidth(text: object) -> object:
    """Chinese text with full-width ，；： (as a 通报 prints them); URLs, times and
    numbers keep theirs. Anything that is not a string is returned as is."""
    if not isinstance(text, str):
        return text
    return _HALFWIDTH.sub(lambda m: _FULLWIDTH[m.group(1) or m.group(2)], text)


def join_problems(texts: list[str]) -> str:
    """`1.A；2.B。` for several problems, `A。` for one, empty for none."""
    items = [_TRAILING.sub("", t.strip()) for t in texts if t and t.strip()]
    if not items:
        return ""
    if len(items) == 1:
        return fullwidth(items[0]) + "。"
    return fullwidth("；".join(f"{i}.{t}" for i, t in enumerate(items, start=1))) + "。"


def display_name(name: str, path: str | list[str] | None) -> str:
    """A column as named in findings: first-level by name, sub-columns by path `陆溪镇>要闻信息`."""
    if isinstance(path, str):
        parts = [p.strip() for p in path.split(">") if p.strip()]
    else:
        parts = [str(p).strip() for p in (path or []) if str(p).strip()]
    if not parts or parts[-1] != name:
        parts.append(name)
    return ">".join(parts)
