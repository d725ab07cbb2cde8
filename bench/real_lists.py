"""Real saved government pages (tests/fixtures/real_lists) against hand-written labels.

Each NAME.html has a NAME.yaml: where the page comes from (repository, path, commit,
licence), the site, the CMS family, and what a person reading the page saw: whether it is
a list at all, how many items the list holds and the newest item's date, the home page's
newest dated item, and which menu links are columns and which are not (English, 网站地图,
登录, 无障碍, off-site links...). The labels are written by reading the HTML, never from
the extractors' output.

`score()` runs the extractors on every page and returns one `Outcome` per page;
`make accuracy` prints the totals (`python -m bench.accuracy --real`) and
tests/test_real_lists.py asserts each page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from scrapy.http import HtmlResponse, Request

from govspider.extract import extractor_for
from govspider.extract.base import same_site
from govspider.extract.noncolumns import non_column_reason
from govspider.extract.verdict import settle_empty
from govspider.items import KIND_PAGE, Column

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "real_lists"
# issue #9: real list pages wanted — pages, sites, CMS families
LIST_CORPUS_TARGET = (30, 10, 3)


@dataclass
class Outcome:
    """What the extractors made of one real page, beside its labels."""

    name: str
    label: dict
    family: str = ""
    items: int | None = None  # list items found (column pages)
    # with per-item labels (`entries`): labelled items found by title / found with the right date
    items_found: int = 0
    items_dated: int = 0
    missed: list[str] = field(default_factory=list)
    wrong_dates: list[str] = field(default_factory=list)
    newest: dt.date | None = None
    kind: str = ""
    blank: bool = False  # the column would be reported 空白
    home_newest: dt.date | None = None
    # menu names labelled columns that the navigation gave as columns / rejected or missed
    columns_kept: list[str] = field(default_factory=list)
    columns_lost: list[str] = field(default_factory=list)
    # menu names labelled non-columns that were taken as columns
    noncolumns_taken: list[str] = field(default_factory=list)
    noncolumns_left: list[str] = field(default_factory=list)


def cases() -> list[str]:
    return sorted(p.stem for p in PAGES.glob("*.yaml"))


def load(name: str) -> tuple[HtmlResponse, dict]:
    label = yaml.safe_load((PAGES / f"{name}.yaml").read_text(encoding="utf-8"))
    response = HtmlResponse(
        url=label["url"],
        body=(PAGES / f"{name}.html").read_bytes(),
        headers={"Content-Type": label.get("content_type", "text/html")},
        request=Request(label["url"]),
    )
    return response, label


def _menu_verdicts(response: HtmlResponse, extractor) -> dict[str, bool]:
    """Menu link name -> True when the crawl would follow it as a column."""
    verdicts: dict[str, bool] = {}
    for link in extractor.navigation(response):
        if link.reason or not same_site(link.url, response.url):
            column = False
        else:
            column = not non_column_reason(link.name, link.url)
        verdicts[link.name] = verdicts.get(link.name, False) or column
    return verdicts


def _norm(title: str) -> str:
    return re.sub(r"[\s\u3000]+", "", title).rstrip(".…")


def labelled_entries(label: dict) -> list[tuple[str, dt.date]]:
    """A list page's labelled items as (title, date): `entries` is a list of [date, title]."""
    return [(str(title), date) for date, title in label.get("entries") or []]


def item_count(label: dict) -> int:
    return len(label["entries"]) if label.get("entries") else label["items"]


def _same_title(got: str, want: str) -> bool:
    """The same item: equal titles, or one cut short of the other (a list may shorten them)."""
    if not got:
        return False
    return got == want or (len(got) >= 8 and (want.startswith(got) or got.startswith(want)))


def _match_entries(out: Outcome, found: list) -> None:
    """Which labelled items the extractor found (same title; a list may cut long titles)."""
    pool = [(_norm(e.title), e.date) for e in found]
    for title, date in labelled_entries(out.label):
        want = _norm(title)
        hit = next((i for i, (got, _) in enumerate(pool) if _same_title(got, want)), None)
        if hit is None:
            out.missed.append(title)
            continue
        out.items_found += 1
        if pool.pop(hit)[1] == date:
            out.items_dated += 1
        else:
            out.wrong_dates.append(title)


def run(name: str, label: dict | None = None) -> Outcome:
    """The extractors on page `name`, against its labels (or against `label` when given)."""
    response, stored = load(name)
    label = label if label is not None else stored
    today = label["today"]
    extractor = extractor_for(response)
    out = Outcome(name=name, label=label, family=extractor.family)
    if label.get("home"):
        entries = extractor.home_entries(response, today)
        dates = [e.date for e in entries if e.date]
        out.home_newest = max(dates) if dates else None
    if "is_list" in label:
        page = extractor.column_page(response, today)
        out.items = len(page.entries)
        dates = [e.date for e in page.entries if e.date]
        out.newest = max(dates) if dates else None
        out.kind = page.kind
        if label.get("entries"):
            _match_entries(out, page.entries)
        if not page.entries:
            column = Column(name=name, url=response.url)
            column.placeholder = page.placeholder
            settle_empty(column, page, response.url)
            out.blank = column.blank
            out.kind = KIND_PAGE if column.kind == KIND_PAGE else page.kind
    menu = label.get("menu") or {}
    if menu:
        verdicts = _menu_verdicts(response, extractor)
        for wanted in menu.get("columns") or []:
            (out.columns_kept if verdicts.get(wanted) else out.columns_lost).append(wanted)
        for unwanted in menu.get("non_columns") or []:
            taken = verdicts.get(unwanted)
            (out.noncolumns_taken if taken else out.noncolumns_left).append(unwanted)
    return out


def score() -> list[Outcome]:
    return [run(name) for name in cases()]


def problems(out: Outcome) -> list[str]:
    """What is wrong with one page's outcome, in words; empty when it matches the labels."""
    label = out.label
    wrong = []
    if label.get("is_list") is True:
        if out.items != item_count(label):
            wrong.append(f"条目数 {out.items},应为 {item_count(label)}")
        if out.missed:
            wrong.append(f"漏掉 {len(out.missed)} 条,如 {out.missed[0]}")
        if out.wrong_dates:
            wrong.append(f"{len(out.wrong_dates)} 条日期不对,如 {out.wrong_dates[0]}")
        if out.newest != label.get("newest"):
            wrong.append(f"最新日期 {out.newest},应为 {label.get('newest')}")
    if label.get("is_list") is False and out.kind != KIND_PAGE and out.items:
        wrong.append(f"单页/文章页被读成含 {out.items} 条的列表")
    if "is_list" in label and not label.get("blank", False) and out.blank:
        wrong.append("误判为空白")
    if label.get("home") and out.home_newest != label.get("home_newest"):
        wrong.append(f"首页最新日期 {out.home_newest},应为 {label.get('home_newest')}")
    if out.columns_lost:
        wrong.append(f"栏目被漏掉或判为非栏目: {out.columns_lost}")
    if out.noncolumns_taken:
        wrong.append(f"非栏目被当作栏目: {out.noncolumns_taken}")
    return wrong


def report(outcomes: list[Outcome]) -> None:
    """Print the real-page figures: item recall/precision, newest-date accuracy, errors."""
    lists = [o for o in outcomes if o.label.get("is_list") is True]
    truth_items = sum(item_count(o.label) for o in lists)
    found = sum(o.items or 0 for o in lists)
    matched = sum(
        o.items_found if o.label.get("entries") else min(o.items or 0, o.label["items"])
        for o in lists
    )
    itemised = [o for o in lists if o.label.get("entries")]
    item_truth = sum(len(o.label["entries"]) for o in itemised)
    item_dated = sum(o.items_dated for o in itemised)
    exact = sum(1 for o in lists if o.newest == o.label.get("newest"))
    homes = [o for o in outcomes if o.label.get("home")]
    home_exact = sum(1 for o in homes if o.home_newest == o.label.get("home_newest"))
    false_blank = sum(1 for o in outcomes if o.blank and not o.label.get("blank", False))
    singles = [o for o in outcomes if o.label.get("is_list") is False]
    single_ok = sum(1 for o in singles if not problems_of_single(o))
    kept = sum(len(o.columns_kept) for o in outcomes)
    lost = sum(len(o.columns_lost) for o in outcomes)
    taken = sum(len(o.noncolumns_taken) for o in outcomes)
    left = sum(len(o.noncolumns_left) for o in outcomes)
    sites = {o.label.get("site") for o in outcomes}
    families = {o.label.get("family") for o in outcomes}

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f} ({a}/{b})" if b else "—"

    list_sites = {o.label.get("site") for o in lists}
    list_families = {o.label.get("family") for o in lists}
    met = all(
        have >= want
        for have, want in zip(
            (len(lists), len(list_sites), len(list_families)), LIST_CORPUS_TARGET, strict=True
        )
    )
    pages, nsites, nfamilies = LIST_CORPUS_TARGET
    print(
        f"真实列表页: {len(lists)} 页, {len(list_sites)} 个网站, 建站系统 {sorted(list_families)}"
        f" (目标 ≥{pages} 页/≥{nsites} 个网站/≥{nfamilies} 种: {'已达到' if met else '未达到'})"
    )
    print(f"  列表条目召回率      {ratio(matched, truth_items)}")
    print(f"  列表条目精确率      {ratio(matched, found)}")
    print(f"  条目日期正确率      {ratio(item_dated, item_truth)} (逐条标注的 {len(itemised)} 页)")
    print(f"  列表最新日期正确率  {ratio(exact, len(lists))}")
    print(f"真实页面(全部): {len(outcomes)} 页, {len(sites)} 个网站, 建站系统 {sorted(families)}")
    print(f"  首页最新日期正确率  {ratio(home_exact, len(homes))}")
    print(f"  单页/文章页识别     {ratio(single_ok, len(singles))}")
    print(f"  误判空白            {false_blank}")
    print(f"  栏目被误判为非栏目  {lost} (共 {kept + lost} 个标注栏目)")
    print(f"  非栏目被当作栏目    {taken} (共 {taken + left} 个标注非栏目)")
    for o in outcomes:
        for text in problems(o):
            print(f"  - {o.name}: {text}")


def problems_of_single(out: Outcome) -> list[str]:
    return [p for p in problems(out) if "列表" in p or "空白" in p]
