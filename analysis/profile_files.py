"""Profile files: built-in YAML in the package or a path, merged onto their `base` chain."""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file and the key."""


def profiles_dir() -> Any:
    return resources.files("analysis").joinpath("profiles")


def builtin_names() -> list[str]:
    return sorted(
        p.name.removesuffix(".yaml") for p in profiles_dir().iterdir() if p.name.endswith(".yaml")
    )


def read_profile(name_or_path: str | Path, relative_to: Path | None = None) -> tuple[dict, str]:
    """Raw YAML mapping of a profile and a label of where it came from."""
    text_name = str(name_or_path)
    candidate = Path(text_name)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    is_path = isinstance(name_or_path, Path) or text_name.endswith((".yaml", ".yml"))
    if is_path or ("/" in text_name and candidate.exists()):
        if not candidate.exists():
            raise ProfileError(f"评分规则文件不存在: {candidate}")
        label, text = str(candidate), candidate.read_text("utf-8")
    elif text_name in builtin_names():
        label = f"analysis/profiles/{text_name}.yaml"
        text = profiles_dir().joinpath(f"{text_name}.yaml").read_text("utf-8")
    else:
        known = ", ".join(builtin_names())
        raise ProfileError(
            f"未知的评分规则 {text_name!r};可用的有: {known}(也可给出 YAML 文件路径)"
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{label}: 不是有效的 YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{label}: 顶层应为映射(name, rules, ...)")
    return data, label


def _merge(base: dict, over: dict) -> dict:
    """Deep-merge a local profile onto its base; rules are merged by id."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if key == "rules":
            rules = {r["id"]: r for r in out.get("rules", [])}
            order = [r["id"] for r in out.get("rules", [])]
            for rule in value or []:
                rid = rule.get("id") if isinstance(rule, dict) else None
                if rid in rules:
                    rules[rid] = {**rules[rid], **rule}
                else:
                    rules[rid] = rule
                    # a new rule may say where it goes, since rule order is report order
                    anchor = rule.get("after")
                    order.insert(order.index(anchor) + 1 if anchor in order else len(order), rid)
            out["rules"] = [rules[rid] for rid in order]
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def resolve_profile(
    name_or_path: str | Path, seen: tuple[str, ...] = (), rel: Path | None = None
) -> tuple[dict, str]:
    """The profile's YAML merged onto its base chain, and where it came from."""
    data, label = read_profile(name_or_path, rel)
    if label in seen:
        raise ProfileError(f"{label}: base 循环引用: {' -> '.join((*seen, label))}")
    base = data.get("base")
    if not base:
        return data, label
    here = Path(label).parent if Path(label).exists() else None
    try:
        base_data, _ = resolve_profile(base, (*seen, label), here)
    except ProfileError as exc:
        raise ProfileError(f"{label}: base {base!r} 无法加载: {exc}") from exc
    merged = _merge(base_data, {k: v for k, v in data.items() if k != "base"})
    for rid in data.get("remove_rules") or []:
        merged["rules"] = [r for r in merged.get("rules", []) if r.get("id") != rid]
    merged["base"] = base
    return merged, label
