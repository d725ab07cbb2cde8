"""Turn the farm spec (farm.yaml, already parsed) into sites with pre-rendered pages."""

from __future__ import annotations

import datetime as dt
import hashlib
from html import escape
from itertools import count

from farm.families import FAMILY_SKINS
from farm.guides import guide_spec_problem, with_guide
from farm.layout import Ctx, a, error_page, host_token
from farm.model import MAIN_HOST, FarmColumn, FarmItem, FarmPage, FarmSite, OffsiteLink
from farm.skins import SKINS as BASE_SKINS
from farm.skins import Skin
from farm.titles import article_paragraphs, column_kind, make_titles, publish_time

SITE_KEYS = {
    "id", "name", "group", "purpose", "locality", "skin", "encoding", "date_format", "domain",
    "page_size", "home_status", "topics", "columns", "lead", "offsite_nav", "mirror", "expected",
    "family", "notes", "marks_missing",
}  # fmt: skip
COLUMN_KEYS = {
    "name", "slug", "category", "ages", "placeholder", "home", "status", "delay", "undated",
    "list_dates", "dropdown", "host", "children", "order", "pinned", "js", "frame", "ajax",
    "catalog", "replies", "guide_missing", "form", "online",
}  # fmt: skip
SKINS: dict[str, Skin] = {**BASE_SKINS, **{s.name: s for s in FAMILY_SKINS}}
DEFAULT_DATE_STYLE = {"box": "iso", "table": "iso", "dl": "dot_paren"}
RESULTS = {"合格", "不合格", "监测失败"}
ROBOTS = b"User-agent: *\nDisallow: /search/\n"


class FarmSpecError(ValueError):
    """farm.yaml says something the renderer cannot build; the message names the place."""


def build_sites(spec: dict, farm_date: dt.date) -> list[FarmSite]:
    """All sites of the spec, columns dated relative to ``farm_date``, pages rendered."""
    city = spec["city"]
    sites = [_site(s, spec["categories"], farm_date, city) for s in spec["sites"]]
    by_id = {s.id: s for s in sites}
    if len(by_id) != len(sites):
        raise FarmSpecError("farm.yaml: duplicate site ids")
    for site, site_spec in zip(sites, spec["sites"], strict=True):
        site.friend_links = [_link(x, by_id, site.id) for x in spec.get("friend_links", [])]
        site.friend_links = [x for x in site.friend_links if x.url != host_token(site.id) + "/"]
        site.offsite_nav = [_link(x, by_id, site.id) for x in site_spec.get("offsite_nav", [])]
        site.offsite_blocks = [_mirror(x, by_id, site.id) for x in site_spec.get("mirror", [])]
    for site in sites:
        _render(site, city)
    return sites


def _fail(where: str, message: str) -> FarmSpecError:
    return FarmSpecError(f"farm.yaml: {where}: {message}")


def _site(spec: dict, categories: dict, farm_date: dt.date, city: str) -> FarmSite:
    where = f"site {spec.get('id', '?')}"
    unknown = set(spec) - SITE_KEYS
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    skin = spec.get("skin", "box")
    if skin not in SKINS:
        raise _fail(where, f"unknown skin {skin!r}")
    expected = spec["expected"]
    if expected.get("result") not in RESULTS or not isinstance(expected.get("problems"), list):
        raise _fail(where, "expected needs a result in 合格/不合格/监测失败 and a problems list")
    digest = int(hashlib.sha1(spec["id"].encode()).hexdigest()[:6], 16)
    site = FarmSite(
        id=spec["id"],
        name=spec["name"],
        group=spec["group"],
        encoding=spec.get("encoding", "utf-8"),
        skin=skin,
        date_format=spec.get("date_format", DEFAULT_DATE_STYLE.get(skin, "iso")),
        domain=spec["domain"],
        purpose=spec["purpose"],
        expected=expected,
        home_status=spec.get("home_status", 200),
        page_size=spec.get("page_size", 10),
        id_code=f"42{digest % 100:02d}{digest % 1000000:06d}",
        family=spec.get("family", SKINS[skin].family),
        notes=list(spec.get("notes", [])),
        marks_missing=tuple(spec.get("marks_missing", ())),
    )
    for note in site.notes:
        if set(note) - {"page", "text", "hits"} or "text" not in note:
            raise _fail(where, f"a note needs text (and page, hits): {note!r}")
    bad_marks = set(site.marks_missing) - MARK_KEYS
    if bad_marks:
        raise _fail(where, f"unknown marks_missing {sorted(bad_marks)}")
    locality = spec.get("locality", city)  # a county site writes about its county
    numbers = count(1001)
    item_numbers = count(10001)
    for col_spec in spec["columns"]:
        site.columns.append(_column(col_spec, None, site, categories, numbers, where))
    topics = spec["topics"]
    for col in site.all_columns():
        col.path = SKINS[skin].column_path(col)
        if not col.container:
            _fill_items(col, site, farm_date, locality, topics, item_numbers)
    if "lead" in spec:
        lead_col = _find(site, spec["lead"]["column"], where)
        site.lead = [(lead_col, item) for item in lead_col.items[: spec["lead"]["count"]]]
    site.hosts = {MAIN_HOST: {}} | {c.host: {} for c in site.all_columns()}
    return site


def _column(
    spec: dict, parent: FarmColumn | None, site: FarmSite, categories: dict, numbers, where: str
) -> FarmColumn:
    name = spec["name"]
    where = f"{where} column {name}"
    unknown = set(spec) - COLUMN_KEYS
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    category = spec.get("category") or categories.get(name)
    if category is None:  # every category is labelled by hand, never guessed
        raise _fail(where, "no category: add it to `categories` or to the column")
    number = next(numbers)
    col = FarmColumn(
        name=name,
        category=category,
        number=number,
        slug=spec.get("slug", f"lm{number}"),
        parent=parent,
        host=spec.get("host", parent.host if parent else MAIN_HOST),
        placeholder=spec.get("placeholder"),
        home=spec.get("home", 0),
        status=spec.get("status", 200),
        delay=spec.get("delay", 0.0),
        undated=spec.get("undated", False),
        list_dates=spec.get("list_dates", True),
        # a catalogue's categories are in its tree only, never in a dropdown
        dropdown=spec.get("dropdown", True) and not spec.get("catalog", False),
        order=spec.get("order", "desc"),
        pinned=spec.get("pinned", 0),
        js=spec.get("js", ""),
        frame=spec.get("frame", False),
        ajax=spec.get("ajax", False),
        catalog=spec.get("catalog", False),
        guide_missing=tuple(spec.get("guide_missing") or ()),
        form=spec.get("form", "file"),
        online=spec.get("online", ""),
    )
    if problem := guide_spec_problem(col):
        raise _fail(where, problem)
    if col.order not in ("asc", "desc") or col.js not in ("", "data", "render"):
        raise _fail(where, "order is asc/desc; js is data/render")
    col.ages = sorted(spec.get("ages", []))
    col.replies = dict(spec.get("replies") or {})
    if category == "政务咨询类" and "replies" not in spec:
        # a letter box answers the day after a letter arrives unless farm.yaml says otherwise
        col.replies = {age: max(age - 1, 0) for age in col.ages}
    if col.replies and set(col.replies) != set(col.ages):
        raise _fail(where, "replies needs one entry (reply age or null) per age")
    if spec.get("children"):
        if parent is not None:
            raise _fail(where, "only two levels of columns are supported")
        if col.ages:
            raise _fail(where, "a channel with sub-columns lists no items of its own")
        col.children = [_column(c, col, site, categories, numbers, where) for c in spec["children"]]
    if col.failed and col.home:
        raise _fail(where, "a failing column cannot have a home-page block")
    return col


def _fill_items(col, site, farm_date, city, topics, item_numbers) -> None:
    """Replace the age placeholders by dated, titled items, newest first."""
    dates = [farm_date - dt.timedelta(days=age) for age in col.ages]
    kind = column_kind(col.category, col.name)
    town = col.parent is not None and col.parent.name.endswith(("镇", "乡", "街道"))
    # news happens in a town, in a government's locality, or at a department
    place = site.name if not site.name.endswith("人民政府") else city
    if town:
        place = col.parent.name
    if kind == "special":  # a 专题 column writes about its own theme
        topics = [col.name.removesuffix("专题")]
    titles = make_titles(
        kind,
        dates,
        seed=f"{site.id}/{col.label}",
        city=city,
        unit=site.name,
        place=place,
        topics=topics,
    )
    col.items = []
    for title, day in zip(titles, dates, strict=True):
        number = next(item_numbers)
        path = SKINS[site.skin].detail_path(col, number, day)
        col.items.append(FarmItem(title, day, publish_time(f"{site.id}/{number}"), path, number))
        age = (farm_date - day).days
        if col.replies and col.replies.get(age) is not None:
            col.items[-1].reply = farm_date - dt.timedelta(days=col.replies[age])
    for item in col.items[len(col.items) - col.pinned :] if col.pinned else []:
        item.pinned = True  # the oldest items are the ones left pinned on top
    skin = SKINS[site.skin]
    n_pages = len(skin.page_chunks(col, site.page_size))
    col.page_paths = [skin.page_path(col, n) for n in range(1, n_pages + 1)]


def _find(site: FarmSite, label: str, where: str) -> FarmColumn:
    for col in site.all_columns():
        if label in (col.name, col.label):
            return col
    raise _fail(where, f"no column {label!r}")


def _link(spec: dict, by_id: dict[str, FarmSite], where: str) -> OffsiteLink:
    """A link to an outside URL, to another farm site's home, or to one of its columns."""
    if "url" in spec:
        return OffsiteLink(spec["text"], spec["url"])
    other = by_id.get(spec["site"])
    if other is None:
        raise _fail(f"site {where}", f"link to unknown site {spec['site']!r}")
    if "column" not in spec:
        return OffsiteLink(spec["text"], host_token(other.id) + "/")
    col = _find(other, spec["column"], f"site {other.id}")
    return OffsiteLink(spec["text"], host_token(other.id, col.host) + col.path)


def _mirror(spec: dict, by_id: dict[str, FarmSite], where: str):
    """A home block showing another site's column: same dates, links to the other host."""
    other = by_id.get(spec["site"])
    if other is None:
        raise _fail(f"site {where}", f"mirror of unknown site {spec['site']!r}")
    col = _find(other, spec["column"], f"site {other.id}")
    token = host_token(other.id, col.host)
    rows = [(i.title, token + i.path, i.date) for i in col.items[: spec["count"]]]
    return spec.get("title", col.name), token + col.path, rows


def _render(site: FarmSite, city: str) -> None:
    skin = SKINS[site.skin]
    content_type = f"text/html; charset={site.encoding}"

    def page(html: str, status: int = 200, delay: float = 0.0) -> FarmPage:
        return FarmPage(html.encode(site.encoding), content_type, status, delay)

    main = Ctx(site, city, MAIN_HOST)
    site.pages["/robots.txt"] = FarmPage(ROBOTS, "text/plain; charset=utf-8")
    if site.home_status == 200:
        site.pages["/"] = page(_noted(skin.home(main), site, "home"))
    else:
        site.pages["/"] = FarmPage(error_page(site.home_status), status=site.home_status)
    for col in site.all_columns():
        ctx = Ctx(site, city, col.host)
        pages = site.hosts[col.host]
        if col.failed:  # 404: a dead link in the navigation; 500: a broken column page
            pages[col.path] = FarmPage(error_page(col.status), status=col.status)
            continue
        if col.container:
            pages[col.path] = page(skin.channel(ctx, col), delay=col.delay)
            continue
        chunks = skin.page_chunks(col, site.page_size)
        for page_no, (path, items) in enumerate(zip(col.page_paths, chunks, strict=True), 1):
            delay = col.delay if page_no == 1 else 0.0
            html = skin.listing(ctx, col, items, page_no)
            html = _noted(html, site, col.name) if page_no == 1 else html
            html = _with_letters(html, ctx, col) if page_no == 1 and col.replies else html
            pages[path] = page(html, delay=delay)
        for path, html in skin.extra_pages(ctx, col).items():
            pages[path] = page(html)
        records = skin.data_records(ctx, col)
        if records or skin.family == "hanweb":
            site.records.setdefault(col.host, {})[str(col.number)] = records
        for item in col.items:
            text = article_paragraphs(item.title, site.name, col.name)
            html = with_guide(pages, skin.detail(ctx, col, item, text), ctx, col, item)
            pages[item.path] = page(html)


MARK_KEYS = {"id_code", "icp", "police", "party_gov"}


def _noted(html: str, site: FarmSite, on: str) -> str:
    """The page with the site's notes for it (planted text) in a block above the footer."""
    texts = [n["text"] for n in site.notes if n.get("page", "home") == on]
    if not texts:
        return html
    block = '<div class="notice">\n' + "".join(f"<p>{escape(t)}</p>\n" for t in texts) + "</div>\n"
    return html.replace('<div class="footer">', block + '<div class="footer">', 1)


def _with_letters(html: str, ctx: Ctx, col: FarmColumn) -> str:
    """A letter list's table (标题, 来信时间, 回复时间, 办理状态) above the footer."""
    rows = "".join(
        f"<tr><td>{a(ctx.item_href(col, i), i.title)}</td><td>{i.date.isoformat()}</td>"
        f"<td>{i.reply.isoformat() if i.reply else ''}</td>"
        f"<td>{'已回复' if i.reply else '办理中'}</td></tr>\n"
        for i in col.items
    )
    table = (
        '<table class="letters">\n<tr><th>信件标题</th><th>来信时间</th><th>回复时间</th>'
        f"<th>办理状态</th></tr>\n{rows}</table>\n"
    )
    return html.replace('<div class="footer">', table + '<div class="footer">', 1)
