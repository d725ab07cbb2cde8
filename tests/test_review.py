"""复核 round trip: the workbook's 复核 sheet filled in (as analysts do in Excel), imported
with `govspider review import`, and the next report leaves out the 误报, recomputes the
score, marks 属实 and lists the overruled finding in 监测说明; the decision carries over
to a later round while the evidence is unchanged and lapses when it changes."""

from __future__ import annotations

import dataclasses

import openpyxl
from test_analysis_report import entry, snap
from test_workbook import rows, workbook  # noqa: F401 - the shared fixture

from cli import exitcodes
from cli.main import main
from govspider.items import Column
from pipelines.db import make_engine, save_snapshot


def report(tmp, capsys, name: str, *extra: str):  # noqa: ANN001, ANN201
    out = tmp / name
    code = main(["report", "--db", f"sqlite:///{tmp / 'db.sqlite'}", "--as-of", "2019-05-20",
                 "--out", str(out), *extra])  # fmt: skip
    # the fixture's 市水利局 home page fails (HTTP 503): written, and exits INCOMPLETE
    assert code == exitcodes.INCOMPLETE, capsys.readouterr()
    capsys.readouterr()
    return openpyxl.load_workbook(out), out


def fill_review(path, decisions: dict[str, tuple[str, str, str]]) -> None:  # noqa: ANN001
    """Write 复核结论 / 说明 / 复核人 on the rows whose 问题 is a key, and save."""
    wb = openpyxl.load_workbook(path)
    ws = wb["复核"]
    for row in ws.iter_rows(min_row=2):
        if row[3].value in decisions:
            row[6].value, row[7].value, row[8].value = decisions[row[3].value]
    wb.save(path)


def scores(wb) -> dict[str, object]:  # noqa: ANN001
    return {r[1]: r[3] for r in rows(wb["抽查情况表"])[1:]}


def import_file(tmp, capsys, path) -> str:  # noqa: ANN001
    code = main(["review", "import", str(path), "--db", f"sqlite:///{tmp / 'db.sqlite'}",
                 "--now", "2019-05-21T09:00:00"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_review_round_trip(workbook, capsys) -> None:  # noqa: F811
    _, _, tmp = workbook
    wb, path = report(tmp, capsys, "r1.xlsx")
    assert rows(wb["复核"])[0] == ("复核编号", "单位名称", "指标", "问题", "扣分", "证据",
                                  "复核结论", "说明", "复核人")  # fmt: skip
    review = {r[3]: r for r in rows(wb["复核"])[1:]}
    assert review["领导班子、组织机构空白"][:2][1] == "市教育局"
    assert scores(wb)["市教育局"] == 82
    fill_review(path, {"领导班子、组织机构空白": ("误报", "两栏目为外链,内容在上级网站", "张三"),
                       "2周内首页栏目信息更新总量为0": ("属实", None, "李四")})  # fmt: skip
    out = import_file(tmp, capsys, path)
    assert "复核结论已导入: 2条(误报1条,属实1条)" in out

    wb, _ = report(tmp, capsys, "r2.xlsx")
    assert scores(wb)["市教育局"] == 92  # the 10 points of the blank columns given back
    texts = {(r[0], r[2]): r for r in rows(wb["扣分明细"])[1:]}
    assert ("市教育局", "领导班子、组织机构空白") not in texts
    assert texts[("市招商局", "2周内首页栏目信息更新总量为0")][5] == "属实"
    notes = [r for r in rows(wb["监测说明"])[1:] if r[0].startswith("复核改判")]
    why = "(复核人 张三 2019-05-21;两栏目为外链,内容在上级网站)"
    assert notes == [("复核改判(误报,未计入)", "市教育局:领导班子、组织机构空白" + why)]
    assert "领导班子、组织机构空白" not in {r[3] for r in rows(wb["复核"])[1:]}
    ratings = {r[1]: r[5] for r in rows(wb["评级汇总"])[1:]}
    assert ratings["市教育局"] == "A"

    # a later round, same evidence: the decision still holds
    engine = make_engine(f"sqlite:///{tmp / 'db.sqlite'}")
    blanks = [Column("领导班子", "http://b/ldbz", blank=True),
              Column("组织机构", "http://b/zzjg", blank=True)]  # fmt: skip
    home = [entry(2, i, "h") for i in range(12)]
    later = snap("b_ded", "市教育局", round="2019Q3", columns=blanks, home_entries=home)
    save_snapshot(engine, later)
    engine.dispose()
    wb, _ = report(tmp, capsys, "r3.xlsx", "--round", "2019Q3")
    assert not [r for r in rows(wb["扣分明细"])[1:] if r[2] == "领导班子、组织机构空白"]

    # the evidence changes (a third blank column): the decision lapses
    engine = make_engine(f"sqlite:///{tmp / 'db.sqlite'}")
    more = [*blanks, Column("机构职能", "http://b/jgzn", blank=True)]
    save_snapshot(engine, dataclasses.replace(later, columns=more))
    engine.dispose()
    wb, _ = report(tmp, capsys, "r4.xlsx", "--round", "2019Q3")
    texts = [r[2] for r in rows(wb["扣分明细"])[1:]]
    assert any(t.endswith("空白") and "机构职能" in t for t in texts)


def test_review_csv_errors_name_the_row(workbook, capsys, tmp_path) -> None:  # noqa: F811
    _, _, tmp = workbook
    bad = tmp_path / "复核.csv"
    bad.write_text("复核编号,复核结论,说明,复核人\nb_ded/blank_columns/abc,错了,,张三\n",
                   encoding="utf-8-sig")  # fmt: skip
    code = main(["review", "import", str(bad), "--db", f"sqlite:///{tmp / 'db.sqlite'}"])
    err = capsys.readouterr().err
    assert code == 2 and "第2行" in err and "误报 或 属实" in err
    good = tmp_path / "ok.csv"
    good.write_text("复核编号,复核结论,说明,复核人\nb_ded/blank_columns/abc,属实,,张三\n",
                    encoding="gb18030")  # fmt: skip
    assert "1条" in import_file(tmp, capsys, good)
