"""Refuse snapshots that cannot be stored truthfully, with the site named in the reason."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from govspider.items import STATUS_FAILED, STATUS_OK, STATUS_PARTIAL, SiteSnapshot

STATUSES = {STATUS_OK, STATUS_PARTIAL, STATUS_FAILED}


def snapshot_problems(snap: SiteSnapshot) -> list[str]:
    """What is wrong with a snapshot; empty when it can be stored."""
    problems = []
    if not snap.site_id or not snap.site_name or not snap.home_url:
        problems.append("缺少站点编号、名称或首页地址")
    if not snap.round:
        problems.append("缺少监测轮次")
    if snap.crawled_at is None:
        problems.append("缺少抓取时间")
    if snap.status not in STATUSES:
        problems.append(f"未知的抓取状态 {snap.status!r}")
    for col in snap.columns:
        if not col.name or not col.url:
            problems.append(f"栏目缺少名称或地址: {col.url or col.name}")
        if col.status not in (STATUS_OK, STATUS_FAILED):
            problems.append(f"栏目 {col.name} 状态未知 {col.status!r}")
        # a failed column may keep the items it did read (evidence), but is never blank
        if col.status == STATUS_FAILED and col.blank:
            problems.append(f"栏目 {col.name} 抓取失败却记录为空白")
    return problems


class SnapshotValidationPipeline:
    def process_item(self, item: object) -> object:
        if not isinstance(item, SiteSnapshot):
            raise DropItem(f"不认识的条目类型 {type(item).__name__}")
        problems = snapshot_problems(item)
        if problems:
            raise DropItem(
                f"站点 {item.site_name}({item.home_url}) 的快照无效: " + ";".join(problems)
            )
        return item
