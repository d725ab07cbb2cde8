"""List-item dates: parse_date (a date cell) and find_date (a whole list item)."""

import datetime as dt

import pytest

from govspider.clock import crawl_now
from govspider.dates import find_date, parse_date, resolve_yearless

D = dt.date
TODAY = D(2024, 6, 15)
NEW_YEAR = D(2026, 1, 5)  # just after New Year: December dates belong to last year
YEAR_END = D(2025, 12, 30)  # just before New Year: January dates belong to this year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-05-20", D(2019, 5, 20)),
        ("2019-5-2", D(2019, 5, 2)),
        ("2019年5月20日", D(2019, 5, 20)),
        ("2019年05月20日", D(2019, 5, 20)),
        ("2019 年 5 月 20 日", D(2019, 5, 20)),
        ("2019/5/20", D(2019, 5, 20)),
        ("2019/05/20", D(2019, 5, 20)),
        ("2019.05.20", D(2019, 5, 20)),
        ("[2019-05-20]", D(2019, 5, 20)),
        ("(2019.05.20)", D(2019, 5, 20)),
        ("【2019-05-20】", D(2019, 5, 20)),
        ("（2019-05-20）", D(2019, 5, 20)),
        ("  2019-05-20\n", D(2019, 5, 20)),
        ("发布时间：2019-05-20", D(2019, 5, 20)),
    ],
)
def test_parse_date_full_formats(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-20 17:00", D(2024, 5, 20)),
        ("2024-05-20 17:00:01", D(2024, 5, 20)),
        ("2024-05-20T17:00:01+08:00", D(2024, 5, 20)),
        ("2024年5月20日 17:00", D(2024, 5, 20)),
        ("2024年05月20日17:00", D(2024, 5, 20)),
        ("2024年5月20日17时30分", D(2024, 5, 20)),
        ("[05-20 17:00]", D(2024, 5, 20)),
    ],
)
def test_parse_date_with_time(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２４－０５－２０", D(2024, 5, 20)),
        ("２０２４／５／２０", D(2024, 5, 20)),
        ("２０２４年５月２０日", D(2024, 5, 20)),
        ("［０５－２０］", D(2024, 5, 20)),
    ],
)
def test_parse_date_full_width(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二〇二四年五月二十日", D(2024, 5, 20)),
        ("二〇二四年十二月三十一日", D(2024, 12, 31)),
        ("二〇一九年十月一日", D(2019, 10, 1)),
        ("二零二三年二月十九日", D(2023, 2, 19)),
        ("二〇二四年五月十日", D(2024, 5, 10)),
    ],
)
def test_parse_date_chinese_numerals(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[05-20]", D(2024, 5, 20)),
        ("05-20", D(2024, 5, 20)),
        ("5月20日", D(2024, 5, 20)),
        ("(06-15)", D(2024, 6, 15)),  # today
        ("06-16", D(2023, 6, 16)),  # tomorrow is after the crawl date: last year
        ("06-17", D(2023, 6, 17)),  # would be in the future: last year
        ("12-28", D(2023, 12, 28)),
    ],
)
def test_parse_date_yearless(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("12-28", NEW_YEAR, D(2025, 12, 28)),
        ("[12-31]", NEW_YEAR, D(2025, 12, 31)),
        ("01-05", NEW_YEAR, D(2026, 1, 5)),
        ("01-06", NEW_YEAR, D(2025, 1, 6)),  # not yet come this year
        ("01-07", NEW_YEAR, D(2025, 1, 7)),
        ("12-29", YEAR_END, D(2025, 12, 29)),
        ("12-31", YEAR_END, D(2024, 12, 31)),  # tomorrow: last year's
        ("01-02", YEAR_END, D(2025, 1, 2)),
        ("12月31日", D(2026, 1, 1), D(2025, 12, 31)),
        ("01-01", D(2025, 12, 31), D(2025, 1, 1)),  # never next year
        ("01-03", D(2026, 1, 3), D(2026, 1, 3)),
        ("12月30日", D(2026, 1, 3), D(2025, 12, 30)),
        ("[12-30]", D(2026, 1, 3), D(2025, 12, 30)),
    ],
)
def test_parse_date_yearless_near_new_year(text, today, expected):
    assert parse_date(text, today) == expected


@pytest.mark.parametrize("today", [D(2024, 1, 1), D(2025, 6, 30), NEW_YEAR, YEAR_END])
@pytest.mark.parametrize("text", ["01-01", "06-30", "07-01", "12-31", "[02-28]", "3月1日"])
def test_yearless_never_after_the_crawl_date(text, today):
    assert parse_date(text, today) <= today


def test_yearless_feb_29_goes_back_to_a_leap_year():
    assert parse_date("[02-29]", D(2025, 3, 1)) == D(2024, 2, 29)


def test_resolve_yearless_rejects_impossible_day():
    assert resolve_yearless(2, 30, TODAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "2024-04-31",
        "2024年2月30日",
        "[02-30]",
        "13-01",
        "二〇二四年二月三十日",
    ],
)
def test_parse_date_rejects_impossible_dates(text):
    assert parse_date(text, TODAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "暂无信息",
        "关于印发2025年工作计划的通知",
        "2024年5月",
        "2024",
        "17:00",
        "24-05-20",  # two-digit year: ambiguous (yy-mm-dd or mm-dd-yy), rejected
        "3.14",
        "第1/2页",
        "联系电话：0710-8123456",
    ],
)
def test_parse_date_none(text):
    assert parse_date(text, TODAY) is None


def test_parse_date_full_date_is_kept_as_written_even_in_future():
    assert parse_date("2030-01-01", TODAY) == D(2030, 1, 1)


def test_parse_date_compact_cell():
    assert parse_date("20240520", TODAY) == D(2024, 5, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昨天", D(2024, 6, 14)),
        ("3天前", D(2024, 6, 12)),
        ("前天", D(2024, 6, 13)),
        ("May 20, 2024", D(2024, 5, 20)),
    ],
)
def test_parse_date_dateparser_fallback(text, expected):
    assert parse_date(text, TODAY) == expected


# ------------------------------------------------------------------ find_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("关于开展2024年安全生产检查的通知 2024-05-20", D(2024, 5, 20)),
        ("关于开展安全生产检查的通知 [05-20]", D(2024, 5, 20)),
        ("关于开展安全生产检查的通知 (2024.05.20)", D(2024, 5, 20)),
        ("关于开展安全生产检查的通知 2024年5月20日", D(2024, 5, 20)),
        ("关于开展安全生产检查的通知\n2024/05/20", D(2024, 5, 20)),
        ("·关于开展安全生产检查的通知【05-20】", D(2024, 5, 20)),
        ("关于开展安全生产检查的通知 05-20", D(2024, 5, 20)),
        ("关于开展安全生产检查的通知 ２０２４－０５－２０", D(2024, 5, 20)),
        ("区政府召开常务会议 2024-05-20 17:00", D(2024, 5, 20)),
    ],
)
def test_find_date_list_items(text, expected):
    assert find_date(text, TODAY)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The list date follows the title; a date inside the title is an event date.
        ("关于2024年5月1日起调整公交线路的通知 2024-04-25", D(2024, 4, 25)),
        ("关于2024年5月1日起调整公交线路的通知 [04-25]", D(2024, 4, 25)),
        ("2024-04-20会议纪要 2024-04-25", D(2024, 4, 25)),
        ("关于2024年5月20日至25日举办培训的通知 2024年5月18日", D(2024, 5, 18)),
        # A date standing alone beats one glued into the title.
        ("2024年5月1日起施行的新规解读 [04-28]", D(2024, 4, 28)),
    ],
)
def test_find_date_prefers_the_list_date(text, expected):
    assert find_date(text, TODAY)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "关于印发2025年工作计划的通知",
        "2024年5月工作简报",
        "2024年第5期工作简报",
        "咸政发〔2019〕12号",
        "关于转发鄂政办发〔2024〕5号文件的通知",
        "联系电话：0710-8123456",
        "咨询电话 0710-8123456",
        "关于5月20日停电的通知",
        "第12-15条修订说明",
        "价格 12.25 元",
        "暂无信息",
        "",
    ],
)
def test_find_date_title_traps_give_none(text):
    assert find_date(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("咸政发〔2019〕12号 关于印发实施方案的通知 2019-05-20", D(2019, 5, 20)),
        ("联系电话：0710-8123456 [05-20]", D(2024, 5, 20)),
        ("鄂政发〔2024〕5号 2024年5月工作要点 05-20", D(2024, 5, 20)),
    ],
)
def test_find_date_ignores_numbers_but_finds_list_date(text, expected):
    assert find_date(text, TODAY)[0] == expected


def test_find_date_returns_matched_substring():
    assert find_date("关于开展安全检查的通知 [2024-05-20]", TODAY)[1] == "2024-05-20"


def test_find_date_substring_is_from_original_full_width_text():
    assert find_date("通知 ２０２４－０５－２０", TODAY)[1] == "２０２４－０５－２０"


def test_find_date_skips_future_full_date():
    assert find_date("关于2030年1月1日起施行新标准的通知 2030-01-01", TODAY) is None


def test_find_date_yearless_near_new_year():
    assert find_date("年终总结会召开 [12-30]", NEW_YEAR)[0] == D(2025, 12, 30)


def test_find_date_relative_fallback():
    assert find_date("区长调研重点项目 3天前", TODAY)[0] == D(2024, 6, 12)


def test_crawl_now_is_beijing_time():
    # 20:00 UTC on 30 June is already 1 July in China: items dated 07-01 are not future
    assert crawl_now("2026-06-30T20:00:00+00:00") == dt.datetime(2026, 7, 1, 4, 0)
    assert crawl_now("2026-06-30T10:00:00") == dt.datetime(2026, 6, 30, 10, 0)
    wall = crawl_now()
    utc = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert abs((wall - utc) - dt.timedelta(hours=8)) < dt.timedelta(minutes=1)
