"""The site list (监测名单): YAML, CSV or the analysts' Excel list, validated on load.

Longer than 300 lines: each file format's quirks (Excel's CSV encodings, merged cells,
renamed files) sit next to the row checks, so every error names file, row and reason alike.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

# Header aliases, matched after stripping spaces and case: the first alias is the canonical key.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "site_id", "编号", "站点编号"),
    "seq": ("序号", "seq", "no"),
    "name": ("name", "单位名称", "网站名称", "单位", "名称"),
    "url": ("url", "网址", "网站地址", "首页地址", "首页网址", "域名"),
    "group": ("group", "分组", "县区/部门", "县区", "部门", "类别"),
    "code": ("code", "网站标识码", "标识码"),
    "extra_domains": ("extra_domains", "其他域名", "附加域名", "extra domains"),
    "cms": ("cms", "建站系统", "cms系统"),
}
REQUIRED = ("name", "url")
SITE_OPTION_KEYS = {
    "selectors", "categories", "skip", "not_columns", "render", "max_depth", "overrides",
}  # fmt: skip


class SiteListError(ValueError):
    """A site list that cannot be used; the message names the file, row and reason."""


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    url: str
    group: str = ""
    code: str = ""
    extra_domains: tuple[str, ...] = ()
    cms: str = ""
    # per-site overrides: selectors, column categories, columns to skip, rendering
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def hosts(self) -> set[str]:
        """host:port pairs (and extra domains) that count as this site."""
        parts = urlsplit(self.url)
        return {parts.netloc.lower(), *(d.lower() for d in self.extra_domains)}


def _norm_header(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or "")).lower()


_ALIAS_INDEX = {_norm_header(a): key for key, aliases in HEADER_ALIASES.items() for a in aliases}


def normalise_url(url: str) -> str:
    """A home URL with a scheme, lower-case host and at least '/' as path."""
    url = re.sub(r"[\u200b\ufeff]", "", url).strip()
    if url and "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def stable_id(url: str) -> str:
    """An id that stays the same as long as the home URL does."""
    parts = urlsplit(normalise_url(url))
    host = re.sub(r"[^a-z0-9]+", "-", parts.netloc).strip("-")
    digest = hashlib.sha1(normalise_url(url).encode()).hexdigest()[:6]
    return f"{host}-{digest}"


def _split_domains(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    items = value if isinstance(value, list | tuple) else re.split(r"[,，;；\s]+", str(value))
    return tuple(d.strip().lower() for d in items if str(d).strip())


def _check_url(url: str) -> str | None:
    """The reason a URL is unusable, or None."""
    if not url:
        return "网址为空"
    parts = urlsplit(normalise_url(url))
    if parts.scheme not in ("http", "https"):
        return f"网址协议不是 http/https: {url}"
    if (
        not parts.hostname
        or " " in url.strip()
        or ("." not in parts.hostname and parts.hostname != "localhost")
    ):
        return f"网址格式不正确: {url}"
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return f"网址端口不正确: {url}"
    return None


def _rows_from_yaml(path: Path, text: str) -> list[tuple[int, dict]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SiteListError(f"{path}: YAML 格式错误: {exc}") from exc
    if data is None:
        raise SiteListError(f"{path}: 文件为空")
    if isinstance(data, dict):
        data = data.get("sites")
    if not isinstance(data, list):
        raise SiteListError(f"{path}: 应为站点列表(或 sites: 下的列表)")
    rows = []
    for i, row in enumerate(data, start=1):
        if not isinstance(row, dict):
            raise SiteListError(f"{path}: 第{i}个站点: 应为键值对")
        unknown = [str(k) for k in row if _ALIAS_INDEX.get(_norm_header(k)) is None]
        unknown = [k for k in unknown if k not in SITE_OPTION_KEYS]
        if unknown:
            raise SiteListError(f"{path}: 第{i}个站点: 未知的字段 {'、'.join(unknown)}")
        rows.append((i, row))
    return rows


def _rows_from_table(path: Path, table: list[list[Any]]) -> list[tuple[int, dict]]:
    """Rows of a CSV/Excel sheet; the header row may sit below a title row."""
    for header_idx, header in enumerate(table[:10]):  # noqa: B007 - used after the loop
        keys = [_ALIAS_INDEX.get(_norm_header(h)) for h in header]
        if "name" in keys or "url" in keys:
            break
    else:
        raise SiteListError(f"{path}: 找不到表头(需要 单位名称 和 网址/网站地址 两列)")
    missing = [k for k in REQUIRED if k not in keys]
    if missing:
        names = {"name": "单位名称", "url": "网址 或 网站地址"}
        unknown = [str(h).strip() for h, k in zip(header, keys, strict=False) if h and not k]
        hint = f";未识别的列: {'、'.join(unknown)}" if unknown else ""
        raise SiteListError(
            f"{path}: 第{header_idx + 1}行表头缺少必需列: "
            f"{'、'.join(names[m] for m in missing)}{hint}"
        )
    rows = []
    for line_no, values in enumerate(table[header_idx + 1 :], start=header_idx + 2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {k: v for k, v in zip(keys, values, strict=False) if k}
        if not any(str(row.get(k) or "").strip() for k in HEADER_ALIASES if k != "seq"):
            continue  # a numbered but empty row of the analysts' template
        rows.append((line_no, row))
    return rows


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old .xls (and other Office 97 files)
BOMS = ((b"\xef\xbb\xbf", None), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _read_excel(path: Path) -> list[list[Any]]:
    """The first sheet's cells; a merged range's value is copied into each of its cells."""
    from openpyxl import load_workbook

    head = path.read_bytes()[:8]
    if not head:
        raise SiteListError(f"{path}: 文件为空")
    if head.startswith(OLE_MAGIC):
        raise SiteListError(f"{path}: 这是旧版 .xls 文件,请在 Excel 中另存为 .xlsx 后再用")
    if not head.startswith(ZIP_MAGIC):
        raise SiteListError(f"{path}: 扩展名是 .xlsx,但内容不是 Excel 文件(可能是改了扩展名)")
    try:
        ws = load_workbook(path, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SiteListError(f"{path}: Excel 文件已损坏,无法读取({type(exc).__name__})") from exc
    table = [list(r) for r in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = table[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                table[r][c] = value
    return table


def _decode(path: Path, raw: bytes) -> str:
    """Text of a CSV saved by Excel or an editor: UTF-8 or GBK, with or without a BOM."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            raw = raw[len(bom) :]
            if encoding:
                try:
                    return raw.decode(encoding)
                except UnicodeDecodeError as exc:
                    raise SiteListError(f"{path}: 无法识别文件编码(UTF-16 内容有误)") from exc
            break  # a UTF-8 BOM in front of GBK text happens too: try both below
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SiteListError(f"{path}: 无法识别文件编码(应为 UTF-8 或 GBK)")


def _read_table(path: Path) -> list[list[Any]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_excel(path)
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise SiteListError(f"{path}: 文件为空")
    first = text.splitlines()[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _cell(value: Any) -> Any:
    """An Excel number such as a site code (4212240001.0) as the text the analyst typed."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _site_from_row(row: dict, where: str) -> tuple[Site | None, list[str]]:
    clean = {(_ALIAS_INDEX.get(_norm_header(k)) or k): _cell(v) for k, v in row.items()}
    errors = []
    name = str(clean.get("name") or "").strip()
    url = str(clean.get("url") or "").strip()
    if not name:
        errors.append(f"{where}: 单位名称为空")
    problem = _check_url(url)
    if problem:
        errors.append(f"{where}: {problem}")
    if errors:
        return None, errors
    home = normalise_url(url)
    site_id = str(clean.get("id") or clean.get("code") or "").strip() or stable_id(home)
    if not re.fullmatch(r"[A-Za-z0-9_.\-]+", site_id):
        return None, [f"{where}: 站点编号只能含字母、数字、下划线、点和连字符: {site_id}"]
    options = {k: v for k, v in clean.items() if k in SITE_OPTION_KEYS}
    site = Site(
        id=site_id,
        name=name,
        url=home,
        group=str(clean.get("group") or "").strip(),
        code=str(clean.get("code") or "").strip(),
        extra_domains=_split_domains(clean.get("extra_domains")),
        cms=str(clean.get("cms") or "").strip().lower(),
        options=options,
    )
    return site, []


def load_sites(path: str | Path) -> list[Site]:
    """Read and validate a site list; raise SiteListError naming every bad row."""
    path = Path(path)
    if not path.is_file():
        raise SiteListError(f"{path}: 文件不存在或无法读取")
    if path.stat().st_size == 0:
        raise SiteListError(f"{path}: 文件为空")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        rows = _rows_from_yaml(path, _decode(path, path.read_bytes()))
        kind = "个站点"
    elif suffix in (".csv", ".xlsx", ".xlsm"):
        rows = _rows_from_table(path, _read_table(path))
        kind = "行"
    else:
        raise SiteListError(
            f"{path}: 不支持的文件类型 {suffix or '(无扩展名)'},应为 YAML、CSV 或 XLSX"
        )
    sites: list[Site] = []
    errors: list[str] = []
    seen_ids: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for line_no, row in rows:
        where = f"{path}: 第{line_no}{kind}"
        site, row_errors = _site_from_row(row, where)
        errors.extend(row_errors)
        if not site:
            continue
        if site.id in seen_ids:
            errors.append(f"{where}: 站点编号重复 {site.id}(与{seen_ids[site.id]}相同)")
            continue
        if site.name in seen_names:
            errors.append(f"{where}: 单位名称重复 {site.name}(与{seen_names[site.name]}相同)")
            continue
        seen_ids[site.id] = where.split(": ", 1)[1]
        seen_names[site.name] = where.split(": ", 1)[1]
        sites.append(site)
    if errors:
        raise SiteListError("站点名单有误,未开始抓取:\n" + "\n".join(errors))
    if not sites:
        raise SiteListError(f"{path}: 名单中没有站点")
    return sites


def select_sites(sites: list[Site], wanted: str | None) -> list[Site]:
    """All sites, or the one whose id or name is `wanted` (comma-separated for several)."""
    if not wanted:
        return sites
    chosen = []
    for key in (w.strip() for w in wanted.split(",") if w.strip()):
        match = [s for s in sites if key in (s.id, s.name)]
        if not match:
            raise SiteListError(f"名单中没有编号或名称为 {key} 的站点")
        chosen.extend(match)
    return chosen
