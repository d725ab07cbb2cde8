"""`govspider report` end to end on a stored round: the printed summary, the draft 通报
(read back with python-docx) and one unit's own workbook; every figure from the report."""

from __future__ import annotations

import re

import docx
import openpyxl
import pytest
from test_workbook import rows, workbook  # noqa: F401 - the shared fixture

from cli.main import main


def run_report(tmp, capsys, *extra: str, code_wanted: int = 1) -> str:  # noqa: ANN001
    """The fixture's 市水利局 cannot be scored (HTTP 503): the round's report exits 1."""
    code = main(["report", "--db", f"sqlite:///{tmp / 'db.sqlite'}", "--as-of", "2019-05-20",
                 "--out", str(tmp / "r.xlsx"), *extra])  # fmt: skip
    out = capsys.readouterr().out
    assert code == code_wanted, out
    return out


def test_report_prints_the_summary_and_writes_the_notice(workbook, capsys) -> None:  # noqa: F811
    _, _, tmp = workbook
    out = run_report(tmp, capsys, "--notice", str(tmp / "通报.docx"), "--warn-days", "30")
    assert "本轮抽查网站4个:评分3个,合格2个,不合格1个,监测失败1个;总体合格率66.67%。" in out
    worst = out.split("得分最低的网站:")[1].splitlines()[1:3]
    assert worst[0].split() == ["市招商局", "单项否决", "不合格"]
    assert worst[1].split() == ["市教育局", "82", "合格"]  # no link facts from the command line
    assert "监测报告已写入" in out and "通报草稿已写入" in out
    doc = docx.Document(str(tmp / "通报.docx"))
    text = [p.text for p in doc.paragraphs]
    assert "一、总体情况" in text and "二、存在的主要问题" in text
    # a 通报's text is in full-width punctuation, as the seed documents print it
    assert any("合格2个，不合格1个，总体合格率66.67%" in t for t in text)
    assert any(t.startswith("（一）首页长期未更新。涉及网站1个：市招商局") for t in text)
    assert any("多个栏目空白。涉及网站1个：市教育局" in t for t in text)
    assert not [t for t in text if re.search(r"[\u4e00-\u9fff][,;:]|[,;:][\u4e00-\u9fff]", t)]
    appendix = doc.tables[0]
    head = [c.text for c in appendix.rows[0].cells][:5]
    assert head == ["序号", "单位名称", "抽查发现的突出问题", "得分", "结果"]
    wb = openpyxl.load_workbook(tmp / "r.xlsx")
    table = rows(wb["抽查情况表"])
    assert [[c.text for c in r.cells][1] for r in appendix.rows[1:]] == [r[1] for r in table[1:]]
    assert [[c.text for c in r.cells][3] for r in appendix.rows[1:]] == [
        str(r[3]) for r in table[1:]
    ]
    listed = [[c.text for c in r.cells] for r in doc.tables[1].rows[1:]]
    assert listed == [["1", "市直部门", "市招商局", "首页长期未更新"]]
    # --warn-days 30: 市教育局's 工作动态 is already stale, 通山县's turns stale in 12 days
    # and 市招商局's (dated the day before) in 14
    assert [(r[0], r[7]) for r in rows(wb["即将超期"])[1:]] == [
        ("通山县人民政府", 12),
        ("市招商局", 14),
    ]


def test_unit_workbook(workbook, capsys) -> None:  # noqa: F811
    _, _, tmp = workbook
    out = run_report(tmp, capsys, "--unit", "市教育局", code_wanted=0)
    assert "市教育局 的自查表已写入" in out
    wb = openpyxl.load_workbook(tmp / "r.xlsx")
    assert {r[1] for r in rows(wb["抽查情况表"])[1:]} == {"市教育局"}
    names = {r[0] for r in rows(wb["扣分明细"])[1:]}
    assert names == {"市教育局"} and len(rows(wb["扣分明细"])) > 3
    assert {r[0] for r in rows(wb["栏目明细"])[1:]} == {"市教育局"}
    assert "即将超期" in wb.sheetnames


def test_unknown_unit_is_one_clear_error(workbook, capsys) -> None:  # noqa: F811
    _, _, tmp = workbook
    code = main(["report", "--db", f"sqlite:///{tmp / 'db.sqlite'}", "--as-of", "2019-05-20",
                 "--out", str(tmp / "x.xlsx"), "--unit", "市不存在局"])  # fmt: skip
    assert code == 2
    assert "市不存在局" in capsys.readouterr().err
    assert not (tmp / "x.xlsx").exists()


@pytest.mark.parametrize("bad", ["市教育局"])
def test_unit_into_a_folder(workbook, capsys, bad) -> None:  # noqa: F811
    _, _, tmp = workbook
    code = main(["report", "--db", f"sqlite:///{tmp / 'db.sqlite'}", "--as-of", "2019-05-20",
                 "--out", str(tmp / "units"), "--unit", bad])  # fmt: skip
    assert code == 0 and (tmp / "units" / f"自查-{bad}.xlsx").exists()
