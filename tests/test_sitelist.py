"""The site list: YAML, CSV and Excel, flexible headers, and errors that name file and row."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from govspider.sitelist import SiteListError, load_sites, select_sites, stable_id


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_yaml_list_reads_every_field(tmp_path):
    path = write(
        tmp_path / "s.yaml",
        "sites:\n"
        "  - {id: xn, name: 咸宁市人民政府, url: www.xianning.gov.cn, group: 市级,"
        " extra_domains: [xxgk.xianning.gov.cn], skip: ['专题']}\n",
    )
    (site,) = load_sites(path)
    assert site.id == "xn"
    assert site.url == "http://www.xianning.gov.cn/"
    assert site.group == "市级"
    assert site.extra_domains == ("xxgk.xianning.gov.cn",)
    assert site.options["skip"] == ["专题"]


def test_csv_with_chinese_headers_in_gbk(tmp_path):
    path = write(
        tmp_path / "s.csv",
        "序号,单位名称,网站地址,县区/部门,网站标识码\n"
        "1,通山县人民政府,http://www.tongshan.gov.cn/,县区,4212240001\n",
        encoding="gbk",
    )
    (site,) = load_sites(path)
    assert (site.name, site.group, site.id) == ("通山县人民政府", "县区", "4212240001")


def test_excel_list_with_title_row_above_header(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年第四季度政府网站抽查名单"])
    ws.append(["序号", "单位名称", "网址", "分组"])
    ws.append([1, "市民政局", "http://mzj.example.gov.cn/", "市直部门"])
    ws.append([None, None, None, None])
    ws.append([2, "市财政局", "http://czj.example.gov.cn/", "市直部门"])
    wb.save(tmp_path / "s.xlsx")
    sites = load_sites(tmp_path / "s.xlsx")
    assert [s.name for s in sites] == ["市民政局", "市财政局"]


def test_id_is_stable_for_the_same_url():
    assert stable_id("http://A.gov.cn") == stable_id("http://a.gov.cn/")
    assert stable_id("http://a.gov.cn/") != stable_id("http://b.gov.cn/")


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ("1,市民政局,\n", "网址为空"),
        ("1,市民政局,ftp://x.gov.cn/\n", "协议"),
        ("1,市民政局,http://bad host/\n", "格式不正确"),
        ("1,市民政局,http://a.gov.cn/\n2,市民政局,http://b.gov.cn/\n", "单位名称重复"),
        ("1,,http://a.gov.cn/\n", "单位名称为空"),
    ],
)
def test_bad_rows_are_named_with_file_row_and_reason(tmp_path, rows, reason):
    path = write(tmp_path / "s.csv", "序号,单位名称,网址\n" + rows)
    with pytest.raises(SiteListError) as err:
        load_sites(path)
    message = str(err.value)
    assert reason in message
    assert f"{path}: 第" in message and "行" in message


def test_every_bad_row_is_reported_not_only_the_first(tmp_path):
    path = write(tmp_path / "s.csv", "单位名称,网址\nA,\nB,\nC,http://c.gov.cn/\n")
    with pytest.raises(SiteListError) as err:
        load_sites(path)
    assert "第2行" in str(err.value) and "第3行" in str(err.value)


def test_duplicate_ids_are_refused(tmp_path):
    path = write(
        tmp_path / "s.yaml",
        "- {id: a, name: 甲, url: http://a.gov.cn/}\n- {id: a, name: 乙, url: http://b.gov.cn/}\n",
    )
    with pytest.raises(SiteListError, match="站点编号重复"):
        load_sites(path)


def test_missing_required_header_is_named(tmp_path):
    path = write(tmp_path / "s.csv", "序号,单位名称\n1,市民政局\n")
    with pytest.raises(SiteListError, match="缺少必需列: 网址"):
        load_sites(path)


def test_unreadable_and_unknown_files(tmp_path):
    with pytest.raises(SiteListError, match="不存在"):
        load_sites(tmp_path / "nope.yaml")
    with pytest.raises(SiteListError, match="不支持的文件类型"):
        load_sites(write(tmp_path / "s.txt", "x"))
    with pytest.raises(SiteListError, match="YAML 格式错误"):
        load_sites(write(tmp_path / "s.yaml", "sites: [\n"))


def test_select_by_id_or_name(tmp_path):
    path = write(
        tmp_path / "s.yaml",
        "- {id: a, name: 甲局, url: http://a.gov.cn/}\n- {id: b, name: 乙局, url: http://b.gov.cn/}\n",
    )
    sites = load_sites(path)
    assert [s.id for s in select_sites(sites, "乙局")] == ["b"]
    assert [s.id for s in select_sites(sites, "a")] == ["a"]
    assert len(select_sites(sites, None)) == 2
    with pytest.raises(SiteListError, match="没有编号或名称为 c"):
        select_sites(sites, "c")


# Malformed lists from the field (issue 12): each is one clear error or a correct reading.


def test_excel_csv_in_gbk_with_a_utf8_bom_is_read(tmp_path):
    text = "序号,单位名称,网站地址\n1,通山县人民政府,www.tongshan.gov.cn\n"
    path = tmp_path / "s.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("gbk"))
    (site,) = load_sites(path)
    assert (site.name, site.url) == ("通山县人民政府", "http://www.tongshan.gov.cn/")


def test_utf8_bom_and_utf16_tab_separated_lists_are_read(tmp_path):
    text = "单位名称,网址\n市民政局,http://mzj.example.gov.cn/\n"
    bom = tmp_path / "bom.csv"
    bom.write_bytes(text.encode("utf-8-sig"))
    assert [s.name for s in load_sites(bom)] == ["市民政局"]
    tab = tmp_path / "tab.csv"
    tab.write_bytes(b"\xff\xfe" + text.replace(",", "\t").encode("utf-16-le"))
    assert [s.url for s in load_sites(tab)] == ["http://mzj.example.gov.cn/"]


@pytest.mark.parametrize("name", ["s.csv", "s.yaml", "s.xlsx"])
def test_an_empty_file_is_named_as_empty(tmp_path, name):
    path = write(tmp_path / name, "")
    with pytest.raises(SiteListError, match="文件为空") as err:
        load_sites(path)
    assert str(path) in str(err.value)


def test_a_csv_with_only_blank_lines_is_empty(tmp_path):
    with pytest.raises(SiteListError, match="文件为空"):
        load_sites(write(tmp_path / "s.csv", "\n\n  \n"))


def test_a_text_file_named_xlsx_is_refused_clearly(tmp_path):
    path = write(tmp_path / "s.xlsx", "单位名称,网址\n甲,http://a.gov.cn/\n")
    with pytest.raises(SiteListError, match="内容不是 Excel 文件") as err:
        load_sites(path)
    assert str(path) in str(err.value)


def test_an_old_xls_named_xlsx_and_a_damaged_xlsx_are_refused_clearly(tmp_path):
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(SiteListError, match="另存为 .xlsx"):
        load_sites(old)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\0" * 64)
    with pytest.raises(SiteListError, match="已损坏") as err:
        load_sites(broken)
    assert "Traceback" not in str(err.value)


def test_merged_cells_and_blank_rows_in_the_analysts_excel(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年第四季度抽查名单"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "县区", "单位名称", "网址"])
    ws.append([1, "通山县", "通山县民政局", "http://mz.ts.gov.cn/"])
    ws.append([2, None, "通山县财政局", "http://cz.ts.gov.cn/"])
    ws.merge_cells("B3:B4")  # one 县区 cell spans both rows
    ws.append([None, None, None, None])
    ws.append([3, None, None, None])  # a numbered but empty template row
    ws.append([4, "崇阳县", "崇阳县民政局", "mz.cy.gov.cn"])
    wb.save(tmp_path / "s.xlsx")
    sites = load_sites(tmp_path / "s.xlsx")
    assert [(s.group, s.name) for s in sites] == [
        ("通山县", "通山县民政局"),
        ("通山县", "通山县财政局"),
        ("崇阳县", "崇阳县民政局"),
    ]
    assert sites[2].url == "http://mz.cy.gov.cn/"


def test_excel_site_codes_stored_as_numbers_keep_their_digits(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["单位名称", "网址", "网站标识码"])
    ws.append(["甲", "http://a.gov.cn/", 4212240001.0])
    wb.save(tmp_path / "s.xlsx")
    assert load_sites(tmp_path / "s.xlsx")[0].id == "4212240001"


def test_unknown_headers_are_named_when_a_required_column_is_missing(tmp_path):
    path = write(tmp_path / "s.csv", "单位名称,网站网址址,备注\n甲,http://a.gov.cn/,x\n")
    with pytest.raises(SiteListError, match="未识别的列: 网站网址址、备注"):
        load_sites(path)


def test_unknown_extra_columns_are_ignored_when_the_required_ones_are_there(tmp_path):
    path = write(tmp_path / "s.csv", "单位名称,网址,联系人\n甲,http://a.gov.cn/,张三\n")
    assert [s.name for s in load_sites(path)] == ["甲"]


def test_an_unknown_yaml_key_is_named(tmp_path):
    path = write(tmp_path / "s.yaml", "- {name: 甲, url: http://a.gov.cn/, selector: x}\n")
    with pytest.raises(SiteListError, match="第1个站点: 未知的字段 selector"):
        load_sites(path)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://", "格式不正确"),
        ("http://a.gov.cn:99999/", "端口不正确"),
        ("javascript:alert(1)", "格式不正确"),
        ("localhost-only", "格式不正确"),
    ],
)
def test_invalid_urls_name_the_row(tmp_path, url, reason):
    path = write(tmp_path / "s.csv", f"单位名称,网址\n甲,{url}\n")
    with pytest.raises(SiteListError, match=reason) as err:
        load_sites(path)
    assert "第2行" in str(err.value)


def test_urls_without_a_scheme_or_with_stray_spaces_are_read(tmp_path):
    rows = "甲, www.a.gov.cn \n乙,\u200bb.gov.cn/index.html\n"
    path = write(tmp_path / "s.csv", "单位名称,网址\n" + rows)
    assert [s.url for s in load_sites(path)] == [
        "http://www.a.gov.cn/",
        "http://b.gov.cn/index.html",
    ]


def test_duplicate_urls_without_ids_are_refused(tmp_path):
    path = write(tmp_path / "s.csv", "单位名称,网址\n甲,http://a.gov.cn/\n乙,a.gov.cn\n")
    with pytest.raises(SiteListError, match="第3行: 站点编号重复"):
        load_sites(path)


def test_nothing_is_crawled_on_a_bad_list(tmp_path, capsys):
    from cli.main import main

    path = write(tmp_path / "s.csv", "单位名称,网址\n甲,\n")
    db = tmp_path / "g.db"
    code = main(["crawl", "--sites", str(path), "--db", f"sqlite:///{db}"])
    err = capsys.readouterr().err
    assert code != 0
    assert "第2行: 网址为空" in err and "Traceback" not in err
    assert not db.exists() or db.stat().st_size == 0 or _snapshot_count(db) == 0


def _snapshot_count(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        if "site_snapshot" not in tables:
            return 0
        return conn.execute("select count(*) from site_snapshot").fetchone()[0]
