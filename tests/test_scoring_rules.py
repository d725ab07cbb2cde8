"""Every rule at, just below and just above its threshold; the time point is frozen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analysis.record_facts import facts_from_records
from analysis.report import Report, report_from_facts

AS_OF = dt.date(2019, 8, 31)  # end of a 31-day month: exercises month-end clamping
FRESH = AS_OF - dt.timedelta(days=1)
# every optional fact measured and fine, so only the fact under test can cost points
FINE = {
    "home_new_items": 30,
    "broken_links_home": 0,
    "broken_links_other": 0,
    "consult_channel": 1,
    "consult_valid_letters_1y": 9,
    "consult_unanswered_3m": 0,
    "survey_count_1y": 8,
    "interview_count_1y": 5,
    "services_offered": 1,
    "guide_missing_elements": 0,
    "serious_errors": 0,
    "avail_days": 7,
    "avail_probes": 168,
    "avail_failure_pct": 0,
}


def score(
    facts: dict | None = None,
    columns: list[dict] | None = None,
    home: list[dict] | None = None,
    profile: str | Path = "national-2019",
) -> Report:
    site = {"site_id": "s", "site_name": "测试站点", **FINE, **(facts or {})}
    if home is not None:
        site["home_crawled"] = True
    cols = [{"site_id": "s", **c} for c in columns or []]
    rows = [{"site_id": "s", **h} for h in home or []]
    return report_from_facts(facts_from_records([site], cols, rows), AS_OF, profile)


def site(report: Report):
    return report.sites.iloc[0]


def points(report: Report, rule_id: str) -> float:
    f = report.findings
    return float(f.loc[f["rule_id"] == rule_id, "points"].sum())


def fired(report: Report, rule_id: str) -> bool:
    return bool((report.findings["rule_id"] == rule_id).any())


# ---- home page updates ----


def _home(n: int, days_old: int = 3) -> list[dict]:
    return [
        {"title": f"t{i}", "url": f"http://x/{i}", "date": AS_OF - dt.timedelta(days=days_old)}
        for i in range(n)
    ]


@pytest.mark.parametrize(("n", "cost"), [(9, 5), (10, 0), (11, 0)])
def test_home_fewer_than_10_items(n: int, cost: float) -> None:
    r = score(home=_home(n))
    assert points(r, "home_few_updates") == cost
    assert site(r)["score"] == 100 - cost


def test_home_no_item_in_2_weeks_is_a_veto() -> None:
    r = score(home=_home(5, days_old=15))
    assert site(r)["veto"] and site(r)["result"] == "不合格"
    assert site(r)["problems"] == "2周内首页栏目信息更新总量为0。"
    assert not (r.findings["status"] == "deduction").any()  # a veto stops scoring


@pytest.mark.parametrize(
    ("days_old", "counted"), [(13, True), (14, True), (15, False), (-1, False)]
)
def test_home_window_edges(days_old: int, counted: bool) -> None:
    items = _home(9) + [
        {"title": "edge", "url": "http://x/edge", "date": AS_OF - dt.timedelta(days=days_old)}
    ]
    r = score(home=items)
    assert fired(r, "home_few_updates") is (not counted)


def test_home_items_count_distinct_urls() -> None:
    items = _home(9) + _home(1)  # the same URL listed twice (e.g. 头条 and 要闻)
    assert fired(score(home=items), "home_few_updates")


def test_home_fact_used_when_no_home_page_items_were_read() -> None:
    assert points(score({"home_new_items": 9}), "home_few_updates") == 5
    assert site(score({"home_new_items": 0}))["veto"]


# ---- column staleness ----


@pytest.mark.parametrize(("age", "stale"), [(13, False), (14, False), (15, True)])
def test_dynamic_column_2_weeks(age: int, stale: bool) -> None:
    r = score(columns=[{"name": "工作动态", "newest_date": AS_OF - dt.timedelta(days=age)}])
    assert points(r, "dynamic_stale") == (3 if stale else 0)
    assert r.columns.iloc[0]["status"] == ("未更新" if stale else "正常")
    assert r.columns.iloc[0]["age_days"] == age


@pytest.mark.parametrize(
    ("newest", "stale"),
    [(dt.date(2019, 3, 1), False), (dt.date(2019, 2, 28), False), (dt.date(2019, 2, 27), True)],
)
def test_policy_column_6_months_clamped_to_month_end(newest: dt.date, stale: bool) -> None:
    # 2019-08-31 minus 6 calendar months = 2019-02-28 (February has no 31st)
    r = score(columns=[{"name": "通知公告", "newest_date": newest}])
    assert points(r, "policy_stale") == (5 if stale else 0)
    if stale:
        assert site(r)["problems"] == "6个月内通知公告栏目未更新。"


def test_policy_column_below_first_level_costs_nothing_in_2019_but_4_in_2015() -> None:
    col = {
        "name": "规范性文件",
        "path": ["信息公开", "规范性文件"],
        "depth": 2,
        "newest_date": dt.date(2018, 12, 1),
    }
    assert site(score(columns=[col]))["score"] == 100
    assert site(score(columns=[col]))["problems"] == ""
    r15 = score(columns=[col], profile="national-2015")
    assert points(r15, "policy_stale") == 4
    assert site(r15)["problems"] == "6个月内信息公开>规范性文件栏目未更新。"


@pytest.mark.parametrize(
    ("newest", "stale"), [(dt.date(2019, 3, 1), False), (dt.date(2019, 2, 27), True)]
)
def test_interpretation_column_6_months(newest: dt.date, stale: bool) -> None:
    r = score(columns=[{"name": "政策解读", "newest_date": newest}])
    assert points(r, "interpretation_stale") == (4 if stale else 0)
    assert (site(r)["problems"] == "6个月内政策解读未更新。") is stale


@pytest.mark.parametrize(
    ("newest", "stale"),
    [(dt.date(2018, 9, 1), False), (dt.date(2018, 8, 31), False), (dt.date(2018, 8, 30), True)],
)
def test_plan_column_1_year(newest: dt.date, stale: bool) -> None:
    r = score(columns=[{"name": "人事任免", "newest_date": newest}])
    assert points(r, "plan_stale") == (5 if stale else 0)


def test_several_stale_columns_in_one_finding() -> None:
    old = AS_OF - dt.timedelta(days=20)
    r = score(
        columns=[
            {"name": "工作动态", "newest_date": old},
            {"name": "要闻信息", "path": ["陆溪镇", "要闻信息"], "depth": 2, "newest_date": old},
        ]
    )
    assert points(r, "dynamic_stale") == 6
    assert site(r)["problems"] == "2周内(工作动态、陆溪镇>要闻信息)栏目未更新。"


def test_undated_items_count_as_not_updated() -> None:
    r = score(columns=[{"name": "工作动态", "item_count": 4, "newest_date": None}])
    assert points(r, "dynamic_stale") == 3


def test_failed_column_is_never_blank_or_stale() -> None:
    r = score(columns=[{"name": "工作动态", "status": "failed", "error": "HTTP 500"}])
    assert site(r)["score"] == 100
    assert r.columns.iloc[0]["status"] == "监测失败"
    assert site(r)["problems"] == "1个栏目监测失败(工作动态)，需重新监测。"
    assert [x.site_id for x in r.rerun] == ["s"]


# ---- blank columns ----


@pytest.mark.parametrize(("n", "veto"), [(4, False), (5, True), (6, True)])
def test_blank_columns_veto_at_5(n: int, veto: bool) -> None:
    cols = [{"name": f"栏目{i}", "blank": True} for i in range(n)]
    r = score(columns=cols)
    assert bool(site(r)["veto"]) is veto
    if veto:
        assert site(r)["problems"] == f"空白栏目{n}个。"
    else:
        assert site(r)["score"] == 100 - 5 * n


def test_blank_text_and_exclusions() -> None:
    r = score(
        columns=[
            {"name": "领导班子", "blank": True},
            {"name": "组织机构", "item_count": 0},
            {"name": "信息公开", "is_container": True},
            {"name": "抗洪专题", "blank": True},
        ]
    )
    assert site(r)["problems"] == "领导班子、组织机构空白。"
    # the 专题 column is shown blank (a fact) but not deducted (not in the problems)
    assert list(r.columns["status"]) == ["空白", "空白", "正常", "空白"]


# ---- 栏目不更新 veto: stale 动态 + stale first-level 通知公告/政策文件 ----


@pytest.mark.parametrize(("n", "veto"), [(4, False), (5, True), (6, True)])
def test_stale_columns_veto_at_5(n: int, veto: bool) -> None:
    dyn = [{"name": f"动态{i}", "newest_date": AS_OF - dt.timedelta(days=30)} for i in range(2)]
    pol = [{"name": f"通知{i}", "newest_date": dt.date(2018, 1, 1)} for i in range(n - 2)]
    r = score(columns=dyn + pol)
    assert bool(site(r)["veto"]) is veto
    if veto:
        assert site(r)["problems"] == (
            "栏目不更新：2周内动态要闻类栏目未更新2个，"
            f"6个月内通知公告/政策文件类栏目未更新{n - 2}个。"
        )


def test_second_level_policy_columns_do_not_count_towards_the_2019_veto() -> None:
    cols = [
        {
            "name": f"文件{i}",
            "path": ["信息公开", f"文件{i}"],
            "depth": 2,
            "newest_date": dt.date(2018, 1, 1),
        }
        for i in range(5)
    ]
    assert not site(score(columns=cols))["veto"]
    assert site(score(columns=cols, profile="national-2015"))["veto"]


# ---- fact rules: (facts, rule, expected points or "veto") at, below and above ----

FACT_CASES = [
    ("broken_links_home", 0, "broken_links_home", 0),
    ("broken_links_home", 1, "broken_links_home", 1),
    ("broken_links_home", 2, "broken_links_home", 2),
    ("broken_links_other", 0, "broken_links_other", 0),
    ("broken_links_other", 1, "broken_links_other", 0.1),
    ("broken_links_other", 12, "broken_links_other", 1.2),
    ("survey_count_1y", 0, "survey_none", 5),
    ("survey_count_1y", 1, "survey_few", 3),
    ("survey_count_1y", 5, "survey_few", 3),
    ("survey_count_1y", 6, "survey_few", 0),
    ("interview_count_1y", 0, "interview_none", 5),
    ("interview_count_1y", 2, "interview_few", 3),
    ("interview_count_1y", 3, "interview_few", 0),
    ("interview_count_1y", 4, "interview_few", 0),
    ("consult_valid_letters_1y", 0, "consult_no_letters", 5),
    ("consult_valid_letters_1y", 1, "consult_no_letters", 0),
    ("guide_missing_elements", 0, "guide_elements", 0),
    ("guide_missing_elements", 7, "guide_elements", 14),
    ("guide_missing_elements", 8, "guide_elements", 16),
    ("guide_missing_elements", 9, "guide_elements", 16),
    ("avail_failure_pct", 0, "home_availability", 0),
    ("avail_failure_pct", 4.9, "home_availability", 24.5),
    ("avail_failure_pct", 5, "site_unavailable", "veto"),
    ("consult_unanswered_3m", 0, "consult_unanswered", 0),
    ("consult_unanswered_3m", 1, "consult_unanswered", "veto"),
    ("consult_channel", 1, "consult_missing", 0),
    ("consult_channel", 0, "consult_missing", "veto"),
    ("serious_errors", 0, "serious_error", 0),
    ("serious_errors", 1, "serious_error", "veto"),
    ("services_offered", 1, "services_missing", 0),
    ("services_offered", 0, "services_missing", "veto"),
]


@pytest.mark.parametrize(("fact", "value", "rule_id", "expected"), FACT_CASES)
def test_fact_rule_thresholds(fact: str, value: float, rule_id: str, expected) -> None:
    r = score({fact: value})
    if expected == "veto":
        assert site(r)["veto"] and site(r)["score"] is None and site(r)["result"] == "不合格"
        assert list(r.findings["rule_id"]) == [rule_id]
    else:
        assert points(r, rule_id) == pytest.approx(expected)
        assert site(r)["score"] == pytest.approx(100 - expected)


@pytest.mark.parametrize(("days", "probes"), [(6, 168), (7, 139)])
def test_availability_needs_a_full_week_of_probes(days: int, probes: int) -> None:
    r = score({"avail_days": days, "avail_probes": probes, "avail_failure_pct": 50})
    assert site(r)["score"] == 100 and not site(r)["veto"]
    # probed, but less often than the rule needs: neither passed nor failed (the wording)
    assert set(r.findings["text"]) == {"站点无法访问未满足监测次数", "首页可用性未满足监测次数"}
    assert "站点无法访问未满足监测次数，需重新监测" in site(r)["problems"]


def test_availability_veto_needs_the_probes() -> None:
    r = score({"avail_days": 7, "avail_probes": 140, "avail_failure_pct": 5})
    assert site(r)["veto"]


def test_2015_has_no_consult_veto_but_a_deduction() -> None:
    r = score({"consult_channel": 0}, profile="national-2015")
    assert not site(r)["veto"] and points(r, "consult_column_missing") == 5
