"""Page checks measured from the real crawl of the demo farm, against the planted truth."""

from __future__ import annotations

from sqlalchemy import create_engine, select

from govspider.pagecheck import DOMAIN, MARK
from pipelines.models import PageFindingRow, SiteSnapshotRow

TEXT_KINDS = {"wording", "forbidden", "id_number", "mobile"}


def _rows(farm_crawl) -> dict[str, list[PageFindingRow]]:
    engine = create_engine(farm_crawl.db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(SiteSnapshotRow.site_id, PageFindingRow).join(
                PageFindingRow, PageFindingRow.snapshot_id == SiteSnapshotRow.id
            )
        ).all()
    out: dict[str, list] = {}
    for r in rows:
        out.setdefault(r.site_id, []).append(r)
    return out


def test_planted_text_faults_are_found_and_nothing_else(farm_crawl):
    rows = _rows(farm_crawl)
    wrong = []
    for sid, t in farm_crawl.truth.items():
        found = sorted({r.text for r in rows.get(sid, []) if r.kind in TEXT_KINDS})
        if found != sorted(t["page_hits"]):
            wrong.append((sid, found, t["page_hits"]))
    assert wrong == []
    assert any(t["page_hits"] for t in farm_crawl.truth.values())


def test_each_hit_carries_its_sentence_url_and_the_right_form(farm_crawl):
    rows = _rows(farm_crawl)
    justice = {r.text: r for r in rows["justice"] if r.kind == "wording"}
    hit = justice["中华人民共和国政府信息公开条列"]
    assert hit.correct == "中华人民共和国政府信息公开条例"
    assert hit.context == "根据《中华人民共和国政府信息公开条列》规定，现将有关事项公告如下。"
    base = farm_crawl.server.base_url("justice")
    column = next(c for c in farm_crawl.truth["justice"]["columns"] if c["name"] == "通知公告")
    assert hit.page_url == column["url"] and justice["开诚不公"].page_url == base
    personal = [r for r in rows["affairs"] if r.kind in {"id_number", "mobile"}]
    assert all("42010219850615123X" not in r.context for r in personal)
    assert all("13907191234" not in r.context for r in personal)


def test_site_marks_and_domain_as_the_footer_shows_them(farm_crawl):
    rows = _rows(farm_crawl)
    all_marks = {"id_code", "icp", "police", "party_gov"}
    for sid, t in farm_crawl.truth.items():
        if t["home_failed"]:
            assert not rows.get(sid), sid  # nothing read, nothing claimed
            continue
        shown = {r.text for r in rows[sid] if r.kind == MARK}
        assert all_marks - shown == set(t["marks_missing"]), sid
        (domain,) = [r.text for r in rows[sid] if r.kind == DOMAIN]
        assert domain == t["domain"], sid
