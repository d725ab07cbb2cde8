"""Page text checks: wording errors, forbidden words, personal data, site marks."""

from __future__ import annotations

from parsel import Selector

from govspider.pagecheck import (
    CHECKED,
    DOMAIN,
    FORBIDDEN,
    ID_NUMBER,
    MARK,
    MOBILE,
    WORDING,
    check_page,
    check_text,
    id_number_valid,
    mask,
    site_marks,
    terms,
)

URL = "http://127.0.0.1:8000/xxgk/t1.html"


def _id_with_check(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def test_every_wrong_form_is_found_with_its_sentence_and_url():
    for term in terms():
        text = f"会议指出，要{term.word}地推进工作。下一句。"
        hits = [h for h in check_text(text, URL) if h.text == term.word]
        assert len(hits) == 1, term.word
        assert hits[0].page_url == URL
        assert hits[0].context == f"会议指出，要{term.word}地推进工作。"
        assert hits[0].kind in {WORDING, FORBIDDEN}


def test_pages_with_only_the_correct_forms_produce_no_hit():
    rights = [t.right for t in terms() if t.kind == WORDING]
    assert "开诚布公" in rights and "中华人民共和国政府信息公开条例" in rights
    text = "。".join(f"依据{r}开展工作" for r in rights) + "。坚决打击博彩平台违法犯罪。"
    assert check_text(text, URL) == []


def test_wording_error_reports_the_right_form():
    (hit,) = check_text("根据《中华人民共和国政府信息公开条列》规定，现予公开。", URL)
    assert hit.kind == WORDING
    assert hit.correct == "中华人民共和国政府信息公开条例"
    assert hit.note == "法规名称错误"


def test_id_numbers_need_a_valid_check_digit_and_are_masked():
    good = _id_with_check("42010219800101123")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert id_number_valid(good) and not id_number_valid(bad)
    assert not id_number_valid(_id_with_check("42010219801301123"))  # month 13
    hits = check_text(f"申请人张三，身份证号{good}，另{bad}。", URL)
    assert [h.kind for h in hits] == [ID_NUMBER]
    assert hits[0].text == mask(good) == good[:6] + "********" + good[-4:]
    assert good not in hits[0].context and mask(good) in hits[0].context


def test_mobile_numbers_are_masked_and_landlines_are_not_numbers():
    hits = check_text("联系人李四，手机13812345678，电话0719-8123456，编号201912345678901。", URL)
    assert [(h.kind, h.text) for h in hits] == [(MOBILE, "138****5678")]
    assert "13812345678" not in hits[0].context


FOOTER = """<html><head><meta name="SiteDomain" content="www.jc.gov.cn"></head><body>
<div class="footer"><p>网站标识码：4201000001
<a href="https://beian.miit.gov.cn/">鄂ICP备12345678号-1</a>
<a href="http://www.beian.gov.cn/x"><img src="/ga.png">鄂公网安备 42010002000123号</a></p>
<p><a href="https://bszs.conac.cn/sitename?id=1"><img src="/dzjg.png"></a></p></div>
</body></html>"""


def test_site_marks_of_a_complete_footer():
    found = site_marks(Selector(text=FOOTER), "http://127.0.0.1:9000/")
    marks = {f.text for f in found if f.kind == MARK}
    assert marks == {"id_code", "icp", "police", "party_gov"}
    (domain,) = [f for f in found if f.kind == DOMAIN]
    assert domain.text == "www.jc.gov.cn" and domain.context == "页面SiteDomain标记"


def test_missing_marks_are_not_reported_as_present():
    page = "<html><body><p>主办单位：某局 网站标识码：待申请</p></body></html>"
    found = site_marks(Selector(text=page), "http://jcj.example.com/")
    assert [f.kind for f in found] == [CHECKED, DOMAIN]
    assert found[1].text == "jcj.example.com" and found[1].context == "网址"


def test_scripts_are_not_page_text():
    page = "<html><body><script>var a='开诚不公';</script><p>开诚布公</p></body></html>"
    assert check_page(Selector(text=page), URL) == []
