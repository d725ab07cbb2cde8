"""Scoring profiles: national-2015, national-2019 and local ones, shipped as YAML data.

Longer than 300 lines: the whole schema of a profile (its keys, checks and Chinese
messages) is kept in one place, so a profile author reads one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.categories import CategoryMap, build_category_map, keyword_set_names
from analysis.profile_files import ProfileError, builtin_names, read_profile, resolve_profile
from analysis.windows import Window

RULE_KINDS = {"home_updates", "column_stale", "column_blank", "column_count", "fact"}
SECTIONS = {"content", "service", "bonus", "notice"}  # notice: 0 points nationally
OPS = {"eq", "ne", "lt", "le", "gt", "ge"}
_RULE_KEYS = {
    "id",
    "indicator",
    "kind",
    "template",
    "description",
    "section",
    "categories",
    "window",
    "when",
    "veto",
    "points",
    "per_unit",
    "cap",
    "fact",
    "requires",
    "min_depth",
    "max_depth",
    "counts",
    "unless",
    "evidence",
    "unmeasured",
    "after",
}
_TOP_KEYS = {
    "name",
    "description",
    "base",
    "pass_mark",
    "ratings",
    "veto_rating",
    "scoring",
    "categories",
    "rules",
    "remove_rules",
}
_SCORING_KEYS = {
    "no_double_deduction",
    "max_deduction",
    "indicator_caps",
    "bonus_min_score",
    "bonus_max",
    "without_services_factor",
    "without_services_skip",
}
_CATEGORY_KEYS = {"keyword_sets", "extra_keywords", "windows", "excluded", "site_overrides"}


@dataclass(frozen=True)
class Rule:
    """One indicator rule as the officials write it, with its evaluation parameters."""

    id: str
    indicator: str
    kind: str
    template: str
    description: str = ""
    section: str = "content"
    categories: tuple[str, ...] = ()
    window: Window | None = None
    when: dict[str, float] = field(default_factory=dict)
    veto: bool = False
    points: float = 0.0
    per_unit: bool = False
    cap: float | None = None
    fact: str | None = None
    requires: dict[str, dict[str, float]] = field(default_factory=dict)
    min_depth: int | None = None
    max_depth: int | None = None
    counts: tuple[dict[str, Any], ...] = ()
    unless: tuple[str, ...] = ()
    evidence: str | None = None
    unmeasured: str = ""  # why the rule's fact is not measured, said where it is 未监测


@dataclass
class Profile:
    """A complete (base-resolved) scoring profile."""

    name: str
    description: str
    source: str
    pass_mark: float
    ratings: list[tuple[str, float]]
    veto_rating: str
    rules: list[Rule]
    category_map: CategoryMap
    windows: dict[str, Window]
    excluded_categories: set[str]
    site_overrides: dict[str, dict[str, str]]
    no_double_deduction: bool = False
    max_deduction: float | None = 100.0
    indicator_caps: dict[str, float] = field(default_factory=dict)
    bonus_min_score: float | None = None
    bonus_max: float | None = None
    without_services_factor: float | None = None
    without_services_skip: set[str] = field(default_factory=set)
    base: str | None = None

    def rating(self, score: float | None, veto: bool) -> str:
        """Rating label for a score (the veto rating when vetoed; empty when unscored)."""
        if veto:
            return self.veto_rating
        if score is None:
            return ""
        for label, minimum in self.ratings:
            if score >= minimum:
                return label
        return self.ratings[-1][0] if self.ratings else ""


def load_profile(name_or_path: str | Path) -> Profile:
    """Load a profile by built-in name or YAML path, resolving its base profile."""
    data, label = resolve_profile(name_or_path)
    return _build(data, label)


def list_profiles() -> list[tuple[str, str]]:
    """(name, one-line description) of every built-in profile."""
    out = []
    for name in builtin_names():
        data, _ = read_profile(name)
        lines = str(data.get("description") or "").strip().splitlines()
        out.append((name, lines[0] if lines else ""))
    return out


def _fail(label: str, key: str, why: str) -> ProfileError:
    return ProfileError(f"{label}: {key}: {why}")


def _unknown(label: str, where: str, mapping: dict, allowed: set[str]) -> None:
    extra = sorted(set(mapping) - allowed)
    if extra:
        raise _fail(label, f"{where}{extra[0]}", f"未知的键(允许: {', '.join(sorted(allowed))})")


def _number(label: str, key: str, value: Any, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(label, key, f"应为数字,实际为 {value!r}")
    return float(value)


def _window(label: str, key: str, value: Any) -> Window:
    try:
        return Window.parse(value)
    except ValueError as exc:
        raise _fail(label, key, str(exc)) from exc


def _condition(label: str, key: str, value: Any) -> dict[str, float]:
    if not isinstance(value, dict) or not value:
        raise _fail(label, key, "应为条件映射,如 {lt: 10} 或 {ge: 1, lt: 3}")
    bad = set(value) - OPS
    if bad:
        raise _fail(
            label, f"{key}.{sorted(bad)[0]}", "未知的比较符(允许: " + ", ".join(sorted(OPS)) + ")"
        )
    return {op: _number(label, f"{key}.{op}", v) for op, v in value.items()}


def _build_rule(raw: Any, i: int, label: str, categories: set[str]) -> Rule:
    where = f"rules[{i}]"
    if not isinstance(raw, dict):
        raise _fail(label, where, "每条规则应为映射")
    rid = raw.get("id")
    where = f"rules[{i}]({rid})" if rid else where
    _unknown(label, f"{where}.", raw, _RULE_KEYS)
    for key in ("id", "indicator", "kind", "template"):
        if not raw.get(key):
            raise _fail(label, f"{where}.{key}", "缺少必填项")
    kind = raw["kind"]
    if kind not in RULE_KINDS:
        raise _fail(
            label,
            f"{where}.kind",
            f"未知的规则类型 {kind!r}(允许: " + ", ".join(sorted(RULE_KINDS)) + ")",
        )
    section = raw.get("section", "content")
    if section not in SECTIONS:
        raise _fail(label, f"{where}.section", f"应为 {', '.join(sorted(SECTIONS))} 之一")
    cats = raw.get("categories") or []
    if isinstance(cats, str):
        cats = [cats]
    for cat in cats:
        if cat not in categories:
            raise _fail(label, f"{where}.categories", f"未知的栏目类别 {cat!r}")
    counts = tuple(raw.get("counts") or ())
    for j, spec in enumerate(counts):
        if not isinstance(spec, dict):
            raise _fail(label, f"{where}.counts[{j}]", "应为映射 {category: ..., state: ...}")
        if spec.get("category", "*") not in categories | {"*"}:
            raise _fail(label, f"{where}.counts[{j}].category", "应为已知的栏目类别或 *")
        if spec.get("state", "stale") not in {"stale", "blank"}:
            raise _fail(label, f"{where}.counts[{j}].state", "应为 stale 或 blank")
    if kind == "fact" and not raw.get("fact"):
        raise _fail(label, f"{where}.fact", "fact 类规则须指明事实名")
    if kind == "column_count" and not counts:
        raise _fail(label, f"{where}.counts", "column_count 类规则须给出 counts")
    if kind in {"home_updates", "fact", "column_count"} and "when" not in raw:
        raise _fail(label, f"{where}.when", "缺少触发条件")
    requires = {
        fact: _condition(label, f"{where}.requires.{fact}", cond)
        for fact, cond in (raw.get("requires") or {}).items()
    }
    return Rule(
        id=str(rid),
        indicator=str(raw["indicator"]),
        kind=kind,
        template=str(raw["template"]),
        description=str(raw.get("description", "")),
        section=section,
        categories=tuple(cats),
        window=_window(label, f"{where}.window", raw["window"]) if raw.get("window") else None,
        when=_condition(label, f"{where}.when", raw["when"]) if "when" in raw else {},
        veto=bool(raw.get("veto", False)),
        points=_number(label, f"{where}.points", raw.get("points", 0)) or 0.0,
        per_unit=bool(raw.get("per_unit", False)),
        cap=_number(label, f"{where}.cap", raw.get("cap"), allow_none=True),
        fact=raw.get("fact"),
        requires=requires,
        min_depth=raw.get("min_depth"),
        max_depth=raw.get("max_depth"),
        counts=counts,
        unless=tuple(raw.get("unless") or ()),
        evidence=raw.get("evidence"),
        unmeasured=str(raw.get("unmeasured") or ""),
    )


def _build(data: dict, label: str) -> Profile:
    _unknown(label, "", data, _TOP_KEYS)
    cats_raw = data.get("categories") or {}
    scoring = data.get("scoring") or {}
    _unknown(label, "categories.", cats_raw, _CATEGORY_KEYS)
    _unknown(label, "scoring.", scoring, _SCORING_KEYS)
    sets = cats_raw.get("keyword_sets") or ["core"]
    for name in sets:
        if name not in keyword_set_names():
            raise _fail(label, "categories.keyword_sets", f"未知的关键词集 {name!r}")
    try:
        cmap = build_category_map(sets, cats_raw.get("extra_keywords") or {})
    except KeyError as exc:
        raise _fail(label, "categories.extra_keywords", f"未知的栏目类别 {exc.args[0]!r}") from exc
    known = cmap.known
    windows = {}
    for cat, value in (cats_raw.get("windows") or {}).items():
        if cat not in known:
            raise _fail(label, f"categories.windows.{cat}", "未知的栏目类别")
        windows[cat] = _window(label, f"categories.windows.{cat}", value)
    for cat in cats_raw.get("excluded") or []:
        if cat not in known:
            raise _fail(label, "categories.excluded", f"未知的栏目类别 {cat!r}")
    overrides = cats_raw.get("site_overrides") or {}
    for site, mapping in overrides.items():
        for col, cat in (mapping or {}).items():
            if cat not in known:
                raise _fail(label, f"categories.site_overrides.{site}.{col}", "未知的栏目类别")
    if "pass_mark" not in data:
        raise _fail(label, "pass_mark", "缺少必填项")
    ratings_raw = data.get("ratings") or []
    ratings = []
    for i, item in enumerate(ratings_raw):
        if not isinstance(item, dict) or "label" not in item or "min" not in item:
            raise _fail(label, f"ratings[{i}]", "应为 {label: A, min: 90} 形式")
        ratings.append((str(item["label"]), _number(label, f"ratings[{i}].min", item["min"])))
    ratings.sort(key=lambda r: -r[1])
    rules_raw = data.get("rules")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise _fail(label, "rules", "应为非空的规则列表")
    rules = [_build_rule(raw, i, label, known) for i, raw in enumerate(rules_raw)]
    ids = [r.id for r in rules]
    dupes = {rid for rid in ids if ids.count(rid) > 1}
    if dupes:
        raise _fail(label, "rules", f"规则 id 重复: {', '.join(sorted(dupes))}")
    for rule in rules:
        for other in rule.unless:
            if other not in ids:
                raise _fail(label, f"rules({rule.id}).unless", f"未知的规则 id {other!r}")
        if rule.kind == "column_stale":
            for cat in rule.categories:
                if rule.window is None and cat not in windows:
                    raise _fail(label, f"rules({rule.id}).window", f"类别 {cat} 没有更新时限")
    return Profile(
        name=str(data.get("name") or Path(label).stem),
        description=str(data.get("description", "")).strip(),
        source=label,
        pass_mark=_number(label, "pass_mark", data["pass_mark"]),
        ratings=ratings,
        veto_rating=str(data.get("veto_rating", ratings[-1][0] if ratings else "")),
        rules=rules,
        category_map=cmap,
        windows=windows,
        excluded_categories=set(cats_raw.get("excluded") or []),
        site_overrides={str(k): dict(v or {}) for k, v in overrides.items()},
        no_double_deduction=bool(scoring.get("no_double_deduction", False)),
        max_deduction=_number(
            label, "scoring.max_deduction", scoring.get("max_deduction", 100), allow_none=True
        ),
        indicator_caps={str(k): float(v) for k, v in (scoring.get("indicator_caps") or {}).items()},
        bonus_min_score=_number(
            label, "scoring.bonus_min_score", scoring.get("bonus_min_score"), allow_none=True
        ),
        bonus_max=_number(label, "scoring.bonus_max", scoring.get("bonus_max"), allow_none=True),
        without_services_factor=_number(
            label,
            "scoring.without_services_factor",
            scoring.get("without_services_factor"),
            allow_none=True,
        ),
        without_services_skip=set(scoring.get("without_services_skip") or []),
        base=data.get("base"),
    )
