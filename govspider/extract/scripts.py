"""Lists that live in scripts: data literals read without a browser, and list builders.

Many provincial platforms ship a list as a data literal in the page
(``var itemObj = [{"aT": …, "aPd": "2026-09-21 17:00", "aU": …}]``): read it as JSON.
A script that writes items into the page (innerHTML, appendChild, document.write) from
data a reader cannot see means only a browser can show the list.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from scrapy.http import TextResponse

from govspider.dates import parse_date
from govspider.extract.base import absolute, clean_text
from govspider.items import Entry

# a script that writes list items into the page
BUILDS_LIST_RE = re.compile(
    r"(?:innerHTML|appendChild|insertAdjacentHTML|document\.write|\.append\(|\.html\()"
    r"[\s\S]*?(?:<li|<tr|<a\s|createElement)|createElement\(\s*['\"](?:li|tr|a)['\"]",
    re.I,
)
# a JSON array of objects assigned in a script: var itemObj = [{"aT": ..., "aU": ...}]
DATA_LITERAL_RE = re.compile(r"=\s*(\[\s*\{[\s\S]*?\}\s*\])\s*;")
URLISH_RE = re.compile(
    r"^(?:https?://|/|\./|\.\./)|\.(?:s?html?|jhtml|jsp|php|aspx?)(?:\?|$)", re.I
)
DATE_VALUE_RE = re.compile(r"[\d\s:：/.\-年月日号T]{6,25}")


# every match of BUILDS_LIST_RE holds one of these words (in any case): a script with none
# is passed by str.find instead of the case-blind regex, which is slow on long scripts
_BUILDER_WORDS = (
    "innerhtml", "appendchild", "insertadjacenthtml", "document.write", ".append(", ".html(",
    "createelement",
)  # fmt: skip
# letters the case-blind regex takes for i, s or k where str.lower() does not
_CASE_ODD = ("\u0131", "\u0130", "\u017f")


def builds_list(script: str) -> bool:
    """True when an inline script writes list items into the page."""
    low = script.lower()
    if not any(w in low for w in _BUILDER_WORDS) and not any(c in script for c in _CASE_ODD):
        return False
    return bool(BUILDS_LIST_RE.search(script))


def _entry_from_record(response: TextResponse, row: dict, today: dt.date) -> Entry | None:
    """An item from one record of a data literal: its URL, longest text and date values."""
    values = [str(v).strip() for v in row.values() if isinstance(v, str | int) and str(v).strip()]
    url = next((absolute(response, v) for v in values if URLISH_RE.search(v)), None)
    if not url:
        return None
    date_text = next((v for v in values if DATE_VALUE_RE.fullmatch(v) and parse_date(v, today)), "")
    texts = [
        v
        for v in values
        if v != date_text and not URLISH_RE.search(v) and re.search(r"[\u4e00-\u9fff]", v)
    ]
    if not texts:
        return None
    date = parse_date(date_text, today) if date_text else None
    return Entry(
        title=clean_text(max(texts, key=len)),
        url=url,
        date=date,
        date_text=date_text,
        date_source="list" if date else "",
    )


def script_entries(response: TextResponse, today: dt.date) -> list[Entry]:
    """Items from a data literal in a script (var itemObj = [{...}]): no browser needed."""
    entries: list[Entry] = []
    for script in response.selector.root.iter("script"):
        for m in DATA_LITERAL_RE.finditer(script.text or ""):
            try:
                rows = json.loads(m.group(1))
            except ValueError:
                continue
            for row in rows if isinstance(rows, list) else []:
                entry = _entry_from_record(response, row, today) if isinstance(row, dict) else None
                if entry:
                    entries.append(entry)
        if entries:
            return entries
    return entries
