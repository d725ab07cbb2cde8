"""Randomised government sites with ground truth: what each site holds, before any markup."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

# Column names by rule family, with the update window (days) the national rules give them;
# None = no update window. Kept here on purpose: the truth must not come from analysis/.
LIST_NAMES: dict[str, tuple[list[str], int | None]] = {
    "news": (["工作动态", "部门动态", "乡镇动态", "图片新闻", "政务要闻", "要闻动态"], 14),
    "notice": (["通知公告", "公示公告", "政策文件", "规范性文件", "政策法规"], 183),
    "interpret": (["政策解读"], 183),
    "plan": (["人事信息", "规划计划", "统计数据", "人事任免"], 365),
    "other": (["办事指南", "表格下载", "意见征集", "在线访谈"], None),
}
PAGE_NAMES = ["机构概况", "领导简介", "部门职责", "联系我们", "单位简介", "机构职能"]
CHANNEL_NAMES = ["信息公开", "政务公开", "新闻中心", "政务服务", "互动交流"]
PLACEHOLDERS = [
    "暂无信息", "暂无数据", "暂无内容", "没有记录", "无相关信息", "该栏目暂无信息",
    "信息正在更新中", "对不起，暂无数据！", "无数据", "暂无相关内容", "暂无记录",
]  # fmt: skip
DATE_STYLES = ["iso", "slash", "dot", "cn", "cnnum", "full", "yearless", "time", "mixed"]
LAYOUTS = ["ul", "ul", "table", "div", "dl", "script", "iframe", "hanweb", "trs"]
PLACES = ["青山", "云溪", "石门", "白沙", "临江", "东湖", "梅岭", "柳塘", "南屏", "北坪"]
TOPICS = [
    "召开专题会议", "开展安全生产检查", "推进乡村振兴工作", "部署防汛备汛工作",
    "举办政策宣讲活动", "调研营商环境建设", "开展志愿服务活动", "推进项目建设",
    "组织业务培训", "召开工作推进会", "开展消防演练", "落实惠民政策",
]  # fmt: skip
# how a 办事指南 column's online system answers: opens (ok, login), does not (missing: 404,
# error: 500, page: an error page at 200), no HTTP answer (down: 未监测)
ONLINE_KINDS = ["", "ok", "login", "missing", "error", "page", "down"]
# expected statuses, in the words of the 栏目明细 sheet
OK, STALE, BLANK, UNKNOWN_DATE = "正常", "未更新", "空白", "日期未识别"


@dataclass
class GenItem:
    title: str
    date: dt.date
    path: str
    pinned: bool = False


@dataclass
class GenColumn:
    name: str
    slug: str
    kind: str = "list"  # list | page | channel
    window: int | None = None
    items: list[GenItem] = field(default_factory=list)  # newest first
    placeholder: str = ""  # text a blank column shows ("" with no items: an empty list)
    order: str = "desc"  # asc: oldest first, the newest on the last page
    list_dates: bool = True  # False: dates only on the detail pages
    undated: bool = False  # no date on the list nor on the detail pages
    page_date: dt.date | None = None  # a page column's own visible date
    page_text: str = ""  # a page column's body ("" = empty)
    children: list[GenColumn] = field(default_factory=list)
    parent: str = ""
    on_home: bool = False
    # a 办事指南 column: its guides' 在线办理 link (farmgen.pages ONLINE_ANSWERS; "" none)
    online: str = ""

    @property
    def blank(self) -> bool:
        if self.kind == "page":
            return not self.page_text or bool(self.placeholder)
        return self.kind == "list" and not self.items

    @property
    def newest(self) -> dt.date | None:
        if self.kind == "page":
            return None if self.blank else self.page_date
        if self.undated or not self.items:
            return None
        return max(i.date for i in self.items)

    def expected(self, today: dt.date) -> str:
        """The status a correct monitor reports for this column at ``today``."""
        if self.blank:
            return BLANK
        if self.kind == "page":
            return OK
        if self.undated:
            return UNKNOWN_DATE
        if self.window is None or (today - self.newest).days <= self.window:
            return OK
        return STALE


@dataclass
class NoiseLink:
    """A navigation link that is not a column, and why."""

    text: str
    href: str  # site-relative ("en/index.html") or absolute / javascript: / mailto:
    reason: str
    where: str = "top"  # top | nav | footer


@dataclass
class GenSite:
    id: str
    name: str
    encoding: str
    skin: str
    layout: str
    date_style: str
    page_size: int
    nav_class: str
    columns: list[GenColumn] = field(default_factory=list)
    noise: list[NoiseLink] = field(default_factory=list)

    def all_columns(self) -> list[GenColumn]:
        out = []
        for col in self.columns:
            out.append(col)
            out.extend(col.children)
        return out


NOISE = [
    ("English", "en/index.html", "其他语言版本"),
    ("ENGLISH", "http://english.example.gov.cn/", "其他语言版本"),
    ("网站地图", "sitemap.html", "网站地图"),
    ("无障碍", "wza/index.html", "无障碍"),
    ("适老化", "javascript:void(0)", "无障碍"),
    ("长者模式", "elder/index.html", "无障碍"),
    ("登录", "login.html", "登录/注册"),
    ("注册", "register.html", "登录/注册"),
    ("RSS", "rss.xml", "RSS"),
    ("手机版", "wap/index.html", "手机版/简繁体"),
    ("繁体", "javascript:toTrad()", "手机版/简繁体"),
    ("简体", "index.html?lang=sc", "手机版/简繁体"),
    ("搜索", "search.html", "搜索"),
    ("中国政府网", "http://www.gov.cn/", "站外链接"),
    ("联系邮箱", "mailto:web@example.gov.cn", "邮件链接"),
    ("办事指南下载", "files/guide.pdf", "文件下载"),
    ("申请表", "files/form.doc", "文件下载"),
]


def _ages(rng: random.Random, window: int | None, count: int, max_age: int,
          cap: int | None = None) -> list[int]:  # fmt: skip
    """Item ages, newest first, kept away from the window's edge so the truth is clear.

    ``window`` None: only fresh newest items (within ``cap`` when given).
    """
    if window is not None and rng.random() >= 0.6:
        newest = rng.randint(int(window * 1.3) + 2, int(window * 1.3) + 60)
    elif window is not None or cap is not None:
        newest = rng.randint(0, int((window or cap) * 0.7))
    else:
        newest = rng.randint(0, max_age // 2)
    ages = [newest]
    for _ in range(count - 1):
        ages.append(ages[-1] + rng.randint(0, 12))
    return [a for a in ages if a <= max_age] or [newest]


def _list_column(rng: random.Random, site: GenSite, name: str, slug: str, window: int | None,
                 today: dt.date) -> GenColumn:  # fmt: skip
    col = GenColumn(name=name, slug=slug, window=window)
    roll = rng.random()
    if roll < 0.08:
        col.placeholder = rng.choice(PLACEHOLDERS)
        return col
    if roll < 0.11:
        return col  # a truly empty list
    # a year-less list cannot show items older than a year unambiguously
    max_age = 330 if site.date_style == "yearless" else 900
    stale_ok = window is not None and window * 1.3 + 60 < max_age
    ages = _ages(rng, window if stale_ok else None, rng.randint(1, 45), max_age, window)
    for n, age in enumerate(ages):
        title = f"{rng.choice(PLACES)}{rng.choice(TOPICS)}"
        col.items.append(GenItem(title, today - dt.timedelta(days=age), f"{slug}/art{n + 1}.html"))
    col.order = "asc" if rng.random() < 0.1 else "desc"
    if col.order == "desc" and len(col.items) > 4 and rng.random() < 0.2:
        for item in col.items[-rng.randint(1, 2) :]:
            item.pinned = True  # old items pinned on top
    if col.order == "desc" and site.layout in ("ul", "table", "div") and rng.random() < 0.1:
        col.list_dates = False
        col.undated = rng.random() < 0.3
    return col


def _page_column(rng: random.Random, name: str, slug: str, today: dt.date) -> GenColumn:
    col = GenColumn(name=name, slug=slug, kind="page")
    roll = rng.random()
    if roll < 0.08:
        col.placeholder = rng.choice(PLACEHOLDERS)
    elif roll > 0.12:
        sentences = [f"{rng.choice(PLACES)}{rng.choice(TOPICS)}，依法履行职责。" for _ in range(6)]
        col.page_text = "".join(sentences)
        if rng.random() < 0.6:
            col.page_date = today - dt.timedelta(days=rng.randint(0, 700))
    return col


def generate(seed: int, count: int, today: dt.date) -> list[GenSite]:
    """``count`` sites drawn from ``seed``; the same seed and date give the same sites."""
    rng = random.Random(seed)
    sites = []
    for n in range(count):
        site = GenSite(
            id=f"g{n:03d}",
            name=f"{rng.choice(PLACES)}{rng.choice(['县', '区', '市'])}第{n + 1}局",
            encoding="gbk" if rng.random() < 0.2 else "utf-8",
            skin=rng.choice(["classic", "modern", "portal", "plain"]),
            layout=rng.choice(LAYOUTS),
            date_style=rng.choice(DATE_STYLES),
            page_size=rng.choice([8, 10, 15, 20]),
            nav_class=rng.choice(["nav", "menu", "mainNav", "daohang", "navbar", "top-menu"]),
        )
        families = list(LIST_NAMES)
        used: set[str] = set()
        for k in range(rng.randint(4, 9)):
            names, window = LIST_NAMES[families[k % len(families)]]
            name = rng.choice([x for x in names if x not in used] or names)
            if name in used:
                continue
            used.add(name)
            site.columns.append(_list_column(rng, site, name, f"c{k}", window, today))
        for k, name in enumerate(rng.sample(PAGE_NAMES, rng.randint(1, 3))):
            site.columns.append(_page_column(rng, name, f"p{k}", today))
        if rng.random() < 0.4:
            channel = GenColumn(name=rng.choice(CHANNEL_NAMES), slug="ch", kind="channel")
            for k in range(rng.randint(2, 3)):
                names, window = LIST_NAMES[rng.choice(families[:4])]
                name = rng.choice([x for x in names if x not in used] or [f"专项{k}"])
                used.add(name)
                child = _list_column(rng, site, name, f"ch/s{k}", window, today)
                child.parent = channel.name
                channel.children.append(child)
            site.columns.insert(rng.randint(0, len(site.columns)), channel)
        for col in rng.sample(site.columns, min(3, len(site.columns))):
            col.on_home = col.kind == "list" and bool(col.items)
        for text, href, reason in rng.sample(NOISE, rng.randint(4, 9)):
            where = rng.choice(["top", "top", "nav", "footer"])
            site.noise.append(NoiseLink(text, href, reason, where))
        for col in site.all_columns():
            if col.name == "办事指南" and col.items:
                # its own draw: the sites of a seed stay what they were before this existed
                col.online = random.Random(f"{seed}:{site.id}:{col.slug}").choice(ONLINE_KINDS)
        sites.append(site)
    return sites
