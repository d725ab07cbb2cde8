"""The one way the exporters write a cell: crawled text stays text, rows are counted.

A string that begins with = + - @, a tab or a carriage return is a formula to Excel (and
openpyxl stores any string beginning with = as one); such a string is written as a text
cell with the quote prefix, so a crawled title never runs. Rows are counted here, never
re-read from the sheet (`ws.max_row` scans every cell, which made the workbook quadratic).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from copy import copy

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
FONT_NAME = "宋体"  # shipped with every Chinese Office; LibreOffice falls back to a CJK font
BODY_FONT = Font(name=FONT_NAME, size=11)
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
LINK_FONT = Font(name=FONT_NAME, size=11, color="0563C1", underline="single")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FAIL_FILL = PatternFill("solid", fgColor="FCE4D6")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
MAX_WIDTH = 60
SEEN_CELLS = 200_000  # bulk sheets remember this many distinct cells' XML at most
# Excel holds at most 65,530 hyperlinks in a worksheet (a 10,000-site 栏目明细 has 600,000
# URLs): beyond that a URL is written as plain text, and 监测说明 says from which row
HYPERLINK_LIMIT = 65_530
_WIDE = re.compile("[\u2e80-\U0010ffff]")  # ord(ch) > 0x2E7F
# what a Sheet, and the spool of a bulk one, count while rows are written (Sheet.tally)
_TALLY = ("rows", "_seen", "links_made", "links_unmade", "first_unlinked_row")
_BULK_TALLY = ("links", "last_row", "max_col")


def is_formula_like(value: object) -> bool:
    """True for a string that a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_safe(value: object) -> object:
    """A CSV field that a spreadsheet opens as text: a leading ' before a formula start."""
    return f"'{value}" if is_formula_like(value) else value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text field made safe for a spreadsheet (see csv_safe)."""
    out = frame.copy()
    for name in out.columns:
        # pandas may hold text as object or as its string dtype: both need the guard
        if pd.api.types.is_object_dtype(out[name]) or pd.api.types.is_string_dtype(out[name]):
            out[name] = out[name].map(csv_safe)
    return out


def plain(value: object) -> object:
    """A value a cell can hold: NaN -> empty, numpy scalars -> Python, dates stay dates."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | dt.date):
        return value.item()
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses
    return value


def _width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return len(text) + len(_WIDE.findall(text))  # a CJK character is two wide


class Sheet:
    """One worksheet written row by row with a bold frozen header, filter and print set-up.

    wrap: 1-based columns of long text; links: columns whose value is a URL; dates:
    columns holding dates (written as real dates). bulk: the data rows are spooled as XML
    (exports.bulk) instead of kept as openpyxl cells, for the large sheets; such a
    workbook must be written with exports.bulk.save, and its data cells cannot be read
    back from `ws` before that.
    """

    def __init__(
        self,
        wb: Workbook,
        title: str,
        headers: Sequence[str],
        widths: Sequence[int],
        *,
        wrap: Iterable[int] = (),
        links: Iterable[int] = (),
        dates: Iterable[int] = (),
        bulk: bool = False,
    ) -> None:
        self.ws = wb.create_sheet(title)
        self.headers = list(headers)
        self.rows = 0  # data rows written
        self.links_made = self.links_unmade = 0  # URLs written as hyperlinks / as text
        self.first_unlinked_row = 0  # the first row with a URL left as text (0: none)
        self._min = list(widths)
        self._seen = [_width(h) + 2 for h in headers]
        self._wrap, self._links, self._dates = set(wrap), set(links), set(dates)
        self._wrap_order = sorted(self._wrap)
        self._pending: list[tuple[Cell, str]] = []
        self._styles: dict[tuple, object] = {}
        self._style_ids: dict[tuple, int] = {}
        self._seen_cells: dict[tuple, str] = {}  # bulk: (column, fill, type, value) -> XML
        self._put([self._cell(h, i, header=True) for i, h in enumerate(self.headers, 1)])
        self.ws.freeze_panes = "A2"
        self._bulk = None
        if bulk:
            from exports.bulk import BulkRows

            self._bulk = self.ws._bulk_rows = BulkRows(self.ws)

    def _prepare(self, value: object, col: int, header: bool, fill: bool) -> tuple:
        """(the cell value, its style key, whether it is a hyperlink), widths tracked."""
        value = plain(value)
        if isinstance(value, dt.datetime):
            value = value.replace(tzinfo=None)
        formula_like = is_formula_like(value)
        link = (
            col in self._links
            and isinstance(value, str)
            and value.startswith(("http://", "https://"))
        )
        if link and not header:
            if self.links_made >= HYPERLINK_LIMIT:
                link = False
                self.links_unmade += 1
                self.first_unlinked_row = self.first_unlinked_row or self.rows + 2
            else:
                self.links_made += 1
        key = (header, fill, formula_like, isinstance(value, dt.date), col in self._wrap, link)
        if not header and col <= len(self._seen):
            self._seen[col - 1] = max(self._seen[col - 1], _width(value) + 2)
        return value, key, link

    def _cell(self, value: object, col: int, header: bool = False, fill: bool = False) -> Cell:
        value, key, link = self._prepare(value, col, header, fill)
        cell = Cell(self.ws, value=value)
        if key[2]:  # formula-like
            cell.data_type = "s"  # text, not a formula
        if link:
            self._pending.append((cell, value))  # a hyperlink needs the cell's coordinate
        style = self._styles.get(key)
        if style is None:  # set once per combination; hashing styles per cell is slow
            self._style(cell, *key)
            self._styles[key] = copy(cell._style)
        else:
            cell._style = copy(style)
        return cell

    def _bulk_cell(self, value: object, col: int, fill: bool) -> tuple[str, str | None]:
        """(the XML, the hyperlink) of a data cell of a bulk sheet (exports.bulk)."""
        cacheable = col not in self._links
        if cacheable:
            try:  # a value seen before in this column: same XML, width already counted
                key = (col, fill, type(value), value)
                return self._seen_cells[key], None
            except KeyError:
                pass
            except TypeError:  # unhashable: written, not remembered
                cacheable = False
        value, style_key, link = self._prepare(value, col, False, fill)
        style = self._style_ids.get(style_key)
        if style is None:  # the style openpyxl would give the cell, registered once
            cell = Cell(self.ws, value=value)
            self._style(cell, *style_key)
            style = self._style_ids[style_key] = cell.style_id
        xml = self._bulk.cell(value, style)
        if cacheable:
            if len(self._seen_cells) >= SEEN_CELLS:
                self._seen_cells.clear()
            self._seen_cells[key] = xml
        return xml, value if link else None

    @staticmethod
    def _style(cell: Cell, header: bool, fill: bool, quoted: bool, date: bool, wrap: bool,
               link: bool) -> None:  # fmt: skip
        if header:
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            return
        cell.font = LINK_FONT if link else BODY_FONT
        cell.alignment = WRAP if wrap else TOP
        if fill:
            cell.fill = FAIL_FILL
        if quoted:
            cell.quotePrefix = True  # Excel keeps the text as text when the cell is edited
        if date:
            cell.number_format = DATE_FORMAT

    def _put(self, cells: list[Cell]) -> None:
        self.ws.append(cells)
        for cell, url in self._pending:
            cell.hyperlink = url
        self._pending.clear()

    def append(self, values: Sequence[object], highlight: bool = False) -> int:
        """Write one data row; returns its sheet row number."""
        lines = max(
            (self._lines(i, values[i - 1]) for i in self._wrap_order if i <= len(values)),
            default=1,
        )
        # wrapped text: a row tall enough (spreadsheets do not always grow it)
        height = 14.5 * min(lines, 12) if lines > 1 else None
        row = self.rows + 2
        if self._bulk is not None:
            cells = [self._bulk_cell(v, i, highlight) for i, v in enumerate(values, 1)]
            self._bulk.add(row, cells, height)
        else:
            self._put([self._cell(v, i, fill=highlight) for i, v in enumerate(values, 1)])
            if height is not None:
                self.ws.row_dimensions[row].height = height
        self.rows += 1
        return row

    def tally(self) -> dict:
        """What writing rows has counted, the spool's included: row count, column widths,
        hyperlinks (a forked child hands it back to the parent, exports.forked)."""
        out = {name: getattr(self, name) for name in _TALLY}
        if self._bulk is not None:
            out.update({f"bulk.{name}": getattr(self._bulk, name) for name in _BULK_TALLY})
        return out

    def resume(self, tally: dict) -> None:
        """Take over a tally() made where the rows were written."""
        for name, value in tally.items():
            owner, _, attr = name.rpartition(".")
            setattr(self._bulk if owner else self, attr, value)

    def _lines(self, col: int, value: object) -> int:
        width = self._min[col - 1] if col <= len(self._min) else MAX_WIDTH
        text = "" if value is None else str(value)
        return sum(-(-_width(part) // max(width - 1, 1)) or 1 for part in text.split("\n"))

    def finish(self, autofilter: bool = True) -> None:
        """Widths that fit (within bounds), the autofilter and the print set-up."""
        ws = self.ws
        for i, (low, seen) in enumerate(zip(self._min, self._seen, strict=False), start=1):
            # wrapped text keeps its designed width; other text fits up to MAX_WIDTH
            fit = min(seen, low) if i in self._wrap else min(max(seen, 6), max(low, MAX_WIDTH))
            ws.column_dimensions[get_column_letter(i)].width = fit
        last = get_column_letter(len(self.headers))
        if autofilter:
            ws.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = True
        ws._govspider_unlinked = (self.links_unmade, self.first_unlinked_row)  # 监测说明


def unlinked_notes(wb: Workbook) -> list[tuple[str, str]]:
    """监测说明 rows for the sheets whose URLs went past Excel's hyperlink limit."""
    out = []
    for ws in wb.worksheets:
        count, row = getattr(ws, "_govspider_unlinked", (0, 0))
        if count:
            out.append((f"{ws.title}超链接", f"Excel每个工作表最多{HYPERLINK_LIMIT}个超链接,"
                        f"自第{row}行起的{count}个网址以文本列出(可复制打开)"))  # fmt: skip
    return out
