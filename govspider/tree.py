"""One page's parsed tree, kept whole while the page is read.

lxml makes a Python object for an element each time a walk reaches it, unless one is
alive already; for lxml.html trees (Scrapy's) each creation also calls the element class
lookup, in Python. Every extraction step walks the page again (items, menus, pager,
breadcrumb, main area, text checks, dates), so the objects are made once and kept until
the next page: later walks reuse them. Only the last page is kept.
"""

from __future__ import annotations

from lxml import etree

_PINNED: dict = {}


def pin(root: etree._Element) -> etree._Element:
    """Keep every element of ``root``'s tree alive until another tree is pinned."""
    if _PINNED.get("root") is not root:
        _PINNED.clear()
        _PINNED.update(root=root, elements=list(root.iter()))
    return root


def memo(el: etree._Element, key: object) -> dict | None:
    """A dict for answers about ``el``'s tree under ``key``, kept as long as the tree is
    pinned; None when ``el`` is not in the pinned tree (nothing is then remembered)."""
    root = _PINNED.get("root")
    if root is None or el.getroottree().getroot() is not root:
        return None
    return _PINNED.setdefault(("memo", key), {})
