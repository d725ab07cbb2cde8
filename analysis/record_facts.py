"""Fact sets from plain records: facts that do not come from a crawl (seed tables,
hand-measured facts, tests)."""

from __future__ import annotations

import pandas as pd

from analysis.facts import COLUMN_COLUMNS, HOME_COLUMNS, FactSet, normalise_sites


def facts_from_records(
    sites: list[dict], columns: list[dict] | None = None, home: list[dict] | None = None
) -> FactSet:
    """A FactSet from plain records, for facts that do not come from a crawl (seed tables,
    hand-measured facts). Column records need site_id and name; the rest has defaults."""
    col_defaults = {
        "path": "",
        "url": "",
        "depth": 1,
        "status": "ok",
        "error": "",
        "http_status": None,
        "item_count": 0,
        "newest_date": None,
        "blank": False,
        "placeholder": "",
        "is_container": False,
        "category_override": "",
    }
    rows = []
    for i, rec in enumerate(columns or []):
        row = {**col_defaults, **rec}
        if "item_count" not in rec:  # a dated column has items; an undated one needs a count
            row["item_count"] = 10 if rec.get("newest_date") else 0
        if isinstance(row["path"], list):
            row["path"] = " > ".join(row["path"])
        row["url"] = row["url"] or f"about:column/{rec['site_id']}/{i}"
        rows.append(row)
    cols = pd.DataFrame(rows, columns=COLUMN_COLUMNS)
    cols["newest_date"] = cols["newest_date"].astype(object)
    home_df = pd.DataFrame(home or [], columns=HOME_COLUMNS)
    home_df["date"] = home_df["date"].astype(object)
    return FactSet(normalise_sites(pd.DataFrame(sites)), cols, home_df)
