"""Render a workbook as people see it: LibreOffice (headless) to PDF, pdftoppm to PNG.

    python -m bench.render_workbook var/demo/govspider-demo.xlsx --sheet 抽查情况表 --out docs/

Needs Debian's libreoffice-calc and poppler-utils. Prints the PDF, its page count and
the PNG files written, so the pages can be checked by eye.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl


def only_sheet(src: Path, sheet: str, dst: Path) -> Path:
    """A copy of the workbook holding only `sheet` (LibreOffice prints every sheet)."""
    wb = openpyxl.load_workbook(src)
    if sheet not in wb.sheetnames:
        raise SystemExit(f"错误: {src} 中没有工作表“{sheet}”(有:{'、'.join(wb.sheetnames)})")
    for name in wb.sheetnames:
        if name != sheet:
            wb.remove(wb[name])
    wb.save(dst)
    return dst


def render(xlsx: Path, out: Path, sheet: str | None, pages: int, dpi: int) -> list[Path]:
    """PDF then PNG pages of the workbook (or one sheet of it); returns the PNGs."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        raise SystemExit("错误: 需要 libreoffice-calc 与 poppler-utils (apt-get install)")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = only_sheet(xlsx, sheet, work / f"{xlsx.stem}-{sheet}.xlsx") if sheet else xlsx
        profile = f"-env:UserInstallation=file://{work / 'profile'}"
        subprocess.run(
            [
                soffice,
                profile,
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = work / f"{src.stem}.pdf"
        stem = out / (f"{xlsx.stem}-{sheet}" if sheet else xlsx.stem)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-l", str(pages), str(pdf), str(stem)],
            check=True,
            timeout=300,
        )
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        count = next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages")), "?")
        print(f"PDF: {pdf.name}, {count} 页")
    pngs = sorted(out.glob(f"{stem.name}*.png"))
    for png in pngs:
        print(f"PNG: {png}")
    return pngs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xlsx", type=Path)
    parser.add_argument("--sheet", help="只渲染这一个工作表")
    parser.add_argument("--out", type=Path, default=Path("var/render"))
    parser.add_argument("--pages", type=int, default=1, help="写出前几页 (默认 1)")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    render(args.xlsx, args.out, args.sheet, args.pages, args.dpi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
