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
