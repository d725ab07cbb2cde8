"""Small helpers over the analysis' pandas tables."""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator

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


def _columns(frame: pd.DataFrame, box: bool) -> list[list]:
    """Each column's values as a list: numpy columns by tolist (plain Python scalars, as
    iteration gives them), object and extension columns as their objects (text columns
    iterate element by element through pandas otherwise), boxed to plain Python as
    to_dict does when `box`."""
    columns = []
    for i, dtype in enumerate(frame.dtypes.values):
        col = frame.iloc[:, i]
        if dtype == np.dtype(object) or isinstance(dtype, ExtensionDtype):
            if dtype == np.dtype(object) or isinstance(dtype, pd.StringDtype):
                values = col.to_numpy(dtype=object)
            else:  # other extension types (nullable numbers ...): pandas' own iteration
                values = np.array(list(col) + [None], dtype=object)[:-1]
            if box:
                columns.append([v if type(v) is str else maybe_box_native(v) for v in values])
            else:
                columns.append(values.tolist())
        else:
            columns.append(col.tolist())
    return columns


def records(frame: pd.DataFrame) -> list[dict]:
    """frame.to_dict("records"), the same values, made from whole columns: to_dict reads
    text (and other extension) columns element by element, which dominated the engine's
    time at 10,000 sites. As to_dict does, values of object and extension columns are
    made plain Python (numpy scalars to int/float/bool)."""
    names = frame.columns.tolist()
    return [dict(zip(names, row, strict=True)) for row in zip(*_columns(frame, True), strict=True)]


def tuples(frame: pd.DataFrame, index: bool = True) -> Iterator[tuple]:
    """frame.itertuples(index=index) (named tuples, the same values), from whole columns."""
    names = frame.columns.tolist()
    row = collections.namedtuple("Pandas", ["Index", *names] if index else names, rename=True)
    columns = _columns(frame, False)
    if index:
        columns.insert(0, list(frame.index))
    if not columns:
        return iter(())
    return map(row._make, zip(*columns, strict=True))
