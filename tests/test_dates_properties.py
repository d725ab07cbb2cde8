"""Property-based tests of the date rules: generated dates in the forms sites print them.

Round trip (a date written in any of the forms is read back as itself), never a date
after the crawl date, and never an exception, whatever the text.
"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govspider.dates import find_date, find_dates, parse_date, resolve_yearless
from govspider.detail_dates import extract_detail_date

SETTINGS = settings(
    deadline=None,
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")),
    suppress_health_check=[HealthCheck.too_slow],
)
FULL_WIDTH = str.maketrans("0123456789-/.:[]()", "０１２３４５６７８９－／．：［］（）")
CN_DIGITS = "〇一二三四五六七八九"

crawl_dates = st.dates(dt.date(2001, 1, 1), dt.date(2035, 12, 31))
# titles as sites write them: Chinese words and punctuation, no digits
titles = st.text(
    alphabet=st.sampled_from("关于开展全市安全生产检查工作的通知公告会议召开部署，、《》“”"),
    max_size=30,
)


def cn_number(n: int) -> str:
    """5 -> 五, 10 -> 十, 12 -> 十二, 20 -> 二十, 31 -> 三十一."""
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[units] if units or not tens else "")


def written(d: dt.date, form: int) -> str:
    """The date as one of the forms seen on Chinese government sites."""
    y, m, day = d.year, d.month, d.day
    forms = [
        f"{y}-{m:02d}-{day:02d}",
        f"{y}-{m}-{day}",
        f"{y}/{m:02d}/{day:02d}",
        f"{y}.{m:02d}.{day:02d}",
        f"{y}年{m}月{day}日",
        f"{y}年{m:02d}月{day:02d}日",
        f"{y} 年 {m} 月 {day} 日",
        f"[{y}-{m:02d}-{day:02d}]",
        f"({y}-{m:02d}-{day:02d})",
        f"{y}-{m:02d}-{day:02d} 09:30",
        f"{y}-{m:02d}-{day:02d} 17:05:59",
        f"{y}年{m}月{day}日 14:32",
        f"{y}/{m}/{day}",
        "".join(CN_DIGITS[int(c)] for c in str(y)) + f"年{cn_number(m)}月{cn_number(day)}日",
    ]
    text = forms[form % len(forms)]
    return text.translate(FULL_WIDTH) if form >= len(forms) and "年" not in text else text


@st.composite
def dated(draw: st.DrawFn) -> tuple[dt.date, dt.date, str]:
    """(crawl date, a date on or before it, that date written in one of the forms)."""
    today = draw(crawl_dates)
    d = draw(st.dates(dt.date(1995, 1, 1), today))
    return today, d, written(d, draw(st.integers(0, 27)))


@SETTINGS
@given(dated())
def test_a_written_date_is_read_back_as_itself(case):
    today, d, text = case
    assert parse_date(text, today) == d


@SETTINGS
@given(dated(), titles, st.booleans())
def test_a_list_item_gives_its_date(case, title, date_first):
    today, d, text = case
    item = f"{text} {title}" if date_first else f"{title} {text}"
    found = find_date(item, today)
    assert found is not None and found[0] == d


@SETTINGS
@given(crawl_dates, st.integers(0, 364), st.integers(0, 2))
def test_a_yearless_date_of_the_last_year_gets_its_year(today, days_ago, form):
    d = today - dt.timedelta(days=days_ago)
    text = (f"[{d.month:02d}-{d.day:02d}]", f"{d.month:02d}-{d.day:02d}", f"{d.month}月{d.day}日")
    assert parse_date(text[form], today) == d
    assert find_date(f"关于开展安全检查的通知 {text[form]}", today)[0] == d


@SETTINGS
@given(crawl_dates, st.integers(1, 12), st.integers(1, 31))
def test_a_yearless_date_never_lands_after_the_crawl_date(today, month, day):
    d = resolve_yearless(month, day, today)
    assert d is None or (d <= today and (d.month, d.day) == (month, day))
    try:
        dt.date(2000, month, day)  # a leap year: 02-29 is a real day
        possible = True
    except ValueError:
        possible = False
    assert (d is not None) == possible


@SETTINGS
@given(crawl_dates, st.dates(dt.date(1995, 1, 1), dt.date(2040, 12, 31)), st.integers(0, 27))
def test_a_list_item_never_gives_a_date_after_the_crawl_date(today, d, form):
    found = find_date(f"关于开展安全检查的通知 {written(d, form)}", today)
    assert found is None or found[0] <= today
    assert (found is not None) == (d <= today)


@SETTINGS
@given(crawl_dates, st.dates(dt.date(1995, 1, 1), dt.date(2040, 12, 31)), st.integers(0, 27))
def test_a_detail_page_never_gives_a_date_after_the_crawl_date(today, d, form):
    text = written(d, form)
    html = (
        f'<html><head><meta name="PubDate" content="{text}"><title>关于开展安全检查的通知</title>'
        f"</head><body><h1>关于开展安全检查的通知</h1><div>发布时间：{text}</div>"
        f"<div>{text} 来源：区应急局</div></body></html>"
    )
    url = f"http://www.example.gov.cn/zwgk/{d:%Y%m}/t{d:%Y%m%d}_1.html"
    found = extract_detail_date(html, today, url=url).date
    assert found == (d if d <= today else None)


# anything, and text made of the pieces dates are made of
any_text = st.one_of(
    st.text(max_size=300),
    st.text(
        alphabet="0123456789０５年月日号时分-/.: []（）〇一二三四五六七八九十前天昨", max_size=60
    ),
)


@SETTINGS
@given(crawl_dates, any_text)
def test_arbitrary_text_never_raises_nor_gives_a_future_date(today, text):
    for c in find_dates(text, today):
        assert c.has_year or c.date <= today
    found = find_date(text, today)
    assert found is None or found[0] <= today
    parse_date(text, today)


@SETTINGS
@given(crawl_dates, st.binary(max_size=600), any_text)
def test_arbitrary_pages_never_raise_nor_give_a_future_date(today, data, text):
    for page in (data, f"<html><body><h1>{text}</h1><p>发布时间：{text}</p></body></html>"):
        found = extract_detail_date(page, today, url=text)
        assert found.date is None or found.date <= today
