"""`make bench`: every benchmark, each printing its own figures; `--quick`: the short one.

The full bench also writes the figures into docs/performance.md (between its markers).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
from pathlib import Path

# (module, arguments) of the full bench, and of the quick one (under two minutes)
BENCHES = [
    ("bench.farm_crawl", []),
    ("bench.report_scale", []),
    ("bench.render_memory", []),
    ("bench.detail_dates", []),
    ("bench.links", []),
]
QUICK = [
    ("bench.farm_crawl", ["--quick"]),
    ("bench.report_scale", ["--sizes", "1000", "--no-workbook"]),
]
DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


class _Tee(io.StringIO):
    def write(self, text: str) -> int:
        sys.__stdout__.write(text)
        sys.__stdout__.flush()
        return super().write(text)


def write_figures(text: str) -> None:
    """Put the printed figures between the markers of docs/performance.md."""
    if not DOC.exists():
        return
    doc = DOC.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        return
    head, _, rest = doc.partition(BEGIN)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{BEGIN}\n```\n{text.strip()}\n```\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    quick = "--quick" in argv
    out = _Tee()
    with contextlib.redirect_stdout(out):
        print(f"cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at start")
        for name, args in QUICK if quick else BENCHES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            print(f"\n=== {name} {' '.join(args)} ===", flush=True)
            module.main(list(args))
        print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    if not quick:
        write_figures(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
