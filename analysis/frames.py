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
