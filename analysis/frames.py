"""Small helpers over the analysis' pandas tables."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype
from pandas.core.dtypes.cast import maybe_box_native


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


def records(frame: pd.DataFrame) -> list[dict]:
    """frame.to_dict("records"), the same values, made from whole columns: to_dict reads
    text (and other extension) columns element by element, which dominated the engine's
    time at 10,000 sites. As to_dict does, values of object and extension columns are
    made plain Python (numpy scalars to int/float/bool)."""
    names = frame.columns.tolist()
    columns = []
    for i, dtype in enumerate(frame.dtypes.values):
        col = frame.iloc[:, i]
        if dtype == np.dtype(object) or isinstance(dtype, ExtensionDtype):
            columns.append(
                [v if type(v) is str else maybe_box_native(v) for v in col.to_numpy(dtype=object)]
            )
        else:
            columns.append(col.tolist())
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
