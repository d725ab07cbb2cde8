"""analysis.frames.records gives what DataFrame.to_dict("records") gives, value and type."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis.frames import records


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and (a is b or a == b or (a != a and b != b))


def test_records_match_to_dict_for_every_kind_of_column():
    frame = pd.DataFrame(
        {
            "text": pd.Series(["栏目", None, "c"], dtype="str"),
            "mixed": pd.Series([np.int64(3), None, dt.date(2026, 6, 1)], dtype=object),
            "int": [1, 2, 3],
            "float": [1.5, np.nan, 2.0],
            "bool": [True, False, True],
            "time": pd.to_datetime(["2026-06-01", None, "2026-06-03"]),
            "nullable": pd.array([1, None, 3], dtype="Int64"),
            "category": pd.Categorical(["x", "y", "x"]),
            "flags": pd.Series([True, None, np.bool_(False)], dtype=object),
        },
        index=[7, 3, 5],
    )
    want, got = frame.to_dict("records"), records(frame)
    assert len(got) == len(want) == 3
    for w, g in zip(want, got, strict=True):
        assert list(g) == list(w)
        assert all(_same(w[k], g[k]) for k in w), (w, g)
    assert not isinstance(got[0]["mixed"], np.generic)  # numpy scalars made plain Python
