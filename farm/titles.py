"""Realistic Chinese titles and article text for the farm's items, chosen deterministically."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

# Template pools per kind of column. Placeholders: {city} (the site's locality: 江城市,
# 清河县...) {unit} {place} {topic} {year} {month} {leader} {person} {n}.
TEMPLATES: dict[str, list[str]] = {
    "news": [
        "{city}召开{year}年{topic}工作会议",
        "{leader}调研{topic}工作",
        "{unit}开展{topic}专项行动",
        "{unit}召开{topic}推进会",
        "{place}扎实推进{topic}工作",
        "{place}：{topic}工作取得阶段性成效",
        "{unit}举办{topic}业务培训班",
        "{city}{topic}工作获省级通报表扬",
        "{unit}党组理论学习中心组开展{month}月集中学习",
        "{place}多措并举做好{topic}",
        "{leader}主持召开专题会议研究{topic}",
        "省检查组来{city}督导{topic}工作",
    ],
    "notice": [
        "关于做好{year}年{topic}工作的通知",
        "关于开展{topic}专项检查的通知",
        "关于{year}年{topic}项目拟入选名单的公示",
        "{unit}关于{topic}有关事项的公告",
        "关于组织申报{year}年{topic}资金的通知",
        "关于{topic}工作情况的通报",
    ],
    "policy": [
        "{city}人民政府关于印发《{city}{topic}实施办法》的通知",
        "关于进一步加强{topic}工作的意见",
        "{unit}关于印发《{topic}管理办法》的通知",
        "{city}人民政府办公室关于推进{topic}的实施意见",
    ],
    "reading": [
        "《{city}{topic}实施办法》政策解读",
        "一图读懂：{city}{topic}实施方案",
        "关于《{topic}管理办法》的解读",
        "{unit}负责人解读{topic}新政",
    ],
    "personnel": [
        "{city}人民政府关于{person}等同志职务任免的通知",
        "{unit}{year}年公开招聘工作人员拟聘用人员公示",
        "关于{person}同志任职的通知",
        "{unit}{year}年干部任前公示",
    ],
    "plan": [
        "{unit}{year}年工作要点",
        "{unit}{year}年上半年工作总结",
        "{unit}{year}年度{topic}工作计划",
        "{unit}关于{year}年{topic}工作的总结报告",
    ],
    "stats": [
        "{year}年{month}月{city}{topic}统计数据",
        "{year}年1-{month}月{city}经济运行简况",
        "{year}年{city}{topic}统计公报",
    ],
    "guide": ["{topic}事项办事指南", "{topic}申请材料清单", "{topic}办理流程说明"],
    "forms": ["{topic}申请表", "{topic}登记表", "{topic}备案表（样表）"],
    "letters": [
        "关于{topic}问题的咨询",
        "反映{place}{topic}相关问题",
        "咨询{topic}办理流程",
        "建议加强{topic}工作",
    ],
    "interview": [
        "{unit}负责人做客在线访谈：聚焦{topic}",
        "在线访谈｜{topic}面对面",
    ],
    "survey": [
        "关于《{city}{topic}实施方案（征求意见稿）》公开征求意见的公告",
        "{topic}满意度网上调查",
    ],
    "leaders": ["{unit}领导班子成员", "{unit}领导分工", "{leader}简历"],
    "duties": ["{unit}主要职责", "{unit}内设机构及职能", "{unit}下属单位"],
    "intro": ["{city}简介", "{city}历史沿革", "{city}自然地理", "{city}行政区划"],
    "special": ["{topic}专题：{unit}动员部署{topic}", "{topic}专题宣传资料"],
    "other": ["{unit}{topic}工作情况", "{topic}项目推介", "{unit}{topic}情况介绍"],
}

# Fictitious names: leaders appear with their office (fitting the unit), appointees alone.
LEADER_NAMES = ["周建平", "陈立新", "刘文涛", "王海燕", "李志强", "赵明远"]
PERSONS = ["张晓东", "孙丽华", "黄文斌", "吴振国", "郑雅琴", "何建军", "徐晓峰", "马红梅"]


def column_kind(category: str, name: str) -> str:
    """Which template pool fits a column, from its category and name."""
    if category == "动态要闻类":
        return "news"
    if category == "通知公告/政策文件类":
        return "policy" if any(k in name for k in ("政策", "文件", "规范", "法规")) else "notice"
    if category == "政策解读类":
        return "reading"
    if category == "人事/规划计划类":
        if "人事" in name:
            return "personnel"
        return "stats" if "统计" in name else "plan"
    if category == "办事服务类":
        return "forms" if "表格" in name else "guide"
    if category == "概况信息类":
        return "leaders" if "领导" in name else "duties" if "机构" in name else "intro"
    return {
        "政务咨询类": "letters",
        "互动访谈类": "interview",
        "调查征集类": "survey",
        "专题/历史类": "special",
    }.get(category, "other")


def leaders(unit: str) -> list[str]:
    """Offices with names that plausibly appear in the unit's news."""
    if unit.endswith("人民政府"):
        level = "区" if "区" in unit else "县" if "县" in unit else "市"
        offices = [f"{level}长", f"副{level}长", f"{level}委常委"]
    elif unit.endswith("委员会"):
        offices = ["主任", "副主任", "副市长"]
    else:
        offices = ["局长", "副局长", "副市长"]
    return [office + name for office, name in zip(offices, LEADER_NAMES, strict=False)]


def _rng(*parts: object) -> random.Random:
    # hashlib, not hash(): titles must not change between interpreter runs
    digest = hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()
    return random.Random(int(digest[:16], 16))


def make_titles(
    kind: str,
    dates: list[dt.date],
    *,
    seed: str,
    city: str,
    unit: str,
    place: str,
    topics: list[str],
) -> list[str]:
    """One title per date, varied across templates and topics, without repeats."""
    rng = _rng(seed, kind)
    pool = TEMPLATES[kind]
    templates = rng.sample(pool, len(pool))
    topic_order = rng.sample(topics, len(topics))
    titles: list[str] = []
    for i, day in enumerate(dates):
        template = templates[i % len(templates)]
        topic = topic_order[(i + i // len(templates)) % len(topic_order)]
        title = template.format(
            city=city,
            unit=unit,
            place=place,
            topic=topic,
            year=day.year,
            month=day.month,
            leader=rng.choice(leaders(unit)),
            person=rng.choice(PERSONS),
            n=rng.randint(1, 30),
        )
        if title in titles:  # small pools: keep titles within a column distinct
            title = f"{title}（第{i + 1}批）"
        titles.append(title)
    return titles


def publish_time(seed: str) -> str:
    """A plausible office-hours publication time, "HH:MM"."""
    rng = _rng(seed, "time")
    return f"{rng.choice([8, 9, 10, 11, 14, 15, 16, 17]):02d}:{rng.randrange(0, 60):02d}"


def article_paragraphs(title: str, unit: str, topic_hint: str) -> list[str]:
    """Two or three paragraphs of plain official prose for a detail page."""
    rng = _rng(title, "body")
    first = (
        f"为深入贯彻落实上级关于{topic_hint}的决策部署，{unit}高度重视，"
        f"结合工作实际，认真研究部署相关工作。"
    )
    middle = rng.choice(
        [
            "会议强调，各单位要进一步提高思想认识，压实工作责任，细化工作措施，确保各项任务落到实处。",
            "下一步，将继续坚持问题导向，加强统筹协调，完善长效机制，推动工作取得新成效。",
            "各相关单位要按照职责分工，密切协作配合，及时报送工作进展情况。",
        ]
    )
    last = f"联系电话：0{rng.randint(700, 799)}-{rng.randint(8000000, 8999999)}。"
    return [first, middle, last] if rng.random() < 0.6 else [first, middle]
