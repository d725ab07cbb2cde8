"""Small helpers over the analysis' pandas tables."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def by_site(table: pd.DataFrame) -> Callable[[str], pd.DataFrame]:
    """The rows of one site, by site_id: the table is grouped once, each lookup is cheap.
    A site with no rows gets the table's empty slice (same columns and dtypes)."""
    empty = table.iloc[0:0]
    if table.empty:
        return lambda _sid: empty
    groups = {str(k): g for k, g in table.groupby(table["site_id"].astype(str), sort=False)}
    return lambda sid: groups.get(str(sid), empty)


def positions(values: pd.Series) -> dict:
    """value -> the positions (0-based, in table order) of the rows holding it: a table
    split by site as plain integer lists, for per-site loops over plain column lists."""
    return {k: v.tolist() for k, v in values.groupby(values, sort=False).indices.items()}
