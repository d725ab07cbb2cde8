"""The extractors on real saved government pages, against labels written by reading them.

The pages and their labels (tests/fixtures/real_lists/*.yaml, with source and licence)
are not the farm's: nobody wrote the extractors for them. See bench/real_lists.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bench import real_lists

CASES = real_lists.cases()


def test_the_corpus_is_labelled_with_its_source():
    assert CASES
    for name in CASES:
        _response, label = real_lists.load(name)
        source = label["source"]
        assert source["repo"] and source["path"] and len(source["commit"]) == 40, name
        assert source["licence"], name
        assert label["family"] in {"trs", "hanweb", "gkml", "generic"}, name


def _case(name: str):
    """A page whose miss is known and not yet fixed carries `xfail: <reason>` in its labels."""
    _response, label = real_lists.load(name)
    if label.get("xfail"):
        return pytest.param(name, marks=pytest.mark.xfail(reason=label["xfail"], strict=True))
    return name


@pytest.mark.parametrize("name", [_case(name) for name in CASES])
def test_real_page(name):
    out = real_lists.run(name)
    assert real_lists.problems(out) == []


def test_a_wrong_label_is_caught():
    _response, label = real_lists.load("ordos_egb_xxgknb_list")
    assert real_lists.problems(real_lists.run("ordos_egb_xxgknb_list", label)) == []
    extra = [*label["entries"], [dt.date(2020, 9, 30), "页面上没有的一条通知"]]
    wrong = real_lists.problems(real_lists.run("ordos_egb_xxgknb_list", dict(label, entries=extra)))
    assert any("漏掉 1 条" in p for p in wrong) and any("条目数 10" in p for p in wrong)
    redated = [[dt.date(2020, 9, 4), label["entries"][0][1]], *label["entries"][1:]]
    wrong = real_lists.problems(
        real_lists.run("ordos_egb_xxgknb_list", dict(label, entries=redated))
    )
    assert any("1 条日期不对" in p for p in wrong)


def test_the_report_counts_the_real_list_pages_on_their_own(capsys):
    outcomes = real_lists.score()
    lists = [o for o in outcomes if o.label.get("is_list") is True]
    sites = {o.label["site"] for o in lists}
    real_lists.report(outcomes)
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"真实列表页: {len(lists)} 页, {len(sites)} 个网站"), first
    assert ("未达到" in first) == (len(lists) < 30 or len(sites) < 10), first
