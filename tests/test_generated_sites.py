"""Generated sites (farmgen), crawled for real: no false 空白 or 未更新, columns and dates found.

The seed is random per run unless GOVSPIDER_SEED is set; it is printed and named in every
assertion message so that a failure can be reproduced.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from bench.generated import TODAY, crawl, measure, score
from farmgen.server import GenServer, seed_from_env
from farmgen.spec import BLANK, STALE

SITES = int(os.environ.get("GOVSPIDER_GEN_SITES", "300"))


@pytest.mark.slow
def test_generated_sites_are_read_right(tmp_path):
    seed = seed_from_env()
    print(f"GOVSPIDER_SEED={seed}")
    res = measure(seed, SITES, tmp_path)
    print(res.summary())
    why = f"GOVSPIDER_SEED={seed}: {res.summary()}"
    assert res.sites == SITES, why
    assert not res.failed_sites, f"{why}\n站点监测失败: {res.failed_sites[:10]}"
    assert not res.false_blank, f"{why}\n" + "\n".join(res.false_blank[:20])
    assert not res.false_stale, f"{why}\n" + "\n".join(res.false_stale[:20])
    assert not res.noise_as_column, f"{why}\n" + "\n".join(res.noise_as_column[:20])
    assert res.recall >= 0.97, f"{why}\n" + "\n".join(res.misses[:20])
    assert res.newest_exact >= 0.97, f"{why}\n" + "\n".join(res.misses[:20])
    assert res.noise_listed == res.noise_seen, why


def test_truth_says_blank_and_stale_where_the_site_shows_it():
    """The generator's own truth: every expected status is backed by what it serves."""
    sites = GenServer(5, 40, TODAY).sites
    cols = [c for s in sites for c in s.all_columns() if c.kind == "list"]
    assert any(c.expected(TODAY) == BLANK for c in cols)
    assert any(c.expected(TODAY) == STALE for c in cols)
    for col in cols:
        if col.expected(TODAY) == STALE:
            assert (TODAY - col.newest).days > col.window
        if col.expected(TODAY) == BLANK:
            assert not col.items


def test_a_misread_site_is_caught(tmp_path):
    """The check fails when the crawl misses: drop a generated site's columns from the db."""
    import sqlite3

    with GenServer(3, 5, TODAY) as server:
        db = crawl(server, tmp_path)
        con = sqlite3.connect(db)
        con.execute("UPDATE column_snapshot SET blank = 1, item_count = 0")
        con.commit()
        con.close()
        res = score(server, db)
    assert res.false_blank
    assert isinstance(TODAY, dt.date)
