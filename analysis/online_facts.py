"""Online service systems (在线办事系统): which of the systems linked from the service
guides and 办事服务 column pages do not open, with their evidence; one row per system for
互动与服务.

Read from the page findings of kind `online` the crawl stored (govspider.spiders.online).
A system that answered an HTTP error, an error or placeholder page, a blank page or a
file counts as not opening: that answer is the evidence. A system that gave no HTTP
answer even after a retry (timeout, connection refused or reset, DNS) is no evidence
either way: when it is the only doubt, the site's count is 未监测 with the reason, never
a pass; when another system of the site is shown not to open, the count stands and the
unanswered one is named beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

ONLINE = "online"  # page-finding kind (govspider.spiders.online)
UNCHECKED = "未监测:"  # note prefix of a request that got no HTTP answer
FACT = "online_systems_broken"
ONLINE_COLUMNS = ["site_id", "page_url", "text", "url", "seen", "verdict", "state"]


def online_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per online system checked: where its link sits, the link text, its URL,
    what it answered, the verdict in Chinese, and state open | broken | unchecked."""
    mine = rows[rows["kind"] == ONLINE] if not rows.empty else rows
    out = []
    for r in mine.itertuples():
        note = r.note or ""
        if note.startswith(UNCHECKED):
            state, verdict = "unchecked", f"未监测({note[len(UNCHECKED) :]})"
        elif note:
            state, verdict = "broken", f"无法打开({note})"
        else:
            state, verdict = "open", "可打开"
        out.append(
            {
                "site_id": r.site_id,
                "page_url": r.page_url,
                "text": r.text,
                "url": r.context,
                "seen": r.correct or "",
                "verdict": verdict,
                "state": state,
            }
        )
    return pd.DataFrame(out, columns=ONLINE_COLUMNS).drop_duplicates(["site_id", "url"])


def system_text(r) -> str:  # noqa: ANN001 - an online_table row
    seen = f",{r.seen}" if r.seen else ""
    return f"在线办事系统“{r.text}” {r.url} {r.verdict}{seen}(链接位于 {r.page_url})"


def online_facts(
    mine: Sequence[tuple] | None, nothing_to_check: bool
) -> tuple[float | None, list[str]]:
    """(systems that do not open or None for 未监测, evidence texts) of one site from its
    online_table rows as named tuples (None or none: no system checked). `nothing_to_check`: the
    site's guides were read (or it has no service column and was crawled whole) and they
    link no online system: 0 then."""
    if not mine:
        return (0.0 if nothing_to_check else None), []
    broken = [r for r in mine if r.state == "broken"]
    unchecked = [r for r in mine if r.state == "unchecked"]
    evidence = [system_text(r) for r in broken] + [system_text(r) for r in unchecked]
    if not broken and unchecked:
        return None, evidence  # the only doubt is a system that did not answer
    return float(len(broken)), evidence
