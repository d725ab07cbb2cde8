"""2019 refinements, ratings, pass mark and 未监测 handling, with local profiles in tmp_path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_scoring_rules import AS_OF, FINE, points, score, site

from analysis.record_facts import facts_from_records
from analysis.report import report_from_facts


def local(tmp_path: Path, body: str, name: str = "local.yaml") -> Path:
    path = tmp_path / name
    path.write_text("base: national-2019\n" + body, "utf-8")
    return path


def test_no_double_deduction_of_one_column(tmp_path: Path) -> None:
    # a second rule that would deduct the same stale 工作动态 column again
    body = """
rules:
  - id: dynamic_again
    indicator: 重复规则
    kind: column_stale
    categories: [动态要闻类]
    points: 2
    template: 2周内{names}栏目未更新(重复)
"""
    col = [{"name": "工作动态", "newest_date": AS_OF - dt.timedelta(days=20)}]
    r = score(columns=col, profile=local(tmp_path, body))
    assert points(r, "dynamic_stale") == 3 and points(r, "dynamic_again") == 0
    off = local(tmp_path, body + "scoring: {no_double_deduction: false}\n", "off.yaml")
    assert site(score(columns=col, profile=off))["score"] == 95


def test_rule_cap(tmp_path: Path) -> None:
    cols = [{"name": f"动态{i}", "newest_date": AS_OF - dt.timedelta(days=20)} for i in range(3)]
    assert points(score(columns=cols), "dynamic_stale") == 9
    capped = local(tmp_path, "rules:\n  - {id: dynamic_stale, cap: 4}\n")
    assert points(score(columns=cols, profile=capped), "dynamic_stale") == 4


def test_indicator_cap_spans_rules(tmp_path: Path) -> None:
    prof = local(tmp_path, "scoring: {indicator_caps: {链接可用性: 3}}\n")
    r = score({"broken_links_home": 2, "broken_links_other": 20}, profile=prof)
    assert points(r, "broken_links_home") == 2 and points(r, "broken_links_other") == 1
    assert site(r)["score"] == 97


@pytest.mark.parametrize(
    ("base_deduction", "bonus", "expected"), [(20, 10, 80), (19, 10, 91), (10, 40, 120)]
)
def test_bonus_only_above_80_and_at_most_30(
    base_deduction: int, bonus: int, expected: float
) -> None:
    # base 80 (not above 80): no bonus; 81: bonus counts; bonus capped at 30
    r = score({"broken_links_home": base_deduction, "bonus_points": bonus})
    assert site(r)["score"] == expected
    assert r.findings["points"].sum() == pytest.approx(100 - expected)


def test_department_without_public_services_scaled_by_4_3() -> None:
    # guides are skipped (service section) and the remaining deduction is scaled by 4/3
    r = score({"public_services": 0, "broken_links_home": 3, "guide_missing_elements": 5})
    assert site(r)["score"] == 96
    assert points(r, "guide_elements") == 0
    r15 = score({"public_services": 0, "broken_links_home": 3}, profile="national-2015")
    assert site(r15)["score"] == 97


def test_deductions_total_at_most_100_and_rows_still_add_up() -> None:
    r = score({"broken_links_home": 90, "broken_links_other": 300, "home_new_items": 5})
    assert site(r)["score"] == 0
    assert r.findings["points"].sum() == pytest.approx(100)


@pytest.mark.parametrize(
    ("deduction", "rating", "result"),
    [(10, "A", "合格"), (10.1, "B", "合格"), (40, "B", "合格"), (40.1, "C", "不合格")],
)
def test_rating_and_pass_mark_edges(deduction: float, rating: str, result: str) -> None:
    r = score({"broken_links_other": round(deduction * 10)})
    assert site(r)["rating"] == rating and site(r)["result"] == result


def test_pass_mark_and_ratings_come_from_the_profile(tmp_path: Path) -> None:
    prof = local(tmp_path, "pass_mark: 70\nratings: [{label: 优, min: 95}, {label: 差, min: 0}]\n")
    r = score({"broken_links_home": 31}, profile=prof)
    assert site(r)["result"] == "不合格" and site(r)["rating"] == "差"
    assert site(score({"broken_links_home": 5}, profile=prof))["rating"] == "优"


def test_city_deducting_7_for_an_inactive_consult_column(tmp_path: Path) -> None:
    prof = local(tmp_path, "rules:\n  - {id: consult_no_letters, points: 7}\n")
    assert site(score({"consult_valid_letters_1y": 0}, profile=prof))["score"] == 93


def test_unmeasured_fact_for_one_site_is_a_gap_to_rerun() -> None:
    sites = [
        {"site_id": "a", "site_name": "甲", **FINE},
        {"site_id": "b", "site_name": "乙", **{**FINE, "interview_count_1y": None}},
    ]
    r = report_from_facts(facts_from_records(sites), AS_OF)
    b = r.sites.set_index("site_id").loc["b"]
    assert b["score"] == 100 and b["result"] == "合格"
    assert b["problems"] == "互动访谈类栏目未监测，需重新监测。"
    gap = r.findings[(r.findings["site_id"] == "b")]
    assert list(gap["status"]) == ["unmeasured"] and gap["points"].isna().all()
    assert [x.site_id for x in r.rerun] == ["b"]
    assert not any(u.startswith("互动访谈类栏目") for u in r.unmeasured)


def test_fact_not_collected_this_round_is_a_round_note() -> None:
    sites = [{"site_id": "a", "site_name": "甲", "home_new_items": 20}]
    r = report_from_facts(facts_from_records(sites), AS_OF)
    assert "链接可用性(首页确认不可用的链接数)" in r.unmeasured
    assert "互动访谈类栏目(1年内互动访谈活动次数)" in r.unmeasured
    assert r.findings.empty and r.rerun == []
    assert r.sites.iloc[0]["score"] == 100
