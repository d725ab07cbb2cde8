"""Small helpers over the analysis' pandas tables."""

from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype
from pandas.core.dtypes.cast import maybe_box_native
from sqlalchemy import Connection, Executable


def read_sql_shared(
    conn: Connection, stmt: Executable, shared: Iterable[str], chunk: int = 50_000
) -> pd.DataFrame:
    """pd.read_sql(stmt, conn), with equal strings of the `shared` columns made one object.

    A database driver hands back a new str per cell: 600,000 columns' status "ok", kind
    "list" and names were millions of copies (read at 10,000 sites: 800 MB, shared:
    470 MB). Read in chunks, so that the copies die chunk by chunk."""
    seen: dict = {}
    parts = []
    for part in pd.read_sql(stmt, conn, chunksize=chunk):
        for name in shared:
            values = part[name].to_numpy(dtype=object)
            part[name] = pd.Series(
                [seen.setdefault(v, v) if type(v) is str else v for v in values],
                index=part.index,
                dtype=part[name].dtype,
            )
        parts.append(part)
    if not parts:  # no row: the empty frame a single read gives
        return pd.read_sql(stmt, conn)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    for name in frame.columns:
        # a chunk whose text column was all NULL came back as object: text as one read has it
        text = [p[name].dtype for p in parts if isinstance(p[name].dtype, pd.StringDtype)]
        if text and frame[name].dtype == object:
            frame[name] = frame[name].astype(text[0])
    return frame


def tuples_by_site(table: pd.DataFrame) -> dict[str, list[tuple]]:
    """Each site's rows (by str site_id) as named tuples (see `tuples`), split once: for
    per-site loops that would otherwise filter, or iterate, a small frame per site."""
    out: dict[str, list[tuple]] = {}
    if table.empty:
        return out
    for sid, row in zip(table["site_id"].astype(str), tuples(table, index=False), strict=True):
        out.setdefault(sid, []).append(row)
    return out


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
