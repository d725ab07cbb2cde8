"""Column name -> column category, from the maintained mapping in data/categories.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class CategoryMap:
    """Keywords per category; the longest keyword found in a column name decides."""

    order: tuple[str, ...]
    default: str
    keywords: tuple[tuple[str, str], ...]  # (keyword, category), longest first

    def classify(self, name: str) -> str:
        """The category of a column name (the default category when nothing matches)."""
        for keyword, category in self.keywords:
            if keyword in name:
                return category
        return self.default

    @property
    def known(self) -> set[str]:
        return set(self.order)


@lru_cache(maxsize=1)
def _bundled() -> dict[str, Any]:
    # importlib.resources so the mapping is found inside a scrapyd egg as well
    text = resources.files("analysis").joinpath("data", "categories.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def keyword_set_names() -> list[str]:
    """Names of the keyword sets shipped in data/categories.yaml."""
    return list(_bundled()["keyword_sets"])


def build_category_map(
    sets: list[str] | tuple[str, ...] = ("core",),
    extra: dict[str, list[str]] | None = None,
) -> CategoryMap:
    """A mapping from the named keyword sets plus extra keywords (from a profile)."""
    data = _bundled()
    order = tuple(data["order"])
    rank = {cat: i for i, cat in enumerate(order)}
    pairs: dict[str, str] = {}
    groups = [data["keyword_sets"][name] for name in sets] + [extra or {}]
    for group in groups:
        for category, words in group.items():
            if category not in rank:
                raise KeyError(category)
            for word in words:
                # a later set (regional, then the profile) may move a keyword to another category
                pairs[str(word)] = category
    ordered = sorted(pairs.items(), key=lambda kv: (-len(kv[0]), rank[kv[1]], kv[0]))
    return CategoryMap(order=order, default=data["default"], keywords=tuple(ordered))
