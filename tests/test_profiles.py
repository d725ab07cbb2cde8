"""Profiles: built-in names, local files with a base, and clear errors for bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.categories import build_category_map
from analysis.profiles import ProfileError, list_profiles, load_profile


def test_builtin_profiles_are_listed_with_a_description() -> None:
    listed = dict(list_profiles())
    assert {"national-2015", "national-2019", "xianning-2019"} <= set(listed)
    assert all(desc and "\n" not in desc for desc in listed.values())


def test_every_rule_states_indicator_template_and_points() -> None:
    for name, _ in list_profiles():
        prof = load_profile(name)
        for rule in prof.rules:
            assert rule.indicator and rule.template and rule.description, (name, rule.id)
            # notice rules (site marks, domain, personal data) are findings the national
            # tables give no points; a local profile may
            assert rule.veto or rule.points > 0 or rule.section == "notice", (name, rule.id)


def test_local_profile_overrides_only_what_it_names() -> None:
    base, local = load_profile("national-2019"), load_profile("xianning-2019")
    b, x = ({r.id: r for r in p.rules} for p in (base, local))
    assert x["consult_no_letters"].points == 7 and b["consult_no_letters"].points == 5
    assert x["consult_no_letters"].template == b["consult_no_letters"].template
    assert x["dynamic_stale"].cap == 3 and b["dynamic_stale"].cap is None
    assert [r.id for r in local.rules].index("policy_stale_lower") == (
        [r.id for r in local.rules].index("policy_stale") + 1
    )
    assert local.pass_mark == base.pass_mark and local.windows == base.windows


def test_2015_differs_from_2019() -> None:
    p15 = {r.id: r for r in load_profile("national-2015").rules}
    assert p15["policy_stale"].points == 4 and p15["policy_stale"].max_depth is None
    assert "services_missing" not in p15 and "long_stale_veto" in p15
    assert load_profile("national-2015").no_double_deduction is False


def test_profile_by_path_with_relative_base(tmp_path: Path) -> None:
    (tmp_path / "city.yaml").write_text("base: national-2019\nname: city\npass_mark: 70\n", "utf-8")
    (tmp_path / "district.yaml").write_text("base: city.yaml\nname: district\n", "utf-8")
    prof = load_profile(tmp_path / "district.yaml")
    assert prof.name == "district" and prof.pass_mark == 70
    assert load_profile(str(tmp_path / "city.yaml")).name == "city"


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ProfileError) as err:
        load_profile("national-2099")
    assert "national-2099" in str(err.value) and "national-2019" in str(err.value)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("rules:\n  - {id: dynamic_stale, points: many}\n", "points"),
        ("rules:\n  - {id: dynamic_stale, kind: magic}\n", "kind"),
        ("rules:\n  - {id: dynamic_stale, categories: [不存在类]}\n", "categories"),
        ("rules:\n  - {id: home_few_updates, when: {below: 10}}\n", "when.below"),
        ("rules:\n  - {id: home_few_updates, window: two weeks}\n", "window"),
        (
            "rules:\n  - {id: new_rule, kind: fact, when: {eq: 0}, indicator: x, template: y}\n",
            "fact",
        ),
        ("categories: {windows: {动态要闻类: fortnight}}\n", "categories.windows.动态要闻类"),
        ("scoring: {max_deducton: 100}\n", "scoring.max_deducton"),
        ("pass_mark: sixty\n", "pass_mark"),
        ("unknown_key: 1\n", "unknown_key"),
    ],
)
def test_malformed_profile_names_file_and_key(tmp_path: Path, body: str, key: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("base: national-2019\n" + body, "utf-8")
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    assert str(path) in str(err.value) and key in str(err.value)


def test_missing_file_and_base_cycle(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="不存在"):
        load_profile(tmp_path / "none.yaml")
    (tmp_path / "a.yaml").write_text("base: b.yaml\n", "utf-8")
    (tmp_path / "b.yaml").write_text("base: a.yaml\n", "utf-8")
    with pytest.raises(ProfileError, match="循环"):
        load_profile(tmp_path / "a.yaml")


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("工作动态", "动态要闻类"),
        ("乡镇扫描", "动态要闻类"),
        ("图片新闻", "动态要闻类"),
        ("通知公告", "通知公告/政策文件类"),
        ("浮山文件", "通知公告/政策文件类"),
        ("政策解读", "政策解读类"),
        ("人事任免通知", "人事/规划计划类"),
        ("县长信箱", "政务咨询类"),
        ("意见征集", "调查征集类"),
        ("在线访谈", "互动访谈类"),
        ("办事指南", "办事服务类"),
        ("领导班子", "概况信息类"),
        ("扶贫专题", "专题/历史类"),
        ("联系我们", "其他"),
    ],
)
def test_core_categories_longest_keyword_wins(name: str, category: str) -> None:
    assert build_category_map(["core"]).classify(name) == category


def test_regional_set_and_profile_keywords_add_synonyms() -> None:
    # issue 10: 局长信箱/区长信箱 are consultation columns in the national set as well
    assert build_category_map(["core"]).classify("局长信箱") == "政务咨询类"
    assert build_category_map(["core"]).classify("民声") == "其他"
    assert build_category_map(["core", "regional"]).classify("民声") == "政务咨询类"
    assert load_profile("xianning-2019").category_map.classify("招商政策") == "通知公告/政策文件类"
