"""What a column with no items is: blank only on what the page showed, else not judged."""

from __future__ import annotations

from govspider.extract.base import ColumnPage
from govspider.items import KIND_PAGE, STATUS_FAILED, Column

UNDATED = "日期未识别:列表和详情页均未显示可识别的发布日期"
UNREAD = "未识别到列表:页面既无条目也无“暂无信息”类提示,页面结构无法识别"
UNRENDERED = "列表为空但页面加载的脚本可能填充列表,未能渲染确认"


def settle_empty(column: Column, page: ColumnPage, url: str) -> None:
    """Blank, a single page, or 监测失败, for a column whose list holds no items.

    A 空白 finding quotes what was seen and where; a layout we do not understand is our
    failure, never the site's.
    """
    # the evidence names the page it was seen on when that is not the column's own URL
    where = "" if url == column.url else f",见 {url}"
    if column.placeholder:
        column.blank = True
        column.blank_evidence = f"页面显示“{column.placeholder}”{where}"
    elif page.kind == KIND_PAGE:
        column.kind = KIND_PAGE
        column.page_date = page.page_date
    elif page.empty_container and (column.rendered or not page.script_files):
        # seen empty after the browser ran the scripts, or no script could fill it
        column.blank = True
        column.blank_evidence = f"列表为空{where}"
    elif page.empty_container:
        column.status = STATUS_FAILED
        column.error = UNRENDERED
    else:
        column.status = STATUS_FAILED
        column.error = UNREAD
