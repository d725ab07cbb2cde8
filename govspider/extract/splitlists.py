"""A list cut into parts: five items per <ul>, each part in its own wrapper, one after another.

Many CMS templates print a column's list in equal parts (TRS's 五条一组 with a dashed rule
between them, or a page whose script shows one part at a time), so the items are not
siblings of one element. The parts are one list when they repeat the same markup under
one container and nothing with text stands between them: no heading, no 更多 bar. Two
blocks of a home page (通知公告 beside 工作动态) each carry a heading and stay apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from lxml import etree

MAX_DEPTH = 3  # how far above an item's parent the wrapper of one part may sit


class _Item(Protocol):
    element: etree._Element


T = TypeVar("T", bound=_Item)


def _shape(el: etree._Element) -> tuple[str, str]:
    return (str(el.tag), " ".join(sorted((el.get("class") or "").split())))


def _own_text(el: etree._Element, inner: etree._Element | None = None) -> str:
    """Visible text of `el` outside `inner` (scripts and styles are not text)."""
    parts = []
    for node in el.iter():
        if node is inner:
            continue
        if inner is not None and any(a is inner for a in node.iterancestors()):
            continue
        if node.tag in ("script", "style") or not isinstance(node.tag, str):
            continue
        parts.append(node.text or "")
        if node is not el:
            parts.append(node.tail or "")
    return "".join(parts).strip()


def _lift(el: etree._Element, depth: int) -> etree._Element | None:
    for _ in range(depth):
        el = el.getparent()
        if el is None:
            return None
    return el


def _path(parent: etree._Element, depth: int) -> list[tuple[str, str]]:
    out, el = [], parent
    for _ in range(depth + 1):
        out.append(_shape(el))
        el = el.getparent()
    return out


def whole_list(best: Sequence[T], groups: Sequence[Sequence[T]]) -> list[T]:
    """`best` with the other parts of the same cut-up list, in page order."""
    parent = best[0].element.getparent()
    by_parent = {g[0].element.getparent(): g for g in groups if g}
    for depth in range(MAX_DEPTH):
        wrapper = _lift(parent, depth)
        container = wrapper.getparent() if wrapper is not None else None
        if container is None:
            return list(best)
        shape, path = _shape(wrapper), _path(parent, depth)
        parts: list[tuple[int, etree._Element]] = []
        children = [c for c in container if isinstance(c.tag, str)]
        for index, child in enumerate(children):
            if _shape(child) != shape:
                continue
            inner = next(
                (p for p in by_parent if _lift(p, depth) is child and _path(p, depth) == path),
                None,
            )
            if inner is not None and not _own_text(child, inner):
                parts.append((index, inner))
        if len(parts) < 2 or not any(p is parent for _, p in parts):
            continue
        first, last = parts[0][0], parts[-1][0]
        used = {i for i, _ in parts}
        between = [children[i] for i in range(first, last + 1) if i not in used]
        if any(_own_text(c) for c in between):
            continue
        return [item for _, p in parts for item in by_parent[p]]
    return list(best)
